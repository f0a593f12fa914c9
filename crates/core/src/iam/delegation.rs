//! Delegation requests and role templates: AWS-internal features (partner onboarding, service
//! role templates) that no account served here takes part in, so each operation's answer is
//! AWS's to an account that has none: NoSuchEntity for any delegation request or role template,
//! InvalidInput for creating a request (only enrolled partners may) and for a summary of
//! anything but a delegation request. The caller checks the ARN's syntax first.

use crate::error::{EntityKind, IamError, IamResult};
use std::convert::Infallible;

/// Accept/Associate/Reject/UpdateDelegationRequest, SendDelegationToken and
/// GetDelegationRequest of the request `id`.
pub fn request(id: &str) -> IamResult<Infallible> {
    Err(IamError::no_such(EntityKind::DelegationRequest, id))
}

/// CreateDelegationRequest.
pub fn create_request() -> IamResult<Infallible> {
    Err(IamError::NotPartnerAccount)
}

/// AcquireRole and GetRoleTemplateVersion of the template `arn`.
pub fn role_template(arn: &str) -> IamResult<Infallible> {
    Err(IamError::no_such(EntityKind::RoleTemplate, arn))
}

/// GetHumanReadableSummary of `arn`, whose resource part is `resource`.
pub fn human_readable_summary(arn: &str, resource: &str) -> IamResult<Infallible> {
    if resource.starts_with("delegation-request/") {
        Err(IamError::no_such(EntityKind::DelegationRequestArn, arn))
    } else {
        Err(IamError::SummaryNotAvailable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(r: IamResult<Infallible>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn the_account_has_none() {
        assert_eq!(
            message(request("d-1")),
            "The delegation request with id d-1 cannot be found."
        );
        assert_eq!(
            message(create_request()),
            "Delegation requests can be created only by partner accounts enrolled in delegated onboarding."
        );
        let t = "arn:aws:iam::aws:role-template/t";
        assert_eq!(
            message(role_template(t)),
            format!("The role template {t} cannot be found.")
        );
        let d = "arn:aws:iam::123456789012:delegation-request/d-1";
        assert_eq!(
            human_readable_summary(d, "delegation-request/d-1"),
            Err(IamError::no_such(EntityKind::DelegationRequestArn, d))
        );
        assert_eq!(
            message(human_readable_summary(d, "delegation-request/d-1")),
            format!("The delegation request {d} cannot be found.")
        );
        assert_eq!(
            human_readable_summary("arn:aws:iam::123456789012:role/r", "role/r"),
            Err(IamError::SummaryNotAvailable)
        );
        assert_eq!(
            IamError::SummaryNotAvailable.to_string(),
            "Human readable summaries are available only for delegation-request entities."
        );
        assert_eq!(
            IamError::InvalidArn("x".into()).to_string(),
            "ARN x is not valid."
        );
    }
}
