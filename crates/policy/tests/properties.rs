//! Property tests: the parse → serialize → parse round trip, and the compiled evaluator against
//! the small reference evaluator in `reference/mod.rs` (also with many-valued conditions).
//! Wildcard matching has its own file, `glob_properties.rs`.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed property should panic"
)]

mod reference;

use portcullis_policy::*;
use proptest::prelude::*;
use proptest::sample::select;

// --------------------------------------------------------------- round trip

fn action() -> impl Strategy<Value = String> {
    select(vec![
        "*",
        "iam:*",
        "iam:Get*",
        "iam:CreateUser",
        "s3:?etObject",
        "s3:*Object*",
        "sts:AssumeRole",
    ])
    .prop_map(str::to_owned)
}

fn resource() -> impl Strategy<Value = String> {
    select(vec![
        "*",
        "arn:aws:s3:::b/*",
        "arn:aws:s3:::b/k",
        "arn:aws:iam::123456789012:user/*",
        "arn:aws:iam::123456789012:user/${aws:username}",
        "arn:aws:iam::*:role/app-?",
    ])
    .prop_map(str::to_owned)
}

/// (operator name, values that are valid for it)
fn condition() -> impl Strategy<Value = (String, String, Vec<String>)> {
    let ops: Vec<(&str, Vec<&str>)> = vec![
        ("StringEquals", vec!["x", "y", "${aws:username}"]),
        ("StringNotEquals", vec!["x", "y"]),
        ("StringLike", vec!["x*", "?y", "*"]),
        ("StringEqualsIfExists", vec!["x", "alice"]),
        ("StringNotLikeIfExists", vec!["x*"]),
        ("NumericLessThan", vec!["1", "5", "10.5"]),
        ("NumericGreaterThanEqualsIfExists", vec!["3"]),
        ("Bool", vec!["true", "false"]),
        ("Null", vec!["true", "false"]),
        ("DateLessThan", vec!["2020-01-01T00:00:00Z", "1600000000"]),
        ("IpAddress", vec!["10.0.0.0/8", "2001:db8::/32"]),
        ("ArnLike", vec!["arn:aws:iam::*:role/*"]),
        ("ForAnyValue:StringEquals", vec!["x", "y"]),
        ("ForAllValues:StringLike", vec!["x*", "y"]),
        ("ForAllValues:StringNotEquals", vec!["x"]),
    ];
    (
        select(ops),
        select(vec!["svc:a", "svc:b", "aws:username"]),
        any::<prop::sample::Index>(),
        1usize..3,
    )
        .prop_map(|((op, values), key, start, n)| {
            let picked: Vec<String> = (0..n.min(values.len()))
                .map(|i| values[(start.index(values.len()) + i) % values.len()].to_owned())
                .collect();
            (op.to_owned(), key.to_owned(), picked)
        })
}

#[derive(Clone, Debug)]
struct GenStatement {
    sid: Option<String>,
    allow: bool,
    not_action: bool,
    actions: Vec<String>,
    not_resource: bool,
    resources: Vec<String>,
    conditions: Vec<(String, String, Vec<String>)>,
}

fn statement() -> impl Strategy<Value = GenStatement> {
    (
        any::<bool>(),
        prop::bool::weighted(0.2),
        prop::collection::vec(action(), 1..3),
        prop::bool::weighted(0.2),
        prop::collection::vec(resource(), 1..3),
        prop::collection::vec(condition(), 0..3),
        prop::option::of(select(vec!["A", "B1", "Sid9"])),
    )
        .prop_map(
            |(allow, not_action, actions, not_resource, resources, conditions, sid)| GenStatement {
                sid: sid.map(str::to_owned),
                allow,
                not_action,
                actions,
                not_resource,
                resources,
                conditions,
            },
        )
}

