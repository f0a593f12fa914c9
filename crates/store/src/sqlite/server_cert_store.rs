//! `ServerCertStore` on SQLite.

use super::*;

impl ServerCertStore for SqliteStore {
    fn create_server_cert(
        &self,
        cert: &ServerCertificate,
        tags: &[Tag],
        max_per_account: usize,
    ) -> StoreResult<()> {
        self.write(|tx| server_certs::create(tx, cert, tags, max_per_account))
    }

    fn get_server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>> {
        server_certs::find(&self.read(), account, name)
    }

    fn update_server_cert(
        &self,
        account: &str,
        name: &str,
        update: &Rename,
    ) -> StoreResult<ServerCertificate> {
        self.write(|tx| server_certs::update(tx, account, name, update))
    }

    fn delete_server_cert(&self, account: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| server_certs::delete(tx, account, name))
    }

    fn list_server_certs(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<ServerCertificate>> {
        server_certs::list(&self.read(), account, path_prefix, marker, max_items)
    }
}
