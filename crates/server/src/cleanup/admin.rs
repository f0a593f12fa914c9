//! What both cleanup targets decide with the policy engine from policy documents: whether a
//! user can administer the account, and which services its policies could allow.

use portcullis_core::catalog::services;
use portcullis_policy::{
    Caller, CompiledPolicy, EvalInput, Policy, PolicyKind, PolicySet, PolicyType, RequestContext,
    evaluate,
};

/// A user that may attach or write a policy on itself can give itself any permission: it can
/// administer the account.
const ADMIN_ACTIONS: [&str; 2] = ["iam:AttachUserPolicy", "iam:PutUserPolicy"];

/// True when the user's policies (within its boundary) allow it to grant itself anything.
pub fn is_admin(
    account: &str,
    arn: &str,
    user_id: &str,
    identity: &PolicySet,
    boundary: Option<&PolicySet>,
) -> bool {
    let caller = std::sync::Arc::new(Caller::User {
        arn: arn.to_string(),
        account: account.to_string(),
        unique_id: Some(user_id.to_string()),
    });
    ADMIN_ACTIONS.iter().any(|action| {
        let mut request = RequestContext::new(caller.clone(), *action, arn);
        request.set_principal_keys();
        let mut input = EvalInput::new(&request, identity);
        input.permissions_boundary = boundary;
        evaluate(&input).is_allowed()
    })
}

/// Compiles identity policy documents (`(id, document)`); a document that does not parse is
/// skipped and named in the error list, so the caller can say so.
pub fn compile(docs: &[(String, String)], policy_type: PolicyType) -> (PolicySet, Vec<String>) {
    let mut bad = Vec::new();
    let compiled: Vec<CompiledPolicy> = docs
        .iter()
        .filter_map(|(id, doc)| {
            CompiledPolicy::parse(doc, PolicyKind::Identity, id.as_str(), policy_type)
                .map_err(|_| bad.push(id.clone()))
                .ok()
        })
        .collect();
    (PolicySet::new(compiled), bad)
}

/// The services of the catalogue that some of the documents could allow, by namespace.
pub fn granted_services(docs: &[String]) -> Vec<&'static str> {
    let parsed: Vec<Policy> = docs
        .iter()
        .filter_map(|d| Policy::parse(d, PolicyKind::Identity).ok())
        .collect();
    services::all()
        .iter()
        .map(|s| s.namespace.as_str())
        .filter(|ns| parsed.iter().any(|p| p.allows_some_action_of(ns)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACCT: &str = "123456789012";
    const ARN: &str = "arn:aws:iam::123456789012:user/a";

    fn set(doc: &str) -> PolicySet {
        compile(&[("p".into(), doc.into())], PolicyType::Identity).0
    }

    #[test]
    fn admin_is_who_can_grant_itself_anything() {
        let admin = set(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#,
        );
        let reader = set(
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:Get*","Resource":"*"}]}"#,
        );
        assert!(is_admin(ACCT, ARN, "AIDA1", &admin, None));
        assert!(!is_admin(ACCT, ARN, "AIDA1", &reader, None));
        // A boundary that allows no IAM writes takes it away.
        assert!(!is_admin(ACCT, ARN, "AIDA1", &admin, Some(&reader)));
    }

    #[test]
    fn services_come_from_allow_statements() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","iam:List*"],"Resource":"*"}]}"#;
        assert_eq!(granted_services(&[doc.into()]), ["iam", "s3"]);
    }
}