fn statement_json(s: &GenStatement, index: usize) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    if let Some(sid) = &s.sid {
        // Sids must be unique within a policy.
        map.insert("Sid".into(), format!("{sid}x{index}").into());
    }
    map.insert(
        "Effect".into(),
        if s.allow { "Allow" } else { "Deny" }.into(),
    );
    let a = if s.not_action { "NotAction" } else { "Action" };
    map.insert(a.into(), s.actions.clone().into());
    let r = if s.not_resource {
        "NotResource"
    } else {
        "Resource"
    };
    map.insert(r.into(), s.resources.clone().into());
    if !s.conditions.is_empty() {
        let mut ops = serde_json::Map::new();
        for (op, key, values) in &s.conditions {
            let block = ops
                .entry(op.clone())
                .or_insert_with(|| serde_json::Value::Object(Default::default()));
            block
                .as_object_mut()
                .unwrap()
                .insert(key.clone(), values.clone().into());
        }
        map.insert("Condition".into(), ops.into());
    }
    map.into()
}

fn policy_json(statements: &[GenStatement], versioned: bool) -> String {
    let mut top = serde_json::Map::new();
    if versioned {
        top.insert("Version".into(), "2012-10-17".into());
    }
    let list: Vec<serde_json::Value> = statements
        .iter()
        .enumerate()
        .map(|(i, s)| statement_json(s, i))
        .collect();
    top.insert("Statement".into(), list.into());
    serde_json::Value::Object(top).to_string()
}

/// Conditions and principal entries in a canonical order (JSON objects do
/// not keep one).
fn normalized(mut policy: Policy) -> Policy {
    for s in &mut policy.statements {
        s.conditions
            .sort_by(|a, b| (a.operator.name(), &a.key).cmp(&(b.operator.name(), &b.key)));
        if let Some(PrincipalClause {
            principals: Principals::Map(entries),
            ..
        }) = &mut s.principal
        {
            entries.sort_by_key(|(kind, _)| kind.as_str());
        }
    }
    policy
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn parse_serialize_parse_round_trip(
        statements in prop::collection::vec(statement(), 1..5),
        versioned in any::<bool>(),
    ) {
        let text = policy_json(&statements, versioned);
        let first = Policy::parse(&text, PolicyKind::Identity)
            .unwrap_or_else(|e| panic!("generated policy rejected: {e}\n{text}"));
        let again = Policy::parse(&first.to_json_string(), PolicyKind::Identity).unwrap();
        prop_assert_eq!(normalized(again.clone()), normalized(first.clone()));
        let third = Policy::parse(&again.to_json_string(), PolicyKind::Identity).unwrap();
        prop_assert_eq!(third, again);
        prop_assert!(policy_size(&first.to_json_string()) <= policy_size(&text) + 64);
    }

    #[test]
    fn trust_policy_round_trip(
        services in prop::collection::vec(select(vec!["ec2.amazonaws.com", "lambda.amazonaws.com"]), 1..3),
        accounts in prop::collection::vec(select(vec!["123456789012", "arn:aws:iam::111122223333:root", "arn:aws:iam::111122223333:role/r", "*"]), 1..3),
        federated in any::<bool>(),
    ) {
        let mut principal = serde_json::json!({"Service": services, "AWS": accounts});
        if federated {
            principal["Federated"] = "accounts.google.com".into();
        }
        let text = serde_json::json!({"Version": "2012-10-17", "Statement": {
            "Effect": "Allow", "Principal": principal, "Action": ["sts:AssumeRole", "sts:TagSession"]}}).to_string();
        let first = Policy::parse(&text, PolicyKind::Trust).unwrap();
        let again = Policy::parse(&first.to_json_string(), PolicyKind::Trust).unwrap();
        prop_assert_eq!(normalized(again), normalized(first));
    }
}

// ------------------------------------------------ compiled vs reference eval

fn request_values() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::of(prop::collection::vec(
        select(vec![
            "x",
            "y",
            "xz",
            "alice",
            "3",
            "9",
            "true",
            "false",
            "10.1.2.3",
            "1500000000",
        ])
        .prop_map(str::to_owned),
        0..3,
    ))
}

