//! Cleanup of a Portcullis data directory, directly through core and the store (no server
//! needed). Each step writes its recovery record (tags on the user; a removed password's hash
//! sealed under the master key) before the change (an access key's tag and its change in one
//! transaction, through core's services as the API's handlers), and leaves a CloudTrail-format record in
//! the data directory's cleanup audit log (`DATA_DIR/audit-cleanup`, chained and signed with
//! the data directory's audit key) before it is reported done.

use super::{Target, admin};
use crate::app::App;
use crate::audit::{AuditSettings, record};
use crate::authz::{managed_document, owner_documents};
use crate::bootstrap;
use crate::config::{FileConfig, Settings};
use crate::sealing::SealingKeys;
use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, Utc};
use portcullis_core::findings::cleanup::{
    Action, KEY_TAG_PREFIX, PASSWORD_HASH_TAG, PASSWORD_TAG, Step, tag_value,
};
use portcullis_core::findings::{
    KeyFacts, PasswordFacts, PrincipalFacts, PrincipalKind, ServiceUse,
};
use portcullis_core::iam::{access_keys, passwords, tags};
use portcullis_core::passwords::LoginProfile;
use portcullis_core::store::{Page, write};
use portcullis_core::{KeyStatus, SystemClock, Tag, User};
use portcullis_policy::PolicyType;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::slice;
use std::sync::Arc;

/// A data directory opened for cleanup.
#[derive(Debug)]
pub struct DataDir {
    app: Arc<App>,
    account: String,
    dir: PathBuf,
    /// The cleanup log this run opens at its first step and closes at the end; `None` when it
    /// writes to the running server's own trail (the scheduled cleanup).
    audit: Option<AuditSettings>,
    audit_started: bool,
}

fn aws(e: portcullis_proto::AwsError) -> anyhow::Error {
    anyhow!("{}: {}", e.code, e.message)
}

/// Every item of a paged listing.
fn all<T>(
    mut page: impl FnMut(Option<&str>) -> portcullis_core::StoreResult<Page<T>>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let p = page(marker.as_deref())?;
        out.extend(p.items);
        match p.next_marker {
            Some(m) => marker = Some(m),
            None => return Ok(out),
        }
    }
}

/// The associated data a removed password's hash is sealed with.
fn password_aad(user_id: &str) -> Vec<u8> {
    format!("portcullis-cleanup-password:{user_id}").into_bytes()
}

impl DataDir {
    /// Opens `dir` (its database, or `url`'s) for `account` (the only account when `None`).
    pub fn open(
        dir: &Path,
        url: Option<&str>,
        account: Option<&str>,
        file: &FileConfig,
    ) -> Result<Self> {
        if url.is_none() && !bootstrap::is_initialised(dir) {
            bail!("{} is not an initialised data directory", dir.display());
        }
        let master = bootstrap::load_master_key(dir)?;
        let store = crate::database::open_existing(url, dir)?;
        if url.is_some() {
            // What cleanup seals (a removed password's hash) must open on every node.
            crate::database::check_master_key(store.as_ref(), &master)?;
        }
        let accounts: Vec<String> = store.list_accounts()?.into_iter().map(|a| a.id).collect();
        let account = match account {
            Some(a) if accounts.iter().any(|x| x == a) => a.to_string(),
            Some(a) => bail!("the data directory has no account {a}"),
            None => match accounts.as_slice() {
                [one] => one.clone(),
                _ => bail!(
                    "the data directory holds accounts {}: choose one with --account",
                    accounts.join(", ")
                ),
            },
        };
        let settings = Settings::new(file, None, false)?;
        let app = App::new(
            store,
            master,
            SealingKeys::ephemeral(),
            Arc::new(SystemClock),
            settings,
            None,
        );
        // The file's audit settings, with the cleanup log's own directory.
        let audit = crate::audit::cli::AuditArgs {
            audit_dir: Some(dir.join("audit-cleanup")),
            no_audit: false,
        }
        .settings(file);
        Ok(DataDir {
            app,
            account,
            dir: dir.to_path_buf(),
            audit: Some(audit),
            audit_started: false,
        })
    }

    /// `account` of the running server `app`, for the scheduled cleanup: its steps are recorded
    /// in the server's own audit trail.
    pub fn attached(app: Arc<App>, account: &str) -> Self {
        DataDir {
            app,
            account: account.to_string(),
            dir: PathBuf::new(),
            audit: None,
            audit_started: true,
        }
    }

    fn services(&self, entity_id: &str, docs: &[String]) -> Result<Vec<ServiceUse>> {
        let access = self.app.store.service_access(&[entity_id.to_string()])?;
        Ok(admin::granted_services(docs)
            .into_iter()
            .map(|ns| ServiceUse {
                namespace: ns.to_string(),
                last_used: access
                    .iter()
                    .filter(|a| a.service == ns)
                    .map(|a| a.at)
                    .max(),
            })
            .collect())
    }

