//! The console in a real browser: headless Chromium (Debian's `chromium` and
//! `chromium-driver`) driven over WebDriver by fantoccini, against the real binary. One walk
//! through the console: sign-in with password and MFA (codes computed here), a forced password
//! change, an expired password, the throttle's delay, a user without permissions seeing the
//! denial and why, creating a user and its access key, assigning MFA from the QR page,
//! switching role and back, signing out. Every page is saved as a screenshot under
//! `target-out/console-screenshots/` (next to the binary's target directory).
//!
//! Without `chromedriver` the test says so and passes, unless `PORTCULLIS_REQUIRE_BROWSER` is
//! set, as `scripts/test.sh` (which installs the browser) sets it.

use crate::common::{DEV_ACCOUNT, Server, bin};
use crate::console_client::{ADMIN_POLICY, console_user};
use fantoccini::{Client, ClientBuilder, Locator};
use portcullis_core::mfa;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const PASSWORD: &str = "Correct-Horse-9";

/// chromedriver on a free loopback port; killed (by PID) when dropped.
struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_driver() -> Option<Driver> {
    let path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())?;
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let driver = Driver { child, port };
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(driver);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

async fn browser(driver: &Driver) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--window-size=1280,900", "--lang=en-US"],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a WebDriver session with headless Chromium")
}

