//! STS's domain rules. So far: [`web_identity`], the checks of the OIDC tokens that
//! AssumeRoleWithWebIdentity takes. Sealed sessions are in [`crate::session`].

pub mod web_identity;
