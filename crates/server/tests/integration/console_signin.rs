//! The console's sign-in cannot be bypassed (HTTP level): forms without the right CSRF token,
//! altered cookies, ended sessions, sessions of deleted users, sign-outs, API credentials as
//! console passwords and console cookies as API credentials are all refused; the throttle
//! follows its schedule up to the lock, which only an administrator lifts; every attempt is in
//! the audit trail, unknown names only as keyed hashes.

use crate::common::{DEV_ACCOUNT, DEV_SECRET, Server, err_code, user_with_key};
use crate::console_client::{ADMIN_POLICY, Console, console_user, location};
use crate::raw;

const PASSWORD: &str = "Correct-Horse-9";

#[tokio::test]
async fn forms_need_the_sessions_csrf_token_and_cookies_cannot_be_forged() {
    let s = Server::dev();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    let mut c = Console::new(&s);
    // No session: every page sends to the sign-in.
    let r = c.get("/console/users");
    assert_eq!((r.status, location(&r)), (303, "/console/signin"));
    // The sign-in form itself needs its token.
    c.get("/console/signin");
    let fields = |csrf: &'static str| {
        vec![
            ("csrf", csrf),
            ("account", DEV_ACCOUNT),
            ("kind", "iam"),
            ("user", "admin"),
            ("password", PASSWORD),
        ]
    };
    assert_eq!(c.post("/console/signin", &fields("")[1..]).status, 403);
    assert_eq!(c.post("/console/signin", &fields("forged")).status, 403);
    assert!(!c.cookies.contains_key("portcullis-console"));
    let r = c.sign_in("admin", PASSWORD);
    assert_eq!(
        (r.status, location(&r)),
        (303, "/console/home"),
        "{}",
        r.body
    );
    let r = c.get("/console/users");
    assert_eq!(r.status, 200);
    assert!(r.body.contains(">admin</a>"));
    // A signed-in form without (or with another) token changes nothing.
    for token in ["", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"] {
        let r = c.post(
            "/console/users",
            &[("csrf", token), ("user_name", "mallory")],
        );
        assert_eq!(r.status, 403, "{}", r.body);
    }
    assert_eq!(
        err_code(s.root_iam().get_user().user_name("mallory").send().await).0,
        "NoSuchEntity"
    );
    let csrf = c.csrf.clone();
    let r = c.post("/console/users", &[("csrf", &csrf), ("user_name", "erin")]);
    assert_eq!((r.status, location(&r)), (303, "/console/users/erin"));
    // An altered cookie is no session.
    let good = c.cookies["portcullis-console"].clone();
    let mut bytes = good.clone().into_bytes();
    bytes[30] = if bytes[30] == b'A' { b'B' } else { b'A' };
    c.cookies.insert(
        "portcullis-console".into(),
        String::from_utf8(bytes).unwrap(),
    );
    let r = c.get("/console/home");
    assert_eq!((r.status, location(&r)), (303, "/console/signin"));
    // A sign-in cookie is not a session cookie either.
    let signin = c
        .cookies
        .get("portcullis-signin")
        .cloned()
        .unwrap_or_default();
    c.cookies.insert("portcullis-console".into(), signin);
    assert_eq!(c.get("/console/home").status, 303);
    // Every answer carries the policy without inline script.
    let page = c.get("/console/signin");
    let csp = page
        .headers
        .lines()
        .find_map(|l| l.strip_prefix("content-security-policy: "))
        .unwrap_or("");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{csp}"
    );
    assert!(page.headers.contains("HttpOnly; SameSite=Strict"));
    assert!(!page.body.contains("<script>"));
}

