//! Core's rules for managed policies (creation, versions, the default version, attachment
//! quotas, detaching, deletion), permissions boundaries, inline
//! policies (their total size), virtual MFA devices (creation, enabling, deletion) and instance
//! profiles (creation, the role quota, removing the role, deletion), from `portcullis_core::iam::{policies, mfa,
//! instance_profiles}`, run through the `Tx` seam on each engine, each checked with AWS's
//! wording.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::Utc;
use portcullis_core::error::{Dependent, EntityKind};
use portcullis_core::iam::{boundaries, instance_profiles, mfa, policies};
use portcullis_core::mfa::{MfaSync, VirtualMfaDevice};
use portcullis_core::quotas::Quotas;
use portcullis_core::store::write;
use portcullis_core::{IamError, InstanceProfile, ManagedPolicy, OwnerKind, Store};

mod common;
use common::{ACCT, with_user};

fn delete_policy_and_versions_follow_iams_order(s: &dyn Store) {
    let u = with_user(s);
    let now = Utc::now();
    let p = ManagedPolicy {
        account: ACCT.into(),
        id: "ANPAP".into(),
        name: "p".into(),
        path: "/".into(),
        description: None,
        default_version: "v1".into(),
        created: now,
        updated: now,
    };
    let arn = p.arn();
    write(s, |tx| policies::create(tx, &p, "{}")).unwrap();
    let err = write(s, |tx| policies::create(tx, &p, "{}")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "A policy called p already exists. Duplicate names are not allowed."
    );
    let v = write(s, |tx| {
        policies::create_version(tx, ACCT, &arn, "{}", false, now)
    })
    .unwrap();
    assert_eq!((v.version_id.as_str(), v.is_default), ("v2", false));
    for _ in 3..=5 {
        write(s, |tx| {
            policies::create_version(tx, ACCT, &arn, "{}", false, now)
        })
        .unwrap();
    }
    let err = write(s, |tx| {
        policies::create_version(tx, ACCT, &arn, "{}", false, now)
    })
    .unwrap_err();
    assert_eq!(err, IamError::PolicyVersionsExceeded { max: 5 });
    for v in ["v3", "v4", "v5"] {
        write(s, |tx| policies::delete_version(tx, ACCT, &arn, v)).unwrap();
    }
    let one = Quotas {
        attached_policies_per_principal: 1,
        ..Quotas::default()
    };
    let attach = |arn: &str| {
        write(s, |tx| {
            policies::attach(tx, ACCT, OwnerKind::User, &u.id, arn, &one)
        })
    };
    attach(&arn).unwrap();
    attach(&arn).expect("attaching twice is not an error, even at the quota");
    let err = attach("arn:aws:iam::aws:policy/ReadOnlyAccess").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for PoliciesPerUser: 1"
    );
    let err = write(s, |tx| policies::delete(tx, ACCT, &arn)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot delete a policy attached to entities."
    );
    write(s, |tx| policies::detach(tx, ACCT, &u.id, &arn)).unwrap();
    let err = write(s, |tx| policies::delete(tx, ACCT, &arn)).unwrap_err();
    assert_eq!(err, IamError::DeleteConflict(Dependent::PolicyVersions));
    let err = write(s, |tx| policies::delete_version(tx, ACCT, &arn, "v1")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot delete the default version of a policy."
    );
    let err = write(s, |tx| policies::delete_version(tx, ACCT, &arn, "v9")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Policy {arn} version v9 does not exist or is not attachable.")
    );
    write(s, |tx| policies::delete_version(tx, ACCT, &arn, "v2")).unwrap();
    write(s, |tx| policies::delete(tx, ACCT, &arn)).unwrap();
    let err = write(s, |tx| policies::delete(tx, ACCT, &arn)).unwrap_err();
    assert_eq!(err.to_string(), format!("Policy {arn} was not found."));
}

