//! `TagStore` on SQLite.

use super::*;

impl TagStore for SqliteStore {
    fn tags(&self, entity_id: &str) -> StoreResult<Vec<Tag>> {
        let c = self.read();
        let mut st = c
            .prepare_cached("SELECT key, value FROM entity_tags WHERE entity_id = ?1 ORDER BY seq")
            .map_err(backend)?;
        let out = st
            .query_map([entity_id], |r| {
                Ok(Tag {
                    key: r.get(0)?,
                    value: r.get(1)?,
                })
            })
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        Ok(out)
    }

    fn tag_entity(
        &self,
        entity_id: &str,
        tags: &[Tag],
        fold_case: bool,
        max_tags: usize,
    ) -> StoreResult<()> {
        self.write(|tx| {
            put_tags(tx, entity_id, tags, fold_case)?;
            if count(
                tx,
                "SELECT COUNT(*) FROM entity_tags WHERE entity_id = ?1",
                [entity_id],
            )? > max_tags
            {
                return Err(StoreError::LimitExceeded);
            }
            Ok(())
        })
    }

    fn untag_entity(&self, entity_id: &str, keys: &[String], fold_case: bool) -> StoreResult<()> {
        self.write(|tx| {
            for k in keys {
                tx.execute(
                    "DELETE FROM entity_tags WHERE entity_id = ?1 AND key_lc = ?2",
                    params![entity_id, tag_key(k, fold_case)],
                )
                .map_err(backend)?;
            }
            Ok(())
        })
    }
}
