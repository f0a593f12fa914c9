//! SSH public keys as UploadSSHPublicKey takes them: OpenSSH one-line form (`ssh-rsa AAAA...
//! comment`) or PEM (`BEGIN PUBLIC KEY` SubjectPublicKeyInfo, or `BEGIN RSA PUBLIC KEY`), for
//! RSA (at least 2048 bits), Ed25519 and ECDSA over NIST P-256/P-384/P-521. Keys are kept as their
//! OpenSSH wire blob; the fingerprint is the MD5 of that blob, as `ssh-keygen -E md5` prints it.

pub use crate::credentials::SshKeyError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use md5::{Digest, Md5};
use x509_cert::der::asn1::{AnyRef, BitString, ObjectIdentifier, UintRef};
use x509_cert::der::pem::LineEnding;
use x509_cert::der::{Decode, Encode};
use x509_cert::spki::{AlgorithmIdentifier, SubjectPublicKeyInfo, SubjectPublicKeyInfoRef};

pub const MIN_RSA_BITS: usize = 2048;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// The NIST curves OpenSSH names: (SSH name, curve OID, uncompressed point length).
const CURVES: &[(&str, &str, usize)] = &[
    ("nistp256", "1.2.840.10045.3.1.7", 65),
    ("nistp384", "1.3.132.0.34", 97),
    ("nistp521", "1.3.132.0.35", 133),
];

/// A parsed public key: its OpenSSH type name and wire blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SshKey {
    pub algorithm: String,
    pub blob: Vec<u8>,
}

const MALFORMED: SshKeyError =
    SshKeyError::Invalid("The public key is malformed or otherwise invalid.");

/// Parses an uploaded key body.
pub fn parse(body: &str) -> Result<SshKey, SshKeyError> {
    let body = body.trim();
    if body.starts_with("-----BEGIN") {
        return parse_pem(body);
    }
    let mut parts = body.split_whitespace();
    let (Some(kind), Some(b64)) = (parts.next(), parts.next()) else {
        return Err(SshKeyError::Unrecognized);
    };
    if !is_supported(kind) {
        return Err(SshKeyError::Unrecognized);
    }
    let blob = STANDARD.decode(b64).map_err(|_| MALFORMED)?;
    let key = SshKey {
        algorithm: kind.to_string(),
        blob,
    };
    key.validate()?;
    Ok(key)
}

fn is_supported(kind: &str) -> bool {
    kind == "ssh-rsa"
        || kind == "ssh-ed25519"
        || CURVES
            .iter()
            .any(|(c, _, _)| kind.strip_prefix("ecdsa-sha2-") == Some(c))
}

/// Reads SSH wire strings (`uint32` length + bytes) from a blob.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn string(&mut self) -> Result<&'a [u8], SshKeyError> {
        let (len, rest) = self.0.split_at_checked(4).ok_or(MALFORMED)?;
        let n = u32::from_be_bytes([len[0], len[1], len[2], len[3]]) as usize;
        let (s, rest) = rest.split_at_checked(n).ok_or(MALFORMED)?;
        self.0 = rest;
        Ok(s)
    }
    fn done(&self) -> Result<(), SshKeyError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(MALFORMED)
        }
    }
}

