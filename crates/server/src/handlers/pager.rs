//! The one pager: `Marker`/`MaxItems` in, `IsTruncated`/`Marker` out.

use crate::handlers::Ctx;
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

pub const DEFAULT_MAX_ITEMS: usize = 100;

#[derive(Debug)]
pub struct PageArgs<'a> {
    pub marker: Option<&'a str>,
    pub max_items: usize,
}

impl<'a> PageArgs<'a> {
    pub fn from(ctx: &'a Ctx) -> Self {
        let max_items = ctx
            .params
            .get("MaxItems")
            .and_then(|m| m.trim().parse().ok())
            .unwrap_or(DEFAULT_MAX_ITEMS);
        PageArgs {
            marker: ctx.params.get("Marker"),
            max_items,
        }
    }
}

/// The indexes of one page of a list of `total` items, and the next marker (the index of the
/// next item), for lists that are never built in memory.
pub fn page_range(
    total: usize,
    args: &PageArgs<'_>,
) -> Result<(std::ops::Range<usize>, Option<String>), AwsError> {
    let start = match args.marker {
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
pub fn page_of<T>(
    items: Vec<T>,
    args: &PageArgs<'_>,
) -> Result<(Vec<T>, Option<String>), AwsError> {
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

/// `IsTruncated` (always) and `Marker` (when truncated).
pub fn write_truncation(w: &mut XmlWriter, next_marker: Option<&str>) {
    w.bool("IsTruncated", next_marker.is_some());
    w.opt("Marker", next_marker);
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
            marker: Some("2"),
            max_items: 2,
        };
        assert_eq!(page_of(vec![1, 2, 3], &args).unwrap(), (vec![3], None));
        let args = PageArgs {
            marker: Some("9"),
            max_items: 2,
        };
        assert!(page_of(vec![1, 2, 3], &args).is_err());
    }
}
