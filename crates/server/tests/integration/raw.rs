//! Raw HTTP for the requests no SDK would send: hand-signed, mis-signed, malformed.

use chrono::{DateTime, Utc};
use portcullis_proto::sigv4::{self, SignedRequest};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[derive(Debug)]
pub struct RawResponse {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl RawResponse {
    /// The text of `<Code>`.
    pub fn code(&self) -> &str {
        self.body
            .split("<Code>")
            .nth(1)
            .and_then(|s| s.split("</Code>").next())
            .unwrap_or("")
    }
}

/// Sends bytes, reads the whole response (the request asks the server to close).
pub fn send(addr: &str, request: &[u8]) -> RawResponse {
    exchange(addr, request, false)
}

/// Like [`send`], then closes the writing half at once (a client that gives up mid-request).
pub fn send_half_closed(addr: &str, request: &[u8]) -> RawResponse {
    exchange(addr, request, true)
}

fn exchange(addr: &str, request: &[u8], half_close: bool) -> RawResponse {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    // The server may answer (and close) before reading all of an oversized body.
    let _ = s.write_all(request);
    if half_close {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    RawResponse {
        status,
        headers: head.to_string(),
        body: body.to_string(),
    }
}

/// How to sign a raw POST.
pub struct Signing<'a> {
    pub key: &'a str,
    pub secret: &'a str,
    pub service: &'a str,
    pub region: &'a str,
    pub time: DateTime<Utc>,
    pub extra_headers: &'a [(&'a str, &'a str)],
}

impl<'a> Signing<'a> {
    pub fn root(service: &'a str) -> Self {
        Signing {
            key: super::common::DEV_KEY,
            secret: super::common::DEV_SECRET,
            service,
            region: "us-east-1",
            time: Utc::now(),
            extra_headers: &[],
        }
    }
}

/// Builds a SigV4-signed form POST with `body`.
pub fn signed_post(addr: &str, body: &[u8], s: &Signing<'_>) -> Vec<u8> {
    let amz_date = s.time.format("%Y%m%dT%H%M%SZ").to_string();
    let date = &amz_date[..8];
    let mut headers: Vec<(&str, &str)> = vec![
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        ("host", addr),
        ("x-amz-date", &amz_date),
    ];
    headers.extend_from_slice(s.extra_headers);
    let names: Vec<&str> = headers.iter().map(|(n, _)| *n).collect();
    let signed = {
        let mut n = names.clone();
        n.sort();
        n.join(";")
    };
    let placeholder = format!(
        "AWS4-HMAC-SHA256 Credential={}/{date}/{}/{}/aws4_request, SignedHeaders={signed}, Signature={}",
        s.key,
        s.region,
        s.service,
        "0".repeat(64)
    );
    let auth = sigv4::parse_authorization_header(&placeholder, Some(&amz_date), None).unwrap();
    let hash = sigv4::payload_hash(body);
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        payload_hash: &hash,
    };
    let key = sigv4::signing_key(s.secret.as_bytes(), date, s.region, s.service);
    let sig = hex::encode(sigv4::expected_signature(&req, &auth, &key));
    let authorization = placeholder.replace(&"0".repeat(64), &sig);
    let mut out = format!(
        "POST / HTTP/1.1\r\nconnection: close\r\ncontent-length: {}\r\nauthorization: {authorization}\r\n",
        body.len()
    );
    for (n, v) in &headers {
        out.push_str(&format!("{n}: {v}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A presigned GET URL path+query for `query` (unencoded pairs), signing only `host`.
pub fn presigned_get(addr: &str, pairs: &[(&str, &str)], s: &Signing<'_>, expires: u32) -> Vec<u8> {
    let amz_date = s.time.format("%Y%m%dT%H%M%SZ").to_string();
    let date = &amz_date[..8];
    let cred = format!("{}/{date}/{}/{}/aws4_request", s.key, s.region, s.service);
    let enc = |v: &str| percent_encode(v);
    let mut q: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect();
    q.push(format!("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={}&X-Amz-Date={amz_date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host", enc(&cred)));
    let query = q.join("&");
    let headers: Vec<(&str, &str)> = vec![("host", addr)];
    let params = portcullis_proto::Params::parse(
        format!("{query}&X-Amz-Signature={}", "0".repeat(64)).as_bytes(),
    )
    .unwrap();
    let auth = sigv4::parse_presigned(|k| params.get(k)).unwrap();
    let req = SignedRequest {
        method: "GET",
        path: "/",
        query: &query,
        headers: &headers,
        payload_hash: sigv4::EMPTY_SHA256,
    };
    let key = sigv4::signing_key(s.secret.as_bytes(), date, s.region, s.service);
    let sig = hex::encode(sigv4::expected_signature(&req, &auth, &key));
    format!(
        "GET /?{query}&X-Amz-Signature={sig} HTTP/1.1\r\nhost: {addr}\r\nconnection: close\r\n\r\n"
    )
    .into_bytes()
}

pub fn percent_encode(v: &str) -> String {
    v.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A Query request to `service` (`iam` or `sts`, with its API version) signed with `key`, for
/// members the SDK does not have.
pub fn call_as(
    s: &crate::common::Server,
    service: &str,
    (key, secret): (&str, &str),
    params: &[(&str, &str)],
) -> RawResponse {
    let version = if service == "sts" {
        "2011-06-15"
    } else {
        "2010-05-08"
    };
    let mut body = format!("Version={version}");
    for (k, v) in params {
        body.push_str(&format!("&{k}={}", percent_encode(v)));
    }
    let signing = Signing {
        key,
        secret,
        ..Signing::root(service)
    };
    send(&s.addr, &signed_post(&s.addr, body.as_bytes(), &signing))
}

/// A Query request to IAM signed by the root user of `s`.
pub fn root_call(s: &crate::common::Server, params: &[(&str, &str)]) -> RawResponse {
    call_as(
        s,
        "iam",
        (super::common::DEV_KEY, super::common::DEV_SECRET),
        params,
    )
}

pub fn assert_error(r: &RawResponse, status: u16, code: &str) {
    assert_eq!((r.status, r.code()), (status, code), "{}", r.body);
}
