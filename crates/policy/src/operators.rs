//! Condition operator names: the 28 base operators, the `IfExists` suffix and
//! the `ForAllValues:` / `ForAnyValue:` set qualifiers.

/// A base condition operator (without `IfExists` or a set qualifier).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[expect(missing_docs, reason = "variant names are AWS's operator names")]
pub enum Operator {
    StringEquals,
    StringNotEquals,
    StringEqualsIgnoreCase,
    StringNotEqualsIgnoreCase,
    StringLike,
    StringNotLike,
    NumericEquals,
    NumericNotEquals,
    NumericLessThan,
    NumericLessThanEquals,
    NumericGreaterThan,
    NumericGreaterThanEquals,
    DateEquals,
    DateNotEquals,
    DateLessThan,
    DateLessThanEquals,
    DateGreaterThan,
    DateGreaterThanEquals,
    Bool,
    BinaryEquals,
    IpAddress,
    NotIpAddress,
    ArnEquals,
    ArnLike,
    ArnNotEquals,
    ArnNotLike,
    Null,
}

/// The family of an operator: decides how policy and request values are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// String comparisons (exact, case-insensitive, glob).
    String,
    /// Numbers (integer or decimal).
    Numeric,
    /// Dates (ISO 8601 or epoch seconds).
    Date,
    /// `true` / `false`.
    Bool,
    /// Base64 bytes.
    Binary,
    /// IPv4 / IPv6 CIDRs.
    Ip,
    /// ARNs compared component by component.
    Arn,
    /// Key presence.
    Null,
}

const TABLE: &[(&str, Operator)] = &[
    ("StringEquals", Operator::StringEquals),
    ("StringNotEquals", Operator::StringNotEquals),
    ("StringEqualsIgnoreCase", Operator::StringEqualsIgnoreCase),
    (
        "StringNotEqualsIgnoreCase",
        Operator::StringNotEqualsIgnoreCase,
    ),
    ("StringLike", Operator::StringLike),
    ("StringNotLike", Operator::StringNotLike),
    ("NumericEquals", Operator::NumericEquals),
    ("NumericNotEquals", Operator::NumericNotEquals),
    ("NumericLessThan", Operator::NumericLessThan),
    ("NumericLessThanEquals", Operator::NumericLessThanEquals),
    ("NumericGreaterThan", Operator::NumericGreaterThan),
    (
        "NumericGreaterThanEquals",
        Operator::NumericGreaterThanEquals,
    ),
    ("DateEquals", Operator::DateEquals),
    ("DateNotEquals", Operator::DateNotEquals),
    ("DateLessThan", Operator::DateLessThan),
    ("DateLessThanEquals", Operator::DateLessThanEquals),
    ("DateGreaterThan", Operator::DateGreaterThan),
    ("DateGreaterThanEquals", Operator::DateGreaterThanEquals),
    ("Bool", Operator::Bool),
    ("BinaryEquals", Operator::BinaryEquals),
    ("IpAddress", Operator::IpAddress),
    ("NotIpAddress", Operator::NotIpAddress),
    ("ArnEquals", Operator::ArnEquals),
    ("ArnLike", Operator::ArnLike),
    ("ArnNotEquals", Operator::ArnNotEquals),
    ("ArnNotLike", Operator::ArnNotLike),
    ("Null", Operator::Null),
];

impl Operator {
    /// Every base operator.
    pub fn all() -> impl Iterator<Item = Operator> {
        TABLE.iter().map(|(_, op)| *op)
    }

