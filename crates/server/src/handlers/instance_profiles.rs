//! Instance profiles: CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile,
//! ListInstanceProfiles, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile,
//! ListInstanceProfilesForRole and instance profile tags.

use crate::handlers::pager::{PageArgs, write_truncation};
use crate::handlers::roles::{find_role, write_role_member};
use crate::handlers::tagging::parse_tags;
use crate::handlers::users::write_tags;
use crate::handlers::{Ctx, HandlerResult, iam_error, store_failure, tagging, write};
use portcullis_core::IamError;
use portcullis_core::clock::iso8601;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::instance_profiles;
use portcullis_core::{InstanceProfile, Page, StoreError, Tag, ids};
use portcullis_proto::AwsError;
use portcullis_proto::output::ListInstanceProfileTagsOutput;
use portcullis_proto::xml::XmlWriter;

pub use portcullis_core::quotas::MAX_INSTANCE_PROFILES;

fn no_such_profile(name: &str) -> AwsError {
    iam_error(IamError::no_such(EntityKind::InstanceProfile, name))
}

fn find_profile(ctx: &Ctx, name: &str) -> Result<InstanceProfile, AwsError> {
    ctx.app
        .store
        .get_instance_profile(ctx.account()?, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_profile(name))
}

/// The `InstanceProfile` structure with its roles; tags only where AWS shows them.
pub fn write_profile(
    ctx: &Ctx,
    w: &mut XmlWriter,
    p: &InstanceProfile,
    tags: Option<&[Tag]>,
) -> Result<(), AwsError> {
    let roles = ctx
        .app
        .store
        .instance_profile_roles(&p.id)
        .map_err(store_failure)?;
    w.elem("Path", &p.path)
        .elem("InstanceProfileName", &p.name)
        .elem("InstanceProfileId", &p.id)
        .elem("Arn", &p.arn())
        .elem("CreateDate", &iso8601(p.created));
    w.list("Roles", &roles, write_role_member);
    // The single-profile answers carry Tags, an empty list when there are none (as AWS).
    if let Some(t) = tags {
        write_tags(w, t);
    }
    Ok(())
}

fn profile_response(ctx: &Ctx, p: &InstanceProfile) -> HandlerResult {
    let tags = ctx.app.store.tags(&p.id).map_err(store_failure)?;
    let mut w = XmlWriter::new();
    w.open("InstanceProfile");
    write_profile(ctx, &mut w, p, Some(&tags))?;
    w.close("InstanceProfile");
    Ok(w.finish())
}

fn page_response(ctx: &Ctx, page: &Page<InstanceProfile>) -> HandlerResult {
    let mut w = XmlWriter::new();
    let mut failure = None;
    w.list("InstanceProfiles", &page.items, |w, p| {
        if let Err(e) = write_profile(ctx, w, p, None) {
            failure.get_or_insert(e);
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    write_truncation(&mut w, page.next_marker.as_deref());
    Ok(w.finish())
}

pub fn create_instance_profile(ctx: &Ctx) -> HandlerResult {
    let name = ctx.required("InstanceProfileName");
    let tags = parse_tags(ctx.input.tags("Tags"), "Tags")?;
    let profile = InstanceProfile {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::InstanceProfile),
        name: name.to_string(),
        path: ctx.param("Path").unwrap_or("/").to_string(),
        created: ctx.now,
    };
    write(ctx, |tx| instance_profiles::create(tx, &profile, &tags))?;
    profile_response(ctx, &profile)
}

pub fn get_instance_profile(ctx: &Ctx) -> HandlerResult {
    let profile = find_profile(ctx, ctx.required("InstanceProfileName"))?;
    profile_response(ctx, &profile)
}

pub fn delete_instance_profile(ctx: &Ctx) -> HandlerResult {
    let (account, name) = (ctx.account()?, ctx.required("InstanceProfileName"));
    write(ctx, |tx| instance_profiles::delete(tx, account, name))?;
    Ok(String::new())
}

pub fn list_instance_profiles(ctx: &Ctx) -> HandlerResult {
    let args = PageArgs::from(ctx)?;
    let prefix = ctx.param("PathPrefix").unwrap_or("/");
    let page = ctx
        .app
        .store
        .list_instance_profiles(
            ctx.account()?,
            prefix,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    page_response(ctx, &page)
}

pub fn add_role_to_instance_profile(ctx: &Ctx) -> HandlerResult {
    let account = ctx.account()?;
    let (profile, role) = (
        ctx.required("InstanceProfileName"),
        ctx.required("RoleName"),
    );
    write(ctx, |tx| {
        instance_profiles::add_role(tx, account, profile, role, ctx.now)
    })?;
    Ok(String::new())
}

pub fn remove_role_from_instance_profile(ctx: &Ctx) -> HandlerResult {
    let profile = find_profile(ctx, ctx.required("InstanceProfileName"))?;
    let role = find_role(ctx, ctx.required("RoleName"))?;
    ctx.app
        .store
        .remove_role_from_instance_profile(&profile.account, &profile.id, &role.id)
        .map_err(|e| match e {
            StoreError::NotFound => AwsError::no_such_entity(format!(
                "The role with name {} cannot be found in instance profile {}.",
                role.name, profile.name
            )),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn list_instance_profiles_for_role(ctx: &Ctx) -> HandlerResult {
    let role = find_role(ctx, ctx.required("RoleName"))?;
    let args = PageArgs::from(ctx)?;
    let page = ctx
        .app
        .store
        .list_instance_profiles_for_role(
            &role.account,
            &role.id,
            args.marker.as_deref(),
            args.max_items,
        )
        .map_err(store_failure)?;
    page_response(ctx, &page)
}

pub fn tag_instance_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let profile = find_profile(ctx, ctx.required("InstanceProfileName"))?;
    tagging::tag(ctx, &profile.id, false)
}

pub fn untag_instance_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let profile = find_profile(ctx, ctx.required("InstanceProfileName"))?;
    tagging::untag(ctx, &profile.id, false)
}

pub fn list_instance_profile_tags(ctx: &Ctx) -> Result<ListInstanceProfileTagsOutput, AwsError> {
    let profile = find_profile(ctx, ctx.required("InstanceProfileName"))?;
    let (tags, is_truncated, marker) = tagging::list(ctx, &profile.id)?;
    Ok(ListInstanceProfileTagsOutput {
        tags,
        is_truncated,
        marker,
    })
}
