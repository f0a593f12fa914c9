//! Bad input: every malformed, mis-signed or oversized request gets the right AWS error, never
//! a 5xx, and the server keeps serving.

use crate::common::{DEV_KEY, Server};
use crate::raw::{
    RawResponse, Signing, percent_encode, presigned_get, send, send_half_closed, signed_post,
};
use chrono::{TimeDelta, Utc};

fn post(s: &Server, body: &str) -> RawResponse {
    send(
        &s.addr,
        &signed_post(&s.addr, body.as_bytes(), &Signing::root("iam")),
    )
}

fn assert_error(r: &RawResponse, status: u16, code: &str) {
    assert_eq!((r.status, r.code()), (status, code), "{r:?}");
    assert!(
        r.body.starts_with("<ErrorResponse xmlns=\"https://"),
        "{}",
        r.body
    );
    assert!(r.body.contains("<RequestId>"), "{}", r.body);
    assert!(
        r.headers.to_ascii_lowercase().contains("x-amzn-requestid:"),
        "{}",
        r.headers
    );
    assert!(
        r.headers
            .to_ascii_lowercase()
            .contains("content-type: text/xml"),
        "{}",
        r.headers
    );
}

#[test]
fn protocol_errors() {
    let s = Server::dev();
    let ok = post(&s, "Action=ListUsers&Version=2010-05-08");
    assert_eq!(ok.status, 200, "{ok:?}");
    assert!(ok.body.starts_with("<ListUsersResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><ListUsersResult><Users/><IsTruncated>false</IsTruncated></ListUsersResult><ResponseMetadata><RequestId>"), "{}", ok.body);

    assert_error(
        &post(&s, "Action=NoSuchThing&Version=2010-05-08"),
        400,
        "InvalidAction",
    );
    assert_error(&post(&s, "Version=2010-05-08"), 400, "MissingAction");
    assert_error(&post(&s, "\x00\x01garbage=&&=="), 400, "MissingAction");
    assert_error(
        &post(&s, "Action=CreateUser&Version=2010-05-08"),
        400,
        "ValidationError",
    );
    assert_error(
        &post(
            &s,
            &format!(
                "Action=CreateUser&Version=2010-05-08&UserName={}",
                "x".repeat(200)
            ),
        ),
        400,
        "ValidationError",
    );
    assert_error(
        &post(&s, "Action=CreateUser&Version=2010-05-08&UserName=%FF%FE"),
        404,
        "MalformedQueryString",
    );
    assert_error(
        &post(&s, "Action=ListUsers&Version=2010-05-08&MaxItems=lots"),
        400,
        "InvalidParameterValue",
    );
    // The STS namespace for STS errors.
    let r = send(
        &s.addr,
        &signed_post(
            &s.addr,
            b"Action=AssumeRoot&Version=2011-06-15",
            &Signing::root("sts"),
        ),
    );
    assert!(
        r.body.contains("https://sts.amazonaws.com/doc/2011-06-15/"),
        "{}",
        r.body
    );
    still_serving(&s);
}

#[test]
fn authentication_errors() {
    let s = Server::dev();
    let unsigned = format!(
        "POST / HTTP/1.1\r\nhost: {}\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 35\r\nconnection: close\r\n\r\nAction=ListUsers&Version=2010-05-08",
        s.addr
    );
    assert_error(
        &send(&s.addr, unsigned.as_bytes()),
        403,
        "MissingAuthenticationToken",
    );

    let body = b"Action=ListUsers&Version=2010-05-08";
    let sign = |f: &dyn Fn(&mut Signing<'_>)| {
        let mut sg = Signing::root("iam");
        f(&mut sg);
        send(&s.addr, &signed_post(&s.addr, body, &sg))
    };
    assert_error(
        &sign(&|g| g.secret = "wrong-secret-wrong-secret-wrong-secret-00"),
        403,
        "SignatureDoesNotMatch",
    );
    assert_error(
        &sign(&|g| g.key = "AKIAUNKNOWNUNKNOWN00"),
        403,
        "InvalidClientTokenId",
    );
    let late = sign(&|g| g.time = Utc::now() - TimeDelta::minutes(20));
    assert_error(&late, 403, "SignatureDoesNotMatch");
    assert!(late.body.contains("Signature expired: "), "{}", late.body);
    let early = sign(&|g| g.time = Utc::now() + TimeDelta::minutes(20));
    assert_error(&early, 403, "SignatureDoesNotMatch");
    assert!(
        early.body.contains("Signature not yet current: "),
        "{}",
        early.body
    );
    sign(&|g| g.time = Utc::now() - TimeDelta::minutes(14))
        .status
        .eq(&200)
        .then_some(())
        .expect("within the window");
    assert_error(&sign(&|g| g.service = "s3"), 403, "SignatureDoesNotMatch");
    assert_eq!(
        sign(&|g| g.region = "ap-southeast-2").status,
        200,
        "any signing region is accepted"
    );
    assert_error(
        &sign(&|g| g.extra_headers = &[("x-amz-security-token", "bogus")]),
        403,
        "InvalidClientTokenId",
    );

    // Tampering after signing.
    let mut tampered = signed_post(&s.addr, body, &Signing::root("iam"));
    let n = tampered.len();
    tampered[n - 1] = b'9';
    assert_error(&send(&s.addr, &tampered), 403, "SignatureDoesNotMatch");

    // Malformed Authorization headers.
    for header in [
        "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20250101/us-east-1/iam/aws4_request"
            .to_string(),
        "AWS4-HMAC-SHA256 SignedHeaders=host, Signature=00".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={DEV_KEY}/2025/us-east-1/iam, SignedHeaders=host, Signature={}",
            "0".repeat(64)
        ),
        "Basic Zm9vOmJhcg==".to_string(),
        format!(
            "AWS4-HMAC-SHA256 Credential={DEV_KEY}/20250101/us-east-1/iam/aws4_request, SignedHeaders=x-amz-date, Signature={}",
            "0".repeat(64)
        ),
    ] {
        let req = format!(
            "POST / HTTP/1.1\r\nhost: {}\r\nx-amz-date: 20250101T000000Z\r\nauthorization: {header}\r\ncontent-length: 35\r\nconnection: close\r\n\r\nAction=ListUsers&Version=2010-05-08",
            s.addr
        );
        assert_error(&send(&s.addr, req.as_bytes()), 400, "IncompleteSignature");
    }
    still_serving(&s);
}

