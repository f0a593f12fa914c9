//! Encryption at rest: AES-256-GCM under the master key, a fresh random nonce per value, and the
//! row's identity as associated data so a sealed value cannot be moved to another row.

use crate::secret::Secret;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use rand::RngCore;
use std::fmt;
use zeroize::Zeroizing;

const NONCE_LEN: usize = 12;
/// First byte of every sealed value, so the format can change later.
const FORMAT_V1: u8 = 1;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CryptoError {
    #[error("master key must be 32 bytes, base64-encoded")]
    BadKey,
    #[error("sealed value cannot be opened with this master key")]
    Open,
}

/// The 256-bit master key.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(<redacted>)")
    }
}

impl MasterKey {
    pub fn generate() -> Self {
        let mut k = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(k.as_mut());
        MasterKey(k)
    }

    /// The key file format: base64 of the 32 key bytes, surrounding whitespace ignored.
    pub fn from_base64(text: &str) -> Result<Self, CryptoError> {
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                .map_err(|_| CryptoError::BadKey)?,
        );
        let arr: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| CryptoError::BadKey)?;
        Ok(MasterKey(Zeroizing::new(arr)))
    }

    pub fn to_base64(&self) -> Secret {
        Secret::new(STANDARD.encode(self.0.as_ref()))
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(self.0.as_ref().into())
    }

    /// Seals `plaintext`, bound to `aad` (for example the access key id).
    pub fn seal(&self, plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        // Encryption with a valid key and nonce only fails for inputs over 64 GiB.
        let ct = self
            .cipher()
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext,
                    aad,
                },
            )
            .unwrap_or_default();
        let mut out = Vec::with_capacity(1 + NONCE_LEN + ct.len());
        out.push(FORMAT_V1);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&ct);
        out
    }

    pub fn open(&self, sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let rest = match sealed.split_first() {
            Some((&FORMAT_V1, rest)) if rest.len() > NONCE_LEN => rest,
            _ => return Err(CryptoError::Open),
        };
        let (nonce, ct) = rest.split_at(NONCE_LEN);
        self.cipher()
            .decrypt(Nonce::from_slice(nonce), Payload { msg: ct, aad })
            .map(Zeroizing::new)
            .map_err(|_| CryptoError::Open)
    }

    /// Opens a sealed UTF-8 secret.
    pub fn open_secret(&self, sealed: &[u8], aad: &[u8]) -> Result<Secret, CryptoError> {
        let bytes = self.open(sealed, aad)?;
        let s = std::str::from_utf8(&bytes).map_err(|_| CryptoError::Open)?;
        Ok(Secret::new(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_round_trip_and_aad_binding() {
        let k = MasterKey::generate();
        let sealed = k.seal(b"top secret", b"AKIA1");
        assert!(!sealed.windows(10).any(|w| w == b"top secret"));
        assert_eq!(
            k.open(&sealed, b"AKIA1").map(|v| v.to_vec()),
            Ok(b"top secret".to_vec())
        );
        assert_eq!(
            k.open(&sealed, b"AKIA2").map(|v| v.to_vec()),
            Err(CryptoError::Open)
        );
        let other = MasterKey::generate();
        assert!(other.open(&sealed, b"AKIA1").is_err());
        let mut tampered = sealed.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(k.open(&tampered, b"AKIA1").is_err());
        assert!(k.open(&[], b"").is_err());
    }

    #[test]
    fn nonces_differ_and_key_text_round_trips() {
        let k = MasterKey::generate();
        assert_ne!(k.seal(b"x", b""), k.seal(b"x", b""));
        let again = MasterKey::from_base64(k.to_base64().expose()).unwrap();
        let sealed = k.seal(b"x", b"a");
        assert!(again.open(&sealed, b"a").is_ok());
        assert_eq!(
            MasterKey::from_base64("c2hvcnQ=").err(),
            Some(CryptoError::BadKey)
        );
        assert_eq!(format!("{k:?}"), "MasterKey(<redacted>)");
    }
}
