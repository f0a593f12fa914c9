//! Name-ordered pages: every IAM listing is ordered by lowercase name, and its marker is the
//! lowercase name of the first item of the next page.

use crate::engine::{Conn, Row, ToVal, Val};
use portcullis_core::{Page, StoreResult};

/// Runs `sql`, whose last selected column is `name_lc` and whose last two parameters are the
/// marker (`name_lc >= ?`) and the limit, and cuts one page of `max_items` from it.
pub(crate) fn page_by_name<T>(
    c: &dyn Conn,
    sql: &str,
    params: &[Val],
    marker: Option<&str>,
    max_items: usize,
    row: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Page<T>> {
    let limit = i64::try_from(max_items.saturating_add(1)).unwrap_or(i64::MAX);
    let mut all: Vec<Val> = params.to_vec();
    all.push(marker.unwrap_or("").to_val());
    all.push(limit.to_val());
    let mut found: Vec<(T, String)> = c
        .query(sql, &all)?
        .iter()
        .map(|r| Ok((row(r)?, r.get::<String>(r.len().saturating_sub(1))?)))
        .collect::<StoreResult<_>>()?;
    let next_marker = if found.len() > max_items {
        found.pop().map(|(_, lc)| lc)
    } else {
        None
    };
    Ok(Page {
        items: found.into_iter().map(|(t, _)| t).collect(),
        next_marker,
    })
}

/// One page of an account's `table` rows whose path starts with `prefix`, by name: the listing
/// behind ListUsers, ListGroups and ListRoles.
pub(crate) fn list_by_path<T>(
    c: &dyn Conn,
    (table, columns): (&str, &str),
    account: &str,
    prefix: &str,
    marker: Option<&str>,
    max_items: usize,
    row: impl Fn(&Row) -> StoreResult<T>,
) -> StoreResult<Page<T>> {
    let sql = format!(
        "SELECT {columns}, name_lc FROM {table} WHERE account = ?1
         AND substr(path, 1, length(CAST(?2 AS TEXT))) = ?2
         AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
    );
    page_by_name(
        c,
        &sql,
        crate::engine::params![account, prefix],
        marker,
        max_items,
        row,
    )
}
