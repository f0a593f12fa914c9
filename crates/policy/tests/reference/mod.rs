//! A small, deliberately naive reference evaluator for identity policies,
//! permissions boundaries and session policies, written straight from the
//! IAM User Guide's evaluation logic. It works on the parsed [`Policy`] model,
//! rebuilds a regex for every comparison and shares no code with the
//! compiled evaluator.

use std::net::IpAddr;

use portcullis_policy::{Effect, Outcome, Policy, PolicyType, RequestContext};

/// The policies of one principal.
pub struct Input {
    pub identity: Vec<Policy>,
    pub boundary: Option<Policy>,
    pub session: Option<Policy>,
}

/// A piece of a policy string after variable substitution.
enum Piece {
    /// Policy text: `*` and `?` are wildcards.
    Wild(String),
    /// A substituted value: always literal.
    Literal(String),
}

/// Substitutes `${key}` variables (Version 2012-10-17 only); `None` when a
/// variable has no single value.
fn substitute(text: &str, expand: bool, ctx: &RequestContext) -> Option<Vec<Piece>> {
    if !expand {
        return Some(vec![Piece::Wild(text.to_owned())]);
    }
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        let end = rest[start..].find('}')? + start;
        out.push(Piece::Wild(rest[..start].to_owned()));
        let key = &rest[start + 2..end];
        match ctx.values(key) {
            Some([one]) => out.push(Piece::Literal(one.clone())),
            _ => return None,
        }
        rest = &rest[end + 1..];
    }
    out.push(Piece::Wild(rest.to_owned()));
    Some(out)
}

/// Regex for pieces; `segment` makes wildcards stop at `:`.
fn regex_body(pieces: &[Piece], segment: bool) -> String {
    let (any, one) = if segment {
        ("[^:]*", "[^:]")
    } else {
        (".*", ".")
    };
    let mut re = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(s) => re.push_str(&regex::escape(s)),
            Piece::Wild(s) => {
                for c in s.chars() {
                    match c {
                        '*' => re.push_str(any),
                        '?' => re.push_str(one),
                        c => re.push_str(&regex::escape(&c.to_string())),
                    }
                }
            }
        }
    }
    re
}

fn glob(pieces: &[Piece], text: &str, fold: bool) -> bool {
    let flags = if fold { "(?si)" } else { "(?s)" };
    regex::Regex::new(&format!("{flags}^{}$", regex_body(pieces, false)))
        .unwrap()
        .is_match(text)
}

fn is_arn(text: &str) -> bool {
    text.starts_with("arn:") && text.matches(':').count() >= 5
}

/// ARN matching: wildcards in the first five components stay inside their
/// component; in the resource part `*` spans everything.
fn arn_match(pattern: &[Piece], value: &str) -> bool {
    let flat: String = pattern
        .iter()
        .map(|p| match p {
            Piece::Wild(s) | Piece::Literal(s) => s.as_str(),
        })
        .collect();
    let literal_only = pattern.iter().all(|p| matches!(p, Piece::Wild(_)));
    if !(is_arn(&flat) && literal_only) {
        // Patterns with substituted values are split on the policy text only
        // in the compiled form; the generated policies only substitute in the
        // resource part, so a whole-string glob with segment-aware prefix is
        // equivalent there.
        if !is_arn(&flat) {
            return glob(pattern, value, false);
        }
    }
    // Split the flat pattern at its first five colons.
    let mut head_len = 0;
    let mut colons = 0;
    for (i, c) in flat.char_indices() {
        if c == ':' {
            colons += 1;
            if colons == 5 {
                head_len = i + 1;
                break;
            }
        }
    }
    let head = &flat[..head_len];
    let mut tail_pieces = Vec::new();
    let mut consumed = 0;
    for p in pattern {
        let (s, literal) = match p {
            Piece::Wild(s) => (s.as_str(), false),
            Piece::Literal(s) => (s.as_str(), true),
        };
        let start = head_len.saturating_sub(consumed).min(s.len());
        let part = &s[start..];
        consumed += s.len();
        if !part.is_empty() {
            tail_pieces.push(if literal {
                Piece::Literal(part.to_owned())
            } else {
                Piece::Wild(part.to_owned())
            });
        }
    }
    let re = format!(
        "(?s)^{}{}$",
        regex_body(&[Piece::Wild(head.to_owned())], true),
        regex_body(&tail_pieces, false)
    );
    regex::Regex::new(&re).unwrap().is_match(value)
}

