//! The [`CredentialStore`] family of the storage contract (see [`crate::store`]): reads and the
//! writes no rule guards, and [`CredentialTx`], the data-only writes `crate::iam::credentials`
//! makes inside one transaction.

use super::*;

/// SSH public keys, service-specific credentials and signing certificates.
pub trait CredentialStore {
    // SSH public keys of users.
    fn get_ssh_key(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
    ) -> StoreResult<Option<SshPublicKey>>;
    /// Oldest first.
    fn list_ssh_keys(&self, account: &str, user_id: &str) -> StoreResult<Vec<SshPublicKey>>;
    // Service-specific credentials.
    /// Credentials of one user (or of every user of the account when `user_id` is `None`),
    /// optionally of one service, oldest first.
    fn list_service_credentials(
        &self,
        account: &str,
        user_id: Option<&str>,
        service: Option<&str>,
    ) -> StoreResult<Vec<ServiceCredential>>;
    // Signing certificates of users (`user_id` None: the root user).
    fn list_signing_certs(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<SigningCertificate>>;
}

/// Uploaded credentials inside a write transaction; data only (see [`super::UserTx`]). Updates,
/// resets and deletions are NotFound when the owner has no credential `id`.
pub trait CredentialTx {
    /// Whether the user holds an SSH key with this fingerprint.
    fn ssh_key_held(&self, user_id: &str, fingerprint: &str) -> StoreResult<bool>;
    fn count_ssh_keys(&self, user_id: &str) -> StoreResult<usize>;
    fn insert_ssh_key(&self, key: &SshPublicKey) -> StoreResult<()>;
    /// How many credentials the user has for `service`.
    fn count_service_credentials(&self, user_id: &str, service: &str) -> StoreResult<usize>;
    fn insert_service_credential(&self, cred: &ServiceCredential) -> StoreResult<()>;
    /// Whether anyone in `account` holds a signing certificate with this fingerprint.
    fn signing_cert_held(&self, account: &str, fingerprint: &str) -> StoreResult<bool>;
    /// How many signing certificates the user (`None`: the root user) of `account` has.
    fn count_signing_certs(&self, account: &str, user_id: Option<&str>) -> StoreResult<usize>;
    fn insert_signing_cert(&self, cert: &SigningCertificate) -> StoreResult<()>;
    fn update_ssh_key_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()>;
    fn delete_ssh_key(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()>;
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
