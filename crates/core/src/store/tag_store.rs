//! The [`TagStore`] family of the storage contract (see [`crate::store`]): reads, and [`TagTx`],
//! the data-only writes `crate::iam::tags` makes inside one transaction.

use super::*;

/// Tags of any taggable entity.
pub trait TagStore {
    // Tags of any taggable entity, by its unique id. Keys compare ignoring case when `fold_case`
    // (users and roles), exactly otherwise. Callers check that the entity exists.
    fn tags(&self, entity_id: &str) -> StoreResult<Vec<Tag>>;
}

/// Tags inside a write transaction; data only (see [`super::UserTx`]).
pub trait TagTx {
    /// Adds or replaces tags of the entity; a replaced tag keeps its place in the order.
    fn put_tags(&self, entity_id: &str, tags: &[Tag], fold_case: bool) -> StoreResult<()>;
    fn count_tags(&self, entity_id: &str) -> StoreResult<usize>;
    /// Removes the tags with these keys (ignoring case when `fold_case`); absent keys are no
    /// change.
    fn untag_entity(&self, entity_id: &str, keys: &[String], fold_case: bool) -> StoreResult<()>;
}
