//! `GET /metrics`: requests by operation and outcome, latency histograms, denials,
//! authentication failures, store write times and cache lookups, in Prometheus's text format.

use crate::common::{Server, err_code, iam_client, user_with_key};

pub(crate) fn scrape(s: &Server) -> String {
    let resp = crate::raw::send(
        &s.addr,
        b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(resp.status, 200, "{}", resp.body);
    resp.body
}

/// The value of the sample `name` (with its labels, exactly as written), if present.
pub(crate) fn sample(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

#[tokio::test]
async fn metrics_count_requests_outcomes_and_latency() {
    let s = Server::dev();
    let root = s.root_iam();
    let (key, secret) = user_with_key(&root, "metrics-user").await;
    // Two reads in a row: the second finds the root key cached (writes empty the caches).
    root.list_users().send().await.unwrap();
    root.list_users().send().await.unwrap();
    // A denial and an unknown key.
    let (code, _) = err_code(s.iam(&key, &secret).list_users().send().await);
    assert_eq!(code, "AccessDenied");
    let stranger = iam_client(&s.endpoint(), "AKIAUNKNOWNUNKNOWN00", "x");
    let (code, _) = err_code(stranger.list_users().send().await);
    assert_eq!(code, "InvalidClientTokenId");

    let text = scrape(&s);
    let ok = sample(
        &text,
        r#"portcullis_requests_total{operation="ListUsers",outcome="ok"}"#,
    );
    assert_eq!(ok, Some(2.0), "{text}");
    assert_eq!(
        sample(
            &text,
            r#"portcullis_requests_total{operation="ListUsers",outcome="denied"}"#
        ),
        Some(1.0)
    );
    assert_eq!(sample(&text, "portcullis_denials_total"), Some(1.0));
    assert!(sample(&text, "portcullis_authentication_failures_total") >= Some(1.0));
    assert_eq!(
        sample(
            &text,
            r#"portcullis_request_duration_seconds_count{operation="CreateUser"}"#
        ),
        Some(1.0)
    );
    assert_eq!(
        sample(
            &text,
            r#"portcullis_request_duration_seconds_bucket{operation="CreateUser",le="+Inf"}"#
        ),
        Some(1.0)
    );
    // CreateUser and CreateAccessKey are changes.
    assert!(sample(&text, "portcullis_store_write_seconds_count") >= Some(2.0));
    let hits = sample(
        &text,
        r#"portcullis_cache_lookups_total{cache="access_keys",result="hit"}"#,
    );
    assert!(hits >= Some(1.0), "{text}");
    assert!(text.contains("# TYPE portcullis_request_duration_seconds histogram"));
}
