//! CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers and user tags through aws-sdk-iam.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};
use aws_sdk_iam::types::Tag;

fn tag(k: &str, v: &str) -> Tag {
    Tag::builder().key(k).value(v).build().unwrap()
}

#[tokio::test]
async fn user_lifecycle() {
    let s = Server::dev();
    let iam = s.root_iam();
    let created = iam
        .create_user()
        .user_name("alice")
        .path("/eng/")
        .tags(tag("team", "blue"))
        .send()
        .await
        .unwrap();
    let u = created.user().unwrap();
    assert_eq!(u.user_name(), "alice");
    assert_eq!(u.path(), "/eng/");
    assert_eq!(
        u.arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:user/eng/alice")
    );
    assert!(
        u.user_id().starts_with("AIDA") && u.user_id().len() == 21,
        "{}",
        u.user_id()
    );
    assert_eq!(u.tags().len(), 1);

    let got = iam.get_user().user_name("alice").send().await.unwrap();
    let g = got.user().unwrap();
    assert_eq!(g.user_id(), u.user_id());
    assert_eq!(g.tags()[0].key(), "team");

    // Names are unique ignoring case, and lookups ignore case.
    assert_eq!(
        err_code(iam.create_user().user_name("ALICE").send().await),
        ("EntityAlreadyExists".into(), 409)
    );
    assert_eq!(
        iam.get_user()
            .user_name("Alice")
            .send()
            .await
            .unwrap()
            .user()
            .unwrap()
            .user_name(),
        "alice"
    );

    iam.update_user()
        .user_name("alice")
        .new_user_name("alice2")
        .new_path("/ops/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.get_user().user_name("alice").send().await),
        ("NoSuchEntity".into(), 404)
    );
    let moved = iam.get_user().user_name("alice2").send().await.unwrap();
    assert_eq!(
        moved.user().unwrap().arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:user/ops/alice2")
    );
    assert_eq!(
        moved.user().unwrap().user_id(),
        u.user_id(),
        "renaming keeps the id"
    );

    iam.create_user().user_name("bob").send().await.unwrap();
    assert_eq!(
        err_code(
            iam.update_user()
                .user_name("bob")
                .new_user_name("Alice2")
                .send()
                .await
        ),
        ("EntityAlreadyExists".into(), 409)
    );
    assert_eq!(
        err_code(
            iam.update_user()
                .user_name("nobody")
                .new_path("/x/")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );

    iam.delete_user().user_name("alice2").send().await.unwrap();
    assert_eq!(
        err_code(iam.delete_user().user_name("alice2").send().await),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_message(iam.get_user().user_name("alice2").send().await),
        "The user with name alice2 cannot be found."
    );
}

#[tokio::test]
async fn get_user_without_name_is_the_caller() {
    let s = Server::dev();
    let out = s.root_iam().get_user().send().await.unwrap();
    let u = out.user().unwrap();
    assert_eq!(u.arn(), format!("arn:aws:iam::{DEV_ACCOUNT}:root"));
    assert_eq!(u.user_id(), DEV_ACCOUNT);
}

#[tokio::test]
async fn list_users_paginates_and_filters_by_path() {
    let s = Server::dev();
    let iam = s.root_iam();
    for (i, path) in ["/", "/eng/", "/eng/web/", "/ops/", "/", "/eng/"]
        .iter()
        .enumerate()
    {
        iam.create_user()
            .user_name(format!("u{i}"))
            .path(*path)
            .send()
            .await
            .unwrap();
    }
    let mut names = Vec::new();
    let mut marker: Option<String> = None;
    let mut pages = 0;
    loop {
        let page = iam
            .list_users()
            .max_items(4)
            .set_marker(marker.clone())
            .send()
            .await
            .unwrap();
        pages += 1;
        names.extend(page.users().iter().map(|u| u.user_name().to_string()));
        if !page.is_truncated() {
            assert!(page.marker().is_none());
            break;
        }
        marker = page.marker().map(str::to_string);
        assert!(marker.is_some(), "truncated pages carry a marker");
    }
    assert_eq!(pages, 2);
    assert_eq!(names, ["u0", "u1", "u2", "u3", "u4", "u5"]);
    let eng = iam.list_users().path_prefix("/eng/").send().await.unwrap();
    let mut eng_names: Vec<_> = eng.users().iter().map(|u| u.user_name()).collect();
    eng_names.sort();
    assert_eq!(eng_names, ["u1", "u2", "u5"]);
    assert!(!eng.is_truncated());
    // The SDK paginator follows markers too.
    let all: Vec<_> = iam
        .list_users()
        .max_items(1)
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(all.len(), 6);
    assert_eq!(
        err_code(iam.list_users().max_items(0).send().await),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(iam.list_users().max_items(1001).send().await),
        ("ValidationError".into(), 400)
    );
}

#[tokio::test]
async fn names_and_paths_are_validated_like_aws() {
    let s = Server::dev();
    let iam = s.root_iam();
    let long = "a".repeat(65);
    assert_eq!(
        err_code(iam.create_user().user_name(&long).send().await),
        ("ValidationError".into(), 400)
    );
    assert!(
        err_message(iam.create_user().user_name(&long).send().await)
            .contains("Member must have length less than or equal to 64")
    );
    iam.create_user()
        .user_name("a".repeat(64))
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.create_user().user_name("bad name").send().await),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_message(iam.create_user().user_name("bad/name").send().await),
        "1 validation error detected: Value 'bad/name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
    );
    assert_eq!(
        err_code(
            iam.create_user()
                .user_name("ok")
                .path("no-slashes")
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    iam.create_user()
        .user_name("a+b=c,d.e@f-g_h")
        .path("/x/y/")
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn user_tags() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("t").send().await.unwrap();
    iam.tag_user()
        .user_name("t")
        .tags(tag("Dept", "1"))
        .tags(tag("env", "dev"))
        .send()
        .await
        .unwrap();
    iam.tag_user()
        .user_name("t")
        .tags(tag("dept", "2"))
        .send()
        .await
        .unwrap();
    let tags = iam.list_user_tags().user_name("t").send().await.unwrap();
    let pairs: Vec<_> = tags.tags().iter().map(|t| (t.key(), t.value())).collect();
    assert_eq!(
        pairs,
        [("dept", "2"), ("env", "dev")],
        "tag keys of users compare ignoring case"
    );
    assert!(!tags.is_truncated());
    iam.untag_user()
        .user_name("t")
        .tag_keys("ENV")
        .send()
        .await
        .unwrap();
    assert_eq!(
        iam.list_user_tags()
            .user_name("t")
            .send()
            .await
            .unwrap()
            .tags()
            .len(),
        1
    );

    assert_eq!(
        err_code(
            iam.tag_user()
                .user_name("t")
                .tags(tag("aws:reserved", "x"))
                .send()
                .await
        ),
        ("InvalidInput".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.tag_user()
                .user_name("t")
                .tags(tag("bad!key", "x"))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    assert_eq!(
        err_code(
            iam.tag_user()
                .user_name("nobody")
                .tags(tag("k", "v"))
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    let many: Vec<Tag> = (0..50).map(|i| tag(&format!("k{i}"), "v")).collect();
    assert_eq!(
        err_code(
            iam.tag_user()
                .user_name("t")
                .set_tags(Some(many.clone()))
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    assert_eq!(
        iam.list_user_tags()
            .user_name("t")
            .send()
            .await
            .unwrap()
            .tags()
            .len(),
        1,
        "a refused TagUser changes nothing"
    );
    let fifty_one: Vec<Tag> = (0..51).map(|i| tag(&format!("k{i}"), "v")).collect();
    assert_eq!(
        err_code(
            iam.create_user()
                .user_name("t51")
                .set_tags(Some(fifty_one))
                .send()
                .await
        ),
        ("ValidationError".into(), 400)
    );
    iam.create_user()
        .user_name("t50")
        .set_tags(Some(many))
        .send()
        .await
        .unwrap();
    let page = iam
        .list_user_tags()
        .user_name("t50")
        .max_items(20)
        .send()
        .await
        .unwrap();
    assert_eq!(page.tags().len(), 20);
    assert!(page.is_truncated());
}

#[tokio::test]
async fn delete_user_conflicts_while_keys_remain() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("k").send().await.unwrap();
    let key = iam.create_access_key().user_name("k").send().await.unwrap();
    let id = key.access_key().unwrap().access_key_id().to_string();
    assert_eq!(
        err_code(iam.delete_user().user_name("k").send().await),
        ("DeleteConflict".into(), 409)
    );
    iam.delete_access_key()
        .user_name("k")
        .access_key_id(&id)
        .send()
        .await
        .unwrap();
    iam.delete_user().user_name("k").send().await.unwrap();
}

#[tokio::test]
async fn concurrent_creates_of_one_name_yield_exactly_one_user() {
    let s = Server::dev();
    let iam = s.root_iam();
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let iam = iam.clone();
            let name = if i % 2 == 0 { "Racer" } else { "racer" };
            tokio::spawn(async move { iam.create_user().user_name(name).send().await.is_ok() })
        })
        .collect();
    let mut ok = 0;
    for t in tasks {
        ok += usize::from(t.await.unwrap());
    }
    assert_eq!(ok, 1);
    assert_eq!(iam.list_users().send().await.unwrap().users().len(), 1);
}
