//! Errors as every layer of the server (the pipeline, authorization, the handlers, the
//! console) answers them: core's refusals with the code core names and its words
//! ([`iam_error`] and [`sts_error`], the one place each of `IamError` and `StsError` meets the
//! wire), and failures the caller cannot fix, logged with their cause and answered as AWS's
//! `ServiceFailure` without it (a full password-hashing pool as AWS's `Throttling`).

use portcullis_core::iam::passwords::NewPasswordError;
use portcullis_core::passwords::HashError;
use portcullis_core::{IamError, StoreError, StsError};
use portcullis_proto::AwsError;

/// A refusal of core as AWS's error: core names the code (and with it the HTTP status) and
/// words the message; a store failure is ServiceFailure.
pub fn iam_error(e: IamError) -> AwsError {
    match e {
        IamError::Store(s) => store_failure(s),
        e => AwsError::coded(e.code(), e.to_string()),
    }
}

/// A refusal of STS's session rules as AWS's error: core names the code (and with it the HTTP
/// status) and words the message.
pub fn sts_error(e: StsError) -> AwsError {
    AwsError::coded(e.code(), e.to_string())
}

/// A storage failure: logged, answered as ServiceFailure.
pub fn store_failure(e: StoreError) -> AwsError {
    tracing::error!(error = %e, "store failure");
    AwsError::internal()
}

/// Hashing refused: the bounded pool is full (AWS's `Throttling`, which SDKs retry after a
/// pause) or the random source failed (logged, ServiceFailure).
pub fn hash_failure(e: HashError) -> AwsError {
    match e {
        HashError::Busy => AwsError::throttling(),
        HashError::Failed => {
            tracing::error!(error = %e, "password hashing failed");
            AwsError::internal()
        }
    }
}

/// Core's refusal of a new password (or of ChangePassword) as the API and the console answer
/// it: a refusal in core's words, a hashing failure as [`hash_failure`].
pub fn new_password_failure(e: NewPasswordError) -> AwsError {
    match e {
        NewPasswordError::Refused(e) => iam_error(e),
        NewPasswordError::Hashing(e) => hash_failure(e),
    }
}
