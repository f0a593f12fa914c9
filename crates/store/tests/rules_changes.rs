//! Core's rules for changing and deleting what already exists, run through the `Tx` seam on each
//! engine: a credential changed or deleted must be its owner's (an access key of another user,
//! or of the root user, is not there), and each refusal carries AWS's NoSuchEntity words;
//! untagging ignores the case of keys only where tagging does (users and roles).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::Utc;
use portcullis_core::iam::{access_keys, tags};
use portcullis_core::quotas::Quotas;
use portcullis_core::store::write;
use portcullis_core::{AccessKey, KeyStatus, Store, Tag};

mod common;
use common::{ACCT, with_user};

fn access_keys_change_only_their_owners(s: &dyn Store) {
    let u = with_user(s);
    let key = AccessKey {
        id: "AKIA1".into(),
        account: ACCT.into(),
        user_id: Some(u.id.clone()),
        status: KeyStatus::Active,
        sealed_secret: vec![1],
        created: Utc::now(),
        last_used: None,
    };
    let q = Quotas::default();
    write(s, |tx| access_keys::create(tx, &key, &q)).unwrap();
    let owner = Some(u.id.as_str());
    let missing = "The Access Key with id AKIA1 cannot be found.";
    let set =
        |who: Option<&str>, st| write(s, |tx| access_keys::set_status(tx, ACCT, who, "AKIA1", st));
    assert_eq!(
        set(None, KeyStatus::Inactive).unwrap_err().to_string(),
        missing
    );
    set(owner, KeyStatus::Inactive).unwrap();
    let status = s.get_access_key("AKIA1").unwrap().map(|k| k.status);
    assert_eq!(status, Some(KeyStatus::Inactive));
    let delete = |who: Option<&str>| write(s, |tx| access_keys::delete(tx, ACCT, who, "AKIA1"));
    assert_eq!(delete(None).unwrap_err().to_string(), missing);
    delete(owner).unwrap();
    assert_eq!(s.get_access_key("AKIA1").unwrap(), None);
    assert_eq!(delete(owner).unwrap_err().to_string(), missing);
    let err = set(owner, KeyStatus::Active).unwrap_err();
    assert_eq!(err.to_string(), missing);
}

fn untag_folds_case_only_where_tags_do(s: &dyn Store) {
    let u = with_user(s);
    let t = |k: &str| Tag {
        key: k.into(),
        value: "v".into(),
    };
    let keys = |ks: &[&str]| ks.iter().map(|k| k.to_string()).collect::<Vec<_>>();
    write(s, |tx| tags::tag(tx, &u.id, &[t("Dept"), t("x")], true)).unwrap();
    write(s, |tx| {
        tags::untag(tx, &u.id, &keys(&["DEPT", "absent"]), true)
    })
    .unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("x")]);
    write(s, |tx| tags::tag(tx, "ANPAX", &[t("Env")], false)).unwrap();
    write(s, |tx| tags::untag(tx, "ANPAX", &keys(&["ENV"]), false)).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env")]);
    write(s, |tx| tags::untag(tx, "ANPAX", &keys(&["Env"]), false)).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![]);
}

engines![
    access_keys_change_only_their_owners,
    untag_folds_case_only_where_tags_do,
];
