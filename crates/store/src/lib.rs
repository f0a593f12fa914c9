//! Storage engines for Portcullis. [`SqliteStore`] is the embedded default (WAL journal,
//! `synchronous=FULL`, migrations at open) and also serves `portcullis dev` in memory. A
//! PostgreSQL engine will be a second implementation of the same `portcullis_core::Store` trait,
//! checked by the same conformance suite (`conformance.rs`).
//!
//! Engines store what they are given: secrets arrive already sealed by the caller.

#[cfg(test)]
mod conformance;
#[cfg(test)]
mod conformance_credentials;
#[cfg(test)]
mod conformance_instance_profiles;
#[cfg(test)]
mod conformance_mfa;
#[cfg(test)]
mod conformance_passwords;
#[cfg(test)]
mod conformance_providers;
#[cfg(test)]
mod conformance_reports;
mod migrations;
mod sqlite;
mod sqlite_accounts;
mod sqlite_credentials;
mod sqlite_groups;
mod sqlite_instance_profiles;
mod sqlite_managed;
mod sqlite_mfa;
mod sqlite_oidc;
mod sqlite_page;
mod sqlite_passwords;
mod sqlite_policies;
mod sqlite_reports;
mod sqlite_roles;
mod sqlite_rows;
mod sqlite_saml;
mod sqlite_server_certs;
mod sqlite_service_roles;

pub use sqlite::{Durability, SqliteStore};
