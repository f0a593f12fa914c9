//! Policy variables: `${key}`, `${key, 'default'}` and the escapes `${*}`,
//! `${?}`, `${$}`. Only Version 2012-10-17 policies expand them; elsewhere the
//! text is literal. A variable with no value makes its value unresolvable,
//! which the caller turns into "does not match" (never an error).

use std::cell::RefCell;

use crate::chars::Token;
use crate::context::{Key, RequestContext};

#[derive(Clone, Debug, PartialEq, Eq)]
enum Part {
    /// Text whose `*` and `?` are wildcards where the value is a pattern.
    Text(String),
    /// A character that is always literal (from `${*}`, `${?}`, `${$}`).
    Escaped(char),
    /// A context key (case-folded) and its optional default.
    Var { key: Key, default: Option<String> },
}

/// A policy string split into text, escapes and variables.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Template {
    parts: Vec<Part>,
}

impl Template {
    /// The (case-folded) context keys its variables read.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Var { key, .. } => Some(key.folded()),
            _ => None,
        })
    }
}

fn parse_var(inner: &str) -> Option<Part> {
    match inner {
        "*" => return Some(Part::Escaped('*')),
        "?" => return Some(Part::Escaped('?')),
        "$" => return Some(Part::Escaped('$')),
        _ => {}
    }
    let (key, default) = match inner.split_once(',') {
        Some((key, rest)) => {
            let rest = rest.trim();
            let default = rest.strip_prefix('\'')?.strip_suffix('\'')?;
            (key.trim(), Some(default.to_owned()))
        }
        None => (inner.trim(), None),
    };
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| !c.is_whitespace() && !matches!(c, '$' | '{' | '}' | '\'' | ','));
    valid.then(|| Part::Var {
        key: Key::new(key),
        default,
    })
}

impl Template {
    /// Splits `text`; with `expand == false` the whole text is literal
    /// (Version absent or 2008-10-17).
    pub(crate) fn parse(text: &str, expand: bool) -> Template {
        let mut parts = Vec::new();
        let mut plain = String::new();
        let mut rest = text;
        while let (true, Some(start)) = (expand, rest.find("${")) {
            let after = rest.get(start + 2..).unwrap_or_default();
            let Some(end) = after.find('}') else { break };
            let inner = after.get(..end).unwrap_or_default();
            match parse_var(inner) {
                Some(part) => {
                    plain.push_str(rest.get(..start).unwrap_or_default());
                    if !plain.is_empty() {
                        parts.push(Part::Text(std::mem::take(&mut plain)));
                    }
                    parts.push(part);
                    rest = after.get(end + 1..).unwrap_or_default();
                }
                None => {
                    // Not a variable: keep `${` literally and carry on after it.
                    plain.push_str(rest.get(..start + 2).unwrap_or_default());
                    rest = after;
                }
            }
        }
        plain.push_str(rest);
        if !plain.is_empty() {
            parts.push(Part::Text(plain));
        }
        Template { parts }
    }

