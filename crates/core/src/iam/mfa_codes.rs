//! Checking a one-time code of a user's enabled MFA device, once: the code STS requests pass
//! (`SerialNumber` and `TokenCode`) and the console's sign-in step. Every guess is counted before
//! it is checked ([`Guesses`], kept by the server, in memory or shared by several nodes), and
//! the accepted step is recorded with a compare-and-set in the store, so a code is accepted once
//! across all nodes. A serial that names no device of the caller's fails without counting: only
//! the owner's guesses count against a device, so nobody can lock another's device.

use crate::crypto::MasterKey;
use crate::error::{IamError, IamResult};
use crate::mfa::{self, VirtualMfaDevice};
use crate::model::User;
use crate::store::{Store, StoreError};
use chrono::{DateTime, Utc};
use zeroize::Zeroizing;

/// The skew a code may have, in steps either way.
pub const TOKEN_SKEW: i64 = 1;

/// A count of failed guesses per key; after too many, the key is refused for a while.
pub trait Guesses {
    /// Counts a guess of `key` before it is checked; `false` when the key is refused.
    fn begin(&self, key: &str, now: DateTime<Utc>) -> bool;
    /// The guess of `key` was right: its failures are forgotten.
    fn succeeded(&self, key: &str);
}

/// A device's seed; a seed that does not open with the master key is the server's failure
/// (ServiceFailure, logged by the server), not the caller's.
pub fn open_seed(master: &MasterKey, d: &VirtualMfaDevice) -> IamResult<Zeroizing<Vec<u8>>> {
    master
        .open(&d.sealed_seed, d.serial.as_bytes())
        .map_err(|_| {
            IamError::Store(StoreError::Backend(format!(
                "the seed of MFA device {} does not open with the master key",
                d.serial
            )))
        })
}

/// Checks `code` of `user`'s enabled device `serial` once: when it was accepted (Unix
/// seconds), or [`IamError::MfaCodeRefused`] (a wrong, reused or late code, a device that is not
/// the user's, or a device whose guesses are used up).
pub fn verify(
    store: &dyn Store,
    guesses: &dyn Guesses,
    master: &MasterKey,
    (user, serial, code): (&User, &str, &str),
    now: DateTime<Utc>,
) -> IamResult<i64> {
    let device = store
        .get_mfa_device(&user.account, serial)?
        .filter(|d| d.user_id.as_deref() == Some(user.id.as_str()))
        .ok_or(IamError::MfaCodeRefused)?;
    let key = format!("mfa\0{}\0{serial}", user.account);
    if !guesses.begin(&key, now) {
        return Err(IamError::MfaCodeRefused);
    }
    let seed = open_seed(master, &device)?;
    let expected = mfa::step_of(now) + device.drift;
    let step = mfa::verify_code(&seed, code, expected, TOKEN_SKEW, device.last_step)
        .ok_or(IamError::MfaCodeRefused)?;
    // Another request (on any node) may have used the same code meanwhile.
    if !store.accept_mfa_step(&user.account, serial, step)? {
        return Err(IamError::MfaCodeRefused);
    }
    guesses.succeeded(&key);
    Ok(now.timestamp())
}
