//! Conformance cases for OpenID Connect and SAML identity providers and their settings.

use super::{ACCT, OTHER, other_account, setup, tx};
use chrono::{TimeDelta, Utc};
use portcullis_core::reports::IdentityPropagation;
use portcullis_core::{
    OidcProvider, SamlPrivateKey, SamlProvider, SamlSettings, Store, StoreError, Tag,
};

fn put_oidc(s: &dyn Store, p: &OidcProvider, propagation: &IdentityPropagation, tags: &[Tag]) {
    tx(s, |t| t.insert_oidc_provider(p, propagation, tags)).unwrap();
}

fn put_saml(s: &dyn Store, p: &SamlProvider, settings: &SamlSettings, tags: &[Tag]) {
    tx(s, |t| t.insert_saml_provider(p, settings, tags)).unwrap();
}

fn oidc(url: &str) -> OidcProvider {
    OidcProvider {
        account: ACCT.into(),
        url: url.into(),
        client_ids: vec!["sts.amazonaws.com".into(), "app".into()],
        thumbprints: vec!["a".repeat(40)],
        created: Utc::now(),
    }
}

fn saml(name: &str) -> SamlProvider {
    let created = Utc::now();
    SamlProvider {
        account: ACCT.into(),
        name: name.into(),
        uuid: format!("uuid-{name}"),
        metadata: format!("<md:EntityDescriptor entityID=\"{name}\"/>"),
        created,
        valid_until: created + TimeDelta::days(30),
    }
}

fn key(id: &str, days: i64) -> SamlPrivateKey {
    SamlPrivateKey {
        id: id.into(),
        uploaded: Utc::now() + TimeDelta::days(days),
        sealed: id.bytes().rev().collect(),
    }
}

/// The key ids, sealed keys and settings other than upload times (kept to the millisecond).
fn same(a: &SamlSettings, b: &SamlSettings) -> bool {
    let keys = |s: &SamlSettings| {
        s.private_keys
            .iter()
            .map(|k| {
                (
                    k.id.clone(),
                    k.sealed.clone(),
                    k.uploaded.timestamp_millis(),
                )
            })
            .collect::<Vec<_>>()
    };
    a.encryption_mode == b.encryption_mode && a.propagation == b.propagation && keys(a) == keys(b)
}

fn oidc_unique_counted_and_updates(s: &dyn Store) {
    setup(s);
    other_account(s);
    let tag = Tag {
        key: "k".into(),
        value: "v".into(),
    };
    let gh = oidc("token.actions.githubusercontent.com");
    put_oidc(
        s,
        &gh,
        &IdentityPropagation::default(),
        std::slice::from_ref(&tag),
    );
    assert_eq!(tx(s, |t| t.oidc_provider_exists(ACCT, &gh.arn())), Ok(true));
    assert_eq!(
        tx(s, |t| t.oidc_provider_exists(OTHER, &gh.arn())),
        Ok(false)
    );
    let elsewhere = OidcProvider {
        account: OTHER.into(),
        ..gh.clone()
    };
    put_oidc(s, &elsewhere, &IdentityPropagation::default(), &[]);
    let arn = gh.arn();
    assert_eq!(
        arn,
        format!("arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com")
    );
    let got = s.get_oidc_provider(ACCT, &arn).unwrap().unwrap();
    assert_eq!(
        (&got.url, &got.client_ids, &got.thumbprints),
        (&gh.url, &gh.client_ids, &gh.thumbprints)
    );
    assert!((got.created - gh.created).num_milliseconds().abs() < 1);
    assert_eq!(got.issuer(), "https://token.actions.githubusercontent.com");
    assert_eq!(s.tags(&arn).unwrap(), [tag]);
    assert_eq!(s.get_oidc_provider(OTHER, &arn).unwrap(), None);

    put_oidc(
        s,
        &oidc("example.com/tenant"),
        &IdentityPropagation::default(),
        &[],
    );
    assert_eq!(tx(s, |t| t.count_oidc_providers(ACCT)), Ok(2));
    let urls: Vec<String> = s
        .list_oidc_providers(ACCT)
        .unwrap()
        .into_iter()
        .map(|p| p.url)
        .collect();
    assert_eq!(
        urls,
        ["example.com/tenant", "token.actions.githubusercontent.com"]
    );

    tx(s, |t| t.insert_oidc_client_id(&arn, "app")).expect("a present id is kept once");
    tx(s, |t| t.insert_oidc_client_id(&arn, "third")).unwrap();
    assert_eq!(
        tx(s, |t| t.oidc_client_ids(&arn)),
        Ok(vec![
            "sts.amazonaws.com".to_string(),
            "app".to_string(),
            "third".to_string()
        ])
    );
    tx(s, |t| {
        t.remove_oidc_client_id(ACCT, &arn, "sts.amazonaws.com")
    })
    .unwrap();
    tx(s, |t| t.remove_oidc_client_id(ACCT, &arn, "never-there")).unwrap();
    tx(s, |t| t.insert_oidc_client_id(&arn, "fourth")).unwrap();
    tx(s, |t| {
        t.set_oidc_thumbprints(ACCT, &arn, &["b".repeat(40), "c".repeat(40)])
    })
    .unwrap();
    let got = s.get_oidc_provider(ACCT, &arn).unwrap().unwrap();
    assert_eq!(got.client_ids, ["app", "third", "fourth"]);
    assert_eq!(got.thumbprints, ["b".repeat(40), "c".repeat(40)]);
    tx(s, |t| t.set_oidc_thumbprints(ACCT, &arn, &[])).unwrap();
    assert!(
        s.get_oidc_provider(ACCT, &arn)
            .unwrap()
            .unwrap()
            .thumbprints
            .is_empty()
    );
    assert_eq!(s.account_counts(ACCT).unwrap().providers, 2);

    tx(s, |t| t.delete_oidc_provider(ACCT, &arn)).unwrap();
    assert_eq!(s.get_oidc_provider(ACCT, &arn).unwrap(), None);
    assert!(s.tags(&arn).unwrap().is_empty());
    assert_eq!(
        tx(s, |t| t.delete_oidc_provider(ACCT, &arn)),
        Err(StoreError::NotFound)
    );
    for r in [
        tx(s, |t| t.set_oidc_thumbprints(ACCT, &arn, &[])),
        tx(s, |t| t.remove_oidc_client_id(ACCT, &arn, "x")),
    ] {
        assert_eq!(r, Err(StoreError::NotFound));
    }
    assert!(
        s.get_oidc_provider(OTHER, &elsewhere.arn())
            .unwrap()
            .is_some(),
        "the other account's provider is untouched"
    );
}

