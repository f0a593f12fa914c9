//! The one AWS-facing error type: a code, a message in AWS's wording and an HTTP status. The
//! codes and their statuses come from core's [`ErrorCode`] (generated from AWS's models).

pub use portcullis_core::ErrorCode;
use std::borrow::Cow;
use std::fmt;

/// Whether AWS blames the caller (`Sender`, 4xx) or itself (`Receiver`, 5xx).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Sender,
    Receiver,
}

/// An error as AWS reports it in the `<ErrorResponse>` envelope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    pub code: Cow<'static, str>,
    pub message: String,
    pub status: u16,
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for AwsError {}

impl AwsError {
    pub fn new(code: &'static str, status: u16, message: impl Into<String>) -> Self {
        AwsError {
            code: Cow::Borrowed(code),
            message: message.into(),
            status,
        }
    }

    /// An error with `code`'s wire name and HTTP status.
    pub fn coded(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(code.as_str(), code.status(), message)
    }

    pub fn kind(&self) -> ErrorKind {
        if self.status >= 500 {
            ErrorKind::Receiver
        } else {
            ErrorKind::Sender
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::ValidationError, message)
    }
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::InvalidInput, message)
    }
    pub fn no_such_entity(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::NoSuchEntity, message)
    }
    pub fn already_exists(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::EntityAlreadyExists, message)
    }
    pub fn delete_conflict(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::DeleteConflict, message)
    }
    pub fn limit_exceeded(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::LimitExceeded, message)
    }
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::AccessDenied, message)
    }
    pub fn invalid_client_token_id() -> Self {
        Self::coded(
            ErrorCode::InvalidClientTokenId,
            "The security token included in the request is invalid.",
        )
    }
    pub fn signature_does_not_match(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::SignatureDoesNotMatch, message)
    }
    pub fn signature_mismatch() -> Self {
        Self::signature_does_not_match(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    }
    pub fn incomplete_signature(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::IncompleteSignature, message)
    }
    pub fn missing_authentication_token() -> Self {
        Self::coded(
            ErrorCode::MissingAuthenticationToken,
            "Request is missing Authentication Token",
        )
    }
    pub fn expired_token() -> Self {
        Self::coded(
            ErrorCode::ExpiredToken,
            "The security token included in the request is expired",
        )
    }
    pub fn invalid_action(action: &str, version: &str) -> Self {
        Self::coded(
            ErrorCode::InvalidAction,
            format!("Could not find operation {action} for version {version}"),
        )
    }
    pub fn missing_action() -> Self {
        Self::coded(ErrorCode::MissingAction, "Missing Action")
    }
    pub fn malformed_query_string(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::MalformedQueryString, message)
    }
    pub fn invalid_parameter_value(message: impl Into<String>) -> Self {
        Self::coded(ErrorCode::InvalidParameterValue, message)
    }
    pub fn internal() -> Self {
        Self::coded(
            ErrorCode::ServiceFailure,
            "The request processing has failed because of an unknown error.",
        )
    }
    /// Too much work at once: IAM's answer (HTTP 400), which SDKs retry with back-off.
    pub fn throttling() -> Self {
        Self::coded(ErrorCode::Throttling, "Rate exceeded")
    }
    pub fn request_entity_too_large(limit: usize) -> Self {
        Self::coded(
            ErrorCode::RequestEntityTooLarge,
            format!("Request body must be no larger than {limit} bytes."),
        )
    }
}
