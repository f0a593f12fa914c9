//! `portcullis`: an AWS-compatible IAM and STS server.
//!
//! This crate wires the pure crates together: HTTP (axum) in front, the request pipeline
//! (authenticate, authorize, dispatch) in the middle, the SQLite store behind. Subcommands:
//! `init` creates a data directory, `serve` runs the durable server, `dev` runs an in-memory
//! server with a well-known account for testing, `account create` adds an account and
//! `sts rotate-keys` rotates the STS sealing keys.

pub mod app;
pub mod attempts;
pub mod audit;
pub mod auth;
pub mod authz;
pub mod bootstrap;
pub mod cache;
pub mod cis;
pub mod cleanup;
pub mod cli;
pub mod cloudtrail;
pub mod coherence;
pub mod config;
pub mod console;
pub mod database;
pub mod failure;
pub mod handlers;
pub mod http;
pub mod jwks;
pub mod keycache;
pub mod listener;
pub mod metrics;
pub mod net;
pub mod request;
pub mod sealing;
pub mod tls;
pub mod usage;