    /// AWS's name for the operator.
    pub fn name(self) -> &'static str {
        TABLE
            .iter()
            .find(|(_, op)| *op == self)
            .map_or("", |(name, _)| name)
    }

    fn from_name(name: &str) -> Option<Operator> {
        TABLE.iter().find(|(n, _)| *n == name).map(|(_, op)| *op)
    }

    /// The operator's family.
    pub fn family(self) -> Family {
        use Operator::*;
        match self {
            StringEquals
            | StringNotEquals
            | StringEqualsIgnoreCase
            | StringNotEqualsIgnoreCase
            | StringLike
            | StringNotLike => Family::String,
            NumericEquals
            | NumericNotEquals
            | NumericLessThan
            | NumericLessThanEquals
            | NumericGreaterThan
            | NumericGreaterThanEquals => Family::Numeric,
            DateEquals
            | DateNotEquals
            | DateLessThan
            | DateLessThanEquals
            | DateGreaterThan
            | DateGreaterThanEquals => Family::Date,
            Bool => Family::Bool,
            BinaryEquals => Family::Binary,
            IpAddress | NotIpAddress => Family::Ip,
            ArnEquals | ArnLike | ArnNotEquals | ArnNotLike => Family::Arn,
            Null => Family::Null,
        }
    }

    /// True for the negated operators (`StringNotEquals`, `NotIpAddress`,
    /// `ArnNotLike`, ...): the key must match none of the policy values, and a
    /// missing key makes them true.
    pub fn is_negated(self) -> bool {
        use Operator::*;
        matches!(
            self,
            StringNotEquals
                | StringNotEqualsIgnoreCase
                | StringNotLike
                | NumericNotEquals
                | DateNotEquals
                | NotIpAddress
                | ArnNotEquals
                | ArnNotLike
        )
    }

    /// The positive operator whose result a negated operator inverts (the
    /// operator itself when it is not negated).
    pub fn positive(self) -> Operator {
        use Operator::*;
        match self {
            StringNotEquals => StringEquals,
            StringNotEqualsIgnoreCase => StringEqualsIgnoreCase,
            StringNotLike => StringLike,
            NumericNotEquals => NumericEquals,
            DateNotEquals => DateEquals,
            NotIpAddress => IpAddress,
            ArnNotEquals => ArnEquals,
            ArnNotLike => ArnLike,
            other => other,
        }
    }

    /// True when policy variables are expanded in this operator's values
    /// (string, ARN and Bool operators).
    pub fn allows_variables(self) -> bool {
        matches!(self.family(), Family::String | Family::Arn | Family::Bool)
    }
}

/// `ForAllValues:` / `ForAnyValue:` set qualifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetQualifier {
    /// Every request value must match some policy value (vacuously true when
    /// the key is missing or empty).
    ForAllValues,
    /// Some request value must match some policy value (false when the key is
    /// missing or empty).
    ForAnyValue,
}

/// A full condition operator as written in a policy, e.g.
/// `ForAnyValue:StringLikeIfExists`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ConditionOperator {
    /// The set qualifier, if any.
    pub qualifier: Option<SetQualifier>,
    /// The base operator.
    pub operator: Operator,
    /// True for the `...IfExists` form.
    pub if_exists: bool,
}

impl ConditionOperator {
    /// Reads an operator name; `None` for names AWS does not know.
    /// Names are case-sensitive, as AWS documents them.
    pub fn parse(text: &str) -> Option<ConditionOperator> {
        let (qualifier, rest) = if let Some(rest) = text.strip_prefix("ForAllValues:") {
            (Some(SetQualifier::ForAllValues), rest)
        } else if let Some(rest) = text.strip_prefix("ForAnyValue:") {
            (Some(SetQualifier::ForAnyValue), rest)
        } else {
            (None, text)
        };
        let (base, if_exists) = match rest.strip_suffix("IfExists") {
            Some(base) => (base, true),
            None => (rest, false),
        };
        let operator = Operator::from_name(base)?;
        if operator == Operator::Null && (if_exists || qualifier.is_some()) {
            return None;
        }
        Some(ConditionOperator {
            qualifier,
            operator,
            if_exists,
        })
    }

    /// The operator's name as AWS writes it.
    pub fn name(&self) -> String {
        let mut out = String::new();
        match self.qualifier {
            Some(SetQualifier::ForAllValues) => out.push_str("ForAllValues:"),
            Some(SetQualifier::ForAnyValue) => out.push_str("ForAnyValue:"),
            None => {}
        }
        out.push_str(self.operator.name());
        if self.if_exists {
            out.push_str("IfExists");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_name() {
        for op in Operator::all() {
            for q in ["", "ForAllValues:", "ForAnyValue:"] {
                for s in ["", "IfExists"] {
                    let name = format!("{q}{}{s}", op.name());
                    let parsed = ConditionOperator::parse(&name);
                    if op == Operator::Null && (!q.is_empty() || !s.is_empty()) {
                        assert!(parsed.is_none(), "{name}");
                    } else {
                        assert_eq!(parsed.map(|p| p.name()), Some(name));
                    }
                }
            }
        }
        assert_eq!(Operator::all().count(), 27);
    }

    #[test]
    fn rejects_unknown() {
        for bad in [
            "stringequals",
            "StringEqual",
            "ForAll:StringEquals",
            "IfExists",
            "",
        ] {
            assert!(ConditionOperator::parse(bad).is_none(), "{bad}");
        }
    }
}
