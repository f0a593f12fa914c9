//! Core's IAM rules (`portcullis_core::iam`) run through the `Tx` seam on each engine: the
//! names taken, the quotas and the deletion conflicts that moved out of the engine, each checked
//! with AWS's wording, plus the atomicity the seam promises (a refused service writes nothing,
//! and concurrent creations cannot both pass a quota).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::Utc;
use portcullis_core::error::{Dependent, EntityKind};
use portcullis_core::iam::{
    access_keys, account, groups, instance_profiles, policies, roles, tags, users,
};
use portcullis_core::quotas::{Quota, Quotas};
use portcullis_core::store::{Rename, write};
use portcullis_core::{AccessKey, Account, IamError, InstanceProfile, KeyStatus, Role, Store, Tag};

mod common;
use common::ACCT;

fn quotas(max: usize) -> Quotas {
    Quotas {
        users_per_account: max,
        groups_per_account: max,
        roles_per_account: max,
        groups_per_user: max,
        ..Quotas::default()
    }
}

fn new_user(name: &str) -> users::NewUser {
    users::NewUser {
        account: ACCT.into(),
        name: name.into(),
        path: "/".into(),
        ..users::NewUser::default()
    }
}

fn create_user(s: &dyn Store, name: &str, q: &Quotas) -> Result<portcullis_core::User, IamError> {
    let input = new_user(name);
    write(s, |tx| users::create(tx, &input, Utc::now(), q))
}

fn role(name: &str, path: &str) -> Role {
    Role {
        account: ACCT.into(),
        id: format!("AROA{}", name.to_uppercase()),
        name: name.into(),
        path: path.into(),
        created: Utc::now(),
        assume_role_policy: "{}".into(),
        description: None,
        max_session_duration: 3600,
        permissions_boundary: None,
        last_used: None,
    }
}

fn create_user_refuses_a_taken_name_and_the_quota(s: &dyn Store) {
    let q = quotas(2);
    let alice = create_user(s, "Alice", &q).unwrap();
    assert!(alice.id.starts_with("AIDA"));
    let err = create_user(s, "alice", &q).unwrap_err();
    assert_eq!(err.to_string(), "User with name alice already exists.");
    create_user(s, "bob", &q).unwrap();
    let err = create_user(s, "carol", &q).unwrap_err();
    assert_eq!(
        err,
        IamError::LimitExceeded {
            quota: Quota::UsersPerAccount,
            max: 2
        }
    );
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for UsersPerAccount: 2"
    );
    assert_eq!(s.get_user(ACCT, "carol").unwrap(), None);
}

fn create_user_stores_its_tags(s: &dyn Store) {
    let mut input = new_user("a");
    input.tags = vec![Tag {
        key: "k".into(),
        value: "v".into(),
    }];
    let u = write(s, |tx| {
        users::create(tx, &input, Utc::now(), &Quotas::default())
    })
    .unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), input.tags);
}

fn update_user_names_the_missing_and_the_taken(s: &dyn Store) {
    let q = Quotas::default();
    create_user(s, "a", &q).unwrap();
    create_user(s, "b", &q).unwrap();
    let to = |n: &str| Rename {
        new_name: Some(n.into()),
        new_path: None,
    };
    let err = write(s, |tx| users::update(tx, ACCT, "a", &to("B"))).unwrap_err();
    assert_eq!(err.to_string(), "User with name B already exists.");
    let err = write(s, |tx| users::update(tx, ACCT, "zz", &to("y"))).unwrap_err();
    assert_eq!(err.to_string(), "The user with name zz cannot be found.");
    let u = write(s, |tx| users::update(tx, ACCT, "a", &to("A"))).unwrap();
    assert_eq!(u.name, "A", "a change of case only is allowed");
}

fn delete_user_refuses_while_keys_or_groups_remain(s: &dyn Store) {
    let q = Quotas::default();
    let u = create_user(s, "a", &q).unwrap();
    let key = |id: &str| AccessKey {
        id: id.into(),
        account: ACCT.into(),
        user_id: Some(u.id.clone()),
        status: KeyStatus::Active,
        sealed_secret: vec![1],
        created: Utc::now(),
        last_used: None,
    };
    let one = Quotas {
        access_keys_per_user: 1,
        ..q
    };
    write(s, |tx| access_keys::create(tx, &key("AKIA1"), &one)).unwrap();
    let err = write(s, |tx| access_keys::create(tx, &key("AKIA2"), &one)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for AccessKeysPerUser: 1"
    );
    write(s, |tx| groups::create(tx, ACCT, "g", "/", Utc::now(), &q)).unwrap();
    write(s, |tx| groups::add_user(tx, ACCT, "g", "a", Utc::now(), &q)).unwrap();
    let err = write(s, |tx| users::delete(tx, ACCT, "a")).unwrap_err();
    assert_eq!(err, IamError::DeleteConflict(Dependent::AccessKeys));
    assert_eq!(
        err.to_string(),
        "Cannot delete entity, must delete access keys first."
    );
    write(s, |tx| access_keys::delete(tx, ACCT, Some(&u.id), "AKIA1")).unwrap();
    let err = write(s, |tx| users::delete(tx, ACCT, "a")).unwrap_err();
    assert_eq!(err, IamError::DeleteConflict(Dependent::GroupMemberships));
    write(s, |tx| groups::remove_user(tx, ACCT, "g", "a")).unwrap();
    write(s, |tx| users::delete(tx, ACCT, "a")).unwrap();
    assert_eq!(s.get_user(ACCT, "a").unwrap(), None);
    let err = write(s, |tx| users::delete(tx, ACCT, "a")).unwrap_err();
    assert_eq!(err, IamError::no_such(EntityKind::User, "a"));
}

