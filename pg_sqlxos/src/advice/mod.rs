//! Index advice for PostgreSQL: the engine-neutral advisor of
//! `sqlxos-core`, fed with the captured workload and the catalog, and
//! pricing every candidate with PostgreSQL's own planner through
//! hypothetical indexes.
//!
//! ```sql
//! SELECT table_name, columns, index_ddl, estimated_size, improvement_pct, reason
//!   FROM sqlxos.suggest_indexes();
//! SELECT * FROM sqlxos.suggest_indexes_for('SELECT * FROM orders WHERE customer_id = 42');
//! ```
//!
//! Nothing is created: each row carries the `CREATE INDEX CONCURRENTLY`
//! statement to run if you agree.
//!
//! - [`catalog`]: tables, column statistics and existing indexes via SPI.
//! - [`workload`]: captured statements to the advisor's workload.
//! - [`oracle`]: the planner as the advisor's cost oracle.

mod catalog;
mod oracle;
mod workload;

#[cfg(any(test, feature = "pg_test"))]
mod tests;

use std::collections::HashMap;
use std::time::Instant;

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::{PgLogLevel, PgSqlErrorCode};
use sqlxos_core::advisor::{self, AdviceOptions, DdlStyle, IndexDef, WorkloadQuery};
use sqlxos_core::sql::StatementKind;

use self::oracle::PgOracle;
use self::workload::Draft;

/// Cost units charged per row written to a table, per level of an index's
/// depth proxy (log2 of its pages). PostgreSQL prices reading a page in
/// sequence at 1.0; maintaining a btree entry for one written row costs
/// about as much as a couple of those, so a 2 MB index (about 8 levels by
/// this proxy) is charged ~2 units a write.
const WRITE_PENALTY: f64 = 0.25;

/// Most captured statements considered, the ones with the most total time.
const MAX_WORKLOAD: usize = 500;

/// One row of `suggest_indexes`.
type Row = (
    String,
    String,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Vec<i64>,
    Vec<String>,
    String,
);

fn fail(code: PgSqlErrorCode, message: String) -> ! {
    ErrorReport::new(code, message, "sqlxos").report(PgLogLevel::ERROR);
    unreachable!("an ERROR report does not return")
}

fn bad_argument(func: &str, arg: &str, expected: &str, got: impl std::fmt::Display) -> ! {
    fail(
        PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        format!("{func}(): argument \"{arg}\" {expected}, got {got}"),
    )
}

/// Checks the shared arguments and turns them into options.
fn options(
    func: &str,
    max_indexes: i32,
    max_bytes: Option<i64>,
    min_improvement_pct: f64,
) -> AdviceOptions {
    if !(1..=100).contains(&max_indexes) {
        bad_argument(
            func,
            "max_indexes",
            "must be between 1 and 100",
            max_indexes,
        );
    }
    if let Some(b) = max_bytes {
        if b <= 0 {
            bad_argument(func, "max_bytes", "must be > 0 (or NULL for no limit)", b);
        }
    }
    if !(0.0..=100.0).contains(&min_improvement_pct) {
        bad_argument(
            func,
            "min_improvement_pct",
            "must be between 0 and 100",
            min_improvement_pct,
        );
    }
    AdviceOptions {
        max_indexes: max_indexes as usize,
        max_bytes: max_bytes.map_or(u64::MAX, |b| b as u64),
        min_improvement_pct,
        write_penalty: WRITE_PENALTY,
        // Without a budget, bytes must pay for themselves; with one, the
        // budget decides what space is worth.
        bytes_for_benefit: max_bytes.is_none(),
        ..AdviceOptions::default()
    }
}

fn columns_text(i: &IndexDef) -> String {
    let mut s = i.columns.join(", ");
    if !i.include.is_empty() {
        s.push_str(&format!(" INCLUDE ({})", i.include.join(", ")));
    }
    if let Some(p) = &i.predicate {
        s.push_str(&format!(" WHERE {p}"));
    }
    s
}

fn pretty(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 10 * 1024 {
        return format!("{bytes} bytes");
    }
    let mut v = bytes as f64 / 1024.0;
    let mut u = 0;
    while v >= 10.0 * 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    format!("{} {}", v.round(), UNITS[u])
}

