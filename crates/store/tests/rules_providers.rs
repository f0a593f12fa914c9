//! Core's rules for identity providers (`portcullis_core::iam::providers`): one OpenID Connect
//! provider per URL and a hundred per account, a hundred client ids per provider (adding a
//! present one is not an error), one SAML provider per name and a hundred per account, and the
//! changes and deletions of an existing provider (NoSuchEntity when it is missing; a
//! propagation update that changes nothing is refused), run through the `Tx` seam on each
//! engine and checked with AWS's wording.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::{TimeDelta, Utc};
use portcullis_core::iam::propagation::{Change, ContextRequest};
use portcullis_core::iam::providers;
use portcullis_core::reports::IdentityPropagation;
use portcullis_core::store::write;
use portcullis_core::{IamError, OidcProvider, SamlProvider, SamlSettings, Store};

mod common;
use common::ACCT;

fn oidc(url: &str) -> OidcProvider {
    OidcProvider {
        account: ACCT.into(),
        url: url.into(),
        client_ids: vec!["sts.amazonaws.com".into()],
        thumbprints: Vec::new(),
        created: Utc::now(),
    }
}

fn oidc_providers_one_per_url_a_hundred_each_with_a_hundred_client_ids(s: &dyn Store) {
    let none = IdentityPropagation::default();
    let create = |p: &OidcProvider, given: &str| {
        write(s, |tx| providers::create_oidc(tx, p, &none, &[], given))
    };
    let gh = oidc("token.actions.githubusercontent.com");
    create(&gh, "https://token.actions.githubusercontent.com").unwrap();
    let err = create(&gh, "https://token.actions.githubusercontent.com/").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Provider with url https://token.actions.githubusercontent.com/ already exists."
    );
    for i in 1..100 {
        create(&oidc(&format!("p{i}.example.com")), "x").unwrap();
    }
    let err = create(&oidc("more.example.com"), "x").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100"
    );

    let arn = gh.arn();
    let add = |id: &str| write(s, |tx| providers::add_client_id(tx, ACCT, &arn, id));
    for i in 1..100 {
        add(&format!("app{i}")).unwrap();
    }
    add("sts.amazonaws.com").expect("a present client id is not an error, even at the quota");
    let err = add("one-more").unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: 100"
    );
    let missing = format!("arn:aws:iam::{ACCT}:oidc-provider/nope");
    let err = write(s, |tx| providers::add_client_id(tx, ACCT, &missing, "x")).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!("OpenIDConnect Provider not found for arn {missing}")
    );
}

fn saml_providers_one_per_name_and_a_hundred_each(s: &dyn Store) {
    let saml = |name: &str| SamlProvider {
        account: ACCT.into(),
        name: name.into(),
        uuid: format!("uuid-{name}"),
        metadata: "<md/>".into(),
        created: Utc::now(),
        valid_until: Utc::now() + TimeDelta::days(30),
    };
    let create = |p: &SamlProvider| {
        write(s, |tx| {
            providers::create_saml(tx, p, &SamlSettings::default(), &[])
        })
    };
    create(&saml("Okta")).unwrap();
    let err = create(&saml("Okta")).unwrap_err();
    assert_eq!(err.to_string(), "SAMLProvider Okta already exists.");
    for i in 1..100 {
        create(&saml(&format!("p{i}"))).unwrap();
    }
    let err = create(&saml("more")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Cannot exceed quota for SAMLProvidersPerAccount: 100"
    );
}

