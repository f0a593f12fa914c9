//! Core's rules for uploaded credentials (`portcullis_core::iam::credentials`): an SSH key held
//! once per user and at most five, service-specific credentials at most two per service, a
//! signing certificate held once per account and at most two per user (the root user apart),
//! and server certificates (`iam::server_certs`: unique names, at most twenty per account), run
//! through the `Tx` seam on each engine and checked with AWS's wording.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::Utc;
use portcullis_core::credentials::{ServiceCredential, SigningCertificate, SshPublicKey};
use portcullis_core::iam::{credentials, server_certs};
use portcullis_core::store::write;
use portcullis_core::{IamError, KeyStatus, Store};

mod common;
use common::{ACCT, with_user};

fn ssh_keys_are_held_once_and_at_most_five(s: &dyn Store) {
    let u = with_user(s);
    let key = |i: usize| SshPublicKey {
        id: format!("APKA{i}"),
        account: ACCT.into(),
        user_id: u.id.clone(),
        body: format!("ssh-ed25519 {i}"),
        fingerprint: format!("f{i}"),
        status: KeyStatus::Active,
        uploaded: Utc::now(),
    };
    let add = |k: &SshPublicKey| write(s, |tx| credentials::add_ssh_key(tx, k));
    add(&key(0)).unwrap();
    let mut again = key(0);
    again.id = "APKAX".into();
    let err = add(&again).unwrap_err();
    assert_eq!(err, IamError::DuplicateSshPublicKey);
    assert_eq!(
        err.to_string(),
        "The SSH public key is already associated with the specified IAM user."
    );
    for i in 1..5 {
        add(&key(i)).unwrap();
    }
    let err = add(&key(5)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for PublicKeysPerUser: 5"
    );
}

fn service_credentials_are_two_per_service(s: &dyn Store) {
    let u = with_user(s);
    let cred = |i: usize, service: &str| ServiceCredential {
        id: format!("ACCA{i}"),
        account: ACCT.into(),
        user_id: u.id.clone(),
        service_name: service.into(),
        service_user_name: format!("u-at-{i}"),
        sealed_password: vec![1],
        status: KeyStatus::Active,
        created: Utc::now(),
        expiration: None,
    };
    let add = |c: &ServiceCredential| write(s, |tx| credentials::add_service_credential(tx, c));
    let cc = "codecommit.amazonaws.com";
    add(&cred(0, cc)).unwrap();
    add(&cred(1, cc)).unwrap();
    let err = add(&cred(2, cc)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2"
    );
    add(&cred(3, "cassandra.amazonaws.com")).expect("another service has its own quota");
}

fn signing_certificates_are_held_once_per_account_and_two_per_user(s: &dyn Store) {
    let u = with_user(s);
    let cert = |i: usize, user: Option<&str>| SigningCertificate {
        id: format!("CERT{i}"),
        account: ACCT.into(),
        user_id: user.map(str::to_string),
        body: "-----BEGIN CERTIFICATE-----".into(),
        fingerprint: format!("f{i}"),
        status: KeyStatus::Active,
        uploaded: Utc::now(),
    };
    let add = |c: &SigningCertificate| write(s, |tx| credentials::add_signing_cert(tx, c));
    add(&cert(0, Some(&u.id))).unwrap();
    let mut roots = cert(0, None);
    roots.id = "CERTX".into();
    let err = add(&roots).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The same certificate is already associated with an IAM user in the account."
    );
    add(&cert(1, Some(&u.id))).unwrap();
    let err = add(&cert(2, Some(&u.id))).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for CertificatesPerUser: 2"
    );
    add(&cert(3, None)).expect("the root user's certificates are counted apart");
}

fn server_certificates_have_unique_names_and_a_quota(s: &dyn Store) {
    with_user(s);
    let cert = |name: &str| portcullis_core::credentials::ServerCertificate {
        id: format!("ASCA{}", name.to_uppercase()),
        account: ACCT.into(),
        name: name.into(),
        path: "/".into(),
        body: "cert".into(),
        chain: None,
        sealed_private_key: vec![1],
        uploaded: Utc::now(),
        expiration: Utc::now(),
    };
    let add = |name: &str| write(s, |tx| server_certs::create(tx, &cert(name), &[]));
    add("web").unwrap();
    let err = add("WEB").unwrap_err();
    assert_eq!(
        err.to_string(),
        "The Server Certificate with name WEB already exists."
    );
    for i in 1..20 {
        add(&format!("c{i}")).unwrap();
    }
    let err = add("more").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for ServerCertificatesPerAccount: 20"
    );
}

engines![
    ssh_keys_are_held_once_and_at_most_five,
    service_credentials_are_two_per_service,
    signing_certificates_are_held_once_per_account_and_two_per_user,
    server_certificates_have_unique_names_and_a_quota,
];