/// Where screenshots go: `<target dir>/console-screenshots`.
fn shots_dir() -> PathBuf {
    let dir = PathBuf::from(bin())
        .parent()
        .and_then(|p| p.parent())
        .map(|t| t.join("console-screenshots"))
        .unwrap_or_else(|| PathBuf::from("console-screenshots"));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Walk {
    c: Client,
    base: String,
    shots: PathBuf,
}

impl Walk {
    async fn go(&self, path: &str) {
        self.c.goto(&format!("{}{path}", self.base)).await.unwrap();
    }

    async fn shot(&self, name: &str) {
        let png = self.c.screenshot().await.unwrap();
        std::fs::write(self.shots.join(format!("{name}.png")), png).unwrap();
    }

    async fn fill(&self, css: &str, text: &str) {
        let e = self.c.find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    /// Clicks what submits a form or follows a link, and waits for the next page to load.
    async fn click(&self, css: &str) {
        let js = |code: &'static str| self.c.execute(code, vec![]);
        js("window.__portcullisOldPage = true").await.unwrap();
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        for _ in 0..200 {
            let loaded = js("return window.__portcullisOldPage === undefined && document.readyState === 'complete'")
                .await
                .unwrap_or_default();
            if loaded == serde_json::Value::Bool(true) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("clicking {css} loaded no page");
    }

    async fn text(&self, css: &str) -> String {
        self.c
            .find(Locator::Css(css))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    }

    async fn body(&self) -> String {
        self.text("body").await
    }

    async fn path(&self) -> String {
        self.c.current_url().await.unwrap().path().to_string()
    }

    /// The sign-in form as an IAM user of the dev account.
    async fn sign_in(&self, user: &str, password: &str) {
        self.go("/console/signin").await;
        self.fill("#account", DEV_ACCOUNT).await;
        self.fill("#user", user).await;
        self.fill("#password", password).await;
        self.click("#submit").await;
    }

    async fn sign_out(&self) {
        self.click("#signout").await;
        assert_eq!(self.path().await, "/console/signin");
    }
}

/// Decodes RFC 4648 base32 (the MFA secret as the set-up page shows it).
fn base32_decode(text: &str) -> Vec<u8> {
    let mut bits = 0u64;
    let mut n = 0;
    let mut out = Vec::new();
    for c in text.trim().trim_end_matches('=').bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'2'..=b'7' => c - b'2' + 26,
            _ => panic!("not base32: {c}"),
        };
        bits = (bits << 5) | u64::from(v);
        n += 5;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_walk_through_the_console_in_headless_chromium() {
    let Some(driver) = start_driver() else {
        assert!(
            std::env::var_os("PORTCULLIS_REQUIRE_BROWSER").is_none(),
            "chromedriver is required (apt-get install chromium chromium-driver)"
        );
        eprintln!("SKIPPED: no chromedriver (apt-get install chromium chromium-driver)");
        return;
    };
    let s = Server::dev();
    let iam = s.root_iam();
    console_user(&s, "admin", PASSWORD, Some(ADMIN_POLICY)).await;
    console_user(&s, "nobody", PASSWORD, None).await;
    console_user(&s, "dana", PASSWORD, None).await;
    iam.update_login_profile()
        .user_name("dana")
        .password_reset_required(true)
        .send()
        .await
        .unwrap();
    iam.create_role()
        .role_name("auditor")
        .assume_role_policy_document(format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/admin"}},"Action":"sts:AssumeRole","Condition":{{"Bool":{{"aws:MultiFactorAuthPresent":"true"}}}}}}]}}"#
        ))
        .send()
        .await
        .unwrap();
    iam.attach_role_policy()
        .role_name("auditor")
        .policy_arn("arn:aws:iam::aws:policy/IAMReadOnlyAccess")
        .send()
        .await
        .unwrap();
    let w = Walk {
        c: browser(&driver).await,
        base: s.endpoint(),
        shots: shots_dir(),
    };

    // Sign in with a password; the dashboard's recommendations.
    w.go("/console").await;
    assert_eq!(w.path().await, "/console/signin");
    w.shot("01-signin").await;
    w.sign_in("admin", PASSWORD).await;
    assert_eq!(w.path().await, "/console/home");
    let body = w.body().await;
    assert!(
        body.contains("Security dashboard") && body.contains("MFA for every user who signs in"),
        "{body}"
    );
    w.shot("02-dashboard").await;

    // Users: the list, then a new user with console access and an access key.
    w.go("/console/users").await;
    assert!(w.text("#users").await.contains("nobody"));
    w.shot("03-users").await;
    w.fill("#user_name", "erin").await;
    w.click("#create").await;
    assert_eq!(w.path().await, "/console/users/erin", "{}", w.body().await);
    w.fill("#new-user-password", "Erin-Passw0rd-1").await;
    w.click("#enable-console").await;
    assert!(
        w.text("#notice")
            .await
            .contains("console password was saved")
    );
    w.fill(
        "#policy_arn",
        "arn:aws:iam::aws:policy/IAMUserChangePassword",
    )
    .await;
    w.click("#attach").await;
    assert!(
        w.text("#user-policies")
            .await
            .contains("IAMUserChangePassword")
    );
    w.shot("04-user").await;
    w.click("#create-key").await;
    let key_id = w.text("#key-id").await;
    let secret = w.text("#secret").await;
    assert!(
        key_id.starts_with("AKIA") && secret.len() == 40,
        "{key_id} {secret}"
    );
    w.shot("05-access-key").await;
    let me = s
        .sts(&key_id, &secret)
        .get_caller_identity()
        .send()
        .await
        .unwrap();
    assert_eq!(
        me.arn(),
        Some(format!("arn:aws:iam::{DEV_ACCOUNT}:user/erin").as_str())
    );

    // My security credentials: assign an MFA device from the QR page.
    w.go("/console/me").await;
    w.shot("06-my-credentials").await;
    w.click("#assign-mfa").await;
    assert!(w.c.find(Locator::Css("img#qr")).await.is_ok());
    w.shot("07-assign-mfa").await;
    let secret_text =
        w.c.execute(
            "return document.getElementById('mfa-secret').textContent",
            vec![],
        )
        .await
        .unwrap();
    let seed = base32_decode(secret_text.as_str().unwrap());
    let step = mfa::step_of(chrono::Utc::now());
    w.fill("#code1", &mfa::code(&seed, step - 1)).await;
    w.fill("#code2", &mfa::code(&seed, step)).await;
    w.click("#assign").await;
    assert_eq!(w.path().await, "/console/me");
    assert!(w.text("#notice").await.contains("MFA device is assigned"));
    w.sign_out().await;

    // Sign in again: now the MFA step; a used code is refused, the next one accepted.
    w.sign_in("admin", PASSWORD).await;
    assert_eq!(w.path().await, "/console/mfa");
    w.shot("08-mfa").await;
    w.fill("#code", &mfa::code(&seed, step)).await;
    w.click("#submit").await;
    assert!(
        w.text("#error").await.contains("not right"),
        "a code is accepted once"
    );
    // The next unused code: of the current step, or of the one after the enabling codes.
    let next = mfa::step_of(chrono::Utc::now()).max(step + 1);
    w.fill("#code", &mfa::code(&seed, next)).await;
    w.click("#submit").await;
    assert_eq!(w.path().await, "/console/home", "{}", w.body().await);
    assert!(w.text("header").await.contains("MFA"));

    // Switch role (its trust policy asks for MFA), see it in the header, try to write, go back.
    w.go("/console/switch-role").await;
    w.shot("09-switch-role").await;
    w.fill("#role", "auditor").await;
    w.click("#switch").await;
    assert_eq!(w.path().await, "/console/home");
    assert!(w.text("header").await.contains("Role: auditor"));
    w.shot("10-role-session").await;
    w.go("/console/users").await;
    w.fill("#user_name", "frank").await;
    w.click("#create").await;
    let denied = w.text("#denied").await;
    assert!(
        denied.contains("iam:CreateUser") && denied.contains("assumed-role/auditor"),
        "{denied}"
    );
    w.shot("11-role-denied").await;
    w.go("/console/roles").await;
    w.shot("12-roles").await;
    w.click("header button.link").await;
    assert!(!w.text("header").await.contains("Role: auditor"));

    // Groups: create one and add a member.
    w.go("/console/groups").await;
    w.fill("#group_name", "developers").await;
    w.click("#create-group").await;
    assert_eq!(w.path().await, "/console/groups/developers");
    w.fill("input[name=user]", "erin").await;
    w.click("form.row-form button").await;
    assert!(w.body().await.contains("erin"));
    w.shot("13-group").await;

    // Policies: the editor answers with the engine's validation message, then saves.
    w.go("/console/policies").await;
    w.fill("#policy-name", "ReadUsers").await;
    w.fill(
        "#document",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser"}]}"#,
    )
    .await;
    w.click("#create-policy-button").await;
    let error = w.text("#error").await;
    assert!(error.contains("must contain resources"), "{error}");
    w.shot("14-policy-invalid").await;
    w.fill("#document", r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}"#).await;
    w.click("#create-policy-button").await;
    assert_eq!(w.path().await, "/console/policies/ReadUsers");
    w.shot("15-policy").await;

    // Roles: a trust policy the engine refuses, then one it accepts.
    w.go("/console/roles").await;
    w.fill("#role_name", "deployer").await;
    w.fill(
        "#trust",
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole"}]}"#,
    )
    .await;
    w.click("#create-role-button").await;
    assert!(
        w.text("#error").await.to_lowercase().contains("principal"),
        "{}",
        w.body().await
    );
    w.fill("#trust", &format!(r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"AWS":"arn:aws:iam::{DEV_ACCOUNT}:user/erin"}},"Action":"sts:AssumeRole"}}]}}"#)).await;
    w.click("#create-role-button").await;
    assert_eq!(w.path().await, "/console/roles/deployer");
    assert!(
        w.text("#trust").await.contains("user/erin")
            || w.body().await.contains("Trust relationships")
    );
    w.shot("15b-role").await;
    let trust = iam.get_role().role_name("deployer").send().await.unwrap();
    assert!(
        trust
            .role()
            .unwrap()
            .assume_role_policy_document()
            .unwrap_or_default()
            .contains("erin")
    );

    // Effective permissions of a user, by the enforcement code.
    w.go("/console/permissions?kind=user&name=nobody").await;
    let table = w.text("#decisions").await;
    assert!(
        table.contains("iam:ListUsers") && table.contains("Denied") && !table.contains("Allowed"),
        "{table}"
    );
    w.go("/console/permissions?kind=user&name=admin").await;
    let table = w.text("#decisions").await;
    assert!(!table.contains("Denied"), "{table}");
    // The deciding statement: AdministratorAccess's only statement, by the enforcement code.
    assert!(
        table.contains("allowed by") && table.contains("policy/AdministratorAccess"),
        "{table}"
    );
    w.shot("16-effective-permissions").await;

    // Account settings: the password policy and the credential report.
    w.go("/console/settings").await;
    w.fill("#min", "14").await;
    w.click("#save-policy").await;
    assert!(w.text("#notice").await.contains("saved"));
    w.click("#generate-report").await;
    assert!(w.c.find(Locator::Css("#download-report")).await.is_ok());
    w.shot("17-settings").await;
    let policy = iam.get_account_password_policy().send().await.unwrap();
    assert_eq!(
        policy.password_policy().unwrap().minimum_password_length(),
        Some(14)
    );
    w.sign_out().await;

    // A user without permissions sees the denial and why.
    w.sign_in("nobody", PASSWORD).await;
    assert!(w.text("#denied").await.contains("iam:ListUsers"));
    w.go("/console/users").await;
    let why = w.text("#why").await;
    assert!(
        why.contains("not authorized to perform: iam:ListUsers")
            && why.contains("no identity-based policy allows"),
        "{why}"
    );
    w.shot("18-not-authorized").await;
    // Even its own credentials are read only as its policies allow.
    w.go("/console/me").await;
    let mine = w.body().await;
    assert!(
        mine.contains("not authorized to perform: iam:ListAccessKeys"),
        "{mine}"
    );
    w.sign_out().await;

    // A forced password change.
    w.sign_in("dana", PASSWORD).await;
    assert_eq!(w.path().await, "/console/new-password");
    w.shot("19-new-password").await;
    w.fill("#new_password", "Dana-New-Passw0rd-2026").await;
    w.fill("#confirm_password", "Dana-New-Passw0rd-2026").await;
    w.click("#submit").await;
    assert_eq!(w.path().await, "/console/home", "{}", w.body().await);
    w.sign_out().await;

    // The throttle: five free failures, then a delay (which doubles while failures go on).
    for _ in 0..5 {
        w.sign_in("nobody", "wrong-password").await;
        assert!(w.text("#error").await.contains("incorrect"));
    }
    let mut waited = false;
    for _ in 0..6 {
        w.sign_in("nobody", "wrong-password").await;
        if w.text("#error")
            .await
            .contains("Too many failed sign-in attempts. Wait")
        {
            waited = true;
            break;
        }
    }
    assert!(waited, "the throttle answered");
    w.shot("20-throttled").await;

    // An expired password with HardExpiry cannot sign in.
    iam.update_account_password_policy()
        .max_password_age(1)
        .hard_expiry(true)
        .send()
        .await
        .unwrap();
    s.shift_clock(2 * 24 * 3600);
    w.sign_in("erin", "Erin-Passw0rd-1").await;
    assert!(w.text("#error").await.contains("expired"));
    w.shot("21-expired").await;
    w.c.clone().close().await.unwrap();
    drop(driver);
}
