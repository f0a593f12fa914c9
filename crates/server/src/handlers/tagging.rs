//! The one tagging implementation: Tag*, Untag* and List*Tags for every taggable entity.

use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::{Ctx, HandlerResult, store_failure};
use portcullis_core::StoreError;
use portcullis_core::tags::{MAX_TAGS, parse_tag_keys, parse_tags};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

/// Tag keys of users and roles ignore case; those of other entities do not.
pub fn tag(ctx: &Ctx, entity_id: &str, fold_case: bool) -> HandlerResult {
    let tags = parse_tags(&ctx.params, "Tags")?;
    ctx.app
        .store
        .tag_entity(entity_id, &tags, fold_case, MAX_TAGS)
        .map_err(|e| match e {
            StoreError::LimitExceeded => {
                AwsError::limit_exceeded("The number of tags has reached the maximum limit.")
            }
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn untag(ctx: &Ctx, entity_id: &str, fold_case: bool) -> HandlerResult {
    let keys = parse_tag_keys(&ctx.params, "TagKeys")?;
    ctx.app
        .store
        .untag_entity(entity_id, &keys, fold_case)
        .map_err(store_failure)?;
    Ok(String::new())
}

pub fn list(ctx: &Ctx, entity_id: &str) -> HandlerResult {
    let tags = ctx.app.store.tags(entity_id).map_err(store_failure)?;
    let (page, next) = page_of(tags, &PageArgs::from(ctx))?;
    let mut w = XmlWriter::new();
    crate::handlers::users::write_tags(&mut w, &page);
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}
