//! The tamper evidence of the audit trail: canonical JSON, the SHA-256 hash chain and the
//! Ed25519-signed checkpoints, as pure functions shared by the writer and the offline verifier.
//!
//! Every record carries `"portcullisChain": {"seq": N, "prev": HEX, "hash": HEX}`, where `hash`
//! is SHA-256 over `"{seq}\n{prev}\n{canonical JSON of the record without portcullisChain}"`
//! and `prev` is the previous record's `hash` (64 zeros before the first record). Canonical JSON
//! is compact, with every object's keys sorted by their UTF-8 bytes. A checkpoint record signs,
//! with the log's Ed25519 key, `"portcullis-audit-checkpoint-v1\n{seq}\n{prev}"`: its own
//! sequence number and the hash of the record before it, and so the whole chain up to there.

use super::AuditError;
use base64::Engine;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;

/// `prev` of the first record of a log.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The name of the chain member in every record.
pub const CHAIN_FIELD: &str = "portcullisChain";

/// What the key files start with.
const SECRET_PREFIX: &str = "portcullis-audit-ed25519-secret ";
const PUBLIC_PREFIX: &str = "portcullis-audit-ed25519-public ";

/// Appends the canonical JSON of `v` to `out`.
pub fn canonical_into(v: &Value, out: &mut String) {
    match v {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push('{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_string(k, out);
                out.push(':');
                canonical_into(v, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_into(item, out);
            }
            out.push(']');
        }
        Value::String(s) => push_string(s, out),
        // Null, booleans and numbers print the same way however they are held.
        other => out.push_str(&other.to_string()),
    }
}

/// The canonical JSON of `v`.
pub fn canonical(v: &Value) -> String {
    let mut s = String::with_capacity(512);
    canonical_into(v, &mut s);
    s
}

/// A JSON string literal, escaped as serde_json escapes it.
pub(crate) fn push_string(s: &str, out: &mut String) {
    out.push('"');
    // Runs of bytes that need no escape are copied whole; only ASCII bytes are ever escaped,
    // so every cut falls on a character boundary.
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..0x20 => "",
            _ => continue,
        };
        out.push_str(s.get(from..i).unwrap_or_default());
        if escape.is_empty() {
            use std::fmt::Write;
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        from = i + 1;
    }
    out.push_str(s.get(from..).unwrap_or_default());
    out.push('"');
}

/// The hash of a record: SHA-256 over its sequence number, the previous hash and its canonical
/// JSON (without the chain member), in lowercase hex.
pub fn link_hash(seq: u64, prev: &str, canonical_body: &str) -> String {
    let mut h = Sha256::new();
    h.update(seq.to_string().as_bytes());
    h.update(b"\n");
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(canonical_body.as_bytes());
    hex::encode(h.finalize())
}

/// The line a record is written as: its canonical JSON with the chain member added last.
/// `canonical_body` must be a canonical JSON object.
pub fn chained_line(canonical_body: &str, seq: u64, prev: &str, hash: &str) -> String {
    let inner = canonical_body
        .strip_suffix('}')
        .unwrap_or(canonical_body)
        .trim_end();
    let sep = if inner.len() > 1 { "," } else { "" };
    format!(
        "{inner}{sep}\"{CHAIN_FIELD}\":{{\"hash\":\"{hash}\",\"prev\":\"{prev}\",\"seq\":{seq}}}}}\n"
    )
}

/// What a checkpoint signs.
pub fn checkpoint_message(seq: u64, prev: &str) -> Vec<u8> {
    format!("portcullis-audit-checkpoint-v1\n{seq}\n{prev}").into_bytes()
}

/// A short id of a public key: the first 16 hex digits of its SHA-256.
pub fn key_id(key: &VerifyingKey) -> String {
    let digest = Sha256::digest(key.as_bytes());
    hex::encode(&digest[..8])
}

/// The checkpoint signing key.
#[derive(Debug)]
pub struct Signer {
    key: SigningKey,
}

impl Signer {
    /// A fresh random key.
    pub fn generate() -> Self {
        let seed: [u8; 32] = rand::random();
        Signer {
            key: SigningKey::from_bytes(&seed),
        }
    }

    /// Loads the key at `path`, or creates it (mode 0600) with its public key next to it
    /// (`audit.pub` beside `audit.key`: the same name with the extension `pub`).
    pub fn open_or_create(path: &Path) -> Result<Self, AuditError> {
        let io = |e| AuditError::io(path, e);
        if path.exists() {
            use std::os::unix::fs::PermissionsExt;
            let meta = std::fs::metadata(path).map_err(io)?;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(AuditError::Key(format!(
                    "{} may be read by others (chmod 600 it)",
                    path.display()
                )));
            }
            let text = std::fs::read_to_string(path).map_err(io)?;
            let signer = Self::parse_secret(&text).ok_or_else(|| {
                AuditError::Key(format!("{} is not an audit signing key", path.display()))
            })?;
            let public = public_path(path);
            if !public.exists() {
                signer.write_public(&public)?;
            }
            return Ok(signer);
        }
        let signer = Self::generate();
        let text = format!(
            "{SECRET_PREFIX}{}\n",
            base64::engine::general_purpose::STANDARD.encode(signer.key.to_bytes())
        );
        write_file(path, &text, 0o600)?;
        signer.write_public(&public_path(path))?;
        Ok(signer)
    }

    fn parse_secret(text: &str) -> Option<Self> {
        let b64 = text.trim().strip_prefix(SECRET_PREFIX)?;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64.trim())
            .ok()?;
        let seed: [u8; 32] = bytes.try_into().ok()?;
        Some(Signer {
            key: SigningKey::from_bytes(&seed),
        })
    }

    /// Writes the public key file (mode 0644).
    pub fn write_public(&self, path: &Path) -> Result<(), AuditError> {
        write_file(path, &public_key_text(&self.verifying_key()), 0o644)
    }

    pub fn verifying_key(&self) -> VerifyingKey {
        self.key.verifying_key()
    }

    /// The base64 signature of the checkpoint at `seq` that follows the record hashed `prev`.
    pub fn sign_checkpoint(&self, seq: u64, prev: &str) -> String {
        let sig = self.key.sign(&checkpoint_message(seq, prev));
        base64::engine::general_purpose::STANDARD.encode(sig.to_bytes())
    }
}

