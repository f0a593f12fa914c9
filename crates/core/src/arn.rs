//! ARNs of IAM and STS principals and entities (spec §3.1).

pub const PARTITION: &str = "aws";

pub fn root(account: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:root")
}

/// `arn:aws:iam::ACCOUNT:TYPE/PATH/NAME` (the path starts and ends with `/`).
pub fn entity(account: &str, arn_type: &str, path: &str, name: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:{arn_type}{path}{name}")
}

pub fn user(account: &str, path: &str, name: &str) -> String {
    entity(account, "user", path, name)
}

/// `arn:aws:iam::ACCOUNT:oidc-provider/HOST[/PATH]` (the issuer URL without `https://`).
pub fn oidc_provider(account: &str, url: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:oidc-provider/{url}")
}

/// `arn:aws:iam::ACCOUNT:saml-provider/NAME`.
pub fn saml_provider(account: &str, name: &str) -> String {
    format!("arn:{PARTITION}:iam::{account}:saml-provider/{name}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn arns() {
        assert_eq!(
            super::root("123456789012"),
            "arn:aws:iam::123456789012:root"
        );
        assert_eq!(
            super::user("123456789012", "/division_abc/", "JaneDoe"),
            "arn:aws:iam::123456789012:user/division_abc/JaneDoe"
        );
    }
}
