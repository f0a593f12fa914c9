//! What temporary credentials may not call, whatever their policies say, as AWS restricts them:
//! decided from the route's [`Sessions`] fact and the operation's service, never from its name.
//! GetSessionToken credentials reach IAM only with MFA and STS only where the route allows
//! them (AssumeRole); a federated user calls no IAM operation and, of STS, only what every
//! session may (GetCallerIdentity); no session may get another session token.

use super::Sessions;
use crate::auth::Caller;
use crate::failure::sts_error;
use portcullis_core::StsError;
use portcullis_core::session::SessionPrincipal;
use portcullis_proto::ops::Service;
use portcullis_proto::{AwsError, Operation};

/// Temporary credentials as the restrictions tell them apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionKind {
    /// An assumed role's session.
    Role,
    /// A federated user (GetFederationToken).
    Federated,
    /// GetSessionToken's session of a user or root, and whether it was made with MFA.
    Token { mfa: bool },
}

/// How a session is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// InvalidClientTokenId: IAM does not know such credentials.
    InvalidToken,
    /// AccessDenied: "Cannot call ... with session credentials".
    Denied,
}

/// The refusal of an operation with `sessions` of `service` to a session of `kind`, if any.
pub fn refusal(sessions: Sessions, service: Service, kind: SessionKind) -> Option<Refusal> {
    match (sessions, kind) {
        (Sessions::AnySession, _) => None,
        (Sessions::LongTermOnly, _) => Some(Refusal::Denied),
        (_, SessionKind::Role) => None,
        (Sessions::NotFederated, SessionKind::Token { .. }) => None,
        (Sessions::NotFederated, SessionKind::Federated) => Some(Refusal::Denied),
        (Sessions::ByService, kind) => match service {
            Service::Iam => match kind {
                SessionKind::Token { mfa: true } => None,
                _ => Some(Refusal::InvalidToken),
            },
            Service::Sts => Some(Refusal::Denied),
        },
    }
}

/// The kind of a session principal.
pub fn kind(principal: &SessionPrincipal, mfa: bool) -> SessionKind {
    match principal {
        SessionPrincipal::Role { .. } => SessionKind::Role,
        SessionPrincipal::Federated { .. } => SessionKind::Federated,
        SessionPrincipal::User { .. } | SessionPrincipal::Root => SessionKind::Token { mfa },
    }
}

/// Refuses `op` (whose route says `sessions`) to `caller`'s temporary credentials if they may
/// not call it; long-term credentials pass.
pub fn check(op: Operation, sessions: Sessions, caller: &Caller) -> Result<(), AwsError> {
    let Some(session) = &caller.session else {
        return Ok(());
    };
    let kind = kind(&session.principal, session.mfa_at.is_some());
    match refusal(sessions, op.info().service, kind) {
        None => Ok(()),
        Some(Refusal::InvalidToken) => Err(AwsError::invalid_client_token_id()),
        Some(Refusal::Denied) => Err(sts_error(StsError::SessionCredentials {
            operation: op.name().to_string(),
        })),
    }
}
