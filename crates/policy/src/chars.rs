//! The characters of wildcard matching, shared by the matchers (`matching.rs`) and the general
//! wildcard engine (`glob.rs`): the token a compiled pattern is made of, simple case folding of
//! one character and case-insensitive string equality, and a byte equality that is fast on the
//! short strings policies compare.

/// One element of a compiled wildcard pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Token {
    /// A literal character (already case-folded in a folding pattern).
    Char(char),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, including none.
    Star,
}

/// Simple, allocation-free lower-casing of one character, used on both sides
/// of case-insensitive comparisons.
pub(crate) fn fold(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Case-insensitive string equality using [`fold`].
pub(crate) fn eq_fold(a: &str, b: &str) -> bool {
    let mut x = a.chars();
    let mut y = b.chars();
    loop {
        match (x.next(), y.next()) {
            (None, None) => return true,
            (Some(p), Some(q)) if p == q || fold(p) == fold(q) => {}
            _ => return false,
        }
    }
}

/// Byte equality. Short strings (most policy values and ARN components) are
/// compared inline: for them a call to the C library's `memcmp` costs several
/// times the comparison, and set conditions make millions of them.
pub(crate) fn bytes_eq(a: &[u8], b: &[u8]) -> bool {
    /// `N` bytes of `s` from `at`, compared as one machine word.
    fn word<const N: usize>(s: &[u8], at: usize) -> Option<[u8; N]> {
        s.get(at..at + N)?.try_into().ok()
    }
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        // Two overlapping words cover the string.
        8..=16 => word::<8>(a, 0) == word::<8>(b, 0) && word::<8>(a, n - 8) == word::<8>(b, n - 8),
        4..=7 => word::<4>(a, 0) == word::<4>(b, 0) && word::<4>(a, n - 4) == word::<4>(b, n - 4),
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_equality_at_every_length() {
        for n in 0usize..40 {
            let a: Vec<u8> = (0..n).map(|i| b'a' + (i % 26) as u8).collect();
            assert!(bytes_eq(&a, &a.clone()), "{n}");
            assert!(!bytes_eq(&a, &a[..n.saturating_sub(1)]) || n == 0, "{n}");
            for at in 0..n {
                let mut b = a.clone();
                b[at] ^= 0x20;
                assert!(!bytes_eq(&a, &b), "{n} {at}");
            }
        }
    }
}
