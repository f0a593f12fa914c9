//! Server certificates of an account: UploadServerCertificate, GetServerCertificate,
//! ListServerCertificates, UpdateServerCertificate, DeleteServerCertificate and their tags.
//! The private key must match the certificate; it is sealed under the master key and never
//! returned.

use crate::handlers::pager::{path_page, shaped};
use crate::handlers::signing_certificates::cert_error;
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, shapes, store_failure, write};
use portcullis_core::credentials::ServerCertificate;
use portcullis_core::iam::credentials::x509;
use portcullis_core::iam::server_certs;
use portcullis_core::ids;
use portcullis_core::store::Rename;
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    DeleteServerCertificateInput, GetServerCertificateInput, ListServerCertificatesInput,
    UpdateServerCertificateInput, UploadServerCertificateInput,
};
use portcullis_proto::output::{
    self, GetServerCertificateOutput, ListServerCertificatesOutput, ServerCertificateMetadata,
    UploadServerCertificateOutput,
};

pub use portcullis_core::quotas::MAX_SERVER_CERTIFICATES as MAX_PER_ACCOUNT;

fn no_such_cert(name: &str) -> AwsError {
    crate::handlers::iam_error(portcullis_core::IamError::no_such(
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

fn metadata(c: &ServerCertificate) -> ServerCertificateMetadata {
    ServerCertificateMetadata {
        path: c.path.clone(),
        server_certificate_name: c.name.clone(),
        server_certificate_id: c.id.clone(),
        arn: c.arn(),
        upload_date: Some(c.uploaded),
        expiration: Some(c.expiration),
    }
}

pub fn upload_server_certificate(ctx: &Ctx) -> Result<UploadServerCertificateOutput, AwsError> {
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
        path: input.path.clone().unwrap_or_else(|| "/".to_string()),
        body: body.to_string(),
        chain: chain.map(str::to_string),
        sealed_private_key: ctx.app.master.seal(key.as_bytes(), id.as_bytes()),
        uploaded: ctx.now,
        expiration: parsed.not_after,
        id,
    };
    write(ctx, |tx| server_certs::create(tx, &cert, &tags))?;
    Ok(UploadServerCertificateOutput {
        server_certificate_metadata: Some(metadata(&cert)),
        tags: shapes::tags_if_any(&tags),
    })
}

pub fn get_server_certificate(ctx: &Ctx) -> Result<GetServerCertificateOutput, AwsError> {
    let name = &ctx
        .input::<GetServerCertificateInput>()?
        .server_certificate_name;
    let cert = find_cert(ctx, name)?;
    let tags = ctx.app.store.tags(&cert.id).map_err(store_failure)?;
    Ok(GetServerCertificateOutput {
        server_certificate: output::ServerCertificate {
            server_certificate_metadata: metadata(&cert),
            certificate_body: cert.body,
            certificate_chain: cert.chain,
            tags: shapes::tags_if_any(&tags),
        },
    })
}

pub fn list_server_certificates(ctx: &Ctx) -> Result<ListServerCertificatesOutput, AwsError> {
    let prefix = ctx
        .input::<ListServerCertificatesInput>()?
        .path_prefix
        .as_deref();
    let store = &ctx.app.store;
    let page = path_page(ctx, prefix, |a, p, m, n| {
        store.list_server_certs(a, p, m, n)
    })?;
    let (server_certificate_metadata_list, is_truncated, marker) = shaped(&page, metadata);
    Ok(ListServerCertificatesOutput {
        server_certificate_metadata_list,
        is_truncated,
        marker,
    })
}

pub fn update_server_certificate(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &UpdateServerCertificateInput = ctx.input()?;
    let name = i.server_certificate_name.as_str();
    let update = Rename {
        new_name: i.new_server_certificate_name.clone(),
        new_path: i.new_path.clone(),
    };
    let account = ctx.account()?;
    write(ctx, |tx| server_certs::update(tx, account, name, &update))?;
    Ok(())
}

pub fn delete_server_certificate(ctx: &Ctx) -> Result<(), AwsError> {
    let name = ctx
        .input::<DeleteServerCertificateInput>()?
        .server_certificate_name
        .as_str();
    let account = ctx.account()?;
    write(ctx, |tx| server_certs::delete(tx, account, name))
}

crate::handlers::tagging::tag_handlers!(
    tag_server_certificate(TagServerCertificateInput), untag_server_certificate(UntagServerCertificateInput), list_server_certificate_tags(ListServerCertificateTagsInput) -> ListServerCertificateTagsOutput,
    server_certificate_name, |ctx, name| find_cert(ctx, name)?.id, fold_case: false
);
