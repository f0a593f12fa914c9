//! `PolicyStore` on SQLite.

use super::*;

impl PolicyStore for SqliteStore {
    fn put_inline_policy(
        &self,
        owner_id: &str,
        name: &str,
        document: &str,
        size: usize,
        max_total: usize,
    ) -> StoreResult<()> {
        self.write(|tx| policies::put_inline(tx, owner_id, name, document, size, max_total))
    }

    fn get_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<Option<String>> {
        policies::get_inline(&self.read(), owner_id, name)
    }

    fn delete_inline_policy(&self, owner_id: &str, name: &str) -> StoreResult<()> {
        self.write(|tx| policies::delete_inline(tx, owner_id, name))
    }

    fn list_inline_policies(&self, owner_id: &str) -> StoreResult<Vec<(String, String)>> {
        policies::list_inline(&self.read(), owner_id)
    }

    fn create_policy(
        &self,
        policy: &ManagedPolicy,
        document: &str,
        max_policies: usize,
    ) -> StoreResult<()> {
        self.write(|tx| managed::create(tx, policy, document, max_policies))
    }

    fn get_policy(&self, account: &str, arn: &str) -> StoreResult<Option<ManagedPolicy>> {
        managed::find(&self.read(), account, arn)
    }

    fn list_policies(&self, account: &str) -> StoreResult<Vec<ManagedPolicy>> {
        managed::list(&self.read(), account)
    }

    fn delete_policy(&self, account: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| managed::delete(tx, account, arn))
    }

    fn create_policy_version(
        &self,
        account: &str,
        arn: &str,
        document: &str,
        set_default: bool,
        now: DateTime<Utc>,
        max_versions: usize,
    ) -> StoreResult<PolicyVersion> {
        self.write(|tx| {
            managed::create_version(tx, account, arn, document, set_default, now, max_versions)
        })
    }

    fn get_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
    ) -> StoreResult<Option<PolicyVersion>> {
        managed::get_version(&self.read(), account, arn, version_id)
    }

    fn list_policy_versions(&self, account: &str, arn: &str) -> StoreResult<Vec<PolicyVersion>> {
        managed::list_versions(&self.read(), account, arn)
    }

    fn delete_policy_version(&self, account: &str, arn: &str, version_id: &str) -> StoreResult<()> {
        self.write(|tx| managed::delete_version(tx, account, arn, version_id))
    }

    fn set_default_policy_version(
        &self,
        account: &str,
        arn: &str,
        version_id: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        self.write(|tx| managed::set_default(tx, account, arn, version_id, now))
    }

    fn attach_policy(
        &self,
        account: &str,
        kind: OwnerKind,
        owner_id: &str,
        arn: &str,
        max_attached: usize,
    ) -> StoreResult<()> {
        self.write(|tx| managed::attach(tx, account, kind, owner_id, arn, max_attached))
    }

    fn detach_policy(&self, _account: &str, owner_id: &str, arn: &str) -> StoreResult<()> {
        self.write(|tx| managed::detach(tx, owner_id, arn))
    }

    fn attached_policies(&self, owner_id: &str) -> StoreResult<Vec<String>> {
        managed::attached(&self.read(), owner_id)
    }

    fn policy_usage(&self, account: &str, arn: &str) -> StoreResult<(usize, usize)> {
        managed::usage(&self.read(), account, arn)
    }

    fn entities_for_policy(
        &self,
        account: &str,
        arn: &str,
        boundary: bool,
    ) -> StoreResult<Vec<(OwnerKind, String, String, String)>> {
        managed::entities(&self.read(), account, arn, boundary)
    }

    fn set_user_boundary(
        &self,
        account: &str,
        user_id: &str,
        arn: Option<&str>,
    ) -> StoreResult<()> {
        self.write(|tx| managed::set_user_boundary(tx, account, user_id, arn))
    }
}
