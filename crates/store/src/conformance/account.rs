//! Conformance cases for accounts: the alias, entity counts, settings, and wiping everything.

use super::{ACCT, OTHER, access_key, other_account, put_access_key, put_user, setup, tx, user};
use portcullis_core::{Store, StoreError};

fn account_aliases_and_counts(s: &dyn Store) {
    setup(s);
    other_account(s);
    tx(s, |t| t.insert_alias(ACCT, "acme")).unwrap();
    tx(s, |t| t.insert_alias(ACCT, "acme")).expect("giving an alias again changes nothing");
    assert_eq!(
        tx(s, |t| t.alias_account("acme")),
        Ok(Some(ACCT.to_string()))
    );
    assert_eq!(tx(s, |t| t.alias_account("other")), Ok(None));
    assert_eq!(tx(s, |t| t.count_other_aliases(ACCT, "other")), Ok(1));
    assert_eq!(tx(s, |t| t.count_other_aliases(ACCT, "acme")), Ok(0));
    tx(s, |t| t.insert_alias(OTHER, "acme")).unwrap();
    assert_eq!(
        tx(s, |t| t.alias_account("acme")),
        Ok(Some(ACCT.to_string())),
        "an alias stays with the account that has it"
    );
    assert_eq!(s.account_aliases(ACCT).unwrap(), ["acme"]);
    assert_eq!(
        tx(s, |t| t.delete_account_alias(ACCT, "other")),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.delete_account_alias(ACCT, "acme")).unwrap();
    assert!(s.account_aliases(ACCT).unwrap().is_empty());
    put_user(s, &user("a", "/"), &[]);
    put_access_key(s, &access_key("AKIAROOT", None));
    let c = s.account_counts(ACCT).unwrap();
    assert_eq!(
        (c.users, c.groups, c.roles, c.policies, c.root_access_keys),
        (1, 0, 0, 0, 1)
    );
}

fn wipe_removes_everything(s: &dyn Store) {
    setup(s);
    put_user(s, &user("a", "/"), &[]);
    s.wipe().unwrap();
    assert!(s.list_accounts().unwrap().is_empty());
    assert!(s.get_user(ACCT, "a").unwrap().is_none());
}

fn settings_are_per_account_and_removable(s: &dyn Store) {
    setup(s);
    other_account(s);
    assert_eq!(s.account_setting(ACCT, "sts.version").unwrap(), None);
    let set = |k: &str, v: Option<&str>| (k.to_string(), v.map(str::to_string));
    s.put_account_settings(
        ACCT,
        &[
            set("sts.version", Some("v2Token")),
            set("prop:b/x", Some("1")),
            set("prop:a/y", Some("2")),
        ],
    )
    .unwrap();
    assert_eq!(
        s.account_setting(ACCT, "sts.version").unwrap().as_deref(),
        Some("v2Token")
    );
    assert_eq!(s.account_setting(OTHER, "sts.version").unwrap(), None);
    assert_eq!(
        s.account_settings(ACCT, "prop:").unwrap(),
        [
            ("prop:a/y".to_string(), "2".to_string()),
            ("prop:b/x".to_string(), "1".to_string())
        ]
    );
    // `_` and `%` in a prefix are not patterns.
    assert!(s.account_settings(ACCT, "prop_").unwrap().is_empty());
    // The same write inside a transaction (an IAM operation's).
    tx(s, |t| {
        t.put_account_settings(
            ACCT,
            &[set("sts.version", Some("v1Token")), set("prop:b/x", None)],
        )
    })
    .unwrap();
    assert_eq!(
        s.account_setting(ACCT, "sts.version").unwrap().as_deref(),
        Some("v1Token")
    );
    assert_eq!(s.account_settings(ACCT, "prop:").unwrap().len(), 1);
    s.wipe().unwrap();
    setup(s);
    assert_eq!(s.account_setting(ACCT, "sts.version").unwrap(), None);
}

cases![
    account_aliases_and_counts,
    wipe_removes_everything,
    settings_are_per_account_and_removable,
];
