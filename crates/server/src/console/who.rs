//! The signed-in principal of one console request: its session, its caller as authorization
//! sees it, and the changes the policy engine decided for it during the request (which
//! `action_audit` records).

use super::Cx;
use super::cookie::SessionState;
use crate::auth::Caller;
use portcullis_proto::Operation;
use serde_json::{Value, json};
use std::cell::RefCell;

/// A change the policy engine decided during one console request.
#[derive(Debug, Clone)]
pub struct Decided {
    pub op: Operation,
    pub names: Vec<(String, String)>,
    /// AccessDenied's message, when refused.
    pub denied: Option<String>,
}

/// The signed-in principal of one request.
#[derive(Debug)]
pub struct Who {
    pub state: SessionState,
    pub caller: Caller,
    /// The changes the policy engine decided during this request (for the audit trail).
    pub decided: RefCell<Vec<Decided>>,
}

impl Who {
    /// The name shown in the header.
    pub fn display(&self) -> String {
        match &self.state.role {
            Some(r) => format!("{} @ {}", r.session_name, r.name),
            None => self.state.user_name.clone(),
        }
    }

    /// The base data of every signed-in page.
    pub fn base(&self, cx: &Cx, section: &str) -> Value {
        json!({
            "section": section,
            "csrf": self.state.csrf,
            "account": self.state.account,
            "user_name": self.state.user_name,
            "is_root": self.state.user_id.is_none(),
            "arn": self.caller.principal.arn(),
            "display": self.display(),
            "mfa": self.state.mfa_at.is_some(),
            "role": self.state.role.as_ref().map(|r| json!({
                "name": r.name,
                "session": r.session_name,
                "minutes_left": (r.expires - cx.now.timestamp()).max(0) / 60,
            })),
        })
    }
}
