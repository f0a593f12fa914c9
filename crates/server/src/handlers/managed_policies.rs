//! Managed policies: create, read, list and delete customer managed policies and their versions;
//! attach and detach customer or AWS managed policies to users and groups; permissions
//! boundaries of users.

use crate::handlers::lookup::{find_owner, find_owner_for_change, find_user};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::shapes;
use crate::handlers::{Ctx, iam_error, policy_error, store_failure, write};
use portcullis_core::IamError;
use portcullis_core::catalog::aws_managed::{self, Builtin};
use portcullis_core::error::EntityKind;
use portcullis_core::iam::{boundaries, documents, policies};
use portcullis_core::{ManagedPolicy, OwnerKind, PolicyVersion, ids};
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    AttachGroupPolicyInput, AttachRolePolicyInput, AttachUserPolicyInput, CreatePolicyInput,
    CreatePolicyVersionInput, DeletePolicyInput, DeletePolicyVersionInput,
    DeleteUserPermissionsBoundaryInput, DetachGroupPolicyInput, DetachRolePolicyInput,
    DetachUserPolicyInput, GetPolicyInput, GetPolicyVersionInput, ListAttachedGroupPoliciesInput,
    ListAttachedRolePoliciesInput, ListAttachedUserPoliciesInput, ListEntitiesForPolicyInput,
    ListPoliciesInput, ListPolicyVersionsInput, PutUserPermissionsBoundaryInput,
    SetDefaultPolicyVersionInput,
};
use portcullis_proto::output::{
    self, AttachedPolicy, CreatePolicyOutput, CreatePolicyVersionOutput, GetPolicyOutput,
    GetPolicyVersionOutput, ListAttachedGroupPoliciesOutput, ListAttachedRolePoliciesOutput,
    ListAttachedUserPoliciesOutput, ListEntitiesForPolicyOutput, ListPoliciesOutput,
    ListPolicyVersionsOutput, ManagedPolicyDetail, PolicyDocument, PolicyGroup, PolicyRole,
    PolicyUser,
};

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
        Found::Aws(_) => Err(iam_error(IamError::AwsManagedPolicy(arn.to_string()))),
    }
}

/// The `Policy` structure of a policy, with its usage counts (GetPolicy adds the description).
fn policy_shape(
    ctx: &Ctx,
    p: &ManagedPolicy,
    with_description: bool,
) -> Result<output::Policy, AwsError> {
    let (attached, boundaries) = usage(ctx, &p.arn())?;
    Ok(output::Policy {
        policy_name: Some(p.name.clone()),
        policy_id: Some(p.id.clone()),
        arn: Some(p.arn()),
        path: Some(p.path.clone()),
        default_version_id: Some(p.default_version.clone()),
        attachment_count: Some(count(attached)),
        permissions_boundary_usage_count: Some(count(boundaries)),
        is_attachable: Some(true),
        description: p.description.clone().filter(|_| with_description),
        create_date: Some(p.created),
        update_date: Some(p.updated),
        tags: None,
    })
}

fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The `PolicyVersion` structure (the document only where AWS answers it).
fn version_shape(v: &PolicyVersion, with_document: bool) -> output::PolicyVersion {
    output::PolicyVersion {
        document: with_document.then(|| PolicyDocument(v.document.clone())),
        version_id: Some(v.version_id.clone()),
        is_default_version: Some(v.is_default),
        create_date: Some(v.created),
    }
}

pub fn create_policy(ctx: &Ctx) -> Result<CreatePolicyOutput, AwsError> {
    let i: &CreatePolicyInput = ctx.input()?;
    let doc = i.policy_document.as_str();
    documents::check_managed_policy(doc).map_err(|e| policy_error(&e))?;
    let tags = crate::handlers::tagging::parse_tags(i.tags.as_deref(), "Tags")?;
    let policy = ManagedPolicy {
        account: ctx.account()?.to_string(),
        id: ids::unique_id(ids::IdKind::Policy),
        name: i.policy_name.clone(),
        path: i.path.clone().unwrap_or_else(|| "/".into()),
        description: i.description.clone(),
        default_version: "v1".into(),
        created: ctx.now,
        updated: ctx.now,
    };
    write(ctx, |tx| {
        policies::create(tx, &policy, doc)?;
        portcullis_core::iam::tags::tag(tx, &policy.id, &tags, false)
    })?;
    Ok(CreatePolicyOutput {
        policy: Some(output::Policy {
            tags: shapes::tags_if_any(&tags),
            ..policy_shape(ctx, &policy, false)?
        }),
    })
}

