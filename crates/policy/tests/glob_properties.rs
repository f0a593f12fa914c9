//! Property tests of wildcard matching: the compiled matcher against a regex translation and
//! against a plain character-by-character DP matcher, on small patterns (stars, `?`,
//! multi-byte and case-folding characters) and long segments around the 64-character words.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed expectation should panic"
)]

use portcullis_policy::*;
use proptest::prelude::*;
use proptest::sample::select;

// ---------------------------------------------------------------- wildcards

/// Pattern characters: literals (ASCII, a two-byte and a three-byte
/// character, regex metacharacters) and the two wildcards.
fn pattern_char() -> impl Strategy<Value = char> {
    select(vec!['a', 'b', 'A', 'é', 'É', '日', '.', '/', ':', '*', '?'])
}

fn text_char() -> impl Strategy<Value = char> {
    select(vec!['a', 'b', 'A', 'B', 'é', 'É', '日', '.', '/', ':'])
}

fn regex_of(pattern: &str, fold_case: bool) -> regex::Regex {
    let mut re = String::from(if fold_case { "(?si)^" } else { "(?s)^" });
    for c in pattern.chars() {
        match c {
            '*' => re.push_str(".*"),
            '?' => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    re.push('$');
    regex::Regex::new(&re).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn wildcard_matches_like_regex(
        pattern in prop::collection::vec(pattern_char(), 0..10),
        text in prop::collection::vec(text_char(), 0..14),
        fold_case in any::<bool>(),
    ) {
        let pattern: String = pattern.into_iter().collect();
        let text: String = text.into_iter().collect();
        let oracle = regex_of(&pattern, fold_case).is_match(&text);
        prop_assert_eq!(
            __private::wildcard_match(&pattern, &text, fold_case),
            oracle,
            "pattern {:?} text {:?} fold {}", pattern, text, fold_case
        );
    }

    /// A text always matches itself used as a pattern once its wildcards are
    /// the only special characters, and `*` around it.
    #[test]
    fn wildcard_star_contains(
        middle in prop::collection::vec(text_char(), 0..8),
        before in prop::collection::vec(text_char(), 0..4),
        after in prop::collection::vec(text_char(), 0..4),
    ) {
        let middle: String = middle.into_iter().collect();
        let text = format!(
            "{}{}{}",
            before.into_iter().collect::<String>(),
            middle,
            after.into_iter().collect::<String>()
        );
        let star_middle = format!("*{middle}*");
        prop_assert!(__private::wildcard_match(&star_middle, &text, false));
        prop_assert!(__private::wildcard_match(&middle, &middle, false));
    }
}

// ------------------------------------------- wildcards vs a plain DP matcher

/// The engine's case folding, restated: a character's lower case when that
/// is one character, else the character itself.
fn fold_char(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Obviously correct wildcard matching over characters: `done[i][j]` is
/// whether the first `i` pattern characters match the first `j` text
/// characters. A folding pattern's characters are folded; a text character
/// matches a pattern character equal to it or to its folded form.
fn dp_match(pattern: &str, text: &str, fold_case: bool) -> bool {
    let p: Vec<char> = pattern
        .chars()
        .map(|c| if fold_case { fold_char(c) } else { c })
        .collect();
    let t: Vec<char> = text.chars().collect();
    let mut done = vec![vec![false; t.len() + 1]; p.len() + 1];
    done[0][0] = true;
    for i in 1..=p.len() {
        for j in 0..=t.len() {
            done[i][j] = match p[i - 1] {
                '*' => done[i - 1][j] || (j > 0 && done[i][j - 1]),
                '?' => j > 0 && done[i - 1][j - 1],
                c => {
                    j > 0
                        && done[i - 1][j - 1]
                        && (c == t[j - 1] || (fold_case && c == fold_char(t[j - 1])))
                }
            };
        }
    }
    done[p.len()][t.len()]
}

/// Literals with interesting folds (Kelvin sign folds to ASCII `k`, `İ`
/// has a two-character lower case, final sigma), multi-byte characters and
/// the wildcards.
fn fold_pattern_char() -> impl Strategy<Value = char> {
    select(vec![
        'a', 'b', 'k', 'K', '\u{212A}', 'é', 'É', '日', 'σ', 'Σ', 'ς', 'İ', 'i', '*', '*', '?',
    ])
}

fn fold_text_char() -> impl Strategy<Value = char> {
    select(vec![
        'a', 'b', 'k', 'K', '\u{212A}', 'é', 'É', '日', 'σ', 'Σ', 'ς', 'İ', 'i', '*', '?',
    ])
}

/// Long runs of a few characters, so that segments exceed 64 characters
/// (several Shift-And words) and overlap in many ways.
fn long_pattern() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (select(vec!['a', 'b', '?', '*', 'é', 'A']), 1usize..90),
        0..5,
    )
    .prop_map(|runs| {
        runs.into_iter()
            .flat_map(|(c, n)| std::iter::repeat_n(c, if c == '*' { 1 } else { n }))
            .collect()
    })
}

fn long_text() -> impl Strategy<Value = String> {
    prop::collection::vec((select(vec!['a', 'b', 'é', 'A', 'É']), 1usize..120), 0..5).prop_map(
        |runs| {
            runs.into_iter()
                .flat_map(|(c, n)| std::iter::repeat_n(c, n))
                .collect()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn wildcard_matches_like_dp(
        pattern in prop::collection::vec(fold_pattern_char(), 0..12),
        text in prop::collection::vec(fold_text_char(), 0..14),
        fold_case in any::<bool>(),
    ) {
        let pattern: String = pattern.into_iter().collect();
        let text: String = text.into_iter().collect();
        let want = dp_match(&pattern, &text, fold_case);
        prop_assert_eq!(
            __private::wildcard_match(&pattern, &text, fold_case), want,
            "pattern {:?} text {:?} fold {}", pattern, text, fold_case
        );
        prop_assert_eq!(
            __private::wildcard_match_per_request(&pattern, &text, fold_case), want,
            "per request: pattern {:?} text {:?} fold {}", pattern, text, fold_case
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(600))]

    #[test]
    fn long_segments_match_like_dp(
        pattern in long_pattern(),
        text in long_text(),
        fold_case in any::<bool>(),
        star_before in any::<bool>(),
        star_after in any::<bool>(),
    ) {
        let pattern = format!(
            "{}{pattern}{}",
            if star_before { "*" } else { "" },
            if star_after { "*" } else { "" }
        );
        let want = dp_match(&pattern, &text, fold_case);
        prop_assert_eq!(
            __private::wildcard_match(&pattern, &text, fold_case), want,
            "pattern {:?} text {:?} fold {}", pattern, text, fold_case
        );
        prop_assert_eq!(
            __private::wildcard_match_per_request(&pattern, &text, fold_case), want,
            "per request: pattern {:?} text {:?} fold {}", pattern, text, fold_case
        );
    }

    /// A text built from the pattern (each `?` and `*` replaced by some
    /// characters) always matches it; the DP agrees.
    #[test]
    fn long_segments_match_their_instances(
        pattern in long_pattern(),
        fill in long_text(),
        fold_case in any::<bool>(),
    ) {
        let mut filler = fill.chars().cycle();
        let mut text = String::new();
        for c in pattern.chars() {
            match c {
                '?' => text.push(filler.next().unwrap_or('x')),
                '*' => text.extend(filler.by_ref().take(7)),
                c => text.push(c),
            }
        }
        prop_assert!(dp_match(&pattern, &text, fold_case));
        prop_assert!(
            __private::wildcard_match(&pattern, &text, fold_case),
            "pattern {:?} text {:?} fold {}", pattern, text, fold_case
        );
    }
}
