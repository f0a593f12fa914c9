//! CloudTrail's LookupEvents on the IAM endpoint, over the audit trail's files: the awsJson1.1
//! protocol (`POST` with `X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.
//! LookupEvents`), SigV4 with the service `cloudtrail`, authorized as `cloudtrail:LookupEvents`
//! by the policy engine like any request. Each caller sees its own account's events. The
//! filtering and paging are in [`lookup`].

pub mod lookup;

use crate::app::App;
use crate::audit::files;
use crate::auth::{self, RequestParts};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use portcullis_proto::{AwsError, Params};
use std::sync::Arc;

const TARGET_PREFIX: &str = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";

/// True for a request to CloudTrail's JSON API.
pub fn is_cloudtrail(req: &Request) -> bool {
    req.headers()
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with(TARGET_PREFIX))
}

/// A CloudTrail error: its code, HTTP status and message.
type Failure = (String, u16, String);

fn fail(code: &str, status: u16, message: impl Into<String>) -> Failure {
    (code.to_string(), status, message.into())
}

/// An IAM-style refusal in CloudTrail's words.
fn from_aws(e: AwsError) -> Failure {
    let code = match e.code.as_ref() {
        "InvalidClientTokenId" => "UnrecognizedClientException",
        "SignatureDoesNotMatch" | "IncompleteSignature" => "InvalidSignatureException",
        "AccessDenied" => "AccessDeniedException",
        "ServiceFailure" => "InternalFailure",
        other => other,
    };
    (code.to_string(), e.status, e.message)
}

fn json_response(status: u16, body: String, request_id: &str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    if let Ok(v) = HeaderValue::from_str(request_id) {
        h.insert("x-amzn-requestid", v);
    }
    resp
}

/// Answers a CloudTrail request.
pub async fn handle(app: Arc<App>, req: Request) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    match serve(&app, req).await {
        Ok(body) => json_response(200, body, &request_id),
        Err((code, status, message)) => {
            let body = serde_json::json!({"__type": code, "message": message}).to_string();
            json_response(status, body, &request_id)
        }
    }
}

/// Every record of the log files (oldest first); none when the trail keeps no files.
fn records(app: &App) -> Result<Vec<serde_json::Value>, Failure> {
    let Some(dir) = app.audit.dir() else {
        return Ok(Vec::new());
    };
    let internal = || fail("InternalFailure", 500, "The audit log cannot be read.");
    let mut out = Vec::new();
    for path in files::log_files(dir).map_err(|_| internal())? {
        let text = std::fs::read_to_string(&path).map_err(|_| internal())?;
        // A torn last line (the writer was killed mid-write) is not a record.
        out.extend(text.lines().filter_map(|l| serde_json::from_str(l).ok()));
    }
    Ok(out)
}

async fn serve(app: &Arc<App>, req: Request) -> Result<String, Failure> {
    let (parts, body) = req.into_parts();
    let target = parts
        .headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let operation = target.strip_prefix(TARGET_PREFIX).unwrap_or_default();
    let body = crate::request::read_body(
        &parts,
        body,
        app.settings.max_body_bytes,
        app.settings.body_timeout,
    )
    .await
    .map_err(from_aws)?;
    // A header value that is not text cannot match a signature: it is kept empty.
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.to_str().unwrap_or_default()))
        .collect();
    let query = parts.uri.query().unwrap_or("");
    let rp = RequestParts {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query,
        headers: &headers,
        body: &body,
    };
    let no_query = Params::default();
    let Some(sig) = auth::parse_signature(&rp, &no_query).map_err(from_aws)? else {
        return Err(fail(
            "MissingAuthenticationTokenException",
            403,
            "Missing Authentication Token",
        ));
    };
    if sig.credential.service != "cloudtrail" {
        return Err(fail(
            "InvalidSignatureException",
            400,
            format!(
                "Credential should be scoped to correct service: 'cloudtrail'. Got '{}'.",
                sig.credential.service
            ),
        ));
    }
    let now = app.clock.now();
    let token = rp.header("x-amz-security-token");
    let caller = auth::authenticate(&**app, &sig, &rp, token, now).map_err(from_aws)?;
    if operation != "LookupEvents" {
        return Err(fail(
            "UnknownOperationException",
            400,
            format!("Portcullis answers LookupEvents only, not {operation}."),
        ));
    }
    let origin = crate::request::request_origin(app, &parts, |h| rp.header(h));
    let facts = crate::authz::RequestFacts {
        origin: &origin,
        user_agent: rp.header("user-agent"),
        now,
        full_context: app.settings.explain,
    };
    crate::authz::authorize_action(app, &caller, &facts, "cloudtrail:LookupEvents", "*")
        .map_err(from_aws)?;
    crate::usage::record_caller(app, &caller, "cloudtrail", now);
    crate::usage::record_service_access(app, &caller, "cloudtrail", "LookupEvents", now);
    let query = lookup::Query::parse(&body).map_err(|(code, message)| fail(code, 400, message))?;
    let account = caller.principal.account().to_string();
    let app = app.clone();
    let records = tokio::task::spawn_blocking(move || records(&app))
        .await
        .map_err(|_| fail("InternalFailure", 500, "The audit log cannot be read."))??;
    Ok(lookup::page(&records, &account, &query).to_string())
}
