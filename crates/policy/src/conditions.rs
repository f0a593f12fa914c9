//! Compiled conditions and their evaluation (spec §9.4): values ORed,
//! keys and operators ANDed, negated operators true when nothing matches,
//! `IfExists`, `Null`, and the `ForAllValues:` / `ForAnyValue:` set semantics.
//!
//! A set condition compares every request value with every policy value, so
//! the work per pair is kept small: many plain string values are looked up
//! in sorted lists rather than compared one by one, a request value is read
//! as an ARN once rather than once per policy value, and values with
//! variables are resolved (and their patterns built) once per evaluation
//! rather than once per request value.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::sync::OnceLock;

use crate::chars::{eq_fold, fold};
use crate::context::{Key, RequestContext, Typed};
use crate::matching::{Arn, ArnPattern, Pattern, wild_match};
use crate::model::Condition;
use crate::operators::{ConditionOperator, Family, Operator, SetQualifier};
use crate::values::{self, Cidr};
use crate::variables::Template;

/// One policy value, preprocessed for its operator.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Exact(String),
    Fold(String),
    Glob(Pattern),
    Arn(ArnPattern),
    Bool(bool),
    /// A string-family value with variables, resolved per request.
    Template(Template),
    Number(f64),
    Date(i64),
    Binary(Vec<u8>),
    Ip(Cidr),
    /// Null: `true` means "the key must be absent".
    Null(bool),
    /// A value that can never match (e.g. an unreadable number).
    Never,
}

/// A condition ready to evaluate.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CompiledCondition {
    operator: ConditionOperator,
    /// The positive form of the base operator.
    test: Operator,
    negated: bool,
    /// Case-folded key.
    key: Key,
    /// True when some value has a variable.
    has_templates: bool,
    /// The values compared one by one with each request value.
    values: Vec<Value>,
    /// The plain string values, when there are many: looked up instead.
    lookup: Option<Box<Lookup>>,
}

impl CompiledCondition {
    /// The (case-folded) context keys this condition reads: its key and its values' variables.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.key.folded()).chain(
            self.values
                .iter()
                .flat_map(|v| match v {
                    Value::Template(t) => Some(t.keys()),
                    _ => None,
                })
                .flatten(),
        )
    }
}

/// Conditions with at least this many plain string values look a request
/// value up among them; with fewer, comparing one by one is as fast.
const LOOKUP_MIN: usize = 8;

/// The plain string values of a condition with many values: those a request
/// value must equal (`StringEquals`, `StringEqualsIgnoreCase`, `StringLike`
/// without wildcards) and the prefixes of `StringLike` values `prefix*`, in
/// sorted lists so that a request value costs a binary search, not one
/// comparison per policy value.
#[derive(Clone, Debug, PartialEq)]
struct Lookup {
    /// `StringEqualsIgnoreCase`: `exact` holds the values with every
    /// character folded, and request values are folded the same way
    /// ([`eq_fold`] compares exactly that).
    fold: bool,
    /// Sorted, without duplicates.
    exact: Box<[Box<str>]>,
    /// Sorted, and none is a prefix of another (the longer one would add
    /// nothing).
    prefixes: Box<[Box<str>]>,
}

impl Lookup {
    /// Takes the plain string values out of `values` when there are at least
    /// [`LOOKUP_MIN`] of them.
    fn take(op: Operator, values: &mut Vec<Value>) -> Option<Lookup> {
        let plain = |v: &Value| match v {
            Value::Exact(_) | Value::Fold(_) => true,
            Value::Glob(p) => p.exact_literal().is_some() || p.exact_prefix().is_some(),
            _ => false,
        };
        if values.iter().filter(|v| plain(v)).count() < LOOKUP_MIN {
            return None;
        }
        let mut exact: Vec<Box<str>> = Vec::new();
        let mut prefixes: Vec<Box<str>> = Vec::new();
        values.retain(|v| {
            match v {
                Value::Exact(s) => exact.push(s.as_str().into()),
                Value::Fold(s) => exact.push(s.chars().map(fold).collect::<String>().into()),
                Value::Glob(p) => match (p.exact_literal(), p.exact_prefix()) {
                    (Some(s), _) => exact.push(s.into()),
                    (None, Some(s)) => prefixes.push(s.into()),
                    (None, None) => return true,
                },
                _ => return true,
            }
            false
        });
        exact.sort_unstable();
        exact.dedup();
        prefixes.sort_unstable();
        let mut kept: Vec<Box<str>> = Vec::with_capacity(prefixes.len());
        for p in prefixes {
            // Sorted: a prefix of `p` in the list is the last one kept.
            if !kept.last().is_some_and(|k| p.starts_with(&**k)) {
                kept.push(p);
            }
        }
        Some(Lookup {
            fold: op == Operator::StringEqualsIgnoreCase,
            exact: exact.into_boxed_slice(),
            prefixes: kept.into_boxed_slice(),
        })
    }

