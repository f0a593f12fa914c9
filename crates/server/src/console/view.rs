//! What a console page answers ([`Out`]: a page, a text, a redirect or a download, with cookies) and
//! how it is rendered: minijinja templates embedded in the binary (auto-escaped HTML), and the
//! headers every answer carries (a Content-Security-Policy without inline script, no caching,
//! no framing, no referrer).

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use minijinja::Environment;
use serde::Serialize;

/// The templates, parsed once.
#[derive(Debug)]
pub struct Templates(Environment<'static>);

/// Every template, by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("templates/base.html")),
    ("signin.html", include_str!("templates/signin.html")),
    ("mfa.html", include_str!("templates/mfa.html")),
    (
        "new_password.html",
        include_str!("templates/new_password.html"),
    ),
    ("dashboard.html", include_str!("templates/dashboard.html")),
    ("users.html", include_str!("templates/users.html")),
    ("user.html", include_str!("templates/user.html")),
    (
        "credentials.html",
        include_str!("templates/credentials.html"),
    ),
    (
        "key_created.html",
        include_str!("templates/key_created.html"),
    ),
    ("mfa_setup.html", include_str!("templates/mfa_setup.html")),
    ("roles.html", include_str!("templates/roles.html")),
    ("role.html", include_str!("templates/role.html")),
    (
        "switch_role.html",
        include_str!("templates/switch_role.html"),
    ),
    ("me.html", include_str!("templates/me.html")),
    ("denied.html", include_str!("templates/denied.html")),
    ("settings.html", include_str!("templates/settings.html")),
    ("policies.html", include_str!("templates/policies.html")),
    ("policy.html", include_str!("templates/policy.html")),
    ("groups.html", include_str!("templates/groups.html")),
    ("group.html", include_str!("templates/group.html")),
    (
        "permissions.html",
        include_str!("templates/permissions.html"),
    ),
    ("message.html", include_str!("templates/message.html")),
];

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        for (name, text) in TEMPLATES {
            if let Err(e) = env.add_template(name, text) {
                tracing::error!(template = name, error = %e, "console template does not parse");
            }
        }
        Templates(env)
    }

    /// `name` rendered with `data`; a failure is logged and answered with a plain error.
    pub fn render(&self, name: &str, data: impl Serialize) -> Result<String, Out> {
        self.0
            .get_template(name)
            .and_then(|t| t.render(data))
            .map_err(|e| {
                tracing::error!(template = name, error = %e, "console template failed");
                plain(500, "The console could not draw this page.")
            })
    }
}

#[derive(Debug)]
enum Kind {
    Html(String),
    Text(String),
    Redirect(String),
    Download {
        file_name: String,
        content_type: &'static str,
        body: Vec<u8>,
    },
}

/// A console answer.
#[derive(Debug)]
pub struct Out {
    status: u16,
    kind: Kind,
    /// `Set-Cookie` values.
    cookies: Vec<String>,
}

pub fn html(status: u16, body: String) -> Out {
    Out {
        status,
        kind: Kind::Html(body),
        cookies: Vec::new(),
    }
}

pub fn plain(status: u16, text: &str) -> Out {
    Out {
        status,
        kind: Kind::Text(format!("{text}\n")),
        cookies: Vec::new(),
    }
}

/// A redirect after a form (303 See Other) or to sign in.
pub fn redirect(to: &str) -> Out {
    Out {
        status: 303,
        kind: Kind::Redirect(to.to_string()),
        cookies: Vec::new(),
    }
}

/// A file to save (the credential report).
pub fn download(file_name: &str, content_type: &'static str, body: Vec<u8>) -> Out {
    Out {
        status: 200,
        kind: Kind::Download {
            file_name: file_name.to_string(),
            content_type,
            body,
        },
        cookies: Vec::new(),
    }
}

/// The policy every console answer carries: only this server's stylesheet, script and images
/// (and `data:` images, the MFA QR code), no inline script or style, no framing, forms post
/// only here.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

impl Out {
    pub fn with_cookie(mut self, cookie: String) -> Self {
        self.cookies.push(cookie);
        self
    }

    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn status_set(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    /// The HTTP answer; `secure`: the request came over TLS (cookies are marked `Secure`).
    pub fn into_response_with(self, secure: bool) -> Response {
        let (body, content_type, location, disposition) = match self.kind {
            Kind::Html(s) => (Body::from(s), "text/html; charset=utf-8", None, None),
            Kind::Text(s) => (Body::from(s), "text/plain; charset=utf-8", None, None),
            Kind::Redirect(to) => (Body::empty(), "text/plain", Some(to), None),
            Kind::Download {
                file_name,
                content_type,
                body,
            } => (
                Body::from(body),
                content_type,
                None,
                Some(format!("attachment; filename=\"{file_name}\"")),
            ),
        };
        let mut resp = Response::new(body);
        *resp.status_mut() = StatusCode::from_u16(self.status).unwrap_or(StatusCode::OK);
        let h = resp.headers_mut();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        );
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        for (name, value) in [
            (header::LOCATION, location),
            (header::CONTENT_DISPOSITION, disposition),
        ] {
            if let Some(v) = value.and_then(|v| HeaderValue::from_str(&v).ok()) {
                h.insert(name, v);
            }
        }
        for c in self.cookies {
            let c = if secure { format!("{c}; Secure") } else { c };
            if let Ok(v) = HeaderValue::from_str(&c) {
                h.append(header::SET_COOKIE, v);
            }
        }
        resp
    }
}

/// The same answer with another status (a form shown again with its error).
pub fn with_status(out: Out, status: u16) -> Out {
    if out.status() == 200 {
        out.status_set(status)
    } else {
        out
    }
}

/// Days since `t`, for the age columns.
pub fn days(cx: &super::Cx, t: chrono::DateTime<chrono::Utc>) -> i64 {
    (cx.now - t).num_days().max(0)
}

/// A friendly "N days ago" / "today" / "never".
pub fn ago(cx: &super::Cx, t: Option<chrono::DateTime<chrono::Utc>>) -> String {
    match t.map(|t| days(cx, t)) {
        None => "Never".to_string(),
        Some(0) => "Today".to_string(),
        Some(1) => "Yesterday".to_string(),
        Some(n) => format!("{n} days ago"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_escapes_html() {
        let t = Templates::new();
        for (name, _) in TEMPLATES {
            assert!(t.0.get_template(name).is_ok(), "{name} does not parse");
        }
        let page = t
            .render(
                "message.html",
                serde_json::json!({"title": "<b>x</b>", "text": "<script>", "back": "/"}),
            )
            .map_err(|o| o.status())
            .unwrap_or_default();
        assert!(page.contains("&lt;script&gt;") && !page.contains("<script>"));
        assert!(!page.contains("<b>x</b>"));
    }
}
