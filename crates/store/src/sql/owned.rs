//! The statements every table of credentials owned by a user, or by the root user
//! (`user_id IS NULL`), shares: listing and counting an owner's rows, setting one's status and
//! deleting one, each written once with the table's name (access keys, SSH public keys,
//! service-specific credentials, signing certificates).

use crate::engine::{Conn, Row, all_rows, change, count, params};
use portcullis_core::{KeyStatus, StoreResult};

/// The owner of a credential: (account, user id; `None` for the root user).
pub(super) type Owner<'a> = (&'a str, Option<&'a str>);

/// The rows of `table` owned by `owner`, read by `row` from `columns`, ordered by `order`
/// (then id).
pub(super) fn list<T>(
    c: &dyn Conn,
    (table, columns, order): (&str, &str, &str),
    (account, user_id): Owner<'_>,
    row: impl FnMut(&Row) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let sql = format!(
        "SELECT {columns} FROM {table} WHERE account = ?1 AND user_id IS NOT DISTINCT FROM ?2 ORDER BY {order}, id"
    );
    all_rows(c, &sql, params![account, user_id], row)
}

/// How many rows of `table` `owner` has.
pub(super) fn count_of(
    c: &dyn Conn,
    table: &str,
    (account, user_id): Owner<'_>,
) -> StoreResult<usize> {
    let sql = format!(
        "SELECT COUNT(*) FROM {table} WHERE account = ?1 AND user_id IS NOT DISTINCT FROM ?2"
    );
    count(c, &sql, params![account, user_id])
}

/// Sets the status of the credential `id` of `table` owned by `owner` (NotFound when absent).
pub(super) fn set_status(
    c: &dyn Conn,
    table: &str,
    (account, user_id): Owner<'_>,
    id: &str,
    st: KeyStatus,
) -> StoreResult<()> {
    let sql = format!(
        "UPDATE {table} SET status = ?1 WHERE id = ?2 AND account = ?3 AND user_id IS NOT DISTINCT FROM ?4"
    );
    change(c, &sql, params![st.as_str(), id, account, user_id])
}

/// Deletes the credential `id` of `table` owned by `owner` (NotFound when absent).
pub(super) fn delete(
    c: &dyn Conn,
    table: &str,
    (account, user_id): Owner<'_>,
    id: &str,
) -> StoreResult<()> {
    let sql = format!(
        "DELETE FROM {table} WHERE id = ?1 AND account = ?2 AND user_id IS NOT DISTINCT FROM ?3"
    );
    change(c, &sql, params![id, account, user_id])
}
