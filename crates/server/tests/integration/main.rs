//! Integration tests: each test spawns the real `portcullis` binary on a free loopback port and
//! drives it with the official AWS SDK for Rust (and, for malformed input, raw HTTP).
#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test code: a failed expectation should panic"
)]

mod access_advisor;
mod access_keys;
mod account;
mod account_settings;
mod agreement;
mod assume_role;
mod audit;
mod authorization_details;
mod authz;
mod bypass;
mod catalog;
mod certificates;
mod cis_audit;
mod cleanup;
mod common;
mod console_browser;
mod console_client;
mod console_refusals;
mod console_signin;
mod credential_report;
mod delegation;
mod errors;
mod explain;
mod fidelity;
mod groups;
mod inline_policies;
mod instance_profiles;
mod jwks_fetch;
mod lifecycle;
mod managed_policies;
mod metrics;
mod mfa;
mod mfa_listing;
mod mfa_sts;
mod oidc_propagation;
mod oidc_providers;
mod organizations;
mod password_policy;
mod passwords;
mod raw;
mod roles;
mod saml_encryption;
mod saml_providers;
mod service_credentials;
mod service_linked_roles;
mod sessions;
mod several_nodes;
mod several_nodes_cli;
mod several_nodes_failures;
mod several_nodes_shared;
mod simulate;
mod ssh_public_keys;
mod sts;
mod sts_unavailable;
mod sweep;
mod transport;
mod users;
mod web_identity;