    fn contains(&self, text: &str) -> bool {
        let text: Cow<'_, str> = if self.fold && text.chars().any(|c| fold(c) != c) {
            Cow::Owned(text.chars().map(fold).collect())
        } else {
            Cow::Borrowed(text)
        };
        let text = text.as_ref();
        if self.exact.binary_search_by(|v| (**v).cmp(text)).is_ok() {
            return true;
        }
        // The greatest prefix not after `text` is the only candidate: a
        // matching prefix `p` sorts before `text`, and anything between them
        // starts with `p` (so is `p`, the list being prefix-free).
        let after = self.prefixes.partition_point(|p| **p <= *text);
        after
            .checked_sub(1)
            .and_then(|i| self.prefixes.get(i))
            .is_some_and(|p| text.starts_with(&**p))
    }
}

/// A key's values in the request, with their typed readings.
type Present<'a> = (&'a [String], &'a [OnceLock<Typed>]);

fn compile_value(op: Operator, text: &str, expand: bool) -> Value {
    let family = op.family();
    if op.allows_variables() {
        let template = Template::parse(text, expand);
        if template.has_variables() {
            return Value::Template(template);
        }
        // No variables: resolve escapes once.
        let Some(plain) = template.resolve_text(None) else {
            return Value::Never;
        };
        let tokens = template.resolve_tokens(None).unwrap_or_default();
        return string_value(op, plain, tokens);
    }
    let parsed = match family {
        Family::Numeric => values::parse_number(text).map(Value::Number),
        Family::Date => values::parse_date(text).map(Value::Date),
        Family::Binary => values::decode_base64(text).map(Value::Binary),
        Family::Ip => Cidr::parse(text).map(Value::Ip),
        Family::Null => values::parse_bool(text).map(Value::Null),
        Family::String | Family::Arn | Family::Bool => None,
    };
    parsed.unwrap_or(Value::Never)
}

/// The value of a string, ARN or Bool operator, from its text (`*` and `?`
/// literal) and its tokens (`*` and `?` wildcards unless escaped).
fn string_value(op: Operator, plain: String, tokens: Vec<crate::chars::Token>) -> Value {
    match op {
        Operator::StringEquals => Value::Exact(plain),
        Operator::StringEqualsIgnoreCase => Value::Fold(plain),
        Operator::StringLike => Value::Glob(Pattern::from_tokens(tokens, false)),
        Operator::ArnEquals | Operator::ArnLike => Value::Arn(ArnPattern::from_tokens(&tokens)),
        Operator::Bool => values::parse_bool(&plain).map_or(Value::Never, Value::Bool),
        _ => Value::Never,
    }
}

impl CompiledCondition {
    pub(crate) fn compile(condition: &Condition, expand: bool) -> CompiledCondition {
        let test = condition.operator.operator.positive();
        let mut values: Vec<Value> = condition
            .values
            .iter()
            .map(|v| compile_value(test, v, expand))
            .collect();
        let lookup = Lookup::take(test, &mut values).map(Box::new);
        CompiledCondition {
            operator: condition.operator,
            test,
            negated: condition.operator.operator.is_negated(),
            key: Key::new(&condition.key),
            has_templates: values.iter().any(|v| matches!(v, Value::Template(_))),
            values,
            lookup,
        }
    }

