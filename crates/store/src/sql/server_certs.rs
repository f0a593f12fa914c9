//! Server certificates (their private keys arrive sealed): `ServerCertStore` over the engine interface. Names
//! are unique per account ignoring case.

use crate::engine::{Conn, Engine, EngineTx, Row, SqlStore, count, exec, optional_row, params};
use crate::page::list_by_path;
use crate::rows::{parse_ts, ts};
use portcullis_core::credentials::ServerCertificate;
use portcullis_core::store::ServerCertTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{Page, StoreResult, Tag};

/// The server certificate columns in the order [`cert_row`] reads them.
macro_rules! cert_columns {
    () => {
        "id, account, name, path, body, chain, private_key, uploaded, expiration"
    };
}

fn cert_row(r: &Row) -> StoreResult<ServerCertificate> {
    Ok(ServerCertificate {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        body: r.get(4)?,
        chain: r.get(5)?,
        sealed_private_key: r.get(6)?,
        uploaded: parse_ts(&r.get::<String>(7)?)?,
        expiration: parse_ts(&r.get::<String>(8)?)?,
    })
}

fn find_cert(c: &dyn Conn, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            cert_columns!(),
            " FROM server_certificates WHERE account = ?1 AND name_lc = ?2"
        ),
        params![account, name.to_ascii_lowercase()],
        cert_row,
    )
}

impl<E: Engine> ServerCertStore for SqlStore<E> {
    fn get_server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>> {
        self.read(|c| find_cert(c, account, name))
    }

    fn list_server_certs(
        &self,
        account: &str,
        path_prefix: &str,
        marker: Option<&str>,
        max_items: usize,
    ) -> StoreResult<Page<ServerCertificate>> {
        self.read(|c| {
            list_by_path(
                c,
                ("server_certificates", cert_columns!()),
                account,
                path_prefix,
                marker,
                max_items,
                cert_row,
            )
        })
    }
}

impl ServerCertTx for EngineTx<'_> {
    fn server_cert(&self, account: &str, name: &str) -> StoreResult<Option<ServerCertificate>> {
        find_cert(self.0, account, name)
    }

    fn count_server_certs(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM server_certificates WHERE account = ?1",
            params![account],
        )
    }

    fn insert_server_cert(&self, c: &ServerCertificate, tags: &[Tag]) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO server_certificates (id, account, name, name_lc, path, body, chain, private_key, uploaded, expiration)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                c.id,
                c.account,
                c.name,
                c.name.to_ascii_lowercase(),
                c.path,
                c.body,
                c.chain,
                c.sealed_private_key,
                ts(c.uploaded),
                ts(c.expiration)
            ],
        )?;
        super::tags::put_tags(self.0, &c.id, tags, false)
    }

    fn save_server_cert(&self, c: &ServerCertificate) -> StoreResult<()> {
        exec(
            self.0,
            "UPDATE server_certificates SET name = ?2, name_lc = ?3, path = ?4 WHERE id = ?1",
            params![c.id, c.name, c.name.to_ascii_lowercase(), c.path],
        )
    }

    fn remove_server_cert(&self, cert_id: &str) -> StoreResult<()> {
        super::tags::delete_tags(self.0, cert_id)?;
        exec(
            self.0,
            "DELETE FROM server_certificates WHERE id = ?1",
            params![cert_id],
        )
    }
}
