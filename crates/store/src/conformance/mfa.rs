//! Conformance cases for virtual MFA devices: names, quotas, assignment, replay and counts.

use super::{ACCT, OTHER, dependents, put_device, put_user, remove_user, setup, tx, user};
use chrono::Utc;
use portcullis_core::mfa::{MfaSync, VirtualMfaDevice};
use portcullis_core::{Store, StoreError, Tag};

fn device(name: &str) -> VirtualMfaDevice {
    VirtualMfaDevice {
        serial: format!("arn:aws:iam::{ACCT}:mfa/{name}"),
        account: ACCT.into(),
        name: name.into(),
        path: "/".into(),
        sealed_seed: vec![9, 8, 7],
        created: Utc::now(),
        user_id: None,
        enabled: None,
        drift: 0,
        last_step: None,
    }
}

const SYNC: MfaSync = MfaSync {
    drift: -1,
    last_step: 100,
};

fn names(page: &portcullis_core::Page<VirtualMfaDevice>) -> Vec<&str> {
    page.items.iter().map(|d| d.name.as_str()).collect()
}

fn devices_unique_quota_and_tags(s: &dyn Store) {
    setup(s);
    let tag = Tag {
        key: "k".into(),
        value: "v".into(),
    };
    let a = device("alpha");
    put_device(s, &a, std::slice::from_ref(&tag));
    // Names ignore case, whatever the path.
    let mut dup = device("ALPHA");
    dup.path = "/other/".into();
    dup.serial = format!("arn:aws:iam::{ACCT}:mfa/other/ALPHA");
    assert_eq!(
        tx(s, |t| t.mfa_device_taken(ACCT, &dup.name, &dup.serial)),
        Ok(true)
    );
    assert_eq!(
        tx(s, |t| t.mfa_device_taken(OTHER, "x", &a.serial)),
        Ok(true),
        "serial numbers are unique across accounts"
    );
    assert_eq!(
        tx(s, |t| t.mfa_device_taken(
            ACCT,
            "beta",
            &device("beta").serial
        )),
        Ok(false)
    );
    put_device(s, &device("beta"), &[]);
    assert_eq!(tx(s, |t| t.count_mfa_devices(ACCT)), Ok(2));
    let got = s.get_mfa_device(ACCT, &a.serial).unwrap().unwrap();
    assert_eq!(
        (got.name.as_str(), &got.sealed_seed),
        ("alpha", &a.sealed_seed)
    );
    assert_eq!(
        (got.user_id, got.enabled, got.last_step),
        (None, None, None)
    );
    assert_eq!(s.get_mfa_device("999999999999", &a.serial).unwrap(), None);
    assert_eq!(s.tags(&a.serial).unwrap(), [tag]);
    tx(s, |t| t.remove_mfa_device(&a.serial)).unwrap();
    assert!(s.tags(&a.serial).unwrap().is_empty());
    assert_eq!(s.get_mfa_device(ACCT, &a.serial).unwrap(), None);
    assert_eq!(tx(s, |t| t.mfa_device(ACCT, &a.serial)), Ok(None));
    assert_eq!(s.mfa_device_counts(ACCT).unwrap(), (1, 0));
}

