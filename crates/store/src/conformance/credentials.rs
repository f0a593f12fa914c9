//! Conformance cases for SSH public keys, service-specific credentials and signing certificates,
//! and for how they block deleting their user.

use super::{ACCT, dependents, put_user, remove_user, setup, tx, user};
use chrono::{TimeDelta, Utc};
use portcullis_core::credentials::{ServiceCredential, SigningCertificate, SshPublicKey};
use portcullis_core::{KeyStatus, Store, StoreError};

fn put_cert(s: &dyn Store, c: &SigningCertificate) {
    tx(s, |t| t.insert_signing_cert(c)).unwrap();
}

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

fn ssh_keys(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    let b = user("b", "/");
    put_user(s, &a, &[]);
    put_user(s, &b, &[]);
    tx(s, |t| t.insert_ssh_key(&ssh("K1", &a.id, "f1"))).unwrap();
    assert_eq!(tx(s, |t| t.ssh_key_held(&a.id, "f1")), Ok(true));
    assert_eq!(tx(s, |t| t.ssh_key_held(&b.id, "f1")), Ok(false));
    tx(s, |t| t.insert_ssh_key(&ssh("K3", &b.id, "f1"))).unwrap();
    tx(s, |t| t.insert_ssh_key(&ssh("K4", &a.id, "f2"))).unwrap();
    assert_eq!(tx(s, |t| t.count_ssh_keys(&a.id)), Ok(2));
    let ids: Vec<_> = s
        .list_ssh_keys(ACCT, &a.id)
        .unwrap()
        .into_iter()
        .map(|k| k.id)
        .collect();
    assert_eq!(ids, ["K1", "K4"]);
    assert_eq!(s.get_ssh_key(ACCT, &b.id, "K1").unwrap(), None);
    tx(s, |t| {
        t.update_ssh_key_status(ACCT, &a.id, "K1", KeyStatus::Inactive)
    })
    .unwrap();
    assert_eq!(
        s.get_ssh_key(ACCT, &a.id, "K1").unwrap().map(|k| k.status),
        Some(KeyStatus::Inactive)
    );
    assert_eq!(
        tx(s, |t| t.update_ssh_key_status(
            ACCT,
            &b.id,
            "K1",
            KeyStatus::Active
        )),
        Err(StoreError::NotFound)
    );
    assert_eq!(
        tx(s, |t| t.delete_ssh_key(ACCT, &b.id, "K1")),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.delete_ssh_key(ACCT, &a.id, "K1")).unwrap();
    assert_eq!(s.list_ssh_keys(ACCT, &a.id).unwrap().len(), 1);
}

fn service_credentials(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    let b = user("b", "/");
    put_user(s, &a, &[]);
    put_user(s, &b, &[]);
    let cc = "codecommit.amazonaws.com";
    let ks = "cassandra.amazonaws.com";
    tx(s, |t| t.insert_service_credential(&cred("C1", &a.id, cc))).unwrap();
    tx(s, |t| t.insert_service_credential(&cred("C2", &a.id, cc))).unwrap();
    assert_eq!(tx(s, |t| t.count_service_credentials(&a.id, cc)), Ok(2));
    assert_eq!(tx(s, |t| t.count_service_credentials(&a.id, ks)), Ok(0));
    let mut api_key = cred("C4", &a.id, ks);
    api_key.expiration = Some(Utc::now() + TimeDelta::days(3));
    tx(s, |t| t.insert_service_credential(&api_key)).unwrap();
    tx(s, |t| t.insert_service_credential(&cred("C5", &b.id, cc))).unwrap();
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
    let reset = tx(s, |t| {
        t.reset_service_credential(ACCT, &a.id, "C1", &[7, 7])
    })
    .unwrap();
    assert_eq!(reset.sealed_password, vec![7, 7]);
    assert_eq!(
        s.list_service_credentials(ACCT, Some(&a.id), None).unwrap()[0].sealed_password,
        vec![7, 7]
    );
    assert_eq!(
        tx(s, |t| t.reset_service_credential(ACCT, &b.id, "C1", &[1])),
        Err(StoreError::NotFound)
    );
    tx(s, |t| {
        t.update_service_credential_status(ACCT, &a.id, "C2", KeyStatus::Inactive)
    })
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
        tx(s, |t| t.delete_service_credential(ACCT, &b.id, "C2")),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.delete_service_credential(ACCT, &a.id, "C2")).unwrap();
    tx(s, |t| t.insert_service_credential(&cred("C6", &a.id, cc))).unwrap();
}

fn signing_certificates(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    put_user(s, &a, &[]);
    put_cert(s, &signing("S1", Some(&a.id), "f1"));
    // Core refuses a certificate held anywhere in the account.
    assert_eq!(tx(s, |t| t.signing_cert_held(ACCT, "f1")), Ok(true));
    assert_eq!(tx(s, |t| t.signing_cert_held(ACCT, "f2")), Ok(false));
    put_cert(s, &signing("S3", Some(&a.id), "f2"));
    assert_eq!(tx(s, |t| t.count_signing_certs(ACCT, Some(&a.id))), Ok(2));
    // Root's certificates are counted apart from users'.
    put_cert(s, &signing("S5", None, "f3"));
    assert_eq!(tx(s, |t| t.count_signing_certs(ACCT, None)), Ok(1));
    assert_eq!(s.account_counts(ACCT).unwrap().root_signing_certificates, 1);
    assert_eq!(s.list_signing_certs(ACCT, Some(&a.id)).unwrap().len(), 2);
    assert_eq!(s.list_signing_certs(ACCT, None).unwrap()[0].id, "S5");
    assert_eq!(
        tx(s, |t| t.update_signing_cert_status(
            ACCT,
            None,
            "S1",
            KeyStatus::Inactive
        )),
        Err(StoreError::NotFound)
    );
    tx(s, |t| {
        t.update_signing_cert_status(ACCT, Some(&a.id), "S1", KeyStatus::Inactive)
    })
    .unwrap();
    assert_eq!(
        s.list_signing_certs(ACCT, Some(&a.id)).unwrap()[0].status,
        KeyStatus::Inactive
    );
    tx(s, |t| t.delete_signing_cert(ACCT, Some(&a.id), "S1")).unwrap();
    assert_eq!(
        tx(s, |t| t.delete_signing_cert(ACCT, Some(&a.id), "S1")),
        Err(StoreError::NotFound)
    );
    put_cert(s, &signing("S6", Some(&a.id), "f1"));
}

fn credentials_block_user_deletion(s: &dyn Store) {
    setup(s);
    let a = user("a", "/");
    put_user(s, &a, &[]);
    tx(s, |t| t.insert_ssh_key(&ssh("K1", &a.id, "f"))).unwrap();
    assert_eq!(dependents(s, &a.id).ssh_public_keys, 1);
    tx(s, |t| t.delete_ssh_key(ACCT, &a.id, "K1")).unwrap();
    tx(s, |t| {
        t.insert_service_credential(&cred("C1", &a.id, "codecommit.amazonaws.com"))
    })
    .unwrap();
    assert_eq!(dependents(s, &a.id).service_credentials, 1);
    tx(s, |t| t.delete_service_credential(ACCT, &a.id, "C1")).unwrap();
    put_cert(s, &signing("S1", Some(&a.id), "f"));
    assert_eq!(dependents(s, &a.id).signing_certificates, 1);
    tx(s, |t| t.delete_signing_cert(ACCT, Some(&a.id), "S1")).unwrap();
    remove_user(s, &a.id);
}

cases![
    ssh_keys,
    service_credentials,
    signing_certificates,
    credentials_block_user_deletion,
];
