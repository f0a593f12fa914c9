//! GenerateCredentialReport and GetCredentialReport. One report is kept per account; asking
//! again within [`FRESH_FOR`] keeps it, later asks build a new one from the current users, their
//! passwords, MFA devices, access keys (with last use) and signing certificates. The report is
//! built as soon as it is asked for; one generation runs at a time per account, across every
//! server sharing the store (a claim in the store): meanwhile GenerateCredentialReport answers
//! INPROGRESS and GetCredentialReport, without a current report, `ReportInProgress`.

use crate::app::App;
use crate::handlers::{Ctx, store_failure};
use chrono::{DateTime, TimeDelta, Utc};
use portcullis_core::credential_report::{self, CertFacts, KeyFacts, Password, Row};
use portcullis_core::credentials::SigningCertificate;
use portcullis_core::passwords::PasswordPolicy;
use portcullis_core::reports::ReportClaim;
use portcullis_core::{AccessKey, KeyStatus, Store};
use portcullis_proto::AwsError;
use portcullis_proto::output::{Blob, GenerateCredentialReportOutput, GetCredentialReportOutput};

/// How long a report stays current: a new one cannot be generated sooner, and reading it later
/// answers `ReportExpired`.
pub const FRESH_FOR: TimeDelta = TimeDelta::hours(4);

/// How long a generation may hold its claim: a server that died while generating is taken over
/// after this.
pub const GENERATION_TIMEOUT: TimeDelta = TimeDelta::minutes(2);

/// The account setting holding the root user's last console sign-in (Unix seconds).
pub const ROOT_SIGNED_IN: &str = "console:root-signed-in";

/// Users read per store page while building.
const PAGE: usize = 1000;

pub fn generate_credential_report(ctx: &Ctx) -> Result<GenerateCredentialReportOutput, AwsError> {
    let account = ctx.account()?;
    let (state, description) = match generate(&ctx.app, account, ctx.now)? {
        ReportClaim::Fresh => ("COMPLETE", None),
        ReportClaim::InProgress => (
            "INPROGRESS",
            Some("A report generation task is in progress"),
        ),
        ReportClaim::Claimed { expired: true } => (
            "STARTED",
            Some("The report has expired. Starting a new report generation task"),
        ),
        ReportClaim::Claimed { expired: false } => (
            "STARTED",
            Some("No report exists. Starting a new report generation task"),
        ),
    };
    Ok(GenerateCredentialReportOutput {
        state: Some(state.into()),
        description: description.map(str::to_string),
    })
}

/// Generates the account's report unless a fresh one exists or another request (on any server
/// sharing the store) is generating it; answers what the claim found. The API and the console
/// both generate through here.
pub fn generate(app: &App, account: &str, now: DateTime<Utc>) -> Result<ReportClaim, AwsError> {
    let store = &*app.store;
    let claim = store
        .claim_credential_report(account, now, now - FRESH_FOR, now - GENERATION_TIMEOUT)
        .map_err(store_failure)?;
    if let ReportClaim::Claimed { .. } = claim {
        let stored = build(app, account, now).and_then(|text| {
            store
                .put_credential_report(account, now, &text)
                .map_err(store_failure)
        });
        if let Err(e) = stored {
            if let Err(why) = store.release_credential_report(account) {
                tracing::warn!(error = %why, "cannot release a credential report generation");
            }
            return Err(e);
        }
    }
    Ok(claim)
}

pub fn get_credential_report(ctx: &Ctx) -> Result<GetCredentialReportOutput, AwsError> {
    let account = ctx.account()?;
    let store = &*ctx.app.store;
    let report = store.credential_report(account).map_err(store_failure)?;
    let current = report
        .as_ref()
        .is_some_and(|(generated, _)| ctx.now - *generated < FRESH_FOR);
    if !current
        && store
            .credential_report_in_progress(account, ctx.now - GENERATION_TIMEOUT)
            .map_err(store_failure)?
    {
        return Err(AwsError::new(
            "ReportInProgress",
            404,
            "The request was rejected because the credential report is still being generated.",
        ));
    }
    let Some((generated, text)) = report else {
        return Err(AwsError::new(
            "ReportNotPresent",
            410,
            "Report is not present. To generate a credential report, use GenerateCredentialReport.",
        ));
    };
    if !current {
        return Err(AwsError::new(
            "ReportExpired",
            410,
            "The most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.",
        ));
    }
    Ok(GetCredentialReportOutput {
        content: Some(Blob(text.into_bytes())),
        report_format: Some("text/csv".into()),
        generated_time: Some(generated),
    })
}

/// The report's text: the root row, then every user in name order (the API's and the
/// console's one report).
pub fn build(app: &App, account: &str, now: DateTime<Utc>) -> Result<String, AwsError> {
    let store = &*app.store;
    let created = store
        .get_account(account)
        .map_err(store_failure)?
        .map_or(now, |a| a.created);
    let mut rows = vec![Row {
        user: credential_report::ROOT_NAME.to_string(),
        arn: format!("arn:aws:iam::{account}:root"),
        created,
        // The root user's last console sign-in (see `console::signin`).
        password: Password::Root {
            last_used: store
                .account_setting(account, ROOT_SIGNED_IN)
                .map_err(store_failure)?
                .and_then(|t| t.parse::<i64>().ok())
                .and_then(|t| DateTime::from_timestamp(t, 0)),
        },
        // Root has no MFA devices here: EnableMFADevice names a user.
        mfa_active: false,
        keys: keys(
            store
                .list_access_keys(account, None)
                .map_err(store_failure)?,
        ),
        certs: certs(
            store
                .list_signing_certs(account, None)
                .map_err(store_failure)?,
        ),
    }];
    let policy = store.password_policy(account).map_err(store_failure)?;
    let mut marker: Option<String> = None;
    loop {
        let page = store
            .list_users(account, "/", marker.as_deref(), PAGE)
            .map_err(store_failure)?;
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
    user: portcullis_core::User,
) -> Result<Row, AwsError> {
    let id = Some(user.id.as_str());
    let password = match store
        .login_profile(account, &user.id)
        .map_err(store_failure)?
    {
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
        mfa_active: !store
            .mfa_devices_for_user(account, &user.id)
            .map_err(store_failure)?
            .is_empty(),
        keys: keys(store.list_access_keys(account, id).map_err(store_failure)?),
        certs: certs(
            store
                .list_signing_certs(account, id)
                .map_err(store_failure)?,
        ),
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
