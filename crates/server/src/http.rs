//! The HTTP edge and the request pipeline: decode, route, authenticate, validate, authorize,
//! dispatch, answer in AWS's XML. Every failure becomes an AWS error envelope, never axum's
//! plain-text rejections.

use crate::app::App;
use crate::auth::{self, RequestParts};
use crate::handlers::{self, Ctx};
use crate::request::{read_body, request_origin};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use portcullis_proto::ops::Service;
use portcullis_proto::{AwsError, Input, Operation, Params, validate, xml};
use std::net::SocketAddr;
use std::sync::Arc;

/// How `run` serves: TLS or plain HTTP, and the connection limits.
#[derive(Debug, Default)]
pub struct Transport {
    pub tls: Option<Arc<crate::tls::TlsSource>>,
    pub limits: crate::listener::Limits,
}

pub async fn run(app: Arc<App>, addr: SocketAddr, transport: Transport) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
    let local = listener.local_addr()?;
    let shutdown = shutdown_signal()?;
    crate::listener::raise_open_file_limit();
    if let Some(tls) = &transport.tls {
        tls.watch(std::time::Duration::from_secs(5));
    }
    let scheme = if transport.tls.is_some() {
        "HTTPS (TLS)"
    } else {
        "plain HTTP"
    };
    // Tests and scripts read the address after "listening on ".
    tracing::info!("{scheme}; listening on {local}");
    crate::listener::serve(
        listener,
        router(app),
        transport.tls,
        transport.limits,
        shutdown,
    )
    .await;
    tracing::info!("stopped: in-flight requests finished");
    Ok(())
}

/// Resolves on SIGTERM or SIGINT. The handlers are installed before this returns, so a signal
/// that arrives as soon as the server announces itself still shuts it down gracefully.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;
    Ok(async move {
        tokio::select! { _ = term.recv() => {}, _ = int.recv() => {} }
        tracing::info!("shutting down");
    })
}

pub fn router(app: Arc<App>) -> Router {
    let mut r = Router::new()
        .route("/_portcullis/health", get(|| async { "ok\n" }))
        .route("/metrics", get(crate::metrics::serve::<App>));
    if app.dev.is_some() {
        r = r
            .route("/_portcullis/reset", post(reset))
            .route("/_portcullis/clock", post(set_clock));
    }
    r.merge(crate::console::routes())
        .fallback(aws_entry)
        .with_state(app)
}

async fn reset(State(app): State<Arc<App>>) -> Response {
    let result = tokio::task::spawn_blocking(move || app.reset_dev()).await;
    match result {
        Ok(Ok(())) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"reset\":true}\n",
        )
            .into_response(),
        _ => (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "application/json")],
            "{\"reset\":false}\n",
        )
            .into_response(),
    }
}

/// Dev mode: shifts the server's clock by `offset_seconds` (form body), so tests of expiry
/// need not sleep.
async fn set_clock(State(app): State<Arc<App>>, body: axum::body::Bytes) -> Response {
    // At most a century either way: any offset chrono can add to now without overflowing.
    const MAX_OFFSET: i64 = 100 * 366 * 24 * 3600;
    let offset = Params::parse(&body)
        .ok()
        .and_then(|p| p.get("offset_seconds").and_then(|v| v.parse::<i64>().ok()))
        .filter(|s| s.abs() <= MAX_OFFSET);
    match (offset, app.dev.as_ref()) {
        (Some(secs), Some(dev)) => {
            dev.clock.set_offset(chrono::TimeDelta::seconds(secs));
            (StatusCode::OK, format!("{{\"offset_seconds\":{secs}}}\n")).into_response()
        }
        _ => (
            StatusCode::BAD_REQUEST,
            "expected offset_seconds=N, at most a century either way\n",
        )
            .into_response(),
    }
}

fn xml_response(status: u16, body: String, request_id: &str) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        resp.headers_mut().insert("x-amzn-requestid", v);
    }
    resp
}

fn error_response(err: &AwsError, service: Service, request_id: &str) -> Response {
    if err.status >= 500 {
        tracing::error!(request_id, code = %err.code, message = %err.message, "request failed");
    }
    xml_response(
        err.status,
        xml::error_envelope(err, service.namespace(), request_id),
        request_id,
    )
}

