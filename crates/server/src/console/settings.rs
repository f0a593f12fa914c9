//! Account settings: the password policy editor (the policy built and its ranges checked by
//! core, as UpdateAccountPasswordPolicy's, in AWS's wording) and the credential report,
//! generated and downloaded as CSV (core's report, as the API's).

use super::Cx;
use super::guard::{allowed, denied, render, with_session};
use super::view::{self, Out, with_status};
use super::who::Who;
use crate::failure::iam_error;
use portcullis_core::iam::credential_report;
use portcullis_core::iam::password_policy::{PolicyRequest, password_policy};
use portcullis_core::passwords::PasswordPolicy;
use portcullis_proto::{AwsError, Operation, validate};
use serde_json::json;

/// `/console/settings`: the page (GET) and the password policy (POST).
pub fn page(cx: &Cx) -> Out {
    with_session(cx, |who| {
        if cx.post {
            return save_policy(cx, who);
        }
        show(cx, who, None, cx.field("done") == "saved")
    })
}

fn show(cx: &Cx, who: &Who, error: Option<String>, saved: bool) -> Out {
    if let Err(why) = allowed(cx, who, Operation::GetAccountPasswordPolicy, &[]) {
        return denied(cx, who, "settings", "iam:GetAccountPasswordPolicy", &why);
    }
    let store = &cx.app.store;
    let account = &who.state.account;
    let p = store.password_policy(account).ok().flatten();
    let report = store
        .credential_report(account)
        .ok()
        .flatten()
        .map(|(t, _)| {
            json!({
                "generated": t.format("%Y-%m-%d %H:%M UTC").to_string(),
                "fresh": credential_report::is_current(t, cx.now),
            })
        });
    let d = PasswordPolicy::default();
    let policy = p.clone().unwrap_or(d);
    let data = json!({
        "set": p.is_some(),
        "p": {
            "min": policy.minimum_length,
            "symbols": policy.require_symbols,
            "numbers": policy.require_numbers,
            "upper": policy.require_uppercase,
            "lower": policy.require_lowercase,
            "change": policy.allow_users_to_change,
            "max_age": policy.max_age_days,
            "reuse": policy.reuse_prevention,
            "hard": policy.hard_expiry.unwrap_or(false),
        },
        "report": report,
        "error": error,
        "saved": saved,
    });
    render(cx, who, "settings", "settings.html", data)
}

/// The form as UpdateAccountPasswordPolicy's members: an empty number is not sent (its default
/// applies), text that is no number is refused as the API refuses it, and every box is sent,
/// ticked or not.
fn policy_request(cx: &Cx) -> Result<PolicyRequest, AwsError> {
    let number = |field: &str, member: &str| match cx.field(field) {
        "" => Ok(None),
        text => validate::number(member, text).map(Some),
    };
    let flag = |field: &str| Some(cx.field(field) == "on");
    Ok(PolicyRequest {
        minimum_length: number("min", "MinimumPasswordLength")?,
        require_symbols: flag("symbols"),
        require_numbers: flag("numbers"),
        require_uppercase: flag("upper"),
        require_lowercase: flag("lower"),
        allow_users_to_change: flag("change"),
        max_age_days: number("max_age", "MaxPasswordAge")?,
        reuse_prevention: number("reuse", "PasswordReusePrevention")?,
        hard_expiry: flag("hard"),
    })
}

fn save_policy(cx: &Cx, who: &Who) -> Out {
    if let Err(why) = allowed(cx, who, Operation::UpdateAccountPasswordPolicy, &[]) {
        return denied(cx, who, "settings", "iam:UpdateAccountPasswordPolicy", &why);
    }
    let policy = match policy_request(cx).and_then(|r| password_policy(&r).map_err(iam_error)) {
        Ok(policy) => policy,
        Err(e) => return with_status(show(cx, who, Some(e.message), false), 400),
    };
    if cx
        .app
        .store
        .put_password_policy(&who.state.account, &policy)
        .is_err()
    {
        return view::plain(503, "The store could not be written; try again.");
    }
    cx.app.invalidate_caches();
    view::redirect("/console/settings?done=saved")
}

/// `/console/settings/report` (POST): generates the credential report (GET: downloads it).
pub fn report(cx: &Cx) -> Out {
    with_session(cx, |who| {
        let account = who.state.account.clone();
        let store = &cx.app.store;
        if cx.post {
            if let Err(why) = allowed(cx, who, Operation::GenerateCredentialReport, &[]) {
                return denied(cx, who, "settings", "iam:GenerateCredentialReport", &why);
            }
            if let Err(e) = credential_report::generate(&**store, &account, cx.now) {
                return view::plain(503, &crate::failure::store_failure(e).message);
            }
            return view::redirect("/console/settings");
        }
        if let Err(why) = allowed(cx, who, Operation::GetCredentialReport, &[]) {
            return denied(cx, who, "settings", "iam:GetCredentialReport", &why);
        }
        match store.credential_report(&account).ok().flatten() {
            Some((t, text)) if credential_report::is_current(t, cx.now) => view::download(
                &format!("credential-report-{account}.csv"),
                "text/csv; charset=utf-8",
                text.into_bytes(),
            ),
            _ => view::redirect("/console/settings"),
        }
    })
}
