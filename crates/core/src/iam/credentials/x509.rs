//! X.509 certificates and private keys as IAM takes them: PEM certificates (one for a body,
//! one or more for a chain), validity, and whether a PEM private key (PKCS#1, PKCS#8 or SEC1;
//! RSA or EC) belongs to a certificate's public key.

pub use crate::credentials::CertError;
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::asn1::ObjectIdentifier;
use x509_cert::der::{Decode, Encode};
use x509_cert::spki::SubjectPublicKeyInfoOwned;

const RSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// A parsed certificate.
#[derive(Debug)]
pub struct ParsedCert {
    cert: Certificate,
    pub not_after: DateTime<Utc>,
}

fn time(t: &x509_cert::time::Time) -> DateTime<Utc> {
    let secs = i64::try_from(t.to_unix_duration().as_secs()).unwrap_or(i64::MAX);
    DateTime::from_timestamp(secs, 0).unwrap_or(DateTime::<Utc>::MAX_UTC)
}

impl ParsedCert {
    fn new(cert: Certificate) -> Self {
        let not_after = time(&cert.tbs_certificate.validity.not_after);
        ParsedCert { cert, not_after }
    }

    /// SHA-256 of the DER encoding, hex: identifies the certificate whatever its PEM layout.
    pub fn fingerprint(&self) -> String {
        let der = self.cert.to_der().unwrap_or_default();
        Sha256::digest(&der)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    fn spki(&self) -> &SubjectPublicKeyInfoOwned {
        &self.cert.tbs_certificate.subject_public_key_info
    }

    /// Refuses a certificate past its notAfter.
    pub fn check_current(&self, now: DateTime<Utc>) -> Result<(), CertError> {
        if self.not_after < now {
            Err(CertError::Expired)
        } else {
            Ok(())
        }
    }
}

/// Most certificates one upload may hold (a body, or a chain of issuers).
const MAX_CERTS: usize = 16;

/// Each PEM block is decoded on its own, then its DER parsed: the PEM-chain reader of
/// x509-cert never returns on some truncated inputs (a one-byte `MA==` body), and a block at a
/// time cannot loop.
fn pem_certs(text: &str) -> Result<Vec<Certificate>, CertError> {
    const BEGIN: &str = "-----BEGIN CERTIFICATE-----";
    const END: &str = "-----END CERTIFICATE-----";
    let mut rest = text.trim();
    let mut certs = Vec::new();
    while !rest.is_empty() {
        if !rest.starts_with(BEGIN) || certs.len() == MAX_CERTS {
            return Err(CertError::Malformed);
        }
        let end = rest.find(END).ok_or(CertError::Malformed)? + END.len();
        let (block, after) = rest.split_at(end);
        let (label, der) =
            x509_cert::der::pem::decode_vec(block.as_bytes()).map_err(|_| CertError::Malformed)?;
        if label != "CERTIFICATE" {
            return Err(CertError::Malformed);
        }
        certs.push(Certificate::from_der(&der).map_err(|_| CertError::Malformed)?);
        rest = after.trim_start();
    }
    if certs.is_empty() {
        return Err(CertError::Malformed);
    }
    Ok(certs)
}

/// Exactly one PEM certificate.
pub fn parse_certificate(text: &str) -> Result<ParsedCert, CertError> {
    let mut certs = pem_certs(text)?;
    match (certs.pop(), certs.is_empty()) {
        (Some(c), true) => Ok(ParsedCert::new(c)),
        _ => Err(CertError::Malformed),
    }
}

/// A chain for `leaf`: its issuer first, then each next issuer, as AWS requires.
pub fn parse_chain(text: &str, leaf: &ParsedCert) -> Result<Vec<ParsedCert>, CertError> {
    let chain: Vec<ParsedCert> = pem_certs(text)
        .map_err(|_| CertError::Chain(-1))?
        .into_iter()
        .map(ParsedCert::new)
        .collect();
    let mut child = leaf;
    for (i, c) in chain.iter().enumerate() {
        if c.cert.tbs_certificate.subject != child.cert.tbs_certificate.issuer {
            return Err(CertError::Chain(
                i64::try_from(i).unwrap_or(i64::MAX).saturating_sub(1),
            ));
        }
        child = c;
    }
    Ok(chain)
}

/// The public key a private key implies, in the form the certificate's SPKI holds it.
enum PublicPart {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    Ec {
        curve: Option<ObjectIdentifier>,
        point: Vec<u8>,
    },
}

fn rsa_public(der: &[u8]) -> Result<PublicPart, CertError> {
    let k = pkcs1::RsaPrivateKey::from_der(der).map_err(|_| CertError::PrivateKey)?;
    Ok(PublicPart::Rsa {
        n: k.modulus.as_bytes().to_vec(),
        e: k.public_exponent.as_bytes().to_vec(),
    })
}

fn ec_public(der: &[u8], curve: Option<ObjectIdentifier>) -> Result<PublicPart, CertError> {
    let k = sec1::EcPrivateKey::from_der(der).map_err(|_| CertError::PrivateKey)?;
    let curve = curve.or_else(|| k.parameters.and_then(|p| p.named_curve()));
    // OpenSSL and every common tool store the public point with the key; without it there is
    // nothing to compare, and the key is refused rather than trusted.
    let point = k.public_key.ok_or(CertError::PrivateKey)?.to_vec();
    Ok(PublicPart::Ec { curve, point })
}

fn private_public_part(pem: &str) -> Result<PublicPart, CertError> {
    let (label, der) = x509_cert::der::pem::decode_vec(pem.trim().as_bytes())
        .map_err(|_| CertError::PrivateKey)?;
    match label {
        "RSA PRIVATE KEY" => rsa_public(&der),
        "EC PRIVATE KEY" => ec_public(&der, None),
        "PRIVATE KEY" => {
            let info = pkcs8::PrivateKeyInfo::from_der(&der).map_err(|_| CertError::PrivateKey)?;
            if info.algorithm.oid == RSA {
                rsa_public(info.private_key)
            } else if info.algorithm.oid == EC_PUBLIC_KEY {
                let curve = info
                    .algorithm
                    .parameters
                    .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
                ec_public(info.private_key, curve)
            } else {
                Err(CertError::PrivateKey)
            }
        }
        _ => Err(CertError::PrivateKey),
    }
}

/// Checks that `pem` is one readable PEM private key (PKCS#1, PKCS#8 or SEC1; RSA or EC).
pub fn check_private_key(pem: &str) -> Result<(), CertError> {
    private_public_part(pem).map(|_| ())
}

/// Checks that `pem` is a readable private key whose public half is `cert`'s public key.
pub fn check_key_pair(pem: &str, cert: &ParsedCert) -> Result<(), CertError> {
    let part = private_public_part(pem)?;
    let spki = cert.spki();
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or(CertError::Malformed)?;
    let matches = match part {
        PublicPart::Rsa { n, e } => {
            spki.algorithm.oid == RSA
                && pkcs1::RsaPublicKey::from_der(bits).is_ok_and(|k| {
                    k.modulus.as_bytes() == n.as_slice()
                        && k.public_exponent.as_bytes() == e.as_slice()
                })
        }
        PublicPart::Ec { curve, point } => {
            let cert_curve = spki
                .algorithm
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<ObjectIdentifier>().ok());
            spki.algorithm.oid == EC_PUBLIC_KEY
                && (curve.is_none() || curve == cert_curve)
                && bits == point.as_slice()
        }
    };
    if matches {
        Ok(())
    } else {
        Err(CertError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/../server/tests/fixtures/certs/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    /// Truncated and one-byte DER bodies are refused. They used to send the PEM-chain reader
    /// into an endless loop, so the parsing runs on a thread the test gives up on rather than
    /// hanging the suite.
    #[test]
    fn truncated_certificates_are_refused_and_never_hang() {
        let good = fixture("server-rsa.pem");
        let body: String = good.lines().filter(|l| !l.starts_with("-----")).collect();
        let mut inputs = vec![
            "-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----".to_string(),
            "-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n".to_string(),
            "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----".to_string(),
            "-----BEGIN CERTIFICATE-----\nMA==".to_string(),
            format!("{good}\n-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----"),
        ];
        for cut in (4..body.len()).step_by(97) {
            let part = body.get(..cut - cut % 4).unwrap_or_default();
            inputs.push(format!(
                "-----BEGIN CERTIFICATE-----\n{part}\n-----END CERTIFICATE-----"
            ));
        }
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let refused = inputs.iter().all(|i| parse_certificate(i).is_err());
            let _ = tx.send(refused);
        });
        let refused = rx.recv_timeout(std::time::Duration::from_secs(120));
        assert_eq!(refused, Ok(true), "every truncated certificate is refused");
        assert!(parse_certificate(&good).is_ok());
    }

