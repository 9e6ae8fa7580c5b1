//! Index advice for SQLite: the captured workload (or one statement) in,
//! ranked `CREATE INDEX IF NOT EXISTS` statements out, each with why.
//!
//! 1. [`schema::Schema`] reads the catalog and samples the tables the
//!    workload names (nothing is written to the user's database).
//! 2. [`oracle::SqliteOracle`] copies the schema into a private in-memory
//!    database and prices each query with candidate indexes there.
//! 3. The engine-neutral [`sqlxos_core::advisor::advise`] generates the
//!    candidates (equality columns, then one range or ORDER BY column;
//!    covering variants, as trailing key columns, also for a join through
//!    a composite primary key's first column, and merged across queries;
//!    deduplicated against existing indexes, the rowid, the primary key
//!    and each other) and picks greedily, checking every candidate against
//!    the whole workload: one that makes any query costlier than without
//!    advice is rejected, one whose writes cost more than it saves too.
//! 4. [`widen`]: a covering pick SQLite would scan in full in place of its
//!    table, in the index's order, with another table's lookups nested in
//!    the scan, gets every column of the table (when that fits and is
//!    priced cheaper), so SQLite scans the table, in rowid order.

use std::collections::HashMap;

use rusqlite::Connection;
use sqlxos_core::advisor::{advise, AdviceOptions, DdlStyle, WorkloadQuery};
use sqlxos_core::sql::{features, features_with_catalog, Dialect, StatementKind};

use crate::capture::ConnState;

pub(crate) mod oracle;
pub(crate) mod schema;
pub(crate) mod vtab;
pub(crate) mod widen;

/// One statement to advise on.
pub(crate) struct Input {
    pub id: String,
    /// Shown to users (normalized for the captured workload).
    pub shown: String,
    /// Planned (a real text with constants, or with `?` parameters).
    pub sql: String,
    pub calls: f64,
    pub mean_ms: f64,
}

/// One row of `sqlxos_suggest_indexes`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Suggestion {
    pub table_name: String,
    pub columns: String,
    pub index_ddl: String,
    pub estimated_bytes: i64,
    pub cost_before: f64,
    pub cost_after: f64,
    pub improvement_pct: f64,
    pub queries: String,
    pub reason: String,
}

/// How an input was refused, for `suggest_indexes_for`'s error.
pub(crate) enum Refusal {
    /// The statement is not something indexes help (INSERT, DDL, PRAGMA).
    Kind(String),
    /// SQLite cannot plan it in the copy of the schema.
    Plan(String),
}

/// Advice for `inputs`. `strict`: refuse (with [`Refusal`]) an input that
/// cannot be advised on instead of skipping it. Write counts per table
/// (lower case) come from the captured workload.
pub(crate) fn suggest(
    state: &ConnState,
    inputs: &[Input],
    writes: &HashMap<String, f64>,
    strict: bool,
) -> Result<Vec<Suggestion>, Result<Refusal, String>> {
    // SAFETY: the connection is the live one calling us (a virtual table
    // of this connection is being read); from_handle does not take
    // ownership and the Connection is dropped before we return.
    let db = unsafe { Connection::from_handle(state.db()) }.map_err(|e| Err(e.to_string()))?;
    state.quietly(|| run(&db, inputs, writes, strict))
}

/// Share of the database's size all proposed indexes may take together:
/// half of the 124% of the TPC-H database `.expert` proposes (SF 0.1 and
/// SF 1), the most issue 11 allows. It was 0.6, which left no room at SF 1
/// for the full-width `part` index that keeps q14 in key order
/// ([`widen`]).
const MAX_BYTES_SHARE: f64 = 0.62;
/// Most columns a covering candidate adds to its key, and their widest
/// total (average bytes). SQLite has no INCLUDE: covering columns are
/// trailing key columns, and an index with the few narrow columns a join
/// reads (TPC-H q07 reads five of lineitem's sixteen) is still a fraction
/// of its table.
const MAX_COVERING: usize = 6;
const MAX_COVERING_BYTES: u32 = 64;

