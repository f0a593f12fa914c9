//! User credentials other than access keys (SSH public keys, service-specific credentials,
//! X.509 signing certificates) and the account's server certificates, and why an uploaded
//! certificate, private key or SSH public key is refused ([`CertError`], [`SshKeyError`]; the
//! checks are in [`crate::iam::credentials`]).

use crate::model::KeyStatus;
use chrono::{DateTime, Utc};

/// An SSH public key of a user (CodeCommit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SshPublicKey {
    pub id: String,
    pub account: String,
    pub user_id: String,
    /// The key in OpenSSH form (`ssh-rsa AAAA...`), as uploaded or converted from PEM.
    pub body: String,
    /// MD5 of the key blob, colon-separated hex.
    pub fingerprint: String,
    pub status: KeyStatus,
    pub uploaded: DateTime<Utc>,
}

/// A service-specific credential (CodeCommit Git or Keyspaces password). The password is sealed
/// under the master key with the credential id as associated data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceCredential {
    pub id: String,
    pub account: String,
    pub user_id: String,
    pub service_name: String,
    /// `ServiceUserName` (`<user>-at-<account>`), or for API-key services the public
    /// `ServiceCredentialAlias`.
    pub service_user_name: String,
    /// The sealed `ServicePassword` (or API-key `ServiceCredentialSecret`).
    pub sealed_password: Vec<u8>,
    pub status: KeyStatus,
    pub created: DateTime<Utc>,
    /// When an API key created with `CredentialAgeDays` expires.
    pub expiration: Option<DateTime<Utc>>,
}

/// An X.509 signing certificate of a user, or of the root user when `user_id` is `None`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningCertificate {
    pub id: String,
    pub account: String,
    pub user_id: Option<String>,
    /// The PEM text as uploaded.
    pub body: String,
    /// SHA-256 of the DER certificate, hex: the same certificate cannot be uploaded twice in an
    /// account.
    pub fingerprint: String,
    pub status: KeyStatus,
    pub uploaded: DateTime<Utc>,
}

/// A server certificate of an account. The private key is sealed under the master key with the
/// certificate id as associated data and is never returned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerCertificate {
    pub id: String,
    pub account: String,
    pub name: String,
    pub path: String,
    pub body: String,
    pub chain: Option<String>,
    pub sealed_private_key: Vec<u8>,
    pub uploaded: DateTime<Utc>,
    pub expiration: DateTime<Utc>,
}

impl ServerCertificate {
    pub fn arn(&self) -> String {
        crate::arn::entity(&self.account, "server-certificate", &self.path, &self.name)
    }
}

/// Why an uploaded certificate or private key was refused, worded as AWS words it; the server
/// maps each to AWS's error code (`KeyPairMismatch` for a mismatch, `MalformedCertificate` for
/// the rest).
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CertError {
    /// Not one PEM certificate.
    #[error("Unable to parse certificate. Please ensure the certificate is in PEM format.")]
    Malformed,
    /// Past its notAfter.
    #[error("The certificate has expired.")]
    Expired,
    /// The chain does not lead from the certificate to its issuers; the index is AWS's.
    #[error(
        "Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: {0}"
    )]
    Chain(i64),
    /// The private key cannot be read (wrong PEM label, encrypted, corrupt, unsupported type).
    #[error(
        "Unable to parse private key. Please ensure the private key is an unencrypted RSA or EC key in PEM format."
    )]
    PrivateKey,
    /// The private key is not the certificate's.
    #[error("The public key certificate and the private key do not match.")]
    Mismatch,
}

/// Why an uploaded SSH public key was refused, worded as AWS words it; the server maps each to
/// AWS's error code.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SshKeyError {
    /// `UnrecognizedPublicKeyEncoding`: neither OpenSSH nor PEM, or an unsupported key type.
    #[error("The public key encoding format is unsupported or unrecognized.")]
    Unrecognized,
    /// `InvalidPublicKey`: a recognized encoding whose content is malformed or too weak.
    #[error("{0}")]
    Invalid(&'static str),
}