#[derive(Clone, Debug)]
struct GenRequest {
    action: String,
    resource: String,
    user: String,
    a: Option<Vec<String>>,
    b: Option<Vec<String>>,
}

fn request() -> impl Strategy<Value = GenRequest> {
    (
        select(vec![
            "iam:GetUser",
            "iam:CreateUser",
            "IAM:getuser",
            "s3:GetObject",
            "s3:PutObject",
            "sts:AssumeRole",
        ]),
        select(vec![
            "arn:aws:s3:::b/k",
            "arn:aws:s3:::c/k",
            "arn:aws:iam::123456789012:user/alice",
            "arn:aws:iam::123456789012:user/bob",
            "arn:aws:iam::123456789012:role/app-1",
            "*",
        ]),
        select(vec!["alice", "bob"]),
        request_values(),
        request_values(),
    )
        .prop_map(|(action, resource, user, a, b)| GenRequest {
            action: action.into(),
            resource: resource.into(),
            user: user.into(),
            a,
            b,
        })
}

fn context(r: &GenRequest) -> RequestContext {
    let caller = Caller::User {
        arn: format!("arn:aws:iam::123456789012:user/{}", r.user),
        account: "123456789012".into(),
        unique_id: None,
    };
    let mut ctx = RequestContext::new(caller, r.action.clone(), r.resource.clone());
    ctx.set_principal_keys();
    if let Some(a) = &r.a {
        ctx.set_values("svc:a", a.iter().cloned());
    }
    if let Some(b) = &r.b {
        ctx.set_values("svc:b", b.iter().cloned());
    }
    ctx
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn compiled_evaluator_agrees_with_reference(
        identity in prop::collection::vec(prop::collection::vec(statement(), 1..4), 0..3),
        boundary in prop::option::of(prop::collection::vec(statement(), 1..3)),
        session in prop::option::of(prop::collection::vec(statement(), 1..3)),
        versioned in any::<bool>(),
        requests in prop::collection::vec(request(), 1..6),
    ) {
        let texts: Vec<String> = identity.iter().map(|p| policy_json(p, versioned)).collect();
        let boundary_text = boundary.as_ref().map(|p| policy_json(p, versioned));
        let session_text = session.as_ref().map(|p| policy_json(p, versioned));
        let compile = |text: &String, id: String, t: PolicyType| {
            CompiledPolicy::parse(text, PolicyKind::Identity, id, t).unwrap()
        };
        let identity_set = PolicySet::new(
            texts.iter().enumerate().map(|(i, t)| compile(t, format!("p{i}"), PolicyType::Identity)),
        );
        let boundary_set = boundary_text
            .as_ref()
            .map(|t| PolicySet::new([compile(t, "boundary".into(), PolicyType::PermissionsBoundary)]));
        let session_set = session_text
            .as_ref()
            .map(|t| PolicySet::new([compile(t, "session".into(), PolicyType::Session)]));
        let parsed = |text: &String| Policy::parse(text, PolicyKind::Identity).unwrap();
        let model = reference::Input {
            identity: texts.iter().map(parsed).collect(),
            boundary: boundary_text.as_ref().map(parsed),
            session: session_text.as_ref().map(parsed),
        };
        for r in &requests {
            let ctx = context(r);
            let mut input = EvalInput::new(&ctx, &identity_set);
            input.permissions_boundary = boundary_set.as_ref();
            input.session = session_set.as_ref();
            let got = evaluate(&input);
            let want = reference::evaluate(&model, &ctx);
            prop_assert_eq!(
                (got.outcome, got.denied_by),
                want,
                "request {:?}\nidentity {:?}\nboundary {:?}\nsession {:?}",
                r, texts, boundary_text, session_text
            );
        }
    }
}

// ------------------------------- conditions with many values vs reference

