//! The general wildcard matcher behind [`crate::matching::Pattern`]: a
//! pattern with `?` or inner `*` is compiled into segments split at its
//! stars, and a text is matched in time linear in its length (times the
//! number of 64-bit words of the longest segment), whatever the pattern.
//!
//! `S0*S1*...*Sk` matches a text when `S0` matches at its start, `Sk` at its
//! end, and `S1..Sk-1` occur in order, without overlapping, in between.
//! Taking each middle segment's leftmost occurrence is always right: it
//! leaves the most room for the segments after it. Segments have a fixed
//! length in characters (`?` is exactly one character), so the first
//! occurrence to end is also the first to start.
//!
//! A middle segment of plain characters in a case-sensitive pattern is found
//! with `str::find` (a linear-time substring search). Any other segment (one
//! with `?`, or any segment of a case-folding pattern) is found with the
//! bit-parallel Shift-And algorithm over characters: bit `j` of the state is
//! set when the last `j + 1` characters read match the segment's first
//! `j + 1` tokens. Its per-character masks are stored sparsely — for each
//! character of the segment, only the 64-bit words where it occurs — so the
//! tables take space linear in the segment, however many distinct
//! characters it has.

use crate::chars::{Token, bytes_eq, fold};

/// How a middle segment (between two stars) is found.
#[derive(Clone, Copy, Debug)]
enum Middle {
    /// Plain characters, compared exactly: `literal[start..end]`.
    Text { start: usize, end: usize },
    /// Shift-And over a segment of `chars` characters, with one 64-bit word
    /// of state per 64 characters.
    Bits {
        chars: usize,
        /// Where this segment's `?` masks start in `Glob::any` (one word per
        /// 64 characters).
        any: usize,
        /// This segment's characters: `keys[keys..keys_end]`, sorted.
        keys: usize,
        keys_end: usize,
    },
}

/// One character of a Shift-And segment and where its masks are.
#[derive(Clone, Copy, Debug)]
struct Key {
    c: char,
    /// `entries[start..end]`: `(word, bits)` pairs, by increasing word.
    start: usize,
    end: usize,
}

/// A compiled wildcard pattern (see the module documentation). Its buffers
/// can be reused: [`Glob::compile`] clears them first.
#[derive(Clone, Debug, Default)]
pub(crate) struct Glob {
    /// Whether text characters are compared after [`fold`] as well.
    fold: bool,
    /// The pattern as given (its stars merged).
    tokens: Vec<Token>,
    /// True when the pattern has a star.
    starred: bool,
    /// `tokens[..head]` must match at the start of the text (the whole text
    /// when the pattern has no star).
    head: usize,
    /// `tokens[tail..]` must match at the end of the text.
    tail: usize,
    /// The head as text in `literal`, when it can be compared as bytes (see
    /// [`plain_at_start`]).
    plain_head: Option<(usize, usize)>,
    /// The same for the tail.
    plain_tail: Option<(usize, usize)>,
    /// Characters a text needs at least: every token but the stars.
    min_chars: usize,
    middles: Vec<Middle>,
    literal: String,
    keys: Vec<Key>,
    entries: Vec<(usize, u64)>,
    any: Vec<u64>,
    /// Scratch space for compiling (empty between calls).
    work: Vec<(char, usize)>,
}

/// Two globs are equal when they come from the same pattern: the rest is
/// derived from it.
impl PartialEq for Glob {
    fn eq(&self, other: &Glob) -> bool {
        self.fold == other.fold && self.tokens == other.tokens
    }
}

impl Eq for Glob {}

const WORD: usize = u64::BITS as usize;

fn words_for(chars: usize) -> usize {
    chars.div_ceil(WORD)
}

/// Does `token` (never a star) accept the text character `c`?
#[inline]
fn accepts(token: Token, c: char, fold_case: bool) -> bool {
    match token {
        Token::One => true,
        Token::Char(p) => p == c || (fold_case && p == fold(c)),
        Token::Star => false,
    }
}

impl Glob {
    /// An empty glob, for reuse (it matches only the empty text).
    pub(crate) const fn empty() -> Glob {
        Glob {
            fold: false,
            tokens: Vec::new(),
            starred: false,
            head: 0,
            tail: 0,
            plain_head: None,
            plain_tail: None,
            min_chars: 0,
            middles: Vec::new(),
            literal: String::new(),
            keys: Vec::new(),
            entries: Vec::new(),
            any: Vec::new(),
            work: Vec::new(),
        }
    }

