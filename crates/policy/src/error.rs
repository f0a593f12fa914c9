//! The one error type of the crate, carrying AWS's wording.

use std::fmt;

/// Which AWS error code a [`PolicyError`] maps to at the API edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// `MalformedPolicyDocument` (HTTP 400).
    MalformedPolicyDocument,
    /// `LimitExceeded` (HTTP 409): a size quota was exceeded.
    LimitExceeded,
    /// `PackedPolicyTooLarge` (HTTP 400): an STS session policy is too large.
    PackedPolicyTooLarge,
    /// `ValidationError` (HTTP 400): the document breaks the API parameter's
    /// character-set constraint.
    ValidationError,
}

impl ErrorCode {
    /// The AWS error code string.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::MalformedPolicyDocument => "MalformedPolicyDocument",
            ErrorCode::LimitExceeded => "LimitExceeded",
            ErrorCode::PackedPolicyTooLarge => "PackedPolicyTooLarge",
            ErrorCode::ValidationError => "ValidationError",
        }
    }
}

/// Why a policy document was rejected.
///
/// [`PolicyError::message`] is the text AWS puts in the error's `Message`;
/// [`PolicyError::code`] is the AWS error code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    code: ErrorCode,
    message: String,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl PolicyError {
    pub(crate) fn malformed(message: impl Into<String>) -> Self {
        PolicyError {
            code: ErrorCode::MalformedPolicyDocument,
            message: message.into(),
        }
    }

    pub(crate) fn with_code(code: ErrorCode, message: impl Into<String>) -> Self {
        PolicyError {
            code,
            message: message.into(),
        }
    }

    /// "Syntax errors in policy." — AWS's answer for structural errors.
    pub(crate) fn syntax() -> Self {
        Self::malformed(SYNTAX_ERRORS)
    }

    /// AWS's message text.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The AWS error code this error maps to.
    pub fn code(&self) -> ErrorCode {
        self.code
    }

    /// True when the document was rejected for its size (a `LimitExceeded`
    /// or `PackedPolicyTooLarge` answer rather than `MalformedPolicyDocument`).
    pub fn is_size_limit(&self) -> bool {
        matches!(
            self.code,
            ErrorCode::LimitExceeded | ErrorCode::PackedPolicyTooLarge
        )
    }
}

pub(crate) const SYNTAX_ERRORS: &str = "Syntax errors in policy.";
pub(crate) const INVALID_JSON: &str = "This policy contains invalid Json";
pub(crate) const LEGACY_PARSING: &str = "The policy failed legacy parsing";
pub(crate) const NO_PRINCIPAL_ALLOWED: &str = "Policy document should not specify a principal.";
pub(crate) const MISSING_ACTIONS: &str = "Policy statement must contain actions.";
pub(crate) const MISSING_RESOURCES: &str = "Policy statement must contain resources.";
pub(crate) const VENDOR_PREFIX: &str =
    "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
pub(crate) const ONE_COLON: &str = "Actions/Condition can contain only one colon.";
pub(crate) const VENDOR_WILDCARD: &str =
    "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards";
pub(crate) const SID_ALPHANUMERIC: &str = "Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*";
pub(crate) const SID_UNIQUE: &str = "Statement IDs (SID) in a single policy must be unique.";
pub(crate) const VERSION_TOO_OLD: &str = "Policy document must be version 2012-10-17 or greater.";
pub(crate) const RESOURCE_VENDOR: &str =
    "Resource vendor must be fully qualified and cannot contain regexes.";
pub(crate) const IAM_RESOURCE_PATH: &str = "IAM resource path must either be \"*\", root, or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.";
pub(crate) const TRUST_ACTIONS: &str = "AssumeRole policy may only specify STS AssumeRole actions.";
