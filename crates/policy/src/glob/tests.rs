//! Unit tests of the wildcard matcher: edge cases of anchoring, segments around word
//! boundaries (63/64/65 characters), case folding and buffer reuse.

use super::*;
use crate::matching::{Pattern, wild_match};

/// Compiles `pattern` as a folding or case-sensitive glob (always as a
/// [`Glob`], whatever its shape).
fn glob(pattern: &str, fold_case: bool) -> Glob {
    Glob::new(&Pattern::glob(pattern, fold_case).tokens(), fold_case)
}

fn g(pattern: &str, text: &str) -> bool {
    let direct = glob(pattern, false).matches(text);
    let tokens = Pattern::glob(pattern, false).tokens();
    assert_eq!(
        wild_match(&tokens, text, false),
        direct,
        "{pattern:?} {text:?}"
    );
    direct
}

#[test]
fn empty_text_and_empty_pattern() {
    assert!(g("", ""));
    assert!(!g("", "a"));
    assert!(g("*", ""));
    assert!(g("**", ""));
    assert!(!g("?", ""));
    assert!(!g("*?*", ""));
    assert!(g("*?*", "a"));
    assert!(!g("a*", ""));
    assert!(!g("*a", ""));
}

#[test]
fn only_question_marks() {
    assert!(g("???", "abc"));
    assert!(!g("???", "ab"));
    assert!(!g("???", "abcd"));
    // Characters, not bytes.
    assert!(g("???", "日本語"));
    assert!(!g("??", "日本語"));
    assert!(g("*???*", "日本語"));
    assert!(!g("*????*", "日本語"));
    assert!(g("*??", "ab"));
}

#[test]
fn stars_at_both_ends() {
    assert!(g("*ab*", "ab"));
    assert!(g("*ab*", "xxabyy"));
    assert!(!g("*ab*", "ba"));
    assert!(g("*a?c*", "zzabcz"));
    assert!(g("*é*", "aéb"));
    assert!(!g("*é*", "aeb"));
}

#[test]
fn overlapping_segments() {
    assert!(g("*aab*", "aaab"));
    assert!(g("*aab", "aaab"));
    assert!(g("*aab*aab*", "aabaab"));
    assert!(!g("*aab*aab*", "aabab"));
    assert!(!g("*aa*aa*", "aaa"));
    assert!(g("*aa*aa*", "aaaa"));
    assert!(g("*abab*", "aababab"));
    assert!(g("*a?a*b*", "aaab"));
    assert!(!g("*a?a*b*", "aab"));
}

#[test]
fn head_and_tail_do_not_overlap() {
    assert!(!g("ab*ba", "aba"));
    assert!(g("ab*ba", "abba"));
    assert!(!g("a*a", "a"));
    assert!(g("a*a", "aa"));
    assert!(!g("a?*?a", "aaa"));
    assert!(g("a?*?a", "aaaa"));
    assert!(!g("日*日", "日"));
    assert!(g("日*?*日", "日本日"));
}

#[test]
fn long_segments_span_several_words() {
    let ones = format!("*{}b", "?".repeat(100));
    assert!(g(&ones, &format!("{}b", "a".repeat(100))));
    assert!(g(&ones, &format!("{}b", "a".repeat(300))));
    assert!(!g(&ones, &format!("{}b", "a".repeat(99))));
    assert!(!g(&ones, &"a".repeat(300)));
    // Middle segment of 130 characters, found after false starts.
    let segment = format!("{}x{}", "é".repeat(64), "?".repeat(65));
    let pattern = format!("*{segment}*z");
    let text = format!("{}x{}z", "é".repeat(200), "é".repeat(65));
    assert!(g(&pattern, &text));
    let short = format!("{}x{}z", "é".repeat(200), "é".repeat(64));
    assert!(!g(&pattern, &short));
    // Exactly 64 and 65 characters: the last bit of one word, the
    // first of the next.
    for n in [63, 64, 65, 128, 129] {
        let pattern = format!("*{}*", "ab".repeat(n).get(..n).unwrap_or_default());
        let segment = "ab".repeat(n);
        let exact = segment.get(..n).unwrap_or_default();
        assert!(g(&pattern, &format!("b{exact}b")), "{n}");
        let cut = exact.get(..n - 1).unwrap_or_default();
        assert!(!g(&pattern, &format!("b{cut}")), "{n}");
    }
}

#[test]
fn folding() {
    let f = |p: &str, t: &str| glob(p, true).matches(t);
    // KELVIN SIGN folds to ASCII `k`.
    assert!(f("*k*", "a\u{212A}b"));
    assert!(f("?k?", "a\u{212A}b"));
    assert!(!glob("*k*", false).matches("a\u{212A}b"));
    assert!(f("*é?*", "XÉy"));
    assert!(f("*ÄBC*D", "xäbcyd"));
    let long = format!("*{}*", "k".repeat(70));
    assert!(f(&long, &format!("x{}x", "K".repeat(70))));
    assert!(f(&long, &format!("x{}x", "\u{212A}".repeat(70))));
    assert!(!glob(&long, false).matches(&format!("x{}x", "K".repeat(70))));
    assert!(!f(&long, &format!("x{}x", "K".repeat(69))));
}

#[test]
fn buffers_are_reused() {
    let mut g = Glob::empty();
    let a = Pattern::glob("*a?c*x*", false).tokens();
    let b = Pattern::glob("*zz*", true).tokens();
    g.compile(&a, false);
    assert!(g.matches("qabcqx"));
    g.compile(&b, true);
    assert!(g.matches("aZzb"));
    assert!(!g.matches("qabcqx"));
    g.compile(&a, false);
    assert!(g.matches("qabcqx"));
    assert_eq!(g, Glob::new(&a, false));
    assert_ne!(g, Glob::new(&a, true));
    // A huge per-request pattern does not stay in the thread's buffers.
    let huge = Pattern::glob(&format!("*{}*", "?a".repeat(5000)), false).tokens();
    assert!(!wild_match(&huge, "aa", false));
    assert!(wild_match(&a, "abc x", false));
}
