//! Temporary credentials without server-side state. A session (who, until when, with which
//! session policies, tags, MFA facts and source identity) is sealed with AES-256-GCM into the
//! session token itself; the temporary secret access key is derived from the sealing key and
//! the access key id, so it is stored nowhere. Any node holding the keyring validates a session
//! without touching the database.
//!
//! The keyring holds the current sealing key (which seals new tokens) and the keys it replaced
//! (which still open tokens sealed before a rotation). The keyring file has one key per line:
//! `portcullis-sts-key v1 <id> <created RFC 3339> <base64 of 32 bytes>`.

use crate::secret::Secret;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::{DateTime, TimeDelta, Utc};
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;
use zeroize::Zeroizing;

const TOKEN_V1: u8 = 1;
const MESSAGE_V1: u8 = 2;
const HEADER_LEN: usize = 5;
const NONCE_LEN: usize = 12;
const LINE_TAG: &str = "portcullis-sts-key";

/// Who a session acts as.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SessionPrincipal {
    /// An assumed role (AssumeRole, AssumeRoleWithWebIdentity).
    #[serde(rename = "r")]
    Role {
        id: String,
        name: String,
        path: String,
        session: String,
    },
    /// GetSessionToken by an IAM user: the same user, with a session.
    #[serde(rename = "u")]
    User { id: String },
    /// GetSessionToken by the root user.
    #[serde(rename = "a")]
    Root,
    /// GetFederationToken: a federated user; `issuer` is the calling IAM user's id (None for
    /// root), whose policies the session's permissions are intersected with.
    #[serde(rename = "f")]
    Federated {
        name: String,
        issuer: Option<String>,
    },
}

/// Everything one set of temporary credentials carries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    #[serde(rename = "p")]
    pub principal: SessionPrincipal,
    #[serde(rename = "a")]
    pub account: String,
    /// The temporary access key id (`ASIA...`) the token belongs to.
    #[serde(rename = "k")]
    pub access_key_id: String,
    /// Unix seconds.
    #[serde(rename = "i")]
    pub issued: i64,
    /// Unix seconds.
    #[serde(rename = "e")]
    pub expires: i64,
    /// The inline session policy, if one was passed.
    #[serde(rename = "sp", default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// Managed session policies.
    #[serde(rename = "sa", default, skip_serializing_if = "Vec::is_empty")]
    pub policy_arns: Vec<String>,
    /// Session tags (key, value), in the order given.
    #[serde(rename = "t", default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    /// Keys of `tags` that pass on to chained sessions.
    #[serde(rename = "tt", default, skip_serializing_if = "Vec::is_empty")]
    pub transitive_tag_keys: Vec<String>,
    #[serde(rename = "si", default, skip_serializing_if = "Option::is_none")]
    pub source_identity: Option<String>,
    /// When MFA was verified (unix seconds), if it was.
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    pub mfa_at: Option<i64>,
    /// Created by a role session (role chaining).
    #[serde(rename = "c", default)]
    pub chained: bool,
    /// The web-identity provider ARN of an AssumeRoleWithWebIdentity session.
    #[serde(rename = "fp", default, skip_serializing_if = "Option::is_none")]
    pub federated_provider: Option<String>,
}