pub fn get_policy(ctx: &Ctx) -> Result<GetPolicyOutput, AwsError> {
    let found = find(ctx, &ctx.input::<GetPolicyInput>()?.policy_arn)?;
    // GetPolicy always carries Tags, an empty list when there are none (as AWS).
    let tags = match &found {
        Found::Local(p) => ctx.app.store.tags(&p.id).map_err(store_failure)?,
        Found::Aws(_) => Vec::new(),
    };
    Ok(GetPolicyOutput {
        policy: Some(output::Policy {
            tags: Some(shapes::tags(&tags)),
            ..policy_shape(ctx, found.policy(), true)?
        }),
    })
}

pub fn delete_policy(ctx: &Ctx) -> Result<(), AwsError> {
    let arn = ctx.input::<DeletePolicyInput>()?.policy_arn.as_str();
    local(ctx, arn)?;
    let account = ctx.account()?;
    write(ctx, |tx| policies::delete(tx, account, arn))
}

pub fn list_policies(ctx: &Ctx) -> Result<ListPoliciesOutput, AwsError> {
    let i: &ListPoliciesInput = ctx.input()?;
    let scope = i.scope.as_deref().unwrap_or("All");
    let only_attached = i.only_attached == Some(true);
    let prefix = i.path_prefix.as_deref().unwrap_or("/");
    let usage_filter = i.policy_usage_filter.as_deref();
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
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListPoliciesOutput {
        policies: Some(
            page.iter()
                .map(|p| policy_shape(ctx, p, false))
                .collect::<Result<_, _>>()?,
        ),
        is_truncated,
        marker,
    })
}

pub fn create_policy_version(ctx: &Ctx) -> Result<CreatePolicyVersionOutput, AwsError> {
    let i: &CreatePolicyVersionInput = ctx.input()?;
    let arn = i.policy_arn.as_str();
    local(ctx, arn)?;
    let doc = i.policy_document.as_str();
    documents::check_managed_policy(doc).map_err(|e| policy_error(&e))?;
    let set_default = i.set_as_default == Some(true);
    let account = ctx.account()?;
    let v = write(ctx, |tx| {
        policies::create_version(tx, account, arn, doc, set_default, ctx.now)
    })?;
    Ok(CreatePolicyVersionOutput {
        policy_version: Some(version_shape(&v, false)),
    })
}

fn no_such_version(arn: &str, v: &str) -> AwsError {
    iam_error(IamError::no_such(
        EntityKind::PolicyVersion,
        &format!("{arn} version {v}"),
    ))
}

pub fn get_policy_version(ctx: &Ctx) -> Result<GetPolicyVersionOutput, AwsError> {
    let i: &GetPolicyVersionInput = ctx.input()?;
    let (arn, version_id) = (i.policy_arn.as_str(), i.version_id.as_str());
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
    Ok(GetPolicyVersionOutput {
        policy_version: Some(version_shape(&v, true)),
    })
}

/// Every version of a policy (the one of a built-in policy), oldest first.
fn versions(ctx: &Ctx, found: &Found) -> Result<Vec<PolicyVersion>, AwsError> {
    match found {
        Found::Aws(b) => Ok(vec![builtin_version(b)]),
        Found::Local(p) => ctx
            .app
            .store
            .list_policy_versions(ctx.account()?, &p.arn())
            .map_err(store_failure),
    }
}

pub fn list_policy_versions(ctx: &Ctx) -> Result<ListPolicyVersionsOutput, AwsError> {
    let found = find(ctx, &ctx.input::<ListPolicyVersionsInput>()?.policy_arn)?;
    let (page, next) = page_of(versions(ctx, &found)?, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListPolicyVersionsOutput {
        versions: Some(page.iter().map(|v| version_shape(v, false)).collect()),
        is_truncated,
        marker,
    })
}

pub fn delete_policy_version(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &DeletePolicyVersionInput = ctx.input()?;
    let (arn, version_id) = (i.policy_arn.as_str(), i.version_id.as_str());
    local(ctx, arn)?;
    let account = ctx.account()?;
    write(ctx, |tx| {
        policies::delete_version(tx, account, arn, version_id)
    })
}

