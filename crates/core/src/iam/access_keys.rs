//! Access keys: CreateAccessKey's rule as a domain service, inside one write transaction: a user
//! (or the root user) holds at most `AccessKeysPerUser` keys. The key arrives built by the
//! caller, its secret already sealed (the master key is the server's).

use crate::error::IamResult;
use crate::model::AccessKey;
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
