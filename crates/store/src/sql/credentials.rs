//! User credentials other than access keys and passwords: SSH public keys, service-specific
//! credentials and signing certificates (`CredentialStore` over the engine interface). Each lives in its own
//! table keyed by id and owned by a user (signing certificates may belong to the root user:
//! `user_id IS NULL`).

use super::owned::{count_of, delete, list, set_status};
use crate::engine::{
    Engine, EngineTx, Row, SqlStore, all_rows, any, count, exec, optional_row, params,
};
use crate::rows::{key_status, opt_ts, parse_ts, ts};
use portcullis_core::credentials::{ServiceCredential, SigningCertificate, SshPublicKey};
use portcullis_core::store::CredentialTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{KeyStatus, StoreError, StoreResult};

/// The columns of SSH keys and signing certificates (the two have the same fields), in the order
/// [`ssh_row`] and [`cert_row`] read them.
macro_rules! uploaded_columns {
    () => {
        "id, account, user_id, body, fingerprint, status, uploaded"
    };
}

/// A function reading an SSH key or signing certificate row into `$ty`.
macro_rules! uploaded_row {
    ($name:ident, $ty:ident) => {
        fn $name(r: &Row) -> StoreResult<$ty> {
            Ok($ty {
                id: r.get(0)?,
                account: r.get(1)?,
                user_id: r.get(2)?,
                body: r.get(3)?,
                fingerprint: r.get(4)?,
                status: key_status(&r.get::<String>(5)?),
                uploaded: parse_ts(&r.get::<String>(6)?)?,
            })
        }
    };
}

uploaded_row!(ssh_row, SshPublicKey);
uploaded_row!(cert_row, SigningCertificate);

/// The service credential columns in the order [`cred_row`] reads them.
macro_rules! cred_columns {
    () => {
        "id, account, user_id, service_name, service_user_name, password, status, created, expiration"
    };
}

fn cred_row(r: &Row) -> StoreResult<ServiceCredential> {
    Ok(ServiceCredential {
        id: r.get(0)?,
        account: r.get(1)?,
        user_id: r.get(2)?,
        service_name: r.get(3)?,
        service_user_name: r.get(4)?,
        sealed_password: r.get(5)?,
        status: key_status(&r.get::<String>(6)?),
        created: parse_ts(&r.get::<String>(7)?)?,
        expiration: opt_ts(r.get(8)?)?,
    })
}

impl<E: Engine> CredentialStore for SqlStore<E> {
    fn get_ssh_key(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
    ) -> StoreResult<Option<SshPublicKey>> {
        self.read(|c| {
            optional_row(
                c,
                concat!(
                    "SELECT ",
                    uploaded_columns!(),
                    " FROM ssh_public_keys WHERE id = ?1 AND account = ?2 AND user_id = ?3"
                ),
                params![id, account, user_id],
                ssh_row,
            )
        })
    }

    fn list_ssh_keys(&self, account: &str, user_id: &str) -> StoreResult<Vec<SshPublicKey>> {
        self.read(|c| all_rows(
            c,
            concat!(
                "SELECT ",
                uploaded_columns!(),
                " FROM ssh_public_keys WHERE account = ?1 AND user_id = ?2 ORDER BY uploaded, id"
            ),
            params![account, user_id],
            ssh_row,
        ))
    }

    fn list_service_credentials(
        &self,
        account: &str,
        user_id: Option<&str>,
        service: Option<&str>,
    ) -> StoreResult<Vec<ServiceCredential>> {
        self.read(|c| all_rows(
            c,
            concat!(
                "SELECT ",
                cred_columns!(),
                " FROM service_credentials WHERE account = ?1 AND (CAST(?2 AS TEXT) IS NULL OR user_id = ?2)
                  AND (CAST(?3 AS TEXT) IS NULL OR service_name = ?3) ORDER BY created, id"
            ),
            params![account, user_id, service],
            cred_row,
        ))
    }