    /// True when the value depends on the request (has a variable).
    pub(crate) fn has_variables(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Var { .. }))
    }

    /// Splits off the text up to and including the `n`-th colon when no
    /// variable comes before it: `(head tokens, rest)`. Used to precompile the
    /// static ARN components in front of a resource-part variable.
    pub(crate) fn split_after_colons(&self, n: usize) -> Option<(Vec<Token>, Template)> {
        let mut head = Vec::new();
        let mut colons = 0;
        for (i, part) in self.parts.iter().enumerate() {
            match part {
                Part::Var { .. } => return None,
                Part::Escaped(c) => head.push(Token::Char(*c)),
                Part::Text(t) => {
                    for (at, c) in t.char_indices() {
                        head.push(match c {
                            '*' => Token::Star,
                            '?' => Token::One,
                            c => Token::Char(c),
                        });
                        if c == ':' {
                            colons += 1;
                            if colons == n {
                                let rest = t.get(at + 1..).unwrap_or_default();
                                let mut parts = Vec::new();
                                if !rest.is_empty() {
                                    parts.push(Part::Text(rest.to_owned()));
                                }
                                parts.extend(self.parts.iter().skip(i + 1).cloned());
                                return Some((head, Template { parts }));
                            }
                        }
                    }
                }
            }
        }
        None
    }

    /// Compares the resolved value with `text` without building it; `false`
    /// when a variable has no value.
    pub(crate) fn equals(&self, ctx: &RequestContext, text: &str, fold_case: bool) -> bool {
        let mut rest = text;
        let mut eat = |piece: &str| -> bool {
            let Some(head) = rest.get(..piece.len()) else {
                return false;
            };
            let same = if fold_case {
                crate::chars::eq_fold(head, piece)
            } else {
                head == piece
            };
            if same {
                rest = rest.get(piece.len()..).unwrap_or_default();
            }
            same
        };
        let mut buf = [0u8; 4];
        for part in &self.parts {
            let ok = match part {
                Part::Text(t) => eat(t),
                Part::Escaped(c) => eat(c.encode_utf8(&mut buf)),
                Part::Var { key, default } => match Self::lookup(key, default.as_deref(), ctx) {
                    Some(value) => eat(value),
                    None => false,
                },
            };
            if !ok {
                return false;
            }
        }
        rest.is_empty()
    }

    /// True when every variable has a value (or a default) in `ctx`. A
    /// statement with an unresolvable variable does not match (AWS: "any
    /// attempt to match it fails and causes the statement to be invalid").
    pub(crate) fn resolvable(&self, ctx: &RequestContext) -> bool {
        self.parts.iter().all(|part| match part {
            Part::Var { key, default } => Self::lookup(key, default.as_deref(), ctx).is_some(),
            Part::Text(_) | Part::Escaped(_) => true,
        })
    }

    fn lookup<'a>(key: &Key, default: Option<&'a str>, ctx: &'a RequestContext) -> Option<&'a str> {
        match ctx.values_folded(key) {
            // Multi-valued keys cannot be variables.
            Some([single]) => Some(single.as_str()),
            Some(_) => None,
            None => default,
        }
    }

    /// The value as plain text (`*` and `?` literal), `None` when a variable
    /// has no value and no default.
    pub(crate) fn resolve_text(&self, ctx: Option<&RequestContext>) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.push_str(t),
                Part::Escaped(c) => out.push(*c),
                Part::Var { key, default } => {
                    out.push_str(Self::lookup(key, default.as_deref(), ctx?)?);
                }
            }
        }
        Some(out)
    }

    /// Calls `f` with the value as wildcard tokens (see
    /// [`Template::resolve_tokens`]), built in a per-thread scratch buffer so
    /// the hot path does not allocate. `None` when a variable has no value.
    pub(crate) fn with_tokens<R>(
        &self,
        ctx: &RequestContext,
        f: impl FnOnce(&[Token]) -> R,
    ) -> Option<R> {
        thread_local! {
            static SCRATCH: RefCell<Vec<Token>> = const { RefCell::new(Vec::new()) };
        }
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut buf) => {
                buf.clear();
                self.push_tokens(ctx, &mut buf)?;
                Some(f(&buf))
            }
            Err(_) => self.resolve_tokens(Some(ctx)).map(|t| f(&t)),
        })
    }

    fn push_tokens(&self, ctx: &RequestContext, out: &mut Vec<Token>) -> Option<()> {
        for part in &self.parts {
            match part {
                Part::Text(t) => out.extend(t.chars().map(|c| match c {
                    '*' => Token::Star,
                    '?' => Token::One,
                    c => Token::Char(c),
                })),
                Part::Escaped(c) => out.push(Token::Char(*c)),
                Part::Var { key, default } => {
                    let value = Self::lookup(key, default.as_deref(), ctx)?;
                    out.extend(value.chars().map(Token::Char));
                }
            }
        }
        Some(())
    }

    /// The value as wildcard tokens: `*`/`?` in the policy text are wildcards,
    /// escaped characters and substituted values are literal.
    pub(crate) fn resolve_tokens(&self, ctx: Option<&RequestContext>) -> Option<Vec<Token>> {
        let mut out = Vec::new();
        for part in &self.parts {
            match part {
                Part::Text(t) => out.extend(t.chars().map(|c| match c {
                    '*' => Token::Star,
                    '?' => Token::One,
                    c => Token::Char(c),
                })),
                Part::Escaped(c) => out.push(Token::Char(*c)),
                Part::Var { key, default } => {
                    let value = Self::lookup(key, default.as_deref(), ctx?)?;
                    out.extend(value.chars().map(Token::Char));
                }
            }
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Caller;

    fn ctx() -> RequestContext {
        let mut c = RequestContext::new(Caller::Anonymous, "s3:GetObject", "*");
        c.set("aws:username", "alice")
            .set("aws:PrincipalTag/Team", "blue")
            .set_values("aws:TagKeys", ["a", "b"]);
        c
    }

    #[test]
    fn expands_and_defaults() {
        let c = ctx();
        let t = Template::parse("home/${aws:username}/*", true);
        assert_eq!(t.resolve_text(Some(&c)).as_deref(), Some("home/alice/*"));
        let t = Template::parse("${AWS:USERNAME}", true);
        assert_eq!(t.resolve_text(Some(&c)).as_deref(), Some("alice"));
        let t = Template::parse("${aws:principaltag/team}", true);
        assert_eq!(t.resolve_text(Some(&c)).as_deref(), Some("blue"));
        let t = Template::parse("${aws:PrincipalTag/dept, 'company-wide'}", true);
        assert_eq!(t.resolve_text(Some(&c)).as_deref(), Some("company-wide"));
        let t = Template::parse("${aws:missing}", true);
        assert_eq!(t.resolve_text(Some(&c)), None);
        let t = Template::parse("${aws:TagKeys}", true);
        assert_eq!(
            t.resolve_text(Some(&c)),
            None,
            "multi-valued keys are not variables"
        );
    }

    #[test]
    fn escapes_are_literal() {
        let c = ctx();
        let t = Template::parse("a${*}b${?}c${$}", true);
        assert_eq!(t.resolve_text(Some(&c)).as_deref(), Some("a*b?c$"));
        let tokens = t.resolve_tokens(Some(&c)).unwrap();
        assert!(!tokens.contains(&Token::Star));
        let t = Template::parse("a*", true);
        assert_eq!(
            t.resolve_tokens(None).unwrap(),
            vec![Token::Char('a'), Token::Star]
        );
    }

    #[test]
    fn old_version_is_literal() {
        let c = ctx();
        let t = Template::parse("${aws:username}", false);
        assert!(!t.has_variables());
        assert_eq!(t.resolve_text(Some(&c)).as_deref(), Some("${aws:username}"));
    }

    #[test]
    fn malformed_variables_stay_literal() {
        let t = Template::parse("${unclosed", true);
        assert_eq!(t.resolve_text(None).as_deref(), Some("${unclosed"));
        let t = Template::parse("${}x${aws:a b}", true);
        assert_eq!(t.resolve_text(None).as_deref(), Some("${}x${aws:a b}"));
    }
}
