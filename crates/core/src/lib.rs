//! The Portcullis domain: accounts and principals, ARNs and unique ids, tag rules, secrets and
//! their encryption at rest, passwords, TOTP ([`mfa`]), the checks of uploaded credentials
//! ([`iam::credentials`]) and of web identity tokens ([`sts::web_identity`]), AWS's fixed tables
//! ([`catalog`]), the clock, and the [`Store`] trait every storage engine implements. The IAM
//! rules are domain services in [`iam`] that run inside the store's write transaction
//! ([`store::write`] over a [`store::Tx`]); their refusals are [`IamError`] (AWS's wording, in
//! [`error`]) and their limits are in [`quotas`].
//!
//! This crate does no I/O of its own and knows nothing of HTTP, the AWS wire or SQL (`.ci/purity`
//! checks it): errors are its own enums, which the server maps to AWS's codes. Storage engines
//! live in `portcullis-store`, the wire in `portcullis-proto`, the server in `portcullis`.

pub mod arn;
pub mod catalog;
pub mod clock;
pub mod credential_report;
pub mod credentials;
pub mod crypto;
pub mod error;
pub mod findings;
pub mod hash_gate;
pub mod iam;
pub mod ids;
pub mod mfa;
pub mod model;
pub mod passwords;
pub mod principal;
pub mod quotas;
pub mod reports;
pub mod saml_metadata;
pub mod secret;
pub mod session;
pub mod store;
pub mod sts;
pub mod tags;

pub use clock::{Clock, SystemClock};
pub use error::{ErrorCode, IamError, IamResult};
pub use model::{
    AccessKey, Account, Group, InstanceProfile, KeyStatus, ManagedPolicy, OidcProvider, OwnerKind,
    PolicyVersion, Role, RoleUpdate, SamlPrivateKey, SamlProvider, SamlSettings, Tag, User,
};
pub use principal::{Principal, RoleSession};
pub use secret::Secret;
pub use store::{Page, Store, StoreError, StoreResult};
pub use sts::StsError;
