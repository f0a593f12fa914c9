//! The storage areas, one file each and named as core's family traits are (`users.rs` holds
//! `UserStore`, `providers.rs` holds `ProviderStore`, ...): each file implements its family for
//! [`crate::SqlStore`] over any engine, with its SQL and the statement helpers of `engine.rs`.
//! The SQL is written once for both engines: `?N` placeholders and SQL that SQLite and
//! PostgreSQL both take (`IS NOT DISTINCT FROM`, `ON CONFLICT ... DO NOTHING`, `CAST(? AS
//! TEXT)` where a parameter's type cannot be inferred); engine-specific statements (PRAGMAs,
//! advisory locks) stay in `sqlite.rs` and `postgres.rs`. [`Tx::dependents`], which counts across areas, is
//! here.

mod access_keys;
mod account;
mod audit_outbox;
mod credentials;
mod groups;
mod guesses;
mod instance_profiles;
mod mfa;
mod owned;
mod passwords;
mod policies;
mod providers;
mod reports;
mod roles;
mod server_certs;
mod signin_throttle;
mod tags;
mod users;

use crate::engine::{EngineTx, Row, optional_row, params};
use portcullis_core::StoreResult;
use portcullis_core::store::{Dependents, Tx};

impl Tx for EngineTx<'_> {
    fn dependents(&self, id: &str) -> StoreResult<Dependents> {
        let n = |r: &Row, i: usize| -> StoreResult<usize> {
            Ok(usize::try_from(r.get::<i64>(i)?).unwrap_or(0))
        };
        let found = optional_row(
            self.0,
            "SELECT
               (SELECT COUNT(*) FROM login_profiles WHERE user_id = ?1),
               (SELECT COUNT(*) FROM access_keys WHERE user_id = ?1),
               (SELECT COUNT(*) FROM inline_policies WHERE owner_id = ?1),
               (SELECT COUNT(*) FROM attachments WHERE owner_id = ?1),
               (SELECT COUNT(*) FROM group_members WHERE user_id = ?1),
               (SELECT COUNT(*) FROM signing_certificates WHERE user_id = ?1),
               (SELECT COUNT(*) FROM ssh_public_keys WHERE user_id = ?1),
               (SELECT COUNT(*) FROM service_credentials WHERE user_id = ?1),
               (SELECT COUNT(*) FROM mfa_devices WHERE user_id = ?1),
               (SELECT COUNT(*) FROM group_members WHERE group_id = ?1),
               (SELECT COUNT(*) FROM instance_profile_roles WHERE role_id = ?1)",
            params![id],
            |r| {
                Ok(Dependents {
                    login_profile: n(r, 0)? > 0,
                    access_keys: n(r, 1)?,
                    inline_policies: n(r, 2)?,
                    attached_policies: n(r, 3)?,
                    group_memberships: n(r, 4)?,
                    signing_certificates: n(r, 5)?,
                    ssh_public_keys: n(r, 6)?,
                    service_credentials: n(r, 7)?,
                    mfa_devices: n(r, 8)?,
                    group_members: n(r, 9)?,
                    instance_profiles: n(r, 10)?,
                })
            },
        )?;
        Ok(found.unwrap_or_default())
    }
}