    /// Compiles `tokens`. Pattern characters are used as given (a folding
    /// pattern's characters must already be folded); with `fold_case` a text
    /// character `c` also matches the pattern character `fold(c)`.
    pub(crate) fn new(tokens: &[Token], fold_case: bool) -> Glob {
        let mut glob = Glob::empty();
        glob.compile(tokens, fold_case);
        glob.shrink();
        glob
    }

    /// The pattern's tokens (stars merged).
    pub(crate) fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The number of pattern tokens this glob's buffers hold room for.
    pub(crate) fn capacity(&self) -> usize {
        self.tokens.capacity()
    }

    fn shrink(&mut self) {
        self.tokens.shrink_to_fit();
        self.middles.shrink_to_fit();
        self.literal.shrink_to_fit();
        self.keys.shrink_to_fit();
        self.entries.shrink_to_fit();
        self.any.shrink_to_fit();
        self.work = Vec::new();
    }

    /// Recompiles this glob for `tokens`, reusing its buffers (see
    /// [`Glob::new`]).
    pub(crate) fn compile(&mut self, tokens: &[Token], fold_case: bool) {
        self.fold = fold_case;
        self.tokens.clear();
        self.middles.clear();
        self.literal.clear();
        self.keys.clear();
        self.entries.clear();
        self.any.clear();
        for &t in tokens {
            if t == Token::Star && self.tokens.last() == Some(&Token::Star) {
                continue;
            }
            self.tokens.push(t);
        }
        self.min_chars = self.tokens.iter().filter(|t| **t != Token::Star).count();
        let first = self.tokens.iter().position(|t| *t == Token::Star);
        let last = self.tokens.iter().rposition(|t| *t == Token::Star);
        let tokens = std::mem::take(&mut self.tokens);
        match (first, last) {
            (Some(first), Some(last)) => {
                self.starred = true;
                self.head = first;
                self.tail = last + 1;
                if let Some(between) = tokens.get(first + 1..last) {
                    for segment in between.split(|t| *t == Token::Star) {
                        if !segment.is_empty() {
                            self.add_middle(segment);
                        }
                    }
                }
            }
            _ => {
                self.starred = false;
                self.head = tokens.len();
                self.tail = tokens.len();
            }
        }
        self.plain_head = self.add_plain(tokens.get(..self.head).unwrap_or_default());
        self.plain_tail = if self.starred {
            self.add_plain(tokens.get(self.tail..).unwrap_or_default())
        } else {
            None
        };
        self.tokens = tokens;
        self.work.clear();
    }

    /// Stores `tokens` as text in `literal` when they can be compared as
    /// bytes: no `?`, and for a folding pattern only ASCII characters that
    /// are their own fold (see [`plain_at_start`]).
    fn add_plain(&mut self, tokens: &[Token]) -> Option<(usize, usize)> {
        let start = self.literal.len();
        for t in tokens {
            match t {
                Token::Char(c) if !self.fold || (c.is_ascii() && fold(*c) == *c) => {
                    self.literal.push(*c);
                }
                _ => {
                    self.literal.truncate(start);
                    return None;
                }
            }
        }
        Some((start, self.literal.len()))
    }

    fn add_middle(&mut self, segment: &[Token]) {
        let plain = !self.fold && segment.iter().all(|t| matches!(t, Token::Char(_)));
        if plain {
            let start = self.literal.len();
            for t in segment {
                if let Token::Char(c) = t {
                    self.literal.push(*c);
                }
            }
            self.middles.push(Middle::Text {
                start,
                end: self.literal.len(),
            });
            return;
        }
        let chars = segment.len();
        let any = self.any.len();
        self.any.resize(any + words_for(chars), 0);
        self.work.clear();
        for (j, t) in segment.iter().enumerate() {
            match t {
                Token::Char(c) => self.work.push((*c, j)),
                Token::One => {
                    if let Some(word) = self.any.get_mut(any + j / WORD) {
                        *word |= 1 << (j % WORD);
                    }
                }
                Token::Star => {}
            }
        }
        // By character, then position: each character's positions come
        // together, by increasing word.
        self.work.sort_unstable();
        let keys = self.keys.len();
        for &(c, j) in &self.work {
            let word = j / WORD;
            let bit = 1u64 << (j % WORD);
            let same_key = self.keys.len() > keys && self.keys.last().is_some_and(|k| k.c == c);
            if !same_key {
                let at = self.entries.len();
                self.keys.push(Key {
                    c,
                    start: at,
                    end: at,
                });
            }
            match self.entries.last_mut() {
                Some((w, bits)) if same_key && *w == word => *bits |= bit,
                _ => {
                    self.entries.push((word, bit));
                    if let Some(key) = self.keys.last_mut() {
                        key.end = self.entries.len();
                    }
                }
            }
        }
        self.middles.push(Middle::Bits {
            chars,
            any,
            keys,
            keys_end: self.keys.len(),
        });
    }

