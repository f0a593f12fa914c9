//! The audit record of each change made from the console (and of each switch to a role), as
//! CloudTrail records console actions: the API operation it performs (`eventName`), the signed-in principal and its
//! console session (`userIdentity`, `sessionCredentialFromConsole`), the names of what it acted
//! on, and the outcome: AccessDenied with AWS's message, a refusal by the page, or success. The
//! record is on disk before the page answers; when it cannot be written the page says so.

use super::Cx;
use super::who::{Decided, Who};
use crate::audit::record::{event_id, identity, timestamp};
use serde_json::{Map, Value, json};

/// `UserName` as CloudTrail writes request members: `userName`.
fn camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn event(cx: &Cx, who: &Who, d: &Decided, status: u16) -> Value {
    let params: Map<String, Value> = d.names.iter().map(|(k, v)| (camel(k), json!(v))).collect();
    let info = d.op.info();
    let mut e = json!({
        "eventVersion": "1.11",
        "eventTime": timestamp(cx.now),
        "eventSource": format!("{}.amazonaws.com", info.service.prefix()),
        "eventName": d.op.name(),
        "eventType": "AwsApiCall",
        "eventCategory": "Management",
        "eventID": event_id(),
        "awsRegion": "us-east-1",
        "sourceIPAddress": cx.origin.source_ip.to_string(),
        "userAgent": cx.user_agent(),
        "recipientAccountId": who.state.account,
        "userIdentity": identity(&who.caller),
        "sessionCredentialFromConsole": "true",
        "requestParameters": params,
        "responseElements": Value::Null,
        "readOnly": false,
        "managementEvent": true,
    });
    let error = match (&d.denied, status) {
        (Some(msg), _) => Some(("AccessDenied".to_string(), msg.clone())),
        (None, s) if s >= 400 => Some((
            "ConsoleRequestRefused".to_string(),
            format!("The console refused the change (HTTP {s})."),
        )),
        _ => None,
    };
    if let (Some((code, msg)), Some(obj)) = (error, e.as_object_mut()) {
        obj.insert("errorCode".into(), json!(code));
        obj.insert("errorMessage".into(), json!(msg));
    }
    e
}

/// Records every change decided during the request whose page answered `status`; false when
/// a record could not be written.
pub fn record(cx: &Cx, who: &Who, status: u16) -> bool {
    let decided = who.decided.borrow();
    let handle = tokio::runtime::Handle::current();
    decided
        .iter()
        .all(|d| handle.block_on(cx.app.audit.record(&event(cx, who, d, status))))
}