#[tokio::test]
async fn ended_sessions_deleted_users_and_sign_outs_are_refused() {
    let s = Server::dev();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    console_user(&s, "bob", PASSWORD, None).await;
    let mut admin = Console::new(&s);
    assert_eq!(admin.sign_in("admin", PASSWORD).status, 303);
    let mut bob = Console::new(&s);
    assert_eq!(bob.sign_in("bob", PASSWORD).status, 303);
    assert_eq!(bob.get("/console/home").status, 200);
    // PasswordLastUsed is set by the sign-in.
    let got = s
        .root_iam()
        .get_user()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    assert!(got.user().unwrap().password_last_used().is_some());
    // Bob is deleted: his session ends with him.
    let iam = s.root_iam();
    iam.delete_login_profile()
        .user_name("bob")
        .send()
        .await
        .unwrap();
    iam.delete_user().user_name("bob").send().await.unwrap();
    let r = bob.get("/console/home");
    assert_eq!((r.status, location(&r)), (303, "/console/signin"));
    // A copy of the cookie does not outlive a sign-out.
    admin.get("/console/home");
    let copy = admin.cookies.clone();
    let csrf = admin.csrf.clone();
    let r = admin.post("/console/signout", &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    let mut thief = Console::new(&s);
    thief.cookies = copy;
    assert_eq!(thief.get("/console/home").status, 303);
    // Sessions end after MaxSigninSessionDuration (12 h by default), even when used.
    let mut admin = Console::new(&s);
    s.shift_clock(1);
    assert_eq!(admin.sign_in("admin", PASSWORD).status, 303);
    for minutes in (50..=710).step_by(50) {
        s.shift_clock(minutes * 60);
        assert_eq!(
            admin.get("/console/home").status,
            200,
            "after {minutes} min"
        );
    }
    s.shift_clock(12 * 3600 + 5);
    let r = admin.get("/console/home");
    assert_eq!((r.status, location(&r)), (303, "/console/signin"));
    // And after an hour without a request.
    let mut idle = Console::new(&s);
    assert_eq!(idle.sign_in("admin", PASSWORD).status, 303);
    s.shift_clock(12 * 3600 + 5 + 3601);
    assert_eq!(idle.get("/console/home").status, 303);
}

#[tokio::test]
async fn api_credentials_are_no_console_password_and_the_reverse() {
    let s = Server::dev();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    let (_key, secret) = user_with_key(&s.root_iam(), "keyholder").await;
    let mut c = Console::new(&s);
    // An access key's secret does not open a console session, nor does root's.
    assert_eq!(c.sign_in("keyholder", &secret).status, 401);
    c.get("/console/signin");
    let csrf = c.csrf.clone();
    let r = c.post(
        "/console/signin",
        &[
            ("csrf", &csrf),
            ("account", DEV_ACCOUNT),
            ("kind", "root"),
            ("password", DEV_SECRET),
        ],
    );
    assert_eq!(r.status, 401);
    assert!(!c.cookies.contains_key("portcullis-console"));
    // A console session is no API credential.
    assert_eq!(c.sign_in("admin", PASSWORD).status, 303);
    let body = "Action=ListUsers&Version=2010-05-08";
    let req = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nCookie: portcullis-console={}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        s.addr,
        c.cookies["portcullis-console"],
        body.len()
    );
    let r = raw::send(&s.addr, req.as_bytes());
    assert_eq!(
        (r.status, r.code()),
        (403, "MissingAuthenticationToken"),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn guessing_slows_down_then_locks_until_an_admin_unlocks() {
    let audit = tempfile::tempdir().unwrap();
    let (s, _cfg) =
        Server::dev_with_config(&format!("audit_dir = \"{}\"\n", audit.path().display()));
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    console_user(&s, "carol", PASSWORD, None).await;
    let mut c = Console::new(&s);
    // Unknown user, wrong password: the same answer.
    let unknown = c.sign_in("nobody-here", "whatever-1A!");
    let wrong = c.sign_in("carol", "wrong-password-1");
    assert_eq!((unknown.status, wrong.status), (401, 401));
    let text = |r: &raw::RawResponse| {
        r.body
            .contains("Your authentication information is incorrect")
    };
    assert!(text(&unknown) && text(&wrong));
    // Both refusals are counted for /metrics.
    let refused = crate::metrics::sample(
        &crate::metrics::scrape(&s),
        "portcullis_console_signin_failures_total",
    );
    assert_eq!(refused, Some(2.0));
    // A success clears the address's count (carol has one failure).
    assert_eq!(Console::new(&s).sign_in("admin", PASSWORD).status, 303);
    // Five failures are free; then the delay doubles from one second.
    for _ in 0..4 {
        assert_eq!(c.sign_in("carol", "wrong-password-1").status, 401);
    }
    let r = c.sign_in("carol", PASSWORD);
    assert_eq!(
        r.status, 429,
        "the sixth attempt waits, even with the right password"
    );
    assert!(r.body.contains("Wait 1 second,"), "{}", r.body);
    let mut offset = 1;
    s.shift_clock(offset);
    assert_eq!(c.sign_in("carol", "wrong-password-1").status, 401);
    let r = c.sign_in("carol", "wrong-password-1");
    assert!(r.body.contains("Wait 2 seconds"), "{}", r.body);
    // Up to a hundred consecutive failures, each after its delay (at most 15 minutes)...
    for n in 7..100 {
        offset += 901;
        s.shift_clock(offset);
        let r = c.sign_in("carol", "wrong-password-1");
        assert_eq!(r.status, 401, "failure {n}");
    }
    let r = c.sign_in("carol", PASSWORD);
    assert!(r.body.contains("Wait 900 seconds"), "{}", r.body);
    offset += 901;
    s.shift_clock(offset);
    assert_eq!(c.sign_in("carol", "wrong-password-1").status, 401);
    // ...then the user is locked: the right password gets the same answer as a wrong one.
    offset += 901;
    s.shift_clock(offset);
    let r = c.sign_in("carol", PASSWORD);
    assert_eq!(r.status, 401, "{}", r.body);
    assert!(text(&r));
    // An administrator unlocks it (the address's own delay passes first).
    offset += 901;
    s.shift_clock(offset);
    let mut admin = Console::new(&s);
    assert_eq!(admin.sign_in("admin", PASSWORD).status, 303);
    let page = admin.get("/console/users/carol");
    assert!(page.body.contains("id=\"locked\""), "{}", page.body);
    let csrf = admin.csrf.clone();
    let r = admin.post("/console/users/carol/unlock", &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(c.sign_in("carol", PASSWORD).status, 303);
    // The trail has every attempt; the unknown name only as a keyed hash.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let mut log = String::new();
    for e in std::fs::read_dir(audit.path()).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "jsonl") {
            log.push_str(&std::fs::read_to_string(p).unwrap());
        }
    }
    let logins: Vec<serde_json::Value> = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["eventName"] == "ConsoleLogin")
        .collect();
    assert!(
        !log.contains("nobody-here"),
        "an unknown name is never written in clear"
    );
    let hashed = logins
        .iter()
        .find(|v| {
            v["userIdentity"]["userName"]
                .as_str()
                .is_some_and(|n| n.starts_with("hmac-sha256:"))
        })
        .expect("the unknown name's attempt");
    assert_eq!(hashed["responseElements"]["ConsoleLogin"], "Failure");
    let carol_ok = logins
        .iter()
        .filter(|v| v["userIdentity"]["userName"] == "carol")
        .filter(|v| v["responseElements"]["ConsoleLogin"] == "Success")
        .count();
    assert_eq!(carol_ok, 1);
    assert!(
        logins
            .iter()
            .all(|v| v["additionalEventData"]["MFAUsed"] == "No")
    );
    assert!(!log.contains(PASSWORD) && !log.contains("wrong-password-1"));
    // The unlock is recorded as the change it is, made from the console.
    let unlock = log
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["eventName"] == "UpdateLoginProfile")
        .expect("the unlock's record");
    assert_eq!(unlock["sessionCredentialFromConsole"], "true");
    assert_eq!(unlock["requestParameters"]["userName"], "carol");
    assert_eq!(unlock["userIdentity"]["userName"], "admin");
    assert!(unlock.get("errorCode").is_none(), "{unlock}");
}

