//! `sqlxos.explain_with_indexes(query text, index_ddl text[] DEFAULT '{}')
//!  RETURNS TABLE (plan text, total_cost float8, hypothetical_indexes_used text[])`
//!
//! ```sql
//! SELECT * FROM sqlxos.explain_with_indexes(
//!     'SELECT * FROM t WHERE a = 42', ARRAY['CREATE INDEX ON t (a)']);
//! -- plan: Index Scan using <sqlxos>t_a_idx on t  (cost=0.29..8.31 rows=1 width=8) ...
//! -- total_cost: 8.31, hypothetical_indexes_used: {t_a_idx}
//! ```
//!
//! Plans `query` as if the indexes existed and returns its EXPLAIN, one row
//! per planned statement (one, unless a rule rewrites it into several).
//! Nothing is created or executed. `$1`-style parameters are allowed: the
//! plan is the generic one.

use pgrx::prelude::*;

use super::error::HypoError;
use super::index::HypoIndex;
use super::{ddl, plan, state};

/// Parses the `index_ddl` array into hypothetical indexes, naming the
/// 1-based element in errors.
pub(crate) fn parse_all<S: AsRef<str>>(
    items: &[Option<S>],
    arg: &str,
) -> Result<Vec<HypoIndex>, HypoError> {
    let oids = state::fake_oids(items.len())?;
    items
        .iter()
        .zip(oids)
        .enumerate()
        .map(|(n, (item, oid))| {
            let what = format!("{arg}[{}]", n + 1);
            match item {
                None => Err(HypoError::InvalidArgument(format!(
                    "{what}: must not be NULL"
                ))),
                Some(s) => ddl::parse(s.as_ref(), &what, oid),
            }
        })
        .collect()
}

#[pg_extern(volatile, strict, parallel_unsafe)]
fn explain_with_indexes(
    query: &str,
    index_ddl: default!(Vec<Option<String>>, "'{}'"),
) -> TableIterator<
    'static,
    (
        name!(plan, String),
        name!(total_cost, f64),
        name!(hypothetical_indexes_used, Vec<String>),
    ),
> {
    let result = parse_all(&index_ddl, "index_ddl").and_then(|indexes| {
        let names: Vec<String> = indexes.iter().map(|i| i.name.clone()).collect();
        plan::plan_with(query, indexes, true).map(|planned| (names, planned))
    });
    let (names, planned) = result.unwrap_or_else(|e| e.raise());
    let rows: Vec<_> = planned
        .into_iter()
        .map(|p| {
            let used = p.used.iter().map(|&i| names[i].clone()).collect();
            (p.explain, p.total_cost, used)
        })
        .collect();
    TableIterator::new(rows)
}
