//! The wire side of Portcullis: decoding AWS Query requests (`X.member.N` lists, `X.entry.N` maps),
//! the operation table generated from AWS's IAM and STS models (wire names, output shapes,
//! parameter constraints) with each operation's typed input (decoded once, read by the handler
//! and by authorization) and typed output (filled by the handler, written as AWS's XML), XML
//! success and error envelopes, and SigV4 signature verification.
//!
//! Everything here is pure: no I/O, no async, no storage. SigV4 takes the secret (or a derived
//! signing key) as an argument, so this crate never learns where keys live.

pub mod error;
pub mod input;
pub mod ops;
pub mod output;
pub mod query;
pub mod sigv4;
pub mod validate;
pub mod xml;

pub use error::{AwsError, ErrorKind};
pub use input::{Input, OpInput};
pub use ops::{OpInfo, Operation, Service};
pub use output::Reply;
pub use query::Params;
