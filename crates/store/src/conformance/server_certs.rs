//! Conformance cases for server certificates: names, the quota, tags, listing, renaming.

use super::{ACCT, setup, tx};
use chrono::{TimeDelta, Utc};
use portcullis_core::credentials::ServerCertificate;
use portcullis_core::store::Rename;
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
    assert_eq!(
        s.update_server_cert(
            ACCT,
            "web",
            &Rename {
                new_name: Some("API".into()),
                new_path: None
            }
        ),
        Err(StoreError::AlreadyExists)
    );
    let moved = s
        .update_server_cert(
            ACCT,
            "web",
            &Rename {
                new_name: Some("www".into()),
                new_path: Some("/x/".into()),
            },
        )
        .unwrap();
    assert_eq!((moved.name.as_str(), moved.path.as_str()), ("www", "/x/"));
    assert_eq!(moved.id, web.id);
    assert_eq!(s.get_server_cert(ACCT, "web").unwrap(), None);
    s.delete_server_cert(ACCT, "www").unwrap();
    assert_eq!(s.tags(&web.id).unwrap(), []);
    assert_eq!(s.delete_server_cert(ACCT, "www"), Err(StoreError::NotFound));
    s.wipe().unwrap();
    setup(s);
    assert_eq!(s.account_counts(ACCT).unwrap().server_certificates, 0);
}

cases![server_certificates];
