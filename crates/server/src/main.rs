//! `portcullis`: an AWS-compatible IAM and STS server.
//!
//! The binary wires the pure crates together: HTTP (axum) in front, the request pipeline
//! (authenticate, authorize, dispatch) in the middle, the SQLite store behind. Subcommands:
//! `init` creates a data directory, `serve` runs the durable server, `dev` runs an in-memory
//! server with a well-known account for testing, `account create` adds an account and
//! `sts rotate-keys` rotates the STS sealing keys.

mod app;
mod auth;
mod authz;
mod aws_managed;
mod bootstrap;
mod cli;
mod config;
mod handlers;
mod http;
mod keycache;
mod net;
mod oidc_token;
mod qr_png;
mod sealing;
mod service_roles;
mod ssh_keys;
mod x509;

fn main() -> std::process::ExitCode {
    cli::main()
}