pub fn set_default_policy_version(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &SetDefaultPolicyVersionInput = ctx.input()?;
    let (arn, version_id) = (i.policy_arn.as_str(), i.version_id.as_str());
    local(ctx, arn)?;
    let account = ctx.account()?;
    write(ctx, |tx| {
        policies::set_default_version(tx, account, arn, version_id, ctx.now)
    })
}

/// The ARN names an existing policy that can be attached in this account.
fn attachable(ctx: &Ctx, arn: &str) -> Result<(), AwsError> {
    find(ctx, arn)
        .map(|_| ())
        .map_err(|_| iam_error(IamError::no_such(EntityKind::AttachablePolicy, arn)))
}

fn attach(ctx: &Ctx, owner: OwnerKind, name: &str, arn: &str) -> Result<(), AwsError> {
    let (id, _) = find_owner_for_change(ctx, owner, name)?;
    attachable(ctx, arn)?;
    let (account, kind) = (ctx.account()?, owner);
    let quotas = ctx.app.settings.quotas;
    write(ctx, |tx| {
        policies::attach(tx, account, kind, &id, arn, &quotas)
    })
}

fn detach(ctx: &Ctx, owner: OwnerKind, name: &str, arn: &str) -> Result<(), AwsError> {
    let (id, _) = find_owner_for_change(ctx, owner, name)?;
    let account = ctx.account()?;
    write(ctx, |tx| policies::detach(tx, account, &id, arn))
}

/// `AttachedPolicies`, `IsTruncated` and `Marker`: the members of every `ListAttached*Policies`
/// answer.
type AttachedPage = (Option<Vec<AttachedPolicy>>, Option<bool>, Option<String>);

