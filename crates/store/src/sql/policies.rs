//! Policies: inline policies of users, groups and roles; customer managed policies, their
//! versions and attachments; users' permissions boundaries (`PolicyStore` over the engine interface).

use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, all_rows, any, change, count, exec, optional_row, params,
};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::store::PolicyTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{ManagedPolicy, OwnerKind, PolicyVersion, StoreError, StoreResult};

/// The managed policy columns in the order [`policy_row`] reads them.
macro_rules! policy_columns {
    () => {
        "id, account, name, path, description, default_version, created, updated"
    };
}

fn policy_row(r: &Row) -> StoreResult<ManagedPolicy> {
    Ok(ManagedPolicy {
        id: r.get(0)?,
        account: r.get(1)?,
        name: r.get(2)?,
        path: r.get(3)?,
        description: r.get(4)?,
        default_version: r.get(5)?,
        created: parse_ts(&r.get::<String>(6)?)?,
        updated: parse_ts(&r.get::<String>(7)?)?,
    })
}

fn find_policy(c: &dyn Conn, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>> {
    optional_row(
        c,
        concat!(
            "SELECT ",
            policy_columns!(),
            " FROM policies WHERE account = ?1 AND arn = ?2"
        ),
        params![account, arn],
        policy_row,
    )
}

/// How many entities have the policy attached, and how many have it as their boundary.
fn usage(c: &dyn Conn, account: &str, arn: &str) -> StoreResult<(usize, usize)> {
    let attached = count(
        c,
        "SELECT COUNT(*) FROM attachments WHERE account = ?1 AND policy_arn = ?2",
        params![account, arn],
    )?;
    let boundaries = count(
        c,
        "SELECT (SELECT COUNT(*) FROM users WHERE account = ?1 AND permissions_boundary = ?2)
              + (SELECT COUNT(*) FROM roles WHERE account = ?1 AND permissions_boundary = ?2)",
        params![account, arn],
    )?;
    Ok((attached, boundaries))
}

/// Reads a version row; `default` is the policy's default version id.
fn version_row(default: &str) -> impl Fn(&Row) -> StoreResult<PolicyVersion> + '_ {
    move |r| {
        let version_id: String = r.get(0)?;
        Ok(PolicyVersion {
            is_default: version_id == default,
            version_id,
            document: r.get(1)?,
            created: parse_ts(&r.get::<String>(2)?)?,
        })
    }
}

impl<E: Engine> PolicyStore for SqlStore<E> {
    fn get_inline_policy(&self, owner: &str, name: &str) -> StoreResult<Option<String>> {
        self.read(|c| {
            optional_row(
                c,
                "SELECT document FROM inline_policies WHERE owner_id = ?1 AND name = ?2",
                params![owner, name],
                |r| r.get(0),
            )
        })
    }

    fn list_inline_policies(&self, owner: &str) -> StoreResult<Vec<(String, String)>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT name, document FROM inline_policies WHERE owner_id = ?1 ORDER BY name",
                params![owner],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
    }

    fn get_policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>> {
        self.read(|c| find_policy(c, account, arn))
    }

    fn list_policies(&self, account: &str) -> StoreResult<Vec<ManagedPolicy>> {
        self.read(|c| {
            all_rows(
                c,
                concat!(
                    "SELECT ",
                    policy_columns!(),
                    " FROM policies WHERE account = ?1 ORDER BY name_lc"
                ),
                params![account],
                policy_row,
            )
        })
    }

    fn get_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
    ) -> StoreResult<Option<PolicyVersion>> {
        self.read(|c| {
            let Some(p) = find_policy(c, account, arn)? else {
                return Ok(None);
            };
            optional_row(
                c,
                "SELECT version_id, document, created FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2",
                params![p.id, version_id],
                version_row(&p.default_version),
            )
        })
    }

    fn list_policy_versions(&self, account: &str, arn: &str) -> StoreResult<Vec<PolicyVersion>> {
        self.read(|c| {
            let p = find_policy(c, account, arn)?.ok_or(StoreError::NotFound)?;
            all_rows(
                c,
                "SELECT version_id, document, created FROM policy_versions WHERE policy_id = ?1 ORDER BY number DESC",
                params![&p.id],
                version_row(&p.default_version),
            )
        })
    }

    fn attached_policies(&self, owner: &str) -> StoreResult<Vec<String>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT policy_arn FROM attachments WHERE owner_id = ?1 ORDER BY seq",
                params![owner],
                |r| r.get(0),
            )
        })
    }

    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)> {
        self.read(|c| usage(c, account, arn))
    }

    fn entities_for_policy(
        &self,
        account: &str,
        arn: &str,
        boundary: bool,
    ) -> StoreResult<Vec<(OwnerKind, String, String, String)>> {
        let sql = if boundary {
            "SELECT 'user', id, name, path, name_lc FROM users WHERE account = ?1 AND permissions_boundary = ?2
             UNION ALL SELECT 'role', id, name, path, name_lc FROM roles WHERE account = ?1 AND permissions_boundary = ?2
             ORDER BY 1, 5"
        } else {
            "SELECT a.owner_kind, a.owner_id, COALESCE(u.name, g.name, r.name), COALESCE(u.path, g.path, r.path),
                    COALESCE(u.name_lc, g.name_lc, r.name_lc)
             FROM attachments a
             LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN groups g ON g.id = a.owner_id LEFT JOIN roles r ON r.id = a.owner_id
             WHERE a.account = ?1 AND a.policy_arn = ?2 ORDER BY 1, 5"
        };
        let rows = self.read(|c| {
            all_rows(c, sql, params![account, arn], |r| {
                Ok((
                    r.get::<String>(0)?,
                    r.get::<String>(1)?,
                    r.get::<Option<String>>(2)?,
                    r.get::<Option<String>>(3)?,
                ))
            })
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(k, id, name, path)| Some((OwnerKind::parse(&k)?, id, name?, path?)))
            .collect())
    }
}

