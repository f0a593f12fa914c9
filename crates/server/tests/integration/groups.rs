//! Groups and membership through aws-sdk-iam.

use crate::common::{DEV_ACCOUNT, Server, err_code, err_message};

#[tokio::test]
async fn group_lifecycle_and_membership() {
    let s = Server::dev();
    let iam = s.root_iam();
    let g = iam
        .create_group()
        .group_name("Developers")
        .path("/eng/")
        .send()
        .await
        .unwrap();
    let g = g.group().unwrap();
    assert_eq!(
        g.arn(),
        format!("arn:aws:iam::{DEV_ACCOUNT}:group/eng/Developers")
    );
    assert!(g.group_id().starts_with("AGPA") && g.group_id().len() == 21);
    assert_eq!(
        err_code(iam.create_group().group_name("developers").send().await),
        ("EntityAlreadyExists".into(), 409)
    );
    assert_eq!(
        err_code(iam.create_group().group_name("bad group").send().await),
        ("ValidationError".into(), 400)
    );

    for u in ["ann", "ben", "cat"] {
        iam.create_user().user_name(u).send().await.unwrap();
        iam.add_user_to_group()
            .group_name("Developers")
            .user_name(u)
            .send()
            .await
            .unwrap();
    }
    iam.add_user_to_group()
        .group_name("developers")
        .user_name("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(
            iam.add_user_to_group()
                .group_name("Developers")
                .user_name("nobody")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    assert_eq!(
        err_code(
            iam.add_user_to_group()
                .group_name("Nope")
                .user_name("ann")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );

    let page = iam
        .get_group()
        .group_name("Developers")
        .max_items(2)
        .send()
        .await
        .unwrap();
    assert_eq!(page.group().unwrap().group_name(), "Developers");
    assert_eq!(
        page.users()
            .iter()
            .map(|u| u.user_name())
            .collect::<Vec<_>>(),
        ["ann", "ben"]
    );
    assert!(page.is_truncated());
    let rest = iam
        .get_group()
        .group_name("Developers")
        .marker(page.marker().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(
        rest.users()
            .iter()
            .map(|u| u.user_name())
            .collect::<Vec<_>>(),
        ["cat"]
    );
    assert!(!rest.is_truncated());

    let of_ann = iam
        .list_groups_for_user()
        .user_name("ann")
        .send()
        .await
        .unwrap();
    assert_eq!(
        of_ann
            .groups()
            .iter()
            .map(|g| g.group_name())
            .collect::<Vec<_>>(),
        ["Developers"]
    );
    assert_eq!(
        err_code(iam.delete_user().user_name("ann").send().await),
        ("DeleteConflict".into(), 409)
    );
    assert_eq!(
        err_code(iam.delete_group().group_name("Developers").send().await),
        ("DeleteConflict".into(), 409)
    );
    assert_eq!(
        err_message(iam.delete_group().group_name("Developers").send().await),
        "Cannot delete entity, must remove users from group first."
    );

    iam.update_group()
        .group_name("Developers")
        .new_group_name("Devs")
        .new_path("/team/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        err_code(iam.get_group().group_name("Developers").send().await),
        ("NoSuchEntity".into(), 404)
    );
    let listed = iam
        .list_groups()
        .path_prefix("/team/")
        .send()
        .await
        .unwrap();
    assert_eq!(
        listed.groups().iter().map(|g| g.arn()).collect::<Vec<_>>(),
        [format!("arn:aws:iam::{DEV_ACCOUNT}:group/team/Devs")]
    );
    assert!(
        iam.list_groups()
            .path_prefix("/eng/")
            .send()
            .await
            .unwrap()
            .groups()
            .is_empty()
    );

    for u in ["ann", "ben", "cat"] {
        iam.remove_user_from_group()
            .group_name("Devs")
            .user_name(u)
            .send()
            .await
            .unwrap();
    }
    // Removing a user who is no longer a member succeeds, as in AWS.
    iam.remove_user_from_group()
        .group_name("Devs")
        .user_name("ann")
        .send()
        .await
        .unwrap();
    // A user or group that does not exist is still NoSuchEntity.
    assert_eq!(
        err_code(
            iam.remove_user_from_group()
                .group_name("Devs")
                .user_name("nobody")
                .send()
                .await
        ),
        ("NoSuchEntity".into(), 404)
    );
    iam.delete_user().user_name("ann").send().await.unwrap();
    iam.delete_group().group_name("Devs").send().await.unwrap();
    assert!(iam.list_groups().send().await.unwrap().groups().is_empty());
}

#[tokio::test]
async fn a_user_joins_at_most_ten_groups() {
    let s = Server::dev();
    let iam = s.root_iam();
    iam.create_user().user_name("joiner").send().await.unwrap();
    for i in 0..11 {
        iam.create_group()
            .group_name(format!("g{i:02}"))
            .send()
            .await
            .unwrap();
    }
    for i in 0..10 {
        iam.add_user_to_group()
            .group_name(format!("g{i:02}"))
            .user_name("joiner")
            .send()
            .await
            .unwrap();
    }
    assert_eq!(
        err_code(
            iam.add_user_to_group()
                .group_name("g10")
                .user_name("joiner")
                .send()
                .await
        ),
        ("LimitExceeded".into(), 409)
    );
    assert_eq!(
        err_message(
            iam.add_user_to_group()
                .group_name("g10")
                .user_name("joiner")
                .send()
                .await
        ),
        "Cannot exceed quota for GroupsPerUser: 10"
    );
    let all: Vec<_> = iam
        .list_groups_for_user()
        .user_name("joiner")
        .max_items(3)
        .into_paginator()
        .items()
        .send()
        .collect::<Vec<_>>()
        .await;
    assert_eq!(all.len(), 10);
}
