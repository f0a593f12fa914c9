//! The [`TagStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Tags of any taggable entity.
pub trait TagStore {
    // Tags of any taggable entity, by its unique id. Keys compare ignoring case when `fold_case`
    // (users and roles), exactly otherwise. Callers check that the entity exists.
    fn tags(&self, entity_id: &str) -> StoreResult<Vec<Tag>>;
    /// Adds or replaces tags; `LimitExceeded` (and no change) past `max_tags`.
    fn tag_entity(
        &self,
        entity_id: &str,
        tags: &[Tag],
        fold_case: bool,
        max_tags: usize,
    ) -> StoreResult<()>;
    fn untag_entity(&self, entity_id: &str, keys: &[String], fold_case: bool) -> StoreResult<()>;
}