impl PolicyTx for EngineTx<'_> {
    fn policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>> {
        find_policy(self.0, account, arn)
    }

    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)> {
        usage(self.0, account, arn)
    }

    fn count_policy_versions(&self, policy_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?1",
            params![policy_id],
        )
    }

    fn inline_policies_size(&self, owner_id: &str, except_name: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT CAST(COALESCE(SUM(size), 0) AS BIGINT) FROM inline_policies WHERE owner_id = ?1 AND name <> ?2",
            params![owner_id, except_name],
        )
    }

    fn upsert_inline_policy(
        &self,
        owner_id: &str,
        name: &str,
        document: &str,
        size: usize,
    ) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO inline_policies (owner_id, name, document, size) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (owner_id, name) DO UPDATE SET document = excluded.document, size = excluded.size",
            params![owner_id, name, document, i64::try_from(size).unwrap_or(i64::MAX)],
        )
    }

    fn policy_name_taken(&self, account: &str, name: &str) -> StoreResult<bool> {
        any(
            self.0,
            "SELECT COUNT(*) FROM policies WHERE account = ?1 AND name_lc = ?2",
            params![account, name.to_ascii_lowercase()],
        )
    }

    fn count_policies(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM policies WHERE account = ?1",
            params![account],
        )
    }

    fn insert_policy(&self, p: &ManagedPolicy, document: &str) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO policies (id, account, arn, name, name_lc, path, description, default_version, next_version, created, updated)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'v1', 2, ?8, ?8)",
            params![p.id, p.account, p.arn(), p.name, p.name.to_ascii_lowercase(), p.path, p.description, ts(p.created)],
        )?;
        exec(
            self.0,
            "INSERT INTO policy_versions (policy_id, version_id, number, document, created) VALUES (?1, 'v1', 1, ?2, ?3)",
            params![p.id, document, ts(p.created)],
        )
    }

    fn insert_policy_version(
        &self,
        policy_id: &str,
        doc: &str,
        set_default: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<PolicyVersion> {
        let number: i64 = optional_row(
            self.0,
            "SELECT next_version FROM policies WHERE id = ?1",
            params![policy_id],
            |r| r.get(0),
        )?
        .ok_or(StoreError::NotFound)?;
        let version_id = format!("v{number}");
        exec(
            self.0,
            "INSERT INTO policy_versions (policy_id, version_id, number, document, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![policy_id, version_id, number, doc, ts(now)],
        )?;
        exec(
            self.0,
            "UPDATE policies SET next_version = next_version + 1, updated = ?2 WHERE id = ?1",
            params![policy_id, ts(now)],
        )?;
        if set_default {
            exec(
                self.0,
                "UPDATE policies SET default_version = ?2 WHERE id = ?1",
                params![policy_id, version_id],
            )?;
        }
        Ok(PolicyVersion {
            version_id,
            document: doc.to_string(),
            is_default: set_default,
            created: now,
        })
    }

    fn is_attached(&self, owner_id: &str, arn: &str) -> StoreResult<bool> {
        any(
            self.0,
            "SELECT COUNT(*) FROM attachments WHERE owner_id = ?1 AND policy_arn = ?2",
            params![owner_id, arn],
        )
    }

    fn count_attachments(&self, owner_id: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM attachments WHERE owner_id = ?1",
            params![owner_id],
        )
    }

    fn insert_attachment(
        &self,
        account: &str,
        kind: OwnerKind,
        owner_id: &str,
        arn: &str,
    ) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO attachments (account, owner_id, owner_kind, policy_arn, seq)
             VALUES (?1, ?2, ?3, ?4, (SELECT COALESCE(MAX(seq), 0) + 1 FROM attachments WHERE owner_id = ?2))",
            params![account, owner_id, kind.as_str(), arn],
        )
    }

    fn remove_policy(&self, policy_id: &str) -> StoreResult<()> {
        exec(
            self.0,
            "DELETE FROM policies WHERE id = ?1",
            params![policy_id],
        )
    }

    fn remove_policy_version(&self, policy_id: &str, version_id: &str) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2",
            params![policy_id, version_id],
        )
    }

    fn set_default_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let p = find_policy(self.0, account, arn)?.ok_or(StoreError::NotFound)?;
        if !any(
            self.0,
            "SELECT COUNT(*) FROM policy_versions WHERE policy_id = ?1 AND version_id = ?2",
            params![p.id, version_id],
        )? {
            return Err(StoreError::NotFound);
        }
        exec(
            self.0,
            "UPDATE policies SET default_version = ?2, updated = ?3 WHERE id = ?1",
            params![p.id, version_id, ts(now)],
        )
    }

    fn detach_policy(&self, _account: &str, owner: &str, arn: &str) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM attachments WHERE owner_id = ?1 AND policy_arn = ?2",
            params![owner, arn],
        )
    }

    fn set_user_boundary(
        &self,
        account: &str,
        user_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        change(
            self.0,
            "UPDATE users SET permissions_boundary = ?3 WHERE account = ?1 AND id = ?2",
            params![account, user_id, arn],
        )
    }

    fn delete_inline_policy(&self, owner: &str, name: &str) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM inline_policies WHERE owner_id = ?1 AND name = ?2",
            params![owner, name],
        )
    }
}
