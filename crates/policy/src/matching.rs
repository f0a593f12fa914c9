//! Wildcard matching (`*` any run of characters, `?` exactly one character —
//! characters, never bytes), case folding for actions, and ARN-aware matching
//! for `Resource` and the `Arn*` operators.

use std::cell::RefCell;

use crate::chars::{Token, bytes_eq, eq_fold, fold};
use crate::glob::{self, Glob};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Shape {
    /// The pattern is `*` (or only stars): matches everything.
    Anything,
    /// No wildcards: compare as a string.
    Literal(String),
    /// A literal followed by one final `*` (`iam:Get*`, `arn:aws:s3:::b/*`),
    /// the most common IAM pattern.
    Prefix(String),
    /// General wildcard pattern, compiled into star-separated segments.
    Wild(Box<Glob>),
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Pattern {
    shape: Shape,
    fold: bool,
}

impl Pattern {
    /// Reads `*` and `?` in `text` as wildcards; everything else is literal.
    pub(crate) fn glob(text: &str, fold_case: bool) -> Pattern {
        Pattern::from_tokens(
            text.chars().map(|c| match c {
                '*' => Token::Star,
                '?' => Token::One,
                c => Token::Char(c),
            }),
            fold_case,
        )
    }

    pub(crate) fn from_tokens(tokens: impl IntoIterator<Item = Token>, fold_case: bool) -> Pattern {
        let mut out: Vec<Token> = Vec::new();
        for t in tokens {
            let t = match t {
                Token::Char(c) if fold_case => Token::Char(fold(c)),
                other => other,
            };
            // Consecutive stars are one star.
            if t == Token::Star && out.last() == Some(&Token::Star) {
                continue;
            }
            out.push(t);
        }
        let shape = if !out.is_empty() && out.iter().all(|t| *t == Token::Star) {
            Shape::Anything
        } else if out.iter().all(|t| matches!(t, Token::Char(_))) {
            Shape::Literal(literal_text(&out))
        } else if let Some((Token::Star, head)) = out.split_last()
            && head.iter().all(|t| matches!(t, Token::Char(_)))
        {
            Shape::Prefix(literal_text(head))
        } else {
            Shape::Wild(Box::new(Glob::new(&out, fold_case)))
        };
        Pattern {
            shape,
            fold: fold_case,
        }
    }

    /// The literal text when the pattern has no wildcards.
    pub(crate) fn as_literal(&self) -> Option<&str> {
        match &self.shape {
            Shape::Literal(s) => Some(s),
            _ => None,
        }
    }

    /// The text a case-sensitive pattern without wildcards must equal.
    pub(crate) fn exact_literal(&self) -> Option<&str> {
        match &self.shape {
            Shape::Literal(s) if !self.fold => Some(s),
            _ => None,
        }
    }

    /// The prefix a case-sensitive pattern `prefix*` (no other wildcard)
    /// requires.
    pub(crate) fn exact_prefix(&self) -> Option<&str> {
        match &self.shape {
            Shape::Prefix(s) if !self.fold => Some(s),
            _ => None,
        }
    }

    pub(crate) fn matches(&self, text: &str) -> bool {
        match &self.shape {
            Shape::Anything => true,
            Shape::Prefix(prefix) => starts_with(text, prefix, self.fold),
            Shape::Literal(lit) if self.fold => eq_fold(lit, text),
            Shape::Literal(lit) => bytes_eq(lit.as_bytes(), text.as_bytes()),
            Shape::Wild(glob) => glob.matches(text),
        }
    }
}

fn literal_text(tokens: &[Token]) -> String {
    tokens
        .iter()
        .filter_map(|t| match t {
            Token::Char(c) => Some(*c),
            _ => None,
        })
        .collect()
}

/// `text` starts with `prefix` (already folded when `fold_case`).
fn starts_with(text: &str, prefix: &str, fold_case: bool) -> bool {
    if !fold_case {
        return text
            .as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| bytes_eq(head, prefix.as_bytes()));
    }
    if prefix.is_ascii()
        && let Some(head) = text.as_bytes().get(..prefix.len())
        && head.is_ascii()
    {
        return head.eq_ignore_ascii_case(prefix.as_bytes());
    }
    let mut chars = text.chars();
    prefix
        .chars()
        .all(|p| chars.next().is_some_and(|c| c == p || fold(c) == p))
}

