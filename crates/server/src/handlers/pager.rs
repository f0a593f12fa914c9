//! The one pager: `Marker`/`MaxItems` in, `IsTruncated`/`Marker` out.

use crate::handlers::shapes::Paged;
use crate::handlers::{Ctx, store_failure};
use portcullis_core::{Page, StoreError};
use portcullis_proto::AwsError;

pub const DEFAULT_MAX_ITEMS: usize = 100;

/// A page request: the marker (decoded from the opaque wire form) and MaxItems.
#[derive(Debug)]
pub struct PageArgs {
    pub marker: Option<String>,
    pub max_items: usize,
}

/// Markers on the wire are opaque, as AWS's are: base64 of this tag and the store's own
/// position, so a marker the server did not hand out is refused instead of read as a name.
const MARKER_TAG: &str = "pcm1:";

/// The wire form of a marker.
pub fn encode_marker(raw: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(format!("{MARKER_TAG}{raw}"))
}

/// The position a wire marker holds, or AWS's "Invalid Marker." for anything else.
pub fn decode_marker(wire: &str) -> Result<String, AwsError> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(wire.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix(MARKER_TAG).map(str::to_string))
        .ok_or_else(|| AwsError::validation("Invalid Marker."))
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
    let start = match args.marker.as_deref() {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|&n| n <= total)
            .ok_or_else(|| AwsError::invalid_input("Invalid Marker."))?,
    };
    let end = start.saturating_add(args.max_items).min(total);
    let next = (end < total).then(|| end.to_string());
    Ok((start..end, next))
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
        assert!(page_of(vec![1, 2, 3], &args).is_err());
    }

    #[test]
    fn markers_are_opaque_and_only_ours_are_taken() {
        let wire = encode_marker("alice");
        assert_ne!(wire, "alice");
        assert_eq!(decode_marker(&wire).ok().as_deref(), Some("alice"));
        for bad in ["100", "alice", "", "cGNtMTo", "bm9wZTphbGljZQ=="] {
            let e = decode_marker(bad)
                .err()
                .map(|e| (e.code.to_string(), e.message));
            assert_eq!(
                e,
                Some(("ValidationError".into(), "Invalid Marker.".into())),
                "{bad}"
            );
        }
    }
}
