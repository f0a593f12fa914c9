//! The compiled policy evaluator against the naive reference evaluator of the
//! property tests (crates/policy/tests/reference), on policies and requests
//! built from the fuzz input. The two must agree on the outcome and on the
//! kind of policy that decided, exactly as `compiled_evaluator_agrees_with_reference`
//! in crates/policy/tests/properties.rs checks.
//!
//! The first input byte picks how the policies are made:
//! - even: the input up to the first 0xFF byte is a policy document, used as
//!   the identity policy and (by the mode byte's bits) as a permissions
//!   boundary and a session policy;
//! - odd: policies are generated from the input: statements built from the
//!   same vocabulary as the property tests, plus short strings of
//!   wildcard-bearing text.
//!
//! The reference models a subset of the policy language and one account (no
//! Principal, no BinaryEquals, plain numbers, `YYYY-MM-DDTHH:MM:SSZ` dates from 1970, plain
//! `${key}` variables, no variable in the first five ARN components); a
//! document outside that subset is skipped rather than compared, since the
//! reference would panic or answer a different question there.
#![no_main]

#[allow(
    dead_code,
    clippy::all,
    reason = "the property tests' reference evaluator"
)]
#[path = "../../crates/policy/tests/reference/mod.rs"]
mod reference;

use libfuzzer_sys::arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use portcullis_policy::*;

