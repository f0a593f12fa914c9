//! What service last accessed reports are computed from: the user, group, role or managed
//! policy an ARN names, the permissions policies it brings (inline and attached; a user's
//! include its groups'), and the users and roles that could use them.

use crate::authz::managed_document;
use crate::handlers::{Ctx, iam_error, store_failure};
use portcullis_core::IamError;
use portcullis_core::arn::Arn;
use portcullis_core::error::EntityKind;
use portcullis_core::{Group, OwnerKind, Page, Role, StoreResult, User};
use portcullis_policy::{Policy, PolicyKind};
use portcullis_proto::AwsError;
use std::collections::HashSet;

/// The entity a report or a policy listing is about.
#[derive(Debug)]
pub enum Target {
    User(User),
    Group(Group),
    Role(Role),
    /// A customer or AWS managed policy, by ARN.
    Policy(String),
}

/// A user or role that could use the target's policies.
#[derive(Debug, Clone)]
pub struct Entity {
    pub id: String,
    pub arn: String,
    pub name: String,
    pub path: String,
    /// `USER` or `ROLE`.
    pub kind: &'static str,
}

impl Entity {
    fn user(u: &User) -> Entity {
        Entity {
            id: u.id.clone(),
            arn: u.arn(),
            name: u.name.clone(),
            path: u.path.clone(),
            kind: "USER",
        }
    }

    fn role(r: &Role) -> Entity {
        Entity {
            id: r.id.clone(),
            arn: r.arn(),
            name: r.name.clone(),
            path: r.path.clone(),
            kind: "ROLE",
        }
    }
}

/// One permissions policy of the target.
#[derive(Debug)]
pub struct Grant {
    pub name: String,
    /// The managed policy's ARN; `None` for an inline policy.
    pub arn: Option<String>,
    /// The owner of an inline policy: `USER`, `GROUP` or `ROLE`, and its name.
    pub owner: Option<(&'static str, String)>,
    pub policy: Policy,
}

fn invalid_arn(arn: &str) -> AwsError {
    iam_error(IamError::InvalidArn(arn.to_string()))
}

/// Every item of a paged store listing.
fn all_pages<T>(
    mut page: impl FnMut(Option<&str>) -> StoreResult<Page<T>>,
) -> Result<Vec<T>, AwsError> {
    let mut out = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let p = page(marker.as_deref()).map_err(store_failure)?;
        out.extend(p.items);
        match p.next_marker {
            Some(m) => marker = Some(m),
            None => return Ok(out),
        }
    }
}

/// The entity `arn` names in the caller's account (or an AWS managed policy when
/// `policies` is true): InvalidInput for a malformed ARN, NoSuchEntity when it does not exist.
pub fn resolve(ctx: &Ctx, arn: &str, policies: bool) -> Result<Target, AwsError> {
    let account = ctx.account()?;
    let parsed = Arn::parse(arn)
        .filter(|a| a.partition == portcullis_core::arn::PARTITION && a.service == "iam")
        .ok_or_else(|| invalid_arn(arn))?;
    let (kind, rest) = parsed
        .resource
        .split_once('/')
        .ok_or_else(|| invalid_arn(arn))?;
    let (path, name) = match rest.rsplit_once('/') {
        Some((p, n)) => (format!("/{p}/"), n),
        None => ("/".to_string(), rest),
    };
    let ours = parsed.account == account;
    let store = &ctx.app.store;
    let found = match kind {
        "user" if ours => store
            .get_user(account, name)
            .map_err(store_failure)?
            .filter(|u| u.path == path)
            .map(Target::User),
        "group" if ours => store
            .get_group(account, name)
            .map_err(store_failure)?
            .filter(|g| g.path == path)
            .map(Target::Group),
        "role" if ours => store
            .get_role(account, name)
            .map_err(store_failure)?
            .filter(|r| r.path == path)
            .map(Target::Role),
        "policy" if policies && (ours || parsed.account == "aws") => {
            managed_document(&ctx.app, account, arn)?.map(|_| Target::Policy(arn.to_string()))
        }
        "user" | "group" | "role" => None,
        "policy" if policies => None,
        _ => return Err(invalid_arn(arn)),
    };
    found.ok_or_else(|| iam_error(IamError::no_such(EntityKind::Entity, arn)))
}

