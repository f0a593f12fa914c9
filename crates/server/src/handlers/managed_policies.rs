//! Managed policies: create, read, list and delete customer managed policies and their versions;
//! attach and detach customer or AWS managed policies to users and groups; permissions
//! boundaries of users.

use crate::handlers::inline_policies::Owner;
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::{Ctx, HandlerResult, iam_error, policy_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::catalog::aws_managed::{self, Builtin};
use portcullis_core::clock::iso8601;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::policies;
use portcullis_core::{ManagedPolicy, OwnerKind, PolicyVersion, StoreError, ids};
use portcullis_policy::{ParseOptions, Policy, PolicyKind, SizeQuota, policy_size};
use portcullis_proto::AwsError;
use portcullis_proto::output::ListPolicyTagsOutput;
use portcullis_proto::xml::{XmlWriter, encode_policy_document};

pub use portcullis_core::quotas::MAX_POLICIES;
pub use portcullis_core::quotas::MAX_POLICY_VERSIONS as MAX_VERSIONS;

/// A policy found by ARN: built in, or a customer policy of the caller's account.
enum Found {
    Aws(&'static Builtin),
    Local(ManagedPolicy),
}

impl Found {
    fn policy(&self) -> &ManagedPolicy {
        match self {
            Found::Aws(b) => &b.policy,
            Found::Local(p) => p,
        }
    }
}

fn not_found(arn: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::Policy, arn))
}

fn find(ctx: &Ctx, arn: &str) -> Result<Found, AwsError> {
    if let Some(b) = aws_managed::find(arn) {
        return Ok(Found::Aws(b));
    }
    ctx.app
        .store
        .get_policy(ctx.account()?, arn)
        .map_err(store_failure)?
        .map(Found::Local)
        .ok_or_else(|| not_found(arn))
}

fn local(ctx: &Ctx, arn: &str) -> Result<ManagedPolicy, AwsError> {
    match find(ctx, arn)? {
        Found::Local(p) => Ok(p),
        Found::Aws(_) => Err(AwsError::new(
            "UnmodifiableEntity",
            400,
            format!("Policy {arn} is an AWS managed policy and cannot be changed."),
        )),
    }
}

pub fn check_document(doc: &str) -> Result<(), AwsError> {
    // IAM stores identity policies of Version 2012-10-17 only.
    let options = ParseOptions {
        require_current_version: true,
        ..ParseOptions::default()
    };
    Policy::parse_with(doc, PolicyKind::Identity, &options).map_err(|e| policy_error(&e))?;
    SizeQuota::ManagedPolicy
        .check(policy_size(doc))
        .map_err(|e| policy_error(&e))
}

fn write_policy(
    ctx: &Ctx,
    w: &mut XmlWriter,
    p: &ManagedPolicy,
    with_description: bool,
) -> Result<(), AwsError> {
    let (attached, boundaries) = usage(ctx, &p.arn())?;
    w.elem("PolicyName", &p.name)
        .elem("PolicyId", &p.id)
        .elem("Arn", &p.arn())
        .elem("Path", &p.path)
        .elem("DefaultVersionId", &p.default_version);
    w.num(
        "AttachmentCount",
        i64::try_from(attached).unwrap_or(i64::MAX),
    );
    w.num(
        "PermissionsBoundaryUsageCount",
        i64::try_from(boundaries).unwrap_or(i64::MAX),
    );
    w.bool("IsAttachable", true);
    if with_description {
        w.opt("Description", p.description.as_deref());
    }
    w.elem("CreateDate", &iso8601(p.created))
        .elem("UpdateDate", &iso8601(p.updated));
    Ok(())
}

fn write_version(w: &mut XmlWriter, v: &PolicyVersion, with_document: bool) {
    if with_document {
        w.elem("Document", &encode_policy_document(&v.document));
    }
    w.elem("VersionId", &v.version_id)
        .bool("IsDefaultVersion", v.is_default)
        .elem("CreateDate", &iso8601(v.created));
}

