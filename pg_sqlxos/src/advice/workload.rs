//! From captured statements (or one statement given by the user) to the
//! advisor's workload: query features from the SQL text, completed with the
//! predicates the executor saw (which reach through views and functions the
//! text alone does not show), and the writes each table takes.

use std::collections::HashMap;

use sqlxos_core::advisor::WorkloadQuery;
use sqlxos_core::catalog::Catalog;
use sqlxos_core::sql::{
    features, features_with_catalog, ColumnRef, Dialect, Predicate, PredicateOp, QueryFeatures,
    StatementKind,
};

use crate::capture::{CapturedPredicate, CapturedQuery};

/// A statement before the catalog is known.
pub struct Draft {
    pub id: String,
    /// What the planner gets: the statement with the constants of its
    /// first execution when the capture kept them, else the normalized
    /// text made plannable (`$n` planned generically).
    pub text: String,
    /// What users see: the normalized text.
    pub display: String,
    pub calls: f64,
    pub mean_ms: f64,
    /// Most runs were cancelled (statement_timeout): `mean_ms` is a lower
    /// bound.
    pub timed_out: bool,
    pub rows: f64,
    pub captured: Vec<CapturedPredicate>,
    /// Where the last run's row estimates fell far short, as (estimated,
    /// found): see `CapturedQuery::underestimate`.
    pub underestimate: Option<(f64, f64)>,
    /// Features without the catalog, `None` if sqlxos cannot parse it.
    pub rough: Option<QueryFeatures>,
}

impl Draft {
    pub fn from_captured(q: CapturedQuery) -> Draft {
        // `calls` counts every run, those cancelled by a timeout too (with
        // their time so far in `mean_ms`): the slow queries are the ones
        // most worth an index.
        let calls = q.calls.max(1) as f64;
        let text = q.sample.clone().unwrap_or_else(|| plannable(&q.query));
        Draft {
            id: q.queryid.to_string(),
            rough: features(&text, Dialect::Postgres).ok(),
            text,
            display: q.query,
            calls,
            mean_ms: q.mean_ms,
            timed_out: q.cancelled > 0 && 2 * q.cancelled >= q.calls,
            rows: q.rows.max(0) as f64,
            captured: q.predicates,
            underestimate: q.underestimate,
        }
    }

    pub fn single(text: &str) -> Result<Draft, sqlxos_core::Error> {
        let rough = features(text, Dialect::Postgres)?;
        Ok(Draft {
            id: "the statement".into(),
            text: text.to_owned(),
            display: text.to_owned(),
            calls: 1.0,
            mean_ms: 0.0,
            timed_out: false,
            rows: 0.0,
            captured: Vec::new(),
            underestimate: None,
            rough: Some(rough),
        })
    }

    /// Every table the statement names or the executor saw it read.
    pub fn tables(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .rough
            .as_ref()
            .map(|f| f.tables.clone())
            .unwrap_or_default();
        for p in &self.captured {
            if !out.contains(&p.table) {
                out.push(p.table.clone());
            }
        }
        out
    }
}

fn op(text: &str) -> Option<PredicateOp> {
    Some(match text {
        "=" => PredicateOp::Eq,
        "range" => PredicateOp::Range,
        "in" => PredicateOp::In,
        "like" => PredicateOp::LikePrefix,
        "is null" => PredicateOp::IsNull,
        "other" => PredicateOp::Other,
        _ => return None,
    })
}

/// Adds the executor's filter and group columns on tables the text does
/// not show (views, functions), or all of them when the text did not parse.
fn merge_captured(f: &mut QueryFeatures, captured: &[CapturedPredicate], parsed: bool) {
    let seen: Vec<String> = if parsed { f.tables.clone() } else { Vec::new() };
    for p in captured.iter().filter(|p| !seen.contains(&p.table)) {
        let col = ColumnRef::new(p.table.clone(), p.column.clone());
        if !f.tables.contains(&p.table) {
            f.tables.push(p.table.clone());
        }
        match p.kind {
            "filter" => {
                if let Some(op) = op(p.op) {
                    let pred = Predicate { column: col, op };
                    if !f.predicates.contains(&pred) {
                        f.predicates.push(pred);
                    }
                }
            }
            "group" if !f.group_by.contains(&col) => f.group_by.push(col),
            _ => {}
        }
    }
}

