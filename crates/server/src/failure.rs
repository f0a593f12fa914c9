//! Failures the caller cannot fix, answered the same way by every layer of the server (the
//! pipeline, authorization and the handlers): logged with their cause, answered as AWS's
//! `ServiceFailure` without it.

use portcullis_core::StoreError;
use portcullis_proto::AwsError;

/// A storage failure: logged, answered as ServiceFailure.
pub fn store_failure(e: StoreError) -> AwsError {
    tracing::error!(error = %e, "store failure");
    AwsError::internal()
}
