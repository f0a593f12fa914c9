//! Core's credential report over the store (`portcullis_core::iam::credential_report`), run on
//! each engine: a generation stores the report (the root row with its last console sign-in,
//! then each user with its keys), a current report is kept for four hours and then replaced,
//! and a generation claimed by another request is in progress until its claim lapses; reading
//! it (GetCredentialReport) is refused before any, once expired and while in progress. A report
//! job (`iam::report_jobs`) stays valid for thirty days: recording one forgets the older ones.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "each test runs on every engine through `engines!`: a failed step should panic"
)]

use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::credential_report::timestamp;
use portcullis_core::iam::credential_report::{
    FRESH_FOR, GENERATION_TIMEOUT, ROOT_SIGNED_IN, generate, read,
};
use portcullis_core::iam::{access_keys, report_jobs};
use portcullis_core::quotas::Quotas;
use portcullis_core::reports::{ReportClaim, ReportJob, ReportKind};
use portcullis_core::store::write;
use portcullis_core::{AccessKey, IamError, KeyStatus, Store};

mod common;
use common::{ACCT, with_user};

/// A time in whole seconds, as the stores keep them.
fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

fn a_report_is_generated_once_while_current(s: &dyn Store) {
    let now = at(Utc::now().timestamp());
    let u = with_user(s);
    let key = AccessKey {
        id: "AKIAU".into(),
        account: ACCT.into(),
        user_id: Some(u.id.clone()),
        status: KeyStatus::Active,
        sealed_secret: vec![1],
        created: now - TimeDelta::days(1),
        last_used: None,
    };
    write(s, |tx| access_keys::create(tx, &key, &Quotas::default())).unwrap();
    let signed_in = now - TimeDelta::hours(1);
    let setting = (
        ROOT_SIGNED_IN.to_string(),
        Some(signed_in.timestamp().to_string()),
    );
    s.put_account_settings(ACCT, &[setting]).unwrap();

    assert_eq!(read(s, ACCT, now), Err(IamError::ReportNotPresent));
    assert_eq!(
        generate(s, ACCT, now).unwrap(),
        ReportClaim::Claimed { expired: false }
    );
    let (generated, text) = s.credential_report(ACCT).unwrap().unwrap();
    assert_eq!(generated, now);
    assert_eq!(read(s, ACCT, now), Ok((now, text.clone())));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    let root: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(root[0], "<root_account>");
    assert_eq!(root[1], format!("arn:aws:iam::{ACCT}:root"));
    assert_eq!(root[4], timestamp(signed_in), "the root's last sign-in");
    let user: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(user[0], "u");
    assert_eq!(user[3], "false", "no password");
    assert_eq!(user[8], "true", "the first key is active");
    assert_eq!(user[9], timestamp(key.created));

    // Current: kept, however often asked.
    let later = now + FRESH_FOR - TimeDelta::seconds(1);
    assert_eq!(generate(s, ACCT, later).unwrap(), ReportClaim::Fresh);
    assert_eq!(s.credential_report(ACCT).unwrap().unwrap().0, now);
    // Expired: not read, and a new one.
    let expired = now + FRESH_FOR;
    assert_eq!(read(s, ACCT, expired), Err(IamError::ReportExpired));
    assert_eq!(
        generate(s, ACCT, expired).unwrap(),
        ReportClaim::Claimed { expired: true }
    );
    assert_eq!(s.credential_report(ACCT).unwrap().unwrap().0, expired);
}

fn a_claimed_generation_is_in_progress_until_its_claim_lapses(s: &dyn Store) {
    let now = at(Utc::now().timestamp());
    // Another server claimed the generation and has not stored its report.
    let claim = s
        .claim_credential_report(ACCT, now, now - FRESH_FOR, now - GENERATION_TIMEOUT)
        .unwrap();
    assert_eq!(claim, ReportClaim::Claimed { expired: false });
    let soon = now + GENERATION_TIMEOUT - TimeDelta::seconds(1);
    assert_eq!(generate(s, ACCT, soon).unwrap(), ReportClaim::InProgress);
    assert_eq!(read(s, ACCT, soon), Err(IamError::ReportInProgress));
    assert!(s.credential_report(ACCT).unwrap().is_none());
    let lapsed = now + GENERATION_TIMEOUT + TimeDelta::seconds(1);
    assert_eq!(
        generate(s, ACCT, lapsed).unwrap(),
        ReportClaim::Claimed { expired: false }
    );
    assert_eq!(s.credential_report(ACCT).unwrap().unwrap().0, lapsed);
}

fn a_report_job_is_forgotten_after_thirty_days(s: &dyn Store) {
    let now = at(Utc::now().timestamp());
    let job = |n: u32, age: TimeDelta| ReportJob {
        id: format!("00000000-0000-0000-0000-00000000000{n}"),
        account: ACCT.into(),
        kind: ReportKind::ServiceLastAccessed,
        target: "arn:aws:iam::111122223333:user/u".into(),
        detail: "SERVICE_LEVEL".into(),
        created: now - age,
    };
    let create = |j: &ReportJob| write(s, |tx| report_jobs::create(tx, j));
    let (old, kept) = (job(1, TimeDelta::days(31)), job(2, TimeDelta::days(29)));
    create(&old).unwrap();
    create(&kept).unwrap();
    create(&job(3, TimeDelta::zero())).unwrap();
    assert_eq!(s.get_report_job(ACCT, &old.id).unwrap(), None);
    let got = s.get_report_job(ACCT, &kept.id).unwrap().unwrap();
    assert_eq!((got.id, got.created), (kept.id, kept.created));
}

engines!(
    a_report_job_is_forgotten_after_thirty_days,
    a_report_is_generated_once_while_current,
    a_claimed_generation_is_in_progress_until_its_claim_lapses,
);
