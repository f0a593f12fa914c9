//! What every HTTP front end (the Query API in `http`, CloudTrail's JSON API in `cloudtrail`)
//! reads of a request before anything else: its body, within a size and a time limit, and the
//! network origin authorization sees (`aws:SourceIp`, `aws:SecureTransport`).

use crate::app::App;
use axum::body::Body;
use axum::http::header;
use portcullis_proto::AwsError;
use std::net::SocketAddr;

/// Reads a request body of at most `limit` bytes within `timeout`: a larger one is
/// `RequestEntityTooLarge` (413), a slow one `RequestTimeout`, a malformed one (bad chunked
/// encoding, a connection closed early) `InvalidHttpRequest` (400).
pub async fn read_body(
    parts: &axum::http::request::Parts,
    body: Body,
    limit: usize,
    timeout: std::time::Duration,
) -> Result<axum::body::Bytes, AwsError> {
    use http_body_util::BodyExt;
    if parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit)
    {
        return Err(AwsError::request_entity_too_large(limit));
    }
    let collected = tokio::time::timeout(
        timeout,
        http_body_util::Limited::new(body, limit).collect(),
    )
    .await
    .map_err(|_| {
        AwsError::new(
            "RequestTimeout",
            400,
            "Your socket connection to the server was not read from or written to within the timeout period.",
        )
    })?;
    match collected {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            Err(AwsError::request_entity_too_large(limit))
        }
        Err(_) => Err(AwsError::new(
            "InvalidHttpRequest",
            400,
            "The request body could not be read.",
        )),
    }
}

/// Where a request comes from: the TCP peer (or what a trusted proxy says in the headers
/// `header` reads), and whether it arrived over TLS.
pub fn request_origin<'h>(
    app: &App,
    parts: &axum::http::request::Parts,
    header: impl Fn(&str) -> Option<&'h str>,
) -> crate::net::Origin {
    let peer = parts
        .extensions
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip())
        .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let mut origin = crate::net::origin(
        peer,
        header("x-forwarded-for"),
        header("x-forwarded-proto"),
        &app.settings.trusted_proxies,
    );
    origin.secure_transport |= parts
        .extensions
        .get::<crate::listener::Secure>()
        .is_some_and(|s| s.0);
    origin
}