/// The text of a public key file.
pub fn public_key_text(key: &VerifyingKey) -> String {
    format!(
        "{PUBLIC_PREFIX}{}\n",
        base64::engine::general_purpose::STANDARD.encode(key.as_bytes())
    )
}

/// Reads a public key file written by [`Signer::write_public`].
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let b64 = text.trim().strip_prefix(PUBLIC_PREFIX)?;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64.trim())
        .ok()?;
    let raw: [u8; 32] = bytes.try_into().ok()?;
    VerifyingKey::from_bytes(&raw).ok()
}

/// True when `signature` (base64) is `key`'s signature of the checkpoint at `seq` after `prev`.
pub fn verify_checkpoint(key: &VerifyingKey, seq: u64, prev: &str, signature: &str) -> bool {
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(signature) else {
        return false;
    };
    let Ok(raw) = <[u8; 64]>::try_from(bytes.as_slice()) else {
        return false;
    };
    key.verify(&checkpoint_message(seq, prev), &Signature::from_bytes(&raw))
        .is_ok()
}

/// `audit.key` -> `audit.pub`.
pub fn public_path(secret: &Path) -> std::path::PathBuf {
    secret.with_extension("pub")
}

fn write_file(path: &Path, text: &str, mode: u32) -> Result<(), AuditError> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let io = |e| AuditError::io(path, e);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(mode)
        .open(path)
        .map_err(io)?;
    f.write_all(text.as_bytes()).map_err(io)?;
    f.sync_all().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_sorts_keys_and_round_trips() {
        let v: Value =
            serde_json::from_str(r#"{"b":1,"a":{"z":"\u0001é\"","y":[true,null]},"A":-3}"#)
                .unwrap();
        let c = canonical(&v);
        assert_eq!(c, r#"{"A":-3,"a":{"y":[true,null],"z":"\u0001é\""},"b":1}"#);
        let again: Value = serde_json::from_str(&c).unwrap();
        assert_eq!(canonical(&again), c);
    }

    #[test]
    fn chain_links_and_detects_a_change() {
        let a = canonical(&serde_json::json!({"eventName": "CreateUser"}));
        let b = canonical(&serde_json::json!({"eventName": "DeleteUser"}));
        let h0 = link_hash(0, GENESIS, &a);
        let h1 = link_hash(1, &h0, &b);
        assert_ne!(h0, h1);
        assert_eq!(h0.len(), 64);
        // Any change of content, position or predecessor changes the hash.
        assert_ne!(link_hash(0, GENESIS, &b), h0);
        assert_ne!(link_hash(1, GENESIS, &a), h0);
        assert_ne!(link_hash(1, &h1, &b), h1);
        let line = chained_line(&a, 0, GENESIS, &h0);
        let mut parsed: Value = serde_json::from_str(&line).unwrap();
        let chain = parsed.as_object_mut().unwrap().remove(CHAIN_FIELD).unwrap();
        assert_eq!(chain["hash"], h0.as_str());
        assert_eq!(canonical(&parsed), a);
        assert!(line.ends_with("}\n"));
    }

    #[test]
    fn checkpoint_signatures_verify_only_for_their_position() {
        let signer = Signer::generate();
        let key = signer.verifying_key();
        let prev = link_hash(0, GENESIS, "{}");
        let sig = signer.sign_checkpoint(1, &prev);
        assert!(verify_checkpoint(&key, 1, &prev, &sig));
        assert!(!verify_checkpoint(&key, 2, &prev, &sig));
        assert!(!verify_checkpoint(&key, 1, GENESIS, &sig));
        assert!(!verify_checkpoint(
            &Signer::generate().verifying_key(),
            1,
            &prev,
            &sig
        ));
        assert!(!verify_checkpoint(&key, 1, &prev, "not base64!"));
    }

    #[test]
    fn key_files_round_trip_with_private_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.key");
        let first = Signer::open_or_create(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        let again = Signer::open_or_create(&path).unwrap();
        assert_eq!(first.verifying_key(), again.verifying_key());
        let public = std::fs::read_to_string(dir.path().join("audit.pub")).unwrap();
        assert_eq!(parse_public_key(&public), Some(first.verifying_key()));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(Signer::open_or_create(&path).is_err());
    }
}
