//! Roles: CreateRole, GetRole, UpdateRole, UpdateRoleDescription, UpdateAssumeRolePolicy,
//! DeleteRole, ListRoles, role tags and role permissions boundaries.

use crate::handlers::pager::{PageArgs, write_truncation};
use crate::handlers::service_linked_roles::check_modifiable;
use crate::handlers::tagging::parse_tags;
use crate::handlers::users::{write_boundary, write_tags};
use crate::handlers::{Ctx, HandlerResult, iam_error, policy_error, store_failure, tagging, write};
use portcullis_core::clock::iso8601;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::roles;
use portcullis_core::{IamError, Role, RoleUpdate, Tag, ids};
use portcullis_policy::{Policy, PolicyKind, SizeQuota, TRUST_POLICY_DEFAULT_MAX, policy_size};
use portcullis_proto::AwsError;
use portcullis_proto::xml::{XmlWriter, encode_policy_document};

pub const DEFAULT_MAX_SESSION: i64 = 3600;

fn no_such_role(name: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::Role, name))
}

pub fn find_role(ctx: &Ctx, name: &str) -> Result<Role, AwsError> {
    ctx.app
        .store
        .get_role(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_role(name))
}

pub fn check_trust_policy(doc: &str) -> Result<(), AwsError> {
    Policy::parse(doc, PolicyKind::Trust).map_err(|e| policy_error(&e))?;
    SizeQuota::TrustPolicy {
        max: TRUST_POLICY_DEFAULT_MAX,
    }
    .check(policy_size(doc))
    .map_err(|e| policy_error(&e))
}

/// What of a role a response shows: GetRole shows everything; listings leave tags and last use out.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Detail {
    Full,
    Listing,
}

/// The members a role's every shape starts with: Path, RoleName, RoleId, Arn, CreateDate and the
/// encoded AssumeRolePolicyDocument.
pub fn write_role_identity(w: &mut XmlWriter, r: &Role) {
    w.elem("Path", &r.path)
        .elem("RoleName", &r.name)
        .elem("RoleId", &r.id)
        .elem("Arn", &r.arn())
        .elem("CreateDate", &iso8601(r.created));
    w.elem(
        "AssumeRolePolicyDocument",
        &encode_policy_document(&r.assume_role_policy),
    );
}

/// `RoleLastUsed`, empty when the role was never used.
pub fn write_last_used(w: &mut XmlWriter, r: &Role) {
    w.open("RoleLastUsed");
    if let Some((at, region)) = &r.last_used {
        w.elem("LastUsedDate", &iso8601(*at)).elem("Region", region);
    }
    w.close("RoleLastUsed");
}

fn write_role(w: &mut XmlWriter, r: &Role, tags: &[Tag], detail: Detail) {
    write_role_identity(w, r);
    w.opt("Description", r.description.as_deref());
    w.num("MaxSessionDuration", r.max_session_duration);
    if detail == Detail::Full {
        write_boundary(w, r.permissions_boundary.as_deref());
        if !tags.is_empty() {
            write_tags(w, tags);
        }
        write_last_used(w, r);
    }
}

/// A role as it appears inside another entity's response (an instance profile's `Roles`): the
/// listing shape, without tags or last use.
pub fn write_role_member(w: &mut XmlWriter, r: &Role) {
    write_role(w, r, &[], Detail::Listing);
}

/// The `Role` element of GetRole and the operations answering like it.
pub fn role_response(ctx: &Ctx, r: &Role) -> HandlerResult {
    let tags = ctx.app.store.tags(&r.id).map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.open("Role");
    write_role(&mut w, r, &tags, Detail::Full);
    w.close("Role");
    Ok(w.finish())
}

fn max_session(ctx: &Ctx) -> Option<i64> {
    ctx.params
        .get("MaxSessionDuration")
        .and_then(|v| v.trim().parse().ok())
}

pub fn create_role(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("RoleName");
    let doc = ctx.required("AssumeRolePolicyDocument");
    check_trust_policy(doc)?;
    let tags = parse_tags(&ctx.params, "Tags")?;
    let boundary = ctx.params.get("PermissionsBoundary");
    if let Some(b) = boundary {
        crate::handlers::managed_policies::check_boundary(ctx, b)?;
    }
    let path = ctx.params.get("Path").unwrap_or("/");
    let role = Role {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Role),
        name: name.to_string(),
        path: path.to_string(),
        created: ctx.now,
        assume_role_policy: doc.to_string(),
        description: ctx.params.get("Description").map(str::to_string),
        max_session_duration: max_session(ctx).unwrap_or(DEFAULT_MAX_SESSION),
        permissions_boundary: boundary.map(str::to_string),
        last_used: None,
    };
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| roles::create(tx, &role, &tags, &quotas))?;
    role_response(ctx, &role)
}

pub fn get_role(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    role_response(ctx, &role)
}

fn update(ctx: &Ctx, update: &RoleUpdate) -> Result<Role, AwsError> {
    let (account, name) = (ctx.account()?, ctx.required("RoleName"));
    write(ctx, |tx| roles::update(tx, account, name, update))
}

pub fn update_role(ctx: &Ctx) -> HandlerResult {
    update(
        ctx,
        &RoleUpdate {
            description: ctx.params.get("Description").map(str::to_string),
            max_session_duration: max_session(ctx),
            assume_role_policy: None,
        },
    )?;
    Ok(String::new())
}

pub fn update_role_description(ctx: &Ctx) -> HandlerResult {
    let role = update(
        ctx,
        &RoleUpdate {
            description: Some(ctx.required("Description").to_string()),
            ..RoleUpdate::default()
        },
    )?;
    role_response(ctx, &role)
}

pub fn update_assume_role_policy(ctx: &Ctx) -> HandlerResult {
    check_modifiable(&find_role(ctx, ctx.required("RoleName"))?)?;
    let doc = ctx.required("PolicyDocument");
    check_trust_policy(doc)?;
    update(
        ctx,
        &RoleUpdate {
            assume_role_policy: Some(doc.to_string()),
            ..RoleUpdate::default()
        },
    )?;
    Ok(String::new())
}

pub fn delete_role(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("RoleName");
    check_modifiable(&find_role(ctx, name)?)?;
    let account = ctx.account()?;
    write(ctx, |tx| roles::delete(tx, account, name))?;
    Ok(String::new())
}

pub fn list_roles(ctx: &Ctx) -> HandlerResult {
    let args = PageArgs::from(ctx)?;
    let prefix = ctx.params.get("PathPrefix").unwrap_or("/");
    let page = ctx
        .app
        .store
        .list_roles(
            ctx.account()?,
            prefix,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.list("Roles", &page.items, |w, r| {
        write_role(w, r, &[], Detail::Listing)
    });
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn tag_role(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    tagging::tag(ctx, &role.id, true)
}

pub fn untag_role(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    tagging::untag(ctx, &role.id, true)
}

pub fn list_role_tags(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    tagging::list(ctx, &role.id)
}

pub fn put_role_permissions_boundary(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    check_modifiable(&role)?;
    let arn = ctx.required("PermissionsBoundary");
    crate::handlers::managed_policies::check_boundary(ctx, arn)?;
    ctx.app
        .store
        .set_role_boundary(&role.account, &role.id, Some(arn))
        .map_err(store_failure)?;
    Ok(String::new())
}

pub fn delete_role_permissions_boundary(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    check_modifiable(&role)?;
    ctx.app
        .store
        .set_role_boundary(&role.account, &role.id, None)
        .map_err(store_failure)?;
    Ok(String::new())
}
