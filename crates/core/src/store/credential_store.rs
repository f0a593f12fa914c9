//! The [`CredentialStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// SSH public keys, service-specific credentials and signing certificates.
pub trait CredentialStore {
    // SSH public keys of users. A user holds a key once (`AlreadyExists` for the same
    // fingerprint) and at most `max_per_user` keys (`LimitExceeded`).
    fn create_ssh_key(&self, key: &SshPublicKey, max_per_user: usize) -> StoreResult<()>;
    fn get_ssh_key(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
    ) -> StoreResult<Option<SshPublicKey>>;
    /// Oldest first.
    fn list_ssh_keys(&self, account: &str, user_id: &str) -> StoreResult<Vec<SshPublicKey>>;
    fn update_ssh_key_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_ssh_key(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()>;
    // Service-specific credentials: at most `max_per_service` per user and service.
    fn create_service_credential(
        &self,
        cred: &ServiceCredential,
        max_per_service: usize,
    ) -> StoreResult<()>;
    /// Credentials of one user (or of every user of the account when `user_id` is `None`),
    /// optionally of one service, oldest first.
    fn list_service_credentials(
        &self,
        account: &str,
        user_id: Option<&str>,
        service: Option<&str>,
    ) -> StoreResult<Vec<ServiceCredential>>;
    /// Replaces the sealed password; returns the credential as it now is.
    fn reset_service_credential(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        sealed_password: &[u8],
    ) -> StoreResult<ServiceCredential>;
    fn update_service_credential_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_service_credential(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()>;
    // Signing certificates of users (`user_id` None: the root user). A certificate is held once
    // per account (`AlreadyExists`); at most `max_per_user` per user (`LimitExceeded`).
    fn create_signing_cert(
        &self,
        cert: &SigningCertificate,
        max_per_user: usize,
    ) -> StoreResult<()>;
    fn list_signing_certs(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<SigningCertificate>>;
    fn update_signing_cert_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_signing_cert(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
    ) -> StoreResult<()>;
}