/// The advice for `drafts`, as rows. `notices` reports progress.
fn run(
    func: &str,
    drafts: Vec<Draft>,
    opts: &AdviceOptions,
    include_rejected: bool,
    notices: bool,
) -> Vec<Row> {
    let started = Instant::now();
    let say = |m: &str| {
        if notices {
            pgrx::notice!("sqlxos: {m}");
        }
    };
    let mut tables: Vec<String> = drafts.iter().flat_map(|d| d.tables()).collect();
    tables.sort();
    tables.dedup();
    let pgcat = catalog::read(&tables).unwrap_or_else(|e| {
        fail(
            PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
            format!("{func}(): could not read the catalog: {e}"),
        )
    });
    let mut cat = pgcat.catalog;
    let workload::Built {
        queries,
        writes,
        display,
        underestimates,
    } = workload::build(drafts, &cat);
    for t in &mut cat.tables {
        t.writes = writes.get(&t.name).copied().unwrap_or(0.0);
    }
    let mut oracle = PgOracle::new(&pgcat.qualified);
    // Queries PostgreSQL cannot plan any more (a dropped column, a changed
    // type) are left out rather than failing the whole advice.
    let mut plannable = Vec::with_capacity(queries.len());
    let mut skipped = 0;
    let mut first_error = None;
    for q in queries {
        match oracle.plan(&q.id, &q.text, &[]) {
            Ok(_) => plannable.push(q),
            Err(e) => {
                skipped += 1;
                first_error.get_or_insert_with(|| format!("query {}: {e}", q.id));
            }
        }
    }
    if let Some(e) = &first_error {
        if !notices {
            // One statement from the user: its error is the answer.
            fail(
                PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
                format!("{func}(): {e}"),
            );
        }
        say(&format!(
            "{skipped} captured statements cannot be planned now and are left out (first: {e})"
        ));
    }
    if plannable.is_empty() {
        say("no captured statement reads a table sqlxos can see; run the workload first, or use sqlxos.suggest_indexes_for(query)");
        return Vec::new();
    }
    let mut progress = |m: &str| say(m);
    let advice = advisor::advise(
        &plannable,
        &cat,
        &mut oracle,
        opts,
        DdlStyle::PostgresConcurrently,
        &mut progress,
    )
    .unwrap_or_else(|e| crate::dispatch::raise(e));
    say(&format!(
        "{} indexes proposed from {} statements in {:.1} s ({} planner calls)",
        advice.picks.len(),
        plannable.len(),
        started.elapsed().as_secs_f64(),
        oracle.calls
    ));
    let cautions = cautions(&mut oracle, &advice.picks, &plannable, &underestimates);
    let mut rows: Vec<Row> = advice
        .picks
        .iter()
        .zip(cautions)
        .map(|(p, caution)| {
            let ddl = qualify(&p.ddl, &p.index, &pgcat.qualified);
            (
                p.index.table.clone(),
                columns_text(&p.index),
                Some(ddl),
                Some(p.bytes.min(i64::MAX as u64) as i64),
                Some(pretty(p.bytes)),
                Some(p.cost_before),
                Some(p.cost_after),
                Some((p.improvement_pct * 10.0).round() / 10.0),
                p.queries
                    .iter()
                    .filter_map(|(id, _)| id.parse::<i64>().ok())
                    .collect(),
                p.queries
                    .iter()
                    .map(|(id, t)| display.get(id).unwrap_or(t).clone())
                    .collect(),
                p.reason.clone() + &caution,
            )
        })
        .collect();
    if include_rejected {
        for r in &advice.rejected {
            let reason = match oracle.failures.get(&r.index.key()) {
                Some(e) => format!("Not proposed: PostgreSQL cannot plan with it ({e})."),
                None => format!("Not proposed: {}.", r.reason),
            };
            rows.push((
                r.index.table.clone(),
                columns_text(&r.index),
                None,
                None,
                None,
                None,
                None,
                None,
                Vec::new(),
                Vec::new(),
                reason,
            ));
        }
    }
    rows
}