fn pick<'s>(u: &mut Unstructured<'_>, items: &[&'s str]) -> &'s str {
    u.choose(items).copied().unwrap_or(items[0])
}

/// Short text from a small alphabet: wildcards, ARN separators, a case pair
/// and multi-byte characters, but no digits (numbers, dates and addresses
/// come from tables) and no `$` (variables come from tables).
fn fuzzed(u: &mut Unstructured<'_>, max: usize) -> String {
    const ALPHABET: &[char] = &[
        'a', 'b', 'x', 'A', 'B', 'é', 'É', '日', '*', '?', ':', '/', '.', '-', 'k',
    ];
    let len = u.int_in_range(0..=max).unwrap_or(0);
    (0..len)
        .map(|_| u.choose(ALPHABET).copied().unwrap_or('a'))
        .collect()
}

fn action(u: &mut Unstructured<'_>) -> String {
    if u.ratio(1, 4).unwrap_or(false) {
        return format!("{}:{}", pick(u, &["iam", "s3", "sts", "IAM"]), fuzzed(u, 6));
    }
    pick(
        u,
        &[
            "*",
            "iam:*",
            "iam:Get*",
            "iam:CreateUser",
            "s3:?etObject",
            "s3:*Object*",
            "sts:AssumeRole",
            "IAM:getuser",
        ],
    )
    .to_owned()
}

fn resource_pattern(u: &mut Unstructured<'_>) -> String {
    match u.int_in_range(0..=3).unwrap_or(0) {
        0 => format!("arn:aws:s3:::{}", fuzzed(u, 6)),
        1 => format!(
            "arn:{}:{}:{}:{}:{}",
            fuzzed(u, 3),
            fuzzed(u, 3),
            fuzzed(u, 2),
            pick(u, &["123456789012", "*", "", "1234*"]),
            fuzzed(u, 6)
        ),
        _ => pick(
            u,
            &[
                "*",
                "arn:aws:s3:::b/*",
                "arn:aws:s3:::b/k",
                "arn:aws:iam::123456789012:user/*",
                "arn:aws:iam::123456789012:user/${aws:username}",
                "arn:aws:iam::*:role/app-?",
                "arn:aws:s3:::b/${svc:a}*",
                "arn:*:iam::*:*",
                "arn:aws:iam::123456789012:*",
            ],
        )
        .to_owned(),
    }
}

fn condition_values(u: &mut Unstructured<'_>, family: Family) -> Vec<String> {
    let n = u.int_in_range(1..=3).unwrap_or(1);
    (0..n)
        .map(|_| match family {
            Family::Numeric => {
                pick(u, &["1", "5", "10.5", "-3", "0", "007", "3.0", "9"]).to_owned()
            }
            Family::Date => pick(
                u,
                &[
                    "2020-01-01T00:00:00Z",
                    "1600000000",
                    "1970-01-01T00:00:00Z",
                    "2024-02-29T12:30:00Z",
                    "1500000000.5",
                ],
            )
            .to_owned(),
            Family::Bool => pick(u, &["true", "false", "TRUE", "yes"]).to_owned(),
            Family::Ip => pick(
                u,
                &[
                    "10.0.0.0/8",
                    "2001:db8::/32",
                    "10.1.2.3",
                    "0.0.0.0/0",
                    "10.1.2.3/32",
                    "::/0",
                ],
            )
            .to_owned(),
            Family::Null => pick(u, &["true", "false"]).to_owned(),
            Family::Arn => {
                if u.ratio(1, 2).unwrap_or(false) {
                    resource_pattern(u)
                } else {
                    pick(
                        u,
                        &[
                            "arn:aws:iam::*:role/*",
                            "arn:aws:iam::123456789012:user/${aws:username}",
                        ],
                    )
                    .to_owned()
                }
            }
            Family::String | Family::Binary => {
                if u.ratio(1, 2).unwrap_or(false) {
                    fuzzed(u, 5)
                } else {
                    pick(
                        u,
                        &[
                            "x",
                            "y",
                            "x*",
                            "?y",
                            "*",
                            "alice",
                            "${aws:username}",
                            "${svc:b}",
                            "x${svc:a}*",
                            "",
                        ],
                    )
                    .to_owned()
                }
            }
        })
        .collect()
}

const OPERATORS: &[&str] = &[
    "StringEquals",
    "StringNotEquals",
    "StringEqualsIgnoreCase",
    "StringNotEqualsIgnoreCase",
    "StringLike",
    "StringNotLike",
    "NumericEquals",
    "NumericNotEquals",
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateEquals",
    "DateNotEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "IpAddress",
    "NotIpAddress",
    "ArnEquals",
    "ArnLike",
    "ArnNotEquals",
    "ArnNotLike",
    "Null",
];

fn statement(u: &mut Unstructured<'_>, index: usize) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    if u.ratio(1, 3).unwrap_or(false) {
        map.insert("Sid".into(), format!("S{index}").into());
    }
    let allow = u.ratio(2, 3).unwrap_or(true);
    map.insert("Effect".into(), if allow { "Allow" } else { "Deny" }.into());
    let n = u.int_in_range(1..=3).unwrap_or(1);
    let actions: Vec<String> = (0..n).map(|_| action(u)).collect();
    let key = if u.ratio(1, 5).unwrap_or(false) {
        "NotAction"
    } else {
        "Action"
    };
    map.insert(key.into(), actions.into());
    let n = u.int_in_range(1..=3).unwrap_or(1);
    let resources: Vec<String> = (0..n).map(|_| resource_pattern(u)).collect();
    let key = if u.ratio(1, 5).unwrap_or(false) {
        "NotResource"
    } else {
        "Resource"
    };
    map.insert(key.into(), resources.into());
    let n = u.int_in_range(0..=3).unwrap_or(0);
    let mut ops = serde_json::Map::new();
    for _ in 0..n {
        let base = pick(u, OPERATORS);
        let mut name = String::new();
        if base != "Null" {
            name.push_str(pick(u, &["", "", "ForAllValues:", "ForAnyValue:"]));
        }
        name.push_str(base);
        if base != "Null" && u.ratio(1, 4).unwrap_or(false) {
            name.push_str("IfExists");
        }
        let Some(op) = ConditionOperator::parse(&name) else {
            continue;
        };
        let key = pick(
            u,
            &["svc:a", "svc:b", "aws:username", "SVC:A", "svc:missing"],
        );
        let values = condition_values(u, op.operator.family());
        let block = ops
            .entry(name)
            .or_insert_with(|| serde_json::Value::Object(Default::default()));
        if let Some(block) = block.as_object_mut() {
            block.insert(key.into(), values.into());
        }
    }
    if !ops.is_empty() {
        map.insert("Condition".into(), ops.into());
    }
    map.into()
}

fn policy_text(u: &mut Unstructured<'_>, versioned: bool) -> String {
    let mut top = serde_json::Map::new();
    if versioned {
        top.insert("Version".into(), "2012-10-17".into());
    }
    let n = u.int_in_range(1..=4).unwrap_or(1);
    let list: Vec<serde_json::Value> = (0..n).map(|i| statement(u, i)).collect();
    top.insert("Statement".into(), list.into());
    serde_json::Value::Object(top).to_string()
}

// ------------------------------------------------ the reference's subset

fn plain_number(v: &str) -> bool {
    let digits = v.strip_prefix('-').unwrap_or(v);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "1"));
    let all = |s: &str| !s.is_empty() && s.len() <= 15 && s.bytes().all(|b| b.is_ascii_digit());
    all(int) && all(frac)
}

