//! Tagging any taggable entity (Tag*, and the tags given at creation) as a domain service, inside
//! one write transaction: an entity carries at most `MAX_TAGS` tags once the new ones are added
//! or replaced. The tags are written first and counted after, so replacing a tag costs nothing;
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