fn resource_match(pattern: &[Piece], resource: &str) -> bool {
    if is_arn(resource) {
        arn_match(pattern, resource)
    } else {
        glob(pattern, resource, false)
    }
}

fn number(text: &str) -> Option<f64> {
    let ok = !text.is_empty()
        && text
            .trim_start_matches('-')
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if ok { text.parse().ok() } else { None }
}

/// Seconds since the epoch for `YYYY-MM-DDTHH:MM:SSZ` or epoch seconds.
fn date(text: &str) -> Option<f64> {
    if let Some(n) = number(text) {
        return Some(n);
    }
    let b = text.as_bytes();
    if b.len() != 20 || b[4] != b'-' || b[10] != b'T' || b[19] != b'Z' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hh, mm, ss) = (num(11..13)?, num(14..16)?, num(17..19)?);
    // Days from 1970-01-01, counting months naively.
    let mut days = 0;
    for year in 1970..y {
        days += if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 {
            366
        } else {
            365
        };
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    days += month_days[..(m - 1) as usize].iter().sum::<i64>() + d - 1;
    Some((days * 86_400 + hh * 3600 + mm * 60 + ss) as f64)
}

fn in_cidr(cidr: &str, value: &str) -> bool {
    let (net, len) = cidr.split_once('/').unwrap_or((cidr, ""));
    let (Ok(net), Ok(ip)) = (net.parse::<IpAddr>(), value.parse::<IpAddr>()) else {
        return false;
    };
    let bits = |a: IpAddr| -> (u128, u32) {
        match a {
            IpAddr::V4(v) => (u128::from(u32::from(v)), 32),
            IpAddr::V6(v) => (u128::from(v), 128),
        }
    };
    let ((n, width), (i, width2)) = (bits(net), bits(ip));
    if width != width2 {
        return false;
    }
    let len: u32 = if len.is_empty() {
        width
    } else {
        len.parse().unwrap()
    };
    let shift = width - len;
    len == 0 || (n >> shift) == (i >> shift)
}

fn positive_test(base: &str, policy: &[Piece], request: &str) -> bool {
    let flat: String = policy
        .iter()
        .map(|p| match p {
            Piece::Wild(s) | Piece::Literal(s) => s.as_str(),
        })
        .collect();
    match base {
        "StringEquals" => flat == request,
        "StringEqualsIgnoreCase" => flat.to_lowercase() == request.to_lowercase(),
        "StringLike" => glob(policy, request, false),
        "ArnLike" | "ArnEquals" => is_arn(request) && arn_match(policy, request),
        "Bool" => {
            let b = |s: &str| {
                ["true", "false"]
                    .iter()
                    .position(|t| s.eq_ignore_ascii_case(t))
            };
            b(&flat).is_some() && b(&flat) == b(request)
        }
        "IpAddress" => in_cidr(&flat, request),
        op if op.starts_with("Numeric") || op.starts_with("Date") => {
            let read = if op.starts_with("Date") { date } else { number };
            let (Some(r), Some(p)) = (read(request), read(&flat)) else {
                return false;
            };
            match op.trim_start_matches("Numeric").trim_start_matches("Date") {
                "Equals" => r == p,
                "LessThan" => r < p,
                "LessThanEquals" => r <= p,
                "GreaterThan" => r > p,
                "GreaterThanEquals" => r >= p,
                other => panic!("reference: unknown comparison {other}"),
            }
        }
        other => panic!("reference: operator {other} not modelled"),
    }
}

