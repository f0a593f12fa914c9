//! The credential report as a domain service over the store: how long a report stays current
//! ([`FRESH_FOR`]), generating one ([`generate`]: one generation at a time per account, across
//! every server sharing the store, through a claim in the store) and gathering its rows from
//! the current users, their passwords, MFA devices, access keys (with last use) and signing
//! certificates ([`build`]); reading it ([`read`]: refused while in progress, before any, or
//! once expired, in AWS's words). The cells' rules and the CSV are [`crate::credential_report`]'s.
//! GenerateCredentialReport, GetCredentialReport and the console's settings page use these.

use crate::credential_report::{self, CertFacts, KeyFacts, Password, Row};
use crate::credentials::SigningCertificate;
use crate::error::{IamError, IamResult};
use crate::model::{AccessKey, KeyStatus, User};
use crate::passwords::PasswordPolicy;
use crate::reports::ReportClaim;
use crate::store::{Store, StoreError, StoreResult};
use chrono::{DateTime, TimeDelta, Utc};

/// How long a report stays current: a new one cannot be generated sooner, and reading it later
/// answers `ReportExpired`.
pub const FRESH_FOR: TimeDelta = TimeDelta::hours(4);

/// How long a generation may hold its claim: a server that died while generating is taken over
/// after this.
pub const GENERATION_TIMEOUT: TimeDelta = TimeDelta::minutes(2);

/// The account setting holding the root user's last console sign-in (Unix seconds), which the
/// console writes and the root row reports.
pub const ROOT_SIGNED_IN: &str = "console:root-signed-in";

/// Users read per store page while building.
const PAGE: usize = 1000;

/// Whether a report generated at `generated` is still current at `now`.
pub fn is_current(generated: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - generated < FRESH_FOR
}

/// GetCredentialReport: the account's report (generated at, text) if it is current;
/// otherwise refused by [`check_readable`], asking the store whether a generation runs.
pub fn read(
    store: &dyn Store,
    account: &str,
    now: DateTime<Utc>,
) -> IamResult<(DateTime<Utc>, String)> {
    check_readable(store.credential_report(account)?, now, || {
        Ok(store.credential_report_in_progress(account, now - GENERATION_TIMEOUT)?)
    })
}

/// The stored report (generated at, content), if it can be read at `now`: a report that is not
/// current is refused as in progress while `in_progress()` (asked only then) says a generation
/// runs, else as not present or expired.
pub fn check_readable<T>(
    report: Option<(DateTime<Utc>, T)>,
    now: DateTime<Utc>,
    in_progress: impl FnOnce() -> IamResult<bool>,
) -> IamResult<(DateTime<Utc>, T)> {
    match report {
        Some((generated, content)) if is_current(generated, now) => Ok((generated, content)),
        _ if in_progress()? => Err(IamError::ReportInProgress),
        None => Err(IamError::ReportNotPresent),
        Some(_) => Err(IamError::ReportExpired),
    }
}

/// Generates the account's report unless a current one exists or another request (on any
/// server sharing the store) is generating it; answers what the claim found. When building or
/// storing fails, the claim is released for the next request (when even that fails, the error
/// says so, and the claim lapses after [`GENERATION_TIMEOUT`]).
pub fn generate(store: &dyn Store, account: &str, now: DateTime<Utc>) -> StoreResult<ReportClaim> {
    let claim =
        store.claim_credential_report(account, now, now - FRESH_FOR, now - GENERATION_TIMEOUT)?;
    if let ReportClaim::Claimed { .. } = claim {
        let stored = build(store, account, now)
            .and_then(|text| store.put_credential_report(account, now, &text));
        if let Err(e) = stored {
            return Err(match store.release_credential_report(account) {
                Ok(()) => e,
                Err(why) => StoreError::Backend(format!(
                    "{e}; the credential report generation's claim was not released either: {why}"
                )),
            });
        }
    }
    Ok(claim)
}