/// The advisor's workload, with the rows each table is written per the
/// workload's INSERT, UPDATE and DELETE statements (same window as the
/// reads, unlike `pg_stat_user_tables`, which counts the initial load).
pub fn build(drafts: Vec<Draft>, catalog: &Catalog) -> Built {
    let mut queries = Vec::new();
    let mut writes: HashMap<String, f64> = HashMap::new();
    let mut display: HashMap<String, String> = HashMap::new();
    let mut underestimates = HashMap::new();
    for d in drafts {
        let parsed = features_with_catalog(&d.text, Dialect::Postgres, catalog).ok();
        let is_parsed = parsed.is_some();
        let mut f = parsed.unwrap_or_else(|| QueryFeatures::empty(StatementKind::Select));
        merge_captured(&mut f, &d.captured, is_parsed);
        if matches!(
            f.kind,
            StatementKind::Insert | StatementKind::Update | StatementKind::Delete
        ) {
            if let Some(target) = f.tables.first() {
                *writes.entry(target.clone()).or_default() += d.rows.max(d.calls);
            }
        }
        let useful = !matches!(f.kind, StatementKind::Insert | StatementKind::Other)
            && f.tables.iter().any(|t| catalog.table(t).is_some());
        if useful {
            display.insert(d.id.clone(), d.display);
            if let Some(u) = d.underestimate {
                underestimates.insert(d.id.clone(), u);
            }
            queries.push(WorkloadQuery {
                id: d.id,
                text: d.text,
                calls: d.calls,
                mean_ms: d.mean_ms,
                timed_out: d.timed_out,
                features: f,
            });
        }
    }
    Built {
        queries,
        writes,
        display,
        underestimates,
    }
}

/// The workload as the advisor takes it.
pub struct Built {
    pub queries: Vec<WorkloadQuery>,
    /// Table -> rows written by the workload.
    pub writes: HashMap<String, f64>,
    /// Query id -> normalized text, shown in the advice.
    pub display: HashMap<String, String>,
    /// Query id -> (estimated, found) rows where its last run's estimates
    /// fell far short.
    pub underestimates: HashMap<String, (f64, f64)>,
}

/// Type names whose `type 'literal'` syntax the normalized text turns into
/// `type $n`, which PostgreSQL cannot parse.
const TYPED_LITERALS: &[&str] = &["interval", "timestamptz", "timestamp", "date", "time"];
/// Interval field words that may follow `interval 'literal'`.
const INTERVAL_FIELDS: &[&str] = &["year", "month", "day", "hour", "minute", "second"];

