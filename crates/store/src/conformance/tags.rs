//! Conformance cases for tags: keys that ignore case or not, replacing and the limit.

use super::{put_user, setup, user};
use portcullis_core::{Store, StoreError, Tag};

fn tags_replace_ignoring_case_and_respect_limit(s: &dyn Store) {
    setup(s);
    let t = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    let u = user("a", "/");
    put_user(s, &u, &[t("Dept", "1"), t("x", "y")]);
    s.tag_entity(&u.id, &[t("dept", "2")], true, 50).unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("dept", "2"), t("x", "y")]);
    assert_eq!(
        s.tag_entity(&u.id, &[t("n1", ""), t("n2", "")], true, 3),
        Err(StoreError::LimitExceeded)
    );
    assert_eq!(
        s.tags(&u.id).unwrap().len(),
        2,
        "a failed TagUser changes nothing"
    );
    s.untag_entity(&u.id, &["X".into()], true).unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("dept", "2")]);
}

fn tag_keys_can_be_case_sensitive(s: &dyn Store) {
    let t = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    s.tag_entity("ANPAX", &[t("Env", "1"), t("env", "2")], false, 50)
        .unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env", "1"), t("env", "2")]);
    s.untag_entity("ANPAX", &["ENV".into()], false).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap().len(), 2);
    s.untag_entity("ANPAX", &["env".into()], false).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env", "1")]);
}

cases![
    tags_replace_ignoring_case_and_respect_limit,
    tag_keys_can_be_case_sensitive,
];