/// One page of the attached policies under `prefix` of the owner named `name`.
fn list_attached(
    ctx: &Ctx,
    owner: OwnerKind,
    name: &str,
    prefix: Option<&str>,
) -> Result<AttachedPage, AwsError> {
    let (id, _) = find_owner(ctx, owner, name)?;
    let prefix = prefix.unwrap_or("/");
    let rows: Vec<String> = ctx
        .app
        .store
        .attached_policies(&id)
        .map_err(store_failure)?
        .into_iter()
        .filter(|arn| path_and_name(arn).0.starts_with(prefix))
        .collect();
    let (page, next) = page_of(rows, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok((Some(attached_policies(&page)), is_truncated, marker))
}

/// The Attach*, Detach* and ListAttached* handlers of one kind of owner, each reading its own
/// operation's input (`$name` is the input member naming the owner).
macro_rules! owner_handlers {
    ($owner:expr, $name:ident, $attach:ident($ai:ident), $detach:ident($di:ident), $list:ident($li:ident) -> $lo:ident) => {
        pub fn $attach(ctx: &Ctx) -> Result<(), AwsError> {
            let i = ctx.input::<$ai>()?;
            attach(ctx, $owner, &i.$name, &i.policy_arn)
        }

        pub fn $detach(ctx: &Ctx) -> Result<(), AwsError> {
            let i = ctx.input::<$di>()?;
            detach(ctx, $owner, &i.$name, &i.policy_arn)
        }

        pub fn $list(ctx: &Ctx) -> Result<$lo, AwsError> {
            let i = ctx.input::<$li>()?;
            let (attached_policies, is_truncated, marker) =
                list_attached(ctx, $owner, &i.$name, i.path_prefix.as_deref())?;
            Ok($lo {
                attached_policies,
                is_truncated,
                marker,
            })
        }
    };
}

owner_handlers!(OwnerKind::User, user_name,
    attach_user_policy(AttachUserPolicyInput),
    detach_user_policy(DetachUserPolicyInput),
    list_attached_user_policies(ListAttachedUserPoliciesInput) -> ListAttachedUserPoliciesOutput);
owner_handlers!(OwnerKind::Group, group_name,
    attach_group_policy(AttachGroupPolicyInput),
    detach_group_policy(DetachGroupPolicyInput),
    list_attached_group_policies(ListAttachedGroupPoliciesInput) -> ListAttachedGroupPoliciesOutput);
owner_handlers!(OwnerKind::Role, role_name,
    attach_role_policy(AttachRolePolicyInput),
    detach_role_policy(DetachRolePolicyInput),
    list_attached_role_policies(ListAttachedRolePoliciesInput) -> ListAttachedRolePoliciesOutput);

/// The path and name of a policy ARN (`arn:aws:iam::ACCOUNT:policy/PATH/NAME`).
fn path_and_name(arn: &str) -> (&str, &str) {
    let resource = arn.split_once(":policy").map(|(_, r)| r).unwrap_or("/");
    match resource.rfind('/') {
        Some(i) => (&resource[..=i], &resource[i + 1..]),
        None => ("/", resource),
    }
}

/// An `attachedPoliciesListType` list: each attached policy's name and ARN.
pub fn attached_policies(arns: &[String]) -> Vec<AttachedPolicy> {
    arns.iter()
        .map(|arn| AttachedPolicy {
            policy_name: Some(path_and_name(arn).1.to_string()),
            policy_arn: Some(arn.clone()),
        })
        .collect()
}

/// How many entities of the caller's account have the policy attached and use it as boundary.
pub fn usage(ctx: &Ctx, arn: &str) -> Result<(usize, usize), AwsError> {
    ctx.app
        .store
        .policy_usage(ctx.account()?, arn)
        .map_err(store_failure)
}

/// The `ManagedPolicyDetail` structure: the policy with every version and its document.
pub fn policy_detail(ctx: &Ctx, p: &ManagedPolicy) -> Result<ManagedPolicyDetail, AwsError> {
    let found = match aws_managed::find(&p.arn()) {
        Some(b) => Found::Aws(b),
        None => Found::Local(p.clone()),
    };
    let versions = versions(ctx, &found)?;
    let p = policy_shape(ctx, p, true)?;
    Ok(ManagedPolicyDetail {
        policy_name: p.policy_name,
        policy_id: p.policy_id,
        arn: p.arn,
        path: p.path,
        default_version_id: p.default_version_id,
        attachment_count: p.attachment_count,
        permissions_boundary_usage_count: p.permissions_boundary_usage_count,
        is_attachable: p.is_attachable,
        description: p.description,
        create_date: p.create_date,
        update_date: p.update_date,
        policy_version_list: Some(versions.iter().map(|v| version_shape(v, true)).collect()),
    })
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

pub fn put_user_permissions_boundary(ctx: &Ctx) -> Result<(), AwsError> {
    let i: &PutUserPermissionsBoundaryInput = ctx.input()?;
    let user = find_user(ctx, &i.user_name)?;
    check_boundary(ctx, &i.permissions_boundary)?;
    let arn = Some(i.permissions_boundary.as_str());
    write(ctx, |tx| {
        boundaries::set_user(tx, &user.account, &user.name, arn)
    })
}

pub fn delete_user_permissions_boundary(ctx: &Ctx) -> Result<(), AwsError> {
    let name = &ctx.input::<DeleteUserPermissionsBoundaryInput>()?.user_name;
    let user = find_user(ctx, name)?;
    write(ctx, |tx| {
        boundaries::set_user(tx, &user.account, &user.name, None)
    })
}

crate::handlers::tagging::tag_handlers!(
    tag_policy(TagPolicyInput), untag_policy(UntagPolicyInput), list_policy_tags(ListPolicyTagsInput) -> ListPolicyTagsOutput,
    policy_arn, |ctx, name| local(ctx, name)?.id, fold_case: false
);

pub fn list_entities_for_policy(ctx: &Ctx) -> Result<ListEntitiesForPolicyOutput, AwsError> {
    let i: &ListEntitiesForPolicyInput = ctx.input()?;
    let arn = i.policy_arn.as_str();
    find(ctx, arn)?;
    let boundary = i.policy_usage_filter.as_deref() == Some("PermissionsBoundary");
    let filter = i.entity_filter.as_deref();
    let prefix = i.path_prefix.as_deref().unwrap_or("/");
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
    // (name, unique id) of the page's entities of one kind.
    let of_kind = |kind: OwnerKind| {
        page.iter()
            .filter(move |r| r.0 == kind)
            .map(|(_, id, name, _)| (Some(name.clone()), Some(id.clone())))
    };
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(ListEntitiesForPolicyOutput {
        policy_groups: Some(
            of_kind(OwnerKind::Group)
                .map(|(group_name, group_id)| PolicyGroup {
                    group_name,
                    group_id,
                })
                .collect(),
        ),
        policy_users: Some(
            of_kind(OwnerKind::User)
                .map(|(user_name, user_id)| PolicyUser { user_name, user_id })
                .collect(),
        ),
        policy_roles: Some(
            of_kind(OwnerKind::Role)
                .map(|(role_name, role_id)| PolicyRole { role_name, role_id })
                .collect(),
        ),
        is_truncated,
        marker,
    })
}
