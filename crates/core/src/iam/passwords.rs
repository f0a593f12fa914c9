//! Console passwords' request rules, as plain functions: CreateLoginProfile needs a password
//! (only an AssumeRoot session may omit it, and this server issues none), UpdateLoginProfile
//! either sets or resets the session duration, and ChangePassword is for IAM users only. A new
//! password is checked against the account's policy, the screening and the user's history, then
//! hashed ([`new_password_hash`], the API's and the console's one check); a refused password
//! ([`crate::passwords::Violation`]) becomes AWS's PasswordPolicyViolation. ChangePassword itself
//! ([`change_password`]: the guess counted, the old password checked, the new one stored by
//! [`replace_password`]) is the API's and the console's one implementation. The checks of a password itself (policy,
//! screening, reuse, hashing) are in [`crate::passwords`].

use crate::error::{EntityKind, IamError, IamResult};
use crate::iam::mfa_codes::Guesses;
use crate::model::User;
use crate::passwords::{
    self, HashError, LoginProfile, LoginProfileUpdate, PasswordPolicy, Screening, Violation,
};
use crate::principal::Principal;
use crate::store::{Store, StoreError, Tx, write};
use chrono::{DateTime, Utc};

impl From<Violation> for IamError {
    fn from(v: Violation) -> Self {
        IamError::PasswordPolicyViolation(v.0)
    }
}

/// CreateLoginProfile's `Password`, which AWS's model lets be absent only for root recovery.
pub fn required_password<T>(password: Option<T>) -> IamResult<T> {
    password.ok_or_else(|| {
        IamError::Validation(
            "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
                .to_string(),
        )
    })
}

/// UpdateLoginProfile's change to the profile's session duration: `Some(Some(d))` sets `d`,
/// `Some(None)` resets it (`ResetMaxSigninSessionDuration`), `None` leaves it; asking both is
/// refused.
pub fn session_duration_change(
    duration: Option<i64>,
    reset: Option<bool>,
) -> IamResult<Option<Option<i64>>> {
    match (duration, reset == Some(true)) {
        (Some(_), true) => Err(IamError::InvalidInput(
            "MaxSigninSessionDuration cannot be specified when ResetMaxSigninSessionDuration is true."
                .to_string(),
        )),
        (Some(d), false) => Ok(Some(Some(d))),
        (None, true) => Ok(Some(None)),
        (None, false) => Ok(None),
    }
}

/// The name of the IAM user a ChangePassword caller is; other principals are refused.
pub fn password_changer(principal: &Principal) -> IamResult<&str> {
    match principal {
        Principal::User(u) => Ok(&u.name),
        _ => Err(IamError::NotAnIamUser),
    }
}

