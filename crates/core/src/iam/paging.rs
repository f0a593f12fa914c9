//! Paging of IAM's listings: the `Marker` a caller sends back is opaque on the wire, as AWS's is
//! (base64 of a tag and the list's own position), so a marker the server did not hand out is
//! refused (`UnreadableMarker`, AWS's ValidationError) instead of read as a name; and a position
//! in an in-memory list must lie within it (`InvalidMarker`, AWS's InvalidInput). Both say
//! "Invalid Marker.", as AWS does.

use crate::error::{IamError, IamResult};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::ops::Range;

/// The tag in front of every position the server hands out.
const MARKER_TAG: &str = "pcm1:";

/// The wire form of a list's position.
pub fn encode_marker(raw: &str) -> String {
    STANDARD.encode(format!("{MARKER_TAG}{raw}"))
}

/// The position a wire marker holds, or [`IamError::UnreadableMarker`] for anything else.
pub fn decode_marker(wire: &str) -> IamResult<String> {
    STANDARD
        .decode(wire.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| s.strip_prefix(MARKER_TAG).map(str::to_string))
        .ok_or(IamError::UnreadableMarker)
}

/// The indexes of one page of at most `max_items` of a list of `total` items starting at
/// `marker` (an index), and the next marker; [`IamError::InvalidMarker`] for a marker that is
/// no index within the list.
pub fn page_range(
    total: usize,
    marker: Option<&str>,
    max_items: usize,
) -> IamResult<(Range<usize>, Option<String>)> {
    let start = match marker {
        None => 0,
        Some(m) => m
            .parse::<usize>()
            .ok()
            .filter(|&n| n <= total)
            .ok_or(IamError::InvalidMarker)?,
    };
    let end = start.saturating_add(max_items).min(total);
    let next = (end < total).then(|| end.to_string());
    Ok((start..end, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_are_opaque_and_only_ours_are_taken() {
        let wire = encode_marker("alice");
        assert_ne!(wire, "alice");
        assert_eq!(decode_marker(&wire).as_deref(), Ok("alice"));
        for bad in ["100", "alice", "", "cGNtMTo", "bm9wZTphbGljZQ=="] {
            assert_eq!(decode_marker(bad), Err(IamError::UnreadableMarker), "{bad}");
        }
        assert_eq!(IamError::UnreadableMarker.to_string(), "Invalid Marker.");
    }

    #[test]
    fn positions_lie_within_the_list() {
        assert_eq!(page_range(3, None, 2), Ok((0..2, Some("2".into()))));
        assert_eq!(page_range(3, Some("2"), 2), Ok((2..3, None)));
        assert_eq!(page_range(3, Some("3"), 2), Ok((3..3, None)));
        for bad in ["4", "-1", "x"] {
            assert_eq!(page_range(3, Some(bad), 2), Err(IamError::InvalidMarker));
        }
        assert_eq!(IamError::InvalidMarker.to_string(), "Invalid Marker.");
    }
}
