//! STS AssumeRole: trust policies, the same- and cross-account rules, ExternalId, durations and
//! role chaining, session policies, session and transitive tags, and using the credentials.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message, user_with_key};
use aws_sdk_sts::types::{PolicyDescriptorType, Tag};

fn doc(statements: &str) -> String {
    format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#)
}

fn trust(principal: &str, extra: &str) -> String {
    doc(&format!(
        r#"{{"Effect":"Allow","Principal":{{"AWS":"{principal}"}},"Action":["sts:AssumeRole","sts:TagSession"]{extra}}}"#
    ))
}

fn user_arn(name: &str) -> String {
    format!("arn:aws:iam::{DEV_ACCOUNT}:user/{name}")
}

fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{DEV_ACCOUNT}:role/{name}")
}

async fn role(iam: &aws_sdk_iam::Client, name: &str, trust_doc: &str, permissions: &str) -> String {
    let r = iam
        .create_role()
        .role_name(name)
        .assume_role_policy_document(trust_doc)
        .max_session_duration(7200)
        .send()
        .await
        .unwrap();
    if !permissions.is_empty() {
        iam.put_role_policy()
            .role_name(name)
            .policy_name("p")
            .policy_document(doc(permissions))
            .send()
            .await
            .unwrap();
    }
    r.role().unwrap().role_id().to_string()
}

#[allow(
    deprecated,
    reason = "PackedPolicySize is deprecated but still in AWS's responses"
)]
#[tokio::test]
async fn a_trusted_user_assumes_a_role_and_acts_with_its_permissions() {
    let s = Server::dev();
    let root = s.root_iam();
    let role_id = role(
        &root,
        "deployer",
        &trust(&user_arn("alice"), ""),
        r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*"}"#,
    )
    .await;
    let (ak, sk) = user_with_key(&root, "alice").await;
    let alice = s.sts(&ak, &sk);
    let out = alice
        .assume_role()
        .role_arn(role_arn("deployer"))
        .role_session_name("s1")
        .send()
        .await
        .unwrap();
    let creds = out.credentials().unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"));
    assert_eq!(creds.access_key_id().len(), 20);
    assert_eq!(creds.secret_access_key().len(), 40);
    let left = creds.expiration().secs() - chrono::Utc::now().timestamp();
    assert!(
        (3500..=3610).contains(&left),
        "default one hour, got {left}"
    );
    let user = out.assumed_role_user().unwrap();
    assert_eq!(user.assumed_role_id(), format!("{role_id}:s1"));
    let session_arn = format!("arn:aws:sts::{DEV_ACCOUNT}:assumed-role/deployer/s1");
    assert_eq!(user.arn(), session_arn);
    assert_eq!(out.packed_policy_size(), None);

    let who = s
        .sts_session(creds)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(who.arn(), Some(session_arn.as_str()));
    assert_eq!(who.user_id(), Some(format!("{role_id}:s1").as_str()));
    assert_eq!(who.account(), Some(DEV_ACCOUNT));

    let session = s.iam_session(creds);
    session.list_users().send().await.unwrap();
    assert_eq!(
        err_message(session.create_user().user_name("x").send().await),
        format!(
            "User: {session_arn} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::{DEV_ACCOUNT}:user/x because no identity-based policy allows the iam:CreateUser action"
        )
    );
    // Non-user credentials must name the user.
    assert_eq!(
        err_code(session.list_access_keys().send().await).0,
        "AccessDenied"
    );

    // The role records its use.
    let mut used = None;
    for _ in 0..50 {
        let r = root.get_role().role_name("deployer").send().await.unwrap();
        used = r
            .role()
            .unwrap()
            .role_last_used()
            .and_then(|u| u.region().map(str::to_string));
        if used.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(used.as_deref(), Some("us-east-2"));

    // A detached permission is gone for the session on the next request.
    root.delete_role_policy()
        .role_name("deployer")
        .policy_name("p")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(session.list_users().send().await),
        ("AccessDenied".into(), 403)
    );
}

