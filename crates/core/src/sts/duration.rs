//! How long STS sessions last. A role session (AssumeRole, AssumeRoleWithWebIdentity) lasts an
//! hour unless asked otherwise, never longer than the role's MaxSessionDuration, and never
//! longer than an hour when one role session assumes another (role chaining). GetSessionToken
//! and GetFederationToken sessions of an IAM user last 12 hours by default and at most 36; the
//! root user's, at most an hour, longer requests being cut to the hour as AWS cuts them.

use crate::sts::StsError;

/// A role session's default length, in seconds.
pub const ROLE_DEFAULT: i64 = 3600;
/// The longest session role chaining gives.
pub const CHAINED_MAX: i64 = 3600;
/// An IAM user's GetSessionToken or GetFederationToken default and longest session.
pub const USER_TOKEN_DEFAULT: i64 = 43_200;
pub const USER_TOKEN_MAX: i64 = 129_600;
/// The root user's GetSessionToken or GetFederationToken session, default and longest.
pub const ROOT_TOKEN_MAX: i64 = 3600;

/// The length of a role session asked for `requested` seconds (absent: the default) of a role
/// whose MaxSessionDuration is `role_max`; `chained` when the caller is itself a role session.
pub fn role_session(requested: Option<i64>, role_max: i64, chained: bool) -> Result<i64, StsError> {
    let seconds = requested.unwrap_or(ROLE_DEFAULT);
    if chained && seconds > CHAINED_MAX {
        return Err(StsError::ChainedDurationTooLong);
    }
    if seconds > role_max {
        return Err(StsError::DurationOverRoleMax);
    }
    Ok(seconds)
}

/// The length of a GetSessionToken or GetFederationToken session asked for `requested`
/// seconds (absent: the default), for the root user or an IAM user.
pub fn token_session(requested: Option<i64>, root: bool) -> i64 {
    let (default, max) = if root {
        (ROOT_TOKEN_MAX, ROOT_TOKEN_MAX)
    } else {
        (USER_TOKEN_DEFAULT, USER_TOKEN_MAX)
    };
    requested.unwrap_or(default).min(max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_sessions_default_to_an_hour_within_the_role_maximum() {
        assert_eq!(role_session(None, 3600, false), Ok(3600));
        assert_eq!(role_session(Some(7200), 7200, false), Ok(7200));
        assert_eq!(role_session(Some(900), 3600, true), Ok(900));
        assert_eq!(
            role_session(Some(7201), 7200, false),
            Err(StsError::DurationOverRoleMax)
        );
        // The default hour is over a role maximum below it (not possible in IAM, but the rule
        // holds).
        assert_eq!(
            role_session(None, 1800, false),
            Err(StsError::DurationOverRoleMax)
        );
    }

    #[test]
    fn chained_sessions_last_an_hour_at_most_whatever_the_role_allows() {
        assert_eq!(role_session(Some(3600), 43_200, true), Ok(3600));
        assert_eq!(
            role_session(Some(3601), 43_200, true),
            Err(StsError::ChainedDurationTooLong)
        );
        // The chaining limit is reported before the role's own.
        assert_eq!(
            role_session(Some(7200), 3600, true),
            Err(StsError::ChainedDurationTooLong)
        );
        assert_eq!(role_session(Some(7200), 43_200, false), Ok(7200));
    }

    #[test]
    fn token_sessions_by_caller() {
        assert_eq!(token_session(None, false), 43_200);
        assert_eq!(token_session(None, true), 3600);
        assert_eq!(token_session(Some(200_000), false), 129_600);
        assert_eq!(token_session(Some(129_600), false), 129_600);
        assert_eq!(token_session(Some(7200), true), 3600);
        assert_eq!(token_session(Some(900), true), 900);
        assert_eq!(token_session(Some(900), false), 900);
    }
}