/// The report's text: the root row, then every user in name order.
pub fn build(store: &dyn Store, account: &str, now: DateTime<Utc>) -> StoreResult<String> {
    let created = store.get_account(account)?.map_or(now, |a| a.created);
    let mut rows = vec![Row {
        user: credential_report::ROOT_NAME.to_string(),
        arn: format!("arn:aws:iam::{account}:root"),
        created,
        password: Password::Root {
            last_used: store
                .account_setting(account, ROOT_SIGNED_IN)?
                .and_then(|t| t.parse::<i64>().ok())
                .and_then(|t| DateTime::from_timestamp(t, 0)),
        },
        // Root has no MFA devices here: EnableMFADevice names a user.
        mfa_active: false,
        keys: keys(store.list_access_keys(account, None)?),
        certs: certs(store.list_signing_certs(account, None)?),
    }];
    let policy = store.password_policy(account)?;
    let mut marker: Option<String> = None;
    loop {
        let page = store.list_users(account, "/", marker.as_deref(), PAGE)?;
        for user in page.items {
            rows.push(user_row(store, account, policy.as_ref(), user)?);
        }
        match page.next_marker {
            Some(m) => marker = Some(m),
            None => break,
        }
    }
    Ok(credential_report::render(&rows))
}

fn user_row(
    store: &dyn Store,
    account: &str,
    policy: Option<&PasswordPolicy>,
    user: User,
) -> StoreResult<Row> {
    let id = Some(user.id.as_str());
    let password = match store.login_profile(account, &user.id)? {
        Some(p) => Password::Set {
            last_used: user.password_last_used,
            last_changed: p.password_changed,
            next_rotation: p.next_rotation(policy),
        },
        None => Password::None,
    };
    Ok(Row {
        arn: user.arn(),
        created: user.created,
        password,
        mfa_active: !store.mfa_devices_for_user(account, &user.id)?.is_empty(),
        keys: keys(store.list_access_keys(account, id)?),
        certs: certs(store.list_signing_certs(account, id)?),
        user: user.name,
    })
}

/// Keys in creation order (the store lists them so).
fn keys(list: Vec<AccessKey>) -> Vec<KeyFacts> {
    list.into_iter()
        .map(|k| KeyFacts {
            active: k.status == KeyStatus::Active,
            created: k.created,
            last_used: k.last_used,
        })
        .collect()
}

/// Certificates in upload order.
fn certs(mut list: Vec<SigningCertificate>) -> Vec<CertFacts> {
    list.sort_by_key(|c| c.uploaded);
    list.into_iter()
        .map(|c| CertFacts {
            active: c.status == KeyStatus::Active,
            uploaded: c.uploaded,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_current_for_four_hours() {
        let generated = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
        assert!(is_current(generated, generated));
        assert!(is_current(
            generated,
            generated + TimeDelta::hours(4) - TimeDelta::seconds(1)
        ));
        assert!(!is_current(generated, generated + TimeDelta::hours(4)));
        assert!(!is_current(generated, generated + TimeDelta::days(1)));
    }

    #[test]
    fn reading_the_report() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let current = (now - TimeDelta::hours(1), "csv");
        let fresh = Some(current);
        let stale = Some((now - FRESH_FOR, "csv"));
        let none: Option<(DateTime<Utc>, &str)> = None;
        let asked = |answer: bool| move || -> IamResult<bool> { Ok(answer) };
        assert_eq!(
            check_readable(fresh, now, || panic!("not asked")),
            Ok(current)
        );
        assert_eq!(check_readable(fresh, now, asked(true)), Ok(current));
        assert_eq!(
            check_readable(none, now, asked(true)),
            Err(IamError::ReportInProgress)
        );
        assert_eq!(
            check_readable(stale, now, asked(true)),
            Err(IamError::ReportInProgress)
        );
        assert_eq!(
            check_readable(none, now, asked(false)),
            Err(IamError::ReportNotPresent)
        );
        assert_eq!(
            check_readable(stale, now, asked(false)),
            Err(IamError::ReportExpired)
        );
        assert_eq!(
            IamError::ReportInProgress.to_string(),
            "The request was rejected because the credential report is still being generated."
        );
        assert_eq!(
            IamError::ReportNotPresent.to_string(),
            "Report is not present. To generate a credential report, use GenerateCredentialReport."
        );
        assert_eq!(
            IamError::ReportExpired.to_string(),
            "The most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport."
        );
    }
}
