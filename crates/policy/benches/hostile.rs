//! Decision time for hostile policies, such as a caller of
//! SimulateCustomPolicy can send: wildcard patterns built to make a
//! backtracking matcher quadratic (many `*`, long segments, many `?`)
//! against long request values, and `ForAnyValue:` / `ForAllValues:`
//! conditions with many patterns against many context values. Matching
//! costs about the text's length times the number of 64-bit words of the
//! longest segment, whatever the pattern; set conditions look their plain
//! values up. Run with `cargo bench -p portcullis-policy --bench hostile`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup: a broken fixture should stop the run"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use portcullis_policy::*;

const ACCOUNT: &str = "123456789012";

fn caller() -> Caller {
    Caller::User {
        arn: format!("arn:aws:iam::{ACCOUNT}:user/alice"),
        account: ACCOUNT.into(),
        unique_id: None,
    }
}

fn compile(statement: serde_json::Value) -> PolicySet {
    let text = serde_json::json!({"Version": "2012-10-17", "Statement": statement}).to_string();
    PolicySet::new([CompiledPolicy::parse(
        &text,
        PolicyKind::Identity,
        "hostile",
        PolicyType::Identity,
    )
    .unwrap()])
}

/// One Allow statement whose resource part is `pattern`, and a request for
/// the resource `text`.
fn resource_case(pattern: &str, text: &str) -> (PolicySet, RequestContext) {
    let set = compile(serde_json::json!({
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": format!("arn:aws:s3:::{pattern}"),
    }));
    let ctx = RequestContext::new(caller(), "s3:GetObject", format!("arn:aws:s3:::{text}"));
    (set, ctx)
}

/// One Allow statement with the condition `operator` holding `values` for
/// `svc:tags`, and a request giving `svc:tags` the values `request`.
fn set_case(operator: &str, values: &[String], request: &[String]) -> (PolicySet, RequestContext) {
    let set = compile(serde_json::json!({
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "*",
        "Condition": {operator: {"svc:tags": values}},
    }));
    let mut ctx = RequestContext::new(caller(), "s3:GetObject", "arn:aws:s3:::b/k");
    ctx.set("aws:username", "alice")
        .set_values("svc:tags", request.iter().cloned());
    (set, ctx)
}

