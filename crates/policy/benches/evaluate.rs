//! Decision time for a realistic principal: 10 policies, 50 statements, with
//! wildcards, `IpAddress`, `StringLike` with variables, `Bool` on MFA and
//! `DateLessThan`; and the same principal in an account holding 10,000
//! compiled policies (a decision only looks at the principal's own set).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark setup: a broken fixture should stop the run"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use portcullis_policy::*;

mod fixtures;

use fixtures::*;

fn bench(c: &mut Criterion) {
    let set = PolicySet::new(principal_policies(0));
    let statements: usize = set.policies().iter().map(CompiledPolicy::len).sum();
    assert_eq!(statements, 50);

    // Allowed by the last policy's statements (every policy is scanned).
    let allow = request("s3:GetObject", "arn:aws:s3:::team-9-data/report.csv");
    let allow_var = request(
        "iam:CreateAccessKey",
        "arn:aws:iam::123456789012:user/alice",
    );
    let implicit = request("iam:CreateUser", "arn:aws:iam::123456789012:user/bob");
    let mut outside = request("s3:GetObject", "arn:aws:s3:::team-9-data/report.csv");
    outside.set("aws:SourceIp", "203.0.113.9");
    assert!(evaluate(&EvalInput::new(&allow, &set)).is_allowed());
    assert!(evaluate(&EvalInput::new(&allow_var, &set)).is_allowed());
    assert_eq!(
        evaluate(&EvalInput::new(&implicit, &set)).outcome,
        Outcome::ImplicitDeny
    );
    assert_eq!(
        evaluate(&EvalInput::new(&outside, &set)).outcome,
        Outcome::ExplicitDeny
    );

    let mut group = c.benchmark_group("decision/10 policies, 50 statements");
    group.bench_function("allow (s3, IpAddress)", |b| {
        b.iter(|| evaluate(black_box(&EvalInput::new(&allow, &set))))
    });
    group.bench_function("allow (iam, variable + MFA + date)", |b| {
        b.iter(|| evaluate(black_box(&EvalInput::new(&allow_var, &set))))
    });
    group.bench_function("implicit deny", |b| {
        b.iter(|| evaluate(black_box(&EvalInput::new(&implicit, &set))))
    });
    group.bench_function("explicit deny", |b| {
        b.iter(|| evaluate(black_box(&EvalInput::new(&outside, &set))))
    });
    group.finish();

    // 10,000 compiled policies in the account; the principal's set holds 10
    // of them (shared, not copied).
    let account: Vec<CompiledPolicy> = (0..1000).flat_map(|i| principal_policies(i * 10)).collect();
    assert_eq!(account.len(), 10_000);
    let mine = PolicySet::new(account.iter().skip(5_000).take(10).cloned());
    c.bench_function("decision/principal in an account of 10,000 policies", |b| {
        b.iter(|| evaluate(black_box(&EvalInput::new(&allow, &mine))))
    });

    let text = policy_text(3);
    c.bench_function("parse + compile one 5-statement policy", |b| {
        b.iter(|| {
            CompiledPolicy::parse(
                black_box(&text),
                PolicyKind::Identity,
                "p",
                PolicyType::Identity,
            )
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
