//! What authorization costs a request on the hot path, inside the server: the key's principal
//! from the key cache, then `authz::authorize` (the caller's cached compiled policies, the
//! target, the request context, the decision) for GetUser, in an account of 5,000 users and
//! 1,500 customer managed policies with 10 of them and an inline policy on the caller — the
//! issue's setting. Root's GetUser (never evaluated) is the baseline; the difference is the
//! authorization overhead. Run with `cargo bench -p portcullis --bench authorize`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "benchmark driver"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use portcullis::app::App;
use portcullis::auth::{Caller, lookup_key};
use portcullis::authz::{RequestFacts, authorize};
use portcullis::config::{FileConfig, Settings};
use portcullis::handlers::{Ctx, dispatch};
use portcullis::net::Origin;
use portcullis::sealing::SealingKeys;
use portcullis_core::crypto::MasterKey;
use portcullis_core::{Secret, SystemClock};
use portcullis_proto::{Input, Operation, Params};
use portcullis_store::SqliteStore;
use std::hint::black_box;
use std::sync::Arc;

const ACCOUNT: &str = "123456789012";
const ROOT_KEY: &str = "AKIAIOSFODNN7EXAMPLE";
const USERS: usize = 5_000;
const POLICIES: usize = 1_500;

fn params(pairs: &[(&str, &str)]) -> Params {
    let mut p = Params::default();
    for (k, v) in pairs {
        p.insert(*k, *v);
    }
    p
}

fn caller(app: &App, key: &str) -> Caller {
    Caller {
        principal: lookup_key(app, key).unwrap().principal.clone(),
        access_key_id: key.to_string(),
        region: "us-east-1".into(),
        session: None,
        mfa_verified_at: None,
    }
}

/// Runs an operation as root, the way the pipeline would after authorization.
fn run(app: &Arc<App>, root: &Caller, op: Operation, pairs: &[(&str, &str)]) -> String {
    let params = params(pairs);
    let ctx = Ctx {
        app: app.clone(),
        op,
        caller: Some(root.clone()),
        input: Input::decode(op, &params).unwrap(),
        web_identity: None,
        assumed_role: None,
        now: app.clock.now(),
        audit: None,
    };
    dispatch(op, &ctx).unwrap_or_else(|e| panic!("{op:?}: {e:?}"))
}

fn filled_app() -> (Arc<App>, String) {
    let file = FileConfig {
        max_users_per_account: Some(USERS + 10),
        ..FileConfig::default()
    };
    let settings = Settings::new(&file, None, false).unwrap();
    let app = App::new(
        Arc::new(SqliteStore::in_memory().unwrap()),
        MasterKey::generate(),
        SealingKeys::ephemeral(),
        Arc::new(SystemClock),
        settings,
        None,
    );
    let secret = Secret::new("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    portcullis::bootstrap::create_account(
        app.store.as_ref(),
        &app.master,
        ACCOUNT,
        Some((ROOT_KEY, &secret)),
    )
    .unwrap();
    let root = caller(&app, ROOT_KEY);
    for i in 0..USERS {
        let name = format!("fill-user-{i}");
        run(&app, &root, Operation::CreateUser, &[("UserName", &name)]);
    }
    for i in 0..POLICIES {
        let name = format!("fill-policy-{i}");
        let doc = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Sid":"S{i}a","Effect":"Allow","Action":["s3:Get{i}*","ec2:Describe*"],"Resource":"arn:aws:s3:::bucket-{i}/*"}},{{"Sid":"S{i}b","Effect":"Deny","Action":"iam:Delete*","Resource":"*","Condition":{{"StringNotEquals":{{"aws:PrincipalTag/team":"t{i}"}}}}}}]}}"#
        );
        run(
            &app,
            &root,
            Operation::CreatePolicy,
            &[("PolicyName", &name), ("PolicyDocument", &doc)],
        );
    }
    let user = "fill-user-42";
    for i in 0..10 {
        let arn = format!("arn:aws:iam::{ACCOUNT}:policy/fill-policy-{i}");
        run(
            &app,
            &root,
            Operation::AttachUserPolicy,
            &[("UserName", user), ("PolicyArn", &arn)],
        );
    }
    run(
        &app,
        &root,
        Operation::PutUserPolicy,
        &[
            ("UserName", user),
            ("PolicyName", "self"),
            (
                "PolicyDocument",
                r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:GetUser","iam:ListAccessKeys"],"Resource":"arn:aws:iam::123456789012:user/${aws:username}"}]}"#,
            ),
        ],
    );
    let created = run(
        &app,
        &root,
        Operation::CreateAccessKey,
        &[("UserName", user)],
    );
    let key = created
        .split("<AccessKeyId>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .to_string();
    app.invalidate_caches();
    (app, key)
}

fn bench(c: &mut Criterion) {
    let (app, user_key) = filled_app();
    let origin = Origin {
        source_ip: "127.0.0.1".parse().unwrap(),
        secure_transport: false,
    };
    let get_user = params(&[
        ("Action", "GetUser"),
        ("Version", "2010-05-08"),
        ("UserName", "fill-user-42"),
    ]);
    let mut group = c.benchmark_group("authorize GetUser (5,000 users, 1,500 policies)");
    for (label, key) in [("root", ROOT_KEY), ("user", user_key.as_str())] {
        // Warm the caches once and check the decision is an allow.
        let facts = RequestFacts {
            origin: &origin,
            user_agent: Some("bench"),
            now: app.clock.now(),
            full_context: false,
        };
        let input = Input::decode(Operation::GetUser, &get_user).unwrap();
        let rule = portcullis::handlers::routes::route(Operation::GetUser).rule;
        authorize(&app, &rule, &input, Some(&caller(&app, key)), &facts)
            .unwrap_or_else(|e| panic!("{label} is not allowed GetUser: {e:?}"));
        group.bench_function(label, |b| {
            b.iter(|| {
                let c = caller(&app, key);
                // The pipeline decodes the typed input once, then authorizes it: both count.
                let input = Input::decode(Operation::GetUser, black_box(&get_user)).unwrap();
                let rule = portcullis::handlers::routes::route(Operation::GetUser).rule;
                black_box(authorize(&app, &rule, &input, Some(&c), &facts)).unwrap();
            })
        });
    }
    group.finish();
    // The typed input's decoding, which the pipeline runs once per request (counted above too).
    c.bench_function("decode GetUser input", |b| {
        b.iter(|| black_box(Input::decode(Operation::GetUser, black_box(&get_user))).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
