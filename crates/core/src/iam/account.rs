//! The account: CreateAccountAlias's and DeleteAccountAlias's rules as domain services, inside
//! one write transaction: an alias belongs to one account, and an account has at most one alias
//! (`AccountAliasesPerAccount`); giving an account its own alias again is not an error; only the
//! account's own alias can be deleted. The alias syntax ([`check_alias`]) is
//! checked first, outside the transaction.

use crate::error::{EntityKind, IamError, IamResult};
use crate::quotas::{self, MAX_ACCOUNT_ALIASES, Quota};
use crate::store::Tx;

/// The part of the alias rule the model's pattern cannot say in Rust's regex: no `--`, and not a
/// 12-digit number (the pattern `^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$` checks the rest).
pub fn check_alias(alias: &str) -> IamResult<()> {
    let shape_ok = alias.len() >= 3
        && alias
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !alias.starts_with('-')
        && !alias.ends_with('-')
        && !alias.contains("--");
    if !shape_ok {
        return Err(IamError::InvalidAccountAlias(alias.to_string()));
    }
    if alias.len() == 12 && alias.bytes().all(|b| b.is_ascii_digit()) {
        return Err(IamError::NumericAccountAlias);
    }
    Ok(())
}

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

/// DeleteAccountAlias: the alias must be the account's.
pub fn delete_alias(tx: &dyn Tx, account: &str, alias: &str) -> IamResult<()> {
    tx.delete_account_alias(account, alias)
        .map_err(IamError::on_missing(EntityKind::AccountAlias, alias))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alias_syntax() {
        assert_eq!(check_alias("my-corp-1"), Ok(()));
        for bad in ["ab", "-abc", "abc-", "a--b", "Upper", "a_b"] {
            assert_eq!(
                check_alias(bad),
                Err(IamError::InvalidAccountAlias(bad.to_string())),
                "{bad}"
            );
        }
        assert_eq!(
            check_alias("a--b").unwrap_err().to_string(),
            "1 validation error detected: Value 'a--b' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"
        );
        assert_eq!(
            check_alias("123456789012"),
            Err(IamError::NumericAccountAlias)
        );
        assert_eq!(check_alias("1234567890123"), Ok(()));
        assert_eq!(
            IamError::NumericAccountAlias.to_string(),
            "The account alias cannot be a 12-digit number."
        );
    }
}
