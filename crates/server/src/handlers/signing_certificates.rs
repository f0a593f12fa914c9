//! X.509 signing certificates of users (or of the root user): UploadSigningCertificate,
//! ListSigningCertificates, UpdateSigningCertificate and DeleteSigningCertificate.

use crate::handlers::owner::{owner, status};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::credentials::SigningCertificate;
use portcullis_core::iam::credentials::x509::{self, CertError};
use portcullis_core::iam::credentials::{self, changes};
use portcullis_core::{KeyStatus, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    DeleteSigningCertificateInput, ListSigningCertificatesInput, UpdateSigningCertificateInput,
    UploadSigningCertificateInput,
};
use portcullis_proto::output::{
    self, ListSigningCertificatesOutput, UploadSigningCertificateOutput,
};

pub use portcullis_core::quotas::MAX_SIGNING_CERTIFICATES_PER_USER as MAX_PER_USER;

/// A certificate (or private key) problem as AWS reports it.
pub fn cert_error(e: CertError) -> AwsError {
    iam_error(IamError::Certificate(e))
}

/// The `SigningCertificate` structure (no `UserName` for the root user's).
fn cert_shape(user: Option<&str>, c: &SigningCertificate) -> output::SigningCertificate {
    output::SigningCertificate {
        user_name: user.map(str::to_string),
        certificate_id: c.id.clone(),
        certificate_body: c.body.clone(),
        status: c.status.as_str().to_string(),
        upload_date: Some(c.uploaded),
    }
}

pub fn upload_signing_certificate(ctx: &Ctx) -> Result<UploadSigningCertificateOutput, AwsError> {
    let i: &UploadSigningCertificateInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let body = i.certificate_body.as_str();
    let parsed = x509::parse_certificate(body).map_err(cert_error)?;
    parsed.check_current(ctx.now).map_err(cert_error)?;
    let cert = SigningCertificate {
        id: ids::signing_certificate_id(),
        account: ctx.account()?.to_string(),
        user_id: o.user_id.clone(),
        body: body.to_string(),
        fingerprint: parsed.fingerprint(),
        status: KeyStatus::Active,
        uploaded: ctx.now,
    };
    write(ctx, |tx| credentials::add_signing_cert(tx, &cert))?;
    Ok(UploadSigningCertificateOutput {
        certificate: cert_shape(o.user_name.as_deref(), &cert),
    })
}

pub fn list_signing_certificates(ctx: &Ctx) -> Result<ListSigningCertificatesOutput, AwsError> {
    let o = owner(
        ctx,
        ctx.input::<ListSigningCertificatesInput>()?
            .user_name
            .as_deref(),
    )?;
    let certs = ctx
        .app
        .store
        .list_signing_certs(ctx.account()?, o.user_id.as_deref())
        .map_err(store_failure)?;
    let (page, next) = page_of(certs, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListSigningCertificatesOutput {
        certificates: page
            .iter()
            .map(|c| cert_shape(o.user_name.as_deref(), c))
            .collect(),
        is_truncated,
        marker,
    })
}

pub fn update_signing_certificate(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateSigningCertificateInput = ctx.input()?;
    let status = status(&i.status)?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.certificate_id.as_str();
    let account = ctx.account()?;
    write(ctx, |tx| {
        changes::set_signing_cert_status(tx, account, o.user_id.as_deref(), id, status)
    })
}

pub fn delete_signing_certificate(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &DeleteSigningCertificateInput = ctx.input()?;
    let o = owner(ctx, i.user_name.as_deref())?;
    let id = i.certificate_id.as_str();
    let account = ctx.account()?;
    write(ctx, |tx| {
        changes::delete_signing_cert(tx, account, o.user_id.as_deref(), id)
    })
}
