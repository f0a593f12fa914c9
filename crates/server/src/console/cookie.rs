//! The console session as a cookie: the session state serialized and sealed with AES-256-GCM
//! under the master key (so it can be neither read nor altered, and every node sharing the key
//! accepts it), `HttpOnly`, `SameSite=Strict`, `Secure` over TLS, scoped to `/console`. It
//! carries the CSRF token every form must echo. A second, short-lived cookie carries the CSRF
//! token of the sign-in form, before there is a session.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use portcullis_core::crypto::MasterKey;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

/// The session cookie's name.
pub const SESSION: &str = "portcullis-console";
/// The sign-in form's cookie.
pub const SIGNIN: &str = "portcullis-signin";
/// Associated data that binds a sealed value to its cookie.
const AAD_SESSION: &[u8] = b"portcullis console session v1";
const AAD_SIGNIN: &[u8] = b"portcullis console sign-in v1";

/// How far a sign-in has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// The password was right; an MFA code is due.
    Mfa,
    /// Signed in, but the password must be changed first.
    NewPassword,
    Ready,
}

/// A role the signed-in user switched to (the console's AssumeRole).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleHat {
    pub id: String,
    pub name: String,
    pub path: String,
    pub session_name: String,
    pub issued: i64,
    pub expires: i64,
}

/// The session state the cookie carries (times in Unix seconds).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionState {
    pub stage: Stage,
    pub account: String,
    /// The IAM user's id; `None` for the root user.
    pub user_id: Option<String>,
    pub user_name: String,
    /// Sign-in time (`aws:TokenIssueTime`).
    pub issued: i64,
    /// Sign-in time in milliseconds (a sign-out ends the sessions begun before it).
    pub issued_ms: i64,
    /// The hard end, bounded by MaxSigninSessionDuration.
    pub expires: i64,
    /// The last request, for the idle timeout.
    pub seen: i64,
    /// When MFA was verified at sign-in.
    pub mfa_at: Option<i64>,
    pub csrf: String,
    pub role: Option<RoleHat>,
}

/// The sign-in form's state.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SigninState {
    pub csrf: String,
    pub expires: i64,
}

/// A fresh random token (CSRF).
pub fn token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 24]>())
}

/// Whether the token a form sent is `expected` (constant time).
pub fn csrf_ok(sent: &str, expected: &str) -> bool {
    !expected.is_empty() && bool::from(sent.as_bytes().ct_eq(expected.as_bytes()))
}

fn seal<T: Serialize>(master: &MasterKey, value: &T, aad: &[u8]) -> String {
    let json = serde_json::to_vec(value).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(master.seal(&json, aad))
}

fn open<T: DeserializeOwned>(master: &MasterKey, text: &str, aad: &[u8]) -> Option<T> {
    let sealed = URL_SAFE_NO_PAD.decode(text).ok()?;
    let plain = master.open(&sealed, aad).ok()?;
    serde_json::from_slice(&plain).ok()
}

pub fn seal_session(master: &MasterKey, s: &SessionState) -> String {
    seal(master, s, AAD_SESSION)
}

pub fn open_session(master: &MasterKey, text: &str) -> Option<SessionState> {
    open(master, text, AAD_SESSION)
}

pub fn seal_signin(master: &MasterKey, s: &SigninState) -> String {
    seal(master, s, AAD_SIGNIN)
}

pub fn open_signin(master: &MasterKey, text: &str) -> Option<SigninState> {
    open(master, text, AAD_SIGNIN)
}

/// A `Set-Cookie` value (`Secure` is added over TLS); `max_age` in seconds.
pub fn set(name: &str, value: &str, max_age: i64) -> String {
    format!("{name}={value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age={max_age}")
}

/// A `Set-Cookie` value that removes the cookie.
pub fn clear(name: &str) -> String {
    set(name, "", 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> SessionState {
        SessionState {
            stage: Stage::Ready,
            account: "123456789012".into(),
            user_id: Some("AIDAEXAMPLE".into()),
            user_name: "alice".into(),
            issued: 1,
            issued_ms: 1000,
            expires: 2,
            seen: 1,
            mfa_at: None,
            csrf: token(),
            role: None,
        }
    }

    #[test]
    fn sealed_sessions_open_only_unaltered_and_only_as_sessions() {
        let k = MasterKey::generate();
        let sealed = seal_session(&k, &state());
        assert_eq!(
            open_session(&k, &sealed),
            Some(state()).map(|mut s| {
                s.csrf = open_session(&k, &sealed)
                    .map(|o| o.csrf)
                    .unwrap_or_default();
                s
            })
        );
        assert!(!sealed.contains("alice"));
        let mut bytes = URL_SAFE_NO_PAD.decode(&sealed).unwrap_or_default();
        if let Some(b) = bytes.get_mut(20) {
            *b ^= 1;
        }
        assert_eq!(open_session(&k, &URL_SAFE_NO_PAD.encode(&bytes)), None);
        assert_eq!(open_session(&MasterKey::generate(), &sealed), None);
        // A sign-in cookie is not a session.
        let signin = seal_signin(
            &k,
            &SigninState {
                csrf: token(),
                expires: 9,
            },
        );
        assert_eq!(open_session(&k, &signin), None);
    }

    #[test]
    fn csrf_tokens_compare_exactly() {
        let t = token();
        assert!(csrf_ok(&t, &t));
        assert!(!csrf_ok("", &t));
        assert!(!csrf_ok(&t[1..], &t));
        assert!(!csrf_ok("", ""));
    }
}
