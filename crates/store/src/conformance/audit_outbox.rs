//! Conformance cases for the audit outbox: a record commits or rolls back with its change, keeps
//! its order, is kept once per event id, belongs to one log, and goes when the log has it.

use super::{put_user, setup, user};
use portcullis_core::store::write;
use portcullis_core::{IamError, Store};

fn audit_records_commit_with_their_change(s: &dyn Store) {
    setup(s);
    let u = user("a", "/");
    write(s, |x| {
        x.insert_user(&u, &[])?;
        x.put_audit_record("log-a", "e1", "{\"n\":1}")?;
        // A second write of the same event keeps the first record.
        x.put_audit_record("log-a", "e1", "{\"n\":9}")?;
        Ok(())
    })
    .unwrap();
    assert_eq!(
        write(s, |x| {
            x.put_audit_record("log-a", "e2", "{\"n\":2}")?;
            Err::<(), _>(IamError::TooManyTags)
        }),
        Err(IamError::TooManyTags)
    );
    write(s, |x| Ok(x.put_audit_record("log-a", "e3", "{\"n\":3}")?)).unwrap();
    assert_eq!(
        s.pending_audit_records("log-a").unwrap(),
        vec![
            ("e1".to_string(), "{\"n\":1}".to_string()),
            ("e3".to_string(), "{\"n\":3}".to_string())
        ],
        "the rolled-back change left no record"
    );
    s.remove_audit_records(&["e1".into(), "unknown".into()])
        .unwrap();
    assert_eq!(
        s.pending_audit_records("log-a").unwrap(),
        vec![("e3".to_string(), "{\"n\":3}".to_string())]
    );
    // Another log's records (another node on the same database) are not this log's.
    write(s, |x| Ok(x.put_audit_record("log-b", "e4", "{\"n\":4}")?)).unwrap();
    assert_eq!(s.pending_audit_records("log-a").unwrap().len(), 1);
    assert_eq!(
        s.pending_audit_records("log-b").unwrap(),
        vec![("e4".to_string(), "{\"n\":4}".to_string())]
    );
    put_user(s, &user("b", "/"), &[]);
}

cases![audit_records_commit_with_their_change];
