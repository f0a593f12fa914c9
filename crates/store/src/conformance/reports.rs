//! Conformance cases for reports: credential reports, report jobs and per-service last access.

use super::{ACCT, OTHER, other_account, setup};
use chrono::{TimeDelta, Utc};
use portcullis_core::reports::{ReportJob, ReportKind, ServiceAccess};
use portcullis_core::{Store, StoreError};

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

cases![
    credential_reports_are_replaced_per_account,
    report_jobs_are_kept_per_account_and_forgotten,
    service_access_keeps_the_newest,
];
