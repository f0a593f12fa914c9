//! X.509 signing certificates of users (or of the root user): UploadSigningCertificate,
//! ListSigningCertificates, UpdateSigningCertificate and DeleteSigningCertificate.

use crate::handlers::owner::{owner, status};
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::{Ctx, HandlerResult, store_failure};
use portcullis_core::clock::iso8601;
use portcullis_core::credentials::SigningCertificate;
use portcullis_core::iam::credentials::x509::{self, CertError};
use portcullis_core::{KeyStatus, StoreError, ids};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

pub use portcullis_core::quotas::MAX_SIGNING_CERTIFICATES_PER_USER as MAX_PER_USER;

/// A certificate (or private key) problem as AWS reports it.
pub fn cert_error(e: CertError) -> AwsError {
    let code = match e {
        CertError::Mismatch => "KeyPairMismatch",
        CertError::Malformed | CertError::Expired | CertError::Chain(_) | CertError::PrivateKey => {
            "MalformedCertificate"
        }
    };
    AwsError::new(code, 400, e.to_string())
}

fn no_such_cert(id: &str) -> AwsError {
    AwsError::no_such_entity(format!("The Certificate with id {id} cannot be found."))
}

fn write_cert(w: &mut XmlWriter, user: Option<&str>, c: &SigningCertificate) {
    w.opt("UserName", user)
        .elem("CertificateId", &c.id)
        .elem("CertificateBody", &c.body)
        .elem("Status", c.status.as_str())
        .elem("UploadDate", &iso8601(c.uploaded));
}

pub fn upload_signing_certificate(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let body = ctx.required("CertificateBody");
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
    crate::handlers::write(ctx, |tx| {
        portcullis_core::iam::credentials::add_signing_cert(tx, &cert)
    })?;
    let mut w = XmlWriter::new();
    w.open("Certificate");
    write_cert(&mut w, o.user_name.as_deref(), &cert);
    w.close("Certificate");
    Ok(w.finish())
}

pub fn list_signing_certificates(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let certs = ctx
        .app
        .store
        .list_signing_certs(ctx.account()?, o.user_id.as_deref())
        .map_err(store_failure)?;
    let (page, next) = page_of(certs, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.list("Certificates", &page, |w, c| {
        write_cert(w, o.user_name.as_deref(), c)
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn update_signing_certificate(ctx: &Ctx) -> HandlerResult {
    let status = status(ctx)?;
    let o = owner(ctx)?;
    let id = ctx.required("CertificateId");
    ctx.app
        .store
        .update_signing_cert_status(ctx.account()?, o.user_id.as_deref(), id, status)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_cert(id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn delete_signing_certificate(ctx: &Ctx) -> HandlerResult {
    let o = owner(ctx)?;
    let id = ctx.required("CertificateId");
    ctx.app
        .store
        .delete_signing_cert(ctx.account()?, o.user_id.as_deref(), id)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_cert(id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}
