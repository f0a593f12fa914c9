//! STS's domain rules, as plain functions refusing with [`StsError`] (AWS's words): how long
//! sessions last ([`duration`]), the packed size of session policies and tags ([`packed`]),
//! what a role session takes from the session assuming it ([`chaining`]: transitive tags,
//! source identity), the role ARN a request names ([`role_arn`]), and the checks of the OIDC
//! tokens AssumeRoleWithWebIdentity takes ([`web_identity`]). Sealed sessions are in
//! [`crate::session`].

pub mod chaining;
pub mod duration;
mod error;
pub mod packed;
pub mod role_arn;
pub mod web_identity;

pub use error::StsError;
