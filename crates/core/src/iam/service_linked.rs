//! Service-linked roles' rules, with AWS's words: which services have one and whether they take
//! a custom suffix, the role's name, path and trust policy, which roles are service-linked, and
//! the protection that keeps the ordinary role operations from changing them.

use crate::catalog::service_roles::{self, ServiceRole};
use crate::error::{IamError, IamResult};
use crate::iam::roles::SERVICE_LINKED_PATH;
use crate::model::Role;

/// The catalogue entry of `service` and the role name it gets (with `suffix`, where the
/// service allows one).
pub fn name_for(service: &str, suffix: Option<&str>) -> IamResult<(ServiceRole, String)> {
    let known = service_roles::for_service(service)
        .ok_or_else(|| IamError::InvalidInput(format!("Invalid service name: {service}")))?;
    let name = match suffix {
        None => known.name.clone(),
        Some(_) if !known.custom_suffix => {
            return Err(IamError::InvalidInput(format!(
                "Custom suffix is not allowed for {service}"
            )));
        }
        Some(suffix) => format!("{}_{suffix}", known.name),
    };
    Ok((known, name))
}

/// The path of `service`'s service-linked roles: `/aws-service-role/<service principal>/`.
pub fn path(service: &str) -> String {
    format!("{SERVICE_LINKED_PATH}{service}/")
}

/// The trust policy of a service-linked role: the service may assume it.
pub fn trust_policy(service: &str) -> String {
    format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":{{"Service":"{service}"}},"Action":"sts:AssumeRole"}}]}}"#
    )
}

/// The service principal of a service-linked role, `None` for other roles.
pub fn service_of(r: &Role) -> Option<&str> {
    r.path
        .strip_prefix(SERVICE_LINKED_PATH)?
        .strip_suffix('/')
        .filter(|s| !s.is_empty())
}

/// The service of a role DeleteServiceLinkedRole names; other roles are refused.
pub fn linked_service(r: &Role) -> IamResult<&str> {
    service_of(r).ok_or_else(|| IamError::NotServiceLinked(r.name.clone()))
}

/// Refuses to change a service-linked role: only AWS (here: the service-linked role operations)
/// may.
pub fn check_modifiable(r: &Role) -> IamResult<()> {
    if r.path.starts_with(SERVICE_LINKED_PATH) {
        return Err(IamError::UnmodifiableRole(r.name.clone()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(path: &str) -> Role {
        Role {
            account: "123456789012".into(),
            id: "AROA1".into(),
            name: "r".into(),
            path: path.into(),
            created: chrono::DateTime::default(),
            assume_role_policy: String::new(),
            description: None,
            max_session_duration: 3600,
            permissions_boundary: None,
            last_used: None,
        }
    }

    #[test]
    fn service_linked_roles_follow_awss_rules() {
        let e = |r: IamResult<(ServiceRole, String)>| r.err().map(|e| e.to_string());
        assert_eq!(
            e(name_for("example.com", None)).as_deref(),
            Some("Invalid service name: example.com")
        );
        let service = "elasticbeanstalk.amazonaws.com";
        assert_eq!(
            e(name_for(service, Some("x"))).as_deref(),
            Some("Custom suffix is not allowed for elasticbeanstalk.amazonaws.com")
        );
        assert_eq!(
            name_for("autoscaling.amazonaws.com", Some("fleet"))
                .map(|(_, n)| n)
                .ok()
                .as_deref(),
            Some("AWSServiceRoleForAutoScaling_fleet")
        );
        let Ok((known, name)) = name_for(service, None) else {
            panic!("a catalogued service")
        };
        assert_eq!(name, known.name);
        assert_eq!(
            path(service),
            "/aws-service-role/elasticbeanstalk.amazonaws.com/"
        );
        let linked = role(&path(service));
        assert_eq!(service_of(&linked), Some(service));
        assert_eq!(linked_service(&linked).ok(), Some(service));
        assert_eq!(
            check_modifiable(&linked)
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some(
                "Cannot perform the operation on the protected role 'r' - this role is only modifiable by AWS"
            )
        );
        let plain = role("/");
        assert!(check_modifiable(&plain).is_ok());
        assert_eq!(
            linked_service(&plain)
                .err()
                .map(|e| e.to_string())
                .as_deref(),
            Some("The role with name r is not a service-linked role.")
        );
        assert!(trust_policy(service).contains(r#""Service":"elasticbeanstalk.amazonaws.com""#));
    }
}
