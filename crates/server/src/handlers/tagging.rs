//! The one tagging implementation: Tag*, Untag* and List*Tags for every taggable entity, and
//! the decoding of a request's `Tags` and `TagKeys` lists for core's tag rules (with the
//! mapping of their errors to IAM's codes).

use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::shapes;
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::Tag;
use portcullis_core::iam;
use portcullis_core::tags::{TagError, check_tag_keys, check_tags};
use portcullis_proto::{AwsError, input, output};

/// A request's decoded `Tags` list (absent means none), checked by core's rules; `name` is the
/// list's wire name.
pub fn decode_tags(list: Option<&[input::Tag]>, name: &str) -> Result<Vec<Tag>, TagError> {
    let entries: Vec<_> = list
        .unwrap_or_default()
        .iter()
        .map(|t| (t.key.as_deref(), t.value.as_deref()))
        .collect();
    check_tags(&name.to_ascii_lowercase(), &entries)
}

/// IAM's answer to refused tags: `ValidationError` for constraint failures, `InvalidInput`
/// for the reserved prefix and duplicate keys.
pub fn tag_error(e: TagError) -> AwsError {
    iam_error(IamError::Tag(e))
}

/// A request's `Tags` list, as IAM refuses it.
pub fn parse_tags(list: Option<&[input::Tag]>, name: &str) -> Result<Vec<Tag>, AwsError> {
    decode_tags(list, name).map_err(tag_error)
}

/// A request's `TagKeys` list (absent means none), as IAM refuses it.
fn parse_tag_keys(keys: Option<&[String]>) -> Result<Vec<String>, AwsError> {
    let keys: Vec<&str> = keys
        .unwrap_or_default()
        .iter()
        .map(String::as_str)
        .collect();
    check_tag_keys(&keys).map_err(tag_error)
}

/// Adds the request's `Tags` to an entity. Tag keys of users and roles ignore case; those of
/// other entities do not.
pub fn tag(
    ctx: &Ctx,
    entity_id: &str,
    tags: &[input::Tag],
    fold_case: bool,
) -> Result<(), AwsError> {
    let tags = parse_tags(Some(tags), "Tags")?;
    write(ctx, |tx| iam::tags::tag(tx, entity_id, &tags, fold_case))
}

/// Removes the request's `TagKeys` from an entity.
pub fn untag(ctx: &Ctx, entity_id: &str, keys: &[String], fold_case: bool) -> Result<(), AwsError> {
    let keys = parse_tag_keys(Some(keys))?;
    write(ctx, |tx| iam::tags::untag(tx, entity_id, &keys, fold_case))
}

