//! Authorization and the handler read one decoded input: every parameter authorization decides
//! on (request tags, `aws:TagKeys`, `iam:PolicyARN`, `iam:PermissionsBoundary`, PassRole's
//! role, the target's name, `sts:TransitiveTagKeys`, `sts:RoleSessionName`,
//! `sts:SourceIdentity`, the MFA code) is sent in raw requests no SDK would send — list members
//! out of order or with gaps, a name given twice, a name in another case — and what the handler
//! then did must be what authorization allowed.

use crate::common::{DEV_ACCOUNT, Server, user_with_key};
use crate::raw::{RawResponse, assert_error, call_as};

const A: &str = "arn:aws:iam::123456789012";
const ADMIN: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
const READ_ONLY: &str = "arn:aws:iam::aws:policy/ReadOnlyAccess";

/// A user allowed everything but what `denies` (statements) refuses; its key.
async fn user_denied(s: &Server, name: &str, denies: &str) -> (String, String) {
    let root = s.root_iam();
    let key = user_with_key(&root, name).await;
    root.put_user_policy()
        .user_name(name)
        .policy_name("p")
        .policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Action":"*","Resource":"*"}},{denies}]}}"#
        ))
        .send()
        .await
        .unwrap();
    key
}

fn iam(s: &Server, key: &(String, String), params: &[(&str, &str)]) -> RawResponse {
    call_as(s, "iam", (&key.0, &key.1), params)
}

async fn user_tags(s: &Server, user: &str) -> Vec<String> {
    let out = s
        .root_iam()
        .list_user_tags()
        .user_name(user)
        .send()
        .await
        .unwrap();
    out.tags().iter().map(|t| t.key().to_string()).collect()
}

