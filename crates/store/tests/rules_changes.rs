//! Core's rules for changing and deleting what already exists, run through the `Tx` seam on each
//! engine: a credential changed or deleted must be its owner's (an access key, SSH key, signing
//! certificate or service-specific credential of another user, or of the root user, is not
//! there), and each refusal carries AWS's NoSuchEntity words;
//! untagging ignores the case of keys only where tagging does (users and roles); a server
//! certificate is renamed only to a free name and deleted with its tags; an account deletes only
//! its own alias, and its settings are set and removed in one write; outbound federation is
//! enabled only when disabled (keeping its issuer) and disabled only when enabled.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::Utc;
use portcullis_core::credentials::{
    ServerCertificate, ServiceCredential, SigningCertificate, SshPublicKey,
};
use portcullis_core::iam::credentials::{self, changes};
use portcullis_core::iam::{access_keys, account, account_properties, server_certs, tags};
use portcullis_core::quotas::Quotas;
use portcullis_core::store::{Rename, write};
use portcullis_core::{AccessKey, IamError, KeyStatus, Store, Tag};

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
    let missing = missing("Access Key", "AKIA1");
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

/// The NoSuchEntity words for `id` of `kind`, as AWS gives them.
fn missing(kind: &str, id: &str) -> String {
    format!("The {kind} with id {id} cannot be found.")
}

fn ssh_keys_change_only_their_owners(s: &dyn Store) {
    let u = with_user(s);
    let key = SshPublicKey {
        id: "APKA1".into(),
        account: ACCT.into(),
        user_id: u.id.clone(),
        body: "ssh-ed25519 k".into(),
        fingerprint: "f".into(),
        status: KeyStatus::Active,
        uploaded: Utc::now(),
    };
    write(s, |tx| credentials::add_ssh_key(tx, &key)).unwrap();
    let words = missing("Public Key", "APKA1");
    let set = |who: &str| {
        write(s, |tx| {
            changes::set_ssh_key_status(tx, ACCT, who, "APKA1", KeyStatus::Inactive)
        })
    };
    assert_eq!(set("AIDAOTHER").unwrap_err().to_string(), words);
    set(&u.id).unwrap();
    let status = s
        .get_ssh_key(ACCT, &u.id, "APKA1")
        .unwrap()
        .map(|k| k.status);
    assert_eq!(status, Some(KeyStatus::Inactive));
    let delete = |who: &str| write(s, |tx| changes::delete_ssh_key(tx, ACCT, who, "APKA1"));
    assert_eq!(delete("AIDAOTHER").unwrap_err().to_string(), words);
    delete(&u.id).unwrap();
    assert_eq!(delete(&u.id).unwrap_err().to_string(), words);
}

fn signing_certificates_change_only_their_owners(s: &dyn Store) {
    let u = with_user(s);
    let cert = SigningCertificate {
        id: "CERT1".into(),
        account: ACCT.into(),
        user_id: Some(u.id.clone()),
        body: "-----BEGIN CERTIFICATE-----".into(),
        fingerprint: "f".into(),
        status: KeyStatus::Active,
        uploaded: Utc::now(),
    };
    write(s, |tx| credentials::add_signing_cert(tx, &cert)).unwrap();
    let words = missing("Certificate", "CERT1");
    let owner = Some(u.id.as_str());
    let set = |who: Option<&str>| {
        write(s, |tx| {
            changes::set_signing_cert_status(tx, ACCT, who, "CERT1", KeyStatus::Inactive)
        })
    };
    assert_eq!(
        set(None).unwrap_err().to_string(),
        words,
        "root's are apart"
    );
    set(owner).unwrap();
    let certs = s.list_signing_certs(ACCT, owner).unwrap();
    assert_eq!(certs[0].status, KeyStatus::Inactive);
    let delete =
        |who: Option<&str>| write(s, |tx| changes::delete_signing_cert(tx, ACCT, who, "CERT1"));
    assert_eq!(delete(None).unwrap_err().to_string(), words);
    delete(owner).unwrap();
    assert_eq!(delete(owner).unwrap_err().to_string(), words);
}

fn service_credentials_change_only_their_owners(s: &dyn Store) {
    let u = with_user(s);
    let cred = ServiceCredential {
        id: "ACCA1".into(),
        account: ACCT.into(),
        user_id: u.id.clone(),
        service_name: "codecommit.amazonaws.com".into(),
        service_user_name: "u-at-1".into(),
        sealed_password: vec![1],
        status: KeyStatus::Active,
        created: Utc::now(),
        expiration: None,
    };
    write(s, |tx| credentials::add_service_credential(tx, &cred)).unwrap();
    let words = "No such credential ACCA1 exists";
    let reset = |who: &str| {
        write(s, |tx| {
            changes::reset_service_credential(tx, ACCT, who, "ACCA1", &[7, 7])
        })
    };
    assert_eq!(reset("AIDAOTHER").unwrap_err().to_string(), words);
    assert_eq!(reset(&u.id).unwrap().sealed_password, vec![7, 7]);
    let stored = s.list_service_credentials(ACCT, Some(&u.id), None).unwrap();
    assert_eq!(stored[0].sealed_password, vec![7, 7]);
    let set = |who: &str| {
        write(s, |tx| {
            changes::set_service_credential_status(tx, ACCT, who, "ACCA1", KeyStatus::Inactive)
        })
    };
    assert_eq!(set("AIDAOTHER").unwrap_err().to_string(), words);
    set(&u.id).unwrap();
    let stored = s.list_service_credentials(ACCT, Some(&u.id), None).unwrap();
    assert_eq!(stored[0].status, KeyStatus::Inactive);
    let delete = |who: &str| {
        write(s, |tx| {
            changes::delete_service_credential(tx, ACCT, who, "ACCA1")
        })
    };
    assert_eq!(delete("AIDAOTHER").unwrap_err().to_string(), words);
    delete(&u.id).unwrap();
    assert_eq!(delete(&u.id).unwrap_err().to_string(), words);
}

