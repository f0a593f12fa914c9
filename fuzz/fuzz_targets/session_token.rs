//! Opens arbitrary text as an STS session token (and as a sealed
//! authorization message) with a fixed keyring, as the server does for every
//! request that carries `X-Amz-Security-Token`. Nothing here may panic.
//!
//! The first input byte picks a mode:
//! - even: the rest of the input, as text, is opened directly;
//! - odd: a session built from the input is sealed with the keyring, the
//!   token's bytes are then changed by the rest of the input (XOR at
//!   positions, a truncation, appended bytes) and re-encoded; the changed token
//!   must open only when its bytes are unchanged, and then to the same session.
#![no_main]

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use libfuzzer_sys::fuzz_target;
use portcullis_core::session::{Keyring, Session, SessionPrincipal};
use std::sync::OnceLock;

/// Two keys: tokens sealed under either open (the server keeps retired keys).
const KEYRING: &str = "\
portcullis-sts-key v1 2 2024-06-01T00:00:00Z AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
portcullis-sts-key v1 1 2024-01-01T00:00:00Z ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=
";

fn ring() -> &'static Keyring {
    static RING: OnceLock<Keyring> = OnceLock::new();
    RING.get_or_init(|| Keyring::parse(KEYRING).unwrap_or_else(|e| panic!("fixed keyring: {e}")))
}

fn open_any(text: &str) {
    let ring = ring();
    if let Ok((session, secret)) = ring.open(text) {
        // What the server reads next from an opened session.
        let _ = (
            session.issued_at(),
            session.expires_at(),
            session.has_session_policy(),
        );
        assert_eq!(secret.expose().len(), 40);
    }
    let _ = ring.open_message(text);
}

fn session_from(data: &[u8]) -> Session {
    let word = |i: usize| {
        String::from_utf8_lossy(data.get(i..(i + 8).min(data.len())).unwrap_or_default())
            .into_owned()
    };
    let n = |i: usize| data.get(i).copied().unwrap_or(0);
    Session {
        principal: match n(0) % 4 {
            0 => SessionPrincipal::Role {
                id: "AROAEXAMPLE".into(),
                name: word(1),
                path: "/".into(),
                session: word(9),
            },
            1 => SessionPrincipal::User { id: word(1) },
            2 => SessionPrincipal::Root,
            _ => SessionPrincipal::Federated {
                name: word(1),
                issuer: (n(2) & 1 == 1).then(|| word(9)),
            },
        },
        account: "123456789012".into(),
        access_key_id: format!("ASIA{}", word(17)),
        issued: 1_700_000_000,
        expires: 1_700_000_000 + i64::from(n(3)) * 60,
        policy: (n(4) & 1 == 1).then(|| word(25)),
        policy_arns: vec![],
        tags: vec![(word(33), word(41))],
        transitive_tag_keys: vec![],
        source_identity: None,
        mfa_at: (n(5) & 1 == 1).then_some(1_700_000_000),
        chained: n(6) & 1 == 1,
        federated_provider: None,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 1 == 0 {
        open_any(&String::from_utf8_lossy(rest));
        return;
    }
    // Sealed, then changed: the first 48 bytes shape the session, the rest
    // are edits of (position, xor) pairs, a 0 position byte ends them and the
    // byte after it chooses a truncation (0: none).
    let (shape, edits) = rest.split_at(rest.len().min(48));
    let session = session_from(shape);
    let ring = ring();
    let (token, _) = ring.seal(&session);
    let original = STANDARD.decode(&token).unwrap_or_default();
    let mut bytes = original.clone();
    let mut it = edits.chunks(2);
    for pair in it.by_ref() {
        match pair {
            [0, cut] => {
                if *cut != 0 && !bytes.is_empty() {
                    bytes.truncate(usize::from(*cut) % bytes.len());
                }
                break;
            }
            [at, x] => {
                let at = usize::from(*at) - 1;
                if at < bytes.len() {
                    bytes[at] ^= x;
                } else {
                    bytes.push(*x);
                }
            }
            _ => {}
        }
    }
    let changed = STANDARD.encode(&bytes);
    match ring.open(&changed) {
        Ok((opened, _)) => {
            assert_eq!(bytes, original, "a changed token opened");
            assert_eq!(opened, session);
        }
        Err(_) => assert_ne!(bytes, original, "an unchanged token did not open"),
    }
    // A session token never opens as a sealed message, changed or not.
    assert!(
        ring.open_message(&changed).is_err(),
        "a token opened as a message"
    );
    open_any(&changed);
});
