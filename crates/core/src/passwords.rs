//! Console passwords: login profiles, the account password policy (AWS's defaults and
//! full-replace semantics), checking a new password against it with AWS's messages, screening
//! of common passwords, and Argon2id hashing (PHC strings; never the password itself).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// The characters AWS counts as symbols.
pub const SYMBOLS: &str = "!@#$%^&*()_+-=[]{}|'";

/// How many previous password hashes are kept per user (the largest PasswordReusePrevention).
pub const HISTORY: usize = 24;

/// A user's console password record (the password itself is only ever kept as a hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoginProfile {
    pub account: String,
    pub user_id: String,
    pub created: DateTime<Utc>,
    /// When the password was last set (creation, UpdateLoginProfile or ChangePassword).
    pub password_changed: DateTime<Utc>,
    pub reset_required: bool,
    /// Seconds; `None` when unset.
    pub max_session_duration: Option<i64>,
}

impl LoginProfile {
    /// When the password expires under `policy` (credential report `password_next_rotation`).
    pub fn next_rotation(&self, policy: Option<&PasswordPolicy>) -> Option<DateTime<Utc>> {
        let days = policy?.max_age_days?;
        Some(self.password_changed + TimeDelta::days(i64::from(days)))
    }
}

/// What UpdateLoginProfile changes; `None` keeps a value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LoginProfileUpdate {
    /// A new password hash, set at `now` and added to the history.
    pub password_hash: Option<String>,
    pub reset_required: Option<bool>,
    /// `Some(None)` clears the maximum session duration.
    pub max_session_duration: Option<Option<i64>>,
    pub now: DateTime<Utc>,
}

/// The account password policy as UpdateAccountPasswordPolicy sets it: every member not sent
/// takes its default (a full replace).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasswordPolicy {
    pub minimum_length: u32,
    pub require_symbols: bool,
    pub require_numbers: bool,
    pub require_uppercase: bool,
    pub require_lowercase: bool,
    pub allow_users_to_change: bool,
    /// Days; `None` = never expire.
    pub max_age_days: Option<u32>,
    /// Previous passwords that cannot be reused; `None` = no check.
    pub reuse_prevention: Option<u32>,
    pub hard_expiry: Option<bool>,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        PasswordPolicy {
            minimum_length: 6,
            require_symbols: false,
            require_numbers: false,
            require_uppercase: false,
            require_lowercase: false,
            allow_users_to_change: false,
            max_age_days: None,
            reuse_prevention: None,
            hard_expiry: None,
        }
    }
}

impl PasswordPolicy {
    /// The stored form (a JSON object).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// GetAccountPasswordPolicy's derived `ExpirePasswords`.
    pub fn expire_passwords(&self) -> bool {
        self.max_age_days.is_some_and(|d| d > 0)
    }
}

/// The four character classes, in the order AWS names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    Upper,
    Lower,
    Number,
    Symbol,
}

impl Class {
    const ALL: [Class; 4] = [Class::Upper, Class::Lower, Class::Number, Class::Symbol];

    fn requirement(self) -> &'static str {
        match self {
            Class::Upper => "Password should have at least one uppercase letter",
            Class::Lower => "Password should have at least one lowercase letter",
            Class::Number => "Password should have at least one number",
            Class::Symbol => "Password should have at least one symbol",
        }
    }

    fn present(self, password: &str) -> bool {
        password.chars().any(|c| match self {
            Class::Upper => c.is_ascii_uppercase(),
            Class::Lower => c.is_ascii_lowercase(),
            Class::Number => c.is_ascii_digit(),
            Class::Symbol => SYMBOLS.contains(c),
        })
    }
}

/// AWS's policy for accounts without a custom one: 8 to 128 characters and three of the four
/// character classes.
const DEFAULT_MIN_LENGTH: usize = 8;
const DEFAULT_CLASSES: usize = 3;

/// A console sign-in attempt as the shared throttle counted it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SigninAttempt {
    /// Counted as a failure until it succeeds: the first key's consecutive failures, this
    /// attempt included.
    Counted(u32),
    /// Refused uncounted: a key owes a delay that ends at this time.
    WaitUntil(DateTime<Utc>),
}

/// Why a password is refused (the PasswordPolicyViolation message).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation(pub String);

/// What a new password is checked against beyond the policy.
#[derive(Clone, Copy, Debug)]
pub struct Screening<'a> {
    /// Refuse common passwords and the user's own name (stricter than AWS).
    pub enabled: bool,
    pub user_name: &'a str,
}

