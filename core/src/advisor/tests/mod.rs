//! Advisor tests against a toy cost oracle: a table costs its row count
//! unless an index's leading columns match the query's equality (or join)
//! columns, then one range column; an index leading with the ORDER BY
//! columns of a LIMIT query reads only LIMIT rows.

use super::*;
use crate::catalog::{Catalog, TableStats};
use crate::sql::{features_with_catalog, tpch, Dialect, PredicateOp};
use crate::Result;

struct Toy {
    catalog: Catalog,
    /// (leading column, query id, factor): an index leading with the column
    /// multiplies that query's cost (a planner choosing a worse plan).
    harm: Vec<(String, String, f64)>,
    /// (harmful leading column, curing leading column): the harm is gone
    /// when an index leading with the second column is in the set too.
    cure: Vec<(String, String)>,
    /// (leading column, query id, cost): an index leading with the column
    /// makes the query cost at most that (a plan the toy model lacks).
    serves: Vec<(String, String, f64)>,
    /// (leading column, query id, risk): an index leading with the column
    /// gives the query a risky plan (`CostOracle::risk`).
    risky: Vec<(String, String, f64)>,
    /// Factor on a table's access cost through a hypothetical index that
    /// holds every column the query reads of it (an index-only scan).
    index_only: f64,
    calls: usize,
}

impl Toy {
    fn new(catalog: &Catalog) -> Toy {
        Toy {
            catalog: catalog.clone(),
            harm: Vec::new(),
            cure: Vec::new(),
            serves: Vec::new(),
            risky: Vec::new(),
            index_only: 1.0,
            calls: 0,
        }
    }

    fn with_harm(mut self, harm: &[(String, String, f64)]) -> Toy {
        self.harm = harm.to_vec();
        self
    }

    fn access(&self, q: &WorkloadQuery, t: &TableStats, cols: &[String]) -> f64 {
        let f = &q.features;
        let joins = f.join_columns_on(&t.name);
        let op = |c: &str| {
            f.predicates_on(&t.name)
                .find(|p| p.column.column == c)
                .map(|p| p.op)
        };
        let mut sel = 1.0;
        let mut matched = 0;
        for c in cols {
            match op(c) {
                Some(PredicateOp::Eq | PredicateOp::In | PredicateOp::IsNull) => {
                    sel /= t.distinct(c).unwrap_or(10.0)
                }
                _ if joins.contains(c) => sel /= t.distinct(c).unwrap_or(10.0),
                Some(PredicateOp::Range | PredicateOp::LikePrefix) => {
                    sel *= 0.05;
                    matched += 1;
                    break;
                }
                _ => break,
            }
            matched += 1;
        }
        if matched == 0 {
            let sorted = !f.order_by.is_empty()
                && f.order_by
                    .iter()
                    .zip(cols)
                    .all(|(s, c)| s.column.column == *c)
                && f.order_by.len() <= cols.len();
            return match (sorted, f.limit) {
                (true, Some(n)) => n as f64 * 2.0 + 4.0,
                _ => t.rows,
            };
        }
        (t.rows * sel * 2.0 + 4.0).min(t.rows * 1.5)
    }
}

impl CostOracle for Toy {
    fn cost(&mut self, q: &WorkloadQuery, hypothetical: &[IndexDef]) -> Result<f64> {
        self.calls += 1;
        let mut total = 0.0;
        for name in &q.features.tables {
            let Some(t) = self.catalog.table(name) else {
                continue;
            };
            let mut best = t.rows;
            for ex in t.indexes.iter() {
                best = best.min(self.access(q, t, &ex.columns));
            }
            for h in hypothetical.iter().filter(|h| h.table == *name) {
                let all = h.all_columns();
                let covers = !q.features.select_star
                    && q.features
                        .selected
                        .iter()
                        .filter(|c| c.table == *name)
                        .all(|c| all.contains(&c.column));
                let factor = if covers { self.index_only } else { 1.0 };
                best = best.min(self.access(q, t, &h.columns) * factor);
            }
            total += best;
        }
        let leads = |col: &String| hypothetical.iter().any(|h| h.columns.first() == Some(col));
        for (col, qid, cost) in &self.serves {
            if q.id == *qid && leads(col) {
                total = total.min(*cost);
            }
        }
        for (col, qid, factor) in &self.harm {
            let cured = self.cure.iter().any(|(h, c)| h == col && leads(c));
            if q.id == *qid && leads(col) && !cured {
                total *= factor;
            }
        }
        Ok(total)
    }

