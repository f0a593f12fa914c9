//! Copying a whole store from one engine to another (`portcullis migrate --from DATA_DIR --to
//! postgres://...`): every table, row by row, in one write transaction of the destination, which
//! must hold no account yet; then the rows of every table are counted on both sides. Values are
//! copied as they are stored: sealed secrets stay sealed (the destination must be used with the
//! same master key), times stay the same text.

use crate::engine::{Conn, Engine, SqlStore, Val, count};
use portcullis_core::{StoreError, StoreResult};

/// The tables, parents before children, and the columns the two engines' schemas share.
const TABLES: &[(&str, &str)] = &[
    ("accounts", "id, created"),
    (
        "users",
        "id, account, name, name_lc, path, created, password_last_used, permissions_boundary",
    ),
    ("groups", "id, account, name, name_lc, path, created"),
    ("group_members", "group_id, user_id, added"),
    (
        "roles",
        "id, account, name, name_lc, path, created, assume_role_policy, description, \
         max_session_duration, permissions_boundary, last_used_at, last_used_region",
    ),
    (
        "policies",
        "id, account, arn, name, name_lc, path, description, default_version, next_version, \
         created, updated",
    ),
    (
        "policy_versions",
        "policy_id, version_id, number, document, created",
    ),
    (
        "attachments",
        "account, owner_id, owner_kind, policy_arn, seq",
    ),
    ("inline_policies", "owner_id, name, document, size"),
    ("entity_tags", "entity_id, key_lc, key, value, seq"),
    (
        "access_keys",
        "id, account, user_id, status, secret, created, last_used_at, last_used_service, \
         last_used_region",
    ),
    ("account_aliases", "alias, account"),
    (
        "ssh_public_keys",
        "id, account, user_id, body, fingerprint, status, uploaded",
    ),
    (
        "service_credentials",
        "id, account, user_id, service_name, service_user_name, password, status, created, \
         expiration",
    ),
    (
        "signing_certificates",
        "id, account, user_id, body, fingerprint, status, uploaded",
    ),
    (
        "server_certificates",
        "id, account, name, name_lc, path, body, chain, private_key, uploaded, expiration",
    ),
    (
        "instance_profiles",
        "id, account, name, name_lc, path, created",
    ),
    ("instance_profile_roles", "profile_id, role_id, added"),
    (
        "oidc_providers",
        "arn, account, url, thumbprints, created, context_provider, identity_center_instance",
    ),
    ("oidc_client_ids", "provider_arn, client_id, seq"),
    (
        "saml_providers",
        "arn, account, name, uuid, metadata, created, valid_until, encryption_mode, \
         context_provider, identity_center_instance",
    ),
    (
        "saml_private_keys",
        "provider_arn, key_id, sealed, uploaded",
    ),
    (
        "service_role_deletions",
        "task_id, account, role_name, created",
    ),
    ("account_settings", "account, key, value"),
    ("report_jobs", "id, account, kind, target, detail, created"),
    (
        "service_access",
        "entity_id, account, service, action, at, region",
    ),
    (
        "login_profiles",
        "user_id, account, created, password_hash, password_changed, reset_required, \
         max_session_duration",
    ),
    ("password_history", "user_id, seq, hash"),
    ("credential_reports", "account, generated, content"),
    (
        "mfa_devices",
        "serial, account, name, name_lc, path, seed, created, user_id, enabled, drift, last_step",
    ),
];

