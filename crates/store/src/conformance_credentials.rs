//! Conformance cases for SSH public keys, service-specific credentials, signing certificates and
//! server certificates.

use crate::conformance::{ACCT, setup, user};
use chrono::{TimeDelta, Utc};
use portcullis_core::credentials::{
    ServerCertificate, ServiceCredential, SigningCertificate, SshPublicKey,
};
use portcullis_core::store::Rename;
use portcullis_core::{KeyStatus, Store, StoreError, Tag};

fn ssh(id: &str, user_id: &str, fingerprint: &str) -> SshPublicKey {
    SshPublicKey {
        id: id.into(),
        account: ACCT.into(),
        user_id: user_id.into(),
        body: format!("ssh-ed25519 {id}"),
        fingerprint: fingerprint.into(),
        status: KeyStatus::Active,
        uploaded: Utc::now(),
    }
}

fn cred(id: &str, user_id: &str, service: &str) -> ServiceCredential {
    ServiceCredential {
        id: id.into(),
        account: ACCT.into(),
        user_id: user_id.into(),
        service_name: service.into(),
        service_user_name: format!("u-at-{ACCT}"),
        sealed_password: vec![1, 2, 3],
        status: KeyStatus::Active,
        created: Utc::now(),
        expiration: None,
    }
}

fn signing(id: &str, user_id: Option<&str>, fingerprint: &str) -> SigningCertificate {
    SigningCertificate {
        id: id.into(),
        account: ACCT.into(),
        user_id: user_id.map(str::to_string),
        body: "-----BEGIN CERTIFICATE-----".into(),
        fingerprint: fingerprint.into(),
        status: KeyStatus::Active,
        uploaded: Utc::now(),
    }
}

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

pub(crate) fn ssh_keys(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    let b = user("b", "/");
    s.create_user(&a, &[], 10).unwrap();
    s.create_user(&b, &[], 10).unwrap();
    s.create_ssh_key(&ssh("K1", &a.id, "f1"), 2).unwrap();
    assert_eq!(
        s.create_ssh_key(&ssh("K2", &a.id, "f1"), 2),
        Err(StoreError::AlreadyExists)
    );
    s.create_ssh_key(&ssh("K3", &b.id, "f1"), 2).unwrap();
    s.create_ssh_key(&ssh("K4", &a.id, "f2"), 2).unwrap();
    assert_eq!(
        s.create_ssh_key(&ssh("K5", &a.id, "f3"), 2),
        Err(StoreError::LimitExceeded)
    );
    let ids: Vec<_> = s
        .list_ssh_keys(ACCT, &a.id)
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(ids, ["K1", "K4"]);
    assert_eq!(s.get_ssh_key(ACCT, &b.id, "K1").unwrap(), None);
    s.update_ssh_key_status(ACCT, &a.id, "K1", KeyStatus::Inactive)
        .unwrap();
    assert_eq!(
        s.get_ssh_key(ACCT, &a.id, "K1").unwrap().map(|k| k.status),
        Some(KeyStatus::Inactive)
    );
    assert_eq!(
        s.update_ssh_key_status(ACCT, &b.id, "K1", KeyStatus::Active),
        Err(StoreError::NotFound)
    );
    assert_eq!(
        s.delete_ssh_key(ACCT, &b.id, "K1"),
        Err(StoreError::NotFound)
    );
    s.delete_ssh_key(ACCT, &a.id, "K1").unwrap();
    assert_eq!(s.list_ssh_keys(ACCT, &a.id).unwrap().len(), 1);
}