fn put_string(out: &mut Vec<u8>, s: &[u8]) {
    out.extend_from_slice(&u32::try_from(s.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(s);
}

/// An SSH `mpint` of a non-negative big-endian integer.
fn put_mpint(out: &mut Vec<u8>, n: &[u8]) {
    let n = strip_zeros(n);
    if n.first().is_some_and(|b| b & 0x80 != 0) {
        let mut v = Vec::with_capacity(n.len() + 1);
        v.push(0);
        v.extend_from_slice(n);
        put_string(out, &v);
    } else {
        put_string(out, n);
    }
}

fn strip_zeros(n: &[u8]) -> &[u8] {
    let first = n.iter().position(|&b| b != 0).unwrap_or(n.len());
    &n[first..]
}

fn bit_length(n: &[u8]) -> usize {
    let n = strip_zeros(n);
    match n.first() {
        Some(b) => (n.len() - 1) * 8 + (8 - b.leading_zeros() as usize),
        None => 0,
    }
}

fn curve_by_name(name: &str) -> Option<&'static (&'static str, &'static str, usize)> {
    CURVES.iter().find(|(c, _, _)| *c == name)
}

impl SshKey {
    fn rsa(e: &[u8], n: &[u8]) -> Result<Self, SshKeyError> {
        let mut blob = Vec::new();
        put_string(&mut blob, b"ssh-rsa");
        put_mpint(&mut blob, e);
        put_mpint(&mut blob, n);
        let key = SshKey {
            algorithm: "ssh-rsa".into(),
            blob,
        };
        key.validate()?;
        Ok(key)
    }

    fn with_point(
        algorithm: String,
        curve: Option<&str>,
        point: &[u8],
    ) -> Result<Self, SshKeyError> {
        let mut blob = Vec::new();
        put_string(&mut blob, algorithm.as_bytes());
        if let Some(c) = curve {
            put_string(&mut blob, c.as_bytes());
        }
        put_string(&mut blob, point);
        let key = SshKey { algorithm, blob };
        key.validate()?;
        Ok(key)
    }

    /// Checks the blob is a well-formed key of its declared type.
    fn validate(&self) -> Result<(), SshKeyError> {
        let mut r = Reader(&self.blob);
        if r.string()? != self.algorithm.as_bytes() {
            return Err(MALFORMED);
        }
        match self.algorithm.as_str() {
            "ssh-rsa" => {
                let e = r.string()?;
                let n = r.string()?;
                r.done()?;
                if e.is_empty() || n.first().is_some_and(|b| b & 0x80 != 0) {
                    return Err(MALFORMED);
                }
                if bit_length(n) < MIN_RSA_BITS {
                    return Err(SshKeyError::Invalid(
                        "The minimum bit-length of the public key is 2048 bits.",
                    ));
                }
            }
            "ssh-ed25519" => {
                if r.string()?.len() != 32 {
                    return Err(MALFORMED);
                }
                r.done()?;
            }
            other => {
                let name = other
                    .strip_prefix("ecdsa-sha2-")
                    .ok_or(SshKeyError::Unrecognized)?;
                let (_, _, len) = curve_by_name(name).ok_or(SshKeyError::Unrecognized)?;
                if r.string()? != name.as_bytes() {
                    return Err(MALFORMED);
                }
                let point = r.string()?;
                r.done()?;
                if point.len() != *len || point.first() != Some(&4) {
                    return Err(MALFORMED);
                }
            }
        }
        Ok(())
    }

    /// The OpenSSH one-line form, without a comment.
    pub fn openssh(&self) -> String {
        format!("{} {}", self.algorithm, STANDARD.encode(&self.blob))
    }

    /// MD5 of the blob as colon-separated lowercase hex.
    pub fn fingerprint(&self) -> String {
        let digest = Md5::digest(&self.blob);
        digest
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<Vec<_>>()
            .join(":")
    }

    /// The key as a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    pub fn pem(&self) -> Result<String, SshKeyError> {
        let mut r = Reader(&self.blob);
        r.string()?;
        let encode_err = |_| MALFORMED;
        let spki_der = match self.algorithm.as_str() {
            "ssh-rsa" => {
                let e = r.string()?;
                let n = r.string()?;
                let key = pkcs1::RsaPublicKey {
                    modulus: UintRef::new(strip_zeros(n)).map_err(encode_err)?,
                    public_exponent: UintRef::new(strip_zeros(e)).map_err(encode_err)?,
                };
                let bits = key.to_der().map_err(encode_err)?;
                spki(RSA, Some(AnyRef::NULL), &bits)?
            }
            "ssh-ed25519" => spki(ED25519, None, r.string()?)?,
            _ => {
                let name = std::str::from_utf8(r.string()?).map_err(|_| MALFORMED)?;
                let (_, oid, _) = curve_by_name(name).ok_or(MALFORMED)?;
                let oid = ObjectIdentifier::new(oid).map_err(|_| MALFORMED)?;
                let point = r.string()?;
                spki(EC_PUBLIC_KEY, Some(AnyRef::from(&oid)), point)?
            }
        };
        x509_cert::der::pem::encode_string("PUBLIC KEY", LineEnding::LF, &spki_der)
            .map_err(|_| MALFORMED)
    }
}

fn spki(
    oid: ObjectIdentifier,
    params: Option<AnyRef<'_>>,
    key: &[u8],
) -> Result<Vec<u8>, SshKeyError> {
    let info = SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier {
            oid,
            parameters: params,
        },
        subject_public_key: BitString::from_bytes(key).map_err(|_| MALFORMED)?,
    };
    info.to_der().map_err(|_| MALFORMED)
}

