//! Tags of every entity kind, kept in one table under the entity's id (or ARN, or MFA serial):
//! `TagStore` over the engine interface, and the helpers other areas use to store an entity's tags at creation
//! and drop them with it. Tag keys ignore case for some kinds and not for others; the caller
//! says which (`fold_case`).

use crate::engine::{
    Conn, Engine, EngineTx, SqlStore, all_rows, count, exec, optional_row, params,
};
use portcullis_core::store::TagTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{StoreResult, Tag};

/// The stored form of a tag key: lowercase for kinds whose keys ignore case.
fn tag_key(key: &str, fold_case: bool) -> String {
    if fold_case {
        key.to_lowercase()
    } else {
        key.to_string()
    }
}

/// Adds or replaces `tags` on an entity; a replaced tag keeps its place in the order.
pub(crate) fn put_tags(
    c: &dyn Conn,
    entity_id: &str,
    tags: &[Tag],
    fold_case: bool,
) -> StoreResult<()> {
    for t in tags {
        let lc = tag_key(&t.key, fold_case);
        let seq = optional_row(
            c,
            "SELECT COALESCE((SELECT seq FROM entity_tags WHERE entity_id = ?1 AND key_lc = ?2),
                             (SELECT COALESCE(MAX(seq), 0) + 1 FROM entity_tags WHERE entity_id = ?1))",
            params![entity_id, lc],
            |r| r.get::<i64>(0),
        )?
        .unwrap_or(1);
        exec(
            c,
            "INSERT INTO entity_tags (entity_id, key_lc, key, value, seq) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (entity_id, key_lc) DO UPDATE SET key = excluded.key, value = excluded.value",
            params![entity_id, lc, t.key, t.value, seq],
        )?;
    }
    Ok(())
}

/// Drops an entity's tags (when the entity goes).
pub(crate) fn delete_tags(c: &dyn Conn, entity_id: &str) -> StoreResult<()> {
    exec(
        c,
        "DELETE FROM entity_tags WHERE entity_id = ?1",
        params![entity_id],
    )
}

impl<E: Engine> TagStore for SqlStore<E> {
    fn tags(&self, entity_id: &str) -> StoreResult<Vec<Tag>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT key, value FROM entity_tags WHERE entity_id = ?1 ORDER BY seq",
                params![entity_id],
                |r| {
                    Ok(Tag {
                        key: r.get(0)?,
                        value: r.get(1)?,
                    })
                },
            )
        })
    }
}

impl TagTx for EngineTx<'_> {
    fn put_tags(&self, entity_id: &str, tags: &[Tag], fold_case: bool) -> StoreResult<()> {
        put_tags(self.0, entity_id, tags, fold_case)
    }

    fn count_tags(&self, entity_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM entity_tags WHERE entity_id = ?1",
            params![entity_id],
        )
    }

    fn untag_entity(&self, entity_id: &str, keys: &[String], fold_case: bool) -> StoreResult<()> {
        for k in keys {
            exec(
                self.0,
                "DELETE FROM entity_tags WHERE entity_id = ?1 AND key_lc = ?2",
                params![entity_id, tag_key(k, fold_case)],
            )?;
        }
        Ok(())
    }
}