    fn user_facts(&self, u: &User) -> Result<PrincipalFacts> {
        let (store, acct) = (&self.app.store, self.account.as_str());
        let groups = store.all_groups_for_user(acct, &u.id)?;
        let keys = store
            .list_access_keys(acct, Some(&u.id))?
            .into_iter()
            .map(|k| KeyFacts {
                active: k.status == KeyStatus::Active,
                created: k.created,
                last_used: k.last_used.map(|l| l.at),
                id: k.id,
            })
            .collect();
        let password = store.login_profile(acct, &u.id)?.map(|lp| PasswordFacts {
            created: lp.password_changed,
            last_used: u.password_last_used,
        });
        let mut docs: Vec<(String, String)> = Vec::new();
        for id in std::iter::once(&u.id).chain(groups.iter().map(|g| &g.id)) {
            let owned = owner_documents(&self.app, acct, id).map_err(aws)?;
            docs.extend(owned.into_iter().map(|(_, d)| (id.clone(), d)));
        }
        let (identity, _) = admin::compile(&docs, PolicyType::Identity);
        let boundary = match &u.permissions_boundary {
            Some(arn) => {
                let doc = managed_document(&self.app, acct, arn).map_err(aws)?;
                let docs: Vec<(String, String)> =
                    doc.map(|d| (arn.clone(), d)).into_iter().collect();
                Some(admin::compile(&docs, PolicyType::PermissionsBoundary).0)
            }
            None => None,
        };
        let docs: Vec<String> = docs.into_iter().map(|(_, d)| d).collect();
        Ok(PrincipalFacts {
            kind: PrincipalKind::User,
            name: u.name.clone(),
            arn: u.arn(),
            path: u.path.clone(),
            created: u.created,
            tags: store.tags(&u.id)?,
            groups: groups.into_iter().map(|g| g.name).collect(),
            last_used: None,
            password,
            keys,
            services: self.services(&u.id, &docs)?,
            admin: admin::is_admin(acct, &u.arn(), &u.id, &identity, boundary.as_ref()),
        })
    }

    fn user(&self, name: &str) -> Result<User> {
        self.app
            .store
            .get_user(&self.account, name)?
            .ok_or_else(|| anyhow!("the user {name} no longer exists"))
    }

    fn tag(&self, user: &User, tags: &[(String, String)]) -> Result<()> {
        let tags: Vec<Tag> = tags
            .iter()
            .map(|(key, value)| Tag {
                key: key.clone(),
                value: value.clone(),
            })
            .collect();
        write(self.app.store.as_ref(), |tx| {
            tags::tag(tx, &user.id, &tags, true)
        })?;
        Ok(())
    }

    fn untag(&self, user: &User, keys: &[String]) -> Result<()> {
        write(self.app.store.as_ref(), |tx| {
            tags::untag(tx, &user.id, keys, true)
        })?;
        Ok(())
    }

    /// Carries the step out; returns the IAM operation it amounts to, its parameters and a note.
    fn change(
        &self,
        step: &Step,
        now: DateTime<Utc>,
    ) -> Result<(&'static str, Value, Option<String>)> {
        let (store, acct) = (&self.app.store, self.account.as_str());
        let user = self.user(&step.user)?;
        let name = user.name.as_str();
        let key_tag = |k: &str| format!("{KEY_TAG_PREFIX}{k}");
        let password_tags = [PASSWORD_TAG.to_string(), PASSWORD_HASH_TAG.to_string()];
        Ok(match &step.action {
            Action::DeactivateKey(k) | Action::ReactivateKey(k) => {
                let deactivate = matches!(step.action, Action::DeactivateKey(_));
                let status = if deactivate {
                    KeyStatus::Inactive
                } else {
                    KeyStatus::Active
                };
                // The key's status and its tag change together, or neither does.
                let (uid, marker) = (user.id.as_str(), key_tag(k));
                let tag = [Tag {
                    key: marker.clone(),
                    value: tag_value(now),
                }];
                write(store.as_ref(), |tx| {
                    if deactivate {
                        tags::tag(tx, uid, &tag, true)?;
                    }
                    access_keys::set_status(tx, acct, Some(uid), k, status)?;
                    if !deactivate {
                        tags::untag(tx, uid, slice::from_ref(&marker), true)?;
                    }
                    Ok(())
                })?;
                let params = json!({"userName": name, "accessKeyId": k, "status": status.as_str()});
                ("UpdateAccessKey", params, None)
            }
            Action::DeleteKey(k) => {
                let (uid, marker) = (user.id.as_str(), key_tag(k));
                write(store.as_ref(), |tx| {
                    access_keys::delete(tx, acct, Some(uid), k)?;
                    tags::untag(tx, uid, slice::from_ref(&marker), true)
                })?;
                (
                    "DeleteAccessKey",
                    json!({"userName": name, "accessKeyId": k}),
                    None,
                )
            }
            Action::RemovePassword => {
                let hash = store
                    .login_password_hash(acct, &user.id)?
                    .context("the user has no console password any more")?;
                let sealed = self
                    .app
                    .master
                    .seal(hash.as_bytes(), &password_aad(&user.id));
                use base64::Engine;
                let sealed = base64::engine::general_purpose::STANDARD.encode(sealed);
                self.tag(
                    &user,
                    &[
                        (PASSWORD_TAG.to_string(), tag_value(now)),
                        (PASSWORD_HASH_TAG.to_string(), sealed),
                    ],
                )?;
                write(&**store, |tx| passwords::delete_login_profile(tx, &user))?;
                ("DeleteLoginProfile", json!({"userName": name}), None)
            }
            Action::RestorePassword => {
                let tags = store.tags(&user.id)?;
                let sealed = tags
                    .iter()
                    .find(|t| t.key == PASSWORD_HASH_TAG)
                    .context("the removed password's sealed hash is missing")?;
                use base64::Engine;
                let sealed = base64::engine::general_purpose::STANDARD
                    .decode(&sealed.value)
                    .context("the removed password's sealed hash is not base64")?;
                let hash = self
                    .app
                    .master
                    .open(&sealed, &password_aad(&user.id))
                    .map_err(|_| anyhow!("the removed password's hash does not open"))?;
                let hash = String::from_utf8(hash.to_vec()).context("the password hash")?;
                let profile = LoginProfile {
                    account: acct.to_string(),
                    user_id: user.id.clone(),
                    created: now,
                    password_changed: now,
                    reset_required: false,
                    max_session_duration: None,
                };
                write(&**store, |tx| {
                    passwords::create_login_profile(tx, &user, &profile, &hash)
                })?;
                self.untag(&user, &password_tags)?;
                let note = "the user's former password works again".to_string();
                ("CreateLoginProfile", json!({"userName": name}), Some(note))
            }
            Action::ForgetKey(k) => {
                self.untag(&user, &[key_tag(k)])?;
                (
                    "UntagUser",
                    json!({"userName": name, "tagKeys": [key_tag(k)]}),
                    None,
                )
            }
            Action::ForgetPassword => {
                self.untag(&user, &password_tags)?;
                (
                    "UntagUser",
                    json!({"userName": name, "tagKeys": password_tags}),
                    None,
                )
            }
        })
    }

