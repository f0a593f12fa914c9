//! The policy documents IAM stores, checked before they are stored: a managed policy's version
//! (an identity policy of Version 2012-10-17 within the `PolicySize` quota) and a role's trust
//! policy (the trust grammar within the default `ACLSizePerRole` quota). The policy crate's
//! parser and size quotas decide; the refusal is its [`PolicyError`], whose code and message are
//! AWS's (MalformedPolicyDocument, LimitExceeded). The API and the console check through here.

use portcullis_policy::{
    ParseOptions, Policy, PolicyError, PolicyKind, SizeQuota, TRUST_POLICY_DEFAULT_MAX, policy_size,
};

/// CreatePolicy's and CreatePolicyVersion's document: IAM stores identity policies of Version
/// 2012-10-17 only, of at most 6,144 characters (whitespace apart).
pub fn check_managed_policy(doc: &str) -> Result<(), PolicyError> {
    let options = ParseOptions {
        require_current_version: true,
        ..ParseOptions::default()
    };
    Policy::parse_with(doc, PolicyKind::Identity, &options)?;
    SizeQuota::ManagedPolicy.check(policy_size(doc))
}

/// CreateRole's and UpdateAssumeRolePolicy's trust policy: a principal in each statement, STS
/// actions only, no resource, of at most 2,048 characters (whitespace apart).
pub fn check_trust_policy(doc: &str) -> Result<(), PolicyError> {
    Policy::parse(doc, PolicyKind::Trust)?;
    SizeQuota::TrustPolicy {
        max: TRUST_POLICY_DEFAULT_MAX,
    }
    .check(policy_size(doc))
}

#[cfg(test)]
mod tests {
    use super::*;
    use portcullis_policy::ErrorCode;

    const IDENTITY: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}]}"#;
    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::123456789012:root"},"Action":"sts:AssumeRole"}]}"#;

    fn refusal(r: Result<(), PolicyError>) -> (ErrorCode, String) {
        let e = r.unwrap_err();
        (e.code(), e.message().to_string())
    }

    /// `doc` with its one statement's `Sid` padded so that the document counts `size`
    /// characters.
    fn of_size(doc: &str, size: usize) -> String {
        let padded = doc.replacen("{\"Effect\"", "{\"Sid\":\"\",\"Effect\"", 1);
        let pad = "a".repeat(size - policy_size(&padded));
        let out = padded.replacen("\"Sid\":\"\"", &format!("\"Sid\":\"{pad}\""), 1);
        assert_eq!(policy_size(&out), size);
        out
    }

    #[test]
    fn a_managed_policy_is_a_current_identity_policy_within_its_quota() {
        assert_eq!(check_managed_policy(IDENTITY), Ok(()));
        assert_eq!(
            refusal(check_managed_policy(
                &IDENTITY.replace("2012-10-17", "2008-10-17")
            )),
            (
                ErrorCode::MalformedPolicyDocument,
                "Policy document must be version 2012-10-17 or greater.".to_string()
            )
        );
        assert_eq!(
            refusal(check_managed_policy("{}")).0,
            ErrorCode::MalformedPolicyDocument
        );
        // A trust policy names principals, which an identity policy may not.
        assert_eq!(
            refusal(check_managed_policy(TRUST)).0,
            ErrorCode::MalformedPolicyDocument
        );
        assert_eq!(check_managed_policy(&of_size(IDENTITY, 6144)), Ok(()));
        assert_eq!(
            refusal(check_managed_policy(&of_size(IDENTITY, 6145))),
            (
                ErrorCode::LimitExceeded,
                "Cannot exceed quota for PolicySize: 6144".to_string()
            )
        );
    }

    #[test]
    fn a_trust_policy_names_principals_and_sts_actions_within_its_quota() {
        assert_eq!(check_trust_policy(TRUST), Ok(()));
        // Older documents are still trust policies.
        assert_eq!(
            check_trust_policy(&TRUST.replace("2012-10-17", "2008-10-17")),
            Ok(())
        );
        assert_eq!(
            refusal(check_trust_policy(IDENTITY)).0,
            ErrorCode::MalformedPolicyDocument
        );
        assert_eq!(
            refusal(check_trust_policy(
                &TRUST.replace("sts:AssumeRole", "s3:GetObject")
            )),
            (
                ErrorCode::MalformedPolicyDocument,
                "AssumeRole policy may only specify STS AssumeRole actions.".to_string()
            )
        );
        assert_eq!(check_trust_policy(&of_size(TRUST, 2048)), Ok(()));
        assert_eq!(
            refusal(check_trust_policy(&of_size(TRUST, 2049))),
            (
                ErrorCode::LimitExceeded,
                "Cannot exceed quota for ACLSizePerRole: 2048".to_string()
            )
        );
    }
}