fn length_rule(min: usize) -> String {
    format!("Password should have a minimum length of {min}")
}

/// Checks a new password against the account policy (`None`: AWS's default policy), then the
/// screening rules. Reuse is checked separately against the stored hashes ([`reused`]).
pub fn check(
    password: &str,
    policy: Option<&PasswordPolicy>,
    screening: Screening<'_>,
) -> Result<(), Violation> {
    let length = password.chars().count();
    let mut failures: Vec<String> = Vec::new();
    match policy {
        None => {
            if length < DEFAULT_MIN_LENGTH {
                failures.push(length_rule(DEFAULT_MIN_LENGTH));
            }
            let missing: Vec<Class> = Class::ALL
                .into_iter()
                .filter(|c| !c.present(password))
                .collect();
            let have = Class::ALL.len() - missing.len();
            if have < DEFAULT_CLASSES {
                let list: Vec<&str> = missing.iter().map(|c| c.requirement()).collect();
                failures.push(format!(
                    "Password should meet {} more of the following requirements: {}",
                    DEFAULT_CLASSES - have,
                    list.join(", ")
                ));
            }
        }
        Some(p) => {
            if length < p.minimum_length as usize {
                failures.push(length_rule(p.minimum_length as usize));
            }
            let required = [
                (Class::Upper, p.require_uppercase),
                (Class::Lower, p.require_lowercase),
                (Class::Number, p.require_numbers),
                (Class::Symbol, p.require_symbols),
            ];
            for (class, on) in required {
                if on && !class.present(password) {
                    failures.push(class.requirement().to_string());
                }
            }
        }
    }
    if !failures.is_empty() {
        return Err(Violation(failures.join(", ")));
    }
    if screening.enabled {
        if password.eq_ignore_ascii_case(screening.user_name) {
            return Err(Violation(
                "Password should not be the same as the user name".into(),
            ));
        }
        if is_common(password) {
            return Err(Violation(
                "Password should not be a commonly used password".into(),
            ));
        }
    }
    Ok(())
}

/// The reuse message for a PasswordReusePrevention of `n`.
pub fn reuse_violation(n: u32) -> Violation {
    Violation(format!(
        "Password should not be one of the previous {n} passwords"
    ))
}

/// A common password: one of the passwords of zxcvbn's frequency list as a whole (also in
/// other case, reversed or with l33t substitutions), or one zxcvbn estimates to fall within a
/// million guesses.
pub fn is_common(password: &str) -> bool {
    let entropy = zxcvbn::zxcvbn(password, &[]);
    if matches!(entropy.score(), zxcvbn::Score::Zero | zxcvbn::Score::One) {
        return true;
    }
    match entropy.sequence() {
        [only] => matches!(
            &only.pattern,
            // The crate does not export its dictionary type; its default is the password list.
            zxcvbn::matching::patterns::MatchPattern::Dictionary(d)
                if d.dictionary_name == Default::default()
        ),
        _ => false,
    }
}

/// Hashing did not happen.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
    /// Too many hashes are running or waiting ([`crate::hash_gate`]): try again later.
    #[error("too many password hashes in progress")]
    Busy,
    /// The system random source failed: not the caller's fault.
    #[error("password hashing failed")]
    Failed,
}

impl From<crate::hash_gate::Busy> for HashError {
    fn from(_: crate::hash_gate::Busy) -> Self {
        HashError::Busy
    }
}

/// An Argon2id PHC string of `password` with a fresh random salt and the crate's recommended
/// parameters, computed on the bounded hashing pool.
pub fn hash(password: &str) -> Result<String, HashError> {
    let password = zeroize::Zeroizing::new(password.to_owned());
    crate::hash_gate::GATE.run(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|_| HashError::Failed)
    })?
}

/// Whether `password` matches a stored PHC string (constant-time comparison in the crate),
/// checked on the bounded hashing pool. A malformed stored hash matches nothing.
pub fn verify(password: &str, phc: &str) -> Result<bool, HashError> {
    if PasswordHash::new(phc).is_err() {
        return Ok(false);
    }
    let password = zeroize::Zeroizing::new(password.to_owned());
    let phc = phc.to_owned();
    Ok(crate::hash_gate::GATE.run(move || {
        PasswordHash::new(&phc).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })?)
}