#[test]
fn presigned_get_caller_identity() {
    let s = Server::dev();
    let pairs = [("Action", "GetCallerIdentity"), ("Version", "2011-06-15")];
    let r = send(
        &s.addr,
        &presigned_get(&s.addr, &pairs, &Signing::root("sts"), 60),
    );
    assert_eq!(r.status, 200, "{r:?}");
    assert!(
        r.body.contains("<Arn>arn:aws:iam::123456789012:root</Arn>"),
        "{}",
        r.body
    );
    let mut old = Signing::root("sts");
    old.time = Utc::now() - TimeDelta::minutes(5);
    let r = send(&s.addr, &presigned_get(&s.addr, &pairs, &old, 60));
    assert_error(&r, 400, "RequestExpired");
    let mut wrong = Signing::root("sts");
    wrong.secret = "nope";
    assert_error(
        &send(&s.addr, &presigned_get(&s.addr, &pairs, &wrong, 60)),
        403,
        "SignatureDoesNotMatch",
    );
    assert_eq!(percent_encode("a/b c"), "a%2Fb%20c");
}

#[test]
fn oversized_truncated_and_odd_bodies() {
    let s = Server::dev();
    let big = format!(
        "Action=CreateUser&Version=2010-05-08&UserName=a&Pad={}",
        "x".repeat(5 * 1024 * 1024)
    );
    let r = send(
        &s.addr,
        &signed_post(&s.addr, big.as_bytes(), &Signing::root("iam")),
    );
    assert_error(&r, 413, "RequestEntityTooLarge");
    // Content-Length promises more than arrives: the connection closes early.
    let trunc = format!(
        "POST / HTTP/1.1\r\nhost: {}\r\ncontent-length: 100\r\nconnection: close\r\n\r\nAction=List",
        s.addr
    );
    let r = send_half_closed(&s.addr, trunc.as_bytes());
    assert!(r.status == 0 || (400..500).contains(&r.status), "{r:?}");
    // Not HTTP at all.
    let r = send_half_closed(&s.addr, b"\x16\x03\x01\x00garbage\r\n\r\n");
    assert!(r.status == 0 || (400..500).contains(&r.status), "{r:?}");
    // Unsupported method.
    let r = send(
        &s.addr,
        format!(
            "DELETE / HTTP/1.1\r\nhost: {}\r\nconnection: close\r\n\r\n",
            s.addr
        )
        .as_bytes(),
    );
    assert!((400..500).contains(&r.status), "{r:?}");
    still_serving(&s);
    assert!(!s.log.lock().unwrap().contains("panicked"));
}

fn still_serving(s: &Server) {
    let r = send(
        &s.addr,
        &signed_post(
            &s.addr,
            b"Action=GetCallerIdentity&Version=2011-06-15",
            &Signing::root("sts"),
        ),
    );
    assert_eq!(r.status, 200, "{r:?}");
}

/// Random single-byte corruptions of a valid signed request: every answer is a 4xx AWS error
/// (or a closed connection for broken HTTP framing), never a 5xx, and the server keeps serving.
#[test]
fn corrupted_requests_never_cause_5xx() {
    let s = Server::dev();
    let base = signed_post(
        &s.addr,
        b"Action=CreateUser&Version=2010-05-08&UserName=fuzz&Path=%2Fa%2F",
        &Signing::root("iam"),
    );
    // A small deterministic generator (xorshift), so a failure can be replayed.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    };
    let mut statuses = std::collections::BTreeMap::new();
    for _ in 0..300 {
        let mut req = base.clone();
        let i = (next() % req.len() as u64) as usize;
        req[i] = (next() % 256) as u8;
        let r = send_half_closed(&s.addr, &req);
        assert!(r.status < 500, "5xx for a corruption at byte {i}: {r:?}");
        if r.status >= 400 {
            assert!(r.body.is_empty() || r.body.contains("<Code>"), "{r:?}");
        }
        *statuses.entry(r.status).or_insert(0) += 1;
    }
    assert!(
        statuses.keys().any(|&st| st == 403),
        "most corruptions break the signature: {statuses:?}"
    );
    still_serving(&s);
}
