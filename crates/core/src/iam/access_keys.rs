//! Access keys: CreateAccessKey, UpdateAccessKey and DeleteAccessKey as domain services, inside
//! one write transaction: a user (or the root user) holds at most `AccessKeysPerUser` keys, and a
//! key changed or deleted must be the owner's (else NoSuchEntity). The key arrives built by the
//! caller, its secret already sealed (the master key is the server's). `user_id` None is the
//! root user.

use crate::error::{EntityKind, IamError, IamResult};
use crate::model::{AccessKey, KeyStatus};
use crate::quotas::{self, Quota, Quotas};
use crate::store::Tx;

/// CreateAccessKey.
pub fn create(tx: &dyn Tx, key: &AccessKey, q: &Quotas) -> IamResult<()> {
    quotas::check(
        Quota::AccessKeysPerUser,
        tx.count_access_keys(&key.account, key.user_id.as_deref())?,
        q.access_keys_per_user,
    )?;
    Ok(tx.insert_access_key(key)?)
}

/// UpdateAccessKey: sets the status of the key `id` of the owner.
pub fn set_status(
    tx: &dyn Tx,
    account: &str,
    user_id: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> IamResult<()> {
    tx.update_access_key_status(account, user_id, id, status)
        .map_err(IamError::on_missing(EntityKind::AccessKey, id))
}

/// DeleteAccessKey: deletes the key `id` of the owner.
pub fn delete(tx: &dyn Tx, account: &str, user_id: Option<&str>, id: &str) -> IamResult<()> {
    tx.delete_access_key(account, user_id, id)
        .map_err(IamError::on_missing(EntityKind::AccessKey, id))
}
