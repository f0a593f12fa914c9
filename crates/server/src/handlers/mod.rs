//! Operation handlers, one file per area, each reading its operation's typed input, calling core
//! and writing the result's XML; [`routes`] is the table of them (with each operation's
//! authorization rule), exhaustive so a new operation without a row does not compile.

pub mod access_advisor;
pub mod access_keys;
pub mod access_sources;
pub mod account;
pub mod account_settings;
pub mod authorization_details;
#[cfg(test)]
mod coverage;
pub mod credential_report;
pub mod delegation;
pub mod groups;
pub mod inline_policies;
pub mod instance_profiles;
pub mod lookup;
pub mod managed_policies;
pub mod mfa_devices;
pub mod not_implemented;
pub mod oidc_propagation;
pub mod oidc_providers;
pub mod organizations;
pub mod owner;
pub mod pager;
pub mod passwords;
pub mod propagation;
pub mod providers;
pub mod report_jobs;
pub mod roles;
pub mod routes;
pub mod saml_providers;
pub mod server_certificates;
pub mod service_credentials;
pub mod service_linked_roles;
pub mod shapes;
pub mod signing_certificates;
pub mod simulate;
pub mod ssh_public_keys;
pub mod sts;
pub mod sts_unavailable;
pub mod tagging;
pub mod users;
pub mod web_identity;

use crate::app::App;
use crate::auth::Caller;
use chrono::{DateTime, Utc};
use portcullis_proto::{AwsError, Input, OpInput, Operation};
use std::sync::Arc;

/// The inner XML of the `{Op}Result` element.
pub type HandlerResult = Result<String, AwsError>;

/// One operation's handler.
pub type Handler = fn(&Ctx) -> HandlerResult;

/// Everything a handler may use.
#[derive(Debug)]
pub struct Ctx {
    pub app: Arc<App>,
    /// The operation being served.
    pub op: Operation,
    pub caller: Option<Caller>,
    /// The parameters decoded once into the operation's typed input (what authorization read).
    pub input: Input,
    /// AssumeRoleWithWebIdentity's token and role, as authorization verified them.
    pub web_identity: Option<crate::authz::WebIdentityGrant>,
    /// AssumeRole's role, as authorization found it (its trust policy allowed the caller).
    pub assumed_role: Option<Arc<crate::authz::RoleEntry>>,
    pub now: DateTime<Utc>,
    /// The request's audit record, to commit with the change (see [`write`]).
    pub audit: Option<std::sync::Arc<crate::audit::Outboxed>>,
}

impl Ctx {
    /// The operation's typed input (`ctx.input::<CreateUserInput>()`).
    pub fn input<T: OpInput>(&self) -> Result<&T, AwsError> {
        self.input.get()
    }

    pub fn caller(&self) -> Result<&Caller, AwsError> {
        self.caller
            .as_ref()
            .ok_or_else(AwsError::missing_authentication_token)
    }

    /// The caller's account.
    pub fn account(&self) -> Result<&str, AwsError> {
        Ok(self.caller()?.principal.account())
    }
}

/// A user-scoped operation called without `UserName` by a role session or federated user.
pub fn user_name_required() -> AwsError {
    iam_error(portcullis_core::IamError::UserNameRequired)
}

pub use crate::failure::{iam_error, store_failure, sts_error};

/// Runs a core service in one write transaction of the store; its refusals become AWS errors.
pub fn write<T>(
    ctx: &Ctx,
    f: impl FnMut(&dyn portcullis_core::store::Tx) -> portcullis_core::IamResult<T>,
) -> Result<T, AwsError> {
    write_iam(ctx, f).map_err(iam_error)
}

/// [`write`] with core's error, for handlers that word some errors themselves. The request's
/// audit record (when the trail keeps one in the store) commits in the same transaction.
pub fn write_iam<T>(
    ctx: &Ctx,
    mut f: impl FnMut(&dyn portcullis_core::store::Tx) -> portcullis_core::IamResult<T>,
) -> portcullis_core::IamResult<T> {
    portcullis_core::store::write(&*ctx.app.store, |tx| {
        let out = f(tx)?;
        if let Some(record) = &ctx.audit {
            record.put(tx)?;
        }
        Ok(out)
    })
}

/// A policy document the policy engine refused, as AWS reports it (the policy crate names the
/// code; its HTTP status is the models').
pub fn policy_error(e: &portcullis_policy::PolicyError) -> AwsError {
    use portcullis_core::ErrorCode as C;
    use portcullis_policy::ErrorCode as P;
    let code = match e.code() {
        P::LimitExceeded => C::LimitExceeded,
        P::MalformedPolicyDocument => C::MalformedPolicyDocument,
        P::PackedPolicyTooLarge => C::PackedPolicyTooLarge,
        P::ValidationError => C::ValidationError,
    };
    AwsError::coded(code, e.message())
}

/// Runs `op`'s handler (see [`routes`]).
pub fn dispatch(op: Operation, ctx: &Ctx) -> HandlerResult {
    (routes::route(op).handler)(ctx)
}