    fn risk(&mut self, q: &WorkloadQuery, hypothetical: &[IndexDef]) -> Result<f64> {
        Ok(self
            .risky
            .iter()
            .filter(|(col, qid, _)| {
                q.id == *qid && hypothetical.iter().any(|h| h.columns.first() == Some(col))
            })
            .map(|(_, _, r)| r)
            .sum())
    }

    fn size_bytes(&mut self, index: &IndexDef) -> Result<u64> {
        let t = self.catalog.table(&index.table).map_or(1000.0, |t| t.rows);
        Ok((t * (16 + 8 * index.all_columns().len()) as f64) as u64)
    }
}

fn catalog() -> Catalog {
    let mut c = tpch::catalog();
    c.tables.push(tpch::table(
        "orders2",
        1_000_000.0,
        &[
            ("id", -1.0),
            ("customer_id", 50_000.0),
            ("status", 5.0),
            ("region", 20.0),
            ("created_at", -1.0),
            ("total", -0.5),
        ],
        &["id"],
    ));
    c.tables.push(tpch::table(
        "customers",
        100_000.0,
        &[("id", -1.0), ("country", 200.0), ("email", -1.0)],
        &["id"],
    ));
    c.tables.push(tpch::table(
        "tiny",
        25.0,
        &[("id", -1.0), ("code", 25.0)],
        &["id"],
    ));
    c
}

fn wq(id: &str, sql: &str, calls: f64, cat: &Catalog) -> WorkloadQuery {
    WorkloadQuery {
        id: id.into(),
        text: sql.into(),
        calls,
        mean_ms: 10.0,
        timed_out: false,
        features: features_with_catalog(sql, Dialect::Postgres, cat).unwrap(),
    }
}

fn run(workload: &[WorkloadQuery], cat: &Catalog, toy: &mut Toy, opts: &AdviceOptions) -> Advice {
    run_logged(workload, cat, toy, opts).0
}

/// [`run`], also returning the progress lines.
fn run_logged(
    workload: &[WorkloadQuery],
    cat: &Catalog,
    toy: &mut Toy,
    opts: &AdviceOptions,
) -> (Advice, Vec<String>) {
    let mut lines = Vec::new();
    let advice = advise(
        workload,
        cat,
        toy,
        opts,
        DdlStyle::PostgresConcurrently,
        &mut |l| lines.push(l.to_owned()),
    )
    .unwrap();
    assert!(lines[0].contains(" candidates, "), "{lines:?}");
    if lines[0].contains(" 0 candidates") {
        assert_eq!(lines.len(), 1);
    } else {
        assert!(lines.iter().any(|l| l.starts_with("round 1:")), "{lines:?}");
    }
    (advice, lines)
}

fn keys(a: &Advice) -> Vec<(String, Vec<String>)> {
    a.picks
        .iter()
        .map(|p| (p.index.table.clone(), p.index.columns.clone()))
        .collect()
}

fn k(t: &str, cols: &[&str]) -> (String, Vec<String>) {
    (t.into(), cols.iter().map(|c| c.to_string()).collect())
}

fn run_quiet(w: &[WorkloadQuery], cat: &Catalog, opts: &AdviceOptions) -> Advice {
    advise(
        w,
        cat,
        &mut Toy::new(cat),
        opts,
        DdlStyle::Sqlite,
        &mut |_| {},
    )
    .unwrap()
}

mod cases;
mod covering;
mod selection;
