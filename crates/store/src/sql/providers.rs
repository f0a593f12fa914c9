//! Identity providers: OpenID Connect providers with their client ids and identity propagation
//! settings, and SAML providers with their settings and sealed private keys (`ProviderStore` on
//! SQLite). Both are addressed by ARN. OIDC thumbprints (fixed 40-character hex strings) are
//! kept comma-separated in one column.

use crate::engine::{
    Conn, Engine, EngineTx, Row, SqlStore, all_rows, change, count, exec, optional_row, params,
};
use crate::rows::{parse_ts, ts};
use chrono::{DateTime, Utc};
use portcullis_core::reports::IdentityPropagation;
use portcullis_core::store::ProviderTx;
use portcullis_core::store::prelude::*;
use portcullis_core::{
    OidcProvider, SamlPrivateKey, SamlProvider, SamlSettings, StoreError, StoreResult, Tag,
};

// OpenID Connect.

fn client_ids(c: &dyn Conn, arn: &str) -> StoreResult<Vec<String>> {
    all_rows(
        c,
        "SELECT client_id FROM oidc_client_ids WHERE provider_arn = ?1 ORDER BY seq",
        params![arn],
        |r| r.get(0),
    )
}

fn split(thumbprints: &str) -> Vec<String> {
    thumbprints
        .split(',')
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}

/// The OIDC providers of `account` matching `arn` (or all when `arn` is `None`), by ARN.
fn select_oidc(c: &dyn Conn, account: &str, arn: Option<&str>) -> StoreResult<Vec<OidcProvider>> {
    let rows = all_rows(
        c,
        "SELECT arn, url, thumbprints, created FROM oidc_providers
         WHERE account = ?1 AND (CAST(?2 AS TEXT) IS NULL OR arn = ?2) ORDER BY arn",
        params![account, arn],
        |r| {
            Ok((
                r.get::<String>(0)?,
                r.get::<String>(1)?,
                r.get::<String>(2)?,
                parse_ts(&r.get::<String>(3)?)?,
            ))
        },
    )?;
    rows.into_iter()
        .map(|(arn, url, thumbprints, created)| {
            Ok(OidcProvider {
                account: account.to_string(),
                client_ids: client_ids(c, &arn)?,
                url,
                thumbprints: split(&thumbprints),
                created,
            })
        })
        .collect()
}

/// `NotFound` unless `account` has the OIDC provider `arn`.
fn oidc_exists(c: &dyn Conn, account: &str, arn: &str) -> StoreResult<()> {
    optional_row(
        c,
        "SELECT 1 FROM oidc_providers WHERE account = ?1 AND arn = ?2",
        params![account, arn],
        |_| Ok(()),
    )?
    .ok_or(StoreError::NotFound)
}

fn insert_client_id(c: &dyn Conn, arn: &str, client_id: &str) -> StoreResult<()> {
    exec(
        c,
        "INSERT INTO oidc_client_ids (provider_arn, client_id, seq)
         VALUES (?1, ?2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM oidc_client_ids WHERE provider_arn = ?1))
         ON CONFLICT DO NOTHING",
        params![arn, client_id],
    )
}

/// The identity propagation settings of OIDC provider `arn`; `NotFound` when `account` has none.
fn oidc_propagation(c: &dyn Conn, account: &str, arn: &str) -> StoreResult<IdentityPropagation> {
    optional_row(
        c,
        "SELECT context_provider, identity_center_instance FROM oidc_providers
         WHERE account = ?1 AND arn = ?2",
        params![account, arn],
        |r| {
            Ok(IdentityPropagation {
                context_provider: r.get(0)?,
                identity_center_instance: r.get(1)?,
            })
        },
    )?
    .ok_or(StoreError::NotFound)
}

fn set_oidc_propagation(
    c: &dyn Conn,
    account: &str,
    arn: &str,
    s: &IdentityPropagation,
) -> StoreResult<()> {
    oidc_exists(c, account, arn)?;
    exec(
        c,
        "UPDATE oidc_providers SET context_provider = ?2, identity_center_instance = ?3
         WHERE arn = ?1",
        params![arn, s.context_provider, s.identity_center_instance],
    )
}

// SAML.