/// The advisor's options: a size budget of 62% of the database, so advice
/// never grows a database by more than that (`.expert` proposes 124% of
/// the TPC-H database; issue 11 asks for at most half of that), filled by
/// benefit per byte best first; and the options for an engine without
/// INCLUDE whose planner changes join orders with each index (see
/// `AdviceOptions`).
fn options(db: &Connection) -> AdviceOptions {
    let bytes: f64 = db
        .query_row(
            "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_or(0.0, |b| b as f64);
    options_for(bytes)
}

/// [`options`] for a database of `bytes` bytes (0: unknown, no budget).
///
/// `pair_to_cure`: SQLite's planner reorders a join around any new index,
/// so an index one query needs can put another on a plan that only a
/// second index makes cheap, and that one alone may save too little to be
/// picked first. At TPC-H SF 1 (1.25 GB), the orders(o_custkey) q22 needs
/// (120 s without it) makes SQLite start q07 from customer and find
/// lineitem by l_orderkey in random order; only with a covering
/// lineitem(l_orderkey, ...) is that plan as cheap as the one without
/// advice, and alone that index never gets a turn before the size budget
/// runs out. Without pairing, the advice leaves q22 at its timeout.
fn options_for(bytes: f64) -> AdviceOptions {
    AdviceOptions {
        max_bytes: if bytes > 0.0 {
            (bytes * MAX_BYTES_SHARE) as u64
        } else {
            u64::MAX
        },
        regression_vs_unadvised: true,
        max_include: MAX_COVERING,
        max_include_bytes: MAX_COVERING_BYTES,
        covering_over_selective_lead: true,
        merge_covering: true,
        pair_to_cure: true,
        ..AdviceOptions::default()
    }
}

fn run(
    db: &Connection,
    inputs: &[Input],
    writes: &HashMap<String, f64>,
    strict: bool,
) -> Result<Vec<Suggestion>, Result<Refusal, String>> {
    let mut wanted: Vec<String> = Vec::new();
    for i in inputs {
        if let Ok(f) = features(&i.sql, Dialect::Sqlite) {
            for t in f.tables {
                if !wanted.contains(&t) {
                    wanted.push(t.to_lowercase());
                }
            }
        }
    }
    for t in writes.keys() {
        if !wanted.contains(t) {
            wanted.push(t.clone());
        }
    }
    let mut schema = schema::Schema::load(db, &wanted).map_err(Err)?;
    for t in schema.catalog.tables.iter_mut() {
        t.writes = writes.get(&t.name).copied().unwrap_or(0.0);
    }
    let mut workload = Vec::new();
    let mut shown: HashMap<String, String> = HashMap::new();
    for i in inputs {
        let mut f = match features_with_catalog(&i.sql, Dialect::Sqlite, &schema.catalog) {
            Ok(f) => f,
            Err(e) if strict => return Err(Ok(Refusal::Plan(e.to_string()))),
            Err(_) => continue,
        };
        match f.kind {
            StatementKind::Select | StatementKind::Update | StatementKind::Delete => {}
            _ if strict => {
                return Err(Ok(Refusal::Kind(
                    i.sql.split_whitespace().next().unwrap_or("").to_uppercase(),
                )))
            }
            _ => continue,
        }
        for t in &f.tables {
            if let Some(ts) = schema.catalog.tables.iter_mut().find(|x| &x.name == t) {
                ts.reads += i.calls;
            }
        }
        // Every SQLite index entry holds the rowid: a column that is the
        // rowid needs no place in a covering index.
        f.selected.retain(|c| !schema.is_rowid(&c.table, &c.column));
        shown.insert(i.id.clone(), i.shown.clone());
        workload.push(WorkloadQuery {
            id: i.id.clone(),
            text: i.sql.clone(),
            calls: i.calls.max(1.0),
            mean_ms: i.mean_ms,
            timed_out: false,
            features: f,
        });
    }
    let mut oracle = oracle::SqliteOracle::new(db, &schema).map_err(Err)?;
    // Queries SQLite cannot plan in the copy (temp or attached tables,
    // dropped since) are left out, or refused for a single statement.
    let mut planned = Vec::new();
    for q in workload {
        match oracle.explain(&q.text) {
            Ok(_) => planned.push(q),
            Err(e) if strict => return Err(Ok(Refusal::Plan(e.to_string()))),
            Err(_) => {}
        }
    }
    let opts = options(db);
    let mut advice = advise(
        &planned,
        &schema.catalog,
        &mut oracle,
        &opts,
        DdlStyle::Sqlite,
        &mut |_| {},
    )
    .map_err(|e| Err(e.to_string()))?;
    widen::widen_scanned(
        &mut advice.picks,
        &planned,
        &mut oracle,
        &schema,
        opts.max_bytes,
    )
    .map_err(|e| Err(e.to_string()))?;
    Ok(advice
        .picks
        .into_iter()
        .map(|p| {
            let real = schema
                .tables
                .get(&p.index.table)
                .map_or(p.index.table.clone(), |t| t.real.clone());
            Suggestion {
                table_name: real,
                columns: p.index.all_columns().join(", "),
                index_ddl: p
                    .ddl
                    .replacen("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1),
                estimated_bytes: i64::try_from(p.bytes).unwrap_or(i64::MAX),
                cost_before: p.cost_before,
                cost_after: p.cost_after,
                improvement_pct: p.improvement_pct,
                queries: p
                    .queries
                    .iter()
                    .map(|(id, text)| {
                        format!(
                            "{id}: {}",
                            shown.get(id).map_or(text.as_str(), |s| s.as_str())
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
                reason: p.reason,
            }
        })
        .collect())
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn options_budget_the_database_share_and_pair_an_index_with_its_cure() {
        let o = options_for(1e9);
        assert_eq!(o.max_bytes, 620_000_000);
        assert!(o.regression_vs_unadvised);
        // Without it, TPC-H SF 1's q22 keeps its 120 s timeout (see
        // bench/tpch_sqlite/README.md).
        assert!(o.pair_to_cure);
        assert_eq!(options_for(0.0).max_bytes, u64::MAX);
    }
}
