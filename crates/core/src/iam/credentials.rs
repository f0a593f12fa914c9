//! Credentials a user or an account uploads, checked as IAM checks them: [`ssh`] public keys
//! (UploadSSHPublicKey) and [`x509`] certificates, chains and private keys (signing and server
//! certificates, SAML private keys). The stored forms are in [`crate::credentials`].

pub mod ssh;
pub mod x509;
