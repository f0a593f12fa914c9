//! GetAccountAuthorizationDetails: every user, group, role and managed policy of the account with
//! their inline policies, attachments and relationships, paged across the four lists together
//! (users, then groups, then roles, then policies) as AWS pages them.

use crate::handlers::instance_profiles::profile;
use crate::handlers::managed_policies::{attached_policies, policy_detail, usage};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::shapes::{self, RoleShape};
use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::IamError;
use portcullis_core::catalog::aws_managed;
use portcullis_core::iam::authorization_details::check_filter;
use portcullis_core::{Group, ManagedPolicy, Page, Role, User};
use portcullis_proto::AwsError;
use portcullis_proto::input::GetAccountAuthorizationDetailsInput;
use portcullis_proto::output::{self, GetAccountAuthorizationDetailsOutput};

/// The four lists, in the order a listing pages through them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    User,
    Group,
    Role,
    Policy,
}

const KINDS: [Kind; 4] = [Kind::User, Kind::Group, Kind::Role, Kind::Policy];

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::User => "u",
            Kind::Group => "g",
            Kind::Role => "r",
            Kind::Policy => "p",
        }
    }
}

/// Which entity types the `Filter` asks for; no filter means all.
#[derive(Debug)]
struct Filter {
    users: bool,
    groups: bool,
    roles: bool,
    local_policies: bool,
    aws_policies: bool,
}

impl Filter {
    fn parse(filter: Option<&[String]>) -> Result<Filter, AwsError> {
        let wanted: Vec<&str> = filter
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .collect();
        check_filter(&wanted).map_err(iam_error)?;
        let has = |t: &str| wanted.is_empty() || wanted.contains(&t);
        Ok(Filter {
            users: has("User"),
            groups: has("Group"),
            roles: has("Role"),
            local_policies: has("LocalManagedPolicy"),
            aws_policies: has("AWSManagedPolicy"),
        })
    }

    fn wants(&self, kind: Kind) -> bool {
        match kind {
            Kind::User => self.users,
            Kind::Group => self.groups,
            Kind::Role => self.roles,
            Kind::Policy => self.local_policies || self.aws_policies,
        }
    }
}

fn invalid_marker() -> AwsError {
    iam_error(IamError::InvalidMarker)
}

/// A marker is `<kind code>:<marker within that kind's list>`.
fn parse_marker(marker: Option<&str>) -> Result<(Kind, Option<&str>), AwsError> {
    let Some(m) = marker else {
        return Ok((Kind::User, None));
    };
    let (code, inner) = m.split_once(':').ok_or_else(invalid_marker)?;
    let kind = KINDS
        .into_iter()
        .find(|k| k.code() == code)
        .ok_or_else(invalid_marker)?;
    Ok((kind, Some(inner).filter(|i| !i.is_empty())))
}

/// The entities of one page, by list.
#[derive(Debug, Default)]
struct Details {
    users: Vec<User>,
    groups: Vec<Group>,
    roles: Vec<Role>,
    policies: Vec<ManagedPolicy>,
}

/// The managed policies the filter asks for: the account's own, then the AWS managed policies
/// in use in the account (attached, or a permissions boundary) — AWS lists no others.
fn policies(ctx: &Ctx, filter: &Filter) -> Result<Vec<ManagedPolicy>, AwsError> {
    let mut out = Vec::new();
    if filter.local_policies {
        out = ctx
            .app
            .store
            .list_policies(ctx.account()?)
            .map_err(store_failure)?;
    }
    if filter.aws_policies {
        for b in aws_managed::all() {
            let (attached, boundaries) = usage(ctx, &b.policy.arn())?;
            if attached + boundaries > 0 {
                out.push(b.policy.clone());
            }
        }
    }
    Ok(out)
}

/// Adds up to `max` entities of `kind` from `marker` on; returns the marker of the rest, if any.
/// With `max` 0 it only tells whether the list has anything from `marker` on.
fn fill(
    ctx: &Ctx,
    filter: &Filter,
    kind: Kind,
    marker: Option<&str>,
    max: usize,
    out: &mut Details,
) -> Result<Option<String>, AwsError> {
    let store = &ctx.app.store;
    let account = ctx.account()?;
    fn take<T>(page: Page<T>, into: &mut Vec<T>) -> Option<String> {
        into.extend(page.items);
        page.next_marker
    }
    Ok(match kind {
        Kind::User => take(
            store
                .list_users(account, "/", marker, max)
                .map_err(store_failure)?,
            &mut out.users,
        ),
        Kind::Group => take(
            store
                .list_groups(account, "/", marker, max)
                .map_err(store_failure)?,
            &mut out.groups,
        ),
        Kind::Role => take(
            store
                .list_roles(account, "/", marker, max)
                .map_err(store_failure)?,
            &mut out.roles,
        ),
        Kind::Policy => {
            let args = PageArgs {
                marker: marker.map(str::to_string),
                max_items: max,
            };
            let (page, next) = page_of(policies(ctx, filter)?, &args)?;
            out.policies.extend(page);
            next
        }
    })
}

