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
    pub text: String,
    pub calls: f64,
    pub mean_ms: f64,
    pub rows: f64,
    pub captured: Vec<CapturedPredicate>,
    /// Features without the catalog, `None` if sqlxos cannot parse it.
    pub rough: Option<QueryFeatures>,
}

impl Draft {
    pub fn from_captured(q: CapturedQuery) -> Draft {
        // A run that was cancelled still counts: the slow queries are the
        // ones most worth an index.
        let calls = (q.calls.max(0) + q.cancelled.max(0)).max(1) as f64;
        Draft {
            id: q.queryid.to_string(),
            rough: features(&q.query, Dialect::Postgres).ok(),
            text: q.query,
            calls,
            mean_ms: q.mean_ms,
            rows: q.rows.max(0) as f64,
            captured: q.predicates,
        }
    }

    pub fn single(text: &str) -> Result<Draft, sqlxos_core::Error> {
        let rough = features(text, Dialect::Postgres)?;
        Ok(Draft {
            id: "the statement".into(),
            text: text.to_owned(),
            calls: 1.0,
            mean_ms: 0.0,
            rows: 0.0,
            captured: Vec::new(),
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

/// The advisor's workload, and the rows each table is written per the
/// workload's INSERT, UPDATE and DELETE statements (same window as the
/// reads, unlike `pg_stat_user_tables`, which counts the initial load).
pub fn build(drafts: Vec<Draft>, catalog: &Catalog) -> (Vec<WorkloadQuery>, HashMap<String, f64>) {
    let mut queries = Vec::new();
    let mut writes: HashMap<String, f64> = HashMap::new();
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
            queries.push(WorkloadQuery {
                id: d.id,
                text: d.text,
                calls: d.calls,
                mean_ms: d.mean_ms,
                features: f,
            });
        }
    }
    (queries, writes)
}