#[tokio::test]
async fn root_signs_in_with_its_own_password_set_at_init_or_by_command() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = dir.path().join("root-password");
    std::fs::write(&file, "Root-Console-Passw0rd!\n").unwrap();
    let init = std::process::Command::new(crate::common::bin())
        .args(["init", "--account-id", "111122223333", "--data-dir"])
        .arg(&data)
        .arg("--root-password-file")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        init.status.success(),
        "{}",
        String::from_utf8_lossy(&init.stderr)
    );
    // A weak password is refused by the command, which changes nothing then.
    let weak = std::process::Command::new(crate::common::bin())
        .args(["account", "set-root-password", "--data-dir"])
        .arg(&data)
        .env("PORTCULLIS_ROOT_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!weak.status.success());
    let s = Server::serve(&data);
    let mut c = Console::new(&s);
    c.get("/console/signin");
    let csrf = c.csrf.clone();
    let root = |password: &'static str, csrf: String| {
        vec![
            ("csrf".to_string(), csrf),
            ("account".to_string(), "111122223333".to_string()),
            ("kind".to_string(), "root".to_string()),
            ("password".to_string(), password.to_string()),
        ]
    };
    let post = |c: &mut Console<'_>, fields: Vec<(String, String)>| {
        let f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        c.post("/console/signin", &f)
    };
    assert_eq!(post(&mut c, root("Wrong-Passw0rd!", csrf)).status, 401);
    // Every form shown comes with a new token.
    let csrf = c.csrf.clone();
    let r = post(&mut c, root("Root-Console-Passw0rd!", csrf));
    assert_eq!(
        (r.status, location(&r)),
        (303, "/console/home"),
        "{}",
        r.body
    );
    let home = c.get("/console/home");
    assert!(
        home.body
            .contains("The root user signs in with its own password"),
        "{}",
        home.body
    );
    // The command replaces it; the old one no longer signs in.
    let set = std::process::Command::new(crate::common::bin())
        .args(["account", "set-root-password", "--data-dir"])
        .arg(&data)
        .env("PORTCULLIS_ROOT_PASSWORD", "Another-Root-Passw0rd?")
        .output()
        .unwrap();
    assert!(
        set.status.success(),
        "{}",
        String::from_utf8_lossy(&set.stderr)
    );
    let mut c = Console::new(&s);
    c.get("/console/signin");
    let csrf = c.csrf.clone();
    assert_eq!(
        post(&mut c, root("Root-Console-Passw0rd!", csrf)).status,
        401
    );
    let csrf = c.csrf.clone();
    assert_eq!(
        post(&mut c, root("Another-Root-Passw0rd?", csrf)).status,
        303
    );
}

