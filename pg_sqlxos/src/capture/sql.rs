//! The SQL surface of the capture, `sqlxos.workload_entries()` under the
//! view `sqlxos.workload` (`capture/workload.sql`) and `sqlxos.reset()`,
//! and [`snapshot`], the same data for Rust callers (the advisor).
//!
//! Only the current database's entries are shown. A superuser or member of
//! `pg_read_all_stats` sees every user's statements, anyone else only
//! their own, as with `pg_stat_statements`. `reset()` is revoked from
//! PUBLIC (grant it as needed).

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::prelude::*;
use pgrx::{pg_sys, PgSqlErrorCode};

use super::shmem::{self, EntryCopy, Kind, Op, PlanNode, Pred};

/// A predicate column resolved with the catalog at read time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CapturedPredicate {
    pub relid: pg_sys::Oid,
    pub attnum: i16,
    pub schema: String,
    pub table: String,
    pub column: String,
    /// `=`, `range`, `in`, `like`, `is null`, `other`, or `key` for sort
    /// and group keys.
    pub op: &'static str,
    /// `filter`, `join`, `sort` or `group`.
    pub kind: &'static str,
}

impl CapturedPredicate {
    /// `public.orders.o_custkey =`, `public.t.k = join`, `public.t.d sort`.
    pub fn to_text(&self) -> String {
        let col = format!("{}.{}.{}", self.schema, self.table, self.column);
        match self.kind {
            "filter" => format!("{col} {}", self.op),
            "join" => format!("{col} {} join", self.op),
            kind => format!("{col} {kind}"),
        }
    }
}

/// One captured statement, as the advisor reads it.
#[derive(Clone, Debug)]
pub struct CapturedQuery {
    pub dbid: pg_sys::Oid,
    pub userid: pg_sys::Oid,
    pub queryid: i64,
    /// Normalized text (constants as `$n`).
    pub query: String,
    /// The text with the constants of its first execution, when they were
    /// kept (they fit in the entry): what the advisor plans.
    pub sample: Option<String>,
    pub calls: i64,
    pub total_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
    pub stddev_ms: f64,
    pub rows: i64,
    /// Runs cancelled (statement_timeout, user cancel).
    pub cancelled: i64,
    /// Runs ended by another ERROR.
    pub failed: i64,
    /// Columns of dropped tables are left out.
    pub predicates: Vec<CapturedPredicate>,
    /// JSON array: `[{"node":"SeqScan","depth":0,"est_rows":..,"actual_rows":..,"loops":..}]`.
    pub plan_summary: String,
    /// The plan node whose row estimate fell furthest short of what the
    /// last run found, as (estimated, found) rows per loop, when it fell
    /// short by [`UNDERESTIMATE`] times or more on at least
    /// [`UNDERESTIMATE_ROWS`] rows: plans the planner sizes on such an
    /// estimate are not to be trusted.
    pub underestimate: Option<(f64, f64)>,
}

/// See [`CapturedQuery::underestimate`].
pub const UNDERESTIMATE: f64 = 10.0;
/// See [`CapturedQuery::underestimate`].
pub const UNDERESTIMATE_ROWS: f64 = 1000.0;

/// The node of `plan` whose estimate fell furthest short (see
/// [`CapturedQuery::underestimate`]). Nodes not measured (`actual_rows`
/// below 0) are skipped; a cancelled run only undercounts, so it never
/// shows an underestimate that was not there.
pub fn worst_underestimate(plan: &[PlanNode]) -> Option<(f64, f64)> {
    plan.iter()
        .filter(|n| n.actual_rows.is_finite() && n.est_rows.is_finite())
        .filter(|n| n.actual_rows * n.loops.max(1.0) >= UNDERESTIMATE_ROWS)
        .filter(|n| n.actual_rows >= UNDERESTIMATE * n.est_rows.max(1.0))
        .map(|n| (n.est_rows, n.actual_rows))
        .max_by(|a, b| (a.1 / a.0.max(1.0)).total_cmp(&(b.1 / b.0.max(1.0))))
}