fn provider_changes_and_deletions_name_what_is_missing(s: &dyn Store) {
    let p = oidc("idp.example.com");
    let arn = p.arn();
    let gone = format!("arn:aws:iam::{ACCT}:oidc-provider/nope");
    let none = IdentityPropagation::default();
    write(s, |tx| providers::create_oidc(tx, &p, &none, &[], "x")).unwrap();
    let thumbprints = ["a".repeat(40)];
    write(s, |tx| {
        providers::set_thumbprints(tx, ACCT, &arn, &thumbprints)
    })
    .unwrap();
    write(s, |tx| {
        providers::remove_client_id(tx, ACCT, &arn, "sts.amazonaws.com")
    })
    .unwrap();
    write(s, |tx| {
        providers::remove_client_id(tx, ACCT, &arn, "never-there")
    })
    .expect("removing an absent client id is not an error");
    let got = s.get_oidc_provider(ACCT, &arn).unwrap().unwrap();
    assert_eq!(
        (got.thumbprints, got.client_ids.len()),
        (thumbprints.to_vec(), 0)
    );
    let oidc_missing = format!("OpenIDConnect Provider not found for arn {gone}");
    let err = write(s, |tx| providers::set_thumbprints(tx, ACCT, &gone, &[])).unwrap_err();
    assert_eq!(err.to_string(), oidc_missing);
    let err = write(s, |tx| providers::remove_client_id(tx, ACCT, &gone, "x")).unwrap_err();
    assert_eq!(err.to_string(), oidc_missing);

    let context = Change {
        context_provider: Some(ContextRequest {
            subject_source_key: Some("sub"),
            subject_type_value: None,
            subject_type_source_key: None,
            keys: Vec::new(),
        }),
        ..Change::default()
    };
    let update = |arn: &str, change: &Change<'_>| {
        write(s, |tx| {
            providers::update_oidc_propagation(tx, ACCT, arn, change)
        })
    };
    let err = update(&gone, &context).unwrap_err();
    assert_eq!(err.to_string(), oidc_missing);
    update(&arn, &context).unwrap();
    let set = s.oidc_propagation(ACCT, &arn).unwrap();
    assert!(set.context_provider.is_some_and(|c| c.contains("sub")));
    let err = update(&arn, &Change::default()).unwrap_err();
    assert_eq!(err, IamError::NoPropagationChange);

    let err = write(s, |tx| providers::delete_oidc(tx, ACCT, &gone)).unwrap_err();
    assert_eq!(err, IamError::NoSuchOidcProviderToDelete(gone.clone()));
    write(s, |tx| providers::delete_oidc(tx, ACCT, &arn)).unwrap();
    assert_eq!(s.get_oidc_provider(ACCT, &arn).unwrap(), None);

    let saml = SamlProvider {
        account: ACCT.into(),
        name: "Okta".into(),
        uuid: "uuid".into(),
        metadata: "<md/>".into(),
        created: Utc::now(),
        valid_until: Utc::now() + TimeDelta::days(30),
    };
    let arn = saml.arn();
    let gone = format!("arn:aws:iam::{ACCT}:saml-provider/nope");
    write(s, |tx| {
        providers::create_saml(tx, &saml, &SamlSettings::default(), &[])
    })
    .unwrap();
    let settings = SamlSettings {
        encryption_mode: Some("Allowed".into()),
        ..SamlSettings::default()
    };
    let later = saml.created + TimeDelta::days(365);
    let update = |arn: &str, settings: Option<&SamlSettings>, doc: Option<(&str, _)>| {
        write(s, |tx| providers::update_saml(tx, ACCT, arn, settings, doc))
    };
    update(&arn, Some(&settings), Some(("<new/>", later))).unwrap();
    assert_eq!(s.saml_settings(ACCT, &arn).unwrap(), settings);
    assert_eq!(
        s.get_saml_provider(ACCT, &arn).unwrap().unwrap().metadata,
        "<new/>"
    );
    update(&arn, None, Some(("<newer/>", later))).unwrap();
    assert_eq!(
        s.saml_settings(ACCT, &arn).unwrap(),
        settings,
        "settings the request does not change are kept"
    );
    let saml_missing = format!("Manifest not found for arn {gone}");
    let err = update(&gone, None, None).unwrap_err();
    assert_eq!(err.to_string(), saml_missing);
    let err = write(s, |tx| providers::delete_saml(tx, ACCT, &gone)).unwrap_err();
    assert_eq!(err.to_string(), saml_missing);
    write(s, |tx| providers::delete_saml(tx, ACCT, &arn)).unwrap();
    assert_eq!(s.get_saml_provider(ACCT, &arn).unwrap(), None);
}

engines![
    provider_changes_and_deletions_name_what_is_missing,
    oidc_providers_one_per_url_a_hundred_each_with_a_hundred_client_ids,
    saml_providers_one_per_name_and_a_hundred_each,
];