/// Matches `tokens` (as given: a folding pattern's characters must already
/// be folded) against `text`, for patterns built per request (values with
/// policy variables). The pattern is compiled into a per-thread [`Glob`]
/// whose buffers are reused, so this does not allocate once warm; see
/// [`Glob`] for the algorithm and its cost.
pub(crate) fn wild_match(tokens: &[Token], text: &str, fold_case: bool) -> bool {
    /// Buffers kept between calls stay below this many tokens (a hostile
    /// pattern should not pin its memory to the thread).
    const KEEP: usize = 4096;
    // Nothing between two stars (the usual `home/${aws:username}/*`): only
    // the two ends to compare, no segment to search for.
    let mut stars = tokens
        .iter()
        .enumerate()
        .filter(|(_, t)| **t == Token::Star)
        .map(|(i, _)| i);
    let Some(head) = stars.next() else {
        return glob::match_start(tokens, text, fold_case) == Some(text.len());
    };
    // Consecutive stars are one star.
    let mut tail = head + 1;
    let mut stars_only = true;
    for i in stars {
        stars_only &= i == tail;
        tail = i + 1;
    }
    if stars_only {
        let start = tokens
            .get(..head)
            .and_then(|t| glob::match_start(t, text, fold_case));
        let end = tokens
            .get(tail..)
            .and_then(|t| glob::match_end(t, text, fold_case));
        return matches!((start, end), (Some(start), Some(end)) if start <= end);
    }
    thread_local! {
        static SCRATCH: RefCell<Glob> = const { RefCell::new(Glob::empty()) };
    }
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut glob) => {
            glob.compile(tokens, fold_case);
            let matched = glob.matches(text);
            if glob.capacity() > KEEP {
                *glob = Glob::empty();
            }
            matched
        }
        Err(_) => Glob::new(tokens, fold_case).matches(text),
    })
}

/// A borrowed view of the six components of an ARN
/// (`arn:partition:service:region:account:resource`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arn<'a> {
    /// e.g. `aws`.
    pub partition: &'a str,
    /// e.g. `iam`.
    pub service: &'a str,
    /// e.g. `us-east-1`, empty for IAM.
    pub region: &'a str,
    /// 12-digit account id, possibly empty.
    pub account: &'a str,
    /// Everything after the fifth colon (may itself contain colons).
    pub resource: &'a str,
}

impl<'a> Arn<'a> {
    /// Splits an ARN; `None` unless it starts with `arn:` and has six components.
    pub fn parse(text: &'a str) -> Option<Arn<'a>> {
        let mut parts = text.splitn(6, ':');
        if parts.next()? != "arn" {
            return None;
        }
        Some(Arn {
            partition: parts.next()?,
            service: parts.next()?,
            region: parts.next()?,
            account: parts.next()?,
            resource: parts.next()?,
        })
    }
}

/// A pattern over ARNs: component-wise when the pattern has six components
/// (wildcards in the first five cannot span a colon; in the resource
/// component `*` spans `/` and `:`), otherwise a whole-string glob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArnPattern {
    whole: Pattern,
    components: Option<Box<[Pattern]>>,
    /// `arn:` and the literal components after it, each with its colon
    /// (`arn:aws:iam::` for `arn:aws:iam::*:role/*`), and how many
    /// components that is: one prefix comparison replaces their matches.
    literal_head: Option<(Box<str>, usize)>,
}

impl ArnPattern {
    pub(crate) fn from_tokens(tokens: &[Token]) -> ArnPattern {
        let whole = Pattern::from_tokens(tokens.iter().copied(), false);
        let mut components: Vec<Pattern> = Vec::with_capacity(6);
        let mut start = 0;
        for (i, t) in tokens.iter().enumerate() {
            if components.len() == 5 {
                break;
            }
            if *t == Token::Char(':') {
                let part = tokens.get(start..i).unwrap_or_default();
                components.push(Pattern::from_tokens(part.iter().copied(), false));
                start = i + 1;
            }
        }
        let is_arn = components.len() == 5
            && components.first().and_then(Pattern::as_literal) == Some("arn");
        let components = if is_arn {
            let rest = tokens.get(start..).unwrap_or_default();
            components.push(Pattern::from_tokens(rest.iter().copied(), false));
            Some(components.into_boxed_slice())
        } else {
            None
        };
        let literal_head = components.as_deref().and_then(|parts| {
            let mut head = String::from("arn:");
            let mut literal = 0;
            for part in parts.get(1..5)? {
                let Some(text) = part.as_literal() else {
                    break;
                };
                head.push_str(text);
                head.push(':');
                literal += 1;
            }
            // Components hold no colon, so the prefix matches exactly when
            // each of those components does.
            (literal > 0).then(|| (head.into_boxed_str(), literal))
        });
        ArnPattern {
            whole,
            components,
            literal_head,
        }
    }

    #[cfg(test)]
    pub(crate) fn glob(text: &str) -> ArnPattern {
        let tokens: Vec<Token> = Pattern::glob(text, false).tokens();
        ArnPattern::from_tokens(&tokens)
    }

    /// `Resource` matching: a non-ARN request resource (such as `*`) or a
    /// pattern that is not six components is compared as a whole string.
    pub(crate) fn matches_resource(&self, resource: &str) -> bool {
        self.matches_parsed(resource, Arn::parse(resource).as_ref())
    }

    /// [`ArnPattern::matches_resource`] with the resource already split
    /// (`arn` is `Arn::parse(resource)`).
    pub(crate) fn matches_parsed(&self, resource: &str, arn: Option<&Arn<'_>>) -> bool {
        match (&self.components, arn) {
            (Some(parts), Some(arn)) => match (&self.literal_head, parts.get(5)) {
                // The usual `arn:aws:s3:::bucket/*`: only the resource part
                // is left to match.
                (Some((head, 4)), Some(last)) => {
                    resource.starts_with(&**head) && last.matches(arn.resource)
                }
                _ => self.component_match(parts, resource, arn),
            },
            (Some(_), None) => self.whole.matches(resource),
            (None, _) => self.whole.matches(resource),
        }
    }

