//! Policy size as AWS counts it, and the size quotas of IAM and STS.

use crate::error::{ErrorCode, PolicyError};

/// The number of characters in `text` that count toward IAM's size quotas:
/// every character except whitespace (space, tab, line feed, carriage return,
/// and any other Unicode whitespace). Characters, not bytes.
pub fn policy_size(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

/// Managed policy document (each version): 6,144 characters.
pub const MANAGED_POLICY_MAX: usize = 6_144;
/// All inline policies of a user together: 2,048 characters.
pub const USER_INLINE_MAX: usize = 2_048;
/// All inline policies of a group together: 5,120 characters.
pub const GROUP_INLINE_MAX: usize = 5_120;
/// All inline policies of a role together: 10,240 characters.
pub const ROLE_INLINE_MAX: usize = 10_240;
/// Default role trust policy quota (adjustable per account).
pub const TRUST_POLICY_DEFAULT_MAX: usize = 2_048;
/// STS inline session policy: 2,048 characters.
pub const SESSION_POLICY_MAX: usize = 2_048;
/// The request parameter itself, whitespace included.
pub const REQUEST_PARAMETER_MAX: usize = 131_072;

/// A size quota, with the wording AWS uses when it is exceeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SizeQuota {
    /// One managed policy version: "Cannot exceed quota for PolicySize: 6144".
    ManagedPolicy,
    /// A role trust policy, with the account's quota (default 2,048).
    TrustPolicy {
        /// The quota in force.
        max: usize,
    },
    /// The inline policies of the named user, counted together.
    UserInline {
        /// User name, used in the message.
        name: String,
    },
    /// The inline policies of the named group, counted together.
    GroupInline {
        /// Group name, used in the message.
        name: String,
    },
    /// The inline policies of the named role, counted together.
    RoleInline {
        /// Role name, used in the message.
        name: String,
    },
    /// An STS inline session policy (`PackedPolicyTooLarge`).
    SessionPolicy,
}

impl SizeQuota {
    /// The quota in characters.
    pub fn max(&self) -> usize {
        match self {
            SizeQuota::ManagedPolicy => MANAGED_POLICY_MAX,
            SizeQuota::TrustPolicy { max } => *max,
            SizeQuota::UserInline { .. } => USER_INLINE_MAX,
            SizeQuota::GroupInline { .. } => GROUP_INLINE_MAX,
            SizeQuota::RoleInline { .. } => ROLE_INLINE_MAX,
            SizeQuota::SessionPolicy => SESSION_POLICY_MAX,
        }
    }

    /// `Ok` when `size` (from [`policy_size`], summed for inline quotas) is
    /// within the quota; otherwise the error AWS returns.
    pub fn check(&self, size: usize) -> Result<(), PolicyError> {
        if size <= self.max() {
            Ok(())
        } else {
            Err(self.exceeded())
        }
    }

    /// The error AWS returns for a document (or, for inline quotas, an owner's documents
    /// together) larger than the quota.
    pub fn exceeded(&self) -> PolicyError {
        let max = self.max();
        let (code, message) = match self {
            SizeQuota::ManagedPolicy => (
                ErrorCode::LimitExceeded,
                format!("Cannot exceed quota for PolicySize: {max}"),
            ),
            SizeQuota::TrustPolicy { .. } => (
                ErrorCode::LimitExceeded,
                format!("Cannot exceed quota for ACLSizePerRole: {max}"),
            ),
            SizeQuota::UserInline { name } => (
                ErrorCode::LimitExceeded,
                format!("Maximum policy size of {max} bytes exceeded for user {name}"),
            ),
            SizeQuota::GroupInline { name } => (
                ErrorCode::LimitExceeded,
                format!("Maximum policy size of {max} bytes exceeded for group {name}"),
            ),
            SizeQuota::RoleInline { name } => (
                ErrorCode::LimitExceeded,
                format!("Maximum policy size of {max} bytes exceeded for role {name}"),
            ),
            SizeQuota::SessionPolicy => (
                ErrorCode::PackedPolicyTooLarge,
                "Packed size of session policy exceeds the allowed limit.".to_owned(),
            ),
        };
        PolicyError::with_code(code, message)
    }
}

/// True when every character is in the set the IAM API accepts for policy
/// documents: U+0009, U+000A, U+000D and U+0020–U+00FF.
pub fn has_allowed_characters(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '\u{9}' | '\u{a}' | '\u{d}' | '\u{20}'..='\u{ff}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_whitespace() {
        assert_eq!(policy_size(" { \"a\" :\n\t\"é\" } "), 9);
    }

    #[test]
    fn quota_boundaries() {
        assert!(SizeQuota::ManagedPolicy.check(6144).is_ok());
        let err = SizeQuota::ManagedPolicy.check(6145).unwrap_err();
        assert!(err.is_size_limit());
        assert_eq!(err.message(), "Cannot exceed quota for PolicySize: 6144");
        let err = SizeQuota::RoleInline { name: "r".into() }
            .check(10_241)
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Maximum policy size of 10240 bytes exceeded for role r"
        );
        assert_eq!(
            SizeQuota::SessionPolicy.check(4000).unwrap_err().code(),
            ErrorCode::PackedPolicyTooLarge
        );
    }

    #[test]
    fn character_set() {
        assert!(has_allowed_characters("\t\r\n é ÿ"));
        assert!(!has_allowed_characters("Ā"));
        assert!(!has_allowed_characters("\u{1}"));
    }
}
