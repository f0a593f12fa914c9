//! Portcullis's IAM policy engine: parses and validates identity-based,
//! resource-based and role trust policy documents exactly as AWS IAM does
//! (with AWS's `MalformedPolicyDocument` messages and size quotas), compiles
//! them once into a form that is cheap to share between threads, and decides
//! requests with AWS's evaluation logic (explicit deny, identity policies,
//! resource policies, permissions boundaries, session policies, same- and
//! cross-account rules, an SCP/RCP hook), returning the decision together
//! with the statements that decided it and the wording of AWS's AccessDenied
//! reason.
//!
//! This crate is pure: it must not do I/O, spawn threads, use async, read
//! clocks or environment variables, or know about storage. Callers supply
//! every fact (the request context, which policies apply, the current time as
//! `aws:CurrentTime`); nothing here ever fails open — an unknown operator is
//! rejected when a policy is parsed (AWS lets one through only with an empty
//! block, which tests nothing), and a missing key or unresolvable variable at
//! request time only ever makes a statement not match.
//!
//! Typical use:
//!
//! ```
//! use portcullis_policy::*;
//!
//! let text = r#"{"Version":"2012-10-17","Statement":{"Effect":"Allow",
//!     "Action":"iam:Get*","Resource":"arn:aws:iam::123456789012:user/${aws:username}"}}"#;
//! let policy = CompiledPolicy::parse(text, PolicyKind::Identity, "inline/self", PolicyType::Identity)?;
//! let identity = PolicySet::new([policy]);
//!
//! let caller = Caller::User {
//!     arn: "arn:aws:iam::123456789012:user/alice".into(),
//!     account: "123456789012".into(),
//!     unique_id: None,
//! };
//! let mut request = RequestContext::new(caller, "iam:GetUser", "arn:aws:iam::123456789012:user/alice");
//! request.set_principal_keys();
//! assert!(evaluate(&EvalInput::new(&request, &identity)).is_allowed());
//!
//! request.action = "iam:CreateUser".into();
//! let decision = evaluate(&EvalInput::new(&request, &identity));
//! assert_eq!(
//!     decision.reason_suffix(&request.action).as_deref(),
//!     Some("because no identity-based policy allows the iam:CreateUser action")
//! );
//! # Ok::<(), PolicyError>(())
//! ```

mod chars;
mod checks;
mod compile;
mod conditions;
mod context;
mod decision;
mod error;
mod evaluate;
mod glob;
mod matching;
mod model;
mod operators;
mod parse;
mod principal;
mod serialize;
mod service_access;
mod shaped;
mod size;
mod values;
mod variables;

pub use compile::{CompiledPolicy, PolicySet};
pub use context::{Caller, RequestContext, SharedKeys};
pub use decision::{Decision, Outcome, PolicyType, StatementRef, access_denied_message};
pub use error::{ErrorCode, PolicyError};
pub use evaluate::{EvalInput, evaluate};
pub use matching::Arn;
pub use model::{
    Clause, Condition, Effect, Policy, PolicyKind, PrincipalClause, PrincipalType, Principals,
    Statement, Version,
};
pub use operators::{ConditionOperator, Family, Operator, SetQualifier};
pub use parse::ParseOptions;
pub use principal::PrincipalMatch;
pub use size::{
    GROUP_INLINE_MAX, MANAGED_POLICY_MAX, REQUEST_PARAMETER_MAX, ROLE_INLINE_MAX,
    SESSION_POLICY_MAX, SizeQuota, TRUST_POLICY_DEFAULT_MAX, USER_INLINE_MAX,
    has_allowed_characters, policy_size,
};
pub use values::Cidr;

/// Test-only access to internals for the crate's property tests.
#[doc(hidden)]
pub mod __private {
    /// The wildcard matcher used for actions (`fold_case`) and resources.
    pub fn wildcard_match(pattern: &str, text: &str, fold_case: bool) -> bool {
        crate::matching::Pattern::glob(pattern, fold_case).matches(text)
    }

    /// The same match through the path taken by patterns built per request
    /// (values with policy variables): the pattern compiled into reused
    /// per-thread buffers, without the fast paths for simple shapes.
    pub fn wildcard_match_per_request(pattern: &str, text: &str, fold_case: bool) -> bool {
        let tokens = crate::matching::Pattern::glob(pattern, fold_case).tokens();
        crate::matching::wild_match(&tokens, text, fold_case)
    }
}
