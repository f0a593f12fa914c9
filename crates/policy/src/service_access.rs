//! Which services a policy could grant access to, by permissions policy logic alone: an
//! `Allow` statement grants a service when its `Action` names at least one of the service's
//! actions, or when its `NotAction` does not exclude all of them. Conditions and resources are
//! not considered (the statement *could* apply), nor are `Deny` statements, as in AWS's service
//! last accessed reports and ListPoliciesGrantingServiceAccess.

use crate::matching::Pattern;
use crate::model::{Effect, Policy, Statement};

/// True when the action pattern matches at least one action of `namespace`.
fn covers_some(pattern: &str, namespace: &str) -> bool {
    match pattern.split_once(':') {
        Some((service, _)) => Pattern::glob(service, true).matches(namespace),
        // Only wildcards let a pattern without a colon match `service:Action`.
        None => Pattern::glob(pattern, true).matches(&format!("{namespace}:Action")),
    }
}

/// True when the action pattern matches every action of `namespace`.
fn covers_all(pattern: &str, namespace: &str) -> bool {
    match pattern.split_once(':') {
        Some((service, action)) => {
            Pattern::glob(service, true).matches(namespace)
                && !action.is_empty()
                && action.chars().all(|c| c == '*')
        }
        None => !pattern.is_empty() && pattern.chars().all(|c| c == '*'),
    }
}

impl Statement {
    /// True for an `Allow` statement that could allow some action of the service `namespace`.
    pub fn allows_some_action_of(&self, namespace: &str) -> bool {
        if self.effect != Effect::Allow {
            return false;
        }
        let values = &self.action.values;
        if self.action.negated {
            !values.iter().any(|p| covers_all(p, namespace))
        } else {
            values.iter().any(|p| covers_some(p, namespace))
        }
    }
}

impl Policy {
    /// True when some statement could allow an action of the service `namespace`.
    pub fn allows_some_action_of(&self, namespace: &str) -> bool {
        self.statements
            .iter()
            .any(|s| s.allows_some_action_of(namespace))
    }
}

#[cfg(test)]
mod tests {
    use crate::{Policy, PolicyKind};

    fn policy(statements: &str) -> Policy {
        Policy::parse(
            &format!(r#"{{"Version":"2012-10-17","Statement":[{statements}]}}"#),
            PolicyKind::Identity,
        )
        .unwrap()
    }

    #[test]
    fn actions_grant_their_services() {
        let p = policy(
            r#"{"Effect":"Allow","Action":["s3:Get*","IAM:ListUsers"],"Resource":"*"},
               {"Effect":"Deny","Action":"ec2:*","Resource":"*"}"#,
        );
        assert!(p.allows_some_action_of("s3"));
        assert!(p.allows_some_action_of("iam"));
        assert!(!p.allows_some_action_of("ec2"));
        assert!(!p.allows_some_action_of("sts"));
    }

    #[test]
    fn the_whole_action_wildcard_grants_every_service() {
        let all = policy(r#"{"Effect":"Allow","Action":"*","Resource":"*"}"#);
        assert!(all.allows_some_action_of("lambda"));
        assert!(all.allows_some_action_of("iam"));
        let one = policy(r#"{"Effect":"Allow","Action":"sts:*","Resource":"*"}"#);
        assert!(one.allows_some_action_of("sts"));
        assert!(!one.allows_some_action_of("s3"));
    }

    #[test]
    fn not_action_grants_what_it_does_not_fully_exclude() {
        let p =
            policy(r#"{"Effect":"Allow","NotAction":["iam:*","sts:AssumeRole"],"Resource":"*"}"#);
        assert!(!p.allows_some_action_of("iam"));
        assert!(p.allows_some_action_of("sts"));
        assert!(p.allows_some_action_of("s3"));
        let none = policy(r#"{"Effect":"Allow","NotAction":"*","Resource":"*"}"#);
        assert!(!none.allows_some_action_of("s3"));
    }
}
