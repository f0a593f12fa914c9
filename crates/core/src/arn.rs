//! ARNs of IAM and STS principals and entities (spec §3.1): built here, and read here (the
//! policy crate's [`Arn`] splits the six components; the functions below answer what the
//! domain asks of an ARN: is it one at all, whose account, which IAM entity).

pub use portcullis_policy::Arn;

pub const PARTITION: &str = "aws";

/// An ARN with a partition, a service and a resource (region and account may be empty), or
/// `None` for text that is not one.
pub fn well_formed(text: &str) -> Option<Arn<'_>> {
    Arn::parse(text)
        .filter(|a| !a.partition.is_empty() && !a.service.is_empty() && !a.resource.is_empty())
}

/// The account component of an ARN (possibly empty), `None` for text that is not an ARN.
pub fn account_of(text: &str) -> Option<&str> {
    Arn::parse(text).map(|a| a.account)
}

/// The IAM entity an ARN names: its account, its type (`user`, `role`, `policy`, ...) and the
/// rest of its resource (`PATH/NAME` without the leading slash); `None` for an ARN of another
/// service or text that is not one.
pub fn iam_entity(text: &str) -> Option<(&str, &str, &str)> {
    let a = well_formed(text).filter(|a| a.service == "iam")?;
    let (kind, rest) = a.resource.split_once('/')?;
    Some((a.account, kind, rest))
}

/// The name in an entity's `PATH/NAME`: names are unique in an account, so the path picks no
/// other entity.
pub fn name_of(path_and_name: &str) -> &str {
    path_and_name.rsplit('/').next().unwrap_or_default()
}

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
    fn reading_arns() {
        use super::*;
        assert_eq!(well_formed("arn:aws:iam::1:"), None);
        assert_eq!(well_formed("arn::iam::1:role/r"), None);
        assert_eq!(well_formed("urn:aws:iam::1:role/r"), None);
        assert_eq!(well_formed("arn:aws:s3:::b").map(|a| a.resource), Some("b"));
        assert_eq!(
            account_of("arn:aws:iam::123456789012:user/u"),
            Some("123456789012")
        );
        assert_eq!(account_of("role"), None);
        assert_eq!(
            iam_entity("arn:aws:iam::123456789012:role/a/b/r"),
            Some(("123456789012", "role", "a/b/r"))
        );
        assert_eq!(iam_entity("arn:aws:s3:::bucket/key"), None);
        assert_eq!(iam_entity("arn:aws:iam::123456789012:root"), None);
        assert_eq!(name_of("a/b/r"), "r");
        assert_eq!(name_of("r"), "r");
    }

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