/// One page of an entity's tags: the members every `List*Tags` output has
/// (`Tags`, `IsTruncated`, `Marker`).
pub fn list(ctx: &Ctx, entity_id: &str) -> Result<TagPage, AwsError> {
    let tags = ctx.app.store.tags(entity_id).map_err(store_failure)?;
    let (page, next) = page_of(tags, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok((shapes::tags(&page), is_truncated, marker))
}

/// `Tags`, `IsTruncated` and `Marker` of a `List*Tags` answer.
pub type TagPage = (Vec<output::Tag>, Option<bool>, Option<String>);

/// Tag{X}, Untag{X} and List{X}Tags of one taggable entity, written once: `$member` is the
/// member naming the entity in all three inputs, `|ctx, name| id` finds it and gives the id its
/// tags are kept under, `fold_case` whether its tag keys ignore case (users and roles).
macro_rules! tag_handlers {
    (
        $tag:ident($ti:ident), $untag:ident($ui:ident), $list:ident($li:ident) -> $lo:ident,
        $member:ident, |$ctx:ident, $name:ident| $id:expr, fold_case: $fold:expr
    ) => {
        pub fn $tag(ctx: &$crate::handlers::Ctx) -> Result<(), portcullis_proto::AwsError> {
            let i = ctx.input::<portcullis_proto::input::$ti>()?;
            let ($ctx, $name) = (ctx, &i.$member);
            $crate::handlers::tagging::tag(ctx, &$id, &i.tags, $fold)
        }

        pub fn $untag(ctx: &$crate::handlers::Ctx) -> Result<(), portcullis_proto::AwsError> {
            let i = ctx.input::<portcullis_proto::input::$ui>()?;
            let ($ctx, $name) = (ctx, &i.$member);
            $crate::handlers::tagging::untag(ctx, &$id, &i.tag_keys, $fold)
        }

        pub fn $list(
            ctx: &$crate::handlers::Ctx,
        ) -> Result<portcullis_proto::output::$lo, portcullis_proto::AwsError> {
            let i = ctx.input::<portcullis_proto::input::$li>()?;
            let ($ctx, $name) = (ctx, &i.$member);
            let (tags, is_truncated, marker) = $crate::handlers::tagging::list(ctx, &$id)?;
            Ok(portcullis_proto::output::$lo {
                tags,
                is_truncated,
                marker,
            })
        }
    };
}

pub(crate) use tag_handlers;

#[cfg(test)]
mod tests {
    use super::*;

    use portcullis_proto::{Input, Operation, Params};

    /// Decodes `body` as the pipeline does (CreateUser, whose `Tags` are optional, and
    /// UntagUser inputs).
    fn input(op: Operation, body: &str) -> Input {
        Input::decode(op, &Params::parse(body.as_bytes()).unwrap()).unwrap()
    }

    fn parse(body: &str) -> Result<Vec<Tag>, AwsError> {
        let i = input(Operation::CreateUser, &format!("UserName=u&{body}"));
        parse_tags(i.tags("Tags"), "Tags")
    }

    #[test]
    fn tags_decode_from_the_query_and_refusals_take_iams_codes() {
        let tags = parse("Tags.member.1.Key=team&Tags.member.1.Value=a%20b&Tags.member.2.Key=%C3%A9t%C3%A9&Tags.member.2.Value=").unwrap();
        assert_eq!(tags.len(), 2);
        assert_eq!((tags[1].key.as_str(), tags[1].value.as_str()), ("été", ""));
        assert_eq!(parse("").unwrap(), vec![]);
        let e = parse("Tags.member.1.Key=a%21&Tags.member.1.Value=x").unwrap_err();
        assert_eq!(e.code, "ValidationError");
        assert!(
            e.message
                .starts_with("1 validation error detected: Value 'a!' at 'tags.1.member.key'")
        );
        let e = parse("Tags.member.1.Key=k&Tags.member.2.Value=v").unwrap_err();
        assert!(
            e.message
                .starts_with("2 validation errors detected: Value null at 'tags.1.member.value'")
        );
        let e = parse("Tags.member.1.Key=aws%3Ax&Tags.member.1.Value=x").unwrap_err();
        assert_eq!(e.code, "InvalidInput");
        let e = parse(
            "Tags.member.1.Key=A&Tags.member.1.Value=x&Tags.member.2.Key=a&Tags.member.2.Value=y",
        )
        .unwrap_err();
        assert_eq!(e.code, "InvalidInput");
        let many: Vec<String> = (1..=51)
            .map(|n| format!("Tags.member.{n}.Key=k{n}&Tags.member.{n}.Value=v"))
            .collect();
        assert_eq!(
            parse(&many.join("&")).unwrap_err().message,
            "1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50"
        );
    }

    #[test]
    fn tag_keys_decode_from_the_query() {
        let i = input(
            Operation::UntagUser,
            "UserName=u&TagKeys.member.2=b&TagKeys.member.1=a",
        );
        assert_eq!(parse_tag_keys(i.strings("TagKeys")).unwrap(), ["a", "b"]);
        let i = input(Operation::UntagUser, "UserName=u&TagKeys.member.1=");
        assert_eq!(
            parse_tag_keys(i.strings("TagKeys")).unwrap_err().code,
            "ValidationError"
        );
    }
}