fn not_preloaded() -> ! {
    ErrorReport::new(
        PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
        "sqlxos workload capture is not active: sqlxos was not preloaded",
        "sqlxos",
    )
    .set_hint("add sqlxos to shared_preload_libraries and restart")
    .report(PgLogLevel::ERROR);
    unreachable!("an ERROR report does not return")
}

fn op_text(op: Op) -> &'static str {
    match op {
        Op::Eq => "=",
        Op::Range => "range",
        Op::In => "in",
        Op::Like => "like",
        Op::IsNull => "is null",
        Op::Other => "other",
        Op::Key => "key",
    }
}

fn kind_text(kind: Kind) -> &'static str {
    match kind {
        Kind::Filter => "filter",
        Kind::Join => "join",
        Kind::Sort => "sort",
        Kind::Group => "group",
    }
}

/// Catalog name lookups; `None` when the relation or column is gone.
fn resolve(p: &Pred) -> Option<CapturedPredicate> {
    // SAFETY: syscache lookups in a transaction (SQL functions run in one);
    // each returns NULL for a missing object, and the strings are copied.
    unsafe {
        let cstr = |p: *mut std::ffi::c_char| {
            (!p.is_null()).then(|| std::ffi::CStr::from_ptr(p).to_string_lossy().into_owned())
        };
        let table = cstr(pg_sys::get_rel_name(p.relid))?;
        let schema = cstr(pg_sys::get_namespace_name(pg_sys::get_rel_namespace(
            p.relid,
        )))?;
        let column = cstr(pg_sys::get_attname(p.relid, p.attnum, true))?;
        Some(CapturedPredicate {
            relid: p.relid,
            attnum: p.attnum,
            schema,
            table,
            column,
            op: op_text(p.op),
            kind: kind_text(p.kind),
        })
    }
}

fn plan_json(e: &EntryCopy) -> String {
    let nodes: Vec<String> = e
        .plan
        .iter()
        .map(|n| {
            format!(
                r#"{{"node":"{}","depth":{},"est_rows":{},"actual_rows":{},"loops":{}}}"#,
                n.name(),
                n.depth,
                json_num(n.est_rows),
                json_num(n.actual_rows),
                json_num(n.loops)
            )
        })
        .collect();
    format!("[{}]", nodes.join(","))
}

fn json_num(x: f64) -> String {
    if x.is_finite() {
        format!("{}", (x * 100.0).round() / 100.0)
    } else {
        "null".into()
    }
}

fn to_captured(e: EntryCopy) -> CapturedQuery {
    let c = e.counters;
    let (query, constants) = super::normalize::split_sample(&e.text);
    let sample = (!constants.is_empty()).then(|| super::normalize::restore(query, &constants));
    let query = query.to_owned();
    CapturedQuery {
        dbid: e.key.dbid,
        userid: e.key.userid,
        queryid: e.key.queryid as i64,
        predicates: e.preds.iter().filter_map(resolve).collect(),
        plan_summary: plan_json(&e),
        underestimate: worst_underestimate(&e.plan),
        query,
        sample,
        calls: c.calls,
        total_ms: c.total_ms,
        min_ms: c.min_ms,
        max_ms: c.max_ms,
        mean_ms: c.mean_ms,
        stddev_ms: c.stddev_ms(),
        rows: c.rows,
        cancelled: c.cancelled,
        failed: c.failed,
    }
}

/// Whether the current user sees every user's statements.
fn sees_all() -> bool {
    // SAFETY: role membership lookups for the current user, in a transaction.
    unsafe {
        let me = pg_sys::GetUserId();
        pg_sys::superuser()
            || pg_sys::has_privs_of_role(me, pg_sys::Oid::from(pg_sys::ROLE_PG_READ_ALL_STATS))
    }
}

/// The captured statements of database `dbid` the current user may see,
/// predicates resolved to names with the catalog now. Empty when sqlxos is
/// not preloaded. Call inside a transaction.
pub fn snapshot(dbid: pg_sys::Oid) -> Vec<CapturedQuery> {
    let all = sees_all();
    // SAFETY: GetUserId reads backend state.
    let me = unsafe { pg_sys::GetUserId() };
    shmem::read(|k| k.dbid == dbid && (all || k.userid == me))
        .into_iter()
        .map(to_captured)
        .collect()
}