    fn event(&self, name: &str, params: Value, step: &Step, error: Option<&str>) -> Value {
        json!({
            "eventVersion": "1.11",
            "eventTime": record::timestamp(Utc::now()),
            "eventSource": "iam.amazonaws.com",
            "eventName": name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": "portcullis cleanup",
            "userAgent": "portcullis cleanup",
            "userIdentity": {"type": "AWSService", "invokedBy": "portcullis cleanup", "accountId": self.account},
            "requestParameters": params,
            "responseElements": null,
            "errorCode": error.map(|_| "CleanupFailed"),
            "errorMessage": error,
            "requestID": uuid::Uuid::new_v4().to_string(),
            "eventID": record::event_id(),
            "readOnly": false,
            "eventType": "AwsServiceEvent",
            "managementEvent": true,
            "recipientAccountId": self.account,
            "additionalEventData": {"cleanupAction": step.action.name(), "reason": step.reason},
        })
    }
}

impl Target for DataDir {
    fn principals(&mut self) -> Result<Vec<PrincipalFacts>> {
        let (store, acct) = (self.app.store.clone(), self.account.clone());
        let users = all(|m| store.list_users(&acct, "/", m, 1000))?;
        let mut out = users
            .iter()
            .map(|u| self.user_facts(u))
            .collect::<Result<Vec<_>>>()?;
        for r in all(|m| store.list_roles(&acct, "/", m, 1000))? {
            let docs: Vec<String> = owner_documents(&self.app, &acct, &r.id)
                .map_err(aws)?
                .into_iter()
                .map(|(_, d)| d)
                .collect();
            out.push(PrincipalFacts {
                kind: PrincipalKind::Role,
                name: r.name.clone(),
                arn: r.arn(),
                path: r.path.clone(),
                created: r.created,
                tags: store.tags(&r.id)?,
                groups: Vec::new(),
                last_used: r.last_used.as_ref().map(|(t, _)| *t),
                password: None,
                keys: Vec::new(),
                services: self.services(&r.id, &docs)?,
                admin: false,
            });
        }
        Ok(out)
    }

    fn apply(&mut self, step: &Step, now: DateTime<Utc>) -> Result<Option<String>> {
        if let (false, Some(audit)) = (self.audit_started, &self.audit) {
            self.app.audit.start(audit, Some(&self.dir), None)?;
            self.audit_started = true;
        }
        let (result, event) = match self.change(step, now) {
            Ok((name, params, note)) => (Ok(note), self.event(name, params, step, None)),
            Err(e) => {
                let text = format!("{e:#}");
                let params = json!({"userName": step.user, "accessKeyId": step.action.key_id()});
                let ev = self.event("Cleanup", params, step, Some(&text));
                (Err(e), ev)
            }
        };
        if !self.app.audit.record_blocking(&event) {
            bail!("the audit record of this step could not be written; stopping");
        }
        result
    }

    fn close(&mut self) {
        if self.audit_started && self.audit.is_some() {
            self.app.audit.stop();
        }
    }
}