fn groups_quota_membership_quota_and_delete_conflicts(s: &dyn Store) {
    let q = quotas(1);
    let now = Utc::now();
    write(s, |tx| groups::create(tx, ACCT, "g", "/", now, &q)).unwrap();
    let err = write(s, |tx| groups::create(tx, ACCT, "G", "/", now, &q)).unwrap_err();
    assert_eq!(err.to_string(), "Group with name G already exists.");
    let err = write(s, |tx| groups::create(tx, ACCT, "h", "/", now, &q)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for GroupsPerAccount: 1"
    );
    let wide = quotas(10);
    write(s, |tx| groups::create(tx, ACCT, "h", "/", now, &wide)).unwrap();
    create_user(s, "u", &wide).unwrap();
    write(s, |tx| groups::add_user(tx, ACCT, "g", "u", now, &q)).unwrap();
    write(s, |tx| groups::add_user(tx, ACCT, "g", "u", now, &q))
        .expect("adding a member twice is not an error, even at the quota");
    let err = write(s, |tx| groups::add_user(tx, ACCT, "h", "u", now, &q)).unwrap_err();
    assert_eq!(err.to_string(), "Cannot exceed quota for GroupsPerUser: 1");
    let err = write(s, |tx| groups::add_user(tx, ACCT, "nope", "u", now, &q)).unwrap_err();
    assert_eq!(err.to_string(), "The group with name nope cannot be found.");
    let err = write(s, |tx| groups::add_user(tx, ACCT, "g", "nope", now, &q)).unwrap_err();
    assert_eq!(err.to_string(), "The user with name nope cannot be found.");

    let err = write(s, |tx| groups::delete(tx, ACCT, "g")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot delete entity, must remove users from group first."
    );
    let g = s.get_group(ACCT, "g").unwrap().unwrap();
    write(s, |tx| {
        portcullis_core::iam::policies::put_inline(tx, &g.id, "p", "{}", 2, 100)
    })
    .unwrap();
    let err = write(s, |tx| groups::delete(tx, ACCT, "g")).unwrap_err();
    assert_eq!(
        err,
        IamError::DeleteConflict(Dependent::InlinePolicies),
        "policies are checked before members"
    );
    write(s, |tx| policies::delete_inline(tx, &g.id, &g.name, "p")).unwrap();
    let remove =
        |group: &str, user: &str| write(s, |tx| groups::remove_user(tx, ACCT, group, user));
    remove("g", "u").unwrap();
    remove("g", "u").expect("removing a user who is not a member is not an error");
    let err = remove("nope", "nobody").unwrap_err();
    assert_eq!(
        err.to_string(),
        "The group with name nope cannot be found.",
        "the group is looked for first"
    );
    let err = remove("g", "nobody").unwrap_err();
    assert_eq!(
        err.to_string(),
        "The user with name nobody cannot be found."
    );
    write(s, |tx| groups::delete(tx, ACCT, "g")).unwrap();
    assert_eq!(s.get_group(ACCT, "g").unwrap(), None);
}

fn roles_path_quota_and_service_linked_names(s: &dyn Store) {
    let q = quotas(1);
    let err = write(s, |tx| {
        roles::create(tx, &role("r", "/aws-service-role/x/"), &[], &q)
    })
    .unwrap_err();
    assert!(matches!(err, IamError::InvalidInput(_)));
    write(s, |tx| roles::create(tx, &role("r", "/"), &[], &q)).unwrap();
    let err = write(s, |tx| roles::create(tx, &role("R", "/"), &[], &q)).unwrap_err();
    assert_eq!(err.to_string(), "Role with name R already exists.");
    let err = write(s, |tx| roles::create(tx, &role("s", "/"), &[], &q)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for RolesPerAccount: 1"
    );
    let err = write(s, |tx| {
        roles::create_service_linked(tx, &role("r", "/aws-service-role/x/"), &quotas(5))
    })
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Service role name r has been taken in this account, please try a different suffix."
    );
}