/// The rows of `sqlxos.workload`: the current database's captured statements.
// pgrx needs the row tuple spelled out in the signature.
#[allow(clippy::type_complexity)]
#[pg_extern(volatile, parallel_restricted)]
fn workload_entries() -> TableIterator<
    'static,
    (
        name!(dbid, pg_sys::Oid),
        name!(userid, pg_sys::Oid),
        name!(queryid, i64),
        name!(query, String),
        name!(calls, i64),
        name!(total_ms, f64),
        name!(min_ms, f64),
        name!(max_ms, f64),
        name!(mean_ms, f64),
        name!(stddev_ms, f64),
        name!(rows, i64),
        name!(cancelled, i64),
        name!(failed, i64),
        name!(predicates, Vec<String>),
        name!(plan_summary, String),
    ),
> {
    if !shmem::ready() {
        not_preloaded();
    }
    // SAFETY: MyDatabaseId is set for the life of the backend.
    let db = unsafe { pg_sys::MyDatabaseId };
    let rows: Vec<_> = snapshot(db)
        .into_iter()
        .map(|q| {
            (
                q.dbid,
                q.userid,
                q.queryid,
                q.query,
                q.calls,
                q.total_ms,
                q.min_ms,
                q.max_ms,
                q.mean_ms,
                q.stddev_ms,
                q.rows,
                q.cancelled,
                q.failed,
                q.predicates
                    .iter()
                    .map(CapturedPredicate::to_text)
                    .collect(),
                q.plan_summary,
            )
        })
        .collect();
    TableIterator::new(rows)
}

/// `sqlxos.reset()`: forgets the current database's captured statements;
/// returns how many.
#[pg_extern(volatile, parallel_unsafe)]
fn reset() -> i64 {
    if !shmem::ready() {
        not_preloaded();
    }
    // SAFETY: MyDatabaseId is set for the life of the backend.
    shmem::reset(unsafe { pg_sys::MyDatabaseId })
}

pgrx::extension_sql_file!("workload.sql", requires = [workload_entries, reset]);

#[cfg(test)]
mod plain_tests {
    use super::worst_underestimate;
    use crate::capture::shmem::{PlanNode, NODE_NAME_LEN};

    fn node(est: f64, actual: f64, loops: f64) -> PlanNode {
        PlanNode {
            name: [b'N'; NODE_NAME_LEN],
            depth: 0,
            est_rows: est,
            actual_rows: actual,
            loops,
        }
    }

    #[test]
    fn the_furthest_short_estimate_is_kept() {
        // TPC-H q09 at SF 1: a join the planner sized at 139 rows found
        // 319,404; above it a node 20x short, below it one exact.
        let plan = [
            node(1000.0, 20_000.0, 1.0),
            node(139.0, 319_404.0, 1.0),
            node(800_000.0, 800_000.0, 1.0),
        ];
        assert_eq!(worst_underestimate(&plan), Some((139.0, 319_404.0)));
    }

    #[test]
    fn small_or_near_estimates_are_not_underestimates() {
        // 9x short: within what estimates usually miss by.
        assert_eq!(worst_underestimate(&[node(1000.0, 9000.0, 1.0)]), None);
        // 100x short but on 500 rows in all: nothing a plan rests on.
        assert_eq!(worst_underestimate(&[node(5.0, 500.0, 1.0)]), None);
        // The same per loop over 10 loops is 5,000 rows: it counts.
        assert_eq!(
            worst_underestimate(&[node(5.0, 500.0, 10.0)]),
            Some((5.0, 500.0))
        );
        // Not measured (-1), overestimated, empty.
        assert_eq!(worst_underestimate(&[node(10.0, -1.0, 0.0)]), None);
        assert_eq!(worst_underestimate(&[node(1e6, 10.0, 1.0)]), None);
        assert_eq!(worst_underestimate(&[]), None);
        // An estimate below one row is taken as one.
        assert_eq!(
            worst_underestimate(&[node(0.0, 5000.0, 1.0)]),
            Some((0.0, 5000.0))
        );
    }
}
