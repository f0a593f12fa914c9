//! The account password policy as UpdateAccountPasswordPolicy builds it, from typed values:
//! every member not sent takes its default (a full replace, as AWS does), and the three numbers
//! stay within AWS's ranges (minimum length 6 to 128, maximum age 1 to 1,095 days, reuse
//! prevention 1 to 24 passwords), refused together in AWS's words
//! (`N validation errors detected: ...`). The API and the console build the policy here.

use crate::error::{IamError, IamResult};
use crate::passwords::PasswordPolicy;

/// UpdateAccountPasswordPolicy's members as sent (`None`: not sent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PolicyRequest {
    pub minimum_length: Option<i64>,
    pub require_symbols: Option<bool>,
    pub require_numbers: Option<bool>,
    pub require_uppercase: Option<bool>,
    pub require_lowercase: Option<bool>,
    pub allow_users_to_change: Option<bool>,
    pub max_age_days: Option<i64>,
    pub reuse_prevention: Option<i64>,
    pub hard_expiry: Option<bool>,
}

/// A number member's range: its wire name (as AWS's messages spell it) and its bounds.
struct Range {
    wire: &'static str,
    min: i64,
    max: i64,
}

const MINIMUM_LENGTH: Range = Range {
    wire: "minimumPasswordLength",
    min: 6,
    max: 128,
};
const MAX_AGE: Range = Range {
    wire: "maxPasswordAge",
    min: 1,
    max: 1095,
};
const REUSE_PREVENTION: Range = Range {
    wire: "passwordReusePrevention",
    min: 1,
    max: 24,
};

impl Range {
    /// `value` as the policy keeps it; out of range, the constraint it fails joins `errors`.
    fn take(&self, value: Option<i64>, errors: &mut Vec<String>) -> Option<u32> {
        let v = value?;
        let broken = if v < self.min {
            Some(format!("greater than or equal to {}", self.min))
        } else if v > self.max {
            Some(format!("less than or equal to {}", self.max))
        } else {
            None
        };
        if let Some(bound) = broken {
            errors.push(format!(
                "Value '{v}' at '{}' failed to satisfy constraint: Member must have value {bound}",
                self.wire
            ));
        }
        u32::try_from(v).ok()
    }
}

/// The policy `request` sets, or AWS's ValidationError naming every number out of range (in
/// the model's order).
pub fn password_policy(request: &PolicyRequest) -> IamResult<PasswordPolicy> {
    let mut errors = Vec::new();
    let minimum_length = MINIMUM_LENGTH.take(request.minimum_length, &mut errors);
    let max_age_days = MAX_AGE.take(request.max_age_days, &mut errors);
    let reuse_prevention = REUSE_PREVENTION.take(request.reuse_prevention, &mut errors);
    if !errors.is_empty() {
        let n = errors.len();
        let noun = if n == 1 { "error" } else { "errors" };
        return Err(IamError::Validation(format!(
            "{n} validation {noun} detected: {}",
            errors.join("; ")
        )));
    }
    let flag = |b: Option<bool>| b.unwrap_or(false);
    Ok(PasswordPolicy {
        minimum_length: minimum_length.unwrap_or(PasswordPolicy::default().minimum_length),
        require_symbols: flag(request.require_symbols),
        require_numbers: flag(request.require_numbers),
        require_uppercase: flag(request.require_uppercase),
        require_lowercase: flag(request.require_lowercase),
        allow_users_to_change: flag(request.allow_users_to_change),
        max_age_days,
        reuse_prevention,
        hard_expiry: request.hard_expiry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_not_sent_take_their_defaults() {
        assert_eq!(
            password_policy(&PolicyRequest::default()),
            Ok(PasswordPolicy::default())
        );
        assert_eq!(PasswordPolicy::default().minimum_length, 6);
        let sent = PolicyRequest {
            minimum_length: Some(14),
            require_symbols: Some(true),
            require_numbers: Some(false),
            require_uppercase: Some(true),
            require_lowercase: None,
            allow_users_to_change: Some(true),
            max_age_days: Some(90),
            reuse_prevention: Some(24),
            hard_expiry: Some(false),
        };
        assert_eq!(
            password_policy(&sent),
            Ok(PasswordPolicy {
                minimum_length: 14,
                require_symbols: true,
                require_numbers: false,
                require_uppercase: true,
                require_lowercase: false,
                allow_users_to_change: true,
                max_age_days: Some(90),
                reuse_prevention: Some(24),
                hard_expiry: Some(false),
            })
        );
    }

    #[test]
    fn the_bounds_themselves_are_accepted() {
        for (min, age, reuse) in [(6, 1, 1), (128, 1095, 24)] {
            let p = password_policy(&PolicyRequest {
                minimum_length: Some(min),
                max_age_days: Some(age),
                reuse_prevention: Some(reuse),
                ..PolicyRequest::default()
            })
            .unwrap();
            assert_eq!(
                (p.minimum_length, p.max_age_days, p.reuse_prevention),
                (min as u32, Some(age as u32), Some(reuse as u32))
            );
        }
    }

    #[test]
    fn numbers_out_of_range_are_refused_together_in_aws_words() {
        let refused = |r: PolicyRequest| password_policy(&r).unwrap_err();
        assert_eq!(
            refused(PolicyRequest {
                minimum_length: Some(5),
                ..PolicyRequest::default()
            }),
            IamError::Validation(
                "1 validation error detected: Value '5' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value greater than or equal to 6"
                    .to_string()
            )
        );
        assert_eq!(
            refused(PolicyRequest {
                minimum_length: Some(129),
                max_age_days: Some(0),
                reuse_prevention: Some(25),
                ..PolicyRequest::default()
            }),
            IamError::Validation(
                "3 validation errors detected: Value '129' at 'minimumPasswordLength' failed to satisfy constraint: Member must have value less than or equal to 128; Value '0' at 'maxPasswordAge' failed to satisfy constraint: Member must have value greater than or equal to 1; Value '25' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value less than or equal to 24"
                    .to_string()
            )
        );
        assert_eq!(
            refused(PolicyRequest {
                max_age_days: Some(1096),
                reuse_prevention: Some(-1),
                ..PolicyRequest::default()
            }),
            IamError::Validation(
                "2 validation errors detected: Value '1096' at 'maxPasswordAge' failed to satisfy constraint: Member must have value less than or equal to 1095; Value '-1' at 'passwordReusePrevention' failed to satisfy constraint: Member must have value greater than or equal to 1"
                    .to_string()
            )
        );
    }
}