fn delete_role_refuses_while_policies_or_profiles_remain(s: &dyn Store) {
    let q = Quotas::default();
    let r = role("r", "/aws-service-role/x/");
    write(s, |tx| roles::create_service_linked(tx, &r, &q)).unwrap();
    write(s, |tx| {
        portcullis_core::iam::policies::put_inline(tx, &r.id, "p", "{}", 2, 100)
    })
    .unwrap();
    let err = write(s, |tx| roles::delete(tx, ACCT, "r")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot delete entity, must detach all policies first."
    );
    write(s, |tx| policies::delete_inline(tx, &r.id, &r.name, "p")).unwrap();
    let p = InstanceProfile {
        account: ACCT.into(),
        id: "AIPAP".into(),
        name: "p".into(),
        path: "/".into(),
        created: Utc::now(),
    };
    write(s, |tx| instance_profiles::create(tx, &p, &[])).unwrap();
    write(s, |tx| {
        instance_profiles::add_role(tx, ACCT, &p.name, &r.name, Utc::now())
    })
    .unwrap();
    let task = "task/1";
    let err = write(s, |tx| {
        roles::delete_service_linked(tx, ACCT, "r", task, Utc::now())
    })
    .unwrap_err();
    assert_eq!(
        err,
        IamError::DeleteConflict(Dependent::InstanceProfileRoles)
    );
    assert!(
        !s.service_role_deletion_exists(ACCT, task).unwrap(),
        "a refused deletion records no task"
    );
    write(s, |tx| {
        instance_profiles::remove_role(tx, ACCT, &p.name, &r.name)
    })
    .unwrap();
    write(s, |tx| {
        roles::delete_service_linked(tx, ACCT, "R", task, Utc::now())
    })
    .unwrap();
    assert!(s.service_role_deletion_exists(ACCT, task).unwrap());
    assert_eq!(s.get_role(ACCT, "r").unwrap(), None);
}

fn concurrent_creations_cannot_both_pass_the_quota(s: &dyn Store) {
    let q = quotas(3);
    let created = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|i| {
                let (s, q) = (s, &q);
                scope.spawn(move || create_user(s, &format!("u{i}"), q).is_ok())
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join())
            .filter(|r| matches!(r, Ok(true)))
            .count()
    });
    assert_eq!(created, 3);
    assert_eq!(s.list_users(ACCT, "/", None, 100).unwrap().items.len(), 3);
}

fn tagging_stops_at_fifty_and_a_refusal_changes_nothing(s: &dyn Store) {
    let u = create_user(s, "a", &Quotas::default()).unwrap();
    let tag = |k: String| Tag {
        key: k,
        value: "v".into(),
    };
    let fifty: Vec<Tag> = (0..50).map(|i| tag(format!("k{i}"))).collect();
    write(s, |tx| tags::tag(tx, &u.id, &fifty, true)).unwrap();
    write(s, |tx| tags::tag(tx, &u.id, &[tag("K0".into())], true))
        .expect("replacing a tag (keys ignore case for users) adds none");
    let err = write(s, |tx| tags::tag(tx, &u.id, &[tag("k50".into())], true)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The number of tags has reached the maximum limit."
    );
    assert_eq!(s.tags(&u.id).unwrap().len(), 50);
}

fn an_alias_belongs_to_one_account_and_an_account_has_one(s: &dyn Store) {
    s.create_account(&Account {
        id: "444455556666".into(),
        created: Utc::now(),
    })
    .unwrap();
    let alias =
        |account: &str, alias: &str| write(s, |tx| account::create_alias(tx, account, alias));
    alias(ACCT, "acme").unwrap();
    alias(ACCT, "acme").expect("the same alias again is not an error");
    let err = alias(ACCT, "other").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for AccountAliasesPerAccount: 1"
    );
    let err = alias("444455556666", "acme").unwrap_err();
    assert_eq!(err.to_string(), "The account alias acme already exists.");
}

engines![
    create_user_refuses_a_taken_name_and_the_quota,
    create_user_stores_its_tags,
    update_user_names_the_missing_and_the_taken,
    delete_user_refuses_while_keys_or_groups_remain,
    groups_quota_membership_quota_and_delete_conflicts,
    roles_path_quota_and_service_linked_names,
    delete_role_refuses_while_policies_or_profiles_remain,
    concurrent_creations_cannot_both_pass_the_quota,
    tagging_stops_at_fifty_and_a_refusal_changes_nothing,
    an_alias_belongs_to_one_account_and_an_account_has_one,
];
