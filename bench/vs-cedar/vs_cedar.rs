//! Side by side with Cedar (`cedar-policy` from crates.io), in the same run:
//! the decisions of `evaluate.rs` (10 identity policies, 50 statements, the
//! same principal and requests) asked of both engines, each with its policies
//! parsed and compiled once outside the timed loop, so only the decision is
//! timed. Criterion reports each engine under
//! `vs_cedar/<scenario>/{portcullis,cedar}`; after it, an interleaved pass
//! (both engines alternating batch by batch, the fastest batch of each kept,
//! so load on a shared machine hits both alike) prints the ratio
//! cedar / portcullis per scenario. Run with
//! `cargo bench -p portcullis-policy --bench vs_cedar`.
//!
//! How the IAM statements map to Cedar, and where they are not equivalent:
//!
//! - Each IAM statement becomes one Cedar policy (`Allow` → `permit`,
//!   `Deny` → `forbid`), so the Cedar set holds 50 policies. Identity policies
//!   have no `Principal`, so every Cedar scope is unconstrained. Cedar's
//!   answer is likewise a decision plus the ids of the deciding policies
//!   (and any evaluation errors); there is no AccessDenied wording.
//! - Cedar has no action wildcards (actions are entities, matched by `==` or
//!   `in` a hierarchy), so the request's action name is also put in
//!   `context.action` and matched with `like`, which is what IAM's `Action`
//!   does. IAM matches actions case-insensitively; Cedar's `like` is
//!   case-sensitive, a cheaper comparison than the one portcullis makes.
//!   The Cedar request's action is `Action::"<name>"`, constrained by no
//!   policy.
//! - Resource ARNs are the `arn` attribute of a `Resource` entity (the
//!   request's resource, found in an `Entities` store built once), matched
//!   with `like` as IAM's `Resource` is.
//! - Condition keys are Cedar context attributes, given typed (an `ip`, a
//!   `datetime`, booleans) where IAM's are strings that portcullis reads as
//!   the operator needs (and caches in the request context). Cedar evaluates
//!   the `ip("...")` and `datetime("...")` literals in its policies on every
//!   decision; portcullis parsed its CIDRs and dates at compile time. That is
//!   how each engine works, so it is timed as is.
//! - Several values for one IAM key (ORed) become `||` chains, several keys
//!   (ANDed) `&&` chains, conjuncts in the order action, resource, condition
//!   so Cedar short-circuits as early as the IAM semantics allow. A key that
//!   may be absent is guarded by `context has ...`: IAM's positive operators
//!   are false on a missing key (in Cedar, a missing attribute would be an
//!   error, which also leaves the policy unsatisfied but costs more), and
//!   IAM's `NotIpAddress` and `...IfExists` are true on one.
//! - Policy variables: Cedar cannot build strings (no concatenation) and its
//!   `like` patterns are literals, so `${aws:username}` inside a pattern has
//!   no Cedar spelling. `Keys{n}` (resource `...:user/${aws:username}`)
//!   becomes `resource.arn == principal.arn`, equivalent for a user without a
//!   path. `Home{n}` is approximated (`home-{n}/*/*`, prefix `*/*`); its
//!   action test is false for every request timed here, so the approximated
//!   parts are never evaluated. `${aws:PrincipalTag/team}` becomes
//!   `principal.tags.team`.
//! - Portcullis finds statements by an action index; Cedar (without a
//!   schema, as here) evaluates every policy in the set on every request and
//!   does not stop at the first `forbid`; portcullis may. Neither is given
//!   anything else to help it: no Cedar schema or validation, no entity
//!   slicing.
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::print_stdout,
    reason = "benchmark setup: a broken fixture should stop the run"
)]

use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::str::FromStr;
use std::time::Instant;

use cedar_policy as cedar;
use criterion::Criterion;
use portcullis_policy::*;

#[path = "../../crates/policy/benches/fixtures/mod.rs"]
mod fixtures;

use fixtures::*;

