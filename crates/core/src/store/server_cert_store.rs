//! The [`ServerCertStore`] family of the storage contract (see [`crate::store`]): reads and the
//! writes no rule guards, and [`ServerCertTx`], the data-only writes
//! `crate::iam::server_certs` makes inside one transaction.

use super::*;

/// Server certificates.
pub trait ServerCertStore {
    // Server certificates. Names are unique per account ignoring case.
    fn get_server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>>;
    fn list_server_certs(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<ServerCertificate>>;
}

/// Server certificates inside a write transaction; data only (see [`super::UserTx`]).
pub trait ServerCertTx {
    /// The server certificate of `account` called `name`, ignoring case.
    fn server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>>;
    fn count_server_certs(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the certificate with its tags (keys compared as given).
    fn insert_server_cert(&self, cert: &ServerCertificate, tags: &[Tag]) -> StoreResult<()>;
    /// Writes the name and path of the certificate with `cert.id` (`AlreadyExists` when another
    /// of the account has the name, ignoring case).
    fn save_server_cert(&self, cert: &ServerCertificate) -> StoreResult<()>;
    /// Removes the certificate with id `cert_id` and its tags.
    fn remove_server_cert(&self, cert_id: &str) -> StoreResult<()>;
}
