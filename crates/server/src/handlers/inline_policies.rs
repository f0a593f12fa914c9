//! Inline policies of users, groups and roles: one implementation of Put/Get/Delete/List,
//! parameterized by the kind of owner.

use crate::handlers::pager::{PageArgs, page_of, write_truncation};
use crate::handlers::{Ctx, HandlerResult, policy_error, store_failure};
use portcullis_core::StoreError;
use portcullis_policy::{ParseOptions, Policy, PolicyKind, SizeQuota, policy_size};
use portcullis_proto::AwsError;
use portcullis_proto::xml::{XmlWriter, encode_policy_document};

/// Which entity owns the policies.
#[derive(Clone, Copy, Debug)]
pub enum Owner {
    User,
    Group,
    Role,
}

impl Owner {
    fn param(self) -> &'static str {
        match self {
            Owner::User => "UserName",
            Owner::Group => "GroupName",
            Owner::Role => "RoleName",
        }
    }

    fn quota(self, name: &str) -> SizeQuota {
        match self {
            Owner::User => SizeQuota::UserInline {
                name: name.to_string(),
            },
            Owner::Group => SizeQuota::GroupInline {
                name: name.to_string(),
            },
            Owner::Role => SizeQuota::RoleInline {
                name: name.to_string(),
            },
        }
    }

    /// Like `resolve`, for an operation that changes the owner's policies: service-linked roles
    /// refuse it.
    pub fn resolve_for_change(self, ctx: &Ctx) -> Result<(String, String), AwsError> {
        if let Owner::Role = self {
            let r = crate::handlers::roles::find_role(ctx, ctx.required(self.param()))?;
            crate::handlers::service_linked_roles::check_modifiable(&r)?;
            return Ok((r.id, r.name));
        }
        self.resolve(ctx)
    }

    /// The owner's (unique id, name as stored).
    pub fn resolve(self, ctx: &Ctx) -> Result<(String, String), AwsError> {
        let name = ctx.required(self.param());
        match self {
            Owner::User => crate::handlers::users::find_user(ctx, name).map(|u| (u.id, u.name)),
            Owner::Group => crate::handlers::groups::find_group(ctx, name).map(|g| (g.id, g.name)),
            Owner::Role => crate::handlers::roles::find_role(ctx, name).map(|r| (r.id, r.name)),
        }
    }
}

fn no_such_policy(name: &str, owner: &str) -> AwsError {
    AwsError::no_such_entity(format!(
        "The policy with name {name} cannot be found for {owner}."
    ))
}

pub fn put(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, owner_name) = owner.resolve_for_change(ctx)?;
    let name = ctx.required("PolicyName");
    let document = ctx.required("PolicyDocument");
    // IAM stores identity policies of Version 2012-10-17 only.
    let options = ParseOptions {
        require_current_version: true,
        ..ParseOptions::default()
    };
    Policy::parse_with(document, PolicyKind::Identity, &options).map_err(|e| policy_error(&e))?;
    let size = policy_size(document);
    let quota = owner.quota(&owner_name);
    quota.check(size).map_err(|e| policy_error(&e))?;
    let max_total = quota.max();
    crate::handlers::write_iam(ctx, |tx| {
        portcullis_core::iam::policies::put_inline(tx, &id, name, document, size, max_total)
    })
    .map_err(|e| match e {
        // The policy crate's size quota words the refusal with the owner's kind and name.
        portcullis_core::IamError::InlinePoliciesTooLarge { .. } => quota
            .check(usize::MAX)
            .map_err(|e| policy_error(&e))
            .err()
            .unwrap_or_else(AwsError::internal),
        other => crate::handlers::iam_error(other),
    })?;
    Ok(String::new())
}

pub fn get(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, owner_name) = owner.resolve(ctx)?;
    let name = ctx.required("PolicyName");
    let doc = ctx
        .app
        .store
        .get_inline_policy(&id, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_policy(name, &owner_name))?;
    let mut w = XmlWriter::new();
    w.elem(owner.param(), &owner_name)
        .elem("PolicyName", name)
        .elem("PolicyDocument", &encode_policy_document(&doc));
    Ok(w.finish())
}

pub fn delete(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, owner_name) = owner.resolve_for_change(ctx)?;
    let name = ctx.required("PolicyName");
    ctx.app
        .store
        .delete_inline_policy(&id, name)
        .map_err(|e| match e {
            StoreError::NotFound => no_such_policy(name, &owner_name),
            other => store_failure(other),
        })?;
    Ok(String::new())
}

pub fn list(ctx: &Ctx, owner: Owner) -> HandlerResult {
    let (id, _) = owner.resolve(ctx)?;
    let names: Vec<String> = ctx
        .app
        .store
        .list_inline_policies(&id)
        .map_err(store_failure)?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let (page, next) = page_of(names, &PageArgs::from(ctx)?)?;
    let mut w = XmlWriter::new();
    w.list("PolicyNames", &page, |w, n| {
        w.text(n);
    });
    write_truncation(&mut w, next.as_deref());
    Ok(w.finish())
}

/// A `policyDetailListType` list: each inline policy's name and encoded document.
pub fn write_policy_details(w: &mut XmlWriter, tag: &str, policies: &[(String, String)]) {
    w.list(tag, policies, |w, (name, doc)| {
        w.elem("PolicyName", name)
            .elem("PolicyDocument", &encode_policy_document(doc));
    });
}