/// Why a new password got no hash.
#[derive(Debug, thiserror::Error)]
pub enum NewPasswordError {
    /// The account's policy, the screening or the history refused it (PasswordPolicyViolation),
    /// or the store failed.
    #[error(transparent)]
    Refused(#[from] IamError),
    /// Hashing did not happen (the hashing pool is full, or the random source failed).
    #[error(transparent)]
    Hashing(#[from] HashError),
}

impl From<Violation> for NewPasswordError {
    fn from(v: Violation) -> Self {
        NewPasswordError::Refused(v.into())
    }
}

impl From<StoreError> for NewPasswordError {
    fn from(e: StoreError) -> Self {
        NewPasswordError::Refused(e.into())
    }
}

/// A new console password for `user`, checked and hashed: the account's password policy (AWS's
/// default when none is set), the screening of common passwords and the user's name when
/// `screening` is on, and none of the user's last PasswordReusePrevention passwords. The
/// history is read only when the policy limits reuse.
pub fn new_password_hash(
    store: &dyn Store,
    user: &User,
    password: &str,
    screening: bool,
) -> Result<String, NewPasswordError> {
    let policy = store.password_policy(&user.account)?;
    let screening = Screening {
        enabled: screening,
        user_name: &user.name,
    };
    passwords::check(password, policy.as_ref(), screening)?;
    if let Some(n) = policy.as_ref().and_then(|p| p.reuse_prevention) {
        let history = store.password_history(&user.account, &user.id)?;
        if passwords::reused(password, &history, n as usize)? {
            return Err(passwords::reuse_violation(n).into());
        }
    }
    Ok(passwords::hash(password)?)
}

/// ChangePassword for `user` (the caller, see [`password_changer`]): each guess of the `old`
/// password is counted before it is checked ([`Guesses`]; too many wrong ones within the window
/// are refused whatever is sent), a right guess forgets the failures, and `new` is checked and
/// hashed as [`new_password_hash`] does, then stored with the reset requirement cleared. A user
/// without a login profile gets NoSuchEntity, a wrong old password AccessDenied's message.
pub fn change_password(
    store: &dyn Store,
    guesses: &dyn Guesses,
    user: &User,
    (old, new): (&str, &str),
    screening: bool,
    now: DateTime<Utc>,
) -> Result<(), NewPasswordError> {
    let no_profile = || IamError::no_such(EntityKind::LoginProfile, &user.name);
    let current = store
        .login_password_hash(&user.account, &user.id)?
        .ok_or_else(no_profile)?;
    let key = format!("password\0{}", user.id);
    if !guesses.begin(&key, now) {
        return Err(IamError::TooManyPasswordAttempts.into());
    }
    if !passwords::verify(old, &current)? {
        return Err(IamError::WrongOldPassword.into());
    }
    guesses.succeeded(&key);
    replace_password(store, user, new, screening, now)
}

/// The user's own new password, checked and hashed as [`new_password_hash`] does, stored with
/// the reset requirement cleared: the end of [`change_password`], and the console's change of a
/// password that must be reset at sign-in (whose user has just given the old one). A user
/// without a login profile gets NoSuchEntity.
pub fn replace_password(
    store: &dyn Store,
    user: &User,
    new: &str,
    screening: bool,
    now: DateTime<Utc>,
) -> Result<(), NewPasswordError> {
    let update = LoginProfileUpdate {
        password_hash: Some(new_password_hash(store, user, new, screening)?),
        reset_required: Some(false),
        max_session_duration: None,
        now,
    };
    write(store, |tx| {
        update_login_profile(tx, user, &update).map(|_| ())
    })?;
    Ok(())
}

/// CreateLoginProfile's write, once the password is checked and hashed: EntityAlreadyExists
/// when the user has one, NoSuchEntity when the user is gone.
pub fn create_login_profile(
    tx: &dyn Tx,
    user: &User,
    profile: &LoginProfile,
    hash: &str,
) -> IamResult<()> {
    tx.create_login_profile(profile, hash).map_err(|e| match e {
        StoreError::AlreadyExists => IamError::exists(EntityKind::LoginProfile, &user.name),
        StoreError::NotFound => IamError::no_such(EntityKind::User, &user.name),
        other => IamError::Store(other),
    })
}

/// UpdateLoginProfile's write (and every password change's): NoSuchEntity without a profile.
pub fn update_login_profile(
    tx: &dyn Tx,
    user: &User,
    update: &LoginProfileUpdate,
) -> IamResult<LoginProfile> {
    tx.update_login_profile(&user.account, &user.id, update)
        .map_err(IamError::on_missing(EntityKind::LoginProfile, &user.name))
}

/// DeleteLoginProfile: NoSuchEntity without a profile.
pub fn delete_login_profile(tx: &dyn Tx, user: &User) -> IamResult<()> {
    tx.delete_login_profile(&user.account, &user.id)
        .map_err(IamError::on_missing(EntityKind::LoginProfile, &user.name))
}

/// UpdateAccountPasswordPolicy's write (the policy built by `password_policy`).
pub fn put_password_policy(tx: &dyn Tx, account: &str, policy: &PasswordPolicy) -> IamResult<()> {
    Ok(tx.put_password_policy(account, policy)?)
}

/// DeleteAccountPasswordPolicy: NoSuchEntity (worded unlike GetAccountPasswordPolicy's) when the
/// account has no custom policy.
pub fn delete_password_policy(tx: &dyn Tx, account: &str) -> IamResult<()> {
    tx.delete_password_policy(account)
        .map_err(IamError::on_missing(
            EntityKind::AccountPolicy,
            "PasswordPolicy",
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_password_is_a_validation_error() {
        assert_eq!(required_password(Some("pw")), Ok("pw"));
        let e = required_password::<&str>(None).unwrap_err();
        assert!(matches!(e, IamError::Validation(_)));
        assert_eq!(
            e.to_string(),
            "1 validation error detected: Value null at 'password' failed to satisfy constraint: Member must not be null"
        );
    }

    #[test]
    fn session_duration_is_set_reset_or_left() {
        assert_eq!(
            session_duration_change(Some(3600), None),
            Ok(Some(Some(3600)))
        );
        assert_eq!(
            session_duration_change(Some(3600), Some(false)),
            Ok(Some(Some(3600)))
        );
        assert_eq!(session_duration_change(None, Some(true)), Ok(Some(None)));
        assert_eq!(session_duration_change(None, Some(false)), Ok(None));
        assert_eq!(session_duration_change(None, None), Ok(None));
        assert_eq!(
            session_duration_change(Some(3600), Some(true)),
            Err(IamError::InvalidInput(
                "MaxSigninSessionDuration cannot be specified when ResetMaxSigninSessionDuration is true."
                    .to_string()
            ))
        );
    }

    #[test]
    fn only_iam_users_change_their_password() {
        let root = Principal::Root {
            account: "123456789012".to_string(),
        };
        assert_eq!(password_changer(&root), Err(IamError::NotAnIamUser));
        assert_eq!(
            IamError::NotAnIamUser.to_string(),
            "Only IAM users can change their own password."
        );
        let federated = Principal::FederatedUser {
            account: "123456789012".to_string(),
            name: "bob".to_string(),
        };
        assert_eq!(password_changer(&federated), Err(IamError::NotAnIamUser));
    }

    #[test]
    fn violations_and_password_messages_follow_aws() {
        let e = IamError::from(Violation(
            "Password should not be a commonly used password".into(),
        ));
        assert_eq!(
            e,
            IamError::PasswordPolicyViolation(
                "Password should not be a commonly used password".to_string()
            )
        );
        assert_eq!(
            IamError::no_such(crate::error::EntityKind::LoginProfile, "bob").to_string(),
            "Login Profile for User bob cannot be found."
        );
        assert_eq!(
            IamError::exists(crate::error::EntityKind::LoginProfile, "bob").to_string(),
            "Login Profile for user bob already exists."
        );
        assert_eq!(
            IamError::no_such(crate::error::EntityKind::PasswordPolicy, "123456789012").to_string(),
            "The Password Policy with domain name 123456789012 cannot be found."
        );
        assert_eq!(
            IamError::no_such(crate::error::EntityKind::AccountPolicy, "PasswordPolicy")
                .to_string(),
            "The account policy with name PasswordPolicy cannot be found."
        );
        assert_eq!(
            IamError::WrongOldPassword.to_string(),
            "The old password entered is not correct."
        );
        assert_eq!(
            IamError::TooManyPasswordAttempts.to_string(),
            "Too many attempts with a wrong old password. Try again later."
        );
    }
}