fn user_detail(ctx: &Ctx, u: &User) -> Result<output::UserDetail, AwsError> {
    let store = &ctx.app.store;
    let inline = store.list_inline_policies(&u.id).map_err(store_failure)?;
    let groups = store
        .all_groups_for_user(&u.account, &u.id)
        .map_err(store_failure)?;
    let attached = store.attached_policies(&u.id).map_err(store_failure)?;
    let tags = store.tags(&u.id).map_err(store_failure)?;
    Ok(output::UserDetail {
        path: Some(u.path.clone()),
        user_name: Some(u.name.clone()),
        user_id: Some(u.id.clone()),
        arn: Some(u.arn()),
        create_date: Some(u.created),
        user_policy_list: Some(shapes::policy_details(&inline)),
        group_list: Some(groups.into_iter().map(|g| g.name).collect()),
        attached_managed_policies: Some(attached_policies(&attached)),
        permissions_boundary: shapes::boundary(u.permissions_boundary.as_deref()),
        tags: shapes::tags_if_any(&tags),
    })
}

fn group_detail(ctx: &Ctx, g: &Group) -> Result<output::GroupDetail, AwsError> {
    let store = &ctx.app.store;
    let inline = store.list_inline_policies(&g.id).map_err(store_failure)?;
    let attached = store.attached_policies(&g.id).map_err(store_failure)?;
    let group = shapes::group(g);
    Ok(output::GroupDetail {
        path: Some(group.path),
        group_name: Some(group.group_name),
        group_id: Some(group.group_id),
        arn: Some(group.arn),
        create_date: Some(group.create_date),
        group_policy_list: Some(shapes::policy_details(&inline)),
        attached_managed_policies: Some(attached_policies(&attached)),
    })
}

fn role_detail(ctx: &Ctx, r: &Role) -> Result<output::RoleDetail, AwsError> {
    let store = &ctx.app.store;
    let profiles = store
        .list_instance_profiles_for_role(&r.account, &r.id, None, usize::MAX)
        .map_err(store_failure)?
        .items
        .iter()
        .map(|p| profile(ctx, p, None))
        .collect::<Result<_, _>>()?;
    let inline = store.list_inline_policies(&r.id).map_err(store_failure)?;
    let attached = store.attached_policies(&r.id).map_err(store_failure)?;
    let tags = store.tags(&r.id).map_err(store_failure)?;
    let role = shapes::role(r, RoleShape::Full(&tags));
    Ok(output::RoleDetail {
        path: Some(role.path),
        role_name: Some(role.role_name),
        role_id: Some(role.role_id),
        arn: Some(role.arn),
        create_date: Some(role.create_date),
        assume_role_policy_document: role.assume_role_policy_document,
        instance_profile_list: Some(profiles),
        role_policy_list: Some(shapes::policy_details(&inline)),
        attached_managed_policies: Some(attached_policies(&attached)),
        permissions_boundary: role.permissions_boundary,
        tags: role.tags,
        role_last_used: role.role_last_used,
    })
}

/// Converts each entity of a page, stopping at the first store failure.
fn each<T, O>(
    ctx: &Ctx,
    items: &[T],
    convert: fn(&Ctx, &T) -> Result<O, AwsError>,
) -> Result<Option<Vec<O>>, AwsError> {
    items
        .iter()
        .map(|item| convert(ctx, item))
        .collect::<Result<_, _>>()
        .map(Some)
}

pub fn get_account_authorization_details(
    ctx: &Ctx,
) -> Result<GetAccountAuthorizationDetailsOutput, AwsError> {
    let i: &GetAccountAuthorizationDetailsInput = ctx.input()?;
    let filter = Filter::parse(i.filter.as_deref())?;
    // GetAccountAuthorizationDetails words a bad marker as InvalidInput (other lists: ValidationError).
    let args = PageArgs::from(ctx).map_err(|_| invalid_marker())?;
    let (start, mut inner) = parse_marker(args.marker.as_deref())?;
    let mut remaining = args.max_items;
    let mut page = Details::default();
    let mut next = None;
    for kind in KINDS
        .into_iter()
        .filter(|k| *k >= start && filter.wants(*k))
    {
        let marker = if kind == start { inner.take() } else { None };
        let before = page.users.len() + page.groups.len() + page.roles.len() + page.policies.len();
        let rest = fill(ctx, &filter, kind, marker, remaining, &mut page)?;
        let after = page.users.len() + page.groups.len() + page.roles.len() + page.policies.len();
        remaining = remaining.saturating_sub(after - before);
        if let Some(m) = rest {
            next = Some(format!("{}:{m}", kind.code()));
            break;
        }
    }
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok(GetAccountAuthorizationDetailsOutput {
        user_detail_list: each(ctx, &page.users, user_detail)?,
        group_detail_list: each(ctx, &page.groups, group_detail)?,
        role_detail_list: each(ctx, &page.roles, role_detail)?,
        policies: each(ctx, &page.policies, policy_detail)?,
        is_truncated,
        marker,
    })
}
