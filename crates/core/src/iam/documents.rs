//! The policy documents IAM stores, checked before they are stored: a managed policy's version
//! (an identity policy of Version 2012-10-17 within the `PolicySize` quota), an inline policy of
//! a user, group or role (the same grammar, within its owner's inline quota, which the owner's
//! inline policies also share: [`InlineDocument`]) and a role's trust policy (the trust grammar
//! within the default `ACLSizePerRole` quota). The policy crate's parser and size quotas decide;
//! the refusal is its [`PolicyError`], whose code and message are AWS's
//! (MalformedPolicyDocument, LimitExceeded). The API and the console check through here.

use crate::model::OwnerKind;
use portcullis_policy::{
    ParseOptions, Policy, PolicyError, PolicyKind, SizeQuota, TRUST_POLICY_DEFAULT_MAX, policy_size,
};

/// An identity policy IAM stores: Version 2012-10-17 only.
fn parse_identity(doc: &str) -> Result<(), PolicyError> {
    let options = ParseOptions {
        require_current_version: true,
        ..ParseOptions::default()
    };
    Policy::parse_with(doc, PolicyKind::Identity, &options).map(|_| ())
}

/// CreatePolicy's and CreatePolicyVersion's document: IAM stores identity policies of Version
/// 2012-10-17 only, of at most 6,144 characters (whitespace apart).
pub fn check_managed_policy(doc: &str) -> Result<(), PolicyError> {
    parse_identity(doc)?;
    SizeQuota::ManagedPolicy.check(policy_size(doc))
}

/// A checked inline policy: its size, and the quota its owner's inline policies share.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InlineDocument {
    /// The document's size as the quota counts it (whitespace apart).
    pub size: usize,
    /// The owner's inline quota, which names the owner in its refusal.
    pub quota: SizeQuota,
}

impl InlineDocument {
    /// The most the owner's inline policies may total.
    pub fn max_total(&self) -> usize {
        self.quota.max()
    }

    /// AWS's refusal when the owner's inline policies together would exceed
    /// [`InlineDocument::max_total`] (core's `InlinePoliciesTooLarge`, worded with the owner).
    pub fn too_large(&self) -> PolicyError {
        self.quota.exceeded()
    }
}

/// Put{User,Group,Role}Policy's document: an identity policy of Version 2012-10-17 within the
/// inline quota of the owner `owner_name` (2,048 characters for a user, 5,120 for a group,
/// 10,240 for a role, whitespace apart).
pub fn check_inline_policy(
    owner: OwnerKind,
    owner_name: &str,
    doc: &str,
) -> Result<InlineDocument, PolicyError> {
    parse_identity(doc)?;
    let name = owner_name.to_string();
    let quota = match owner {
        OwnerKind::User => SizeQuota::UserInline { name },
        OwnerKind::Group => SizeQuota::GroupInline { name },
        OwnerKind::Role => SizeQuota::RoleInline { name },
    };
    let size = policy_size(doc);
    quota.check(size)?;
    Ok(InlineDocument { size, quota })
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

    fn refusal<T: std::fmt::Debug>(r: Result<T, PolicyError>) -> (ErrorCode, String) {
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

    #[test]
    fn an_inline_policy_is_a_current_identity_policy_within_its_owners_quota() {
        let checked = check_inline_policy(OwnerKind::User, "bob", IDENTITY).unwrap();
        assert_eq!(checked.size, policy_size(IDENTITY));
        assert_eq!(checked.max_total(), 2048);
        assert_eq!(
            refusal(check_inline_policy(
                OwnerKind::Role,
                "r",
                &IDENTITY.replace("2012-10-17", "2008-10-17")
            )),
            (
                ErrorCode::MalformedPolicyDocument,
                "Policy document must be version 2012-10-17 or greater.".to_string()
            )
        );
        assert_eq!(
            refusal(check_inline_policy(OwnerKind::Group, "g", TRUST)).0,
            ErrorCode::MalformedPolicyDocument
        );
        // Each owner kind has its own quota, named in the refusal.
        for (owner, name, max, kind) in [
            (OwnerKind::User, "bob", 2048, "user"),
            (OwnerKind::Group, "devs", 5120, "group"),
            (OwnerKind::Role, "deployer", 10240, "role"),
        ] {
            let at_max = check_inline_policy(owner, name, &of_size(IDENTITY, max)).unwrap();
            assert_eq!((at_max.size, at_max.max_total()), (max, max));
            let message = format!("Maximum policy size of {max} bytes exceeded for {kind} {name}");
            assert_eq!(
                refusal(check_inline_policy(
                    owner,
                    name,
                    &of_size(IDENTITY, max + 1)
                )),
                (ErrorCode::LimitExceeded, message.clone())
            );
            // The owner's policies together over the quota get the same words.
            let e = at_max.too_large();
            assert_eq!(
                (e.code(), e.message()),
                (ErrorCode::LimitExceeded, &*message)
            );
        }
    }
}
