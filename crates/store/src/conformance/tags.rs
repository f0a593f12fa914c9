//! Conformance cases for tags: keys that ignore case or not, replacing and the limit.

use super::{put_user, setup, tx, user};
use portcullis_core::store::write;
use portcullis_core::{IamError, Store, Tag};

fn tags_replace_ignoring_case_and_roll_back(s: &dyn Store) {
    setup(s);
    let t = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    let u = user("a", "/");
    put_user(s, &u, &[t("Dept", "1"), t("x", "y")]);
    tx(s, |x| x.put_tags(&u.id, &[t("dept", "2")], true)).unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("dept", "2"), t("x", "y")]);
    assert_eq!(tx(s, |x| x.count_tags(&u.id)), Ok(2));
    assert_eq!(
        write(s, |x| {
            x.put_tags(&u.id, &[t("n1", ""), t("n2", "")], true)?;
            Err::<(), _>(IamError::TooManyTags)
        }),
        Err(IamError::TooManyTags)
    );
    assert_eq!(
        s.tags(&u.id).unwrap().len(),
        2,
        "a refused TagUser changes nothing"
    );
    tx(s, |x| x.untag_entity(&u.id, &["X".into()], true)).unwrap();
    assert_eq!(s.tags(&u.id).unwrap(), vec![t("dept", "2")]);
}

fn tag_keys_can_be_case_sensitive(s: &dyn Store) {
    let t = |k: &str, v: &str| Tag {
        key: k.into(),
        value: v.into(),
    };
    tx(s, |x| {
        x.put_tags("ANPAX", &[t("Env", "1"), t("env", "2")], false)
    })
    .unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env", "1"), t("env", "2")]);
    tx(s, |x| x.untag_entity("ANPAX", &["ENV".into()], false)).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap().len(), 2);
    tx(s, |x| x.untag_entity("ANPAX", &["env".into()], false)).unwrap();
    assert_eq!(s.tags("ANPAX").unwrap(), vec![t("Env", "1")]);
}

cases![
    tags_replace_ignoring_case_and_roll_back,
    tag_keys_can_be_case_sensitive,
];