fn bench(c: &mut Criterion) {
    let a2048 = "a".repeat(2048);
    let mut cases: Vec<(&str, PolicySet, RequestContext, bool)> = Vec::new();

    // `*a*a*...*a*b`: 10,000 characters, 5,000 stars.
    let many_stars = format!("{}*b", "*a".repeat(4999));
    let (set, ctx) = resource_case(&many_stars, &a2048);
    cases.push(("`*a*a...*b` (10,000 chars) vs 2,048 a", set, ctx, false));

    // `*` then 5,000 `?` then `b`.
    let many_ones = format!("*{}b", "?".repeat(5000));
    let (set, ctx) = resource_case(&many_ones, &a2048);
    cases.push(("`*?{5000}b` vs 2,048 a", set, ctx, false));

    // One long literal segment after a star: each restart of a single-star
    // backtracking matcher rescans it.
    let long_literal = format!("*{}b*", "a".repeat(1024));
    let (set, ctx) = resource_case(&long_literal, &a2048);
    cases.push(("`*a{1024}b*` vs 2,048 a", set, ctx, false));

    // The same with `?`: not a plain substring search.
    let long_ones = format!("*{}b", "?".repeat(1024));
    let (set, ctx) = resource_case(&long_ones, &a2048);
    cases.push(("`*?{1024}b` vs 2,048 a", set, ctx, false));

    // The same between two stars: a segment searched for in the middle.
    let (set, ctx) = resource_case(&format!("*{}b*", "?".repeat(1024)), &a2048);
    cases.push(("`*?{1024}b*` vs 2,048 a", set, ctx, false));

    // Non-ASCII text and a segment mixing literals and `?`.
    let mixed = format!("*{}ÿ*", "é?".repeat(512));
    let (set, ctx) = resource_case(&mixed, &"é".repeat(2048));
    cases.push(("`*(é?){512}ÿ*` vs 2,048 é", set, ctx, false));

    // Longer text: a quarter of a second per decision for a backtracking
    // matcher.
    let long_text = "a".repeat(8192);
    let (set, ctx) = resource_case(&format!("*{}b", "?".repeat(4096)), &long_text);
    cases.push(("`*?{4096}b` vs 8,192 a", set, ctx, false));
    let (set, ctx) = resource_case(&format!("*{}b*", "?".repeat(4096)), &long_text);
    cases.push(("`*?{4096}b*` vs 8,192 a", set, ctx, false));

    let mut group = c.benchmark_group("hostile/resource");
    for (name, set, ctx, allowed) in &cases {
        assert_eq!(
            evaluate(&EvalInput::new(ctx, set)).is_allowed(),
            *allowed,
            "{name}"
        );
        group.bench_function(*name, |b| {
            b.iter(|| evaluate(black_box(&EvalInput::new(ctx, set))))
        });
    }
    group.finish();

    // Set conditions: 1,000 policy values against 1,000 request values,
    // none matching (every pair is compared).
    let n = 1000;
    let request: Vec<String> = (0..n).map(|i| format!("value-{i}")).collect();
    let literals: Vec<String> = (0..n).map(|i| format!("tag-{i}")).collect();
    let globs: Vec<String> = (0..n).map(|i| format!("tag-{i}-*-x")).collect();
    let prefixes: Vec<String> = (0..n).map(|i| format!("tag-{i}/*")).collect();
    let templates: Vec<String> = (0..n).map(|i| format!("${{aws:username}}-{i}*")).collect();
    let mut sets: Vec<(&str, PolicySet, RequestContext)> = Vec::new();
    let (set, ctx) = set_case("ForAnyValue:StringEquals", &literals, &request);
    sets.push(("ForAnyValue:StringEquals", set, ctx));
    let (set, ctx) = set_case("ForAnyValue:StringEqualsIgnoreCase", &literals, &request);
    sets.push(("ForAnyValue:StringEqualsIgnoreCase", set, ctx));
    let (set, ctx) = set_case("ForAnyValue:StringLike", &literals, &request);
    sets.push(("ForAnyValue:StringLike (literal)", set, ctx));
    let (set, ctx) = set_case("ForAnyValue:StringLike", &prefixes, &request);
    sets.push(("ForAnyValue:StringLike (prefix)", set, ctx));
    let (set, ctx) = set_case("ForAnyValue:StringLike", &globs, &request);
    sets.push(("ForAnyValue:StringLike (wildcards)", set, ctx));
    let (set, ctx) = set_case("ForAnyValue:StringLike", &templates, &request);
    sets.push(("ForAnyValue:StringLike (variables)", set, ctx));
    let arns: Vec<String> = (0..n)
        .map(|i| format!("arn:aws:iam::*:role/r-{i}*"))
        .collect();
    let arn_request: Vec<String> = (0..n)
        .map(|i| format!("arn:aws:iam::{ACCOUNT}:user/u-{i}"))
        .collect();
    let (set, ctx) = set_case("ForAnyValue:ArnLike", &arns, &arn_request);
    sets.push(("ForAnyValue:ArnLike", set, ctx));

    let arn_templates: Vec<String> = (0..n)
        .map(|i| format!("arn:aws:iam::*:role/${{aws:username}}-{i}"))
        .collect();
    let (set, ctx) = set_case("ForAnyValue:ArnLike", &arn_templates, &arn_request);
    sets.push(("ForAnyValue:ArnLike (variables)", set, ctx));

    let mut group = c.benchmark_group("hostile/set condition, 1,000 x 1,000");
    for (name, set, ctx) in &sets {
        assert!(!evaluate(&EvalInput::new(ctx, set)).is_allowed(), "{name}");
        group.bench_function(*name, |b| {
            b.iter(|| evaluate(black_box(&EvalInput::new(ctx, set))))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    targets = bench
}
criterion_main!(benches);
