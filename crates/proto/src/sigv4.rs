//! AWS Signature Version 4 verification as pure functions: parse the `Authorization` header or
//! the presigned query form, build the canonical request, derive the signing key and compare
//! signatures in constant time. The caller supplies the secret (or a cached signing key).

use crate::error::{AwsError, ErrorCode};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use subtle::ConstantTimeEq;

pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// SHA-256 of the empty string.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// SigV4's "unreserved" set: everything but `A-Za-z0-9-_.~` is percent-encoded.
const SIGV4_ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The credential scope `AKID/yyyymmdd/region/service/aws4_request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential<'a> {
    pub access_key_id: &'a str,
    pub date: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

impl<'a> Credential<'a> {
    fn parse(s: &'a str) -> Result<Self, AwsError> {
        let mut it = s.split('/');
        match (
            it.next(),
            it.next(),
            it.next(),
            it.next(),
            it.next(),
            it.next(),
        ) {
            (Some(akid), Some(date), Some(region), Some(service), Some("aws4_request"), None)
                if !akid.is_empty()
                    && date.len() == 8
                    && date.bytes().all(|b| b.is_ascii_digit()) =>
            {
                Ok(Credential {
                    access_key_id: akid,
                    date,
                    region,
                    service,
                })
            }
            _ => Err(AwsError::incomplete_signature(format!(
                "Credential should be scoped to a valid region, service and terminated with 'aws4_request'. Credential={s}"
            ))),
        }
    }

    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/aws4_request",
            self.date, self.region, self.service
        )
    }
}

/// The signature parts of one request, from either form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization<'a> {
    pub credential: Credential<'a>,
    /// Lowercase header names, in the order given.
    pub signed_headers: Vec<Cow<'a, str>>,
    pub signature: [u8; 32],
    /// `X-Amz-Date` as given (basic ISO 8601), and parsed.
    pub amz_date: Cow<'a, str>,
    pub timestamp: DateTime<Utc>,
    /// Presigned URLs only: `X-Amz-Expires`.
    pub expires: Option<i64>,
    pub presigned: bool,
}

/// `yyyymmddThhmmssZ`, parsed by hand: it is on every request and fixed-width.
fn parse_amz_date(s: &str) -> Option<DateTime<Utc>> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |acc, &d| {
            d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
        })
    };
    let date = NaiveDate::from_ymd_opt(i32::try_from(num(0..4)?).ok()?, num(4..6)?, num(6..8)?)?;
    Some(
        date.and_hms_opt(num(9..11)?, num(11..13)?, num(13..15)?)?
            .and_utc(),
    )
}

/// HTTP `Date` header (RFC 1123) to the basic ISO 8601 form SigV4 signs.
fn http_date_to_amz(s: &str) -> Option<(String, DateTime<Utc>)> {
    let t = DateTime::parse_from_rfc2822(s).ok()?.with_timezone(&Utc);
    Some((t.format("%Y%m%dT%H%M%SZ").to_string(), t))
}

fn decode_signature(sig: &str) -> Result<[u8; 32], AwsError> {
    let mut out = [0u8; 32];
    if sig.len() != 64 || hex::decode_to_slice(sig, &mut out).is_err() {
        return Err(AwsError::signature_mismatch());
    }
    Ok(out)
}

fn parse_signed_headers(s: &str) -> Vec<Cow<'_, str>> {
    s.split(';')
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .map(|h| {
            if h.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(h.to_ascii_lowercase())
            } else {
                Cow::Borrowed(h)
            }
        })
        .collect()
}

fn require_host(signed: &[Cow<'_, str>]) -> Result<(), AwsError> {
    if signed.iter().any(|h| h == "host" || h == ":authority") {
        Ok(())
    } else {
        Err(AwsError::incomplete_signature(
            "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
        ))
    }
}

/// Parses `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`.
/// `amz_date` is the `X-Amz-Date` header, `http_date` the `Date` header.
pub fn parse_authorization_header<'a>(
    value: &'a str,
    amz_date: Option<&'a str>,
    http_date: Option<&str>,
) -> Result<Authorization<'a>, AwsError> {
    let value = value.trim();
    let (algorithm, rest) = value.split_once(' ').unwrap_or((value, ""));
    if algorithm != ALGORITHM {
        return Err(AwsError::incomplete_signature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let (mut credential, mut signed, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let part = part.trim();
        if let Some((k, v)) = part.split_once('=') {
            match k.trim() {
                "Credential" => credential = Some(v.trim()),
                "SignedHeaders" => signed = Some(v.trim()),
                "Signature" => signature = Some(v.trim()),
                _ => {}
            }
        }
    }
    let mut missing = String::new();
    for (name, v) in [
        ("Credential", credential),
        ("Signature", signature),
        ("SignedHeaders", signed),
    ] {
        if v.is_none() {
            missing.push_str(&format!(
                "Authorization header requires '{name}' parameter. "
            ));
        }
    }
    let (Some(credential), Some(signed), Some(signature)) = (credential, signed, signature) else {
        return Err(AwsError::incomplete_signature(format!(
            "{missing}Authorization={algorithm}"
        )));
    };
    let credential = Credential::parse(credential)?;
    let signed_headers = parse_signed_headers(signed);
    require_host(&signed_headers)?;
    let (amz_date, timestamp) = match (amz_date, http_date) {
        (Some(d), _) => {
            let t = parse_amz_date(d.trim()).ok_or_else(|| {
                AwsError::incomplete_signature(format!(
                    "Date must be in ISO-8601 'basic format'. Got '{d}'."
                ))
            })?;
            (Cow::Borrowed(d.trim()), t)
        }
        (None, Some(d)) => {
            let (text, t) = http_date_to_amz(d).ok_or_else(|| {
                AwsError::incomplete_signature(format!("Invalid date header: '{d}'."))
            })?;
            (Cow::Owned(text), t)
        }
        (None, None) => {
            return Err(AwsError::incomplete_signature(
                "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
            ));
        }
    };
    let signature = decode_signature(signature)?;
    Ok(Authorization {
        credential,
        signed_headers,
        signature,
        amz_date,
        timestamp,
        expires: None,
        presigned: false,
    })
}

/// Parses the presigned form from decoded query parameters (looked up by `get`).
pub fn parse_presigned<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
) -> Result<Authorization<'a>, AwsError> {
    let algorithm = get("X-Amz-Algorithm").unwrap_or("");
    if algorithm != ALGORITHM {
        return Err(AwsError::incomplete_signature(format!(
            "Unsupported AWS 'algorithm': '{algorithm}'"
        )));
    }
    let mut missing = Vec::new();
    for name in [
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    ] {
        if get(name).is_none() {
            missing.push(name);
        }
    }
    if !missing.is_empty() {
        return Err(AwsError::incomplete_signature(format!(
            "AWS query-string parameters missing: {}",
            missing.join(", ")
        )));
    }
    let credential = Credential::parse(get("X-Amz-Credential").unwrap_or(""))?;
    let signed_headers = parse_signed_headers(get("X-Amz-SignedHeaders").unwrap_or(""));
    require_host(&signed_headers)?;
    let amz_date = Cow::Borrowed(get("X-Amz-Date").unwrap_or(""));
    let timestamp = parse_amz_date(&amz_date).ok_or_else(|| {
        AwsError::incomplete_signature(format!(
            "Date must be in ISO-8601 'basic format'. Got '{amz_date}'."
        ))
    })?;
    let expires = match get("X-Amz-Expires") {
        None => None,
        Some(e) => match e.parse::<i64>() {
            Ok(n) if (1..=604_800).contains(&n) => Some(n),
            _ => {
                return Err(AwsError::incomplete_signature(format!(
                    "X-Amz-Expires must be a number of seconds between 1 and 604800. Got '{e}'."
                )));
            }
        },
    };
    let signature = decode_signature(get("X-Amz-Signature").unwrap_or(""))?;
    Ok(Authorization {
        credential,
        signed_headers,
        signature,
        amz_date,
        timestamp,
        expires,
        presigned: true,
    })
}

fn fmt_amz(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Checks the request time against `now` and the allowed skew, with AWS's messages; for presigned
/// requests also the `X-Amz-Expires` lifetime.
pub fn check_time(
    auth: &Authorization<'_>,
    now: DateTime<Utc>,
    skew: TimeDelta,
) -> Result<(), AwsError> {
    if auth.credential.date != auth.amz_date.get(..8).unwrap_or("") {
        return Err(AwsError::signature_does_not_match(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{}'.",
            auth.credential.date,
            auth.amz_date.get(..8).unwrap_or(""),
            auth.amz_date
        )));
    }
    let minutes = skew.num_minutes();
    if auth.timestamp > now + skew {
        return Err(AwsError::signature_does_not_match(format!(
            "Signature not yet current: {} is still later than {} ({} + {minutes} min.)",
            auth.amz_date,
            fmt_amz(now + skew),
            fmt_amz(now)
        )));
    }
    if let Some(expires) = auth.expires {
        if now > auth.timestamp + TimeDelta::seconds(expires) {
            return Err(AwsError::coded(
                ErrorCode::RequestExpired,
                "Request has expired.",
            ));
        }
    } else if auth.timestamp < now - skew {
        return Err(AwsError::signature_does_not_match(format!(
            "Signature expired: {} is now earlier than {} ({} - {minutes} min.)",
            auth.amz_date,
            fmt_amz(now - skew),
            fmt_amz(now)
        )));
    }
    Ok(())
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// `kSigning` for a secret and scope; cache it per (key, date, region, service).
pub fn signing_key(secret: &[u8], date: &str, region: &str, service: &str) -> [u8; 32] {
    let mut k = Vec::with_capacity(secret.len() + 4);
    k.extend_from_slice(b"AWS4");
    k.extend_from_slice(secret);
    let k_date = hmac(&k, date.as_bytes());
    k.iter_mut().for_each(|b| *b = 0);
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// What SigV4 covers of an HTTP request.
#[derive(Debug)]
pub struct SignedRequest<'a> {
    pub method: &'a str,
    /// The raw (still percent-encoded) path.
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// All request headers with lowercase names, in arrival order.
    pub headers: &'a [(&'a str, &'a str)],
    /// Lowercase hex SHA-256 of the body.
    pub payload_hash: &'a str,
}

trait Sink {
    fn put(&mut self, bytes: &[u8]);
}
impl Sink for Sha256 {
    fn put(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}
impl Sink for Vec<u8> {
    fn put(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

fn put_encoded(sink: &mut impl Sink, s: &str) {
    for chunk in utf8_percent_encode(s, SIGV4_ENCODE) {
        sink.put(chunk.as_bytes());
    }
}

fn write_canonical(sink: &mut impl Sink, req: &SignedRequest<'_>, auth: &Authorization<'_>) {
    sink.put(req.method.as_bytes());
    sink.put(b"\n");
    // Canonical URI: each segment of the (once-encoded) path encoded again, as non-S3 services do.
    if req.path.is_empty() || req.path == "/" {
        sink.put(b"/");
    } else {
        for (i, seg) in req.path.split('/').enumerate() {
            if i > 0 {
                sink.put(b"/");
            }
            put_encoded(sink, seg);
        }
    }
    sink.put(b"\n");
    // Canonical query: decoded, re-encoded, sorted; the signature itself is excluded.
    let mut pairs: Vec<(String, String)> = req
        .query
        .split('&')
        .filter(|p| !p.is_empty())
        .filter_map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let k = percent_decode_str(k).decode_utf8_lossy();
            if auth.presigned && k == "X-Amz-Signature" {
                return None;
            }
            let v = percent_decode_str(v).decode_utf8_lossy();
            Some((
                utf8_percent_encode(&k, SIGV4_ENCODE).to_string(),
                utf8_percent_encode(&v, SIGV4_ENCODE).to_string(),
            ))
        })
        .collect();
    pairs.sort();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            sink.put(b"&");
        }
        sink.put(k.as_bytes());
        sink.put(b"=");
        sink.put(v.as_bytes());
    }
    sink.put(b"\n");
    let mut names: Vec<&str> = auth.signed_headers.iter().map(|h| h.as_ref()).collect();
    names.sort_unstable();
    names.dedup();
    for name in &names {
        sink.put(name.as_bytes());
        sink.put(b":");
        let mut first = true;
        for (_, value) in req.headers.iter().filter(|(n, _)| n == name) {
            if !first {
                sink.put(b",");
            }
            first = false;
            let mut space = false;
            for word in value.split(' ').filter(|w| !w.is_empty()) {
                if space {
                    sink.put(b" ");
                }
                sink.put(word.as_bytes());
                space = true;
            }
        }
        sink.put(b"\n");
    }
    sink.put(b"\n");
    for (i, name) in names.iter().enumerate() {
        if i > 0 {
            sink.put(b";");
        }
        sink.put(name.as_bytes());
    }
    sink.put(b"\n");
    sink.put(req.payload_hash.as_bytes());
}

/// The canonical request as text (for tests and debugging).
pub fn canonical_request(req: &SignedRequest<'_>, auth: &Authorization<'_>) -> String {
    let mut v = Vec::new();
    write_canonical(&mut v, req, auth);
    String::from_utf8_lossy(&v).into_owned()
}

/// The signature this request should carry under `signing_key`.
pub fn expected_signature(
    req: &SignedRequest<'_>,
    auth: &Authorization<'_>,
    signing_key: &[u8; 32],
) -> [u8; 32] {
    let mut h = Sha256::new();
    write_canonical(&mut h, req, auth);
    let creq_hash = h.finalize();
    let mut mac =
        <HmacSha256 as Mac>::new_from_slice(signing_key).unwrap_or_else(|_| unreachable!());
    mac.update(ALGORITHM.as_bytes());
    mac.update(b"\n");
    mac.update(auth.amz_date.as_bytes());
    mac.update(b"\n");
    let c = &auth.credential;
    for part in [c.date, "/", c.region, "/", c.service, "/aws4_request\n"] {
        mac.update(part.as_bytes());
    }
    let mut hex_buf = [0u8; 64];
    // 64 bytes hold the hex of 32 bytes exactly.
    let _ = hex::encode_to_slice(creq_hash, &mut hex_buf);
    mac.update(&hex_buf);
    mac.finalize().into_bytes().into()
}

/// Verifies the signature in constant time.
pub fn verify(req: &SignedRequest<'_>, auth: &Authorization<'_>, signing_key: &[u8; 32]) -> bool {
    expected_signature(req, auth, signing_key)
        .ct_eq(&auth.signature)
        .into()
}

/// Lowercase hex SHA-256 of a body.
pub fn payload_hash(body: &[u8]) -> HexDigest {
    let mut out = [0u8; 64];
    // 64 bytes hold the hex of 32 bytes exactly.
    let _ = hex::encode_to_slice(Sha256::digest(body), &mut out);
    HexDigest(out)
}

/// A SHA-256 digest as lowercase hex, on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct HexDigest([u8; 64]);

impl HexDigest {
    pub fn as_str(&self) -> &str {
        // Hex digits are ASCII.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}

impl PartialEq<&str> for HexDigest {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl std::ops::Deref for HexDigest {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for HexDigest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests;
