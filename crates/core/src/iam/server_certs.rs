//! Server certificates: UploadServerCertificate, UpdateServerCertificate and
//! DeleteServerCertificate as domain services, inside one write transaction: a free name
//! (ignoring case) and `ServerCertificatesPerAccount` for an upload, the certificate found and a
//! new name free for an update, the certificate found for a deletion (which takes its tags). The certificate,
//! chain and key checks are `crate::iam::credentials::x509`'s, run by the caller first.

use crate::credentials::ServerCertificate;
use crate::error::{EntityKind, IamError, IamResult};
use crate::model::Tag;
use crate::quotas::{self, MAX_SERVER_CERTIFICATES, Quota};
use crate::store::{Rename, Tx};

/// UploadServerCertificate: `cert` as the caller built it (private key sealed).
pub fn create(tx: &dyn Tx, cert: &ServerCertificate, tags: &[Tag]) -> IamResult<()> {
    if tx.server_cert(&cert.account, &cert.name)?.is_some() {
        return Err(IamError::exists(EntityKind::ServerCertificate, &cert.name));
    }
    quotas::check(
        Quota::ServerCertificatesPerAccount,
        tx.count_server_certs(&cert.account)?,
        MAX_SERVER_CERTIFICATES,
    )?;
    tx.insert_server_cert(cert, tags)
        .map_err(IamError::on_insert(
            EntityKind::ServerCertificate,
            &cert.name,
        ))
}

/// The certificate of `account` called `name` (ignoring case), or NoSuchEntity.
fn find(tx: &dyn Tx, account: &str, name: &str) -> IamResult<ServerCertificate> {
    tx.server_cert(account, name)?
        .ok_or_else(|| IamError::no_such(EntityKind::ServerCertificate, name))
}

/// UpdateServerCertificate: a new name and/or path; returns the certificate as it now is.
pub fn update(
    tx: &dyn Tx,
    account: &str,
    name: &str,
    update: &Rename,
) -> IamResult<ServerCertificate> {
    let mut cert = find(tx, account, name)?;
    super::users::rename(
        EntityKind::ServerCertificate,
        (&mut cert.name, &mut cert.path),
        update,
        |new| Ok(tx.server_cert(account, new)?.is_some()),
    )?;
    tx.save_server_cert(&cert).map_err(IamError::on_insert(
        EntityKind::ServerCertificate,
        &cert.name,
    ))?;
    Ok(cert)
}

/// DeleteServerCertificate: the certificate and its tags.
pub fn delete(tx: &dyn Tx, account: &str, name: &str) -> IamResult<()> {
    let cert = find(tx, account, name)?;
    Ok(tx.remove_server_cert(&cert.id)?)
}
