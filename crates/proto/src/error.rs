//! The one AWS-facing error type: a code, a message in AWS's wording and an HTTP status.

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

    pub fn kind(&self) -> ErrorKind {
        if self.status >= 500 {
            ErrorKind::Receiver
        } else {
            ErrorKind::Sender
        }
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new("ValidationError", 400, message)
    }
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new("InvalidInput", 400, message)
    }
    pub fn no_such_entity(message: impl Into<String>) -> Self {
        Self::new("NoSuchEntity", 404, message)
    }
    pub fn already_exists(message: impl Into<String>) -> Self {
        Self::new("EntityAlreadyExists", 409, message)
    }
    pub fn delete_conflict(message: impl Into<String>) -> Self {
        Self::new("DeleteConflict", 409, message)
    }
    pub fn limit_exceeded(message: impl Into<String>) -> Self {
        Self::new("LimitExceeded", 409, message)
    }
    pub fn access_denied(message: impl Into<String>) -> Self {
        Self::new("AccessDenied", 403, message)
    }
    pub fn invalid_client_token_id() -> Self {
        Self::new(
            "InvalidClientTokenId",
            403,
            "The security token included in the request is invalid.",
        )
    }
    pub fn signature_does_not_match(message: impl Into<String>) -> Self {
        Self::new("SignatureDoesNotMatch", 403, message)
    }
    pub fn signature_mismatch() -> Self {
        Self::signature_does_not_match(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        )
    }
    pub fn incomplete_signature(message: impl Into<String>) -> Self {
        Self::new("IncompleteSignature", 400, message)
    }
    pub fn missing_authentication_token() -> Self {
        Self::new(
            "MissingAuthenticationToken",
            403,
            "Request is missing Authentication Token",
        )
    }
    pub fn expired_token() -> Self {
        Self::new(
            "ExpiredToken",
            403,
            "The security token included in the request is expired",
        )
    }
    pub fn invalid_action(action: &str, version: &str) -> Self {
        Self::new(
            "InvalidAction",
            400,
            format!("Could not find operation {action} for version {version}"),
        )
    }
    pub fn missing_action() -> Self {
        Self::new("MissingAction", 400, "Missing Action")
    }
    pub fn malformed_query_string(message: impl Into<String>) -> Self {
        Self::new("MalformedQueryString", 404, message)
    }
    pub fn invalid_parameter_value(message: impl Into<String>) -> Self {
        Self::new("InvalidParameterValue", 400, message)
    }
    pub fn internal() -> Self {
        Self::new(
            "ServiceFailure",
            500,
            "The request processing has failed because of an unknown error.",
        )
    }
    /// Too much work at once: IAM's answer (HTTP 400), which SDKs retry with back-off.
    pub fn throttling() -> Self {
        Self::new("Throttling", 400, "Rate exceeded")
    }
    pub fn request_entity_too_large(limit: usize) -> Self {
        Self::new(
            "RequestEntityTooLarge",
            413,
            format!("Request body must be no larger than {limit} bytes."),
        )
    }
}