fn saml_row(r: &Row) -> StoreResult<SamlProvider> {
    Ok(SamlProvider {
        account: r.get(0)?,
        name: r.get(1)?,
        uuid: r.get(2)?,
        metadata: r.get(3)?,
        created: parse_ts(&r.get::<String>(4)?)?,
        valid_until: parse_ts(&r.get::<String>(5)?)?,
    })
}

/// The SAML providers of `account` matching `arn` (or all when `arn` is `None`), by ARN.
fn select_saml(c: &dyn Conn, account: &str, arn: Option<&str>) -> StoreResult<Vec<SamlProvider>> {
    all_rows(
        c,
        "SELECT account, name, uuid, metadata, created, valid_until FROM saml_providers
         WHERE account = ?1 AND (CAST(?2 AS TEXT) IS NULL OR arn = ?2) ORDER BY arn",
        params![account, arn],
        saml_row,
    )
}

fn key_row(r: &Row) -> StoreResult<SamlPrivateKey> {
    Ok(SamlPrivateKey {
        id: r.get(0)?,
        sealed: r.get(1)?,
        uploaded: parse_ts(&r.get::<String>(2)?)?,
    })
}

fn set_saml_settings(c: &dyn Conn, account: &str, arn: &str, s: &SamlSettings) -> StoreResult<()> {
    change(
        c,
        "UPDATE saml_providers SET encryption_mode = ?3, context_provider = ?4,
         identity_center_instance = ?5 WHERE account = ?1 AND arn = ?2",
        params![
            account,
            arn,
            s.encryption_mode,
            s.propagation.context_provider,
            s.propagation.identity_center_instance
        ],
    )?;
    exec(
        c,
        "DELETE FROM saml_private_keys WHERE provider_arn = ?1",
        params![arn],
    )?;
    for k in &s.private_keys {
        exec(
            c,
            "INSERT INTO saml_private_keys (provider_arn, key_id, sealed, uploaded)
             VALUES (?1, ?2, ?3, ?4)",
            params![arn, k.id, k.sealed, ts(k.uploaded)],
        )?;
    }
    Ok(())
}

impl<E: Engine> ProviderStore for SqlStore<E> {
    fn get_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<Option<OidcProvider>> {
        Ok(self
            .read(|c| select_oidc(c, account, Some(arn)))?
            .into_iter()
            .next())
    }

    fn list_oidc_providers(&self, account: &str) -> StoreResult<Vec<OidcProvider>> {
        self.read(|c| select_oidc(c, account, None))
    }

    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation> {
        self.read(|c| oidc_propagation(c, account, arn))
    }

    fn get_saml_provider(&self, account: &str, arn: &str) -> StoreResult<Option<SamlProvider>> {
        Ok(self
            .read(|c| select_saml(c, account, Some(arn)))?
            .into_iter()
            .next())
    }

    fn list_saml_providers(&self, account: &str) -> StoreResult<Vec<SamlProvider>> {
        self.read(|c| select_saml(c, account, None))
    }

    fn saml_settings(&self, account: &str, arn: &str) -> StoreResult<SamlSettings> {
        self.read(|c| {
            let (encryption_mode, context_provider, identity_center_instance) = optional_row(
                c,
                "SELECT encryption_mode, context_provider, identity_center_instance
                 FROM saml_providers WHERE account = ?1 AND arn = ?2",
                params![account, arn],
                |r| {
                    Ok((
                        r.get::<Option<String>>(0)?,
                        r.get::<Option<String>>(1)?,
                        r.get::<Option<String>>(2)?,
                    ))
                },
            )?
            .ok_or(StoreError::NotFound)?;
            let private_keys = all_rows(
                c,
                "SELECT key_id, sealed, uploaded FROM saml_private_keys WHERE provider_arn = ?1
                 ORDER BY uploaded, key_id",
                params![arn],
                key_row,
            )?;
            Ok(SamlSettings {
                encryption_mode,
                private_keys,
                propagation: IdentityPropagation {
                    context_provider,
                    identity_center_instance,
                },
            })
        })
    }
}

