//! The account: CreateAccountAlias's rule as a domain service, inside one write transaction: an
//! alias belongs to one account, and an account has at most one alias (`AccountAliasesPerAccount`);
//! giving an account its own alias again is not an error. The alias syntax is checked by the
//! caller first.

use crate::error::{EntityKind, IamError, IamResult};
use crate::quotas::{self, MAX_ACCOUNT_ALIASES, Quota};
use crate::store::Tx;

/// CreateAccountAlias.
pub fn create_alias(tx: &dyn Tx, account: &str, alias: &str) -> IamResult<()> {
    if tx
        .alias_account(alias)?
        .is_some_and(|holder| holder != account)
    {
        return Err(IamError::exists(EntityKind::AccountAlias, alias));
    }
    quotas::check(
        Quota::AccountAliasesPerAccount,
        tx.count_other_aliases(account, alias)?,
        MAX_ACCOUNT_ALIASES,
    )?;
    tx.insert_alias(account, alias)
        .map_err(IamError::on_insert(EntityKind::AccountAlias, alias))
}
