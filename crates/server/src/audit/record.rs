//! One request's audit record in CloudTrail's event format (`eventVersion` 1.11): the
//! [`Draft`] the pipeline fills as it learns who called, what and from where, then the event
//! built from it and the request's outcome. Secrets never enter a record: members the
//! operation table marks sensitive and those on [`SECRET_MEMBERS`](super::elements::SECRET_MEMBERS) are replaced by
//! `HIDDEN_DUE_TO_SECURITY_REASONS` (as CloudTrail does), values of secret members are scrubbed
//! from error messages, and response elements are taken from an allow-list of identifiers.

use super::elements::{HIDDEN, request_parameters, response_elements};
use crate::auth::Caller;
use axum::extract::Request;
use chrono::{DateTime, SecondsFormat, Utc};
use portcullis_core::Principal;
use portcullis_core::session::SessionPrincipal;
use portcullis_proto::sigv4::Authorization;
use portcullis_proto::{AwsError, Operation, Params, Service};
use serde_json::{Map, Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// True when `op`'s record must be on disk before its answer is sent: it `writes` (its route
/// says so) or issues credentials (the models' fact, `OpInfo::issues_credentials`).
pub fn is_durable(op: Operation, writes: bool) -> bool {
    writes || op.info().issues_credentials
}

/// What the pipeline has learned about a request so far.
#[derive(Debug)]
pub struct Draft {
    pub(super) time: DateTime<Utc>,
    pub(super) request_id: String,
    /// The record's `eventID`, fixed when the request arrives, so that the record kept with a
    /// change (see [`Draft::outbox`]) and the one written to the log are the same event.
    pub(super) event_id: String,
    /// The record kept in the store with the change, when the trail keeps one there.
    pub(super) outbox: Option<Arc<Outboxed>>,
    source_ip: String,
    user_agent: Option<String>,
    access_key_id: Option<String>,
    region: Option<String>,
    /// `Action` as sent, for requests refused before routing.
    action: Option<String>,
    pub(super) service: Option<Service>,
    pub(super) op: Option<Operation>,
    /// Whether the operation changes the store (its route's `writes`).
    pub(super) writes: bool,
    identity: Option<Value>,
    account: Option<String>,
    parameters: Option<Value>,
    /// Values of secret members, scrubbed from error messages.
    secrets: Vec<String>,
}

impl Draft {
    /// The operation the request was routed to, once it was.
    pub fn operation(&self) -> Option<Operation> {
        self.op
    }

    /// Starts a request's draft: when, from where (`trusted_proxies` may set the origin, as for
    /// `aws:SourceIp`), with which user agent.
    pub fn begin(trusted_proxies: &[crate::net::Cidr], req: &Request, request_id: &str) -> Self {
        let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
        let peer = req
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        // The same origin as `aws:SourceIp`.
        let origin = crate::net::origin(
            peer,
            header("x-forwarded-for"),
            header("x-forwarded-proto"),
            trusted_proxies,
        );
        Draft {
            time: Utc::now(),
            request_id: request_id.to_string(),
            event_id: event_id(),
            outbox: None,
            source_ip: origin.source_ip.to_string(),
            user_agent: header("user-agent").map(str::to_string),
            access_key_id: None,
            region: None,
            action: None,
            service: None,
            op: None,
            writes: false,
            identity: None,
            account: None,
            parameters: None,
            secrets: Vec::new(),
        }
    }

    /// The request is signed: the access key and region its signature names (known before the
    /// signature is checked), and the action it asks for.
    pub fn signed(&mut self, sig: Option<&Authorization<'_>>, query: &Params, body: &[u8]) {
        if let Some(sig) = sig {
            self.access_key_id = Some(sig.credential.access_key_id.to_string());
            self.region = Some(sig.credential.region.to_string());
            self.service = Service::from_signing_name(sig.credential.service);
        }
        self.action = query
            .get("Action")
            .map(str::to_string)
            .or_else(|| action_in_body(body));
    }

    /// The request is routed (and its caller, if signed, authenticated). Refuses a change while
    /// the audit trail cannot write, before anything is changed.
    pub fn routed(
        &mut self,
        audit: &super::Audit,
        service: Service,
        op: Option<Operation>,
        writes: bool,
        params: &Params,
        caller: Option<&Caller>,
    ) -> Result<(), AwsError> {
        self.service = Some(service);
        self.op = op;
        self.writes = writes;
        self.action = params.get("Action").map(str::to_string);
        if let Some(c) = caller {
            self.identity = Some(identity(c));
            self.account = Some(c.principal.account().to_string());
        } else if let Some(op) = op {
            self.identity = Some(json!({ "type": unsigned_identity_type(op) }));
            self.account = params
                .get("RoleArn")
                .and_then(|arn| portcullis_core::arn::account_of(arn))
                .map(str::to_string);
        }
        let (parameters, secrets) = request_parameters(op, params);
        self.parameters = Some(parameters);
        self.secrets = secrets;
        match op {
            Some(op) if is_durable(op, writes) => audit.admit(),
            _ => Ok(()),
        }
    }

    /// The canonical JSON of this request's CloudTrail event with its outcome (taking what
    /// was gathered). Written directly, members in canonical (byte) order, without building
    /// the whole event as a `Value` first.
    pub fn event_json(&mut self, outcome: Result<&str, &AwsError>) -> String {
        let parameters = self.parameters.take().unwrap_or(Value::Null);
        let taken = self.identity.take();
        let identity = self.identity_value(taken);
        let response = match outcome {
            Ok(xml) if self.op.is_some_and(|op| is_durable(op, self.writes)) => {
                response_elements(xml)
            }
            _ => Value::Null,
        };
        self.render(outcome.err(), &parameters, &response, &identity)
    }

    /// The record of this change as it stands before its answer (no `responseElements`), to
    /// commit with the change in the store: the handlers' `write` stores it. With the trail
    /// kept in files, the log then needs no sync of its own before the change is answered.
    pub fn outbox(&mut self, log_id: &str) -> Arc<Outboxed> {
        let kept = self.identity.clone();
        let identity = self.identity_value(kept);
        let parameters = self.parameters.as_ref().unwrap_or(&Value::Null);
        let record = self.render(None, parameters, &Value::Null, &identity);
        let entry = Arc::new(Outboxed {
            log_id: log_id.to_string(),
            event_id: self.event_id.clone(),
            record,
            stored: AtomicBool::new(false),
        });
        self.outbox = Some(entry.clone());
        entry
    }

    fn identity_value(&self, identity: Option<Value>) -> Value {
        match (identity, &self.access_key_id) {
            (Some(i), _) => i,
            (None, Some(key)) => json!({ "type": "Unknown", "accessKeyId": key }),
            (None, None) => json!({ "type": "Unknown" }),
        }
    }

    fn render(
        &self,
        error: Option<&AwsError>,
        parameters: &Value,
        response: &Value,
        identity: &Value,
    ) -> String {
        let service = self.service.unwrap_or(Service::Iam);
        let mut o = Obj::new(1024);
        o.str("awsRegion", self.region.as_deref().unwrap_or("us-east-1"));
        if let Some(err) = error {
            o.str("errorCode", &err.code);
            o.str("errorMessage", &self.scrub(&err.message));
        }
        o.str("eventCategory", "Management");
        o.str("eventID", &self.event_id);
        match self.op.map(|op| op.name()).or(self.action.as_deref()) {
            Some(name) => o.str("eventName", name),
            None => o.raw("eventName", "null"),
        }
        o.str(
            "eventSource",
            &format!("{}.amazonaws.com", service.prefix()),
        );
        o.str("eventTime", &timestamp(self.time));
        o.str("eventType", "AwsApiCall");
        o.str("eventVersion", "1.11");
        o.raw("managementEvent", "true");
        let read_only = !self.writes;
        o.raw("readOnly", if read_only { "true" } else { "false" });
        if let Some(account) = &self.account {
            o.str("recipientAccountId", account);
        }
        o.str("requestID", &self.request_id);
        o.value("requestParameters", parameters);
        o.value("responseElements", response);
        o.str("sourceIPAddress", &self.source_ip);
        match &self.user_agent {
            Some(ua) => o.str("userAgent", ua),
            None => o.raw("userAgent", "null"),
        }
        o.value("userIdentity", identity);
        o.finish()
    }

    /// `message` with the values of secret members taken out.
    fn scrub(&self, message: &str) -> String {
        let mut out = message.to_string();
        for s in self.secrets.iter().filter(|s| !s.is_empty()) {
            out = out.replace(s.as_str(), HIDDEN);
        }
        out
    }
}

/// A JSON object written member by member; members must come in canonical (byte) order.
struct Obj {
    out: String,
    #[cfg(debug_assertions)]
    last: String,
}

impl Obj {
    fn new(capacity: usize) -> Self {
        let mut out = String::with_capacity(capacity);
        out.push('{');
        Obj {
            out,
            #[cfg(debug_assertions)]
            last: String::new(),
        }
    }

    fn key(&mut self, key: &str) {
        #[cfg(debug_assertions)]
        {
            debug_assert!(self.last.as_str() < key, "{key} after {}", self.last);
            self.last = key.to_string();
        }
        if self.out.len() > 1 {
            self.out.push(',');
        }
        super::chain::push_string(key, &mut self.out);
        self.out.push(':');
    }

    fn str(&mut self, key: &str, value: &str) {
        self.key(key);
        super::chain::push_string(value, &mut self.out);
    }

    fn raw(&mut self, key: &str, json: &str) {
        self.key(key);
        self.out.push_str(json);
    }

    fn value(&mut self, key: &str, value: &Value) {
        self.key(key);
        super::chain::canonical_into(value, &mut self.out);
    }

    fn finish(mut self) -> String {
        self.out.push('}');
        self.out
    }
}

/// The record of a change, committed in the change's own store transaction.
#[derive(Debug)]
pub struct Outboxed {
    /// The log that will hold it (its signing key's id).
    pub log_id: String,
    pub event_id: String,
    pub record: String,
    /// Set once a transaction stored it (the log must then remove it from the store).
    stored: AtomicBool,
}

impl Outboxed {
    /// Stores the record inside the change's transaction.
    pub fn put(&self, tx: &dyn portcullis_core::store::Tx) -> portcullis_core::StoreResult<()> {
        tx.put_audit_record(&self.log_id, &self.event_id, &self.record)?;
        self.stored.store(true, Ordering::Release);
        Ok(())
    }

    /// Whether a transaction stored it (it may yet have rolled back: removing it is harmless).
    pub fn stored(&self) -> bool {
        self.stored.load(Ordering::Acquire)
    }
}

/// A random `eventID`, from the thread-local generator (no system call).
pub fn event_id() -> String {
    uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .to_string()
}

/// `eventTime`'s format: `2026-01-02T03:04:05Z`.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn action_in_body(body: &[u8]) -> Option<String> {
    body.split(|&b| b == b'&')
        .find_map(|pair| pair.strip_prefix(b"Action="))
        .filter(|v| v.len() <= 128)
        .and_then(|v| Params::parse(&[b"A=", v].concat()).ok())
        .and_then(|p| p.get("A").map(str::to_string))
}