    /// True when the condition holds for the request.
    pub(crate) fn holds(&self, ctx: &RequestContext) -> bool {
        // A variable without a value invalidates the condition, whatever the
        // operator (negated operators and `IfExists` included).
        let unresolvable = self.has_templates
            && self
                .values
                .iter()
                .any(|v| matches!(v, Value::Template(t) if !t.resolvable(ctx)));
        if unresolvable {
            return false;
        }
        let present = ctx.typed_folded(&self.key);
        if self.test == Operator::Null {
            let absent = present.is_none();
            return self
                .values
                .iter()
                .any(|v| matches!(v, Value::Null(want_absent) if *want_absent == absent));
        }
        if self.lookup.is_some() || present.is_some_and(|(texts, _)| texts.len() > 1) {
            return self.holds_for_many(ctx, present);
        }
        // Does one request value match any policy value (positive test)?
        let any = |text: &String, typed: &OnceLock<Typed>| {
            let typed = typed.get_or_init(|| Typed::of(text));
            self.values
                .iter()
                .any(|v| self.value_matches(v, text, typed, ctx))
        };
        self.combine(present, any)
    }

    /// The set semantics over the request values, given `any`: whether one request value
    /// matches any policy value. Generic, so each caller gets its own inlined copy.
    #[inline(always)]
    fn combine(
        &self,
        present: Option<Present<'_>>,
        any: impl Fn(&String, &OnceLock<Typed>) -> bool,
    ) -> bool {
        // For negated operators, `hit` is whether a request value matches none
        // of the policy values.
        let hit = |(text, typed): (&String, &OnceLock<Typed>)| any(text, typed) != self.negated;
        match (self.operator.qualifier, present) {
            (None, None) => self.operator.if_exists || self.negated,
            (None, Some((texts, typed))) => {
                texts.iter().zip(typed).any(|(t, ty)| any(t, ty)) != self.negated
            }
            (Some(SetQualifier::ForAllValues), None) => true,
            (Some(SetQualifier::ForAllValues), Some((texts, typed))) => {
                texts.iter().zip(typed).all(hit)
            }
            (Some(SetQualifier::ForAnyValue), None) => self.operator.if_exists,
            (Some(SetQualifier::ForAnyValue), Some((texts, typed))) => {
                texts.iter().zip(typed).any(hit)
            }
        }
    }

    /// [`CompiledCondition::holds`] with many policy or request values,
    /// keeping the work for each pair small: values with variables are
    /// resolved (and their patterns built) once rather than once per request
    /// value, a request value is read as an ARN once rather than once per
    /// policy value, and the plain string values are looked up. (Kept apart
    /// from `holds` so that the usual path stays small enough to be compiled
    /// tightly; both share the set logic through `combine`.)
    #[inline(never)]
    fn holds_for_many(&self, ctx: &RequestContext, present: Option<Present<'_>>) -> bool {
        let resolved: Vec<Value> = self
            .values
            .iter()
            .filter_map(|v| match v {
                Value::Template(t) => Some(self.resolve(t, ctx)),
                _ => None,
            })
            .collect();
        let arn_values = matches!(self.test, Operator::ArnEquals | Operator::ArnLike);
        let any = |text: &String, typed: &OnceLock<Typed>| {
            if self.lookup.as_ref().is_some_and(|l| l.contains(text)) {
                return true;
            }
            let typed = typed.get_or_init(|| Typed::of(text));
            let arn = if arn_values { Arn::parse(text) } else { None };
            let each = |v: &Value| match v {
                Value::Arn(p) => p.matches_split(text, arn.as_ref()),
                // Resolved above.
                Value::Template(_) => false,
                v => self.value_matches_outlined(v, text, typed, ctx),
            };
            self.values.iter().any(each) || resolved.iter().any(each)
        };
        self.combine(present, any)
    }

    /// [`CompiledCondition::value_matches`], not inlined (it is inlined into
    /// the usual path only).
    #[inline(never)]
    fn value_matches_outlined(
        &self,
        value: &Value,
        request: &str,
        typed: &Typed,
        ctx: &RequestContext,
    ) -> bool {
        self.value_matches(value, request, typed, ctx)
    }