/// The rows of every table, by table name.
pub type Counts = Vec<(&'static str, usize)>;

fn counts(c: &dyn Conn) -> StoreResult<Counts> {
    TABLES
        .iter()
        .map(|(table, _)| {
            let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
            Ok((*table, count(c, &sql, &[])?))
        })
        .collect()
}

impl<E: Engine> SqlStore<E> {
    /// The rows of every table.
    pub fn table_counts(&self) -> StoreResult<Counts> {
        self.read(counts)
    }

    /// Copies everything in `self` into `to`, which must hold no account, in one transaction of
    /// `to`; returns the rows copied per table after checking that both sides count the same.
    /// `self` is read in one transaction too (a consistent snapshot while others write), which
    /// changes nothing.
    pub fn copy_into<T: Engine>(&self, to: &SqlStore<T>) -> StoreResult<Counts> {
        if to.table_counts()?.first().is_some_and(|(_, n)| *n > 0) {
            return Err(StoreError::Backend(
                "the destination already holds accounts: copy into an empty database".into(),
            ));
        }
        let mut tables: Vec<(&str, &str, Vec<Vec<Val>>)> = Vec::with_capacity(TABLES.len());
        self.record(|c| {
            tables.clear();
            for (table, columns) in TABLES {
                let rows = c.query(&format!("SELECT {columns} FROM {table}"), &[])?;
                tables.push((table, columns, rows.into_iter().map(|r| r.0).collect()));
            }
            Ok(())
        })?;
        to.write(|c| {
            for (table, columns, rows) in &tables {
                let n = columns.split(',').count();
                let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
                let sql = format!(
                    "INSERT INTO {table} ({columns}) VALUES ({})",
                    marks.join(", ")
                );
                for row in rows {
                    c.execute(&sql, row)?;
                }
            }
            Ok(())
        })?;
        let copied = to.table_counts()?;
        let source: Counts = TABLES
            .iter()
            .zip(&tables)
            .map(|((table, _), (_, _, rows))| (*table, rows.len()))
            .collect();
        if copied != source {
            return Err(StoreError::Backend(format!(
                "the copy does not count the same rows: source {source:?}, copy {copied:?}"
            )));
        }
        Ok(copied)
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{TestSchema, database_url};
    use crate::{Durability, PgStore, SqliteStore};
    use chrono::Utc;
    use portcullis_core::store::prelude::*;
    use portcullis_core::store::{Tx, write};
    use portcullis_core::{AccessKey, Account, KeyStatus, Tag, User};

    fn fill(s: &dyn Store) {
        s.create_account(&Account {
            id: "111122223333".into(),
            created: Utc::now(),
        })
        .unwrap();
        let u = User {
            account: "111122223333".into(),
            id: "AIDAALICE".into(),
            name: "Alice".into(),
            path: "/".into(),
            created: Utc::now(),
            password_last_used: None,
            permissions_boundary: None,
        };
        let k = AccessKey {
            id: "AKIAALICE".into(),
            account: "111122223333".into(),
            user_id: Some(u.id.clone()),
            status: KeyStatus::Active,
            sealed_secret: vec![0, 1, 2, 255],
            created: Utc::now(),
            last_used: None,
        };
        let tag = Tag {
            key: "team".into(),
            value: "a".into(),
        };
        write(s, |tx: &dyn Tx| {
            tx.insert_user(&u, std::slice::from_ref(&tag))?;
            Ok(tx.insert_access_key(&k)?)
        })
        .unwrap();
    }

    #[test]
    fn a_sqlite_store_copies_into_an_empty_postgres_one_and_only_into_an_empty_one() {
        let Some(url) = database_url() else { return };
        let dir = tempfile::tempdir().unwrap();
        let from = SqliteStore::open(&dir.path().join("db.sqlite"), Durability::Normal).unwrap();
        fill(&from);
        let schema = TestSchema::create(&url).unwrap();
        let to = PgStore::open(&schema.url).unwrap();
        let counts = from.copy_into(&to).unwrap();
        assert!(counts.contains(&("users", 1)) && counts.contains(&("entity_tags", 1)));
        let got = to.get_user("111122223333", "alice").unwrap().unwrap();
        assert_eq!(got.name, "Alice");
        let key = to.get_access_key("AKIAALICE").unwrap().unwrap();
        assert_eq!(
            key.sealed_secret,
            vec![0, 1, 2, 255],
            "sealed bytes as they were"
        );
        assert_eq!(to.tags("AIDAALICE").unwrap().len(), 1);
        assert!(
            from.copy_into(&to).is_err(),
            "the destination is not empty any more"
        );
    }
}
