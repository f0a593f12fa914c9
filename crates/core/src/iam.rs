//! IAM's domain rules, one module per area (the same area names as the store contract and the
//! server's handlers). So far: [`credentials`], the parsers and checks behind the credentials a
//! user uploads (SSH public keys, X.509 certificates and private keys).

pub mod credentials;
