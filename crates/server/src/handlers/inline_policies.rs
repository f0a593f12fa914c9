//! Inline policies of users, groups and roles: one implementation of Put/Get/Delete/List,
//! parameterized by the kind of owner, and each operation's handler (typed input in, typed
//! output out) made from it.

use crate::handlers::lookup::{find_owner, find_owner_for_change};
use crate::handlers::pager::{PageArgs, page_of, truncation};
use crate::handlers::shapes::Paged;
use crate::handlers::{Ctx, iam_error, policy_error, store_failure};
use portcullis_core::IamError;
use portcullis_core::OwnerKind;
use portcullis_core::iam::documents::check_inline_policy;
use portcullis_proto::AwsError;
use portcullis_proto::input::{
    DeleteGroupPolicyInput, DeleteRolePolicyInput, DeleteUserPolicyInput, GetGroupPolicyInput,
    GetRolePolicyInput, GetUserPolicyInput, ListGroupPoliciesInput, ListRolePoliciesInput,
    ListUserPoliciesInput, PutGroupPolicyInput, PutRolePolicyInput, PutUserPolicyInput,
};
use portcullis_proto::output::{
    GetGroupPolicyOutput, GetRolePolicyOutput, GetUserPolicyOutput, ListGroupPoliciesOutput,
    ListRolePoliciesOutput, ListUserPoliciesOutput, PolicyDocument,
};

fn no_such_policy(name: &str, owner: &str) -> AwsError {
    iam_error(IamError::NoSuchInlinePolicy {
        name: name.to_string(),
        owner: owner.to_string(),
    })
}

fn put(
    ctx: &Ctx,
    owner: OwnerKind,
    owner_name: &str,
    name: &str,
    document: &str,
) -> Result<(), AwsError> {
    let (id, owner_name) = find_owner_for_change(ctx, owner, owner_name)?;
    let checked =
        check_inline_policy(owner, &owner_name, document).map_err(|e| policy_error(&e))?;
    let (size, max_total) = (checked.size, checked.max_total());
    crate::handlers::write_iam(ctx, |tx| {
        portcullis_core::iam::policies::put_inline(tx, &id, name, document, size, max_total)
    })
    .map_err(|e| match e {
        // The owner's quota words the refusal with the owner's kind and name.
        portcullis_core::IamError::InlinePoliciesTooLarge { .. } => {
            policy_error(&checked.too_large())
        }
        other => crate::handlers::iam_error(other),
    })
}

/// The owner's name as stored and the policy's document.
fn get(
    ctx: &Ctx,
    owner: OwnerKind,
    owner_name: &str,
    name: &str,
) -> Result<(String, PolicyDocument), AwsError> {
    let (id, owner_name) = find_owner(ctx, owner, owner_name)?;
    let doc = ctx
        .app
        .store
        .get_inline_policy(&id, name)
        .map_err(store_failure)?
        .ok_or_else(|| no_such_policy(name, &owner_name))?;
    Ok((owner_name, PolicyDocument(doc)))
}

fn delete(ctx: &Ctx, owner: OwnerKind, owner_name: &str, name: &str) -> Result<(), AwsError> {
    let (id, owner_name) = find_owner_for_change(ctx, owner, owner_name)?;
    crate::handlers::write(ctx, |tx| {
        portcullis_core::iam::policies::delete_inline(tx, &id, &owner_name, name)
    })
}

/// A page of the owner's policy names: `(PolicyNames, IsTruncated, Marker)`.
fn list(ctx: &Ctx, owner: OwnerKind, owner_name: &str) -> Result<Paged<String>, AwsError> {
    let (id, _) = find_owner(ctx, owner, owner_name)?;
    let names: Vec<String> = ctx
        .app
        .store
        .list_inline_policies(&id)
        .map_err(store_failure)?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    let (page, next) = page_of(names, &PageArgs::from(ctx)?)?;
    let (is_truncated, marker) = truncation(next.as_deref());
    Ok((page, is_truncated, marker))
}

/// The four operations of one kind of owner, each reading its own typed input (`$owner_name`
/// is the input's and the Get output's member naming the owner).
macro_rules! operations {
    ($owner:expr, $owner_name:ident,
     $put:ident($put_in:ident),
     $get:ident($get_in:ident) -> $get_out:ident,
     $delete:ident($delete_in:ident),
     $list:ident($list_in:ident) -> $list_out:ident) => {
        pub fn $put(ctx: &Ctx) -> Result<(), AwsError> {
            let i: &$put_in = ctx.input()?;
            put(
                ctx,
                $owner,
                &i.$owner_name,
                &i.policy_name,
                &i.policy_document,
            )
        }

        pub fn $get(ctx: &Ctx) -> Result<$get_out, AwsError> {
            let i: &$get_in = ctx.input()?;
            let ($owner_name, policy_document) = get(ctx, $owner, &i.$owner_name, &i.policy_name)?;
            Ok($get_out {
                $owner_name,
                policy_name: i.policy_name.clone(),
                policy_document,
            })
        }

        pub fn $delete(ctx: &Ctx) -> Result<(), AwsError> {
            let i: &$delete_in = ctx.input()?;
            delete(ctx, $owner, &i.$owner_name, &i.policy_name)
        }

        pub fn $list(ctx: &Ctx) -> Result<$list_out, AwsError> {
            let i: &$list_in = ctx.input()?;
            let (policy_names, is_truncated, marker) = list(ctx, $owner, &i.$owner_name)?;
            Ok($list_out {
                policy_names,
                is_truncated,
                marker,
            })
        }
    };
}

operations!(
    OwnerKind::User,
    user_name,
    put_user_policy(PutUserPolicyInput),
    get_user_policy(GetUserPolicyInput) -> GetUserPolicyOutput,
    delete_user_policy(DeleteUserPolicyInput),
    list_user_policies(ListUserPoliciesInput) -> ListUserPoliciesOutput
);
operations!(
    OwnerKind::Group,
    group_name,
    put_group_policy(PutGroupPolicyInput),
    get_group_policy(GetGroupPolicyInput) -> GetGroupPolicyOutput,
    delete_group_policy(DeleteGroupPolicyInput),
    list_group_policies(ListGroupPoliciesInput) -> ListGroupPoliciesOutput
);
operations!(
    OwnerKind::Role,
    role_name,
    put_role_policy(PutRolePolicyInput),
    get_role_policy(GetRolePolicyInput) -> GetRolePolicyOutput,
    delete_role_policy(DeleteRolePolicyInput),
    list_role_policies(ListRolePoliciesInput) -> ListRolePoliciesOutput
);