#[tokio::test]
async fn who_may_assume_what() {
    let s = Server::dev();
    let root = s.root_iam();
    role(&root, "named", &trust(&user_arn("alice"), ""), "").await;
    role(&root, "account", &trust(DEV_ACCOUNT, ""), "").await;
    let (ak, sk) = user_with_key(&root, "alice").await;
    let (bk, bs) = user_with_key(&root, "bob").await;
    let alice = s.sts(&ak, &sk);
    let bob = s.sts(&bk, &bs);

    let denied = |who: &str, role: &str| {
        format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            user_arn(who),
            role_arn(role)
        )
    };
    // Bob is not named by the trust policy.
    let r = bob
        .assume_role()
        .role_arn(role_arn("named"))
        .role_session_name("x1")
        .send()
        .await;
    assert_eq!(err_message(r), denied("bob", "named"));
    // A role that does not exist reads the same.
    let r = bob
        .assume_role()
        .role_arn(role_arn("ghost"))
        .role_session_name("x1")
        .send()
        .await;
    assert_eq!(err_message(r), denied("bob", "ghost"));
    // Trusting the account delegates to the account's policies: Bob needs one.
    let r = bob
        .assume_role()
        .role_arn(role_arn("account"))
        .role_session_name("x1")
        .send()
        .await;
    assert_eq!(err_code(r), ("AccessDenied".into(), 403));
    root.put_user_policy()
        .user_name("bob")
        .policy_name("assume")
        .policy_document(doc(&format!(
            r#"{{"Effect":"Allow","Action":"sts:AssumeRole","Resource":"{}"}}"#,
            role_arn("account")
        )))
        .send()
        .await
        .unwrap();
    bob.assume_role()
        .role_arn(role_arn("account"))
        .role_session_name("x1")
        .send()
        .await
        .unwrap();
    // Alice is named directly: no identity policy needed.
    alice
        .assume_role()
        .role_arn(role_arn("named"))
        .role_session_name("x1")
        .send()
        .await
        .unwrap();
    // Root may not assume roles; text that is not an ARN is a validation error.
    let r = s
        .root_sts()
        .assume_role()
        .role_arn(role_arn("account"))
        .role_session_name("x1")
        .send()
        .await;
    assert_eq!(err_message(r), "Roles may not be assumed by root accounts.");
    let r = alice
        .assume_role()
        .role_arn("nothing-valid-in-here")
        .role_session_name("x1")
        .send()
        .await;
    assert_eq!(err_code(r), ("ValidationError".into(), 400));
    let r = alice
        .assume_role()
        .role_arn("arn:a:a::aaaaaaaaaa:")
        .role_session_name("x1")
        .send()
        .await;
    assert_eq!(err_message(r), "arn:a:a::aaaaaaaaaa: is invalid");
    let r = alice
        .assume_role()
        .role_arn(role_arn("named"))
        .role_session_name("Session1:2")
        .send()
        .await;
    assert_eq!(err_code(r), ("ValidationError".into(), 400));
}

