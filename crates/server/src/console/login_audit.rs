//! The `ConsoleLogin` record of each sign-in attempt in the audit trail, in CloudTrail's shape
//! (`eventSource` `signin.amazonaws.com`, `responseElements.ConsoleLogin` Success or Failure,
//! `additionalEventData.MFAUsed`). A name that matches no user is recorded only as a keyed
//! hash (HMAC-SHA256 under a key derived from the master key): the same mistyped name gives
//! the same hash, so an administrator can see a guessing campaign without the log keeping
//! what may be someone's password typed into the wrong field.

use super::Cx;
use crate::audit::record::{event_id, timestamp};
use hmac::{Hmac, Mac};
use portcullis_core::{User, arn};
use serde_json::{Value, json};
use sha2::Sha256;

/// Who tried to sign in.
#[derive(Debug)]
pub enum Attempted<'a> {
    User(&'a User),
    Root(&'a str),
    /// A name that is no user of `account` (or an account that does not exist).
    Unknown {
        account: &'a str,
        name: &'a str,
    },
}

/// The keyed hash of an unknown user name.
pub fn name_hash(cx: &Cx, name: &str) -> String {
    let key = cx.app.master.to_base64();
    let mut mac = match Hmac::<Sha256>::new_from_slice(key.expose().as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(b"portcullis console sign-in name\0");
    mac.update(name.as_bytes());
    format!("hmac-sha256:{}", hex::encode(mac.finalize().into_bytes()))
}

fn identity(cx: &Cx, who: &Attempted<'_>) -> (Value, String) {
    match who {
        Attempted::User(u) => (
            json!({
                "type": "IAMUser",
                "principalId": u.id,
                "arn": u.arn(),
                "accountId": u.account,
                "userName": u.name,
            }),
            u.account.clone(),
        ),
        Attempted::Root(account) => (
            json!({
                "type": "Root",
                "principalId": account,
                "arn": arn::root(account),
                "accountId": account,
            }),
            (*account).to_string(),
        ),
        Attempted::Unknown { account, name } => (
            json!({
                "type": "IAMUser",
                "accountId": account,
                "userName": name_hash(cx, name),
            }),
            (*account).to_string(),
        ),
    }
}

/// Writes the record (on disk before the answer); false when it could not be written.
pub fn record(
    cx: &Cx,
    who: &Attempted<'_>,
    success: bool,
    mfa_used: bool,
    error: Option<&str>,
) -> bool {
    if !success {
        cx.app.metrics.signin_failed();
    }
    let (identity, account) = identity(cx, who);
    let mut event = json!({
        "eventVersion": "1.11",
        "eventTime": timestamp(cx.now),
        "eventSource": "signin.amazonaws.com",
        "eventName": "ConsoleLogin",
        "eventType": "AwsConsoleSignIn",
        "eventCategory": "Management",
        "eventID": event_id(),
        "awsRegion": "us-east-1",
        "sourceIPAddress": cx.origin.source_ip.to_string(),
        "userAgent": cx.user_agent(),
        "recipientAccountId": account,
        "userIdentity": identity,
        "requestParameters": Value::Null,
        "responseElements": {"ConsoleLogin": if success { "Success" } else { "Failure" }},
        "additionalEventData": {
            "LoginTo": "/console/home",
            "MobileVersion": "No",
            "MFAUsed": if mfa_used { "Yes" } else { "No" },
        },
        "readOnly": false,
        "managementEvent": true,
    });
    if let (Some(msg), Some(obj)) = (error, event.as_object_mut()) {
        obj.insert("errorMessage".into(), json!(msg));
    }
    tokio::runtime::Handle::current().block_on(cx.app.audit.record(&event))
}
