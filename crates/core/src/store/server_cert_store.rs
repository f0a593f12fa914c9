//! The [`ServerCertStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Server certificates.
pub trait ServerCertStore {
    // Server certificates. Names are unique per account ignoring case.
    fn create_server_cert(
        &self,
        cert: &ServerCertificate,
        tags: &[Tag],
        max_per_account: usize,
    ) -> StoreResult<()>;
    fn get_server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>>;
    fn update_server_cert(
        &self,
        account: &str,
        name: &str,
        update: &Rename,
    ) -> StoreResult<ServerCertificate>;
    fn delete_server_cert(&self, account: &str, name: &str) -> StoreResult<()>;
    fn list_server_certs(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<ServerCertificate>>;
}
