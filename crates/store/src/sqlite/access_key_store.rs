//! `AccessKeyStore` on SQLite.

use super::*;

impl AccessKeyStore for SqliteStore {
    fn create_access_key(&self, key: &AccessKey, max_per_user: usize) -> StoreResult<()> {
        self.write(|tx| {
            let n = count(
                tx,
                "SELECT COUNT(*) FROM access_keys WHERE account = ?1 AND user_id IS ?2",
                params![key.account, key.user_id],
            )?;
            if n >= max_per_user {
                return Err(StoreError::LimitExceeded);
            }
            tx.execute(
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
            .map_err(backend)?;
            Ok(())
        })
    }

    fn get_access_key(&self, id: &str) -> StoreResult<Option<AccessKey>> {
        cached_row(
            &self.read(),
            concat!("SELECT ", key_columns!(), " FROM access_keys WHERE id = ?1"),
            [id],
            rows::access_key,
        )
        .optional()
        .map_err(backend)
    }

    fn list_access_keys(
        &self,
        account: &str,
        user_id: Option<&str>,
    ) -> StoreResult<Vec<AccessKey>> {
        let c = self.read();
        let mut st = c
            .prepare_cached(concat!(
                "SELECT ",
                key_columns!(),
                " FROM access_keys WHERE account = ?1 AND user_id IS ?2 ORDER BY created, id"
            ))
            .map_err(backend)?;
        let out = st
            .query_map(params![account, user_id], rows::access_key)
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        Ok(out)
    }

    fn update_access_key_status(
        &self,
        account: &str,
        user_id: Option<&str>,
        id: &str,
        status: KeyStatus,
    ) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx
                .execute("UPDATE access_keys SET status = ?1 WHERE id = ?2 AND account = ?3 AND user_id IS ?4", params![status.as_str(), id, account, user_id])
                .map_err(backend)?;
            if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
        })
    }

    fn delete_access_key(&self, account: &str, user_id: Option<&str>, id: &str) -> StoreResult<()> {
        self.write(|tx| {
            let n = tx
                .execute(
                    "DELETE FROM access_keys WHERE id = ?1 AND account = ?2 AND user_id IS ?3",
                    params![id, account, user_id],
                )
                .map_err(backend)?;
            if n == 0 {
                Err(StoreError::NotFound)
            } else {
                Ok(())
            }
        })
    }

    fn record_access_key_use(
        &self,
        id: &str,
        used: &LastUsed,
        not_before: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "UPDATE access_keys SET last_used_at = ?1, last_used_service = ?2, last_used_region = ?3
                 WHERE id = ?4 AND (last_used_at IS NULL OR last_used_at < ?5)",
                params![ts(used.at), used.service, used.region, id, ts(not_before)],
            )
            .map_err(backend)?;
            Ok(())
        })
    }
}
