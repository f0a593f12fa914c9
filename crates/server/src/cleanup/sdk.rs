//! Reading IAM through the AWS SDK, shared by cleanup of an endpoint (`endpoint`) and the CIS
//! audit's gathering (`cis::gather`): SDK times and errors as ours, policy documents as AWS
//! returns them, and every item of a paginated listing.

use anyhow::anyhow;
use chrono::{DateTime, Utc};

pub(crate) fn time(t: Option<&aws_sdk_iam::primitives::DateTime>) -> Option<DateTime<Utc>> {
    t.and_then(|d| DateTime::from_timestamp(d.secs(), d.subsec_nanos()))
}

pub(crate) fn sdk<E: std::error::Error + Send + Sync + 'static>(
    what: &str,
) -> impl FnOnce(E) -> anyhow::Error {
    let what = what.to_string();
    move |e| anyhow!("{what}: {}", aws_sdk_iam::error::DisplayErrorContext(e))
}

/// A policy document as GetAccountAuthorizationDetails returns it (URL-encoded JSON).
pub(crate) fn document(text: &str) -> String {
    if text.trim_start().starts_with('{') {
        return text.to_string();
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// Every item of a paginated IAM listing, page after page, or the first error named for the
/// operation: `every!(iam.list_users(), "ListUsers")?`.
macro_rules! every {
    ($request:expr, $op:literal) => {
        $request
            .into_paginator()
            .items()
            .send()
            .collect::<Result<Vec<_>, _>>()
            .await
            .map_err($crate::cleanup::sdk::sdk($op))
    };
}
pub(crate) use every;
