//! Compiled conditions and their evaluation (spec §9.4): values ORed,
//! keys and operators ANDed, negated operators true when nothing matches,
//! `IfExists`, `Null`, and the `ForAllValues:` / `ForAnyValue:` set semantics.

use std::cmp::Ordering;
use std::sync::OnceLock;

use crate::context::{Key, RequestContext, Typed};
use crate::matching::{ArnPattern, Pattern, eq_fold, wild_match};
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
    values: Vec<Value>,
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
        return match op {
            Operator::StringEquals => Value::Exact(plain),
            Operator::StringEqualsIgnoreCase => Value::Fold(plain),
            Operator::StringLike => Value::Glob(Pattern::from_tokens(tokens, false)),
            Operator::ArnEquals | Operator::ArnLike => Value::Arn(ArnPattern::from_tokens(&tokens)),
            Operator::Bool => values::parse_bool(&plain).map_or(Value::Never, Value::Bool),
            _ => Value::Never,
        };
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

impl CompiledCondition {
    pub(crate) fn compile(condition: &Condition, expand: bool) -> CompiledCondition {
        let test = condition.operator.operator.positive();
        let values: Vec<Value> = condition
            .values
            .iter()
            .map(|v| compile_value(test, v, expand))
            .collect();
        CompiledCondition {
            operator: condition.operator,
            test,
            negated: condition.operator.operator.is_negated(),
            key: Key::new(&condition.key),
            has_templates: values.iter().any(|v| matches!(v, Value::Template(_))),
            values,
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
        // Does one request value match any policy value (positive test)?
        let any = |text: &String, typed: &OnceLock<Typed>| {
            let typed = typed.get_or_init(|| Typed::of(text));
            self.values
                .iter()
                .any(|v| self.value_matches(v, text, typed, ctx))
        };
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

    /// The positive test of one policy value against one request value.
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
            Value::Template(t) => self.template_matches(t, request, ctx),
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

    fn template_matches(&self, template: &Template, request: &str, ctx: &RequestContext) -> bool {
        match self.test {
            Operator::StringEquals => template.equals(ctx, request, false),
            Operator::StringEqualsIgnoreCase => {
                // Byte lengths can differ under case folding: compare built text.
                template
                    .resolve_text(Some(ctx))
                    .is_some_and(|s| eq_fold(&s, request))
            }
            Operator::Bool => template
                .resolve_text(Some(ctx))
                .and_then(|s| values::parse_bool(&s))
                .is_some_and(|b| values::parse_bool(request) == Some(b)),
            Operator::StringLike => template
                .with_tokens(ctx, |t| wild_match(t, request, false))
                .unwrap_or(false),
            Operator::ArnEquals | Operator::ArnLike => template
                .resolve_tokens(Some(ctx))
                .is_some_and(|t| ArnPattern::from_tokens(&t).matches_arn(request)),
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