pub fn create_policy(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("PolicyName");
    let doc = ctx.required("PolicyDocument");
    check_document(doc)?;
    let tags = crate::handlers::tagging::parse_tags(ctx.input.tags("Tags"), "Tags")?;
    let policy = ManagedPolicy {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Policy),
        name: name.to_string(),
        path: ctx.param("Path").unwrap_or("/").to_string(),
        description: ctx.param("Description").map(str::to_string),
        default_version: "v1".into(),
        created: ctx.now,
        updated: ctx.now,
    };
    write(ctx, |tx| {
        policies::create(tx, &policy, doc)?;
        portcullis_core::iam::tags::tag(tx, &policy.id, &tags, false)
    })?;
    let mut w = XmlWriter::new();
    w.open("Policy");
    write_policy(ctx, &mut w, &policy, false)?;
    if !tags.is_empty() {
        crate::handlers::users::write_tags(&mut w, &tags);
    }
    w.close("Policy");
    Ok(w.finish())
}

pub fn get_policy(ctx: &Ctx) -> HandlerResult {
    let found = find(ctx, ctx.required("PolicyArn"))?;
    let mut w = XmlWriter::new();
    w.open("Policy");
    write_policy(ctx, &mut w, found.policy(), true)?;
    // GetPolicy always carries Tags, an empty list when there are none (as AWS).
    let tags = match &found {
        Found::Local(p) => ctx.app.store.tags(&p.id).map_err(store_failure)?,
        Found::Aws(_) => Vec::new(),
    };
    crate::handlers::users::write_tags(&mut w, &tags);
    w.close("Policy");
    Ok(w.finish())
}

pub fn delete_policy(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    local(ctx, arn)?;
    let account = ctx.account()?;
    write(ctx, |tx| policies::delete(tx, account, arn))?;
    Ok(String::new())
}