fn mfa_devices_names_quota_use_and_deletion(s: &dyn Store) {
    let u = with_user(s);
    let serial = format!("arn:aws:iam::{ACCT}:mfa/d");
    let d = VirtualMfaDevice {
        serial: serial.clone(),
        account: ACCT.into(),
        name: "d".into(),
        path: "/".into(),
        sealed_seed: vec![1],
        created: Utc::now(),
        user_id: None,
        enabled: None,
        drift: 0,
        last_step: None,
    };
    let q = Quotas {
        users_per_account: 1,
        ..Quotas::default()
    };
    write(s, |tx| mfa::create(tx, &d, &[], &q)).unwrap();
    let err = write(s, |tx| mfa::create(tx, &d, &[], &q)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "MFADevice entity at the same path and name already exists."
    );
    let other = VirtualMfaDevice {
        serial: format!("arn:aws:iam::{ACCT}:mfa/e"),
        name: "e".into(),
        ..d.clone()
    };
    let err = write(s, |tx| mfa::create(tx, &other, &[], &q)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for VirtualMFADevicesPerAccount: 1"
    );
    let sync = MfaSync {
        drift: 0,
        last_step: 1,
    };
    let enable = || {
        write(s, |tx| {
            mfa::enable(tx, ACCT, &serial, &u.id, Utc::now(), sync)
        })
    };
    enable().unwrap();
    assert_eq!(
        enable().unwrap_err().to_string(),
        "MFA Device is already in use."
    );
    let err = write(s, |tx| mfa::delete(tx, ACCT, &serial)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "MFA Device is in use by a user. Deactivate the MFA device first."
    );
    write(s, |tx| mfa::deactivate(tx, ACCT, &serial, Some(&u.id))).unwrap();
    write(s, |tx| mfa::delete(tx, ACCT, &serial)).unwrap();
    let err = write(s, |tx| mfa::delete(tx, ACCT, &serial)).unwrap_err();
    assert_eq!(err, IamError::no_such(EntityKind::MfaDevice, &serial));
    assert_eq!(
        err.to_string(),
        format!("VirtualMFADevice with serial number {serial} doesn't exist.")
    );
}

fn instance_profiles_names_one_role_and_deletion(s: &dyn Store) {
    with_user(s);
    let p = InstanceProfile {
        account: ACCT.into(),
        id: "AIPAP".into(),
        name: "web".into(),
        path: "/".into(),
        created: Utc::now(),
    };
    write(s, |tx| instance_profiles::create(tx, &p, &[])).unwrap();
    let role = portcullis_core::Role {
        account: ACCT.into(),
        id: "AROAR".into(),
        name: "r".into(),
        path: "/".into(),
        created: Utc::now(),
        assume_role_policy: "{}".into(),
        description: None,
        max_session_duration: 3600,
        permissions_boundary: None,
        last_used: None,
    };
    write(s, |tx| Ok(tx.insert_role(&role, &[])?)).unwrap();
    let add = |profile: &str, role: &str| {
        write(s, |tx| {
            instance_profiles::add_role(tx, ACCT, profile, role, Utc::now())
        })
    };
    add("web", "r").unwrap();
    let err = add("web", "r").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1",
        "the same role again counts against the quota"
    );
    let err = add("nope", "r").unwrap_err();
    assert_eq!(err.to_string(), "Instance Profile nope cannot be found.");
    let err = add("web", "nope").unwrap_err();
    assert_eq!(err.to_string(), "The role with name nope cannot be found.");
    let twin = InstanceProfile {
        id: "AIPATWIN".into(),
        name: "WEB".into(),
        ..p.clone()
    };
    let err = write(s, |tx| instance_profiles::create(tx, &twin, &[])).unwrap_err();
    assert_eq!(err.to_string(), "Instance Profile WEB already exists.");
    let err = write(s, |tx| instance_profiles::delete(tx, ACCT, "WEB")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot delete entity, must remove roles from instance profile first."
    );
    let remove = |profile: &str, role: &str| {
        write(s, |tx| {
            instance_profiles::remove_role(tx, ACCT, profile, role)
        })
    };
    let err = remove("nope", "nope").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Instance Profile nope cannot be found.",
        "the profile is looked for first"
    );
    let err = remove("web", "nope").unwrap_err();
    assert_eq!(err.to_string(), "The role with name nope cannot be found.");
    remove("WEB", "R").unwrap();
    let err = remove("WEB", "R").unwrap_err();
    assert_eq!(
        err,
        IamError::RoleNotInInstanceProfile {
            role: "r".into(),
            profile: "web".into()
        },
        "the names as stored"
    );
    write(s, |tx| instance_profiles::delete(tx, ACCT, "WEB")).unwrap();
    let err = write(s, |tx| instance_profiles::delete(tx, ACCT, "web")).unwrap_err();
    assert_eq!(err.to_string(), "Instance Profile web cannot be found.");
}