async fn aws_entry(State(app): State<Arc<App>>, req: Request) -> Response {
    if crate::cloudtrail::is_cloudtrail(&req) {
        return crate::cloudtrail::handle(app, req).await;
    }
    // Random from the thread-local generator: no system call per request.
    let request_id = uuid::Builder::from_random_bytes(rand::random())
        .into_uuid()
        .to_string();
    let started = std::time::Instant::now();
    let mut draft = crate::audit::Draft::begin(&app.settings.trusted_proxies, &req, &request_id);
    let outcome = pipeline(app.clone(), req, &request_id, &mut draft).await;
    let op = draft.operation();
    let outcome = crate::audit::finish(&app.audit, draft, outcome).await;
    let result = outcome.as_ref().map(|_| ()).map_err(|(e, _)| e);
    app.metrics.request(op, result, started.elapsed());
    match outcome {
        Ok((op, result)) => {
            let info = op.info();
            xml_response(
                200,
                xml::success_envelope(
                    info.name,
                    info.service.namespace(),
                    info.output,
                    &result,
                    &request_id,
                ),
                &request_id,
            )
        }
        Err((err, service)) => error_response(&err, service, &request_id),
    }
}

/// The service a SigV4 credential scope names.
fn scope_service(name: &str) -> Result<Service, AwsError> {
    Service::from_signing_name(name).ok_or_else(|| {
        AwsError::signature_does_not_match(format!(
            "Credential should be scoped to correct service: 'iam' or 'sts'. Got '{name}'."
        ))
    })
}

/// Which service a request is for: the SigV4 scope decides, then `Version`, then whichever
/// service has the action.
fn route(scope: Option<Service>, params: &Params) -> (Service, Option<Operation>) {
    let action = params.get("Action");
    let service = scope.or_else(|| params.get("Version").and_then(Service::from_version));
    let service = service.unwrap_or_else(|| match action {
        Some(a)
            if Operation::from_wire(Service::Iam, a).is_none()
                && Operation::from_wire(Service::Sts, a).is_some() =>
        {
            Service::Sts
        }
        _ => Service::Iam,
    });
    (
        service,
        action.and_then(|a| Operation::from_wire(service, a)),
    )
}

/// The largest body an unsigned request may send (AssumeRoleWithSAML's assertion, encoded).
const UNSIGNED_BODY_LIMIT: usize = 512 * 1024;

type PipelineError = (AwsError, Service);