    /// The positive test of one policy value against one request value.
    #[inline(always)]
    fn value_matches(
        &self,
        value: &Value,
        request: &str,
        typed: &Typed,
        ctx: &RequestContext,
    ) -> bool {
        match value {
            Value::Exact(s) => s == request,
            Value::Fold(s) => eq_fold(s, request),
            Value::Glob(p) => p.matches(request),
            Value::Arn(p) => p.matches_arn(request),
            Value::Bool(b) => typed.boolean == Some(*b),
            Value::Template(t) => self.template_matches(t, request, typed, ctx),
            Value::Number(n) => typed
                .number
                .and_then(|r| r.partial_cmp(n))
                .is_some_and(|ord| self.ordering_ok(ord)),
            Value::Date(d) => typed.date.is_some_and(|r| self.ordering_ok(r.cmp(d))),
            Value::Binary(bytes) => values::decode_base64(request).is_some_and(|r| r == *bytes),
            Value::Ip(cidr) => typed.ip.is_some_and(|ip| cidr.contains(ip)),
            Value::Null(_) | Value::Never => false,
        }
    }

    /// A value with variables, resolved for `ctx`: what
    /// [`CompiledCondition::template_matches`] compares with, built once.
    fn resolve(&self, template: &Template, ctx: &RequestContext) -> Value {
        let (Some(plain), Some(tokens)) = (
            template.resolve_text(Some(ctx)),
            template.resolve_tokens(Some(ctx)),
        ) else {
            return Value::Never;
        };
        string_value(self.test, plain, tokens)
    }

    fn template_matches(
        &self,
        template: &Template,
        text: &str,
        typed: &Typed,
        ctx: &RequestContext,
    ) -> bool {
        match self.test {
            Operator::StringEquals => template.equals(ctx, text, false),
            Operator::StringEqualsIgnoreCase => {
                // Byte lengths can differ under case folding: compare built text.
                template
                    .resolve_text(Some(ctx))
                    .is_some_and(|s| eq_fold(&s, text))
            }
            Operator::Bool => template
                .resolve_text(Some(ctx))
                .and_then(|s| values::parse_bool(&s))
                .is_some_and(|b| typed.boolean == Some(b)),
            Operator::StringLike => template
                .with_tokens(ctx, |t| wild_match(t, text, false))
                .unwrap_or(false),
            Operator::ArnEquals | Operator::ArnLike => {
                template.resolve_tokens(Some(ctx)).is_some_and(|t| {
                    ArnPattern::from_tokens(&t).matches_split(text, Arn::parse(text).as_ref())
                })
            }
            _ => false,
        }
    }