fn parse_pem(body: &str) -> Result<SshKey, SshKeyError> {
    let (label, der) =
        x509_cert::der::pem::decode_vec(body.as_bytes()).map_err(|_| SshKeyError::Unrecognized)?;
    match label {
        "RSA PUBLIC KEY" => {
            let k = pkcs1::RsaPublicKey::from_der(&der).map_err(|_| MALFORMED)?;
            SshKey::rsa(k.public_exponent.as_bytes(), k.modulus.as_bytes())
        }
        "PUBLIC KEY" => from_spki(&der),
        _ => Err(SshKeyError::Unrecognized),
    }
}

fn from_spki(der: &[u8]) -> Result<SshKey, SshKeyError> {
    let info = SubjectPublicKeyInfoRef::from_der(der).map_err(|_| MALFORMED)?;
    let bits = info.subject_public_key.as_bytes().ok_or(MALFORMED)?;
    let oid = info.algorithm.oid;
    if oid == RSA {
        let k = pkcs1::RsaPublicKey::from_der(bits).map_err(|_| MALFORMED)?;
        SshKey::rsa(k.public_exponent.as_bytes(), k.modulus.as_bytes())
    } else if oid == ED25519 {
        SshKey::with_point("ssh-ed25519".into(), None, bits)
    } else if oid == EC_PUBLIC_KEY {
        let curve: ObjectIdentifier = info
            .algorithm
            .parameters
            .ok_or(MALFORMED)?
            .decode_as()
            .map_err(|_| MALFORMED)?;
        let (name, _, _) = CURVES
            .iter()
            .find(|(_, o, _)| curve.to_string() == *o)
            .ok_or(SshKeyError::Unrecognized)?;
        SshKey::with_point(format!("ecdsa-sha2-{name}"), Some(name), bits)
    } else {
        Err(SshKeyError::Unrecognized)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../server/tests/fixtures/ssh/");

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("{FIXTURES}{name}")).unwrap()
    }

    /// `ssh-keygen -l -E md5` of the fixture, recorded when it was generated.
    fn expected_fingerprint(name: &str) -> String {
        fixture("fingerprints.txt")
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{name} ")).map(str::to_string))
            .unwrap()
    }

    #[test]
    fn fingerprints_match_ssh_keygen_and_pem_round_trips() {
        for name in ["ed1.pub", "rsa2048.pub", "ecdsa256.pub"] {
            let body = fixture(name);
            let k = parse(&body).unwrap();
            assert_eq!(k.fingerprint(), expected_fingerprint(name), "{name}");
            let pem = k.pem().unwrap();
            assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----\n"));
            assert_eq!(parse(&pem).unwrap(), k, "{name}");
            assert_eq!(
                Some(k.openssh().as_str()),
                body.trim().rsplit_once(' ').map(|p| p.0)
            );
        }
        // ssh-keygen's own PEM export of the RSA key is the same key.
        let from_pem = parse(&fixture("rsa2048.pem.pub")).unwrap();
        assert_eq!(from_pem, parse(&fixture("rsa2048.pub")).unwrap());
        assert_eq!(
            from_pem.pem().unwrap().trim(),
            fixture("rsa2048.pem.pub").trim()
        );
        assert!(matches!(
            parse(&fixture("rsa1024.pub")),
            Err(SshKeyError::Invalid(m)) if m.contains("2048")
        ));
    }

    #[test]
    fn refuses_garbage_short_rsa_and_unknown_types() {
        assert_eq!(parse("hello"), Err(SshKeyError::Unrecognized));
        assert_eq!(parse("ssh-dss AAAA"), Err(SshKeyError::Unrecognized));
        assert!(matches!(
            parse("ssh-ed25519 !!!"),
            Err(SshKeyError::Invalid(_))
        ));
        // A 1024-bit modulus.
        let mut n = vec![0xc1u8; 128];
        n[127] |= 1;
        assert!(
            matches!(SshKey::rsa(&[1, 0, 1], &n), Err(SshKeyError::Invalid(m)) if m.contains("2048"))
        );
        let mut n = vec![0xc1u8; 256];
        n[255] |= 1;
        let k = SshKey::rsa(&[1, 0, 1], &n).unwrap();
        assert_eq!(parse(&k.openssh()).unwrap(), k);
        assert_eq!(parse(&k.pem().unwrap()).unwrap(), k);
        // Trailing bytes after the key.
        let mut blob = k.blob.clone();
        blob.push(0);
        let body = format!("ssh-rsa {}", STANDARD.encode(&blob));
        assert!(matches!(parse(&body), Err(SshKeyError::Invalid(_))));
    }
}