fn plain_date(v: &str) -> bool {
    if plain_number(v) {
        return true;
    }
    let b = v.as_bytes();
    if b.len() != 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'Z'
    {
        return false;
    }
    let num = |r: std::ops::Range<usize>| {
        v.get(r)
            .filter(|s| s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<i64>().ok())
    };
    let (Some(y), Some(m), Some(d), Some(hh), Some(mm), Some(ss)) = (
        num(0..4),
        num(5..7),
        num(8..10),
        num(11..13),
        num(14..16),
        num(17..19),
    ) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 31,
    };
    y >= 1970 && (1..=12).contains(&m) && (1..=days).contains(&d) && hh < 24 && mm < 60 && ss < 60
}

fn plain_cidr(v: &str) -> bool {
    let (addr, len) = v.split_once('/').unwrap_or((v, ""));
    let Ok(ip) = addr.parse::<std::net::IpAddr>() else {
        return false;
    };
    let width = if ip.is_ipv4() { 32 } else { 128 };
    len.is_empty()
        || (len.len() <= 3
            && len.bytes().all(|b| b.is_ascii_digit())
            && len.parse::<u32>().is_ok_and(|n| n <= width))
}

/// Variables as the reference substitutes them: every `${` starts a plain
/// `${key}`; with `arn`, none sits in the first five ARN components.
fn plain_variables(v: &str, expand: bool, arn: bool) -> bool {
    if !expand {
        return true;
    }
    let mut rest = v;
    let mut offset = 0;
    while let Some(start) = rest.find("${") {
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return false;
        };
        let key = &after[..end];
        if key.is_empty()
            || !key
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'/'))
        {
            return false;
        }
        if arn && v[..offset + start].matches(':').count() < 5 {
            return false;
        }
        offset += start + 2 + end + 1;
        rest = &after[end + 1..];
    }
    true
}

fn modelled(policy: &Policy) -> bool {
    let expand = policy.expands_variables();
    policy.statements.iter().all(|s| {
        s.principal.is_none()
            && s.action.values.iter().all(|a| !a.contains("${"))
            && s.resource
                .as_ref()
                .is_none_or(|r| r.values.iter().all(|v| plain_variables(v, expand, true)))
            && s.conditions.iter().all(|c| {
                let family = c.operator.operator.family();
                c.values.iter().all(|v| match family {
                    Family::Binary => false,
                    Family::Null => v == "true" || v == "false",
                    Family::Numeric => plain_number(v),
                    Family::Date => plain_date(v),
                    Family::Ip => plain_cidr(v),
                    Family::Bool | Family::String => plain_variables(v, expand, false),
                    Family::Arn => plain_variables(v, expand, true),
                })
            })
    })
}

// ------------------------------------------------------------- requests

fn request_values(u: &mut Unstructured<'_>) -> Option<Vec<String>> {
    if u.ratio(1, 3).unwrap_or(false) {
        return None;
    }
    let n = u.int_in_range(0..=3).unwrap_or(0);
    Some(
        (0..n)
            .map(|_| {
                if u.ratio(1, 3).unwrap_or(false) {
                    fuzzed(u, 5)
                } else {
                    pick(
                        u,
                        &[
                            "x",
                            "y",
                            "xz",
                            "alice",
                            "3",
                            "9",
                            "-3",
                            "10.5",
                            "true",
                            "false",
                            "TRUE",
                            "10.1.2.3",
                            "2001:db8::1",
                            "1500000000",
                            "2021-06-01T00:00:00Z",
                            "arn:aws:iam::123456789012:role/app-1",
                            "arn:aws:s3:::b/k",
                        ],
                    )
                    .to_owned()
                }
            })
            .collect(),
    )
}

fn context(u: &mut Unstructured<'_>) -> RequestContext {
    let user = if u.ratio(1, 4).unwrap_or(false) {
        fuzzed(u, 4).replace(['/', ':', '*', '?'], "")
    } else {
        pick(u, &["alice", "bob"]).to_owned()
    };
    let action = if u.ratio(1, 4).unwrap_or(false) {
        format!("{}:{}", pick(u, &["iam", "s3", "IAM"]), fuzzed(u, 6))
    } else {
        pick(
            u,
            &[
                "iam:GetUser",
                "iam:CreateUser",
                "IAM:getuser",
                "s3:GetObject",
                "s3:PutObject",
                "sts:AssumeRole",
            ],
        )
        .to_owned()
    };
    let resource = match u.int_in_range(0..=3).unwrap_or(0) {
        0 => format!("arn:aws:s3:::{}", fuzzed(u, 6)),
        1 => format!(
            "arn:{}:{}::123456789012:{}",
            fuzzed(u, 3),
            fuzzed(u, 3),
            fuzzed(u, 6)
        ),
        _ => pick(
            u,
            &[
                "arn:aws:s3:::b/k",
                "arn:aws:s3:::c/k",
                "arn:aws:iam::123456789012:user/alice",
                "arn:aws:iam::123456789012:user/bob",
                "arn:aws:iam::123456789012:role/app-1",
                "*",
            ],
        )
        .to_owned(),
    };
    let caller = Caller::User {
        arn: format!("arn:aws:iam::123456789012:user/{user}"),
        account: "123456789012".into(),
        unique_id: None,
    };
    let mut ctx = RequestContext::new(caller, action, resource);
    ctx.set_principal_keys();
    if let Some(a) = request_values(u) {
        ctx.set_values("svc:a", a);
    }
    if let Some(b) = request_values(u) {
        ctx.set_values("svc:b", b);
    }
    ctx
}