#[tokio::test]
async fn external_id_durations_and_chaining() {
    let s = Server::dev();
    let root = s.root_iam();
    role(
        &root,
        "vendor",
        &trust(
            &user_arn("alice"),
            r#","Condition":{"StringEquals":{"sts:ExternalId":"k3y-123"}}"#,
        ),
        "",
    )
    .await;
    let (ak, sk) = user_with_key(&root, "alice").await;
    let alice = s.sts(&ak, &sk);
    let assume = |ext: Option<&str>| {
        alice
            .assume_role()
            .role_arn(role_arn("vendor"))
            .role_session_name("vendor-s")
            .set_external_id(ext.map(str::to_string))
            .send()
    };
    assert_eq!(err_code(assume(None).await), ("AccessDenied".into(), 403));
    assert_eq!(
        err_code(assume(Some("wrong-id")).await),
        ("AccessDenied".into(), 403)
    );
    assume(Some("k3y-123")).await.unwrap();

    // Durations: up to the role's MaxSessionDuration (7200 here).
    role(&root, "first", &trust(&user_arn("alice"), ""), "").await;
    let long = alice
        .assume_role()
        .role_arn(role_arn("first"))
        .role_session_name("aa")
        .duration_seconds(7200)
        .send()
        .await
        .unwrap();
    let left = long.credentials().unwrap().expiration().secs() - chrono::Utc::now().timestamp();
    assert!((7100..=7210).contains(&left), "got {left}");
    let r = alice
        .assume_role()
        .role_arn(role_arn("first"))
        .role_session_name("aa")
        .duration_seconds(7201)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "The requested DurationSeconds exceeds the MaxSessionDuration set for this role."
    );
    let r = alice
        .assume_role()
        .role_arn(role_arn("first"))
        .role_session_name("aa")
        .duration_seconds(899)
        .send()
        .await;
    assert_eq!(err_code(r), ("ValidationError".into(), 400));

    // Chaining: a session of `first` assumes `second`, at most for an hour.
    role(
        &root,
        "second",
        &trust(&role_arn("first"), ""),
        r#"{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}"#,
    )
    .await;
    let first = s.sts_session(long.credentials().unwrap());
    let r = first
        .assume_role()
        .role_arn(role_arn("second"))
        .role_session_name("bb")
        .duration_seconds(7200)
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining."
    );
    let chained = first
        .assume_role()
        .role_arn(role_arn("second"))
        .role_session_name("bb")
        .send()
        .await
        .unwrap();
    let c = chained.credentials().unwrap();
    s.iam_session(c).list_roles().send().await.unwrap();
    assert_eq!(
        s.sts_session(c)
            .get_caller_identity()
            .send()
            .await
            .unwrap()
            .arn(),
        Some(format!("arn:aws:sts::{DEV_ACCOUNT}:assumed-role/second/bb").as_str())
    );
}

