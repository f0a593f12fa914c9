//! IAM's domain rules, one module per area (the same area names as the store contract and the
//! server's handlers). Each area's services take typed inputs and a `&dyn Tx` (the store's
//! write transaction, see [`crate::store::write`]), check what AWS checks (names taken, quotas,
//! dependents) and write through the `Tx`, returning typed outputs or [`crate::IamError`].
//! Areas: [`users`], [`groups`], [`roles`], [`policies`] (managed policies, versions,
//! attachments), permissions [`boundaries`] and the policy [`documents`] they store,
//! [`access_keys`], [`mfa`] devices,
//! [`instance_profiles`], [`tags`], [`server_certs`], [`account`] aliases, console
//! [`passwords`] and the account's [`password_policy`], the [`credential_report`], trusted
//! identity [`propagation`], identity [`providers`] (and the checks of their
//! [`provider_inputs`]), and [`credentials`], which also
//! holds the parsers and checks behind the credentials a user uploads (SSH public keys, X.509
//! certificates and private keys). Request rules checked before any write: [`paging`] markers,
//! the [`simulation`] requests, the [`authorization_details`] filter, and [`delegation`]
//! requests and role templates (none here). The Query API's handlers and the console call the
//! same functions.

pub mod access_keys;
pub mod account;
pub mod account_properties;
pub mod authorization_details;
pub mod boundaries;
pub mod credential_report;
pub mod credentials;
pub mod delegation;
pub mod documents;
pub mod groups;
pub mod instance_profiles;
pub mod mfa;
pub mod mfa_codes;
pub mod paging;
pub mod password_policy;
pub mod passwords;
pub mod policies;
pub mod propagation;
pub mod provider_inputs;
pub mod providers;
pub mod report_jobs;
pub mod roles;
pub mod server_certs;
pub mod service_linked;
pub mod simulation;
pub mod tags;
pub mod users;