/// Whether `password` is one of the `n` newest of `history` (newest first).
pub fn reused(password: &str, history: &[String], n: usize) -> Result<bool, HashError> {
    for h in history.iter().take(n) {
        if verify(password, h)? {
            return Ok(true);
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn off() -> Screening<'static> {
        Screening {
            enabled: false,
            user_name: "alice",
        }
    }

    fn on() -> Screening<'static> {
        Screening {
            enabled: true,
            user_name: "alice",
        }
    }

    fn msg(r: Result<(), Violation>) -> String {
        r.err().map(|v| v.0).unwrap_or_default()
    }

    #[test]
    fn default_policy_needs_eight_characters_and_three_classes() {
        assert!(check("abcDEF12", None, off()).is_ok());
        assert!(check("abcdef1!", None, off()).is_ok());
        assert_eq!(
            msg(check("abcdefgh1", None, off())),
            "Password should meet 1 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one symbol"
        );
        assert_eq!(
            msg(check("abcdefghij", None, off())),
            "Password should meet 2 more of the following requirements: Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
        );
        assert_eq!(
            msg(check("aB1!", None, off())),
            "Password should have a minimum length of 8"
        );
    }

    #[test]
    fn custom_policy_lists_each_unmet_rule() {
        let p = PasswordPolicy {
            minimum_length: 12,
            require_symbols: true,
            require_numbers: true,
            require_uppercase: true,
            require_lowercase: true,
            ..PasswordPolicy::default()
        };
        assert_eq!(
            msg(check("abcdefg", Some(&p), off())),
            "Password should have a minimum length of 12, Password should have at least one uppercase letter, Password should have at least one number, Password should have at least one symbol"
        );
        assert!(check("abcdefgHIJ1'", Some(&p), off()).is_ok());
        // A symbol outside AWS's set does not count.
        assert_eq!(
            msg(check("abcdefgHIJ1~", Some(&p), off())),
            "Password should have at least one symbol"
        );
        // The default custom policy: six characters, no classes.
        assert!(check("aaaaaa", Some(&PasswordPolicy::default()), off()).is_ok());
        assert!(check("aaaaa", Some(&PasswordPolicy::default()), off()).is_err());
    }

    #[test]
    fn screening_refuses_common_passwords_and_the_user_name() {
        assert!(check("Password1!", None, off()).is_ok());
        assert_eq!(
            msg(check("Password1!", None, on())),
            "Password should not be a commonly used password"
        );
        assert!(is_common("P@ssw0rd"));
        assert!(is_common("qwerty123"));
        assert!(!is_common("Vq7#pLz2!mWx"));
        let p = PasswordPolicy::default();
        let named = Screening {
            enabled: true,
            user_name: "Zephyrine-Quokka9",
        };
        assert_eq!(
            msg(check("zephyrine-quokka9", Some(&p), named)),
            "Password should not be the same as the user name"
        );
        assert!(check("Vq7#pLz2!mWx", None, on()).is_ok());
    }

    #[test]
    fn hashes_verify_and_never_contain_the_password() {
        let h = hash("Vq7#pLz2!mWx").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(!h.contains("Vq7#pLz2!mWx"));
        assert!(verify("Vq7#pLz2!mWx", &h).unwrap());
        assert!(!verify("Vq7#pLz2!mWy", &h).unwrap());
        assert!(!verify("x", "not a hash").unwrap());
        let other = hash("Other#Pass99").unwrap();
        let history = vec![other, h];
        assert!(reused("Vq7#pLz2!mWx", &history, 2).unwrap());
        assert!(!reused("Vq7#pLz2!mWx", &history, 1).unwrap());
    }

    #[test]
    fn policy_round_trips_and_derives_expiry() {
        let p = PasswordPolicy {
            max_age_days: Some(90),
            reuse_prevention: Some(3),
            ..PasswordPolicy::default()
        };
        assert_eq!(PasswordPolicy::from_json(&p.to_json()), Some(p.clone()));
        assert!(p.expire_passwords());
        assert!(!PasswordPolicy::default().expire_passwords());
        let t = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let lp = LoginProfile {
            account: "1".into(),
            user_id: "u".into(),
            created: t,
            password_changed: t,
            reset_required: false,
            max_session_duration: None,
        };
        assert_eq!(lp.next_rotation(Some(&p)), Some(t + TimeDelta::days(90)));
        assert_eq!(lp.next_rotation(None), None);
    }
}