pub fn list_policies(ctx: &Ctx) -> HandlerResult {
    let scope = ctx.param("Scope").unwrap_or("All");
    let only_attached = ctx.input.flag("OnlyAttached") == Some(true);
    let prefix = ctx.param("PathPrefix").unwrap_or("/");
    let usage_filter = ctx.param("PolicyUsageFilter");
    let mut all: Vec<ManagedPolicy> = Vec::new();
    if scope != "Local" {
        all.extend(aws_managed::all().iter().map(|b| b.policy.clone()));
    }
    if scope != "AWS" {
        all.extend(
            ctx.app
                .store
                .list_policies(ctx.account()?)
                .map_err(store_failure)?,
        );
    }
    let mut selected = Vec::with_capacity(all.len());
    for p in all.into_iter().filter(|p| p.path.starts_with(prefix)) {
        if only_attached {
            let (attached, boundaries) = usage(ctx, &p.arn())?;
            let used = match usage_filter {
                Some("PermissionsPolicy") => attached > 0,
                Some("PermissionsBoundary") => boundaries > 0,
                _ => attached + boundaries > 0,
            };
            if !used {
                continue;
            }
        }
        selected.push(p);
    }
    let (page, next) = page_of(selected, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.open("Policies");
    for p in &page {
        w.open("member");
        write_policy(ctx, &mut w, p, false)?;
        w.close("member");
    }
    w.close("Policies");
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn create_policy_version(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    local(ctx, arn)?;
    let doc = ctx.required("PolicyDocument");
    check_document(doc)?;
    let set_default = ctx.input.flag("SetAsDefault") == Some(true);
    let account = ctx.account()?;
    let v = write(ctx, |tx| {
        policies::create_version(tx, account, arn, doc, set_default, ctx.now)
    })?;
    let mut w = XmlWriter::new();
    w.open("PolicyVersion");
    write_version(&mut w, &v, false);
    w.close("PolicyVersion");
    Ok(w.finish())
}

fn no_such_version(arn: &str, v: &str) -> AwsError {
    iam_error(IamError::no_such(
        EntityKind::PolicyVersion,
        &format!("{arn} version {v}"),
    ))
}

pub fn get_policy_version(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    let version_id = ctx.required("VersionId");
    let v = match find(ctx, arn)? {
        Found::Aws(b) if version_id == b.policy.default_version => builtin_version(b),
        Found::Aws(_) => return Err(no_such_version(arn, version_id)),
        Found::Local(_) => ctx
            .app
            .store
            .get_policy_version(ctx.account()?, arn, version_id)
            .map_err(store_failure)?
            .ok_or_else(|| no_such_version(arn, version_id))?,
    };
    let mut w = XmlWriter::new();
    w.open("PolicyVersion");
    write_version(&mut w, &v, true);
    w.close("PolicyVersion");
    Ok(w.finish())
}

pub fn list_policy_versions(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    let versions = match find(ctx, arn)? {
        Found::Aws(b) => vec![builtin_version(b)],
        Found::Local(_) => ctx
            .app
            .store
            .list_policy_versions(ctx.account()?, arn)
            .map_err(store_failure)?,
    };
    let (page, next) = page_of(versions, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.list("Versions", &page, |w, v| write_version(w, v, false));
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

pub fn delete_policy_version(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    let version_id = ctx.required("VersionId");
    local(ctx, arn)?;
    let account = ctx.account()?;
    write(ctx, |tx| {
        policies::delete_version(tx, account, arn, version_id)
    })?;
    Ok(String::new())
}

pub fn set_default_policy_version(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    let version_id = ctx.required("VersionId");
    local(ctx, arn)?;
    ctx.app
        .store
        .set_default_policy_version(ctx.account()?, arn, version_id, ctx.now)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_version(arn, version_id),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

/// The ARN names an existing policy that can be attached in this account.
fn attachable(ctx: &Ctx, arn: &str) -> Result<(), AwsError> {
    find(ctx, arn).map(|_| ()).map_err(|_| {
        AwsError::no_such_entity(format!("Policy {arn} does not exist or is not attachable."))
    })
}

fn kind_of(owner: Owner) -> OwnerKind {
    match owner {
        Owner::User => OwnerKind::User,
        Owner::Group => OwnerKind::Group,
        Owner::Role => OwnerKind::Role,
    }
}

pub fn attach(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, _) = owner.resolve_for_change(ctx)?;
    let arn = ctx.required("PolicyArn");
    attachable(ctx, arn)?;
    let (account, kind) = (ctx.account()?, kind_of(owner));
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| {
        policies::attach(tx, account, kind, &id, arn, &quotas)
    })?;
    Ok(String::new())
}

pub fn detach(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, _) = owner.resolve_for_change(ctx)?;
    let arn = ctx.required("PolicyArn");
    ctx.app
        .store
        .detach_policy(ctx.account()?, &id, arn)
        .map_err(|e| match e {
            StoreError::NotFound => {
                AwsError::no_such_entity(format!("Policy {arn} was not found."))
            }
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn list_attached(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, _) = owner.resolve(ctx)?;
    let prefix = ctx.param("PathPrefix").unwrap_or("/");
    let rows: Vec<String> = ctx
        .app
        .store
        .attached_policies(&id)
        .map_err(store_failure)?
        .into_iter()
        .filter(|arn| path_and_name(arn).0.starts_with(prefix))
        .collect();
    let (page, next) = page_of(rows, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    write_attached(&mut w, "AttachedPolicies", &page);
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

/// The path and name of a policy ARN (`arn:aws:iam::ACCOUNT:policy/PATH/NAME`).
fn path_and_name(arn: &str) -> (&str, &str) {
    let resource = arn.split_once(":policy").map(|(_, r)| r).unwrap_or("/");
    match resource.rfind('/') {
        Some(i) => (&resource[..=i], &resource[i + 1..]),
        None => ("/", resource),
    }
}

/// An `attachedPoliciesListType` list: each attached policy's name and ARN.
pub fn write_attached(w: &mut XmlWriter, tag: &str, arns: &[String]) {
    w.list(tag, arns, |w, arn| {
        w.elem("PolicyName", path_and_name(arn).1)
            .elem("PolicyArn", arn);
    });
}

/// How many entities of the caller's account have the policy attached and use it as boundary.
pub fn usage(ctx: &Ctx, arn: &str) -> Result<(usize, usize), AwsError> {
    ctx.app
        .store
        .policy_usage(ctx.account()?, arn)
        .map_err(store_failure)
}

/// The `ManagedPolicyDetail` structure: the policy with every version and its document.
pub fn write_policy_detail(
    ctx: &Ctx,
    w: &mut XmlWriter,
    p: &ManagedPolicy,
) -> Result<(), AwsError> {
    let arn = p.arn();
    let versions = match aws_managed::find(&arn) {
        Some(b) => vec![builtin_version(b)],
        None => ctx
            .app
            .store
            .list_policy_versions(ctx.account()?, &arn)
            .map_err(store_failure)?,
    };
    write_policy(ctx, w, p, true)?;
    w.list("PolicyVersionList", &versions, |w, v| {
        write_version(w, v, true)
    });
    Ok(())
}

/// The one version of a built-in policy, with its document.
fn builtin_version(b: &Builtin) -> PolicyVersion {
    PolicyVersion {
        version_id: b.policy.default_version.clone(),
        document: b.document.to_string(),
        is_default: true,
        created: b.policy.created,
    }
}

/// Checks a boundary ARN names an existing managed policy.
pub fn check_boundary(ctx: &Ctx, arn: &str) -> Result<(), AwsError> {
    attachable(ctx, arn)
}

pub fn put_user_permissions_boundary(ctx: &Ctx) -> HandlerResult {
    let user = crate::handlers::users::find_user(ctx, ctx.required("UserName"))?;
    let arn = ctx.required("PermissionsBoundary");
    check_boundary(ctx, arn)?;
    ctx.app
        .store
        .set_user_boundary(&user.account, &user.id, Some(arn))
        .map_err(store_failure)?;
    Ok(String::new())
}

pub fn delete_user_permissions_boundary(ctx: &Ctx) -> HandlerResult {
    let user = crate::handlers::users::find_user(ctx, ctx.required("UserName"))?;
    ctx.app
        .store
        .set_user_boundary(&user.account, &user.id, None)
        .map_err(store_failure)?;
    Ok(String::new())
}

pub fn tag_policy(ctx: &Ctx) -> Result<(), AwsError> {
    let p = local(ctx, ctx.required("PolicyArn"))?;
    crate::handlers::tagging::tag(ctx, &p.id, false)
}

pub fn untag_policy(ctx: &Ctx) -> Result<(), AwsError> {
    let p = local(ctx, ctx.required("PolicyArn"))?;
    crate::handlers::tagging::untag(ctx, &p.id, false)
}

pub fn list_policy_tags(ctx: &Ctx) -> Result<ListPolicyTagsOutput, AwsError> {
    let p = local(ctx, ctx.required("PolicyArn"))?;
    let (tags, is_truncated, marker) = crate::handlers::tagging::list(ctx, &p.id)?;
    Ok(ListPolicyTagsOutput {
        tags,
        is_truncated,
        marker,
    })
}

pub fn list_entities_for_policy(ctx: &Ctx) -> HandlerResult {
    let arn = ctx.required("PolicyArn");
    find(ctx, arn)?;
    let boundary = ctx.param("PolicyUsageFilter") == Some("PermissionsBoundary");
    let filter = ctx.param("EntityFilter");
    let prefix = ctx.param("PathPrefix").unwrap_or("/");
    let wanted = |kind: OwnerKind| match filter {
        None => true,
        Some("User") => kind == OwnerKind::User,
        Some("Group") => kind == OwnerKind::Group,
        Some("Role") => kind == OwnerKind::Role,
        Some(_) => false,
    };
    let rows: Vec<_> = ctx
        .app
        .store
        .entities_for_policy(ctx.account()?, arn, boundary)
        .map_err(store_failure)?
        .into_iter()
        .filter(|(kind, _, _, path)| wanted(*kind) && path.starts_with(prefix))
        .collect();
    let (page, next) = page_of(rows, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    for (kind, tag, name_tag, id_tag) in [
        (OwnerKind::Group, "PolicyGroups", "GroupName", "GroupId"),
        (OwnerKind::User, "PolicyUsers", "UserName", "UserId"),
        (OwnerKind::Role, "PolicyRoles", "RoleName", "RoleId"),
    ] {
        let of_kind: Vec<_> = page.iter().filter(|r| r.0 == kind).collect();
        w.list(tag, &of_kind, |w, (_, id, name, _)| {
            w.elem(name_tag, name).elem(id_tag, id);
        });
    }
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}
