//! Conformance cases for server certificates: names, the quota, tags, listing, renaming and
//! removal (with the tags).

use super::{ACCT, setup, tx};
use chrono::{TimeDelta, Utc};
use portcullis_core::credentials::ServerCertificate;
use portcullis_core::{Store, StoreError, Tag};

fn server(name: &str, path: &str) -> ServerCertificate {
    ServerCertificate {
        id: format!("ASCA{}", name.to_uppercase()),
        account: ACCT.into(),
        name: name.into(),
        path: path.into(),
        body: "cert".into(),
        chain: None,
        sealed_private_key: vec![9, 9],
        uploaded: Utc::now(),
        expiration: Utc::now() + TimeDelta::days(365),
    }
}

fn server_certificates(s: &dyn Store) {
    setup(s);
    let tags = [Tag {
        key: "env".into(),
        value: "prod".into(),
    }];
    let put = |c: &ServerCertificate, tags: &[Tag]| tx(s, |t| t.insert_server_cert(c, tags));
    put(&server("Web", "/cloudfront/"), &tags).unwrap();
    let mut twin = server("web", "/");
    twin.id = "ASCAOTHER".into();
    assert_eq!(put(&twin, &[]), Err(StoreError::AlreadyExists));
    assert_eq!(
        tx(s, |t| t.server_cert(ACCT, "WEB"))
            .unwrap()
            .map(|c| c.name),
        Some("Web".into())
    );
    put(&server("api", "/"), &[]).unwrap();
    put(&server("b", "/"), &[]).unwrap();
    assert_eq!(tx(s, |t| t.count_server_certs(ACCT)), Ok(3));
    assert_eq!(s.account_counts(ACCT).unwrap().server_certificates, 3);
    let web = s.get_server_cert(ACCT, "WEB").unwrap().unwrap();
    assert_eq!(web.sealed_private_key, vec![9, 9]);
    assert_eq!(s.tags(&web.id).unwrap(), tags);
    let p1 = s.list_server_certs(ACCT, "/", None, 2).unwrap();
    assert_eq!(
        p1.items.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["api", "b"]
    );
    let p2 = s
        .list_server_certs(ACCT, "/", p1.next_marker.as_deref(), 2)
        .unwrap();
    assert_eq!(p2.items.len(), 1);
    assert_eq!(p2.next_marker, None);
    assert_eq!(
        s.list_server_certs(ACCT, "/cloudfront/", None, 10)
            .unwrap()
            .items
            .len(),
        1
    );
    let mut renamed = web.clone();
    renamed.name = "API".into();
    assert_eq!(
        tx(s, |t| t.save_server_cert(&renamed)),
        Err(StoreError::AlreadyExists),
        "another certificate's name, ignoring case"
    );
    renamed.name = "www".into();
    renamed.path = "/x/".into();
    tx(s, |t| t.save_server_cert(&renamed)).unwrap();
    let moved = s.get_server_cert(ACCT, "WWW").unwrap().unwrap();
    assert_eq!((moved.name.as_str(), moved.path.as_str()), ("www", "/x/"));
    assert_eq!(moved.id, web.id);
    assert_eq!(s.get_server_cert(ACCT, "web").unwrap(), None);
    tx(s, |t| t.remove_server_cert(&web.id)).unwrap();
    assert_eq!(s.get_server_cert(ACCT, "www").unwrap(), None);
    assert_eq!(s.tags(&web.id).unwrap(), []);
    s.wipe().unwrap();
    setup(s);
    assert_eq!(s.account_counts(ACCT).unwrap().server_certificates, 0);
}

cases![server_certificates];
