//! Accounts, their alias, entity counts and settings (small per-account key/value pairs: STS
//! preferences, outbound web identity federation, account properties, the password policy), and
//! wiping everything for dev mode: `AccountStore` over the engine interface.

use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, all_rows, change, count, exec, optional_row, params,
};
use crate::rows::{parse_ts, ts};
use portcullis_core::store::prelude::*;
use portcullis_core::store::{AccountCounts, AccountTx};
use portcullis_core::{Account, StoreResult};

fn account_row(r: &Row) -> StoreResult<Account> {
    Ok(Account {
        id: r.get(0)?,
        created: parse_ts(&r.get::<String>(1)?)?,
    })
}

/// One setting of an account.
pub(crate) fn setting(c: &dyn Conn, account: &str, key: &str) -> StoreResult<Option<String>> {
    optional_row(
        c,
        "SELECT value FROM account_settings WHERE account = ?1 AND key = ?2",
        params![account, key],
        |r| r.get(0),
    )
}

/// Sets (`Some`) or removes (`None`) each setting.
pub(crate) fn put_settings(
    c: &dyn Conn,
    account: &str,
    settings: &[(String, Option<String>)],
) -> StoreResult<()> {
    for (key, value) in settings {
        match value {
            Some(v) => exec(
                c,
                "INSERT INTO account_settings (account, key, value) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account, key) DO UPDATE SET value = excluded.value",
                params![account, key, v],
            ),
            None => exec(
                c,
                "DELETE FROM account_settings WHERE account = ?1 AND key = ?2",
                params![account, key],
            ),
        }?;
    }
    Ok(())
}

impl<E: Engine> AccountStore for SqlStore<E> {
    fn create_account(&self, account: &Account) -> StoreResult<()> {
        self.write(|tx| {
            exec(
                tx,
                "INSERT INTO accounts (id, created) VALUES (?1, ?2)",
                params![account.id, ts(account.created)],
            )
        })
    }

    fn get_account(&self, id: &str) -> StoreResult<Option<Account>> {
        self.read(|c| {
            optional_row(
                c,
                "SELECT id, created FROM accounts WHERE id = ?1",
                params![id],
                account_row,
            )
        })
    }

    fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT id, created FROM accounts ORDER BY created, id",
                params![],
                account_row,
            )
        })
    }

    fn account_counts(&self, account: &str) -> StoreResult<AccountCounts> {
        self.read(|c| {
            let n = |sql: &str| count(c, sql, params![account]);
            Ok(AccountCounts {
                users: n("SELECT COUNT(*) FROM users WHERE account = ?1")?,
                groups: n("SELECT COUNT(*) FROM groups WHERE account = ?1")?,
                roles: n("SELECT COUNT(*) FROM roles WHERE account = ?1")?,
                policies: n("SELECT COUNT(*) FROM policies WHERE account = ?1")?,
                policy_versions: n(
                    "SELECT COUNT(*) FROM policy_versions v JOIN policies p ON p.id = v.policy_id WHERE p.account = ?1",
                )?,
                root_access_keys: n(
                    "SELECT COUNT(*) FROM access_keys WHERE account = ?1 AND user_id IS NULL",
                )?,
                server_certificates: n("SELECT COUNT(*) FROM server_certificates WHERE account = ?1")?,
                root_signing_certificates: n(
                    "SELECT COUNT(*) FROM signing_certificates WHERE account = ?1 AND user_id IS NULL",
                )?,
                instance_profiles: n("SELECT COUNT(*) FROM instance_profiles WHERE account = ?1")?,
                providers: n(
                    "SELECT (SELECT COUNT(*) FROM oidc_providers WHERE account = ?1)
                          + (SELECT COUNT(*) FROM saml_providers WHERE account = ?1)",
                )?,
            })
        })
    }

    fn account_aliases(&self, account: &str) -> StoreResult<Vec<String>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT alias FROM account_aliases WHERE account = ?1",
                params![account],
                |r| r.get(0),
            )
        })
    }

    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>> {
        self.read(|c| setting(c, account, key))
    }

    fn account_settings(&self, account: &str, prefix: &str) -> StoreResult<Vec<(String, String)>> {
        self.read(|c| {
            all_rows(
                c,
                "SELECT key, value FROM account_settings
             WHERE account = ?1 AND substr(key, 1, length(CAST(?2 AS TEXT))) = ?2 ORDER BY key",
                params![account, prefix],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        })
    }

    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()> {
        self.write(|tx| put_settings(tx, account, settings))
    }

    fn wipe(&self) -> StoreResult<()> {
        self.write(|tx| {
            tx.batch(
                "DELETE FROM account_settings; DELETE FROM report_jobs; DELETE FROM service_access; DELETE FROM credential_reports; DELETE FROM credential_report_claims; DELETE FROM signin_throttle;",
            )
            ?;
            tx.batch("DELETE FROM service_role_deletions; DELETE FROM ssh_public_keys; DELETE FROM service_credentials; DELETE FROM signing_certificates; DELETE FROM server_certificates; DELETE FROM saml_providers; DELETE FROM oidc_client_ids; DELETE FROM oidc_providers; DELETE FROM instance_profile_roles; DELETE FROM instance_profiles; DELETE FROM account_aliases; DELETE FROM roles; DELETE FROM attachments; DELETE FROM policy_versions; DELETE FROM policies; DELETE FROM inline_policies; DELETE FROM group_members; DELETE FROM groups; DELETE FROM access_keys; DELETE FROM entity_tags; DELETE FROM users; DELETE FROM accounts;")
        })
    }
}

impl AccountTx for EngineTx<'_> {
    fn alias_account(&self, alias: &str) -> StoreResult<Option<String>> {
        optional_row(
            self.0,
            "SELECT account FROM account_aliases WHERE alias = ?1",
            params![alias],
            |r| r.get(0),
        )
    }

    fn count_other_aliases(&self, account: &str, alias: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM account_aliases WHERE account = ?1 AND alias <> ?2",
            params![account, alias],
        )
    }

    fn insert_alias(&self, account: &str, alias: &str) -> StoreResult<()> {
        exec(
            self.0,
            "INSERT INTO account_aliases (alias, account) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            params![alias, account],
        )
    }

    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>> {
        setting(self.0, account, key)
    }

    fn delete_account_alias(&self, account: &str, alias: &str) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM account_aliases WHERE account = ?1 AND alias = ?2",
            params![account, alias],
        )
    }

    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()> {
        put_settings(self.0, account, settings)
    }
}
