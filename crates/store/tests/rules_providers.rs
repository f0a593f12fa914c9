//! Core's rules for identity providers (`portcullis_core::iam::providers`): one OpenID Connect
//! provider per URL and a hundred per account, a hundred client ids per provider (adding a
//! present one is not an error), one SAML provider per name and a hundred per account, run
//! through the `Tx` seam on each engine and checked with AWS's wording.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::{TimeDelta, Utc};
use portcullis_core::iam::providers;
use portcullis_core::reports::IdentityPropagation;
use portcullis_core::store::write;
use portcullis_core::{OidcProvider, SamlProvider, SamlSettings, Store};

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

engines![
    oidc_providers_one_per_url_a_hundred_each_with_a_hundred_client_ids,
    saml_providers_one_per_name_and_a_hundred_each,
];