/// `aws:RequestTag/*` and `aws:TagKeys` come from the same `Tags` list the handler applies,
/// whatever the member numbers; `TagKeys` of Untag* likewise.
#[tokio::test]
async fn request_tags_and_tag_keys_at_any_index() {
    let s = Server::dev();
    let root = s.root_iam();
    root.create_user().user_name("bob").send().await.unwrap();
    let alice = user_denied(
        &s,
        "alice",
        r#"{"Effect":"Deny","Action":["iam:TagUser","iam:UntagUser"],"Resource":"*","Condition":{"ForAnyValue:StringEquals":{"aws:TagKeys":"admin"}}},
           {"Effect":"Deny","Action":"iam:TagUser","Resource":"*","Condition":{"StringEquals":{"aws:RequestTag/team":"red"}}}"#,
    )
    .await;
    let base = [("Action", "TagUser"), ("UserName", "bob")];
    for tags in [
        &[("Tags.member.3.Key", "admin"), ("Tags.member.3.Value", "x")][..],
        &[
            ("Tags.member.10.Key", "admin"),
            ("Tags.member.10.Value", "x"),
            ("Tags.member.2.Key", "ok"),
            ("Tags.member.2.Value", "y"),
        ],
        &[
            ("Tags.member.7.Key", "team"),
            ("Tags.member.7.Value", "red"),
        ],
    ] {
        let mut params = base.to_vec();
        params.extend_from_slice(tags);
        let r = iam(&s, &alice, &params);
        assert_error(&r, 403, "AccessDenied");
    }
    assert!(user_tags(&s, "bob").await.is_empty());
    // Lowercase member names are not the `Tags` list: neither side reads them.
    let r = iam(
        &s,
        &alice,
        &[
            ("Action", "TagUser"),
            ("UserName", "bob"),
            ("tags.member.1.Key", "admin"),
            ("tags.member.1.Value", "x"),
        ],
    );
    assert_ne!(r.status, 200, "{}", r.body);
    assert!(user_tags(&s, "bob").await.is_empty());

    // Untagging a protected key at member 5 only is refused, and the tag stays.
    root.tag_user()
        .user_name("bob")
        .tags(
            aws_sdk_iam::types::Tag::builder()
                .key("admin")
                .value("x")
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let r = iam(
        &s,
        &alice,
        &[
            ("Action", "UntagUser"),
            ("UserName", "bob"),
            ("TagKeys.member.5", "admin"),
        ],
    );
    assert_error(&r, 403, "AccessDenied");
    assert_eq!(user_tags(&s, "bob").await, ["admin"]);
}

/// A parameter given twice is read once, the same way by both sides: the policy attached, the
/// boundary set, the user acted on and the role passed are the ones authorization allowed.
#[tokio::test]
async fn a_parameter_given_twice_is_one_value_for_both() {
    let s = Server::dev();
    let root = s.root_iam();
    for user in ["bob", "admin"] {
        root.create_user().user_name(user).send().await.unwrap();
    }
    for role in ["plain", "secret"] {
        root.create_role()
            .role_name(role)
            .assume_role_policy_document(
                r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}}"#,
            )
            .send()
            .await
            .unwrap();
    }
    root.create_instance_profile()
        .instance_profile_name("web")
        .send()
        .await
        .unwrap();
    let alice = user_denied(
        &s,
        "alice",
        &format!(
            r#"{{"Effect":"Deny","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{{"ArnEquals":{{"iam:PolicyARN":"{ADMIN}"}}}}}},
               {{"Effect":"Deny","Action":"iam:CreateUser","Resource":"*","Condition":{{"StringNotEquals":{{"iam:PermissionsBoundary":"{READ_ONLY}"}}}}}},
               {{"Effect":"Deny","Action":"iam:DeleteUser","Resource":"{A}:user/admin"}},
               {{"Effect":"Deny","Action":"iam:PassRole","Resource":"{A}:role/secret"}}"#
        ),
    )
    .await;

    for arns in [[READ_ONLY, ADMIN], [ADMIN, READ_ONLY]] {
        let r = iam(
            &s,
            &alice,
            &[
                ("Action", "AttachUserPolicy"),
                ("UserName", "bob"),
                ("PolicyArn", arns[0]),
                ("PolicyArn", arns[1]),
            ],
        );
        let attached = root
            .list_attached_user_policies()
            .user_name("bob")
            .send()
            .await
            .unwrap();
        let admin = attached
            .attached_policies()
            .iter()
            .any(|p| p.policy_arn() == Some(ADMIN));
        assert!(!admin, "AdministratorAccess attached: {}", r.body);
    }

    for (name, boundaries) in [("u1", [READ_ONLY, ADMIN]), ("u2", [ADMIN, READ_ONLY])] {
        let r = iam(
            &s,
            &alice,
            &[
                ("Action", "CreateUser"),
                ("UserName", name),
                ("PermissionsBoundary", boundaries[0]),
                ("PermissionsBoundary", boundaries[1]),
            ],
        );
        if r.status == 200 {
            let u = root.get_user().user_name(name).send().await.unwrap();
            let boundary = u.user().and_then(|u| u.permissions_boundary());
            assert_eq!(
                boundary.and_then(|b| b.permissions_boundary_arn()),
                Some(READ_ONLY),
                "{}",
                r.body
            );
        } else {
            assert_error(&r, 403, "AccessDenied");
        }
    }

    for names in [["bob", "admin"], ["admin", "bob"]] {
        iam(
            &s,
            &alice,
            &[
                ("Action", "DeleteUser"),
                ("UserName", names[0]),
                ("UserName", names[1]),
            ],
        );
        assert!(root.get_user().user_name("admin").send().await.is_ok());
    }

    for roles in [["plain", "secret"], ["secret", "plain"]] {
        let r = iam(
            &s,
            &alice,
            &[
                ("Action", "AddRoleToInstanceProfile"),
                ("InstanceProfileName", "web"),
                ("RoleName", roles[0]),
                ("RoleName", roles[1]),
            ],
        );
        let p = root
            .get_instance_profile()
            .instance_profile_name("web")
            .send()
            .await
            .unwrap();
        let names: Vec<&str> = p
            .instance_profile()
            .map(|p| p.roles().iter().map(|r| r.role_name()).collect())
            .unwrap_or_default();
        assert!(!names.contains(&"secret"), "secret passed: {}", r.body);
        if r.status == 200 {
            root.remove_role_from_instance_profile()
                .instance_profile_name("web")
                .role_name("plain")
                .send()
                .await
                .unwrap();
        }
    }
}

