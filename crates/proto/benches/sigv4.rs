//! SigV4 verification with a cached signing key: the per-request cost of authentication.
#![allow(
    clippy::panic,
    reason = "benchmark setup: a broken fixture should stop the run"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portcullis_proto::sigv4::{self, SignedRequest};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let secret = b"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    let key = sigv4::signing_key(secret, "20150830", "us-east-1", "iam");
    let body = b"Action=GetUser&UserName=alice&Version=2010-05-08";
    let hash = sigv4::payload_hash(body);
    let headers: Vec<(&str, &str)> = vec![
        (
            "content-type",
            "application/x-www-form-urlencoded; charset=utf-8",
        ),
        ("host", "127.0.0.1:8080"),
        ("user-agent", "aws-sdk-rust/1.0 os/linux lang/rust/1.95"),
        ("x-amz-date", "20150830T123600Z"),
        ("content-length", "48"),
    ];
    let unsigned = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=";
    let probe_header = format!("{unsigned}{}", "0".repeat(64));
    let probe = sigv4::parse_authorization_header(&probe_header, Some("20150830T123600Z"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    let req = SignedRequest {
        method: "POST",
        path: "/",
        query: "",
        headers: &headers,
        payload_hash: &hash,
    };
    let sig = hex::encode(sigv4::expected_signature(&req, &probe, &key));
    let header = format!("{unsigned}{sig}");

    let mut g = c.benchmark_group("sigv4");
    g.throughput(Throughput::Elements(1));
    g.bench_function("parse+hash body+verify (cached signing key)", |b| {
        b.iter(|| {
            let auth = sigv4::parse_authorization_header(
                black_box(&header),
                Some("20150830T123600Z"),
                None,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let hash = sigv4::payload_hash(black_box(body));
            let req = SignedRequest {
                method: "POST",
                path: "/",
                query: "",
                headers: &headers,
                payload_hash: &hash,
            };
            assert!(sigv4::verify(&req, &auth, &key));
        })
    });
    g.bench_function("parse header only", |b| {
        b.iter(|| {
            sigv4::parse_authorization_header(black_box(&header), Some("20150830T123600Z"), None)
                .is_ok()
        })
    });
    let parsed = sigv4::parse_authorization_header(&header, Some("20150830T123600Z"), None)
        .unwrap_or_else(|e| panic!("{e}"));
    g.bench_function("verify only (parsed, body hashed)", |b| {
        let req = SignedRequest {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            payload_hash: &hash,
        };
        b.iter(|| sigv4::verify(black_box(&req), &parsed, &key))
    });
    g.bench_function("signing key derivation (cache miss)", |b| {
        b.iter(|| sigv4::signing_key(black_box(secret), "20150830", "us-east-1", "iam"))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
