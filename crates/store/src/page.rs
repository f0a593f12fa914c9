//! Name-ordered pages: every IAM listing is ordered by lowercase name, and its marker is the
//! lowercase name of the first item of the next page.

use crate::sqlite::backend;
use portcullis_core::{Page, StoreResult};
use rusqlite::{Connection, Row};

/// Runs `sql`, whose last selected column is `name_lc` and whose last two parameters are the
/// marker (`name_lc >= ?`) and the limit, and cuts one page of `max_items` from it.
pub(crate) fn page_by_name<T>(
    c: &Connection,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
    marker: Option<&str>,
    max_items: usize,
    row: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Page<T>> {
    let mut st = c.prepare_cached(sql).map_err(backend)?;
    let limit = i64::try_from(max_items.saturating_add(1)).unwrap_or(i64::MAX);
    let marker = marker.unwrap_or("");
    let mut all: Vec<&dyn rusqlite::ToSql> = params.to_vec();
    all.push(&marker);
    all.push(&limit);
    let name_col = st.column_count().saturating_sub(1);
    let mut found: Vec<(T, String)> = st
        .query_map(all.as_slice(), |r| {
            Ok((row(r)?, r.get::<_, String>(name_col)?))
        })
        .map_err(backend)?
        .collect::<Result<_, _>>()
        .map_err(backend)?;
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
    c: &Connection,
    (table, columns): (&str, &str),
    account: &str,
    prefix: &str,
    marker: Option<&str>,
    max_items: usize,
    row: impl Fn(&Row<'_>) -> rusqlite::Result<T>,
) -> StoreResult<Page<T>> {
    let sql = format!(
        "SELECT {columns}, name_lc FROM {table} WHERE account = ?1 AND substr(path, 1, length(?2)) = ?2
         AND name_lc >= ?3 ORDER BY name_lc LIMIT ?4"
    );
    page_by_name(c, &sql, &[&account, &prefix], marker, max_items, row)
}