    #[test]
    fn key_pairs_match_only_their_certificates() {
        let rsa = parse_certificate(&fixture("server-rsa.pem")).unwrap();
        let ec = parse_certificate(&fixture("server-ec.pem")).unwrap();
        let p8 = parse_certificate(&fixture("other-pkcs8.pem")).unwrap();
        assert_eq!(check_key_pair(&fixture("server-rsa.key"), &rsa), Ok(()));
        assert_eq!(check_key_pair(&fixture("server-ec.key"), &ec), Ok(()));
        assert_eq!(check_key_pair(&fixture("other-pkcs8.key"), &p8), Ok(()));
        assert_eq!(
            check_key_pair(&fixture("other-pkcs8.key"), &rsa),
            Err(CertError::Mismatch)
        );
        assert_eq!(
            check_key_pair(&fixture("server-ec.key"), &rsa),
            Err(CertError::Mismatch)
        );
        assert_eq!(
            check_key_pair(&fixture("server-rsa.pem"), &rsa),
            Err(CertError::PrivateKey)
        );
        assert_eq!(check_key_pair("junk", &rsa), Err(CertError::PrivateKey));
        for key in ["server-rsa.key", "server-ec.key", "other-pkcs8.key"] {
            assert_eq!(check_private_key(&fixture(key)), Ok(()), "{key}");
        }
        assert_eq!(
            check_private_key(&fixture("server-rsa.pem")),
            Err(CertError::PrivateKey)
        );
        assert_eq!(check_private_key("junk"), Err(CertError::PrivateKey));
        assert!(rsa.not_after.timestamp() > 4_000_000_000);
        assert_eq!(rsa.fingerprint().len(), 64);
        assert_ne!(rsa.fingerprint(), ec.fingerprint());
    }

    #[test]
    fn bodies_chains_and_expiry() {
        let rsa = parse_certificate(&fixture("server-rsa.pem")).unwrap();
        assert_eq!(
            parse_chain(&fixture("ca.pem"), &rsa).map(|c| c.len()),
            Ok(1)
        );
        assert!(matches!(
            parse_chain(&fixture("server-ec.pem"), &rsa),
            Err(CertError::Chain(-1))
        ));
        assert!(matches!(
            parse_chain("nope", &rsa),
            Err(CertError::Chain(-1))
        ));
        assert!(matches!(
            parse_certificate("nope"),
            Err(CertError::Malformed)
        ));
        let two = format!("{}{}", fixture("server-rsa.pem"), fixture("ca.pem"));
        assert!(matches!(parse_certificate(&two), Err(CertError::Malformed)));
        let mut broken = fixture("server-ec.pem");
        broken.replace_range(40..44, "AAAA");
        assert!(matches!(
            parse_certificate(&broken),
            Err(CertError::Malformed)
        ));
        let expired = parse_certificate(&fixture("expired.pem")).unwrap();
        assert_eq!(expired.check_current(Utc::now()), Err(CertError::Expired));
        assert_eq!(rsa.check_current(Utc::now()), Ok(()));
    }
}