/// The Cedar spelling of `fixtures::policy_text(n)`, statement by statement.
fn cedar_policy_text(n: usize) -> String {
    format!(
        r#"
// Read{n}: s3:Get*/s3:List* on team-{n}-*, IpAddress aws:SourceIp.
permit (principal, action, resource)
when {{
  (context.action like "s3:Get*" || context.action like "s3:List*") &&
  (resource.arn like "arn:aws:s3:::team-{n}-*" || resource.arn like "arn:aws:s3:::team-{n}-*/*") &&
  context has sourceIp &&
  (context.sourceIp.isInRange(ip("10.{n}.0.0/16")) ||
   context.sourceIp.isInRange(ip("192.0.2.0/24")) ||
   context.sourceIp.isInRange(ip("2001:db8:{n}::/48")))
}};

// Home{n}: approximated (no variables inside Cedar patterns); never reached
// past the action test by the requests timed here.
permit (principal, action, resource)
when {{
  (context.action == "s3:PutObject" || context.action == "s3:DeleteObject") &&
  resource.arn like "arn:aws:s3:::home-{n}/*/*" &&
  context has s3prefix &&
  (context.s3prefix like "*/*" || context.s3prefix like "shared/*") &&
  context has secureTransport && context.secureTransport == true
}};

// Keys{n}: iam:*AccessKey* on the caller's own user, MFA, before 2030.
permit (principal, action, resource)
when {{
  context.action like "iam:*AccessKey*" &&
  resource.arn == principal.arn &&
  context has mfa && context.mfa == true &&
  context has currentTime && context.currentTime < datetime("2030-01-01T00:00:00Z")
}};

// Ec2{n}: Describe/Start/Stop, a region, the resource's team tag = the caller's.
permit (principal, action, resource)
when {{
  (context.action like "ec2:Describe*" ||
   context.action == "ec2:StartInstances" ||
   context.action == "ec2:StopInstances") &&
  context has requestedRegion &&
  (context.requestedRegion == "eu-west-{n}" || context.requestedRegion == "us-east-1") &&
  context has resourceTagTeam && principal.tags has team &&
  context.resourceTagTeam == principal.tags.team
}};

// DenyOutside{n}: NotIpAddress (true when the key is missing) and
// BoolIfExists aws:ViaAWSService = false.
forbid (principal, action, resource)
when {{
  !(context has sourceIp &&
    (context.sourceIp.isInRange(ip("10.0.0.0/8")) ||
     context.sourceIp.isInRange(ip("192.0.2.0/24")) ||
     context.sourceIp.isInRange(ip("2001:db8::/32")))) &&
  (!(context has viaAWSService) || context.viaAWSService == false)
}};
"#
    )
}

fn uid(text: &str) -> cedar::EntityUid {
    cedar::EntityUid::from_str(text).unwrap()
}

fn resource_uid(arn: &str) -> cedar::EntityUid {
    uid(&format!("Resource::{arn:?}"))
}

