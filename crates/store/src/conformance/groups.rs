//! Conformance cases for groups: names unique ignoring case, counts for the quotas (which core
//! checks), membership, paging, renaming, and the dependents that core's deletion rules read.

use super::{
    ACCT, dependents, group, put_group, put_user, remove_group, remove_user, setup, tx, user,
};
use chrono::Utc;
use portcullis_core::{Store, StoreError};

fn groups_membership_counts_and_dependents(s: &dyn Store) {
    setup(s);
    let (a, b) = (user("a", "/"), user("b", "/"));
    put_user(s, &a, &[]);
    put_user(s, &b, &[]);
    let (g1, g2, g3) = (group("Dev", "/"), group("ops", "/x/"), group("qa", "/"));
    put_group(s, &g1);
    let mut dup = group("dev", "/");
    dup.id = "AGPAOTHER".into();
    assert_eq!(
        tx(s, |t| t.insert_group(&dup)),
        Err(StoreError::AlreadyExists)
    );
    put_group(s, &g2);
    put_group(s, &g3);
    assert_eq!(tx(s, |t| t.count_groups(ACCT)), Ok(3));
    assert_eq!(
        tx(s, |t| t.group(ACCT, "DEV")).unwrap().map(|g| g.id),
        Some(g1.id.clone())
    );
    let now = Utc::now();
    tx(s, |t| t.insert_member(&g1.id, &a.id, now)).unwrap();
    assert_eq!(
        tx(s, |t| t.insert_member(&g1.id, &a.id, now)),
        Err(StoreError::AlreadyExists),
        "core asks is_member first"
    );
    tx(s, |t| t.insert_member(&g2.id, &a.id, now)).unwrap();
    tx(s, |t| t.insert_member(&g1.id, &b.id, now)).unwrap();
    assert_eq!(tx(s, |t| t.is_member(&g1.id, &a.id)), Ok(true));
    assert_eq!(tx(s, |t| t.is_member(&g3.id, &a.id)), Ok(false));
    assert_eq!(tx(s, |t| t.count_memberships(&a.id)), Ok(2));
    let members = s.list_group_members(ACCT, &g1.id, None, 1).unwrap();
    assert_eq!(
        members
            .items
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["a"]
    );
    let rest = s
        .list_group_members(ACCT, &g1.id, members.next_marker.as_deref(), 1)
        .unwrap();
    assert_eq!(
        rest.items
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
    assert_eq!(rest.next_marker, None);
    let of_a = s.list_groups_for_user(ACCT, &a.id, None, 10).unwrap();
    assert_eq!(
        of_a.items
            .iter()
            .map(|g| g.name.as_str())
            .collect::<Vec<_>>(),
        ["Dev", "ops"]
    );
    assert_eq!(dependents(s, &g1.id).group_members, 2);
    assert_eq!(dependents(s, &a.id).group_memberships, 2);
    tx(s, |t| t.remove_user_from_group(ACCT, &g1.id, &a.id)).unwrap();
    assert_eq!(
        tx(s, |t| t.remove_user_from_group(ACCT, &g1.id, &a.id)),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.remove_user_from_group(ACCT, &g2.id, &a.id)).unwrap();
    remove_user(s, &a.id);
    tx(s, |t| t.remove_user_from_group(ACCT, &g1.id, &b.id)).unwrap();
    let mut renamed = g1.clone();
    renamed.name = "Devs".into();
    renamed.path = "/d/".into();
    tx(s, |t| t.save_group(&renamed)).unwrap();
    assert_eq!(
        s.get_group(ACCT, "devs").unwrap().map(|g| g.arn()),
        Some(format!("arn:aws:iam::{ACCT}:group/d/Devs"))
    );
    renamed.name = "OPS".into();
    assert_eq!(
        tx(s, |t| t.save_group(&renamed)),
        Err(StoreError::AlreadyExists)
    );
    let x = s.list_groups(ACCT, "/x/", None, 10).unwrap();
    assert_eq!(x.items.len(), 1);
    remove_group(s, &g1.id);
    assert_eq!(s.get_group(ACCT, "devs").unwrap(), None);
}

cases![groups_membership_counts_and_dependents];
