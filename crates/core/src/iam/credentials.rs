//! Credentials a user or an account uploads, checked as IAM checks them: [`ssh`] public keys
//! (UploadSSHPublicKey) and [`x509`] certificates, chains and private keys (signing and server
//! certificates, SAML private keys). The stored forms are in [`crate::credentials`]. The
//! functions here are the uploads' rules as domain services, each inside one write transaction:
//! a key or certificate held once, and the per-user quotas; with them the checks made before
//! the write: the services that have service-specific credentials ([`check_service`]) and the
//! `Status` a caller may set on any credential ([`status`]). Their updates, deletions and resets
//! are [`changes`]'.

pub mod changes;
pub mod ssh;
pub mod x509;

use crate::credentials::{ServiceCredential, SigningCertificate, SshPublicKey};
use crate::error::{IamError, IamResult};
use crate::model::KeyStatus;
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

/// Services with user-name/password credentials (CodeCommit's Git, Keyspaces).
pub const PASSWORD_SERVICES: &[&str] = &["codecommit.amazonaws.com", "cassandra.amazonaws.com"];
/// Services with long-term API keys (alias and secret, optionally expiring): Bedrock and
/// CloudWatch Logs.
pub const API_KEY_SERVICES: &[&str] = &["bedrock.amazonaws.com", "logs.amazonaws.com"];

/// Whether `service`'s credentials are API keys.
pub fn is_api_key(service: &str) -> bool {
    API_KEY_SERVICES.contains(&service)
}

/// CreateServiceSpecificCredential's checks: `service` has such credentials, and only API keys
/// take `CredentialAgeDays`.
pub fn check_service(service: &str, age_days_given: bool) -> IamResult<()> {
    if !PASSWORD_SERVICES.contains(&service) && !is_api_key(service) {
        return Err(IamError::UnsupportedCredentialService(service.to_string()));
    }
    if age_days_given && !is_api_key(service) {
        return Err(IamError::CredentialAgeNotSupported(service.to_string()));
    }
    Ok(())
}

/// A request's `Status` for a credential. The model also allows `Expired`, which a caller
/// cannot set.
pub fn status(value: &str) -> IamResult<KeyStatus> {
    KeyStatus::parse(value).ok_or(IamError::InvalidKeyStatus)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_credentials_exist_for_four_services() {
        assert_eq!(check_service("codecommit.amazonaws.com", false), Ok(()));
        assert_eq!(check_service("bedrock.amazonaws.com", true), Ok(()));
        assert_eq!(
            check_service("s3.amazonaws.com", false)
                .unwrap_err()
                .to_string(),
            "No such service s3.amazonaws.com is supported for Service Specific Credentials"
        );
        assert_eq!(
            check_service("cassandra.amazonaws.com", true)
                .unwrap_err()
                .to_string(),
            "CredentialAgeDays is not supported for service cassandra.amazonaws.com."
        );
        assert!(is_api_key("logs.amazonaws.com") && !is_api_key("codecommit.amazonaws.com"));
    }

    #[test]
    fn callers_set_active_or_inactive() {
        assert_eq!(status("Active"), Ok(KeyStatus::Active));
        assert_eq!(status("Inactive"), Ok(KeyStatus::Inactive));
        for bad in ["Expired", "active", ""] {
            assert_eq!(status(bad), Err(IamError::InvalidKeyStatus), "{bad}");
        }
        assert_eq!(
            IamError::InvalidKeyStatus.to_string(),
            "1 validation error detected: Value at 'status' failed to satisfy constraint: Member must satisfy enum value set"
        );
    }
}