    /// Does `text` match the pattern?
    #[inline]
    pub(crate) fn matches(&self, text: &str) -> bool {
        // Every character takes at least one byte.
        if text.len() < self.min_chars {
            return false;
        }
        let Some(mut at) = self.head_end(text) else {
            return false;
        };
        if !self.starred {
            return at == text.len();
        }
        let Some(end) = self.tail_start(text) else {
            return false;
        };
        if end < at {
            // The head and the tail would overlap.
            return false;
        }
        for middle in &self.middles {
            match self.find(*middle, text, at, end) {
                Some(after) => at = after,
                None => return false,
            }
        }
        true
    }

    /// The byte offset after the head, matched at the start of `text`.
    fn head_end(&self, text: &str) -> Option<usize> {
        let plain = self
            .plain_head
            .and_then(|(start, end)| self.literal.get(start..end));
        if let Some(lit) = plain
            && let Some(same) = plain_at_start(lit.as_bytes(), text.as_bytes(), self.fold)
        {
            return same.then_some(lit.len());
        }
        match_start(self.tokens.get(..self.head)?, text, self.fold)
    }

    /// The byte offset where the tail starts, matched at the end of `text`.
    fn tail_start(&self, text: &str) -> Option<usize> {
        let plain = self
            .plain_tail
            .and_then(|(start, end)| self.literal.get(start..end));
        if let Some(lit) = plain
            && let Some(same) = plain_at_end(lit.as_bytes(), text.as_bytes(), self.fold)
        {
            return same.then(|| text.len() - lit.len());
        }
        match_end(self.tokens.get(self.tail..)?, text, self.fold)
    }

    /// The end (byte offset) of the first occurrence of `middle` in
    /// `text[from..to]`.
    fn find(&self, middle: Middle, text: &str, from: usize, to: usize) -> Option<usize> {
        let hay = text.get(from..to)?;
        match middle {
            Middle::Text { start, end } => {
                let needle = self.literal.get(start..end)?;
                let mut chars = needle.chars();
                let found = match (chars.next(), chars.next()) {
                    // One character: a byte search, no searcher to set up.
                    (Some(c), None) => hay.find(c),
                    _ => hay.find(needle),
                };
                found.map(|i| from + i + needle.len())
            }
            Middle::Bits {
                chars,
                any,
                keys,
                keys_end,
            } => {
                if hay.len() < chars {
                    return None;
                }
                let any = self.any.get(any..any + words_for(chars))?;
                let keys = self.keys.get(keys..keys_end)?;
                let found = if let [any] = any {
                    self.shift_and_one(chars, *any, keys, hay)
                } else {
                    self.shift_and_many(chars, any, keys, hay)
                };
                found.map(|end| from + end)
            }
        }
    }

