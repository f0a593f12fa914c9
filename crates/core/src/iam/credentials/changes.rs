//! Changing and deleting uploaded credentials as domain services, inside one write transaction:
//! UpdateSSHPublicKey and DeleteSSHPublicKey, UpdateSigningCertificate and
//! DeleteSigningCertificate, ResetServiceSpecificCredential, UpdateServiceSpecificCredential and
//! DeleteServiceSpecificCredential. The one rule: the credential must be its owner's (a user's,
//! or for signing certificates the root user's when `user_id` is `None`), else NoSuchEntity in
//! AWS's words for its kind.

use crate::credentials::ServiceCredential;
use crate::error::{EntityKind, IamError, IamResult};
use crate::model::KeyStatus;
use crate::store::Tx;

/// UpdateSSHPublicKey.
pub fn set_ssh_key_status(
    tx: &dyn Tx,
    account: &str,
    user_id: &str,
    id: &str,
    status: KeyStatus,
) -> IamResult<()> {
    tx.update_ssh_key_status(account, user_id, id, status)
        .map_err(IamError::on_missing(EntityKind::SshPublicKey, id))
}

/// DeleteSSHPublicKey.
pub fn delete_ssh_key(tx: &dyn Tx, account: &str, user_id: &str, id: &str) -> IamResult<()> {
    tx.delete_ssh_key(account, user_id, id)
        .map_err(IamError::on_missing(EntityKind::SshPublicKey, id))
}

/// UpdateSigningCertificate.
pub fn set_signing_cert_status(
    tx: &dyn Tx,
    account: &str,
    user_id: Option<&str>,
    id: &str,
    status: KeyStatus,
) -> IamResult<()> {
    tx.update_signing_cert_status(account, user_id, id, status)
        .map_err(IamError::on_missing(EntityKind::SigningCertificate, id))
}

/// DeleteSigningCertificate.
pub fn delete_signing_cert(
    tx: &dyn Tx,
    account: &str,
    user_id: Option<&str>,
    id: &str,
) -> IamResult<()> {
    tx.delete_signing_cert(account, user_id, id)
        .map_err(IamError::on_missing(EntityKind::SigningCertificate, id))
}

/// ResetServiceSpecificCredential: the new password arrives sealed; returns the credential as
/// it now is.
pub fn reset_service_credential(
    tx: &dyn Tx,
    account: &str,
    user_id: &str,
    id: &str,
    sealed_password: &[u8],
) -> IamResult<ServiceCredential> {
    tx.reset_service_credential(account, user_id, id, sealed_password)
        .map_err(IamError::on_missing(
            EntityKind::ServiceSpecificCredential,
            id,
        ))
}

/// UpdateServiceSpecificCredential.
pub fn set_service_credential_status(
    tx: &dyn Tx,
    account: &str,
    user_id: &str,
    id: &str,
    status: KeyStatus,
) -> IamResult<()> {
    tx.update_service_credential_status(account, user_id, id, status)
        .map_err(IamError::on_missing(
            EntityKind::ServiceSpecificCredential,
            id,
        ))
}

/// DeleteServiceSpecificCredential.
pub fn delete_service_credential(
    tx: &dyn Tx,
    account: &str,
    user_id: &str,
    id: &str,
) -> IamResult<()> {
    tx.delete_service_credential(account, user_id, id)
        .map_err(IamError::on_missing(
            EntityKind::ServiceSpecificCredential,
            id,
        ))
}
