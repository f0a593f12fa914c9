//! Conformance cases for groups: names, the quotas, membership, paging, renaming and the
//! conflicts that block deleting a group or a member.

use super::{ACCT, group, setup, user};
use portcullis_core::store::Rename;
use portcullis_core::{Store, StoreError};

fn groups_membership_quotas_and_conflicts(s: &dyn Store) {
    setup(s);
    let (a, b) = (user("a", "/"), user("b", "/"));
    s.create_user(&a, &[], 10).unwrap();
    s.create_user(&b, &[], 10).unwrap();
    let (g1, g2, g3) = (group("Dev", "/"), group("ops", "/x/"), group("qa", "/"));
    s.create_group(&g1, 3).unwrap();
    assert_eq!(
        s.create_group(&group("dev", "/"), 3),
        Err(StoreError::AlreadyExists)
    );
    s.create_group(&g2, 3).unwrap();
    s.create_group(&g3, 3).unwrap();
    assert_eq!(
        s.create_group(&group("four", "/"), 3),
        Err(StoreError::LimitExceeded)
    );
    s.add_user_to_group(ACCT, &g1.id, &a.id, 2).unwrap();
    s.add_user_to_group(ACCT, &g1.id, &a.id, 2).unwrap();
    s.add_user_to_group(ACCT, &g2.id, &a.id, 2).unwrap();
    assert_eq!(
        s.add_user_to_group(ACCT, &g3.id, &a.id, 2),
        Err(StoreError::LimitExceeded)
    );
    s.add_user_to_group(ACCT, &g1.id, &b.id, 2).unwrap();
    assert_eq!(
        s.add_user_to_group(ACCT, "AGPANOPE", &b.id, 2),
        Err(StoreError::NotFound)
    );
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
    assert!(matches!(
        s.delete_group(ACCT, "dev"),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.remove_user_from_group(ACCT, &g1.id, &a.id).unwrap();
    assert_eq!(
        s.remove_user_from_group(ACCT, &g1.id, &a.id),
        Err(StoreError::NotFound)
    );
    s.remove_user_from_group(ACCT, &g2.id, &a.id).unwrap();
    s.delete_user(ACCT, "a").unwrap();
    s.remove_user_from_group(ACCT, &g1.id, &b.id).unwrap();
    let renamed = s
        .update_group(
            ACCT,
            "DEV",
            &Rename {
                new_name: Some("Devs".into()),
                new_path: Some("/d/".into()),
            },
        )
        .unwrap();
    assert_eq!(renamed.arn(), format!("arn:aws:iam::{ACCT}:group/d/Devs"));
    assert_eq!(
        s.update_group(
            ACCT,
            "devs",
            &Rename {
                new_name: Some("OPS".into()),
                new_path: None
            }
        ),
        Err(StoreError::AlreadyExists)
    );
    let x = s.list_groups(ACCT, "/x/", None, 10).unwrap();
    assert_eq!(x.items.len(), 1);
    s.delete_group(ACCT, "devs").unwrap();
    assert_eq!(s.get_group(ACCT, "devs").unwrap(), None);
}

cases![groups_membership_quotas_and_conflicts];
