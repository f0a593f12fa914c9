//! Feeds arbitrary text to the SigV4 parsers: the `Authorization` header form
//! (with arbitrary `X-Amz-Date` / `Date` headers) and the presigned query form
//! (decoded by `Params`, as the server does), then computes the expected
//! signature, checks the clock, and verifies for whatever parses. Nothing here
//! may panic, and a request signed with the computed signature verifies.
//!
//! Input layout: segments separated by 0xFF bytes — the Authorization value,
//! X-Amz-Date, Date, method, path, query string, then header name/value pairs.
#![no_main]

use chrono::{DateTime, TimeDelta};
use libfuzzer_sys::fuzz_target;
use portcullis_proto::Params;
use portcullis_proto::sigv4::{
    Authorization, SignedRequest, canonical_request, check_time, expected_signature,
    parse_authorization_header, parse_presigned, payload_hash, signing_key, verify,
};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn exercise(auth: &Authorization<'_>, req: &SignedRequest<'_>) {
    let key = signing_key(
        b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        auth.credential.date,
        auth.credential.region,
        auth.credential.service,
    );
    let _ = auth.credential.scope();
    let sig = expected_signature(req, auth, &key);
    let _ = canonical_request(req, auth);
    // verify() is the constant-time comparison of the same value.
    assert_eq!(verify(req, auth, &key), sig == auth.signature);
    // A signature made with the computed value verifies.
    let mut signed = auth.clone();
    signed.signature = sig;
    assert!(verify(req, &signed, &key));
    // The server passes its own clock; any date in this century will do.
    for secs in [1_700_000_000, 4_000_000_000] {
        let now = DateTime::from_timestamp(secs, 0).unwrap_or_default();
        let _ = check_time(auth, now, TimeDelta::minutes(15));
    }
}

fuzz_target!(|data: &[u8]| {
    let mut seg = data.split(|b| *b == 0xff);
    let authorization = text(seg.next().unwrap_or_default());
    // An empty date segment is an absent header.
    let amz_date = seg.next().filter(|s| !s.is_empty()).map(text);
    let http_date = seg.next().filter(|s| !s.is_empty()).map(text);
    let method = text(seg.next().unwrap_or(b"POST"));
    let path = text(seg.next().unwrap_or(b"/"));
    let query = text(seg.next().unwrap_or_default());
    let mut owned: Vec<(String, String)> = Vec::new();
    while let (Some(k), Some(v)) = (seg.next(), seg.next()) {
        owned.push((text(k).to_ascii_lowercase(), text(v)));
    }
    let headers: Vec<(&str, &str)> = owned
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let body_hash = payload_hash(query.as_bytes());
    let req = SignedRequest {
        method: &method,
        path: &path,
        query: &query,
        headers: &headers,
        payload_hash: body_hash.as_str(),
    };

    if let Ok(auth) =
        parse_authorization_header(&authorization, amz_date.as_deref(), http_date.as_deref())
    {
        assert!(!auth.presigned);
        exercise(&auth, &req);
    }

    // The presigned form, from the query string as the server decodes it, and
    // from the raw Authorization segment read as a query string too.
    for source in [query.as_bytes(), authorization.as_bytes()] {
        if let Ok(params) = Params::parse(source)
            && let Ok(auth) = parse_presigned(|name| params.get(name))
        {
            assert!(auth.presigned);
            exercise(&auth, &req);
        }
    }
});
