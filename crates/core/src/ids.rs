//! Unique ids, access key ids, secrets and account ids, from a CSPRNG seeded by the operating
//! system.

use crate::secret::Secret;
use rand::Rng;

/// The alphabet AWS uses in unique ids and key ids (base32: `A-Z2-7`).
const ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const SECRET_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Characters drawn from the thread-local CSPRNG (ChaCha, seeded and periodically reseeded from
/// the operating system): one system call per reseed instead of one per character.
fn random_from(alphabet: &[u8], n: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..n)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

/// Id prefixes (spec §3.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    User,
    Group,
    Role,
    Policy,
    InstanceProfile,
    ServerCertificate,
    PublicKey,
    ServiceCredential,
}

impl IdKind {
    pub fn prefix(self) -> &'static str {
        match self {
            IdKind::User => "AIDA",
            IdKind::Group => "AGPA",
            IdKind::Role => "AROA",
            IdKind::Policy => "ANPA",
            IdKind::InstanceProfile => "AIPA",
            IdKind::ServerCertificate => "ASCA",
            IdKind::PublicKey => "APKA",
            IdKind::ServiceCredential => "ACCA",
        }
    }
}

/// A 21-character unique id: 4-character prefix and 17 random base32 characters.
pub fn unique_id(kind: IdKind) -> String {
    format!("{}{}", kind.prefix(), random_from(ID_ALPHABET, 17))
}

/// A 20-character long-term access key id (`AKIA` + 16).
pub fn access_key_id() -> String {
    format!("AKIA{}", random_from(ID_ALPHABET, 16))
}

/// A 20-character temporary access key id (`ASIA` + 16).
pub fn temporary_access_key_id() -> String {
    format!("ASIA{}", random_from(ID_ALPHABET, 16))
}

/// A 40-character secret access key from the base64 alphabet.
pub fn secret_access_key() -> Secret {
    Secret::new(random_from(SECRET_ALPHABET, 40))
}

/// A signing certificate id: 32 characters of the id alphabet (AWS's are 24 to 128 word
/// characters, uppercase in practice).
pub fn signing_certificate_id() -> String {
    random_from(ID_ALPHABET, 32)
}

/// A SAML private key id: 26 characters of the id alphabet (AWS's are 22 to 64 of `[A-Z0-9]`).
pub fn saml_private_key_id() -> String {
    random_from(ID_ALPHABET, 26)
}

/// A service-specific credential password: 32 random bytes, base64 (44 characters).
pub fn service_password() -> Secret {
    let mut bytes = zeroize::Zeroizing::new([0u8; 32]);
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, bytes.as_mut());
    Secret::new(base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        bytes.as_ref(),
    ))
}

/// A random 12-digit account id that does not start with 0.
pub fn account_id() -> String {
    let mut rng = rand::thread_rng();
    format!(
        "{}",
        rng.gen_range(100_000_000_000u64..1_000_000_000_000u64)
    )
}

pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let u = unique_id(IdKind::User);
        assert_eq!(u.len(), 21);
        assert!(u.starts_with("AIDA"));
        assert!(u.bytes().all(|b| ID_ALPHABET.contains(&b)));
        let k = access_key_id();
        assert_eq!(k.len(), 20);
        assert!(k.starts_with("AKIA"));
        let s = secret_access_key();
        assert_eq!(s.expose().len(), 40);
        assert!(is_account_id(&account_id()));
        assert!(!is_account_id("12345678901a"));
        assert_ne!(unique_id(IdKind::Role), unique_id(IdKind::Role));
        let c = signing_certificate_id();
        assert_eq!(c.len(), 32);
        assert!(c.bytes().all(|b| ID_ALPHABET.contains(&b)));
        let p = service_password();
        assert_eq!(p.expose().len(), 44);
        assert_ne!(p.expose(), service_password().expose());
    }
}