fn saml_unique_counted_and_updates(s: &dyn Store) {
    setup(s);
    let tag = Tag {
        key: "k".into(),
        value: "v".into(),
    };
    let okta = saml("Okta");
    put_saml(
        s,
        &okta,
        &SamlSettings::default(),
        std::slice::from_ref(&tag),
    );
    assert_eq!(
        tx(s, |t| t.saml_provider_exists(ACCT, &okta.arn())),
        Ok(true)
    );
    put_saml(s, &saml("Azure"), &SamlSettings::default(), &[]);
    assert_eq!(tx(s, |t| t.count_saml_providers(ACCT)), Ok(2));
    let arn = okta.arn();
    assert_eq!(arn, format!("arn:aws:iam::{ACCT}:saml-provider/Okta"));
    let got = s.get_saml_provider(ACCT, &arn).unwrap().unwrap();
    assert_eq!(
        (&got.name, &got.uuid, &got.metadata),
        (&okta.name, &okta.uuid, &okta.metadata)
    );
    assert!(
        (got.valid_until - okta.valid_until)
            .num_milliseconds()
            .abs()
            < 1
    );
    assert_eq!(s.tags(&arn).unwrap(), [tag]);
    assert_eq!(s.get_saml_provider(OTHER, &arn).unwrap(), None);
    let names: Vec<String> = s
        .list_saml_providers(ACCT)
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["Azure", "Okta"]);
    assert_eq!(s.account_counts(ACCT).unwrap().providers, 2);

    let later = okta.created + TimeDelta::days(365);
    tx(s, |t| t.update_saml_metadata(ACCT, &arn, "<new/>", later)).unwrap();
    let got = s.get_saml_provider(ACCT, &arn).unwrap().unwrap();
    assert_eq!(got.metadata, "<new/>");
    assert!((got.valid_until - later).num_milliseconds().abs() < 1);

    tx(s, |t| t.delete_saml_provider(ACCT, &arn)).unwrap();
    assert_eq!(s.get_saml_provider(ACCT, &arn).unwrap(), None);
    assert!(s.tags(&arn).unwrap().is_empty());
    assert_eq!(
        tx(s, |t| t.delete_saml_provider(ACCT, &arn)),
        Err(StoreError::NotFound)
    );
    assert_eq!(
        tx(s, |t| t.update_saml_metadata(ACCT, &arn, "<x/>", later)),
        Err(StoreError::NotFound)
    );
}