    /// The `(word, bits)` masks of the pattern character `c`.
    fn masks<'a>(&'a self, keys: &[Key], c: char) -> &'a [(usize, u64)] {
        keys.binary_search_by_key(&c, |k| k.c)
            .ok()
            .and_then(|i| keys.get(i))
            .and_then(|k| self.entries.get(k.start..k.end))
            .unwrap_or_default()
    }

    /// The masks for the text character `c`: its own and, when folding, those
    /// of `fold(c)`.
    fn masks_for<'a>(&'a self, keys: &[Key], c: char) -> [&'a [(usize, u64)]; 2] {
        let own = self.masks(keys, c);
        let folded = if self.fold {
            let f = fold(c);
            if f == c { &[][..] } else { self.masks(keys, f) }
        } else {
            &[][..]
        };
        [own, folded]
    }

    /// Shift-And for a segment of at most 64 characters.
    fn shift_and_one(&self, chars: usize, any: u64, keys: &[Key], hay: &str) -> Option<usize> {
        let done = 1u64 << chars.saturating_sub(1);
        let mut state = 0u64;
        for (i, c) in hay.char_indices() {
            let mut accept = any;
            for masks in self.masks_for(keys, c) {
                for (_, bits) in masks {
                    accept |= bits;
                }
            }
            state = ((state << 1) | 1) & accept;
            if state & done != 0 {
                return Some(i + c.len_utf8());
            }
        }
        None
    }

    /// Shift-And for a segment of more than 64 characters: the state spans
    /// several words, shifted together (carrying each word's top bit into
    /// the next word).
    fn shift_and_many(&self, chars: usize, any: &[u64], keys: &[Key], hay: &str) -> Option<usize> {
        let words = any.len();
        let mut small = [0u64; 8];
        let mut large = Vec::new();
        let state: &mut [u64] = if words <= small.len() {
            small.get_mut(..words)?
        } else {
            large.resize(words, 0);
            &mut large
        };
        let last_word = chars.saturating_sub(1) / WORD;
        let done = 1u64 << (chars.saturating_sub(1) % WORD);
        for (i, c) in hay.char_indices() {
            let [mut own, mut folded] = self.masks_for(keys, c);
            // From the lowest word up, each word taking the top bit of the
            // word below (before its update) as its lowest; the character's
            // masks come by increasing word too.
            let mut carry = 1u64;
            for (w, (word, any)) in state.iter_mut().zip(any).enumerate() {
                let mut accept = *any;
                if let [(at, bits), rest @ ..] = own
                    && *at == w
                {
                    accept |= bits;
                    own = rest;
                }
                if let [(at, bits), rest @ ..] = folded
                    && *at == w
                {
                    accept |= bits;
                    folded = rest;
                }
                let top = *word >> (WORD - 1);
                *word = ((*word << 1) | carry) & accept;
                carry = top;
            }
            if state.get(last_word).is_some_and(|word| word & done != 0) {
                return Some(i + c.len_utf8());
            }
        }
        None
    }
}

/// Compares a plain head (`lit`) with the start of `text` as bytes: exact
/// for a case-sensitive pattern (UTF-8 is prefix-free), and ASCII
/// case-insensitive for a folding one when that start is ASCII (`lit`
/// holds only ASCII characters that are their own fold). `None` when this
/// cannot decide (a folding pattern and non-ASCII text: some non-ASCII
/// characters fold to ASCII, such as the Kelvin sign to `k`).
fn plain_at_start(lit: &[u8], text: &[u8], fold_case: bool) -> Option<bool> {
    // Each pattern character needs a text character of at least one byte.
    let Some(head) = text.get(..lit.len()) else {
        return Some(false);
    };
    compare_plain(lit, head, fold_case)
}

/// [`plain_at_start`] at the end of `text`.
fn plain_at_end(lit: &[u8], text: &[u8], fold_case: bool) -> Option<bool> {
    let Some(tail) = text
        .len()
        .checked_sub(lit.len())
        .and_then(|start| text.get(start..))
    else {
        return Some(false);
    };
    compare_plain(lit, tail, fold_case)
}

fn compare_plain(lit: &[u8], text: &[u8], fold_case: bool) -> Option<bool> {
    if !fold_case {
        Some(bytes_eq(lit, text))
    } else if text.is_ascii() {
        Some(lit.eq_ignore_ascii_case(text))
    } else {
        None
    }
}

/// The byte offset after `tokens` (no stars) matched at the start of `text`.
pub(crate) fn match_start(tokens: &[Token], text: &str, fold_case: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    for &t in tokens {
        // An ASCII byte is a whole character: no decoding needed.
        let c = match bytes.get(at) {
            Some(&b) if b.is_ascii() => char::from(b),
            _ => text.get(at..)?.chars().next()?,
        };
        if !accepts(t, c, fold_case) {
            return None;
        }
        at += c.len_utf8();
    }
    Some(at)
}

/// The byte offset where `tokens` (no stars) start when matched at the end
/// of `text`.
pub(crate) fn match_end(tokens: &[Token], text: &str, fold_case: bool) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = text.len();
    for &t in tokens.iter().rev() {
        let c = match at.checked_sub(1).and_then(|i| bytes.get(i)) {
            Some(&b) if b.is_ascii() => char::from(b),
            _ => text.get(..at)?.chars().next_back()?,
        };
        if !accepts(t, c, fold_case) {
            return None;
        }
        at -= c.len_utf8();
    }
    Some(at)
}

#[cfg(test)]
mod tests;
