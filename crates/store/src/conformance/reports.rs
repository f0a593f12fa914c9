//! Conformance cases for reports: credential reports, report jobs and per-service last access.

use super::{ACCT, OTHER, other_account, setup, tx};
use chrono::{TimeDelta, Utc};
use portcullis_core::reports::{ReportClaim, ReportJob, ReportKind, ServiceAccess};
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
    tx(s, |t| {
        t.create_report_job(&old, Utc::now() - TimeDelta::days(30))
    })
    .unwrap();
    let got = s.get_report_job(ACCT, &old.id).unwrap().unwrap();
    assert_eq!(
        (got.kind, &got.target, &got.detail),
        (old.kind, &old.target, &old.detail)
    );
    assert!((got.created - old.created).num_milliseconds().abs() < 1);
    assert_eq!(s.get_report_job(OTHER, &old.id).unwrap(), None);
    assert_eq!(
        tx(s, |t| t
            .create_report_job(&old, Utc::now() - TimeDelta::days(30))),
        Err(StoreError::AlreadyExists)
    );
    let org = ReportJob {
        kind: ReportKind::OrganizationsAccess,
        ..job("00000000-0000-0000-0000-000000000002", TimeDelta::zero())
    };
    tx(s, |t| {
        t.create_report_job(&org, Utc::now() - TimeDelta::days(7))
    })
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

fn credential_report_generation_is_claimed_once(s: &dyn Store) {
    setup(s);
    let now = Utc::now();
    let fresh_after = now - TimeDelta::hours(4);
    let claimed_after = now - TimeDelta::minutes(1);
    let claim = |at| s.claim_credential_report(ACCT, at, fresh_after, claimed_after);
    let in_progress = || s.credential_report_in_progress(ACCT, claimed_after);
    assert_eq!(in_progress(), Ok(false));
    assert_eq!(claim(now), Ok(ReportClaim::Claimed { expired: false }));
    assert_eq!(
        claim(now),
        Ok(ReportClaim::InProgress),
        "one generation at a time"
    );
    assert_eq!(in_progress(), Ok(true));
    assert_eq!(
        s.credential_report_in_progress(ACCT, now + TimeDelta::seconds(1)),
        Ok(false),
        "an abandoned claim is no generation"
    );
    s.put_credential_report(ACCT, now, "user\n").unwrap();
    assert_eq!(in_progress(), Ok(false));
    assert_eq!(claim(now), Ok(ReportClaim::Fresh));
    // An old report: a new generation is claimed, once; a failed one releases its claim.
    s.put_credential_report(ACCT, now - TimeDelta::hours(5), "user\n")
        .unwrap();
    assert_eq!(claim(now), Ok(ReportClaim::Claimed { expired: true }));
    s.release_credential_report(ACCT).unwrap();
    assert_eq!(claim(now), Ok(ReportClaim::Claimed { expired: true }));
    // A claim abandoned before `claimed_after` is taken over.
    assert_eq!(
        s.claim_credential_report(ACCT, now, fresh_after, now + TimeDelta::seconds(1)),
        Ok(ReportClaim::Claimed { expired: true })
    );
    // Concurrent claims (several servers): exactly one wins.
    s.release_credential_report(ACCT).unwrap();
    let won = std::thread::scope(|scope| {
        let all: Vec<_> = (0..6)
            .map(|_| scope.spawn(|| claim(now).unwrap()))
            .collect();
        all.into_iter()
            .map(|h| h.join().unwrap())
            .filter(|c| matches!(c, ReportClaim::Claimed { .. }))
            .count()
    });
    assert_eq!(won, 1);
}

cases![
    credential_reports_are_replaced_per_account,
    report_jobs_are_kept_per_account_and_forgotten,
    service_access_keeps_the_newest,
    credential_report_generation_is_claimed_once,
];