fn devices_assignment_listing_and_replay(s: &dyn Store) {
    setup(s);
    let u = user("alice", "/");
    put_user(s, &u, &[]);
    for n in ["d1", "d2", "d3", "d4"] {
        put_device(s, &device(n), &[]);
    }
    let serial = |n: &str| device(n).serial;
    let now = Utc::now();
    tx(s, |t| t.assign_mfa_device(&serial("d2"), &u.id, now, SYNC)).unwrap();
    assert_eq!(
        tx(s, |t| t.assign_mfa_device(
            &serial("nope"),
            &u.id,
            now,
            SYNC
        )),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.assign_mfa_device(&serial("d4"), &u.id, now, SYNC)).unwrap();
    assert_eq!(tx(s, |t| t.count_user_mfa_devices(&u.id)), Ok(2));
    let d2 = s.get_mfa_device(ACCT, &serial("d2")).unwrap().unwrap();
    assert_eq!(d2.user_id.as_deref(), Some(u.id.as_str()));
    assert_eq!((d2.drift, d2.last_step), (-1, Some(100)));
    assert!(
        d2.enabled
            .is_some_and(|t| (t - now).num_milliseconds().abs() < 1)
    );
    let mine: Vec<String> = s
        .mfa_devices_for_user(ACCT, &u.id)
        .unwrap()
        .into_iter()
        .map(|d| d.name)
        .collect();
    assert_eq!(mine, ["d2", "d4"]);
    assert_eq!(s.mfa_device_counts(ACCT).unwrap(), (4, 2));

    // Listing: by name, filtered by assignment, one page at a time.
    let p = s.list_mfa_devices(ACCT, None, None, 3).unwrap();
    assert_eq!(names(&p), ["d1", "d2", "d3"]);
    let rest = s
        .list_mfa_devices(ACCT, None, p.next_marker.as_deref(), 3)
        .unwrap();
    assert_eq!(names(&rest), ["d4"]);
    assert_eq!(rest.next_marker, None);
    let p = s.list_mfa_devices(ACCT, Some(true), None, 1).unwrap();
    assert_eq!(names(&p), ["d2"]);
    let p = s
        .list_mfa_devices(ACCT, Some(true), p.next_marker.as_deref(), 1)
        .unwrap();
    assert_eq!(names(&p), ["d4"]);
    assert_eq!(p.next_marker, None);
    let p = s.list_mfa_devices(ACCT, Some(false), None, 10).unwrap();
    assert_eq!(names(&p), ["d1", "d3"]);

    // A code's step is accepted once, and never an earlier one.
    assert!(!s.accept_mfa_step(ACCT, &serial("d2"), 100).unwrap());
    assert!(!s.accept_mfa_step(ACCT, &serial("d2"), 99).unwrap());
    assert!(s.accept_mfa_step(ACCT, &serial("d2"), 101).unwrap());
    assert!(!s.accept_mfa_step(ACCT, &serial("d2"), 101).unwrap());
    assert!(!s.accept_mfa_step(ACCT, &serial("nope"), 500).unwrap());
    // Resync moves the drift and the last step to the device's clock.
    tx(s, |t| {
        t.resync_mfa_device(
            ACCT,
            &serial("d2"),
            MfaSync {
                drift: 3,
                last_step: 50,
            },
        )
    })
    .unwrap();
    let d2 = s.get_mfa_device(ACCT, &serial("d2")).unwrap().unwrap();
    assert_eq!((d2.drift, d2.last_step), (3, Some(50)));

    // Assigned devices block deleting the device and the user.
    assert_eq!(
        tx(s, |t| t.mfa_device(ACCT, &serial("d2")))
            .unwrap()
            .and_then(|d| d.user_id),
        Some(u.id.clone()),
        "core reads the user a device is assigned to"
    );
    assert!(dependents(s, &u.id).mfa_devices > 0);
    assert_eq!(
        tx(s, |t| t.deactivate_mfa_device(ACCT, &serial("d1"), &u.id)),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.deactivate_mfa_device(ACCT, &serial("d2"), &u.id)).unwrap();
    tx(s, |t| t.deactivate_mfa_device(ACCT, &serial("d4"), &u.id)).unwrap();
    assert_eq!(
        tx(s, |t| t.deactivate_mfa_device(ACCT, &serial("d4"), &u.id)),
        Err(StoreError::NotFound)
    );
    let d4 = s.get_mfa_device(ACCT, &serial("d4")).unwrap().unwrap();
    assert_eq!((d4.user_id, d4.enabled), (None, None));
    assert_eq!(s.mfa_device_counts(ACCT).unwrap(), (4, 0));
    remove_user(s, &u.id);
    tx(s, |t| t.remove_mfa_device(&serial("d2"))).unwrap();
    // A wipe takes the devices and their tags with the accounts.
    tx(s, |t| {
        t.put_tags(
            &serial("d1"),
            &[Tag {
                key: "a".into(),
                value: "b".into(),
            }],
            false,
        )
    })
    .unwrap();
    s.wipe().unwrap();
    setup(s);
    assert_eq!(s.mfa_device_counts(ACCT).unwrap(), (0, 0));
    assert!(s.tags(&serial("d1")).unwrap().is_empty());
}

cases![
    devices_unique_quota_and_tags,
    devices_assignment_listing_and_replay,
];
