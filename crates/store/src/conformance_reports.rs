//! Conformance cases for account settings, report jobs, per-service last access and the
//! identity propagation settings of OpenID Connect providers.

use crate::conformance::{ACCT, Case, setup};
use chrono::{TimeDelta, Utc};
use portcullis_core::reports::{IdentityPropagation, ReportJob, ReportKind, ServiceAccess};
use portcullis_core::{Account, OidcProvider, Store, StoreError};

const OTHER: &str = "444455556666";

fn other_account(s: &dyn Store) {
    s.create_account(&Account {
        id: OTHER.into(),
        created: Utc::now(),
    })
    .unwrap();
}

fn settings_are_per_account_and_removable(s: &dyn Store) {
    setup(s);
    other_account(s);
    assert_eq!(s.account_setting(ACCT, "sts.version").unwrap(), None);
    let set = |k: &str, v: Option<&str>| (k.to_string(), v.map(str::to_string));
    s.put_account_settings(
        ACCT,
        &[
            set("sts.version", Some("v2Token")),
            set("prop:b/x", Some("1")),
            set("prop:a/y", Some("2")),
        ],
    )
    .unwrap();
    assert_eq!(
        s.account_setting(ACCT, "sts.version").unwrap().as_deref(),
        Some("v2Token")
    );
    assert_eq!(s.account_setting(OTHER, "sts.version").unwrap(), None);
    assert_eq!(
        s.account_settings(ACCT, "prop:").unwrap(),
        [
            ("prop:a/y".to_string(), "2".to_string()),
            ("prop:b/x".to_string(), "1".to_string())
        ]
    );
    // `_` and `%` in a prefix are not patterns.
    assert!(s.account_settings(ACCT, "prop_").unwrap().is_empty());
    s.put_account_settings(
        ACCT,
        &[set("sts.version", Some("v1Token")), set("prop:b/x", None)],
    )
    .unwrap();
    assert_eq!(
        s.account_setting(ACCT, "sts.version").unwrap().as_deref(),
        Some("v1Token")
    );
    assert_eq!(s.account_settings(ACCT, "prop:").unwrap().len(), 1);
    s.wipe().unwrap();
    setup(s);
    assert_eq!(s.account_setting(ACCT, "sts.version").unwrap(), None);
}

fn job(id: &str, age: TimeDelta) -> ReportJob {
    ReportJob {
        id: id.into(),
        account: ACCT.into(),
        kind: ReportKind::ServiceLastAccessed,
        target: format!("arn:aws:iam::{ACCT}:user/alice"),
        detail: "SERVICE_LEVEL".into(),
        created: Utc::now() - age,
    }
}

fn report_jobs_are_kept_per_account_and_forgotten(s: &dyn Store) {
    setup(s);
    let old = job("00000000-0000-0000-0000-000000000001", TimeDelta::days(10));
    s.create_report_job(&old, Utc::now() - TimeDelta::days(30))
        .unwrap();
    let got = s.get_report_job(ACCT, &old.id).unwrap().unwrap();
    assert_eq!(
        (got.kind, &got.target, &got.detail),
        (old.kind, &old.target, &old.detail)
    );
    assert!((got.created - old.created).num_milliseconds().abs() < 1);
    assert_eq!(s.get_report_job(OTHER, &old.id).unwrap(), None);
    assert_eq!(
        s.create_report_job(&old, Utc::now() - TimeDelta::days(30)),
        Err(StoreError::AlreadyExists)
    );
    let org = ReportJob {
        kind: ReportKind::OrganizationsAccess,
        ..job("00000000-0000-0000-0000-000000000002", TimeDelta::zero())
    };
    s.create_report_job(&org, Utc::now() - TimeDelta::days(7))
        .unwrap();
    assert_eq!(s.get_report_job(ACCT, &old.id).unwrap(), None);
    assert_eq!(
        s.get_report_job(ACCT, &org.id).unwrap().unwrap().kind,
        ReportKind::OrganizationsAccess
    );
}

