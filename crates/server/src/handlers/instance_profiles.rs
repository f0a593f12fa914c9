//! Instance profiles: CreateInstanceProfile, GetInstanceProfile, DeleteInstanceProfile,
//! ListInstanceProfiles, AddRoleToInstanceProfile, RemoveRoleFromInstanceProfile,
//! ListInstanceProfilesForRole and instance profile tags.

use crate::handlers::lookup::find_role;
use crate::handlers::pager::{PageArgs, path_page, truncation};
use crate::handlers::shapes::{self, Paged};
use crate::handlers::tagging::parse_tags;
use crate::handlers::{Ctx, iam_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::error::EntityKind;
use portcullis_core::iam::instance_profiles;
use portcullis_core::{InstanceProfile, Page, Tag, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    AddRoleToInstanceProfileInput, CreateInstanceProfileInput, DeleteInstanceProfileInput,
    GetInstanceProfileInput, ListInstanceProfilesForRoleInput, ListInstanceProfilesInput,
    RemoveRoleFromInstanceProfileInput,
};
use portcullis_proto::output::{
    self, CreateInstanceProfileOutput, GetInstanceProfileOutput, ListInstanceProfilesForRoleOutput,
    ListInstanceProfilesOutput,
};

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
pub fn profile(
    ctx: &Ctx,
    p: &InstanceProfile,
    tags: Option<&[Tag]>,
) -> Result<output::InstanceProfile, AwsError> {
    let roles = ctx
        .app
        .store
        .instance_profile_roles(&p.id)
        .map_err(store_failure)?;
    Ok(shapes::instance_profile(p, &roles, tags))
}

/// The single-profile answers carry Tags, an empty list when there are none (as AWS).
fn tagged_profile(ctx: &Ctx, p: &InstanceProfile) -> Result<output::InstanceProfile, AwsError> {
    let tags = ctx.app.store.tags(&p.id).map_err(store_failure)?;
    profile(ctx, p, Some(&tags))
}

/// A page of profiles, without their tags.
fn page_of_profiles(
    ctx: &Ctx,
    page: &Page<InstanceProfile>,
) -> Result<Paged<output::InstanceProfile>, AwsError> {
    let profiles = page
        .items
        .iter()
        .map(|p| profile(ctx, p, None))
        .collect::<Result<_, _>>()?;
    let (is_truncated, marker) = truncation(page.next_marker.as_deref());
    Ok((profiles, is_truncated, marker))
}

pub fn create_instance_profile(ctx: &Ctx) -> Result<CreateInstanceProfileOutput, AwsError> {
    let i: &CreateInstanceProfileInput = ctx.input()?;
    let tags = parse_tags(i.tags.as_deref(), "Tags")?;
    let profile = InstanceProfile {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::InstanceProfile),
        name: i.instance_profile_name.clone(),
        path: i.path.clone().unwrap_or_else(|| "/".to_string()),
        created: ctx.now,
    };
    write(ctx, |tx| instance_profiles::create(tx, &profile, &tags))?;
    Ok(CreateInstanceProfileOutput {
        instance_profile: tagged_profile(ctx, &profile)?,
    })
}

pub fn get_instance_profile(ctx: &Ctx) -> Result<GetInstanceProfileOutput, AwsError> {
    let name = &ctx
        .input::<GetInstanceProfileInput>()?
        .instance_profile_name;
    let profile = find_profile(ctx, name)?;
    Ok(GetInstanceProfileOutput {
        instance_profile: tagged_profile(ctx, &profile)?,
    })
}

pub fn delete_instance_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let name = ctx
        .input::<DeleteInstanceProfileInput>()?
        .instance_profile_name
        .as_str();
    let account = ctx.account()?;
    write(ctx, |tx| instance_profiles::delete(tx, account, name))
}

pub fn list_instance_profiles(ctx: &Ctx) -> Result<ListInstanceProfilesOutput, AwsError> {
    let prefix = ctx
        .input::<ListInstanceProfilesInput>()?
        .path_prefix
        .as_deref();
    let store = &ctx.app.store;
    let page = path_page(ctx, prefix, |a, p, m, n| {
        store.list_instance_profiles(a, p, m, n)
    })?;
    let (instance_profiles, is_truncated, marker) = page_of_profiles(ctx, &page)?;
    Ok(ListInstanceProfilesOutput {
        instance_profiles,
        is_truncated,
        marker,
    })
}

pub fn add_role_to_instance_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &AddRoleToInstanceProfileInput = ctx.input()?;
    let account = ctx.account()?;
    let (profile, role) = (i.instance_profile_name.as_str(), i.role_name.as_str());
    write(ctx, |tx| {
        instance_profiles::add_role(tx, account, profile, role, ctx.now)
    })
}

pub fn remove_role_from_instance_profile(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &RemoveRoleFromInstanceProfileInput = ctx.input()?;
    let account = ctx.account()?;
    let (profile, role) = (i.instance_profile_name.as_str(), i.role_name.as_str());
    write(ctx, |tx| {
        instance_profiles::remove_role(tx, account, profile, role)
    })
}

pub fn list_instance_profiles_for_role(
    ctx: &Ctx,
) -> Result<ListInstanceProfilesForRoleOutput, AwsError> {
    let role = find_role(
        ctx,
        &ctx.input::<ListInstanceProfilesForRoleInput>()?.role_name,
    )?;
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
    let (instance_profiles, is_truncated, marker) = page_of_profiles(ctx, &page)?;
    Ok(ListInstanceProfilesForRoleOutput {
        instance_profiles,
        is_truncated,
        marker,
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_instance_profile(TagInstanceProfileInput), untag_instance_profile(UntagInstanceProfileInput), list_instance_profile_tags(ListInstanceProfileTagsInput) -> ListInstanceProfileTagsOutput,
    instance_profile_name, |ctx, name| find_profile(ctx, name)?.id, fold_case: false
);