    fn list_signing_certs(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<SigningCertificate>> {
        let table = ("signing_certificates", uploaded_columns!(), "uploaded");
        self.read(|c| list(c, table, (account, user_id), cert_row))
    }
}

impl CredentialTx for EngineTx<'_> {
    fn ssh_key_held(&self, user_id: &str, fingerprint: &str) -> StoreResult<bool> {
        any(
            self.0,
            "SELECT COUNT(*) FROM ssh_public_keys WHERE user_id = ?1 AND fingerprint = ?2",
            params![user_id, fingerprint],
        )
    }

    fn count_ssh_keys(&self, user_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM ssh_public_keys WHERE user_id = ?1",
            params![user_id],
        )
    }

    fn insert_ssh_key(&self, k: &SshPublicKey) -> StoreResult<()> {
        exec(
            self.0,
            concat!(
                "INSERT INTO ssh_public_keys (",
                uploaded_columns!(),
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ),
            params![
                k.id,
                k.account,
                k.user_id,
                k.body,
                k.fingerprint,
                k.status.as_str(),
                ts(k.uploaded)
            ],
        )
    }

    fn count_service_credentials(&self, user_id: &str, service: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM service_credentials WHERE user_id = ?1 AND service_name = ?2",
            params![user_id, service],
        )
    }

    fn insert_service_credential(&self, c: &ServiceCredential) -> StoreResult<()> {
        exec(
            self.0,
            concat!(
                "INSERT INTO service_credentials (",
                cred_columns!(),
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ),
            params![
                c.id,
                c.account,
                c.user_id,
                c.service_name,
                c.service_user_name,
                c.sealed_password,
                c.status.as_str(),
                ts(c.created),
                c.expiration.map(ts)
            ],
        )
    }

    fn signing_cert_held(&self, account: &str, fingerprint: &str) -> StoreResult<bool> {
        any(
            self.0,
            "SELECT COUNT(*) FROM signing_certificates WHERE account = ?1 AND fingerprint = ?2",
            params![account, fingerprint],
        )
    }

    fn count_signing_certs(&self, account: &str, user_id: Option<&str>) -> StoreResult<usize> {
        count_of(self.0, "signing_certificates", (account, user_id))
    }

    fn insert_signing_cert(&self, c: &SigningCertificate) -> StoreResult<()> {
        exec(
            self.0,
            concat!(
                "INSERT INTO signing_certificates (",
                uploaded_columns!(),
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
            ),
            params![
                c.id,
                c.account,
                c.user_id,
                c.body,
                c.fingerprint,
                c.status.as_str(),
                ts(c.uploaded)
            ],
        )
    }

    fn update_ssh_key_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        set_status(
            self.0,
            "ssh_public_keys",
            (account, Some(user_id)),
            id,
            status,
        )
    }

    fn delete_ssh_key(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()> {
        delete(self.0, "ssh_public_keys", (account, Some(user_id)), id)
    }

    fn reset_service_credential(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        sealed_password: &[u8],
    ) -> StoreResult<ServiceCredential> {
        let mut cred = optional_row(
            self.0,
            concat!(
                "SELECT ",
                cred_columns!(),
                " FROM service_credentials WHERE id = ?1 AND account = ?2 AND user_id = ?3"
            ),
            params![id, account, user_id],
            cred_row,
        )?
        .ok_or(StoreError::NotFound)?;
        exec(
            self.0,
            "UPDATE service_credentials SET password = ?1 WHERE id = ?2",
            params![sealed_password, id],
        )?;
        cred.sealed_password = sealed_password.to_vec();
        Ok(cred)
    }

    fn update_service_credential_status(
        &self,
        account: &str,
        user_id: &str,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        set_status(
            self.0,
            "service_credentials",
            (account, Some(user_id)),
            id,
            status,
        )
    }

    fn delete_service_credential(&self, account: &str, user_id: &str, id: &str) -> StoreResult<()> {
        delete(self.0, "service_credentials", (account, Some(user_id)), id)
    }

    fn update_signing_cert_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        set_status(
            self.0,
            "signing_certificates",
            (account, user_id),
            id,
            status,
        )
    }

    fn delete_signing_cert(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
    ) -> StoreResult<()> {
        delete(self.0, "signing_certificates", (account, user_id), id)
    }
}