/// For each pick, a warning naming the statements PostgreSQL would also
/// use it for, with all the picks built, in a plan the planner may well
/// price lower than it runs: one whose saving holds only while its tables
/// stay cached (see `oracle`), or one for a statement whose last run found
/// far more rows than the planner expected somewhere in its plan (the new
/// plan is chosen on the same estimates). The advisor tolerated them
/// because the picks save far more elsewhere. Empty when there is none.
fn cautions(
    oracle: &mut PgOracle,
    picks: &[advisor::Pick],
    queries: &[WorkloadQuery],
    underestimates: &HashMap<String, (f64, f64)>,
) -> Vec<String> {
    let set: Vec<IndexDef> = picks.iter().map(|p| p.index.clone()).collect();
    // SAFETY: a plain backend global (the GUC's value in 8 kB pages).
    let cache = unsafe { pg_sys::effective_cache_size };
    let mut out = vec![String::new(); picks.len()];
    for (i, p) in picks.iter().enumerate() {
        let (mut cached, mut misjudged) = (Vec::new(), Vec::new());
        for q in queries
            .iter()
            .filter(|q| q.features.tables.contains(&p.index.table))
        {
            let uses = |o: &mut PgOracle| {
                o.plan(&q.id, &q.text, &set)
                    .is_ok_and(|(_, used)| used.contains(&i))
            };
            if let Some(&(est, found)) = underestimates.get(&q.id) {
                if uses(oracle) {
                    misjudged.push(format!(
                        "query {} (its last run found {} rows at a step of its plan where the planner expected {})",
                        q.id,
                        count(found),
                        count(est)
                    ));
                }
            } else if oracle.cache_dependent_saving(&q.id, &q.text, &set) > 0.0 && uses(oracle) {
                cached.push(q.id.clone());
            }
        }
        let mut clauses = Vec::new();
        if !cached.is_empty() {
            clauses.push(format!(
                "for {} {}, the plan PostgreSQL would choose with it is cheaper only if the pages its repeated index lookups visit are cached (effective_cache_size {} assumes so), which the planner often prices lower than they run",
                if cached.len() == 1 { "query" } else { "queries" },
                cached.join(", "),
                pretty(cache as u64 * pg_sys::BLCKSZ as u64),
            ));
        }
        if !misjudged.is_empty() {
            clauses.push(format!(
                "for {}, the plan PostgreSQL would choose with it rests on row estimates that run showed far too low, and may well run slower",
                misjudged.join(", "),
            ));
        }
        if !clauses.is_empty() {
            let n = cached.len() + misjudged.len();
            out[i] = format!(
                " Caution: {}. Compare {} before and after building it.",
                clauses.join("; "),
                if n == 1 {
                    "its runtime"
                } else {
                    "their runtimes"
                },
            );
        }
    }
    out
}