impl ProviderTx for EngineTx<'_> {
    fn oidc_provider_exists(&self, account: &str, arn: &str) -> StoreResult<bool> {
        Ok(oidc_exists(self.0, account, arn).is_ok())
    }

    fn count_oidc_providers(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM oidc_providers WHERE account = ?1",
            params![account],
        )
    }

    fn insert_oidc_provider(
        &self,
        p: &OidcProvider,
        propagation: &IdentityPropagation,
        tags: &[Tag],
    ) -> StoreResult<()> {
        let arn = p.arn();
        exec(
            self.0,
            "INSERT INTO oidc_providers (arn, account, url, thumbprints, created) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                arn,
                p.account,
                p.url,
                p.thumbprints.join(","),
                ts(p.created)
            ],
        )?;
        for id in &p.client_ids {
            insert_client_id(self.0, &arn, id)?;
        }
        set_oidc_propagation(self.0, &p.account, &arn, propagation)?;
        super::tags::put_tags(self.0, &arn, tags, false)
    }

    fn oidc_client_ids(&self, arn: &str) -> StoreResult<Vec<String>> {
        client_ids(self.0, arn)
    }

    fn insert_oidc_client_id(&self, arn: &str, client_id: &str) -> StoreResult<()> {
        insert_client_id(self.0, arn, client_id)
    }

    fn saml_provider_exists(&self, account: &str, arn: &str) -> StoreResult<bool> {
        Ok(!select_saml(self.0, account, Some(arn))?.is_empty())
    }

    fn count_saml_providers(&self, account: &str) -> StoreResult<usize> {
        count(
            self.0,
            "SELECT COUNT(*) FROM saml_providers WHERE account = ?1",
            params![account],
        )
    }

    fn insert_saml_provider(
        &self,
        p: &SamlProvider,
        settings: &SamlSettings,
        tags: &[Tag],
    ) -> StoreResult<()> {
        let arn = p.arn();
        exec(
            self.0,
            "INSERT INTO saml_providers (arn, account, name, uuid, metadata, created, valid_until)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                arn,
                p.account,
                p.name,
                p.uuid,
                p.metadata,
                ts(p.created),
                ts(p.valid_until)
            ],
        )?;
        set_saml_settings(self.0, &p.account, &arn, settings)?;
        super::tags::put_tags(self.0, &arn, tags, false)
    }

    fn delete_oidc_provider(&self, account: &str, arn: &str) -> StoreResult<()> {
        oidc_exists(self.0, account, arn)?;
        super::tags::delete_tags(self.0, arn)?;
        exec(
            self.0,
            "DELETE FROM oidc_providers WHERE arn = ?1",
            params![arn],
        )
    }

    fn set_oidc_thumbprints(
        &self,
        account: &str,
        arn: &str,
        thumbprints: &[String],
    ) -> StoreResult<()> {
        oidc_exists(self.0, account, arn)?;
        exec(
            self.0,
            "UPDATE oidc_providers SET thumbprints = ?2 WHERE arn = ?1",
            params![arn, &thumbprints.join(",")],
        )
    }

    fn remove_oidc_client_id(&self, account: &str, arn: &str, client_id: &str) -> StoreResult<()> {
        oidc_exists(self.0, account, arn)?;
        exec(
            self.0,
            "DELETE FROM oidc_client_ids WHERE provider_arn = ?1 AND client_id = ?2",
            params![arn, client_id],
        )
    }

    fn set_oidc_propagation(
        &self,
        account: &str,
        arn: &str,
        settings: &IdentityPropagation,
    ) -> StoreResult<()> {
        set_oidc_propagation(self.0, account, arn, settings)
    }

    fn update_saml_metadata(
        &self,
        account: &str,
        arn: &str,
        metadata: &str,
        valid_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        change(
            self.0,
            "UPDATE saml_providers SET metadata = ?3, valid_until = ?4 WHERE account = ?1 AND arn = ?2",
            params![account, arn, metadata, ts(valid_until)],
        )
    }

    fn delete_saml_provider(&self, account: &str, arn: &str) -> StoreResult<()> {
        change(
            self.0,
            "DELETE FROM saml_providers WHERE account = ?1 AND arn = ?2",
            params![account, arn],
        )?;
        super::tags::delete_tags(self.0, arn)
    }

    fn set_saml_settings(
        &self,
        account: &str,
        arn: &str,
        settings: &SamlSettings,
    ) -> StoreResult<()> {
        set_saml_settings(self.0, account, arn, settings)
    }

    fn oidc_propagation(&self, account: &str, arn: &str) -> StoreResult<IdentityPropagation> {
        oidc_propagation(self.0, account, arn)
    }
}
