//! Server certificates of an account: UploadServerCertificate, GetServerCertificate,
//! ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate and their tags.
//! The private key must match the certificate; it is sealed under the master key and never
//! returned.

use crate::handlers::pager::{PageArgs, write_truncation};
use crate::handlers::signing_certificates::cert_error;
use crate::handlers::tagging::parse_tags;
use crate::handlers::users::write_tags;
use crate::handlers::{Ctx, HandlerResult, store_failure, tagging};
use portcullis_core::clock::iso8601;
use portcullis_core::credentials::ServerCertificate;
use portcullis_core::iam::credentials::x509;
use portcullis_core::store::Rename;
use portcullis_core::{StoreError, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::UploadServerCertificateInput;
use portcullis_proto::output::ListServerCertificateTagsOutput;
use portcullis_proto::xml::XmlWriter;

pub use portcullis_core::quotas::MAX_SERVER_CERTIFICATES as MAX_PER_ACCOUNT;

fn no_such_cert(name: &str) -> AwsError {
    crate::handlers::iam_error(portcullis_core::IamError::no_such(
        portcullis_core::error::EntityKind::ServerCertificate,
        name,
    ))
}

fn already_exists(name: &str) -> AwsError {
    crate::handlers::iam_error(portcullis_core::IamError::exists(
        portcullis_core::error::EntityKind::ServerCertificate,
        name,
    ))
}

fn find_cert(ctx: &Ctx, name: &str) -> Result<ServerCertificate, AwsError> {
    ctx.app
        .store
        .get_server_cert(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_cert(name))
}

fn write_metadata(w: &mut XmlWriter, c: &ServerCertificate) {
    w.elem("Path", &c.path)
        .elem("ServerCertificateName", &c.name)
        .elem("ServerCertificateId", &c.id)
        .elem("Arn", &c.arn())
        .elem("UploadDate", &iso8601(c.uploaded))
        .elem("Expiration", &iso8601(c.expiration));
}

pub fn upload_server_certificate(ctx: &Ctx) -> HandlerResult {
    let input: &UploadServerCertificateInput = ctx.input()?;
    let name = input.server_certificate_name.as_str();
    let body = input.certificate_body.as_str();
    let key = input.private_key.expose();
    let chain = input.certificate_chain.as_deref();
    let tags = parse_tags(input.tags.as_deref(), "Tags")?;
    let parsed = x509::parse_certificate(body).map_err(cert_error)?;
    parsed.check_current(ctx.now).map_err(cert_error)?;
    if let Some(c) = chain {
        x509::parse_chain(c, &parsed).map_err(cert_error)?;
    }
    x509::check_key_pair(key, &parsed).map_err(cert_error)?;
    let id = ids::unique_id(ids::IdKind::ServerCertificate);
    let cert = ServerCertificate {
        account: ctx.account()?.to_string(),
        name: name.to_string(),
        path: ctx.param("Path").unwrap_or("/").to_string(),
        body: body.to_string(),
        chain: chain.map(str::to_string),
        sealed_private_key: ctx.app.master.seal(key.as_bytes(), id.as_bytes()),
        uploaded: ctx.now,
        expiration: parsed.not_after,
        id,
    };
    crate::handlers::write(ctx, |tx| {
        portcullis_core::iam::server_certs::create(tx, &cert, &tags)
    })?;
    let mut w = XmlWriter::new();
    w.open("ServerCertificateMetadata");
    write_metadata(&mut w, &cert);
    w.close("ServerCertificateMetadata");
    if !tags.is_empty() {
        write_tags(&mut w, &tags);
    }
    Ok(w.finish())
}

pub fn get_server_certificate(ctx: &Ctx) -> HandlerResult {
    let cert = find_cert(ctx, ctx.required("ServerCertificateName"))?;
    let tags = ctx.app.store.tags(&cert.id).map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.open("ServerCertificate")
        .open("ServerCertificateMetadata");
    write_metadata(&mut w, &cert);
    w.close("ServerCertificateMetadata")
        .elem("CertificateBody", &cert.body)
        .opt("CertificateChain", cert.chain.as_deref());
    if !tags.is_empty() {
        write_tags(&mut w, &tags);
    }
    w.close("ServerCertificate");
    Ok(w.finish())
}

pub fn list_server_certificates(ctx: &Ctx) -> HandlerResult {
    let args = PageArgs::from(ctx)?;
    let prefix = ctx.param("PathPrefix").unwrap_or("/");
    let page = ctx
        .app
        .store
        .list_server_certs(
            ctx.account()?,
            prefix,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("ServerCertificateMetadataList", &page.items, write_metadata);
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn update_server_certificate(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("ServerCertificateName");
    let update = Rename {
        new_name: ctx.param("NewServerCertificateName").map(str::to_string),
        new_path: ctx.param("NewPath").map(str::to_string),
    };
    ctx.app
        .store
        .update_server_cert(ctx.account()?, name, &update)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_cert(name),
            StoreError::AlreadyExists => already_exists(update.new_name.as_deref().unwrap_or(name)),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn delete_server_certificate(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("ServerCertificateName");
    ctx.app
        .store
        .delete_server_cert(ctx.account()?, name)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_cert(name),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn tag_server_certificate(ctx: &Ctx) -> Result<(), AwsError> {
    let cert = find_cert(ctx, ctx.required("ServerCertificateName"))?;
    tagging::tag(ctx, &cert.id, false)
}

pub fn untag_server_certificate(ctx: &Ctx) -> Result<(), AwsError> {
    let cert = find_cert(ctx, ctx.required("ServerCertificateName"))?;
    tagging::untag(ctx, &cert.id, false)
}

pub fn list_server_certificate_tags(
    ctx: &Ctx,
) -> Result<ListServerCertificateTagsOutput, AwsError> {
    let cert = find_cert(ctx, ctx.required("ServerCertificateName"))?;
    let (tags, is_truncated, marker) = tagging::list(ctx, &cert.id)?;
    Ok(ListServerCertificateTagsOutput {
        tags,
        is_truncated,
        marker,
    })
}
