//! Tagging and untagging any taggable entity (Tag*, Untag*, and the tags given at creation) as
//! domain services, inside one write transaction: an entity carries at most `MAX_TAGS` tags once
//! the new ones are added or replaced; untagging a key the entity lacks changes nothing. The tags are written first and counted after, so replacing a tag costs nothing;
//! a refusal rolls the transaction back, leaving the entity as it was. The tag syntax rules are
//! `crate::tags`'.

use crate::error::{IamError, IamResult};
use crate::model::Tag;
use crate::quotas::MAX_TAGS;
use crate::store::Tx;

/// Adds or replaces `tags` on entity `entity_id`; keys ignore case when `fold_case` (users and
/// roles).
pub fn tag(tx: &dyn Tx, entity_id: &str, tags: &[Tag], fold_case: bool) -> IamResult<()> {
    tx.put_tags(entity_id, tags, fold_case)?;
    if tx.count_tags(entity_id)? > MAX_TAGS {
        return Err(IamError::TooManyTags);
    }
    Ok(())
}

/// Removes the tags with these keys from entity `entity_id` (the caller found it); keys ignore
/// case when `fold_case` (users and roles).
pub fn untag(tx: &dyn Tx, entity_id: &str, keys: &[String], fold_case: bool) -> IamResult<()> {
    Ok(tx.untag_entity(entity_id, keys, fold_case)?)
}
