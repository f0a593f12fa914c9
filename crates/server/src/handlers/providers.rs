//! What the OpenID Connect and SAML provider handlers share: checking a provider ARN.

use portcullis_proto::AwsError;

/// `arn:aws:iam::ACCOUNT:{resource}/NAME`, or InvalidInput.
pub fn check_arn(arn: &str, resource: &str) -> Result<(), AwsError> {
    let well_formed = arn
        .strip_prefix("arn:aws:iam::")
        .and_then(|rest| rest.split_once(':'))
        .is_some_and(|(account, rest)| {
            portcullis_core::ids::is_account_id(account)
                && rest
                    .strip_prefix(resource)
                    .and_then(|r| r.strip_prefix('/'))
                    .is_some_and(|name| !name.is_empty())
        });
    if well_formed {
        Ok(())
    } else {
        Err(AwsError::invalid_input(format!("ARN {arn} is not valid.")))
    }
}

#[cfg(test)]
mod tests {
    use super::check_arn;

    #[test]
    fn provider_arns() {
        assert!(
            check_arn(
                "arn:aws:iam::123456789012:saml-provider/Okta",
                "saml-provider"
            )
            .is_ok()
        );
        assert!(
            check_arn(
                "arn:aws:iam::123456789012:oidc-provider/example.com/x",
                "oidc-provider"
            )
            .is_ok()
        );
        for bad in [
            "arn:aws:iam::123456789012:saml-provider/",
            "arn:aws:iam::123456789012:oidc-provider/Okta",
            "arn:aws:iam::12345:saml-provider/Okta",
            "arn:aws:s3:::bucket/saml-provider/x",
        ] {
            assert!(check_arn(bad, "saml-provider").is_err(), "{bad}");
        }
    }
}
