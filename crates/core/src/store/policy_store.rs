//! The [`PolicyStore`] family of the storage contract (see [`crate::store`]).

use super::*;

/// Inline policies, customer managed policies and their versions, and attachments.
pub trait PolicyStore {
    // Inline policies of users, groups and roles, keyed by the owner's unique id. Names are
    // unique per owner; putting an existing name replaces its document.
    /// `LimitExceeded` when the owner's documents would total more than `max_total` (sizes as
    /// the caller counts them).
    fn put_inline_policy(
        &self,
        owner_id: &str,
        name: &str,
        document: &str,
        size: usize,
        max_total: usize,
    ) -> StoreResult<()>;
    fn get_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<Option<String>>;
    fn delete_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<()>;
    /// `(name, document)` pairs ordered by name.
    fn list_inline_policies(&self, owner_id: &str) -> StoreResult<Vec<(String, String)>>;
    // Customer managed policies, addressed by ARN. Names are unique per account ignoring case.
    /// Creates the policy with `document` as its default version `v1`.
    fn create_policy(
        &self,
        policy: &ManagedPolicy,
        document: &str,
        max_policies: usize,
    ) -> StoreResult<()>;
    fn get_policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>>;
    fn list_policies(&self, account: &str) -> StoreResult<Vec<ManagedPolicy>>;
    /// `LimitExceeded` when `max_versions` versions exist already.
    fn create_policy_version(
        &self,
        account: &str,
        arn: &str,
        document: &str,
        set_default: bool,
        now: DateTime<Utc>,
        max_versions: usize,
    ) -> StoreResult<PolicyVersion>;
    fn get_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
    ) -> StoreResult<Option<PolicyVersion>>;
    /// Newest first.
    fn list_policy_versions(&self, account: &str, arn: &str) -> StoreResult<Vec<PolicyVersion>>;
    fn set_default_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    // Attachments of managed policies (customer or AWS managed, by ARN) to users, groups, roles.
    /// Attaching twice is not an error; `LimitExceeded` past `max_attached`.
    fn attach_policy(
        &self,
        account: &str,
        kind: OwnerKind,
        owner_id: &str,
        arn: &str,
        max_attached: usize,
    ) -> StoreResult<()>;
    fn detach_policy(&self, account: &str, owner_id: &str, arn: &str) -> StoreResult<()>;
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
    /// Sets or clears a user's permissions boundary.
    fn set_user_boundary(&self, account: &str, user_id: &str, arn: Option<&str>)
    -> StoreResult<()>;
}

/// Managed policies inside a write transaction; data only (see [`super::UserTx`]).
pub trait PolicyTx {
    /// The customer managed policy of `account` with ARN `arn`.
    fn policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>>;
    /// How many entities have the policy attached, and how many have it as their boundary.
    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)>;
    fn count_policy_versions(&self, policy_id: &str) -> StoreResult<usize>;
    /// Removes the policy (its versions go with it).
    fn remove_policy(&self, policy_id: &str) -> StoreResult<()>;
    /// `NotFound` when the policy has no such version.
    fn remove_policy_version(&self, policy_id: &str, version_id: &str) -> StoreResult<()>;
}