fn inline_policies_stay_within_their_total_and_a_replaced_one_does_not_count(s: &dyn Store) {
    let u = with_user(s);
    let put = |name: &str, size: usize| {
        write(s, |tx| {
            policies::put_inline(tx, &u.id, name, "{}", size, 100)
        })
    };
    put("p1", 60).unwrap();
    put("p1", 70).expect("the document being replaced does not count");
    let err = put("p2", 31).unwrap_err();
    assert_eq!(err, IamError::InlinePoliciesTooLarge { max_total: 100 });
    assert_eq!(s.get_inline_policy(&u.id, "p2").unwrap(), None);
    put("p0", 30).unwrap();
    let delete = |name: &str| write(s, |tx| policies::delete_inline(tx, &u.id, "u", name));
    delete("p0").unwrap();
    let err = delete("p0").unwrap_err();
    assert_eq!(
        err.to_string(),
        "The policy with name p0 cannot be found for u."
    );
    put("p2", 30).expect("a deleted policy no longer counts");
}

fn default_version_detach_and_boundaries_name_what_is_missing(s: &dyn Store) {
    let u = with_user(s);
    let now = Utc::now();
    let p = ManagedPolicy {
        account: ACCT.into(),
        id: "ANPAD".into(),
        name: "d".into(),
        path: "/".into(),
        description: None,
        default_version: "v1".into(),
        created: now,
        updated: now,
    };
    let arn = p.arn();
    let set_default = |v: &str| {
        write(s, |tx| {
            policies::set_default_version(tx, ACCT, &arn, v, now)
        })
    };
    let err = set_default("v1").unwrap_err();
    assert_eq!(err.to_string(), format!("Policy {arn} was not found."));
    write(s, |tx| policies::create(tx, &p, "{}")).unwrap();
    write(s, |tx| {
        policies::create_version(tx, ACCT, &arn, "{}", false, now)
    })
    .unwrap();
    let err = set_default("v7").unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("Policy {arn} version v7 does not exist or is not attachable.")
    );
    set_default("v2").unwrap();
    assert_eq!(
        s.get_policy(ACCT, &arn).unwrap().map(|p| p.default_version),
        Some("v2".into())
    );

    let detach = || write(s, |tx| policies::detach(tx, ACCT, &u.id, &arn));
    let err = detach().unwrap_err();
    assert_eq!(err.to_string(), format!("Policy {arn} was not found."));
    let q = Quotas::default();
    write(s, |tx| {
        policies::attach(tx, ACCT, OwnerKind::User, &u.id, &arn, &q)
    })
    .unwrap();
    detach().unwrap();
    assert!(s.attached_policies(&u.id).unwrap().is_empty());

    write(s, |tx| boundaries::set_user(tx, ACCT, "u", Some(&arn))).unwrap();
    assert_eq!(s.policy_usage(ACCT, &arn).unwrap(), (0, 1));
    write(s, |tx| boundaries::set_user(tx, ACCT, "u", None)).unwrap();
    assert_eq!(s.policy_usage(ACCT, &arn).unwrap(), (0, 0));
    let err = write(s, |tx| boundaries::set_user(tx, ACCT, "nobody", None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The user with name nobody cannot be found."
    );
    let err = write(s, |tx| boundaries::set_role(tx, ACCT, "nobody", Some(&arn))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The role with name nobody cannot be found."
    );
}

engines![
    default_version_detach_and_boundaries_name_what_is_missing,
    delete_policy_and_versions_follow_iams_order,
    mfa_devices_names_quota_use_and_deletion,
    instance_profiles_names_one_role_and_deletion,
    inline_policies_stay_within_their_total_and_a_replaced_one_does_not_count,
];