// ------------------------------------------------------------- the target

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (identity, boundary, session, tail): (Vec<String>, Option<String>, Option<String>, &[u8]) =
        if mode & 1 == 0 {
            let (doc, tail) = match rest.iter().position(|b| *b == 0xff) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let doc = String::from_utf8_lossy(doc).into_owned();
            let boundary = (mode & 2 != 0).then(|| doc.clone());
            let session = (mode & 4 != 0).then(|| doc.clone());
            (vec![doc], boundary, session, tail)
        } else {
            let mut u = Unstructured::new(rest);
            let versioned = u.ratio(3, 4).unwrap_or(true);
            let n = u.int_in_range(0..=2).unwrap_or(1);
            let identity = (0..n).map(|_| policy_text(&mut u, versioned)).collect();
            let boundary = u
                .ratio(1, 3)
                .unwrap_or(false)
                .then(|| policy_text(&mut u, versioned));
            let session = u
                .ratio(1, 3)
                .unwrap_or(false)
                .then(|| policy_text(&mut u, versioned));
            let used = rest.len() - u.len();
            (identity, boundary, session, &rest[used..])
        };

    // Parse every document; skip the input unless all parse and the
    // reference models them.
    let parse = |text: &String| -> Option<Policy> {
        let p = Policy::parse(text, PolicyKind::Identity).ok()?;
        modelled(&p).then_some(p)
    };
    let Some(identity_parsed) = identity.iter().map(parse).collect::<Option<Vec<_>>>() else {
        return;
    };
    let boundary_parsed = match &boundary {
        Some(t) => match parse(t) {
            Some(p) => Some(p),
            None => return,
        },
        None => None,
    };
    let session_parsed = match &session {
        Some(t) => match parse(t) {
            Some(p) => Some(p),
            None => return,
        },
        None => None,
    };

    let compile = |text: &String, id: String, t: PolicyType| {
        CompiledPolicy::parse(text, PolicyKind::Identity, id, t)
            .unwrap_or_else(|e| panic!("parsed as a Policy but not compiled: {e:?}\n{text}"))
    };
    let identity_set = PolicySet::new(
        identity
            .iter()
            .enumerate()
            .map(|(i, t)| compile(t, format!("p{i}"), PolicyType::Identity)),
    );
    let boundary_set = boundary.as_ref().map(|t| {
        PolicySet::new([compile(
            t,
            "boundary".into(),
            PolicyType::PermissionsBoundary,
        )])
    });
    let session_set = session
        .as_ref()
        .map(|t| PolicySet::new([compile(t, "session".into(), PolicyType::Session)]));
    let model = reference::Input {
        identity: identity_parsed,
        boundary: boundary_parsed,
        session: session_parsed,
    };

    let mut u = Unstructured::new(tail);
    for i in 0..4 {
        if i > 0 && u.is_empty() {
            break;
        }
        let ctx = context(&mut u);
        // The reference models a caller and a resource in one account; a
        // fuzzed ARN can name another (`arn:x:y::other:...`), where the engine
        // rightly asks for a resource policy.
        if ctx.effective_resource_account() != ctx.caller.account() {
            continue;
        }
        let mut input = EvalInput::new(&ctx, &identity_set);
        input.permissions_boundary = boundary_set.as_ref();
        input.session = session_set.as_ref();
        let got = evaluate(&input);
        let want = reference::evaluate(&model, &ctx);
        assert_eq!(
            (got.outcome, got.denied_by),
            want,
            "\naction {:?} resource {:?} svc:a {:?} svc:b {:?} aws:username {:?}\nidentity {identity:?}\nboundary {boundary:?}\nsession {session:?}",
            ctx.action,
            ctx.resource,
            ctx.values("svc:a"),
            ctx.values("svc:b"),
            ctx.values("aws:username"),
        );
    }
});