fn unsigned_identity_type(op: Operation) -> &'static str {
    match op.name() {
        "AssumeRoleWithSAML" => "SAMLUser",
        "AssumeRoleWithWebIdentity" => "WebIdentityUser",
        _ => "Unknown",
    }
}

/// `userIdentity` of an authenticated caller.
pub fn identity(c: &Caller) -> Value {
    let p = &c.principal;
    let account = p.account();
    let mut id = Map::new();
    let kind = match (p, c.session.as_deref().map(|s| &s.principal)) {
        (Principal::Root { .. }, _) => "Root",
        (Principal::User(_), _) => "IAMUser",
        (Principal::RoleSession(_), _) => "AssumedRole",
        (Principal::FederatedUser { .. }, _) => "FederatedUser",
    };
    id.insert("type".into(), json!(kind));
    id.insert("principalId".into(), json!(p.user_id()));
    id.insert("arn".into(), json!(p.arn()));
    id.insert("accountId".into(), json!(account));
    id.insert("accessKeyId".into(), json!(c.access_key_id));
    if let Principal::User(u) = p {
        id.insert("userName".into(), json!(u.name));
    }
    if let Some(session) = &c.session {
        let issuer = match (&session.principal, p) {
            (SessionPrincipal::Role { .. }, Principal::RoleSession(r)) => json!({
                "type": "Role",
                "principalId": r.role_id,
                "arn": r.role_arn(),
                "accountId": account,
                "userName": r.role_name,
            }),
            (
                SessionPrincipal::Federated {
                    issuer: Some(uid), ..
                },
                _,
            ) => json!({
                "type": "IAMUser",
                "principalId": uid,
                "accountId": account,
            }),
            (SessionPrincipal::User { .. }, Principal::User(u)) => json!({
                "type": "IAMUser",
                "principalId": u.id,
                "arn": u.arn(),
                "accountId": account,
                "userName": u.name,
            }),
            _ => json!({
                "type": "Root",
                "principalId": account,
                "arn": portcullis_core::arn::root(account),
                "accountId": account,
            }),
        };
        let mut context = json!({
            "sessionIssuer": issuer,
            "attributes": {
                "creationDate": timestamp(session.issued_at()),
                "mfaAuthenticated": if session.mfa_at.is_some() { "true" } else { "false" },
            },
        });
        if let (Some(si), Some(obj)) = (&session.source_identity, context.as_object_mut()) {
            obj.insert("sourceIdentity".into(), json!(si));
        }
        id.insert("sessionContext".into(), context);
    }
    Value::Object(id)
}
