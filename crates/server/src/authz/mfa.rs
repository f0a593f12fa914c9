//! The one-time MFA code a GetSessionToken or AssumeRole request passes (`SerialNumber` and
//! `TokenCode`), checked once, before the request is authorized, so that trust and identity
//! policies see `aws:MultiFactorAuthPresent`. Part of authorization; the check itself (the
//! caller's device, the guess counted, the accepted step recorded so a code is used once) is
//! core's (`iam::mfa_codes`).

use super::Env;
use crate::auth::Caller;
use crate::failure::iam_error;
use chrono::{DateTime, Utc};
use portcullis_core::iam::mfa_codes;
use portcullis_core::{IamError, Principal, Secret};
use portcullis_proto::input::{AssumeRoleInput, GetSessionTokenInput};
use portcullis_proto::{AwsError, Input};

fn mfa_failed() -> AwsError {
    iam_error(IamError::MfaCodeRefused)
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

/// Checks `code` of `user`'s enabled device `serial` once (core's
/// [`mfa_codes::verify`]): when it was accepted, in Unix seconds. The console's MFA step uses
/// this too.
pub fn verify_device_code(
    app: &dyn Env,
    user: &portcullis_core::User,
    serial: &str,
    code: &str,
    now: DateTime<Utc>,
) -> Result<i64, AwsError> {
    mfa_codes::verify(
        app.store(),
        app.attempts(),
        app.master(),
        (user, serial, code),
        now,
    )
    .map_err(|e| {
        if e == IamError::MfaCodeRefused {
            tracing::warn!(user = %user.name, serial, "MFA code refused");
        }
        iam_error(e)
    })
}
