//! A console client over raw HTTP for the sign-in tests that a browser cannot make (forged
//! forms, altered cookies): it keeps the cookies the console sets and reads the CSRF token of
//! the last page.

use crate::common::Server;
use crate::raw::{self, RawResponse, percent_encode};
use std::collections::BTreeMap;

pub struct Console<'a> {
    pub server: &'a Server,
    pub cookies: BTreeMap<String, String>,
    /// The CSRF token of the last page that had a form.
    pub csrf: String,
}

impl<'a> Console<'a> {
    pub fn new(server: &'a Server) -> Self {
        Console {
            server,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        if self.cookies.is_empty() {
            return String::new();
        }
        let pairs: Vec<String> = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!("Cookie: {}\r\n", pairs.join("; "))
    }

    fn keep(&mut self, r: &RawResponse) {
        for line in r.headers.lines() {
            let Some(rest) = line.strip_prefix("set-cookie: ") else {
                continue;
            };
            let first = rest.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                if v.is_empty() {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_string(), v.to_string());
                }
            }
        }
        if let Some(token) = csrf_of(&r.body) {
            self.csrf = token;
        }
    }

    pub fn get(&mut self, path: &str) -> RawResponse {
        let req = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\n{}Connection: close\r\n\r\n",
            self.server.addr,
            self.cookie_header()
        );
        let r = raw::send(&self.server.addr, req.as_bytes());
        self.keep(&r);
        r
    }

    /// Posts `fields` as a form (the CSRF token is not added: pass it when wanted).
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> RawResponse {
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", percent_encode(v)))
            .collect();
        let body = body.join("&");
        let req = format!(
            "POST {path} HTTP/1.1\r\nHost: {}\r\n{}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.server.addr,
            self.cookie_header(),
            body.len()
        );
        let r = raw::send(&self.server.addr, req.as_bytes());
        self.keep(&r);
        r
    }

    /// Signs in as an IAM user of the dev account (the sign-in page first, for its token).
    pub fn sign_in(&mut self, user: &str, password: &str) -> RawResponse {
        self.get("/console/signin");
        let csrf = self.csrf.clone();
        self.post(
            "/console/signin",
            &[
                ("csrf", &csrf),
                ("account", crate::common::DEV_ACCOUNT),
                ("kind", "iam"),
                ("user", user),
                ("password", password),
            ],
        )
    }
}

/// The redirect target of an answer.
pub fn location(r: &RawResponse) -> &str {
    r.headers
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .unwrap_or("")
}

/// The value of the first `name="csrf"` field of a page.
pub fn csrf_of(body: &str) -> Option<String> {
    let i = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(body[i..].split('"').next()?.to_string())
}

/// A user of the dev account with a console password (and `policy` attached, if any).
pub async fn console_user(s: &Server, name: &str, password: &str, policy: Option<&str>) {
    let iam = s.root_iam();
    iam.create_user().user_name(name).send().await.unwrap();
    iam.create_login_profile()
        .user_name(name)
        .password(password)
        .send()
        .await
        .unwrap();
    if let Some(arn) = policy {
        iam.attach_user_policy()
            .user_name(name)
            .policy_arn(arn)
            .send()
            .await
            .unwrap();
    }
}

pub const ADMIN_POLICY: &str = "arn:aws:iam::aws:policy/AdministratorAccess";