pub(crate) fn service_credentials(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    let b = user("b", "/");
    s.create_user(&a, &[], 10).unwrap();
    s.create_user(&b, &[], 10).unwrap();
    let cc = "codecommit.amazonaws.com";
    let ks = "cassandra.amazonaws.com";
    s.create_service_credential(&cred("C1", &a.id, cc), 2)
        .unwrap();
    s.create_service_credential(&cred("C2", &a.id, cc), 2)
        .unwrap();
    assert_eq!(
        s.create_service_credential(&cred("C3", &a.id, cc), 2),
        Err(StoreError::LimitExceeded)
    );
    let mut api_key = cred("C4", &a.id, ks);
    api_key.expiration = Some(Utc::now() + TimeDelta::days(3));
    s.create_service_credential(&api_key, 2).unwrap();
    s.create_service_credential(&cred("C5", &b.id, cc), 2)
        .unwrap();
    let ids = |u: Option<&str>, svc: Option<&str>| -> Vec<String> {
        s.list_service_credentials(ACCT, u, svc)
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    };
    assert_eq!(ids(Some(&a.id), None), ["C1", "C2", "C4"]);
    assert_eq!(ids(Some(&a.id), Some(ks)), ["C4"]);
    assert_eq!(
        s.list_service_credentials(ACCT, Some(&a.id), Some(ks))
            .unwrap()[0]
            .expiration
            .map(|t| t.timestamp()),
        api_key.expiration.map(|t| t.timestamp())
    );
    assert_eq!(ids(None, Some(cc)), ["C1", "C2", "C5"]);
    let reset = s
        .reset_service_credential(ACCT, &a.id, "C1", &[7, 7])
        .unwrap();
    assert_eq!(reset.sealed_password, vec![7, 7]);
    assert_eq!(
        s.list_service_credentials(ACCT, Some(&a.id), None).unwrap()[0].sealed_password,
        vec![7, 7]
    );
    assert_eq!(
        s.reset_service_credential(ACCT, &b.id, "C1", &[1]),
        Err(StoreError::NotFound)
    );
    s.update_service_credential_status(ACCT, &a.id, "C2", KeyStatus::Inactive)
        .unwrap();
    assert_eq!(
        s.list_service_credentials(ACCT, Some(&a.id), Some(cc))
            .unwrap()
            .iter()
            .map(|c| c.status)
            .collect::<Vec<_>>(),
        [KeyStatus::Active, KeyStatus::Inactive]
    );
    assert_eq!(
        s.delete_service_credential(ACCT, &b.id, "C2"),
        Err(StoreError::NotFound)
    );
    s.delete_service_credential(ACCT, &a.id, "C2").unwrap();
    s.create_service_credential(&cred("C6", &a.id, cc), 2)
        .unwrap();
}

pub(crate) fn signing_certificates(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    s.create_user(&a, &[], 10).unwrap();
    s.create_signing_cert(&signing("S1", Some(&a.id), "f1"), 2)
        .unwrap();
    // The same certificate cannot be held twice in an account, by anyone.
    assert_eq!(
        s.create_signing_cert(&signing("S2", None, "f1"), 2),
        Err(StoreError::AlreadyExists)
    );
    s.create_signing_cert(&signing("S3", Some(&a.id), "f2"), 2)
        .unwrap();
    assert_eq!(
        s.create_signing_cert(&signing("S4", Some(&a.id), "f3"), 2),
        Err(StoreError::LimitExceeded)
    );
    // Root's certificates are counted apart from users'.
    s.create_signing_cert(&signing("S5", None, "f3"), 2)
        .unwrap();
    assert_eq!(s.account_counts(ACCT).unwrap().root_signing_certificates, 1);
    assert_eq!(s.list_signing_certs(ACCT, Some(&a.id)).unwrap().len(), 2);
    assert_eq!(s.list_signing_certs(ACCT, None).unwrap()[0].id, "S5");
    assert_eq!(
        s.update_signing_cert_status(ACCT, None, "S1", KeyStatus::Inactive),
        Err(StoreError::NotFound)
    );
    s.update_signing_cert_status(ACCT, Some(&a.id), "S1", KeyStatus::Inactive)
        .unwrap();
    assert_eq!(
        s.list_signing_certs(ACCT, Some(&a.id)).unwrap()[0].status,
        KeyStatus::Inactive
    );
    s.delete_signing_cert(ACCT, Some(&a.id), "S1").unwrap();
    assert_eq!(
        s.delete_signing_cert(ACCT, Some(&a.id), "S1"),
        Err(StoreError::NotFound)
    );
    s.create_signing_cert(&signing("S6", Some(&a.id), "f1"), 2)
        .unwrap();
}

pub(crate) fn server_certificates(s: &dyn Store) {
    setup(s);
    let tags = [Tag {
        key: "env".into(),
        value: "prod".into(),
    }];
    s.create_server_cert(&server("Web", "/cloudfront/"), &tags, 3)
        .unwrap();
    assert_eq!(
        s.create_server_cert(&server("web", "/"), &[], 3),
        Err(StoreError::AlreadyExists)
    );
    s.create_server_cert(&server("api", "/"), &[], 3).unwrap();
    s.create_server_cert(&server("b", "/"), &[], 3).unwrap();
    assert_eq!(
        s.create_server_cert(&server("c", "/"), &[], 3),
        Err(StoreError::LimitExceeded)
    );
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

pub(crate) fn credentials_block_user_deletion(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    s.create_user(&a, &[], 10).unwrap();
    s.create_ssh_key(&ssh("K1", &a.id, "f"), 5).unwrap();
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.delete_ssh_key(ACCT, &a.id, "K1").unwrap();
    s.create_service_credential(&cred("C1", &a.id, "codecommit.amazonaws.com"), 2)
        .unwrap();
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.delete_service_credential(ACCT, &a.id, "C1").unwrap();
    s.create_signing_cert(&signing("S1", Some(&a.id), "f"), 2)
        .unwrap();
    assert!(matches!(
        s.delete_user(ACCT, "a"),
        Err(StoreError::Conflict(_))
    ));
    s.delete_signing_cert(ACCT, Some(&a.id), "S1").unwrap();
    s.delete_user(ACCT, "a").unwrap();
}