/// A row count for people: `319,404`.
fn count(rows: f64) -> String {
    let digits = format!("{}", rows.max(0.0).round() as u64);
    let mut out = String::new();
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (digits.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The DDL with the table name schema-qualified, so it creates the index
/// on the table the advice was computed for whatever the `search_path`.
fn qualify(ddl: &str, index: &IndexDef, qualified: &HashMap<String, String>) -> String {
    let Some(q) = qualified.get(&index.table) else {
        return ddl.to_owned();
    };
    let bare = format!(
        " ON {} (",
        advisor::quote_ident(&index.table, DdlStyle::PostgresConcurrently)
    );
    ddl.replacen(&bare, &format!(" ON {q} ("), 1)
}

/// Index advice for the statements captured in this database (needs
/// sqlxos in `shared_preload_libraries`). Reports progress as NOTICEs.
#[allow(clippy::type_complexity)]
#[pg_extern(volatile, parallel_unsafe)]
fn suggest_indexes(
    max_indexes: default!(i32, 10),
    max_bytes: default!(Option<i64>, "NULL"),
    min_improvement_pct: default!(f64, 5.0),
    include_rejected: default!(bool, false),
) -> TableIterator<
    'static,
    (
        name!(table_name, String),
        name!(columns, String),
        name!(index_ddl, Option<String>),
        name!(estimated_bytes, Option<i64>),
        name!(estimated_size, Option<String>),
        name!(cost_before, Option<f64>),
        name!(cost_after, Option<f64>),
        name!(improvement_pct, Option<f64>),
        name!(queryids, Vec<i64>),
        name!(queries, Vec<String>),
        name!(reason, String),
    ),
> {
    const F: &str = "suggest_indexes";
    let opts = options(F, max_indexes, max_bytes, min_improvement_pct);
    if !crate::capture::ready() {
        ErrorReport::new(
            PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            "suggest_indexes(): no captured workload: sqlxos was not preloaded",
            "sqlxos",
        )
        .set_hint("add sqlxos to shared_preload_libraries and restart, or ask about one statement with sqlxos.suggest_indexes_for(query)")
        .report(PgLogLevel::ERROR);
    }
    // SAFETY: MyDatabaseId is set for the life of the backend.
    let db = unsafe { pg_sys::MyDatabaseId };
    let mut captured = crate::capture::snapshot(db);
    captured.sort_by(|a, b| b.total_ms.total_cmp(&a.total_ms));
    captured.truncate(MAX_WORKLOAD);
    let drafts = captured.into_iter().map(Draft::from_captured).collect();
    TableIterator::new(run(F, drafts, &opts, include_rejected, true))
}

/// Index advice for one statement (`$n` parameters are planned
/// generically). Works without preloading.
#[allow(clippy::type_complexity)]
#[pg_extern(volatile, parallel_unsafe)]
fn suggest_indexes_for(
    query: Option<&str>,
    max_indexes: default!(i32, 10),
    max_bytes: default!(Option<i64>, "NULL"),
    min_improvement_pct: default!(f64, 5.0),
    include_rejected: default!(bool, false),
) -> TableIterator<
    'static,
    (
        name!(table_name, String),
        name!(columns, String),
        name!(index_ddl, Option<String>),
        name!(estimated_bytes, Option<i64>),
        name!(estimated_size, Option<String>),
        name!(cost_before, Option<f64>),
        name!(cost_after, Option<f64>),
        name!(improvement_pct, Option<f64>),
        name!(queryids, Vec<i64>),
        name!(queries, Vec<String>),
        name!(reason, String),
    ),
> {
    const F: &str = "suggest_indexes_for";
    let opts = options(F, max_indexes, max_bytes, min_improvement_pct);
    let Some(query) = query else {
        bad_argument(F, "query", "must be one SQL statement", "NULL")
    };
    if query.trim().is_empty() {
        bad_argument(F, "query", "must be one SQL statement", "an empty string")
    }
    // PostgreSQL's own verdict first: a missing table or a type error is
    // reported as PostgreSQL would, with its SQLSTATE.
    if let Err(e) =
        crate::hypo::oracle::plan_cost(query, &[], crate::hypo::oracle::Cache::AsConfigured)
    {
        let m = e.to_string();
        let m = m.strip_prefix("query: ").unwrap_or(&m);
        fail(e.sqlstate(), format!("{F}(): argument \"query\": {m}"));
    }
    let draft = Draft::single(query).unwrap_or_else(|e| {
        fail(
            PgSqlErrorCode::ERRCODE_SYNTAX_ERROR,
            format!("{F}(): argument \"query\": {e}"),
        )
    });
    if draft
        .rough
        .as_ref()
        .is_some_and(|f| f.kind == StatementKind::Other)
    {
        bad_argument(
            F,
            "query",
            "must be a SELECT, INSERT, UPDATE or DELETE statement",
            "another kind of statement",
        )
    }
    TableIterator::new(run(F, vec![draft], &opts, include_rejected, false))
}

#[cfg(test)]
mod plain_tests {
    #[test]
    fn counts_are_grouped_by_thousands() {
        assert_eq!(super::count(0.0), "0");
        assert_eq!(super::count(139.4), "139");
        assert_eq!(super::count(1000.0), "1,000");
        assert_eq!(super::count(319_404.0), "319,404");
        assert_eq!(super::count(6_001_215.0), "6,001,215");
    }
}