impl Session {
    pub fn issued_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.issued, 0).unwrap_or_default()
    }
    pub fn expires_at(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.expires, 0).unwrap_or_default()
    }
    pub fn has_session_policy(&self) -> bool {
        self.policy.is_some() || !self.policy_arns.is_empty()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TokenError {
    /// Not a token this keyring sealed (tampered, truncated, foreign or from a retired key).
    #[error("the session token is invalid")]
    Invalid,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyringError {
    #[error("line {0} of the sealing keyring is not a valid key")]
    BadLine(usize),
    #[error("the sealing keyring holds no key")]
    Empty,
}

/// One sealing key and the two keys derived from it (token encryption, secret derivation).
struct SealingKey {
    id: u32,
    created: DateTime<Utc>,
    raw: Zeroizing<[u8; 32]>,
    cipher: Aes256Gcm,
    secret_mac: Hmac<Sha256>,
}

fn derive(raw: &[u8; 32], label: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(raw).unwrap_or_else(|_| unreachable!());
    mac.update(label);
    let mut out = Zeroizing::new([0u8; 32]);
    out.copy_from_slice(&mac.finalize().into_bytes());
    out
}

impl SealingKey {
    fn new(id: u32, created: DateTime<Utc>, raw: Zeroizing<[u8; 32]>) -> Self {
        let token_key = derive(&raw, b"portcullis/sts/token/v1");
        let secret_key = derive(&raw, b"portcullis/sts/secret/v1");
        SealingKey {
            id,
            created,
            cipher: Aes256Gcm::new(token_key.as_ref().into()),
            secret_mac: <Hmac<Sha256> as Mac>::new_from_slice(secret_key.as_ref())
                .unwrap_or_else(|_| unreachable!()),
            raw,
        }
    }

    fn generate(id: u32, created: DateTime<Utc>) -> Self {
        let mut raw = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(raw.as_mut());
        SealingKey::new(id, created, raw)
    }

    /// The 40-character secret access key of `access_key_id`.
    fn secret_for(&self, access_key_id: &str) -> Secret {
        let mut mac = self.secret_mac.clone();
        mac.update(access_key_id.as_bytes());
        let digest = mac.finalize().into_bytes();
        Secret::new(STANDARD.encode(&digest[..30]))
    }
}

/// The current sealing key first, then the keys it replaced, newest first.
pub struct Keyring {
    keys: Vec<SealingKey>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<u32> = self.keys.iter().map(|k| k.id).collect();
        write!(f, "Keyring(ids {ids:?}, <redacted>)")
    }
}

impl Keyring {
    /// A keyring with one fresh key.
    pub fn generate(now: DateTime<Utc>) -> Self {
        Keyring {
            keys: vec![SealingKey::generate(1, now)],
        }
    }

    pub fn parse(text: &str) -> Result<Self, KeyringError> {
        let mut keys = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = || KeyringError::BadLine(n + 1);
            let fields: Vec<&str> = line.split_whitespace().collect();
            let [tag, "v1", id, created, key] = fields[..] else {
                return Err(bad());
            };
            if tag != LINE_TAG {
                return Err(bad());
            }
            let id: u32 = id.parse().map_err(|_| bad())?;
            let created = DateTime::parse_from_rfc3339(created)
                .map_err(|_| bad())?
                .with_timezone(&Utc);
            let bytes = Zeroizing::new(STANDARD.decode(key).map_err(|_| bad())?);
            let raw: [u8; 32] = bytes.as_slice().try_into().map_err(|_| bad())?;
            keys.push(SealingKey::new(id, created, Zeroizing::new(raw)));
        }
        if keys.is_empty() {
            return Err(KeyringError::Empty);
        }
        keys.sort_by_key(|k| std::cmp::Reverse(k.id));
        Ok(Keyring { keys })
    }

    /// The keyring file's text.
    pub fn to_text(&self) -> Secret {
        let mut out = String::from(
            "# Portcullis STS sealing keys: the highest id seals new session tokens.\n",
        );
        for k in &self.keys {
            out.push_str(&format!(
                "{LINE_TAG} v1 {} {} {}\n",
                k.id,
                k.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                STANDARD.encode(k.raw.as_ref())
            ));
        }
        Secret::new(out)
    }

    /// The ids of the keys, current first.
    pub fn ids(&self) -> Vec<u32> {
        self.keys.iter().map(|k| k.id).collect()
    }

    /// A new current key; keys retired more than `keep` ago (longer than any session lives)
    /// are dropped.
    pub fn rotated(self, now: DateTime<Utc>, keep: TimeDelta) -> Self {
        let next = self.keys.first().map_or(1, |k| k.id.saturating_add(1));
        let mut keys = vec![SealingKey::generate(next, now)];
        // A key stopped sealing when its successor was created.
        let mut retired_at = now;
        for k in self.keys {
            if now - retired_at <= keep {
                retired_at = k.created;
                keys.push(k);
            } else {
                break;
            }
        }
        Keyring { keys }
    }

    fn current(&self) -> &SealingKey {
        // `parse`, `generate` and `rotated` never build an empty keyring.
        &self.keys[0]
    }

    /// AES-256-GCM under the current key; `kind` (a session token, an authorization message)
    /// is authenticated with the key id, so one kind never opens as the other.
    fn seal_raw(&self, kind: u8, plaintext: &[u8]) -> String {
        let key = self.current();
        let mut header = [0u8; HEADER_LEN];
        header[0] = kind;
        header[1..].copy_from_slice(&key.id.to_be_bytes());
        let mut nonce = [0u8; NONCE_LEN];
        rand::thread_rng().fill_bytes(&mut nonce);
        // Encryption only fails for inputs over 64 GiB.
        let ct = key
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad: &header,
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(HEADER_LEN + NONCE_LEN + ct.len());
        out.extend_from_slice(&header);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        STANDARD.encode(out)
    }

    fn open_raw(
        &self,
        kind: u8,
        text: &str,
    ) -> Result<(&SealingKey, Zeroizing<Vec<u8>>), TokenError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| TokenError::Invalid)?;
        if bytes.len() < HEADER_LEN + NONCE_LEN + 16 || bytes[0] != kind {
            return Err(TokenError::Invalid);
        }
        let (header, rest) = bytes.split_at(HEADER_LEN);
        let id = u32::from_be_bytes([header[1], header[2], header[3], header[4]]);
        let key = self
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or(TokenError::Invalid)?;
        let (nonce, ct) = rest.split_at(NONCE_LEN);
        let plaintext = key
            .cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: header,
                },
            )
            .map_err(|_| TokenError::Invalid)?;
        Ok((key, Zeroizing::new(plaintext)))
    }

    /// Seals `session` into a token and returns it with the session's secret access key.
    pub fn seal(&self, session: &Session) -> (String, Secret) {
        let plaintext = serde_json::to_vec(session).unwrap_or_default();
        let token = self.seal_raw(TOKEN_V1, &plaintext);
        (token, self.current().secret_for(&session.access_key_id))
    }

    /// Opens a token: the session and its secret access key. Expiry is the caller's to check.
    pub fn open(&self, token: &str) -> Result<(Session, Secret), TokenError> {
        let (key, plaintext) = self.open_raw(TOKEN_V1, token)?;
        let session: Session =
            serde_json::from_slice(&plaintext).map_err(|_| TokenError::Invalid)?;
        let secret = key.secret_for(&session.access_key_id);
        Ok((session, secret))
    }

    /// Seals an authorization failure message (for STS DecodeAuthorizationMessage).
    pub fn seal_message(&self, text: &str) -> String {
        self.seal_raw(MESSAGE_V1, text.as_bytes())
    }

    /// Opens what [`Keyring::seal_message`] sealed.
    pub fn open_message(&self, sealed: &str) -> Result<String, TokenError> {
        let (_, plaintext) = self.open_raw(MESSAGE_V1, sealed)?;
        String::from_utf8(plaintext.to_vec()).map_err(|_| TokenError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Session {
        Session {
            principal: SessionPrincipal::Role {
                id: "AROAEXAMPLE".into(),
                name: "deploy".into(),
                path: "/".into(),
                session: "ci".into(),
            },
            account: "123456789012".into(),
            access_key_id: "ASIAEXAMPLE123456789".into(),
            issued: 1_700_000_000,
            expires: 1_700_003_600,
            policy: Some("{}".into()),
            policy_arns: vec![],
            tags: vec![("team".into(), "red".into())],
            transitive_tag_keys: vec!["team".into()],
            source_identity: None,
            mfa_at: None,
            chained: false,
            federated_provider: None,
        }
    }

    #[test]
    fn seal_open_round_trip_and_secret_is_derived_not_carried() {
        let ring = Keyring::generate(Utc::now());
        let (token, secret) = ring.seal(&session());
        assert_eq!(secret.expose().len(), 40);
        assert!(!token.contains(secret.expose()));
        let (back, secret2) = ring.open(&token).unwrap();
        assert_eq!(back, session());
        assert!(secret2.ct_eq(secret.expose()));
        // Another keyring derives another secret and cannot open the token.
        let other = Keyring::generate(Utc::now());
        assert_eq!(other.open(&token).err(), Some(TokenError::Invalid));
    }

    #[test]
    fn every_flipped_bit_is_refused() {
        let ring = Keyring::generate(Utc::now());
        let (token, _) = ring.seal(&session());
        let bytes = STANDARD.decode(&token).unwrap();
        for i in 0..bytes.len() {
            let mut b = bytes.clone();
            b[i] ^= 0x01;
            assert_eq!(
                ring.open(&STANDARD.encode(&b)).err(),
                Some(TokenError::Invalid),
                "byte {i}"
            );
        }
        assert!(ring.open("not base64!").is_err());
        assert!(ring.open("").is_err());
    }

    #[test]
    fn rotation_keeps_old_tokens_open_until_their_key_is_retired_long_enough() {
        let t0 = Utc::now();
        let ring = Keyring::generate(t0);
        let (old, _) = ring.seal(&session());
        let ring = ring.rotated(t0 + TimeDelta::hours(1), TimeDelta::hours(36));
        assert_eq!(ring.ids(), vec![2, 1]);
        assert!(ring.open(&old).is_ok());
        let (new, _) = ring.seal(&session());
        // Text round trip keeps both keys.
        let ring = Keyring::parse(ring.to_text().expose()).unwrap();
        assert!(ring.open(&old).is_ok() && ring.open(&new).is_ok());
        // Key 1 stopped sealing at t0+1h; two days later it is gone, key 2 stays.
        let ring = ring.rotated(t0 + TimeDelta::hours(50), TimeDelta::hours(36));
        assert_eq!(ring.ids(), vec![3, 2]);
        assert!(ring.open(&old).is_err());
        assert!(ring.open(&new).is_ok());
    }

    #[test]
    fn messages_and_tokens_do_not_open_as_each_other() {
        let ring = Keyring::generate(Utc::now());
        let m = ring.seal_message("{\"allowed\":false}");
        assert_eq!(ring.open_message(&m).unwrap(), "{\"allowed\":false}");
        assert!(ring.open(&m).is_err());
        let (token, _) = ring.seal(&session());
        assert!(ring.open_message(&token).is_err());
        assert!(Keyring::generate(Utc::now()).open_message(&m).is_err());
    }

    #[test]
    fn keyring_text_is_checked() {
        assert_eq!(
            Keyring::parse("# nothing\n").err(),
            Some(KeyringError::Empty)
        );
        assert_eq!(
            Keyring::parse("portcullis-sts-key v1 1 2024-01-01T00:00:00Z c2hvcnQ=\n").err(),
            Some(KeyringError::BadLine(1))
        );
        assert!(format!("{:?}", Keyring::generate(Utc::now())).contains("redacted"));
    }
}