async fn pipeline(
    app: Arc<App>,
    req: Request,
    request_id: &str,
    draft: &mut crate::audit::Draft,
) -> Result<(Operation, String), PipelineError> {
    let (parts, body) = req.into_parts();
    let iam = |e: AwsError| (e, Service::Iam);
    let query = parts.uri.query().unwrap_or("");
    let query_params = Params::parse(query.as_bytes()).map_err(iam)?;
    // Only a few STS operations are unsigned, and none of their inputs is large: an anonymous
    // caller cannot make the server read (and then decode) megabytes.
    let signed = parts.headers.contains_key(header::AUTHORIZATION)
        || query_params.contains("X-Amz-Signature");
    let limit = if signed {
        app.settings.max_body_bytes
    } else {
        app.settings.max_body_bytes.min(UNSIGNED_BODY_LIMIT)
    };
    let body = read_body(&parts, body, limit, app.settings.body_timeout)
        .await
        .map_err(iam)?;

    // Header names are lowercase already; a value that is not visible ASCII cannot match a
    // signature, so it is kept as its lossy text only to fail verification.
    let lossy: Vec<String> = parts
        .headers
        .values()
        .filter(|v| v.to_str().is_err())
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    let mut lossy_iter = lossy.iter();
    let headers: Vec<(&str, &str)> = parts
        .headers
        .iter()
        .map(|(n, v)| {
            let text = v
                .to_str()
                .ok()
                .or_else(|| lossy_iter.next().map(String::as_str));
            (n.as_str(), text.unwrap_or_default())
        })
        .collect();
    let method = parts.method.as_str();
    let rp = RequestParts {
        method,
        path: parts.uri.path(),
        query,
        headers: &headers,
        body: &body,
    };

    // The signature is checked before the body is decoded.
    let signature = auth::parse_signature(&rp, &query_params).map_err(iam)?;
    draft.signed(signature.as_ref(), &query_params, &body);
    let scope = signature
        .as_ref()
        .map(|s| scope_service(s.credential.service))
        .transpose()
        .map_err(iam)?;
    let now = app.clock.now();
    let mut caller = match &signature {
        Some(sig) => {
            let token = rp
                .header("x-amz-security-token")
                .or_else(|| query_params.get("X-Amz-Security-Token"));
            let in_scope = |e: AwsError| (e, scope.unwrap_or(Service::Iam));
            Some(auth::authenticate(&*app, sig, &rp, token, now).map_err(in_scope)?)
        }
        None => None,
    };
    let mut params = Params::parse(&body).map_err(iam)?;
    params.extend(query.as_bytes()).map_err(iam)?;
    let (service, op) = route(scope, &params);
    let in_service = |e: AwsError| (e, service);
    draft
        .routed(
            &app.audit,
            service,
            op,
            op.is_some_and(|o| handlers::routes::route(o).writes),
            &params,
            caller.as_ref(),
        )
        .map_err(in_service)?;
    if parts.method != Method::POST && parts.method != Method::GET {
        return Err(in_service(AwsError::new(
            "InvalidHttpRequest",
            400,
            format!("The HTTP method {method} is not supported."),
        )));
    }
    if caller.is_none() && op.is_none_or(|o| o.info().signed) {
        return Err(in_service(AwsError::missing_authentication_token()));
    }
    if let Some(c) = &caller {
        crate::usage::record_caller(&app, c, service.prefix(), now);
    }
    let op = match (op, params.get("Action")) {
        (Some(op), _) => op,
        (None, None) => return Err(in_service(AwsError::missing_action())),
        (None, Some(a)) => {
            return Err(in_service(AwsError::invalid_action(
                a,
                params.get("Version").unwrap_or(service.version()),
            )));
        }
    };
    if let Some(c) = &caller {
        crate::usage::record_service_access(&app, c, service.prefix(), op.name(), now);
    }
    validate::validate(op.info(), &params).map_err(in_service)?;
    // Decoded once: authorization and the handler read this same value.
    let input = Input::decode(op, &params).map_err(in_service)?;
    let route = handlers::routes::route(op);
    let origin = request_origin(&app, &parts, |h| rp.header(h));
    let facts = crate::authz::RequestFacts {
        origin: &origin,
        user_agent: rp.header("user-agent"),
        now,
        full_context: app.settings.explain,
    };
    let decide = || crate::authz::authorize(&app, &route.rule, &input, caller.as_ref(), &facts);
    // Accepting a one-time MFA code writes to the store: a blocking call, so the async workers
    // hand their other connections over while it runs.
    let writes = crate::authz::mfa::offered(&input).1.is_some()
        && tokio::runtime::Handle::current().runtime_flavor()
            == tokio::runtime::RuntimeFlavor::MultiThread;
    let granted = if writes {
        tokio::task::block_in_place(decide)
    } else {
        decide()
    }
    .map_err(in_service)?;
    if let Some(c) = &mut caller {
        c.mfa_verified_at = granted.mfa_at;
    }
    let mutating = route.writes;
    let audit = match app.audit.outbox_log() {
        Some(log_id) if mutating => Some(draft.outbox(log_id)),
        _ => None,
    };
    let ctx = Ctx {
        app: app.clone(),
        op,
        caller,
        input,
        web_identity: granted.web_identity,
        assumed_role: granted.assumed_role,
        now,
        audit,
    };
    let result = if mutating {
        let started = std::time::Instant::now();
        let ran = tokio::task::spawn_blocking(move || (route.handler)(&ctx)).await;
        app.metrics.write(started.elapsed());
        let out = ran.unwrap_or_else(|_| Err(AwsError::internal()));
        if out.is_ok() {
            app.invalidate_caches();
        }
        out
    } else {
        (route.handler)(&ctx)
    };
    tracing::debug!(
        request_id,
        action = op.name(),
        ok = result.is_ok(),
        "request"
    );
    result.map(|r| (op, r)).map_err(in_service)
}