fn server_certificates_rename_to_free_names_and_delete_with_tags(s: &dyn Store) {
    let cert = |name: &str| ServerCertificate {
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
    let tag = [Tag {
        key: "env".into(),
        value: "prod".into(),
    }];
    write(s, |tx| server_certs::create(tx, &cert("web"), &tag)).unwrap();
    write(s, |tx| server_certs::create(tx, &cert("api"), &[])).unwrap();
    let to = |name: Option<&str>, path: Option<&str>| Rename {
        new_name: name.map(str::to_string),
        new_path: path.map(str::to_string),
    };
    let update = |name: &str, r: &Rename| write(s, |tx| server_certs::update(tx, ACCT, name, r));
    let err = update("nope", &to(Some("x"), None)).unwrap_err();
    let gone = |n: &str| format!("The Server Certificate with name {n} cannot be found.");
    assert_eq!(err.to_string(), gone("nope"));
    let err = update("web", &to(Some("API"), None)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "The Server Certificate with name API already exists."
    );
    let moved = update("WEB", &to(Some("www"), Some("/x/"))).unwrap();
    assert_eq!((moved.name.as_str(), moved.path.as_str()), ("www", "/x/"));
    assert_eq!(s.get_server_cert(ACCT, "www").unwrap(), Some(moved.clone()));
    let same = update("www", &to(Some("WWW"), None)).unwrap();
    assert_eq!(same.name, "WWW", "a change of case only is allowed");
    let delete = |name: &str| write(s, |tx| server_certs::delete(tx, ACCT, name));
    assert_eq!(delete("web").unwrap_err().to_string(), gone("web"));
    delete("www").unwrap();
    assert_eq!(s.get_server_cert(ACCT, "www").unwrap(), None);
    assert_eq!(s.tags(&moved.id).unwrap(), []);
    assert_eq!(delete("www").unwrap_err().to_string(), gone("www"));
}

fn only_the_accounts_own_alias_is_deleted(s: &dyn Store) {
    let other = "444455556666";
    s.create_account(&portcullis_core::Account {
        id: other.into(),
        created: Utc::now(),
    })
    .unwrap();
    write(s, |tx| account::create_alias(tx, other, "acme")).unwrap();
    let delete = |acct: &str| write(s, |tx| account::delete_alias(tx, acct, "acme"));
    let gone = "The account alias acme cannot be found.";
    assert_eq!(delete(ACCT).unwrap_err().to_string(), gone);
    assert_eq!(s.account_aliases(other).unwrap(), ["acme"]);
    delete(other).unwrap();
    assert!(s.account_aliases(other).unwrap().is_empty());
    assert_eq!(delete(other).unwrap_err().to_string(), gone);
}

fn account_settings_are_set_and_removed_together(s: &dyn Store) {
    let set = |k: &str, v: Option<&str>| (k.to_string(), v.map(str::to_string));
    let put = |settings: &[(String, Option<String>)]| {
        write(s, |tx| account_properties::put_settings(tx, ACCT, settings))
    };
    put(&[
        set("property:a/x", Some("1")),
        set("property:b/y", Some("2")),
    ])
    .unwrap();
    put(&[set("property:a/x", None), set("property:b/y", Some("3"))]).unwrap();
    let got = s.account_settings(ACCT, "property:").unwrap();
    assert_eq!(got, [("property:b/y".to_string(), "3".to_string())]);
}

fn outbound_federation_toggles_and_keeps_its_issuer(s: &dyn Store) {
    let enable = |issuer: &str| {
        write(s, |tx| {
            account_properties::enable_outbound(tx, ACCT, issuer)
        })
    };
    let disable = || write(s, |tx| account_properties::disable_outbound(tx, ACCT));
    let off = "Outbound identity federation is disabled for your AWS account.";
    assert_eq!(disable().unwrap_err(), IamError::OutboundFederationDisabled);
    assert_eq!(enable("https://first").unwrap(), "https://first");
    assert_eq!(
        enable("https://second").unwrap_err(),
        IamError::OutboundFederationEnabled
    );
    disable().unwrap();
    assert_eq!(disable().unwrap_err().to_string(), off);
    assert_eq!(
        enable("https://second").unwrap(),
        "https://first",
        "the issuer is kept"
    );
}

engines![
    access_keys_change_only_their_owners,
    untag_folds_case_only_where_tags_do,
    ssh_keys_change_only_their_owners,
    signing_certificates_change_only_their_owners,
    service_credentials_change_only_their_owners,
    server_certificates_rename_to_free_names_and_delete_with_tags,
    only_the_accounts_own_alias_is_deleted,
    account_settings_are_set_and_removed_together,
    outbound_federation_toggles_and_keeps_its_issuer,
];