/// `text` with the typed literals of normalized text made plannable:
/// `date $1` becomes `$1::date`, `interval $2 day (3)` becomes
/// `$2::interval`. The value is gone either way; the planner prices the
/// parameter generically, as it does every `$n`.
pub fn plannable(text: &str) -> String {
    let b = text.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80;
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                // Skip a quoted string or identifier ('' and "" escape).
                i += 1;
                while i < b.len() {
                    if b[i] == q {
                        if b.get(i + 1) == Some(&q) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i += 1;
                }
                i += 1;
            }
            c if c.is_ascii_alphabetic() && (i == 0 || !ident(b[i - 1])) => {
                let start = i;
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
                let word = text[start..i].to_ascii_lowercase();
                let Some(ty) = TYPED_LITERALS.iter().find(|t| **t == word) else {
                    continue;
                };
                let mut j = i;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                if b.get(j) != Some(&b'$') {
                    continue;
                }
                let digits = j + 1;
                let mut k = digits;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                if k == digits || (k < b.len() && ident(b[k])) {
                    continue;
                }
                let param = &text[j..k];
                let mut end = k;
                if *ty == "interval" {
                    end = skip_interval_fields(text, k);
                }
                out.push_str(&text[copied..start]);
                out.push_str(&format!("{param}::{ty}"));
                copied = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    out.push_str(&text[copied.min(text.len())..]);
    out
}

/// After `interval $n`: the optional fields (`day`, `year to month`,
/// `second (3)`, `day (3)`), returning where they end.
fn skip_interval_fields(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let mut end = from;
    let mut i = from;
    loop {
        let mut j = i;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        let w0 = j;
        while j < b.len() && b[j].is_ascii_alphabetic() {
            j += 1;
        }
        let word = text[w0..j].to_ascii_lowercase();
        let word = word.strip_suffix('s').unwrap_or(&word);
        if INTERVAL_FIELDS.contains(&word) || (word == "to" && end > from) {
            end = j;
            i = j;
            continue;
        }
        // A precision: `(3)` or `($4)`.
        if b.get(w0) == Some(&b'(') && end > from {
            if let Some(close) = text[w0..].find(')') {
                let inner = text[w0 + 1..w0 + close].trim();
                let inner = inner.strip_prefix('$').unwrap_or(inner);
                if !inner.is_empty() && inner.bytes().all(|c| c.is_ascii_digit()) {
                    end = w0 + close + 1;
                }
            }
        }
        return end;
    }
}

#[cfg(test)]
mod plain_tests {
    use super::{plannable, Draft};
    use crate::capture::CapturedQuery;
    use pgrx::pg_sys::Oid;

    #[test]
    fn a_cancelled_run_counts_once() {
        // One run, cancelled by statement_timeout after 120 s: the view's
        // `calls` already counts it (as `cancelled` does).
        let q = CapturedQuery {
            dbid: Oid::from(1),
            userid: Oid::from(10),
            queryid: 17,
            query: "SELECT sum(x) FROM t WHERE y < $1".into(),
            sample: Some("SELECT sum(x) FROM t WHERE y < 5".into()),
            calls: 1,
            total_ms: 120_000.0,
            min_ms: 120_000.0,
            max_ms: 120_000.0,
            mean_ms: 120_000.0,
            stddev_ms: 0.0,
            rows: 0,
            cancelled: 1,
            failed: 0,
            predicates: Vec::new(),
            plan_summary: "[]".into(),
            underestimate: None,
        };
        let d = Draft::from_captured(q);
        assert_eq!(d.calls, 1.0);
        assert_eq!(d.mean_ms, 120_000.0);
        assert!(d.timed_out);
        assert_eq!(d.text, "SELECT sum(x) FROM t WHERE y < 5");
    }

    #[test]
    fn typed_literals_become_casts() {
        assert_eq!(plannable("SELECT date $1"), "SELECT $1::date");
        assert_eq!(
            plannable("WHERE d <= CAST($1 AS date) - INTERVAL $2 DAY (3) AND x = 1"),
            "WHERE d <= CAST($1 AS date) - $2::interval AND x = 1"
        );
        assert_eq!(
            plannable("d < date $1 + interval $2 month"),
            "d < $1::date + $2::interval"
        );
        assert_eq!(plannable("interval $3 year to month)"), "$3::interval)");
        assert_eq!(
            plannable("timestamp $1, time $2"),
            "$1::timestamp, $2::time"
        );
        // Not a typed literal: names, strings, quoted identifiers, $10 vs $1.
        for same in [
            "SELECT date_col, \"date\" $1 FROM t",
            "SELECT 'date $1'",
            "SELECT mydate $1",
            "SELECT date $1x",
            "SELECT interval",
            "",
            "ünï date",
        ] {
            assert_eq!(plannable(same), same);
        }
        assert_eq!(plannable("date $12"), "$12::date");
    }
}
