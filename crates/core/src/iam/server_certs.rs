//! Server certificates: UploadServerCertificate's write as a domain service, inside one write
//! transaction: a free name (ignoring case) and `ServerCertificatesPerAccount`. The certificate,
//! chain and key checks are `crate::iam::credentials::x509`'s, run by the caller first.

use crate::credentials::ServerCertificate;
use crate::error::{EntityKind, IamError, IamResult};
use crate::model::Tag;
use crate::quotas::{self, MAX_SERVER_CERTIFICATES, Quota};
use crate::store::Tx;

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