fn parse(text: &str) -> Option<Policy> {
    Policy::parse(text, PolicyKind::Identity).ok()
}

fn managed_grant(ctx: &Ctx, account: &str, arn: &str) -> Result<Option<Grant>, AwsError> {
    Ok(managed_document(&ctx.app, account, arn)?
        .and_then(|text| parse(&text))
        .map(|policy| Grant {
            name: arn.rsplit('/').next().unwrap_or(arn).to_string(),
            arn: Some(arn.to_string()),
            owner: None,
            policy,
        }))
}

/// The inline and attached policies of one user, group or role.
fn owner_grants(
    ctx: &Ctx,
    account: &str,
    owner: (&'static str, &str, &str),
    out: &mut Vec<Grant>,
) -> Result<(), AwsError> {
    let (kind, id, name) = owner;
    let store = &ctx.app.store;
    for (policy_name, text) in store.list_inline_policies(id).map_err(store_failure)? {
        if let Some(policy) = parse(&text) {
            out.push(Grant {
                name: policy_name,
                arn: None,
                owner: Some((kind, name.to_string())),
                policy,
            });
        }
    }
    for arn in store.attached_policies(id).map_err(store_failure)? {
        let seen = out.iter().any(|g| g.arn.as_deref() == Some(arn.as_str()));
        if !seen && let Some(g) = managed_grant(ctx, account, &arn)? {
            out.push(g);
        }
    }
    Ok(())
}

fn groups_of(ctx: &Ctx, user: &User) -> Result<Vec<Group>, AwsError> {
    ctx.app
        .store
        .all_groups_for_user(&user.account, &user.id)
        .map_err(store_failure)
}

fn members_of(ctx: &Ctx, account: &str, group_id: &str) -> Result<Vec<User>, AwsError> {
    all_pages(|m| ctx.app.store.list_group_members(account, group_id, m, 1000))
}

/// The target's permissions policies (not its permissions boundary).
pub fn grants(ctx: &Ctx, target: &Target) -> Result<Vec<Grant>, AwsError> {
    let account = ctx.account()?;
    let mut out = Vec::new();
    match target {
        Target::User(u) => {
            owner_grants(ctx, account, ("USER", &u.id, &u.name), &mut out)?;
            for g in groups_of(ctx, u)? {
                owner_grants(ctx, account, ("GROUP", &g.id, &g.name), &mut out)?;
            }
        }
        Target::Group(g) => owner_grants(ctx, account, ("GROUP", &g.id, &g.name), &mut out)?,
        Target::Role(r) => owner_grants(ctx, account, ("ROLE", &r.id, &r.name), &mut out)?,
        Target::Policy(arn) => out.extend(managed_grant(ctx, account, arn)?),
    }
    Ok(out)
}

/// The users and roles that could use the target's policies: the user or role itself, a
/// group's members, or everyone a policy is attached to (directly or through a group).
pub fn entities(ctx: &Ctx, target: &Target) -> Result<Vec<Entity>, AwsError> {
    let account = ctx.account()?;
    let mut out = match target {
        Target::User(u) => vec![Entity::user(u)],
        Target::Role(r) => vec![Entity::role(r)],
        Target::Group(g) => members_of(ctx, account, &g.id)?
            .iter()
            .map(Entity::user)
            .collect(),
        Target::Policy(arn) => {
            let mut out = Vec::new();
            let attached = ctx
                .app
                .store
                .entities_for_policy(account, arn, false)
                .map_err(store_failure)?;
            for (kind, id, name, path) in attached {
                match kind {
                    OwnerKind::Group => {
                        out.extend(members_of(ctx, account, &id)?.iter().map(Entity::user));
                    }
                    OwnerKind::User | OwnerKind::Role => {
                        let (arn_type, kind) = if kind == OwnerKind::User {
                            ("user", "USER")
                        } else {
                            ("role", "ROLE")
                        };
                        out.push(Entity {
                            arn: portcullis_core::arn::entity(account, arn_type, &path, &name),
                            id,
                            name,
                            path,
                            kind,
                        });
                    }
                }
            }
            out
        }
    };
    let mut seen = HashSet::new();
    out.retain(|e| seen.insert(e.id.clone()));
    Ok(out)
}
