//! Access keys of users and of the root user (`user_id IS NULL`): `AccessKeyStore` over the engine interface.
//! Secrets arrive sealed; last use is recorded at most once per window.

use super::owned::{count_of, delete, list, set_status};
use crate::engine::{Engine, EngineTx, SqlStore, exec, optional_row, params};
use crate::rows::{self, key_columns, ts};
use chrono::{DateTime, Utc};
use portcullis_core::model::LastUsed;
use portcullis_core::store::AccessKeyTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{AccessKey, KeyStatus, StoreResult};

impl<E: Engine> AccessKeyStore for SqlStore<E> {
    fn get_access_key(&self, id: &str) -> StoreResult<Option<AccessKey>> {
        self.read(|c| {
            optional_row(
                c,
                concat!("SELECT ", key_columns!(), " FROM access_keys WHERE id = ?1"),
                params![id],
                rows::access_key,
            )
        })
    }

    fn list_access_keys(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<AccessKey>> {
        let table = ("access_keys", key_columns!(), "created");
        self.read(|c| list(c, table, (account, user_id), rows::access_key))
    }

    fn record_access_key_use(
        &self,
        id: &str,
        used: &LastUsed,
        not_before: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.record(|tx| {
            exec(
                tx,
                "UPDATE access_keys SET last_used_at = ?1, last_used_service = ?2, last_used_region = ?3
                 WHERE id = ?4 AND (last_used_at IS NULL OR last_used_at < ?5)",
                params![ts(used.at), used.service, used.region, id, ts(not_before)],
            )
        })
    }
}

impl AccessKeyTx for EngineTx<'_> {
    fn count_access_keys(&self, account: &str, user_id: Option<&str>) -> StoreResult<usize> {
        count_of(self.0, "access_keys", (account, user_id))
    }

    fn insert_access_key(&self, key: &AccessKey) -> StoreResult<()> {
        exec(
            self.0,
            concat!(
                "INSERT INTO access_keys (",
                key_columns!(),
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, NULL, NULL)"
            ),
            params![
                key.id,
                key.account,
                key.user_id,
                key.status.as_str(),
                key.sealed_secret,
                ts(key.created)
            ],
        )
    }

    fn update_access_key_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        set_status(self.0, "access_keys", (account, user_id), id, status)
    }

    fn delete_access_key(&self, account: &str, user_id: Option<&str>, id: &str) -> StoreResult<()> {
        delete(self.0, "access_keys", (account, user_id), id)
    }
}
