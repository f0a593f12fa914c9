//! `AccountStore` on SQLite.

use super::*;

impl AccountStore for SqliteStore {
    fn create_account(&self, account: &Account) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute(
                "INSERT INTO accounts (id, created) VALUES (?1, ?2)",
                params![account.id, ts(account.created)],
            )
            .map_err(backend)?;
            Ok(())
        })
    }

    fn get_account(&self, id: &str) -> StoreResult<Option<Account>> {
        cached_row(
            &self.read(),
            "SELECT id, created FROM accounts WHERE id = ?1",
            [id],
            |r| {
                Ok(Account {
                    id: r.get(0)?,
                    created: rows::parse_ts(&r.get::<_, String>(1)?)?,
                })
            },
        )
        .optional()
        .map_err(backend)
    }

    fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        let c = self.read();
        let mut st = c
            .prepare("SELECT id, created FROM accounts ORDER BY created, id")
            .map_err(backend)?;
        let out = st
            .query_map([], |r| {
                Ok(Account {
                    id: r.get(0)?,
                    created: rows::parse_ts(&r.get::<_, String>(1)?)?,
                })
            })
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        Ok(out)
    }

    fn account_counts(&self, account: &str) -> StoreResult<AccountCounts> {
        accounts::counts(&self.read(), account)
    }

    fn create_account_alias(&self, account: &str, alias: &str) -> StoreResult<()> {
        self.write(|tx| accounts::create_alias(tx, account, alias))
    }

    fn delete_account_alias(&self, account: &str, alias: &str) -> StoreResult<()> {
        self.write(|tx| accounts::delete_alias(tx, account, alias))
    }

    fn account_aliases(&self, account: &str) -> StoreResult<Vec<String>> {
        accounts::aliases(&self.read(), account)
    }

    fn account_setting(&self, account: &str, key: &str) -> StoreResult<Option<String>> {
        reports::setting(&self.read(), account, key)
    }

    fn account_settings(&self, account: &str, prefix: &str) -> StoreResult<Vec<(String, String)>> {
        reports::settings(&self.read(), account, prefix)
    }

    fn put_account_settings(
        &self,
        account: &str,
        settings: &[(String, Option<String>)],
    ) -> StoreResult<()> {
        self.write(|tx| reports::put_settings(tx, account, settings))
    }

    fn wipe(&self) -> StoreResult<()> {
        self.write(|tx| {
            tx.execute_batch(
                "DELETE FROM account_settings; DELETE FROM report_jobs; DELETE FROM service_access; DELETE FROM credential_reports;",
            )
            .map_err(backend)?;
            tx.execute_batch("DELETE FROM service_role_deletions; DELETE FROM ssh_public_keys; DELETE FROM service_credentials; DELETE FROM signing_certificates; DELETE FROM server_certificates; DELETE FROM saml_providers; DELETE FROM oidc_client_ids; DELETE FROM oidc_providers; DELETE FROM instance_profile_roles; DELETE FROM instance_profiles; DELETE FROM account_aliases; DELETE FROM roles; DELETE FROM attachments; DELETE FROM policy_versions; DELETE FROM policies; DELETE FROM inline_policies; DELETE FROM group_members; DELETE FROM groups; DELETE FROM access_keys; DELETE FROM entity_tags; DELETE FROM users; DELETE FROM accounts;").map_err(backend)
        })
    }
}