    /// For Numeric and Date operators: does `request <op> policy` hold?
    fn ordering_ok(&self, request_vs_policy: Ordering) -> bool {
        use Operator::*;
        match self.test {
            NumericEquals | DateEquals => request_vs_policy == Ordering::Equal,
            NumericLessThan | DateLessThan => request_vs_policy == Ordering::Less,
            NumericLessThanEquals | DateLessThanEquals => request_vs_policy != Ordering::Greater,
            NumericGreaterThan | DateGreaterThan => request_vs_policy == Ordering::Greater,
            NumericGreaterThanEquals | DateGreaterThanEquals => request_vs_policy != Ordering::Less,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::Caller;
    use proptest::prelude::*;
    use proptest::sample::select;

    fn condition(operator: &str, values: &[String]) -> CompiledCondition {
        let operator = ConditionOperator::parse(operator).unwrap_or_else(|| {
            unreachable!("test operators are valid");
        });
        let condition = Condition {
            operator,
            key: "svc:k".into(),
            values: values.to_vec(),
        };
        CompiledCondition::compile(&condition, true)
    }

    fn request(values: &[&str]) -> RequestContext {
        let mut ctx = RequestContext::new(Caller::Anonymous, "svc:Do", "*");
        ctx.set("aws:username", "al")
            .set_values("svc:k", values.iter().copied());
        ctx
    }

    fn text(chars: Vec<char>) -> String {
        chars.into_iter().collect()
    }

    #[test]
    fn many_values_are_looked_up() {
        let values: Vec<String> = ["a*", "a/*", "a/b*", "b", "B", "c?", "*x", "ab", "ab", "d"]
            .map(str::to_owned)
            .to_vec();
        let like = condition("StringLike", &values);
        let lookup = like.lookup.as_ref();
        assert_eq!(
            lookup.map(|l| (l.exact.len(), l.prefixes.len())),
            Some((4, 1)),
            "`a*` covers the other prefixes; `ab` once"
        );
        assert_eq!(
            like.values.len(),
            2,
            "`c?` and `*x` are compared one by one"
        );
        for (value, want) in [
            ("a/c", true),
            ("a", true),
            ("b", true),
            ("B", true),
            ("ba", false),
            ("cd", true),
            ("yx", true),
            ("", false),
            ("/", false),
        ] {
            assert_eq!(like.holds(&request(&[value])), want, "{value}");
        }
        let fold = condition("StringEqualsIgnoreCase", &values);
        assert!(fold.lookup.as_ref().is_some_and(|l| l.fold));
        assert!(fold.holds(&request(&["A*"])));
        assert!(fold.holds(&request(&["AB"])));
        assert!(!fold.holds(&request(&["ABC"])));
        // Few values: compared one by one.
        assert!(condition("StringEquals", &values[..3]).lookup.is_none());
    }

    #[test]
    fn variables_with_several_request_values() {
        let values = ["${aws:username}*".to_owned(), "x".to_owned()];
        let any = condition("ForAnyValue:StringLike", &values);
        assert!(any.holds(&request(&["q", "alice"])));
        assert!(!any.holds(&request(&["q", "a"])));
        let all = condition("ForAllValues:StringLike", &values);
        assert!(all.holds(&request(&["x", "al", "alx"])));
        assert!(!all.holds(&request(&["x", "al", "a"])));
        let arn = ["arn:aws:iam::1:user/${aws:username}".to_owned()];
        let any = condition("ForAnyValue:ArnLike", &arn);
        assert!(any.holds(&request(&["x", "arn:aws:iam::1:user/al"])));
        assert!(!any.holds(&request(&["x", "arn:aws:iam::1:user/alx"])));
        // A variable with no value: the condition does not hold.
        let missing = condition("ForAnyValue:StringLike", &["${svc:none}".to_owned()]);
        assert!(!missing.holds(&request(&["a", "b"])));
    }

    /// Mostly literals and `prefix*` (the values that are looked up), now
    /// and then a `?` or an inner `*`.
    fn value() -> impl Strategy<Value = String> {
        let chars = prop::collection::vec(
            prop::strategy::Union::new_weighted(vec![
                (12, select(vec!['a', 'b', 'A', '/', 'é', 'É']).boxed()),
                (1, select(vec!['*', '?']).boxed()),
            ]),
            0..4,
        );
        (chars, any::<bool>()).prop_map(|(chars, star)| {
            let mut v = text(chars);
            if star {
                v.push('*');
            }
            v
        })
    }

    fn request_char() -> impl Strategy<Value = char> {
        select(vec!['a', 'b', 'A', 'B', '/', 'é', 'É'])
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        /// With many values (looked up), a condition decides as comparing
        /// the request value with each policy value would.
        #[test]
        fn lookup_agrees_with_comparing_each(
            operator in select(vec!["StringEquals", "StringEqualsIgnoreCase", "StringLike"]),
            values in prop::collection::vec(value(), 8..30),
            texts in prop::collection::vec(prop::collection::vec(request_char(), 0..5), 1..12),
        ) {
            let compiled = condition(operator, &values);
            for t in texts.into_iter().map(text) {
                let want = values.iter().any(|v| match operator {
                    "StringEquals" => *v == t,
                    "StringEqualsIgnoreCase" => eq_fold(v, &t),
                    _ => Pattern::glob(v, false).matches(&t),
                });
                prop_assert_eq!(
                    compiled.holds(&request(&[&t])), want,
                    "{} {:?} on {:?}", operator, values, t
                );
            }
        }
    }
}