#[allow(
    deprecated,
    reason = "PackedPolicySize is deprecated but still in AWS's responses"
)]
#[tokio::test]
async fn session_policies_narrow_the_role() {
    let s = Server::dev();
    let root = s.root_iam();
    role(
        &root,
        "broad",
        &trust(&user_arn("alice"), ""),
        r#"{"Effect":"Allow","Action":"iam:List*","Resource":"*"}"#,
    )
    .await;
    let (ak, sk) = user_with_key(&root, "alice").await;
    let alice = s.sts(&ak, &sk);
    let out = alice
        .assume_role()
        .role_arn(role_arn("broad"))
        .role_session_name("narrow")
        .policy(doc(
            r#"{"Effect":"Allow","Action":["iam:ListUsers","iam:CreateUser"],"Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    assert!(
        out.packed_policy_size()
            .is_some_and(|p| (1..=100).contains(&p))
    );
    let session = s.iam_session(out.credentials().unwrap());
    session.list_users().send().await.unwrap();
    // The role allows ListRoles, the session policy does not.
    assert_eq!(
        err_message(session.list_roles().send().await),
        format!(
            "User: arn:aws:sts::{DEV_ACCOUNT}:assumed-role/broad/narrow is not authorized to perform: iam:ListRoles on resource: arn:aws:iam::{DEV_ACCOUNT}:role/ because no session policy allows the iam:ListRoles action"
        )
    );
    // The session policy allows CreateUser, the role does not: session policies never add.
    assert_eq!(
        err_code(session.create_user().user_name("z").send().await),
        ("AccessDenied".into(), 403)
    );

    // A managed session policy narrows the same way.
    root.create_policy()
        .policy_name("only-roles")
        .policy_document(doc(
            r#"{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}"#,
        ))
        .send()
        .await
        .unwrap();
    let out = alice
        .assume_role()
        .role_arn(role_arn("broad"))
        .role_session_name("managed")
        .policy_arns(
            PolicyDescriptorType::builder()
                .arn(format!("arn:aws:iam::{DEV_ACCOUNT}:policy/only-roles"))
                .build(),
        )
        .send()
        .await
        .unwrap();
    let session = s.iam_session(out.credentials().unwrap());
    session.list_roles().send().await.unwrap();
    assert_eq!(
        err_code(session.list_users().send().await),
        ("AccessDenied".into(), 403)
    );

    let r = alice
        .assume_role()
        .role_arn(role_arn("broad"))
        .role_session_name("bad")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow"}]}"#)
        .send()
        .await;
    assert_eq!(err_code(r), ("MalformedPolicyDocument".into(), 400));
    let big = format!(
        r#"{{"Effect":"Allow","Action":"iam:ListUsers","Resource":[{}]}}"#,
        (0..120)
            .map(|i| format!("\"arn:aws:iam::{DEV_ACCOUNT}:user/u{i}\""))
            .collect::<Vec<_>>()
            .join(",")
    );
    let r = alice
        .assume_role()
        .role_arn(role_arn("broad"))
        .role_session_name("big")
        .policy(doc(&big))
        .send()
        .await;
    assert_eq!(err_code(r), ("PackedPolicyTooLarge".into(), 400));
}

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

#[tokio::test]
async fn session_tags_transitive_tags_and_abac() {
    let s = Server::dev();
    let root = s.root_iam();
    // The role allows ListUsers only to sessions tagged team=red.
    role(
        &root,
        "tagged",
        &trust(&user_arn("alice"), ""),
        r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}},
           {"Effect":"Allow","Action":"sts:AssumeRole","Resource":"*"}"#,
    )
    .await;
    role(
        &root,
        "next",
        &trust(&role_arn("tagged"), ""),
        r#"{"Effect":"Allow","Action":"iam:ListUsers","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/team":"red"}}}"#,
    )
    .await;
    let (ak, sk) = user_with_key(&root, "alice").await;
    let alice = s.sts(&ak, &sk);
    let assume = |name: &str, tags: Vec<Tag>, transitive: Vec<String>| {
        alice
            .assume_role()
            .role_arn(role_arn("tagged"))
            .role_session_name(name)
            .set_tags(Some(tags))
            .set_transitive_tag_keys(Some(transitive))
            .send()
    };
    let blue = assume("blue", vec![tag("team", "blue")], vec![])
        .await
        .unwrap();
    assert_eq!(
        err_code(
            s.iam_session(blue.credentials().unwrap())
                .list_users()
                .send()
                .await
        ),
        ("AccessDenied".into(), 403)
    );
    let red = assume("red", vec![tag("team", "red")], vec!["team".into()])
        .await
        .unwrap();
    let red_creds = red.credentials().unwrap();
    s.iam_session(red_creds).list_users().send().await.unwrap();

    // Errors as AWS words them.
    let r = assume("e1", vec![tag("team", "red")], vec!["other".into()]).await;
    assert_eq!(
        err_message(r),
        "The specified transitive tag key must be included in the requested tags."
    );
    let r = assume("e2", vec![tag("team", "red"), tag("TEAM", "blue")], vec![]).await;
    assert_eq!(err_code(r), ("InvalidParameterValue".into(), 400));

    // The transitive tag reaches the chained session and cannot be overridden there.
    let red_sts = s.sts_session(red_creds);
    let chained = red_sts
        .assume_role()
        .role_arn(role_arn("next"))
        .role_session_name("cc")
        .send()
        .await
        .unwrap();
    s.iam_session(chained.credentials().unwrap())
        .list_users()
        .send()
        .await
        .unwrap();
    let r = red_sts
        .assume_role()
        .role_arn(role_arn("next"))
        .role_session_name("cc")
        .tags(tag("Team", "blue"))
        .send()
        .await;
    assert_eq!(
        err_message(r),
        "One of the specified transitive tag keys can't be set because it conflicts with a transitive tag key from the calling session."
    );

    // Tagging a session needs sts:TagSession in the trust policy.
    role(
        &root,
        "plain",
        &doc(&format!(
            r#"{{"Effect":"Allow","Principal":{{"AWS":"{}"}},"Action":"sts:AssumeRole"}}"#,
            user_arn("alice")
        )),
        "",
    )
    .await;
    let r = alice
        .assume_role()
        .role_arn(role_arn("plain"))
        .role_session_name("tt")
        .tags(tag("team", "red"))
        .send()
        .await;
    assert_eq!(
        err_message(r),
        format!(
            "User: {} is not authorized to perform: sts:TagSession on resource: {}",
            user_arn("alice"),
            role_arn("plain")
        )
    );
}