fn service_access_keeps_the_newest(s: &dyn Store) {
    setup(s);
    let now = Utc::now();
    let rec = |entity: &str, service: &str, action: &str, at, region: &str| ServiceAccess {
        entity_id: entity.into(),
        service: service.into(),
        action: action.into(),
        at,
        region: region.into(),
    };
    let first = rec("AIDAALICE", "iam", "ListUsers", now, "eu-west-1");
    s.record_service_access(ACCT, &first).unwrap();
    // An older record does not replace a newer one; a newer one does.
    s.record_service_access(
        ACCT,
        &rec(
            "AIDAALICE",
            "iam",
            "ListUsers",
            now - TimeDelta::hours(1),
            "us-east-1",
        ),
    )
    .unwrap();
    let later = rec("AIDAALICE", "sts", "GetCallerIdentity", now, "us-east-2");
    s.record_service_access(ACCT, &later).unwrap();
    s.record_service_access(
        ACCT,
        &rec(
            "AROABOB",
            "iam",
            "GetRole",
            now + TimeDelta::minutes(20),
            "eu-west-1",
        ),
    )
    .unwrap();
    let mut got = s.service_access(&["AIDAALICE".into()]).unwrap();
    got.sort_by(|a, b| a.service.cmp(&b.service));
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].region, "eu-west-1");
    assert!((got[0].at - now).num_milliseconds().abs() < 1);
    assert_eq!(
        (got[1].service.as_str(), got[1].action.as_str()),
        ("sts", "GetCallerIdentity")
    );
    let newer = rec(
        "AIDAALICE",
        "iam",
        "ListUsers",
        now + TimeDelta::hours(1),
        "ap-south-1",
    );
    s.record_service_access(ACCT, &newer).unwrap();
    let both = s
        .service_access(&["AIDAALICE".into(), "AROABOB".into()])
        .unwrap();
    assert_eq!(both.len(), 3);
    assert!(
        both.iter()
            .any(|a| a.action == "ListUsers" && a.region == "ap-south-1")
    );
    assert!(s.service_access(&["AIDANOBODY".into()]).unwrap().is_empty());
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
        s.set_oidc_propagation(ACCT, &arn, &IdentityPropagation::default()),
        Err(StoreError::NotFound)
    );
    s.create_oidc_provider(&p, &IdentityPropagation::default(), &[], 10)
        .unwrap();
    assert_eq!(
        s.oidc_propagation(ACCT, &arn).unwrap(),
        IdentityPropagation::default()
    );
    let set = IdentityPropagation {
        context_provider: Some(r#"{"SubjectSourceKey":"sub"}"#.into()),
        identity_center_instance: Some("arn:aws:sso:::instance/ssoins-1".into()),
    };
    s.set_oidc_propagation(ACCT, &arn, &set).unwrap();
    assert_eq!(s.oidc_propagation(ACCT, &arn).unwrap(), set);
    assert_eq!(s.oidc_propagation(OTHER, &arn), Err(StoreError::NotFound));
    s.delete_oidc_provider(ACCT, &arn).unwrap();
    s.create_oidc_provider(&p, &IdentityPropagation::default(), &[], 10)
        .unwrap();
    assert_eq!(
        s.oidc_propagation(ACCT, &arn).unwrap(),
        IdentityPropagation::default()
    );
    // Settings given at creation are stored with the provider.
    let q = OidcProvider {
        url: "second.example.com".into(),
        ..p
    };
    s.create_oidc_provider(&q, &set, &[], 10).unwrap();
    assert_eq!(s.oidc_propagation(ACCT, &q.arn()).unwrap(), set);
}

fn credential_reports_are_replaced_per_account(s: &dyn Store) {
    setup(s);
    other_account(s);
    assert_eq!(s.credential_report(ACCT).unwrap(), None);
    let first = Utc::now() - TimeDelta::hours(5);
    s.put_credential_report(ACCT, first, "user,arn\na,b\n")
        .unwrap();
    let (at, text) = s.credential_report(ACCT).unwrap().unwrap();
    assert_eq!(at.timestamp(), first.timestamp());
    assert_eq!(text, "user,arn\na,b\n");
    assert_eq!(s.credential_report(OTHER).unwrap(), None);
    let second = Utc::now();
    s.put_credential_report(ACCT, second, "user,arn\n").unwrap();
    let (at, text) = s.credential_report(ACCT).unwrap().unwrap();
    assert_eq!(
        (at.timestamp(), text.as_str()),
        (second.timestamp(), "user,arn\n")
    );
}

pub(crate) const SUITE: &[Case] = &[
    (
        "credential_reports_are_replaced_per_account",
        credential_reports_are_replaced_per_account,
    ),
    (
        "settings_are_per_account_and_removable",
        settings_are_per_account_and_removable,
    ),
    (
        "report_jobs_are_kept_per_account_and_forgotten",
        report_jobs_are_kept_per_account_and_forgotten,
    ),
    (
        "service_access_keeps_the_newest",
        service_access_keeps_the_newest,
    ),
    (
        "oidc_propagation_is_kept_with_the_provider",
        oidc_propagation_is_kept_with_the_provider,
    ),
];