/// The principal (alice, with her ARN, name and tags) and every resource a
/// timed request names.
fn cedar_entities(resources: &[&str]) -> cedar::Entities {
    let alice = cedar::Entity::new(
        uid(r#"User::"alice""#),
        HashMap::from([
            (
                "arn".to_owned(),
                cedar::RestrictedExpression::new_string(format!(
                    "arn:aws:iam::{ACCOUNT}:user/alice"
                )),
            ),
            (
                "username".to_owned(),
                cedar::RestrictedExpression::new_string("alice".to_owned()),
            ),
            (
                "tags".to_owned(),
                cedar::RestrictedExpression::new_record([(
                    "team".to_owned(),
                    cedar::RestrictedExpression::new_string("blue".to_owned()),
                )])
                .unwrap(),
            ),
        ]),
        HashSet::new(),
    )
    .unwrap();
    let resources = resources.iter().map(|arn| {
        cedar::Entity::new(
            resource_uid(arn),
            HashMap::from([(
                "arn".to_owned(),
                cedar::RestrictedExpression::new_string((*arn).to_owned()),
            )]),
            HashSet::new(),
        )
        .unwrap()
    });
    cedar::Entities::from_entities(std::iter::once(alice).chain(resources), None).unwrap()
}

/// The Cedar twin of `fixtures::request`: the same keys, typed.
fn cedar_request(action: &str, resource: &str, source_ip: &str) -> cedar::Request {
    let s = |v: &str| cedar::RestrictedExpression::new_string(v.to_owned());
    let context = cedar::Context::from_pairs([
        ("action".to_owned(), s(action)),
        (
            "sourceIp".to_owned(),
            cedar::RestrictedExpression::new_ip(source_ip),
        ),
        (
            "secureTransport".to_owned(),
            cedar::RestrictedExpression::new_bool(true),
        ),
        (
            "mfa".to_owned(),
            cedar::RestrictedExpression::new_bool(true),
        ),
        (
            "currentTime".to_owned(),
            cedar::RestrictedExpression::new_datetime("2025-06-01T12:00:00Z"),
        ),
        ("requestedRegion".to_owned(), s("us-east-1")),
        (
            "viaAWSService".to_owned(),
            cedar::RestrictedExpression::new_bool(false),
        ),
        ("s3prefix".to_owned(), s("alice/docs/")),
    ])
    .unwrap();
    cedar::Request::new(
        uid(r#"User::"alice""#),
        uid(&format!("Action::{action:?}")),
        resource_uid(resource),
        context,
        None,
    )
    .unwrap()
}

/// One question asked of both engines.
struct Scenario {
    name: &'static str,
    portcullis: RequestContext,
    cedar: cedar::Request,
}

fn scenarios() -> Vec<Scenario> {
    let s3 = "arn:aws:s3:::team-9-data/report.csv";
    let alice = "arn:aws:iam::123456789012:user/alice";
    let bob = "arn:aws:iam::123456789012:user/bob";
    let mut outside = request("s3:GetObject", s3);
    outside.set("aws:SourceIp", "203.0.113.9");
    vec![
        Scenario {
            name: "allow (s3, IpAddress)",
            portcullis: request("s3:GetObject", s3),
            cedar: cedar_request("s3:GetObject", s3, "10.9.3.4"),
        },
        Scenario {
            name: "allow (iam, variable + MFA + date)",
            portcullis: request("iam:CreateAccessKey", alice),
            cedar: cedar_request("iam:CreateAccessKey", alice, "10.9.3.4"),
        },
        Scenario {
            name: "implicit deny",
            portcullis: request("iam:CreateUser", bob),
            cedar: cedar_request("iam:CreateUser", bob, "10.9.3.4"),
        },
        Scenario {
            name: "explicit deny (NotIpAddress)",
            portcullis: outside,
            cedar: cedar_request("s3:GetObject", s3, "203.0.113.9"),
        },
    ]
}

/// Fastest batch of each engine, the two alternating batch by batch.
fn interleaved_min_ns(mut a: impl FnMut(), mut b: impl FnMut()) -> (f64, f64) {
    const BATCH: u32 = 200;
    const ROUNDS: u32 = 150;
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..BATCH {
            f();
        }
        start.elapsed().as_nanos() as f64 / f64::from(BATCH)
    };
    time(&mut a);
    time(&mut b);
    let (mut best_a, mut best_b) = (f64::MAX, f64::MAX);
    for _ in 0..ROUNDS {
        best_a = best_a.min(time(&mut a));
        best_b = best_b.min(time(&mut b));
    }
    (best_a, best_b)
}

fn main() {
    let set = PolicySet::new(principal_policies(0));
    let statements: usize = set.policies().iter().map(CompiledPolicy::len).sum();
    assert_eq!(statements, 50);
    let cedar_set =
        cedar::PolicySet::from_str(&(0..10).map(cedar_policy_text).collect::<String>()).unwrap();
    assert_eq!(cedar_set.policies().count(), 50);
    let entities = cedar_entities(&[
        "arn:aws:s3:::team-9-data/report.csv",
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:iam::123456789012:user/bob",
    ]);
    let authorizer = cedar::Authorizer::new();
    let scenarios = scenarios();

    // Both engines must give the same answer, and Cedar's without errors
    // (an erroring Cedar policy is skipped, which would hide a bad mapping).
    let expected = [
        (Outcome::Allow, cedar::Decision::Allow),
        (Outcome::Allow, cedar::Decision::Allow),
        (Outcome::ImplicitDeny, cedar::Decision::Deny),
        (Outcome::ExplicitDeny, cedar::Decision::Deny),
    ];
    for (s, (outcome, decision)) in scenarios.iter().zip(expected) {
        assert_eq!(
            evaluate(&EvalInput::new(&s.portcullis, &set)).outcome,
            outcome,
            "{}",
            s.name
        );
        let response = authorizer.is_authorized(&s.cedar, &cedar_set, &entities);
        let errors: Vec<String> = response
            .diagnostics()
            .errors()
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", s.name);
        assert_eq!(response.decision(), decision, "{}", s.name);
        // An explicit deny must come from the forbids, not from no permit.
        let reasons = response.diagnostics().reason().count();
        assert_eq!(
            reasons > 0,
            outcome != Outcome::ImplicitDeny,
            "{}: {reasons} deciding policies",
            s.name
        );
    }

    let mut c = Criterion::default().configure_from_args();
    for s in &scenarios {
        let mut group = c.benchmark_group(format!("vs_cedar/{}", s.name));
        group.bench_function("portcullis", |b| {
            b.iter(|| evaluate(black_box(&EvalInput::new(&s.portcullis, &set))))
        });
        group.bench_function("cedar", |b| {
            b.iter(|| {
                authorizer.is_authorized(black_box(&s.cedar), black_box(&cedar_set), &entities)
            })
        });
        group.finish();
    }
    c.final_summary();

    // `cargo bench` passes `--bench`; `cargo test --benches` and `--list` do
    // not need the extra pass.
    let args: Vec<String> = std::env::args().collect();
    if !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--list") {
        return;
    }
    println!("\nvs_cedar, interleaved fastest batch (ns per decision):");
    println!(
        "{:<36} {:>12} {:>12} {:>8}",
        "scenario", "portcullis", "cedar", "ratio"
    );
    for s in &scenarios {
        let (p, ced) = interleaved_min_ns(
            || {
                black_box(evaluate(black_box(&EvalInput::new(&s.portcullis, &set))));
            },
            || {
                black_box(authorizer.is_authorized(
                    black_box(&s.cedar),
                    black_box(&cedar_set),
                    &entities,
                ));
            },
        );
        println!("{:<36} {:>12.0} {:>12.0} {:>7.1}x", s.name, p, ced, ced / p);
    }
}