/// The trust policy's `sts:*` keys come from the values the session is then made of.
#[tokio::test]
async fn assume_role_keys_are_the_sessions_values() {
    let s = Server::dev();
    let root = s.root_iam();
    let (key, secret) = user_with_key(&root, "alice").await;
    let me = format!("arn:aws:iam::{DEV_ACCOUNT}:user/alice");
    root.create_role()
        .role_name("r")
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[
                {{"Effect":"Allow","Principal":{{"AWS":"{me}"}},"Action":["sts:AssumeRole","sts:TagSession","sts:SetSourceIdentity"]}},
                {{"Effect":"Deny","Principal":{{"AWS":"{me}"}},"Action":"sts:TagSession","Condition":{{"Null":{{"sts:TransitiveTagKeys":"false"}}}}}},
                {{"Effect":"Deny","Principal":{{"AWS":"{me}"}},"Action":"sts:AssumeRole","Condition":{{"StringNotEquals":{{"sts:RoleSessionName":"alice"}}}}}},
                {{"Effect":"Deny","Principal":{{"AWS":"{me}"}},"Action":"sts:SetSourceIdentity","Condition":{{"StringNotEquals":{{"sts:SourceIdentity":"alice"}}}}}}]}}"#
        ))
        .send()
        .await
        .unwrap();
    let role = format!("{A}:role/r");
    let sts = |params: &[(&str, &str)]| {
        let mut all = vec![("Action", "AssumeRole"), ("RoleArn", role.as_str())];
        all.extend_from_slice(params);
        call_as(&s, "sts", (&key, &secret), &all)
    };
    // Transitive tag keys at a gap are still transitive keys.
    let r = sts(&[
        ("RoleSessionName", "alice"),
        ("Tags.member.2.Key", "team"),
        ("Tags.member.2.Value", "x"),
        ("TransitiveTagKeys.member.4", "team"),
    ]);
    assert_error(&r, 403, "AccessDenied");
    let r = sts(&[
        ("RoleSessionName", "alice"),
        ("Tags.member.2.Key", "team"),
        ("Tags.member.2.Value", "x"),
    ]);
    assert_eq!(r.status, 200, "{}", r.body);

    // The session is named, and its source identity set, by the value the trust policy saw.
    for names in [["alice", "mallory"], ["mallory", "alice"]] {
        let r = sts(&[("RoleSessionName", names[0]), ("RoleSessionName", names[1])]);
        if r.status == 200 {
            assert!(r.body.contains(":assumed-role/r/alice</Arn>"), "{}", r.body);
        } else {
            assert_error(&r, 403, "AccessDenied");
        }
        let r = sts(&[
            ("RoleSessionName", "alice"),
            ("SourceIdentity", names[0]),
            ("SourceIdentity", names[1]),
        ]);
        if r.status == 200 {
            assert!(
                r.body.contains("<SourceIdentity>alice</SourceIdentity>"),
                "{}",
                r.body
            );
        } else {
            assert_error(&r, 403, "AccessDenied");
        }
    }

    // A `TokenCode` without its `SerialNumber` (or in another case) is not an MFA the trust
    // policy sees: the request is refused as an MFA failure, not allowed without one.
    for mfa in [
        &[("TokenCode", "123456")][..],
        &[
            ("SerialNumber", "arn:aws:iam::123456789012:mfa/alice"),
            ("tokencode", "123456"),
        ],
    ] {
        let mut params = vec![("RoleSessionName", "alice")];
        params.extend_from_slice(mfa);
        let r = sts(&params);
        assert_error(&r, 403, "AccessDenied");
        assert!(
            r.body.contains("MultiFactorAuthentication failed"),
            "{}",
            r.body
        );
    }
}
