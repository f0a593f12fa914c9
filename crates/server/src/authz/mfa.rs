//! The one-time MFA code a GetSessionToken or AssumeRole request passes (`SerialNumber` and
//! `TokenCode`), checked once, before the request is authorized, so that trust and identity
//! policies see `aws:MultiFactorAuthPresent`. Part of authorization: it reads the caller's
//! device, counts the guess (`attempts`) and records the accepted step so a code is used once.

use super::Env;
use crate::auth::Caller;
use crate::failure::store_failure;
use chrono::{DateTime, Utc};
use portcullis_core::Principal;
use portcullis_core::Secret;
use portcullis_core::mfa;
use portcullis_core::mfa::VirtualMfaDevice;
use portcullis_proto::input::{AssumeRoleInput, GetSessionTokenInput};
use portcullis_proto::{AwsError, Input};
use zeroize::Zeroizing;

/// The skew a code passed to STS may have, in steps either way.
pub const TOKEN_SKEW: i64 = 1;

/// The device's seed; a seed that does not open is the server's failure, not the caller's.
pub fn open_seed(app: &dyn Env, d: &VirtualMfaDevice) -> Result<Zeroizing<Vec<u8>>, AwsError> {
    app.master()
        .open(&d.sealed_seed, d.serial.as_bytes())
        .map_err(|_| {
            tracing::error!(serial = %d.serial, "MFA seed does not open with the master key");
            AwsError::internal()
        })
}

fn mfa_failed() -> AwsError {
    AwsError::access_denied("MultiFactorAuthentication failed with invalid MFA one time pass code.")
}

/// The `SerialNumber` and `TokenCode` a GetSessionToken or AssumeRole input carries (either may
/// be absent); `(None, None)` for every other operation.
pub fn offered(input: &Input) -> (Option<&str>, Option<&Secret>) {
    if let Ok(i) = input.get::<AssumeRoleInput>() {
        (i.serial_number.as_deref(), i.token_code.as_ref())
    } else if let Ok(i) = input.get::<GetSessionTokenInput>() {
        (i.serial_number.as_deref(), i.token_code.as_ref())
    } else {
        (None, None)
    }
}

/// The MFA a GetSessionToken or AssumeRole request proves with `SerialNumber` and `TokenCode`,
/// checked once, before the request is authorized: when the code was accepted (Unix seconds),
/// or `None` when the request offers no code. The code must be one of a device enabled for the
/// calling user, within a step of the server's clock (corrected by the device's drift), and of
/// a later step than any code the device had accepted before, so a code is used only once.
pub fn verify_token(
    app: &dyn Env,
    (serial, code): (Option<&str>, Option<&Secret>),
    caller: &Caller,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AwsError> {
    let (serial, code) = match (serial, code) {
        (None, None) => return Ok(None),
        (Some(s), Some(c)) => (s, c.expose()),
        _ => return Err(mfa_failed()),
    };
    let Principal::User(user) = &caller.principal else {
        return Err(mfa_failed());
    };
    verify_device_code(app, user, serial, code, now).map(Some)
}

/// Checks `code` of `user`'s enabled device `serial` once (the guess counted, the step
/// recorded so the code is never accepted again): when it was accepted, in Unix seconds.
/// The console's MFA step uses this too.
pub fn verify_device_code(
    app: &dyn Env,
    user: &portcullis_core::User,
    serial: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<i64, AwsError> {
    // A serial that names no device of the caller's fails without touching any counter: only
    // guesses by the device's owner count against it, so nobody can lock another's device.
    let device = app
        .store()
        .get_mfa_device(&user.account, serial)
        .map_err(store_failure)?
        .filter(|d| d.user_id.as_deref() == Some(user.id.as_str()))
        .ok_or_else(mfa_failed)?;
    // Each guess is counted before it is checked (see `Attempts::begin`).
    let attempts = format!("mfa\0{}\0{serial}", user.account);
    if app.attempts().begin(&attempts, now).is_err() {
        tracing::warn!(user = %user.name, serial, "MFA code refused: too many failed codes");
        return Err(mfa_failed());
    }
    let seed = open_seed(app, &device)?;
    let expected = mfa::step_of(now) + device.drift;
    let step = mfa::verify_code(&seed, code, expected, TOKEN_SKEW, device.last_step)
        .ok_or_else(mfa_failed)?;
    // Another request (on any node) may have used the same code meanwhile.
    if !app
        .store()
        .accept_mfa_step(&user.account, serial, step)
        .map_err(store_failure)?
    {
        return Err(mfa_failed());
    }
    app.attempts().succeeded(&attempts);
    Ok(now.timestamp())
}