#[tokio::test]
async fn switching_role_follows_the_trust_policy_and_ends_with_the_role_session() {
    let s = Server::dev();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    let iam = s.root_iam();
    for (role, condition) in [
        ("plain", ""),
        (
            "mfa-only",
            r#","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}"#,
        ),
    ] {
        iam.create_role()
            .role_name(role)
            .assume_role_policy_document(format!(
                r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/admin"}},"Action":"sts:AssumeRole"{condition}}}]}}"#
            ))
            .send()
            .await
            .unwrap();
    }
    let mut c = Console::new(&s);
    assert_eq!(c.sign_in("admin", PASSWORD).status, 303);
    c.get("/console/switch-role");
    let csrf = c.csrf.clone();
    // Signed in without MFA: the role that asks for it refuses, as AssumeRole would.
    let r = c.post(
        "/console/switch-role",
        &[("csrf", &csrf), ("role", "mfa-only"), ("minutes", "15")],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("not authorized to perform: sts:AssumeRole"),
        "{}",
        r.body
    );
    let r = c.post(
        "/console/switch-role",
        &[("csrf", &csrf), ("role", "plain"), ("minutes", "15")],
    );
    assert_eq!((r.status, location(&r)), (303, "/console/home"));
    let home = c.get("/console/home");
    assert!(home.body.contains("Role: plain"), "{}", home.body);
    // The role has no policies: as the role, listing users is refused.
    let users = c.get("/console/users");
    assert_eq!(users.status, 403);
    assert!(
        // (The page escapes '/' as an HTML entity.)
        users
            .body
            .contains("assumed-role&#x2f;plain&#x2f;admin is not authorized"),
        "{}",
        users.body
    );
    // Fifteen minutes later the role session is over; the user's own session goes on.
    s.shift_clock(15 * 60 + 5);
    let home = c.get("/console/home");
    assert_eq!(home.status, 200);
    assert!(!home.body.contains("Role: plain"));
    assert_eq!(c.get("/console/users").status, 200);
}
