//! The policy simulator's request rules (SimulatePrincipalPolicy, SimulateCustomPolicy), checked
//! before the policy engine runs: a `CallerArn` names an IAM user, a `ResourcePolicy` needs a
//! `CallerArn` (custom simulations have no principal of their own), and every context entry
//! names its key. The refusals are AWS's InvalidInput; a policy the engine cannot read is
//! [`IamError::InvalidSimulationPolicy`] and an unknown `PolicySourceArn` is NoSuchEntity.

use crate::error::{IamError, IamResult};

/// The account of the IAM user `arn` names (`arn:PARTITION:iam::ACCOUNT:user/...`).
pub fn caller_account(arn: &str) -> IamResult<&str> {
    match crate::arn::iam_entity(arn) {
        Some((account, "user", _)) => Ok(account),
        _ => Err(IamError::InvalidCallerArn(arn.to_string())),
    }
}

/// SimulateCustomPolicy: a resource policy is evaluated for a named caller only.
pub fn check_custom(has_resource_policy: bool, has_caller_arn: bool) -> IamResult<()> {
    if has_resource_policy && !has_caller_arn {
        Err(IamError::CallerArnRequired)
    } else {
        Ok(())
    }
}

/// A context entry's key name, which must be given.
pub fn context_key(name: Option<&str>) -> IamResult<&str> {
    name.ok_or(IamError::ContextKeyNameMissing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::EntityKind;

    #[test]
    fn simulation_requests() {
        assert_eq!(
            caller_account("arn:aws:iam::123456789012:user/a/bob"),
            Ok("123456789012")
        );
        for bad in [
            "arn:aws:iam::123456789012:role/r",
            "arn:aws:sts::1:user/x",
            "bob",
        ] {
            assert_eq!(
                caller_account(bad).unwrap_err().to_string(),
                format!("Invalid CallerArn {bad}: it must be the ARN of an IAM user.")
            );
        }
        assert_eq!(check_custom(false, false), Ok(()));
        assert_eq!(check_custom(true, true), Ok(()));
        assert_eq!(
            check_custom(true, false).unwrap_err().to_string(),
            "CallerArn is required when a ResourcePolicy is given."
        );
        assert_eq!(context_key(Some("aws:SourceIp")), Ok("aws:SourceIp"));
        assert_eq!(
            context_key(None).unwrap_err().to_string(),
            "Context key name must be specified."
        );
        let refused = IamError::InvalidSimulationPolicy {
            id: "PolicyInputList.1".into(),
            reason: "Syntax errors in policy.".into(),
        };
        assert_eq!(
            refused.to_string(),
            "PolicyInputList.1 is not a valid policy: Syntax errors in policy."
        );
        assert_eq!(
            IamError::no_such(EntityKind::PolicySource, "arn:aws:iam::1:user/x").to_string(),
            "Unknown policy source arn:aws:iam::1:user/x."
        );
    }
}