    /// `ArnLike` / `ArnEquals`: the request value must be an ARN.
    pub(crate) fn matches_arn(&self, value: &str) -> bool {
        self.matches_split(value, Arn::parse(value).as_ref())
    }

    /// [`ArnPattern::matches_arn`] with the value already split (`arn` is
    /// `Arn::parse(value)`).
    pub(crate) fn matches_split(&self, value: &str, arn: Option<&Arn<'_>>) -> bool {
        let Some(arn) = arn else {
            return false;
        };
        match &self.components {
            Some(parts) => self.component_match(parts, value, arn),
            None => self.whole.matches(value),
        }
    }
}

impl ArnPattern {
    /// Component-wise match of `parts` (this pattern's six components)
    /// against `value`, split as `arn`.
    fn component_match(&self, parts: &[Pattern], value: &str, arn: &Arn<'_>) -> bool {
        let literal = match &self.literal_head {
            Some((head, literal)) if starts_with(value, head, false) => *literal,
            Some(_) => return false,
            None => 0,
        };
        let values = [
            arn.partition,
            arn.service,
            arn.region,
            arn.account,
            arn.resource,
        ];
        parts.len() == 6
            && parts
                .iter()
                .skip(1 + literal)
                .zip(values.into_iter().skip(literal))
                .all(|(pattern, value)| pattern.matches(value))
    }
}

impl Pattern {
    /// The tokens of this pattern (stars collapsed).
    pub(crate) fn tokens(&self) -> Vec<Token> {
        match &self.shape {
            Shape::Anything => vec![Token::Star],
            Shape::Literal(s) => s.chars().map(Token::Char).collect(),
            Shape::Prefix(s) => s.chars().map(Token::Char).chain([Token::Star]).collect(),
            Shape::Wild(glob) => glob.tokens().to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(p: &str, t: &str) -> bool {
        Pattern::glob(p, false).matches(t)
    }

    #[test]
    fn globs() {
        assert!(g("*", ""));
        assert!(g("*", "anything"));
        assert!(g("a*c", "abbbc"));
        assert!(g("a*c", "ac"));
        assert!(!g("a*c", "ab"));
        assert!(g("a?c", "abc"));
        assert!(!g("a?c", "ac"));
        assert!(g("?", "é"));
        assert!(g("??", "日本"));
        assert!(!g("???", "日本"));
        assert!(g("*a*b*", "xxaxxbxx"));
        assert!(!g("*a*b*", "xxbxxaxx"));
        assert!(g("", ""));
        assert!(!g("", "a"));
        assert!(g("a**b", "ab"));
    }

    #[test]
    fn folding() {
        let p = Pattern::glob("iam:get*", true);
        assert!(p.matches("IAM:GetUser"));
        assert!(p.matches("iam:getuser"));
        assert!(!p.matches("iam:ListUsers"));
        assert!(Pattern::glob("IAM:CreateUser", true).matches("iam:createuser"));
        assert!(Pattern::glob("Ä?", true).matches("äX"));
    }

    #[test]
    fn arn_resources() {
        let p = ArnPattern::glob("arn:aws:iam::123456789012:user/*");
        assert!(p.matches_resource("arn:aws:iam::123456789012:user/alice"));
        assert!(p.matches_resource("arn:aws:iam::123456789012:user/a/b/c"));
        assert!(!p.matches_resource("arn:aws:iam::123456789012:role/alice"));
        assert!(!p.matches_resource("arn:aws:iam::123456789012:User/alice"));
        let p = ArnPattern::glob("arn:aws:iam::*:user/division_abc*");
        assert!(p.matches_resource("arn:aws:iam::111122223333:user/division_abc/sub/Jane"));
        // `*` in the account component does not span colons.
        let p = ArnPattern::glob("arn:aws:s3:::*");
        assert!(p.matches_resource("arn:aws:s3:::bucket/key:with:colons"));
        let p = ArnPattern::glob("arn:aws:iam::1*2:user/x");
        assert!(!p.matches_resource("arn:aws:iam::1:extra:2:user/x"));
        assert!(ArnPattern::glob("*").matches_resource("*"));
        assert!(!ArnPattern::glob("arn:aws:iam::1:user/x").matches_resource("*"));
    }

    #[test]
    fn arn_like() {
        let p = ArnPattern::glob("arn:aws:iam::*:role/*");
        assert!(p.matches_arn("arn:aws:iam::123456789012:role/x"));
        assert!(!p.matches_arn("not-an-arn"));
        // StringLike would match across the colon; ArnLike does not.
        let p = ArnPattern::glob("arn:aws:iam::*");
        assert!(p.matches_arn("arn:aws:iam::1:role/x"));
        let p = ArnPattern::glob("arn:aws:*:role/x");
        assert!(p.matches_arn("arn:aws:iam::1:role/x"));
        assert!(Pattern::glob("arn:aws:*:role/x", false).matches("arn:aws:iam::1:role/x"));
    }
}
