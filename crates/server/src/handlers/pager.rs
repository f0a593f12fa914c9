//! The one pager: `Marker`/`MaxItems` in, `IsTruncated`/`Marker` out.

use crate::handlers::shapes::Paged;
use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::iam::paging;
use portcullis_core::{Page, StoreError};
use portcullis_proto::AwsError;

pub const DEFAULT_MAX_ITEMS: usize = 100;

/// A page request: the marker (decoded from the opaque wire form) and MaxItems.
#[derive(Debug)]
pub struct PageArgs {
    pub marker: Option<String>,
    pub max_items: usize,
}

/// The wire form of a marker (see [`portcullis_core::iam::paging`]).
pub use portcullis_core::iam::paging::encode_marker;

/// The position a wire marker holds, or AWS's "Invalid Marker." for anything else.
pub fn decode_marker(wire: &str) -> Result<String, AwsError> {
    paging::decode_marker(wire).map_err(iam_error)
}

impl PageArgs {
    pub fn from(ctx: &Ctx) -> Result<Self, AwsError> {
        let max_items = ctx
            .input
            .int("MaxItems")
            .and_then(|m| usize::try_from(m).ok())
            .unwrap_or(DEFAULT_MAX_ITEMS);
        Ok(PageArgs {
            marker: ctx.input.text("Marker").map(decode_marker).transpose()?,
            max_items,
        })
    }
}

/// The indexes of one page of a list of `total` items, and the next marker (the index of the
/// next item), for lists that are never built in memory.
pub fn page_range(
    total: usize,
    args: &PageArgs,
) -> Result<(std::ops::Range<usize>, Option<String>), AwsError> {
    paging::page_range(total, args.marker.as_deref(), args.max_items).map_err(iam_error)
}

/// Pages an in-memory list; the marker is the index of the next item.
pub fn page_of<T>(items: Vec<T>, args: &PageArgs) -> Result<(Vec<T>, Option<String>), AwsError> {
    let (range, next) = page_range(items.len(), args)?;
    Ok((
        items
            .into_iter()
            .skip(range.start)
            .take(range.len())
            .collect(),
        next,
    ))
}

/// The page a path-prefixed listing (ListUsers, ListGroups, ListRoles, ...) asks of the store:
/// `list(account, prefix, marker, max_items)` for the caller's account, under `PathPrefix`
/// (`/` when absent).
pub fn path_page<T>(
    ctx: &Ctx,
    prefix: Option<&str>,
    list: impl FnOnce(&str, &str, Option<&str>, usize) -> Result<Page<T>, StoreError>,
) -> Result<Page<T>, AwsError> {
    let args = PageArgs::from(ctx)?;
    list(
        ctx.account()?,
        prefix.unwrap_or("/"),
        args.marker.as_deref(),
        args.max_items,
    )
    .map_err(store_failure)
}

/// A store page as an output's list, `IsTruncated` and `Marker`, each item shaped by `f`.
pub fn shaped<T, O>(page: &Page<T>, f: impl FnMut(&T) -> O) -> Paged<O> {
    let (is_truncated, marker) = truncation(page.next_marker.as_deref());
    (page.items.iter().map(f).collect(), is_truncated, marker)
}

/// A typed output's `IsTruncated` (always) and `Marker` (when truncated).
pub fn truncation(next_marker: Option<&str>) -> (Option<bool>, Option<String>) {
    (Some(next_marker.is_some()), next_marker.map(encode_marker))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_through_a_list() {
        let args = PageArgs {
            marker: None,
            max_items: 2,
        };
        assert_eq!(
            page_of(vec![1, 2, 3], &args).unwrap(),
            (vec![1, 2], Some("2".to_string()))
        );
        let args = PageArgs {
            marker: Some("2".into()),
            max_items: 2,
        };
        assert_eq!(page_of(vec![1, 2, 3], &args).unwrap(), (vec![3], None));
        let args = PageArgs {
            marker: Some("9".into()),
            max_items: 2,
        };
        let e = page_of(vec![1, 2, 3], &args)
            .err()
            .map(|e| (e.code.to_string(), e.message));
        assert_eq!(e, Some(("InvalidInput".into(), "Invalid Marker.".into())));
    }

    #[test]
    fn foreign_markers_are_validation_errors() {
        let e = decode_marker("alice")
            .err()
            .map(|e| (e.code.to_string(), e.message));
        assert_eq!(
            e,
            Some(("ValidationError".into(), "Invalid Marker.".into()))
        );
        assert_eq!(
            decode_marker(&encode_marker("bob")).ok().as_deref(),
            Some("bob")
        );
    }
}