fn saml_settings_are_kept_with_the_provider(s: &dyn Store) {
    setup(s);
    let first = SamlSettings {
        encryption_mode: Some("Required".into()),
        private_keys: vec![key("KEYONE2345678901234567", 0)],
        propagation: IdentityPropagation {
            context_provider: Some("{}".into()),
            identity_center_instance: None,
        },
    };
    let p = saml("Enc");
    let arn = p.arn();
    put_saml(s, &p, &first, &[]);
    assert!(same(&s.saml_settings(ACCT, &arn).unwrap(), &first));
    let plain = saml("Plain");
    put_saml(s, &plain, &SamlSettings::default(), &[]);
    assert_eq!(
        s.saml_settings(ACCT, &plain.arn()).unwrap(),
        SamlSettings::default()
    );

    // Replacing keeps only the keys given, oldest first whatever the order given.
    let second = SamlSettings {
        encryption_mode: Some("Allowed".into()),
        private_keys: vec![
            key("KEYTWO2345678901234567", 1),
            key("KEYONE2345678901234567", 0),
        ],
        propagation: IdentityPropagation {
            context_provider: Some("{\"a\":1}".into()),
            identity_center_instance: Some("arn:aws:sso:::instance/ssoins-1".into()),
        },
    };
    tx(s, |t| t.set_saml_settings(ACCT, &arn, &second)).unwrap();
    let got = s.saml_settings(ACCT, &arn).unwrap();
    let ids: Vec<&str> = got.private_keys.iter().map(|k| k.id.as_str()).collect();
    assert_eq!(ids, ["KEYONE2345678901234567", "KEYTWO2345678901234567"]);
    assert_eq!(got.encryption_mode.as_deref(), Some("Allowed"));
    assert_eq!(got.propagation, second.propagation);
    let third = SamlSettings {
        private_keys: vec![key("KEYTWO2345678901234567", 1)],
        ..second.clone()
    };
    tx(s, |t| t.set_saml_settings(ACCT, &arn, &third)).unwrap();
    assert!(same(&s.saml_settings(ACCT, &arn).unwrap(), &third));
    assert!(
        s.saml_settings(ACCT, &plain.arn())
            .unwrap()
            .private_keys
            .is_empty(),
        "the other provider keeps its own settings"
    );

    assert_eq!(s.saml_settings(OTHER, &arn), Err(StoreError::NotFound));
    assert_eq!(
        tx(s, |t| t.set_saml_settings(OTHER, &arn, &first)),
        Err(StoreError::NotFound)
    );
    tx(s, |t| t.delete_saml_provider(ACCT, &arn)).unwrap();
    assert_eq!(s.saml_settings(ACCT, &arn), Err(StoreError::NotFound));
    assert_eq!(
        tx(s, |t| t.set_saml_settings(ACCT, &arn, &first)),
        Err(StoreError::NotFound)
    );
    // A provider created again under the name starts without the old keys.
    put_saml(s, &p, &SamlSettings::default(), &[]);
    assert_eq!(
        s.saml_settings(ACCT, &arn).unwrap(),
        SamlSettings::default()
    );
}

fn oidc_propagation_is_kept_with_the_provider(s: &dyn Store) {
    setup(s);
    let p = OidcProvider {
        account: ACCT.into(),
        url: "idp.example.com".into(),
        client_ids: vec![],
        thumbprints: vec![],
        created: Utc::now(),
    };
    let arn = p.arn();
    assert_eq!(s.oidc_propagation(ACCT, &arn), Err(StoreError::NotFound));
    assert_eq!(
        tx(s, |t| t.set_oidc_propagation(
            ACCT,
            &arn,
            &IdentityPropagation::default()
        )),
        Err(StoreError::NotFound)
    );
    put_oidc(s, &p, &IdentityPropagation::default(), &[]);
    assert_eq!(
        s.oidc_propagation(ACCT, &arn).unwrap(),
        IdentityPropagation::default()
    );
    let set = IdentityPropagation {
        context_provider: Some(r#"{"SubjectSourceKey":"sub"}"#.into()),
        identity_center_instance: Some("arn:aws:sso:::instance/ssoins-1".into()),
    };
    tx(s, |t| t.set_oidc_propagation(ACCT, &arn, &set)).unwrap();
    assert_eq!(s.oidc_propagation(ACCT, &arn).unwrap(), set);
    assert_eq!(
        tx(s, |t| t.oidc_propagation(ACCT, &arn)),
        Ok(set.clone()),
        "core reads the settings it changes in the transaction"
    );
    assert_eq!(
        tx(s, |t| t.oidc_propagation(OTHER, &arn)),
        Err(StoreError::NotFound)
    );
    assert_eq!(s.oidc_propagation(OTHER, &arn), Err(StoreError::NotFound));
    tx(s, |t| t.delete_oidc_provider(ACCT, &arn)).unwrap();
    put_oidc(s, &p, &IdentityPropagation::default(), &[]);
    assert_eq!(
        s.oidc_propagation(ACCT, &arn).unwrap(),
        IdentityPropagation::default()
    );
    // Settings given at creation are stored with the provider.
    let q = OidcProvider {
        url: "second.example.com".into(),
        ..p
    };
    put_oidc(s, &q, &set, &[]);
    assert_eq!(s.oidc_propagation(ACCT, &q.arn()).unwrap(), set);
}

cases![
    oidc_unique_counted_and_updates,
    saml_unique_counted_and_updates,
    saml_settings_are_kept_with_the_provider,
    oidc_propagation_is_kept_with_the_provider,
];
