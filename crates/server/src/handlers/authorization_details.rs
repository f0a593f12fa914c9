//! GetAccountAuthorizationDetails: every user, group, role and managed policy of the account with
//! their inline policies, attachments and relationships, paged across the four lists together
//! (users, then groups, then roles, then policies) as AWS pages them.

use crate::handlers::groups::write_group;
use crate::handlers::inline_policies::write_policy_details;
use crate::handlers::instance_profiles::write_profile;
use crate::handlers::managed_policies::{usage, write_attached, write_policy_detail};
use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::roles::{write_last_used, write_role_identity};
use crate::handlers::users::{write_boundary, write_tags, write_user_identity};
use crate::handlers::{Ctx, HandlerResult, store_failure};
use portcullis_core::catalog::aws_managed;
use portcullis_core::{Group, ManagedPolicy, Page, Role, User};
use portcullis_proto::AwsError;
use portcullis_proto::xml::XmlWriter;

const ENTITY_TYPES: [&str; 5] = [
    "User",
    "Role",
    "Group",
    "LocalManagedPolicy",
    "AWSManagedPolicy",
];

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
    fn parse(ctx: &Ctx) -> Result<Filter, AwsError> {
        let wanted: Vec<&str> = ctx
            .input
            .strings("Filter")
            .unwrap_or_default()
            .iter()
            .map(String::as_str)
            .collect();
        if let Some(bad) = wanted.iter().find(|v| !ENTITY_TYPES.contains(v)) {
            return Err(AwsError::validation(format!(
                "1 validation error detected: Value '[{bad}]' at 'filter' failed to satisfy \
                 constraint: Member must satisfy constraint: [Member must satisfy enum value set: \
                 [{}]]",
                ENTITY_TYPES.join(", ")
            )));
        }
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
    AwsError::invalid_input("Invalid Marker.")
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

fn write_user_detail(ctx: &Ctx, w: &mut XmlWriter, u: &User) -> Result<(), AwsError> {
    let store = &ctx.app.store;
    let inline = store.list_inline_policies(&u.id).map_err(store_failure)?;
    let groups = store
        .all_groups_for_user(&u.account, &u.id)
        .map_err(store_failure)?;
    let attached = store.attached_policies(&u.id).map_err(store_failure)?;
    let tags = store.tags(&u.id).map_err(store_failure)?;
    write_user_identity(w, u);
    write_policy_details(w, "UserPolicyList", &inline);
    w.list("GroupList", &groups, |w, g| {
        w.text(&g.name);
    });
    write_attached(w, "AttachedManagedPolicies", &attached);
    write_boundary(w, u.permissions_boundary.as_deref());
    if !tags.is_empty() {
        write_tags(w, &tags);
    }
    Ok(())
}

fn write_group_detail(ctx: &Ctx, w: &mut XmlWriter, g: &Group) -> Result<(), AwsError> {
    let store = &ctx.app.store;
    let inline = store.list_inline_policies(&g.id).map_err(store_failure)?;
    let attached = store.attached_policies(&g.id).map_err(store_failure)?;
    write_group(w, g);
    write_policy_details(w, "GroupPolicyList", &inline);
    write_attached(w, "AttachedManagedPolicies", &attached);
    Ok(())
}

fn write_role_detail(ctx: &Ctx, w: &mut XmlWriter, r: &Role) -> Result<(), AwsError> {
    let store = &ctx.app.store;
    let profiles = store
        .list_instance_profiles_for_role(&r.account, &r.id, None, usize::MAX)
        .map_err(store_failure)?
        .items;
    let inline = store.list_inline_policies(&r.id).map_err(store_failure)?;
    let attached = store.attached_policies(&r.id).map_err(store_failure)?;
    let tags = store.tags(&r.id).map_err(store_failure)?;
    write_role_identity(w, r);
    write_detail_list(ctx, w, "InstanceProfileList", &profiles, |ctx, w, p| {
        write_profile(ctx, w, p, None)
    })?;
    write_policy_details(w, "RolePolicyList", &inline);
    write_attached(w, "AttachedManagedPolicies", &attached);
    write_boundary(w, r.permissions_boundary.as_deref());
    if !tags.is_empty() {
        write_tags(w, &tags);
    }
    write_last_used(w, r);
    Ok(())
}

/// A wrapped list whose members' writers read the store (and so may fail).
fn write_detail_list<T>(
    ctx: &Ctx,
    w: &mut XmlWriter,
    tag: &str,
    items: &[T],
    each: fn(&Ctx, &mut XmlWriter, &T) -> Result<(), AwsError>,
) -> Result<(), AwsError> {
    if items.is_empty() {
        w.list(tag, items, |_, _| {});
        return Ok(());
    }
    w.open(tag);
    for item in items {
        w.open("member");
        each(ctx, w, item)?;
        w.close("member");
    }
    w.close(tag);
    Ok(())
}

pub fn get_account_authorization_details(ctx: &Ctx) -> HandlerResult {
    let filter = Filter::parse(ctx)?;
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
    let mut w = XmlWriter::new();
    write_detail_list(
        ctx,
        &mut w,
        "UserDetailList",
        &page.users,
        write_user_detail,
    )?;
    write_detail_list(
        ctx,
        &mut w,
        "GroupDetailList",
        &page.groups,
        write_group_detail,
    )?;
    write_detail_list(
        ctx,
        &mut w,
        "RoleDetailList",
        &page.roles,
        write_role_detail,
    )?;
    write_detail_list(ctx, &mut w, "Policies", &page.policies, write_policy_detail)?;
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}
