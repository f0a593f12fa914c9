//! The [`PolicyStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Inline policies, customer managed policies and their versions, and attachments.
pub trait PolicyStore {
    // Inline policies of users, groups and roles, keyed by the owner's unique id. Names are
    // unique per owner; putting an existing name replaces its document.
    fn get_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<Option<String>>;
    /// `(name, document)` pairs ordered by name.
    fn list_inline_policies(&self, owner_id: &str) -> StoreResult<Vec<(String, String)>>;
    // Customer managed policies, addressed by ARN. Names are unique per account ignoring case.
    fn get_policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>>;
    fn list_policies(&self, account: &str) -> StoreResult<Vec<ManagedPolicy>>;
    fn get_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
    ) -> StoreResult<Option<PolicyVersion>>;
    /// Newest first.
    fn list_policy_versions(&self, account: &str, arn: &str) -> StoreResult<Vec<PolicyVersion>>;
    // Attachments of managed policies (customer or AWS managed, by ARN) to users, groups, roles.
    /// ARNs attached to the owner, in attachment order.
    fn attached_policies(&self, owner_id: &str) -> StoreResult<Vec<String>>;
    /// How many entities of the account have the policy attached, and how many users and roles
    /// use it as their permissions boundary.
    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)>;
    /// Users, groups and roles that have the policy attached (`boundary` false) or use it as their
    /// permissions boundary (`boundary` true): (kind, id, name, path), ordered by kind then name.
    fn entities_for_policy(
        &self,
        account: &str,
        arn: &str,
        boundary: bool,
    ) -> StoreResult<Vec<(OwnerKind, String, String, String)>>;
}

/// Managed policies inside a write transaction; data only (see [`super::UserTx`]).
pub trait PolicyTx {
    /// The customer managed policy of `account` with ARN `arn`.
    fn policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>>;
    /// How many entities have the policy attached, and how many have it as their boundary.
    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)>;
    fn count_policy_versions(&self, policy_id: &str) -> StoreResult<usize>;
    /// The total size (as the caller counted it) of the owner's inline policies other than
    /// `except_name`.
    fn inline_policies_size(&self, owner_id: &str, except_name: &str) -> StoreResult<usize>;
    /// Puts inline policy `name` of the owner, replacing the document of that name.
    fn upsert_inline_policy(
        &self,
        owner_id: &str,
        name: &str,
        document: &str,
        size: usize,
    ) -> StoreResult<()>;
    /// Whether `account` has a policy called `name`, ignoring case.
    fn policy_name_taken(&self, account: &str, name: &str) -> StoreResult<bool>;
    fn count_policies(&self, account: &str) -> StoreResult<usize>;
    /// Inserts the policy with `document` as its version `v1`.
    fn insert_policy(&self, policy: &ManagedPolicy, document: &str) -> StoreResult<()>;
    /// Adds the next version (`v<n>`) of policy `policy_id`, as the default if `set_default`.
    fn insert_policy_version(
        &self,
        policy_id: &str,
        document: &str,
        set_default: bool,
        now: DateTime<Utc>,
    ) -> StoreResult<PolicyVersion>;
    fn is_attached(&self, owner_id: &str, arn: &str) -> StoreResult<bool>;
    /// How many managed policies are attached to the user, group or role `owner_id`.
    fn count_attachments(&self, owner_id: &str) -> StoreResult<usize>;
    fn insert_attachment(
        &self,
        account: &str,
        kind: OwnerKind,
        owner_id: &str,
        arn: &str,
    ) -> StoreResult<()>;
    /// Removes the policy (its versions go with it).
    fn remove_policy(&self, policy_id: &str) -> StoreResult<()>;
    /// `NotFound` when the policy has no such version.
    fn remove_policy_version(&self, policy_id: &str, version_id: &str) -> StoreResult<()>;
    /// Makes `version_id` the policy's default; `NotFound` when the policy or version is missing.
    fn set_default_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    /// Removes the attachment; `NotFound` when the policy is not attached to the owner.
    fn detach_policy(&self, account: &str, owner_id: &str, arn: &str) -> StoreResult<()>;
    /// Sets or clears a user's permissions boundary; `NotFound` when there is no such user.
    fn set_user_boundary(&self, account: &str, user_id: &str, arn: Option<&str>)
    -> StoreResult<()>;
    /// Removes inline policy `name` of the owner; `NotFound` when it has none of that name.
    fn delete_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<()>;
}