fn many_condition() -> impl Strategy<Value = (String, Vec<String>)> {
    let string_ops = vec![
        "StringEquals",
        "StringNotEquals",
        "StringEqualsIgnoreCase",
        "StringNotEqualsIgnoreCase",
        "StringLike",
        "StringNotLike",
    ];
    let arn_ops = vec!["ArnLike", "ArnNotLike", "ArnEquals", "ArnNotEquals"];
    let string_values = vec![
        "x",
        "y",
        "X",
        "xz",
        "x*",
        "x?z",
        "*z",
        "x/*",
        "x/",
        "x/1*",
        "",
        "*",
        "a",
        "al*",
        "ALICE",
        "alice",
        "${aws:username}",
        "${aws:username}*",
        "x${aws:username}",
        "xyz",
        "y/*",
        "y/a/*",
        "Xz",
    ];
    let arn_values = vec![
        "arn:aws:iam::1:user/alice",
        "arn:aws:iam::*:user/*",
        "arn:aws:iam::1:user/${aws:username}",
        "arn:aws:iam::1:role/*",
        "arn:aws:iam::1:role/r",
        "arn:aws:iam::1:user/al*",
        "arn:aws:iam::2:user/alice",
        "arn:aws:*",
        "x",
    ];
    let qualified = |ops: Vec<&'static str>| {
        (
            select(vec!["", "ForAnyValue:", "ForAllValues:"]),
            select(ops),
            any::<bool>(),
        )
            .prop_map(|(q, op, if_exists)| {
                format!("{q}{op}{}", if if_exists { "IfExists" } else { "" })
            })
    };
    prop_oneof![
        (
            qualified(string_ops),
            prop::collection::vec(select(string_values).prop_map(str::to_owned), 1..24)
        ),
        (
            qualified(arn_ops),
            prop::collection::vec(select(arn_values).prop_map(str::to_owned), 1..24)
        ),
    ]
}

fn many_request_values() -> impl Strategy<Value = Option<Vec<String>>> {
    prop::option::of(prop::collection::vec(
        select(vec![
            "x",
            "xz",
            "X",
            "XZ",
            "y",
            "alice",
            "ALICE",
            "x/1",
            "x/12",
            "x/2",
            "y/a/b",
            "y/b",
            "",
            "xyz",
            "xalice",
            "arn:aws:iam::1:user/alice",
            "arn:aws:iam::1:role/r",
            "arn:aws:iam::2:user/alicex",
        ])
        .prop_map(str::to_owned),
        0..6,
    ))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1500))]

    /// Conditions with many values (looked up, not compared one by one) and
    /// several request values (variables resolved once) decide like the
    /// reference evaluator.
    #[test]
    fn many_valued_conditions_agree_with_reference(
        (operator, values) in many_condition(),
        request in many_request_values(),
        user in select(vec!["alice", "bob"]),
    ) {
        let text = serde_json::json!({
            "Version": "2012-10-17",
            "Statement": {
                "Effect": "Allow",
                "Action": "*",
                "Resource": "*",
                "Condition": {operator.clone(): {"svc:a": values.clone()}},
            }
        })
        .to_string();
        let policy = Policy::parse(&text, PolicyKind::Identity).unwrap();
        let set = PolicySet::new([CompiledPolicy::new(&policy, "p", PolicyType::Identity)]);
        let caller = Caller::User {
            arn: format!("arn:aws:iam::123456789012:user/{user}"),
            account: "123456789012".into(),
            unique_id: None,
        };
        let mut ctx = RequestContext::new(caller, "s3:GetObject", "*");
        ctx.set_principal_keys();
        if let Some(request) = &request {
            ctx.set_values("svc:a", request.iter().cloned());
        }
        let got = evaluate(&EvalInput::new(&ctx, &set));
        let model = reference::Input { identity: vec![policy], boundary: None, session: None };
        prop_assert_eq!(
            (got.outcome, got.denied_by),
            reference::evaluate(&model, &ctx),
            "{} {:?} request {:?} user {}", operator, values, request, user
        );
    }
}
