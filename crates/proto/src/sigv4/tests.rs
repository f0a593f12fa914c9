//! SigV4 tests: AWS's published example vectors, header and presigned parsing, the time
//! window and canonicalisation edge cases.

use super::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn at(s: &str) -> DateTime<Utc> {
    parse_amz_date(s).unwrap()
}

/// Spec §8.4 (a): a signed IAM ListUsers POST.
fn vector_a() -> (Authorization<'static>, HexDigest) {
    let body = "Action=ListUsers&Version=2010-05-08";
    let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d76d0de3e0ffe5a7a23cfce21b99d6f4e5060aad86bd9dc7c617f224e5b492a";
    (
        parse_authorization_header(header, Some("20150830T123600Z"), None).unwrap(),
        payload_hash(body.as_bytes()),
    )
}

const HEADERS_A: &[(&str, &str)] = &[
    (
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8",
    ),
    ("host", "iam.amazonaws.com"),
    ("x-amz-date", "20150830T123600Z"),
    ("user-agent", "not signed"),
];

#[test]
fn vector_a_canonical_request_and_signature() {
    let (auth, hash) = vector_a();
    assert_eq!(
        hash,
        "b6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2"
    );
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: HEADERS_A,
        payload_hash: &hash,
    };
    assert_eq!(
        canonical_request(&req, &auth),
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\nb6359072c78d70ebee1e81adcbab4f01bf2c23245fa365ef83fe8f1f955085e2"
    );
    assert_eq!(
        hex::encode(Sha256::digest(canonical_request(&req, &auth))),
        "b9ae437b48385ce1aea147c5febf7c0cc705d1f8c7ce1ef0db4cd33a3439eb8c"
    );
    let key = signing_key(SECRET.as_bytes(), "20150830", "us-east-1", "iam");
    assert!(verify(&req, &auth, &key));
    assert_eq!(
        hex::encode(expected_signature(&req, &auth, &key)),
        "5d76d0de3e0ffe5a7a23cfce21b99d6f4e5060aad86bd9dc7c617f224e5b492a"
    );
}

#[test]
fn vector_a_rejects_any_change() {
    let (auth, hash) = vector_a();
    let key = signing_key(SECRET.as_bytes(), "20150830", "us-east-1", "iam");
    let other_body = payload_hash(b"Action=ListUsers&Version=2010-05-09");
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: HEADERS_A,
        payload_hash: &other_body,
    };
    assert!(!verify(&req, &auth, &key));
    let req = SignedRequest {
        method: "GET",
        path: "/",
        query: "",
        headers: HEADERS_A,
        payload_hash: &hash,
    };
    assert!(!verify(&req, &auth, &key));
    let wrong = signing_key(
        b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz",
        "20150830",
        "us-east-1",
        "iam",
    );
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: HEADERS_A,
        payload_hash: &hash,
    };
    assert!(!verify(&req, &auth, &wrong));
    let other_host: &[(&str, &str)] = &[HEADERS_A[0], ("host", "evil.example"), HEADERS_A[2]];
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: other_host,
        payload_hash: &hash,
    };
    assert!(!verify(&req, &auth, &key));
}

/// Spec §8.4 (b): a presigned STS GetCallerIdentity URL.
#[test]
fn vector_b_presigned() {
    let query = "Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=1d10ef2bc2bb1b02201752f1912e9eb7a5df0d0d7bd2cc98b1f5557b7a9254be";
    let params = crate::query::Params::parse(query.as_bytes()).unwrap();
    let auth = parse_presigned(|k| params.get(k)).unwrap();
    assert_eq!(auth.expires, Some(60));
    let headers: &[(&str, &str)] = &[("host", "sts.amazonaws.com")];
    let req = SignedRequest {
        method: "GET",
        path: "/",
        query,
        headers,
        payload_hash: EMPTY_SHA256,
    };
    let key = signing_key(SECRET.as_bytes(), "20150830", "us-east-1", "sts");
    assert!(
        verify(&req, &auth, &key),
        "{}",
        canonical_request(&req, &auth)
    );
    assert!(check_time(&auth, at("20150830T123630Z"), TimeDelta::minutes(15)).is_ok());
    let late = check_time(&auth, at("20150830T123701Z"), TimeDelta::minutes(15)).unwrap_err();
    assert_eq!(late.code, "RequestExpired");
}

#[test]
fn time_window_messages() {
    let (auth, _) = vector_a();
    let skew = TimeDelta::minutes(15);
    assert!(check_time(&auth, at("20150830T125059Z"), skew).is_ok());
    let e = check_time(&auth, at("20150830T125101Z"), skew).unwrap_err();
    assert_eq!(e.code, "SignatureDoesNotMatch");
    assert_eq!(
        e.message,
        "Signature expired: 20150830T123600Z is now earlier than 20150830T123601Z (20150830T125101Z - 15 min.)"
    );
    let e = check_time(&auth, at("20150830T122059Z"), skew).unwrap_err();
    assert_eq!(
        e.message,
        "Signature not yet current: 20150830T123600Z is still later than 20150830T123559Z (20150830T122059Z + 15 min.)"
    );
}

#[test]
fn malformed_headers_are_incomplete_signatures() {
    let e = parse_authorization_header(
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request",
        Some("20150830T123600Z"),
        None,
    )
    .unwrap_err();
    assert_eq!(e.code, "IncompleteSignature");
    assert!(e.message.contains("requires 'Signature' parameter"));
    assert!(e.message.contains("requires 'SignedHeaders' parameter"));
    let e = parse_authorization_header(
        "AWS4-HMAC-SHA256 Credential=AKID/2015/us-east-1/iam, SignedHeaders=host, Signature=00",
        Some("20150830T123600Z"),
        None,
    )
    .unwrap_err();
    assert_eq!(e.code, "IncompleteSignature");
    let e = parse_authorization_header("AWS AKID:sig", None, None).unwrap_err();
    assert_eq!(e.code, "IncompleteSignature");
    let sig = "0".repeat(64);
    let e = parse_authorization_header(&format!("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, Signature={sig}"), Some("20150830T123600Z"), None).unwrap_err();
    assert_eq!(e.code, "IncompleteSignature");
    let e = parse_authorization_header(&format!("AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature={sig}"), None, None).unwrap_err();
    assert_eq!(e.code, "IncompleteSignature");
    let header = format!(
        "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, SignedHeaders=host, Signature={sig}"
    );
    let ok =
        parse_authorization_header(&header, None, Some("Sun, 30 Aug 2015 12:36:00 GMT")).unwrap();
    assert_eq!(ok.amz_date, "20150830T123600Z");
}

#[test]
fn scope_date_must_match_request_date() {
    let sig = "0".repeat(64);
    let header = format!(
        "AWS4-HMAC-SHA256 Credential=AKID/20150831/us-east-1/iam/aws4_request, SignedHeaders=host, Signature={sig}"
    );
    let auth = parse_authorization_header(&header, Some("20150830T123600Z"), None).unwrap();
    let e = check_time(&auth, at("20150830T123600Z"), TimeDelta::minutes(15)).unwrap_err();
    assert_eq!(e.code, "SignatureDoesNotMatch");
}