fn condition_holds(
    name: &str,
    key: &str,
    values: &[String],
    expand: bool,
    ctx: &RequestContext,
) -> bool {
    let (qualifier, rest) = match name.split_once(':') {
        Some((q, r)) => (Some(q), r),
        None => (None, name),
    };
    let (op, if_exists) = match rest.strip_suffix("IfExists") {
        Some(op) => (op, true),
        None => (rest, false),
    };
    let present = ctx.values(key);
    if op == "Null" {
        return values.iter().any(|v| (v == "true") == present.is_none());
    }
    let (base, negated) = match op {
        "StringNotEquals" => ("StringEquals", true),
        "StringNotEqualsIgnoreCase" => ("StringEqualsIgnoreCase", true),
        "StringNotLike" => ("StringLike", true),
        "NumericNotEquals" => ("NumericEquals", true),
        "DateNotEquals" => ("DateEquals", true),
        "NotIpAddress" => ("IpAddress", true),
        "ArnNotEquals" => ("ArnEquals", true),
        "ArnNotLike" => ("ArnLike", true),
        other => (other, false),
    };
    let variables = base.starts_with("String") || base.starts_with("Arn") || base == "Bool";
    let mut policy_values = Vec::new();
    for v in values {
        match substitute(v, expand && variables, ctx) {
            Some(p) => policy_values.push(p),
            // An unresolvable variable invalidates the statement.
            None => return false,
        }
    }
    let matches_one = |r: &String| {
        let any = policy_values.iter().any(|p| positive_test(base, p, r));
        any != negated
    };
    match (qualifier, present) {
        (Some("ForAllValues"), None) => true,
        (Some("ForAllValues"), Some(request)) => request.iter().all(matches_one),
        (Some("ForAnyValue"), None) => if_exists,
        (Some("ForAnyValue"), Some(request)) => request.iter().any(matches_one),
        (None, None) => if_exists || negated,
        (None, Some(request)) => {
            let any = request
                .iter()
                .any(|r| policy_values.iter().any(|p| positive_test(base, p, r)));
            any != negated
        }
        (Some(other), _) => panic!("reference: qualifier {other}"),
    }
}

/// (any Allow applies, any Deny applies)
fn scan(policy: &Policy, ctx: &RequestContext) -> (bool, bool) {
    let expand = policy.expands_variables();
    let (mut allow, mut deny) = (false, false);
    for s in &policy.statements {
        let action = s
            .action
            .values
            .iter()
            .any(|a| glob(&[Piece::Wild(a.clone())], &ctx.action, true))
            != s.action.negated;
        let resource = match &s.resource {
            None => true,
            Some(clause) => {
                let mut patterns = Vec::new();
                let mut ok = true;
                for v in &clause.values {
                    match substitute(v, expand, ctx) {
                        Some(p) => patterns.push(p),
                        None => ok = false,
                    }
                }
                ok && patterns.iter().any(|p| resource_match(p, &ctx.resource)) != clause.negated
            }
        };
        let conditions = s
            .conditions
            .iter()
            .all(|c| condition_holds(&c.operator.name(), &c.key, &c.values, expand, ctx));
        if action && resource && conditions {
            match s.effect {
                Effect::Allow => allow = true,
                Effect::Deny => deny = true,
            }
        }
    }
    (allow, deny)
}

/// The outcome and the kind of policy that denied.
pub fn evaluate(input: &Input, ctx: &RequestContext) -> (Outcome, Option<PolicyType>) {
    let identity: Vec<(bool, bool)> = input.identity.iter().map(|p| scan(p, ctx)).collect();
    let boundary = input.boundary.as_ref().map(|p| scan(p, ctx));
    let session = input.session.as_ref().map(|p| scan(p, ctx));
    if identity.iter().any(|(_, d)| *d) {
        return (Outcome::ExplicitDeny, Some(PolicyType::Identity));
    }
    if boundary.is_some_and(|(_, d)| d) {
        return (Outcome::ExplicitDeny, Some(PolicyType::PermissionsBoundary));
    }
    if session.is_some_and(|(_, d)| d) {
        return (Outcome::ExplicitDeny, Some(PolicyType::Session));
    }
    if !identity.iter().any(|(a, _)| *a) {
        return (Outcome::ImplicitDeny, Some(PolicyType::Identity));
    }
    if boundary.is_some_and(|(a, _)| !a) {
        return (Outcome::ImplicitDeny, Some(PolicyType::PermissionsBoundary));
    }
    if session.is_some_and(|(a, _)| !a) {
        return (Outcome::ImplicitDeny, Some(PolicyType::Session));
    }
    (Outcome::Allow, None)
}
