//! `CredentialStore` on SQLite.

use super::*;

impl CredentialStore for SqliteStore {
    fn create_ssh_key(&self, key: &SshPublicKey, max_per_user: usize) -> StoreResult<()> {
        self.write(|tx| creds::create_ssh_key(tx, key, max_per_user))
    }

    fn get_ssh_key(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
    ) -> StoreResult<Option<SshPublicKey>> {
        creds::get_ssh_key(&self.read(), account, user_id, id)
    }

    fn list_ssh_keys(&self, account: &str, user_id: &str) -> StoreResult<Vec<SshPublicKey>> {
        creds::list_ssh_keys(&self.read(), account, user_id)
    }

    fn update_ssh_key_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| creds::update_ssh_key_status(tx, account, user_id, id, status))
    }

    fn delete_ssh_key(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()> {
        self.write(|tx| creds::delete_ssh_key(tx, account, user_id, id))
    }

    fn create_service_credential(
        &self,
        cred: &ServiceCredential,
        max_per_service: usize,
    ) -> StoreResult<()> {
        self.write(|tx| creds::create_service_credential(tx, cred, max_per_service))
    }

    fn list_service_credentials(
        &self,
        account: &str,
        user_id: Option<&str>,
        service: Option<&str>,
    ) -> StoreResult<Vec<ServiceCredential>> {
        creds::list_service_credentials(&self.read(), account, user_id, service)
    }

    fn reset_service_credential(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        sealed_password: &[u8],
    ) -> StoreResult<ServiceCredential> {
        self.write(|tx| creds::reset_service_credential(tx, account, user_id, id, sealed_password))
    }

    fn update_service_credential_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| creds::update_service_credential_status(tx, account, user_id, id, status))
    }

    fn delete_service_credential(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()> {
        self.write(|tx| creds::delete_service_credential(tx, account, user_id, id))
    }

    fn create_signing_cert(
        &self,
        cert: &SigningCertificate,
        max_per_user: usize,
    ) -> StoreResult<()> {
        self.write(|tx| creds::create_signing_cert(tx, cert, max_per_user))
    }

    fn list_signing_certs(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<SigningCertificate>> {
        creds::list_signing_certs(&self.read(), account, user_id)
    }

    fn update_signing_cert_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| creds::update_signing_cert_status(tx, account, user_id, id, status))
    }

    fn delete_signing_cert(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
    ) -> StoreResult<()> {
        self.write(|tx| creds::delete_signing_cert(tx, account, user_id, id))
    }
}
