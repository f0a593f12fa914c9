//! Credentials a user or an account uploads, checked as IAM checks them: [`ssh`] public keys
//! (UploadSSHPublicKey) and [`x509`] certificates, chains and private keys (signing and server
//! certificates, SAML private keys). The stored forms are in [`crate::credentials`]. The
//! functions here are the uploads' rules as domain services, each inside one write transaction:
//! a key or certificate held once, and the per-user quotas.

pub mod ssh;
pub mod x509;

use crate::credentials::{ServiceCredential, SigningCertificate, SshPublicKey};
use crate::error::{IamError, IamResult};
use crate::quotas::{
    self, MAX_SERVICE_CREDENTIALS_PER_SERVICE, MAX_SIGNING_CERTIFICATES_PER_USER,
    MAX_SSH_KEYS_PER_USER, Quota,
};
use crate::store::Tx;

/// UploadSSHPublicKey's write: a user holds a key once, and at most `PublicKeysPerUser`.
pub fn add_ssh_key(tx: &dyn Tx, key: &SshPublicKey) -> IamResult<()> {
    if tx.ssh_key_held(&key.user_id, &key.fingerprint)? {
        return Err(IamError::DuplicateSshPublicKey);
    }
    quotas::check(
        Quota::PublicKeysPerUser,
        tx.count_ssh_keys(&key.user_id)?,
        MAX_SSH_KEYS_PER_USER,
    )?;
    Ok(tx.insert_ssh_key(key)?)
}

/// CreateServiceSpecificCredential's write: at most two per user and service.
pub fn add_service_credential(tx: &dyn Tx, cred: &ServiceCredential) -> IamResult<()> {
    quotas::check(
        Quota::ServiceSpecificCredentialsPerUserPerService,
        tx.count_service_credentials(&cred.user_id, &cred.service_name)?,
        MAX_SERVICE_CREDENTIALS_PER_SERVICE,
    )?;
    Ok(tx.insert_service_credential(cred)?)
}

/// UploadSigningCertificate's write: a certificate is held once per account, and a user (or
/// the root user) holds at most `CertificatesPerUser`.
pub fn add_signing_cert(tx: &dyn Tx, cert: &SigningCertificate) -> IamResult<()> {
    if tx.signing_cert_held(&cert.account, &cert.fingerprint)? {
        return Err(IamError::DuplicateCertificate);
    }
    quotas::check(
        Quota::CertificatesPerUser,
        tx.count_signing_certs(&cert.account, cert.user_id.as_deref())?,
        MAX_SIGNING_CERTIFICATES_PER_USER,
    )?;
    Ok(tx.insert_signing_cert(cert)?)
}
