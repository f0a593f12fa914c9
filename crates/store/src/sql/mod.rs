//! The storage areas, one file each and named as core's family traits are (`users.rs` holds
//! `UserStore`, `providers.rs` holds `ProviderStore`, ...): each file implements its family for
//! the SQLite engine with its SQL, over the statement helpers in `sqlite.rs`. The SQL is kept
//! portable (plain SQL, `?N` placeholders) so that another engine can reuse it; engine-specific
//! statements (PRAGMAs) stay in `sqlite.rs`.

mod access_keys;
mod account;
mod credentials;
mod groups;
mod instance_profiles;
mod mfa;
mod passwords;
mod policies;
mod providers;
mod reports;
mod roles;
mod server_certs;
mod tags;
mod users;

use portcullis_core::store::Rename;
use portcullis_core::{StoreError, StoreResult};

/// Applies `update` to an entity's `name` and `path`. A new name that differs from the old one
/// other than by case must not be `taken` (`AlreadyExists`).
fn rename(
    (name, path): (&mut String, &mut String),
    update: &Rename,
    taken: impl FnOnce(&str) -> StoreResult<bool>,
) -> StoreResult<()> {
    if let Some(new_name) = &update.new_name {
        if !new_name.eq_ignore_ascii_case(name) && taken(new_name)? {
            return Err(StoreError::AlreadyExists);
        }
        *name = new_name.clone();
    }
    if let Some(p) = &update.new_path {
        *path = p.clone();
    }
    Ok(())
}
