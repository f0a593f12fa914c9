//! The web console at `/console`: people sign in with the passwords and MFA devices Portcullis
//! manages and administer IAM from server-rendered pages. Every page runs on the server's own
//! domain code (core's services inside the store's write transactions, the store's reads) and
//! every action is decided by the same policy engine as the API, for the signed-in principal
//! (`authz::authorize_console`). The session is a sealed cookie (`cookie`), every form carries
//! a CSRF token, and every answer a strict Content-Security-Policy: no inline script, no
//! external asset (the stylesheet and script are embedded, `assets`).

mod action_audit;
mod assets;
mod attachments;
mod cookie;
mod credentials;
mod credentials_tab;
mod dashboard;
mod groups;
mod guard;
mod keys;
mod login_audit;
mod mfa_setup;
mod permissions;
mod policies;
mod roles;
pub mod root_password;
mod settings;
mod signin;
mod throttle;
mod users;
mod view;
mod who;

pub use view::Out;

use crate::app::App;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;
use axum::routing::{MethodRouter, get};
use axum::{Extension, Router};
use chrono::{DateTime, Utc};
use portcullis_proto::Params;
use std::collections::HashMap;
use std::sync::Arc;

/// The console's per-server state: its templates (the sign-in throttle's counts are in the
/// store, shared by every server on it).
#[derive(Debug)]
pub struct Console {
    pub templates: view::Templates,
}

impl Default for Console {
    fn default() -> Self {
        Console {
            templates: view::Templates::new(),
        }
    }
}

/// One console request as the pages see it.
#[derive(Debug)]
pub struct Cx {
    pub app: Arc<App>,
    /// The console's own state (its templates), which the server's `App` does
    /// not hold: the console depends on the server, not the other way round.
    pub console: Arc<Console>,
    pub now: DateTime<Utc>,
    pub post: bool,
    /// The form (POST) or the query string (GET).
    pub form: Params,
    pub path: HashMap<String, String>,
    pub headers: HeaderMap,
    pub origin: crate::net::Origin,
}

impl Cx {
    /// A path segment the route names (`{name}`).
    pub fn segment(&self, name: &str) -> &str {
        self.path.get(name).map(String::as_str).unwrap_or_default()
    }

    /// A form field, trimmed ("" when absent).
    pub fn field(&self, name: &str) -> &str {
        self.form.get(name).map(str::trim).unwrap_or_default()
    }

    /// A form field exactly as sent (passwords).
    pub fn raw(&self, name: &str) -> &str {
        self.form.get(name).unwrap_or_default()
    }

    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.headers
            .get_all(axum::http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|kv| kv.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }

    pub fn user_agent(&self) -> Option<&str> {
        self.headers
            .get(axum::http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
    }
}

type PageFn = fn(&Cx) -> Out;

/// The largest console form accepted (a policy document fits).
const MAX_FORM: usize = 64 * 1024;

/// A route served by `f` on a blocking thread (pages read the store and hash passwords).
fn page(f: PageFn) -> MethodRouter<Arc<App>> {
    let handler =
        move |State(app): State<Arc<App>>,
              Extension(console): Extension<Arc<Console>>,
              path: Option<Path<HashMap<String, String>>>,
              req: Request| async move { run(app, console, path, req, f).await };
    get(handler).post(handler)
}

async fn run(
    app: Arc<App>,
    console: Arc<Console>,
    path: Option<Path<HashMap<String, String>>>,
    req: Request,
    f: PageFn,
) -> Response {
    let (parts, body) = req.into_parts();
    let post = parts.method == Method::POST;
    let form = if post {
        match axum::body::to_bytes(body, MAX_FORM).await {
            Ok(bytes) => Params::parse(&bytes).unwrap_or_default(),
            Err(_) => return view::plain(413, "The form is too large.").into_response_with(false),
        }
    } else {
        Params::parse(parts.uri.query().unwrap_or("").as_bytes()).unwrap_or_default()
    };
    let header = |n: &str| parts.headers.get(n).and_then(|v| v.to_str().ok());
    let origin = crate::request::request_origin(&app, &parts, header);
    let cx = Cx {
        now: app.clock.now(),
        app,
        console,
        post,
        form,
        path: path.map(|p| p.0).unwrap_or_default(),
        headers: parts.headers,
        origin,
    };
    let secure = cx.origin.secure_transport;
    let out = tokio::task::spawn_blocking(move || f(&cx))
        .await
        .unwrap_or_else(|_| view::plain(500, "The console failed; try again."));
    out.into_response_with(secure)
}

/// The console's routes (merged into the server's router), with the console's state.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(
            "/console",
            get(|| async { view::redirect("/console/home").into_response_with(false) }),
        )
        .route("/console/assets/{file}", get(assets::serve))
        .route("/console/signin", page(signin::signin))
        .route("/console/mfa", page(signin::mfa))
        .route("/console/new-password", page(signin::new_password))
        .route("/console/signout", page(signin::signout))
        .route("/console/home", page(dashboard::page))
        .route("/console/users", page(users::list))
        .route("/console/users/{name}", page(users::show))
        .route("/console/users/{name}/delete", page(users::delete))
        .route("/console/users/{name}/keys", page(keys::create))
        .route("/console/users/{name}/policies", page(attachments::update))
        .route("/console/users/{name}/keys/{id}", page(keys::update))
        .route(
            "/console/users/{name}/password",
            page(credentials::password),
        )
        .route("/console/users/{name}/unlock", page(credentials::unlock))
        .route("/console/users/{name}/mfa", page(mfa_setup::assign))
        .route(
            "/console/users/{name}/mfa/deactivate",
            page(mfa_setup::deactivate),
        )
        .route("/console/me", page(credentials::me))
        .route("/console/me/password", page(credentials::change_own))
        .route("/console/groups", page(groups::list))
        .route("/console/groups/{name}", page(groups::show))
        .route("/console/policies", page(policies::list))
        .route("/console/policies/{name}", page(policies::show))
        .route("/console/permissions", page(permissions::page))
        .route("/console/settings", page(settings::page))
        .route("/console/settings/report", page(settings::report))
        .route("/console/roles", page(roles::list))
        .route("/console/roles/{name}", page(roles::show))
        .route("/console/switch-role", page(roles::switch))
        .route("/console/switch-back", page(roles::back))
        .layer(Extension(Arc::new(Console::default())))
}
