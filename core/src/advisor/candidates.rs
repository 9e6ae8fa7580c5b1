//! Candidate indexes from the workload's query features.
//!
//! Per query and table: equality columns first (most distinct first), then
//! at most one range column or the ORDER BY columns, up to three key
//! columns; join columns (the inner side of a join, also from correlated
//! subqueries), with the table's equality columns after them; GROUP BY
//! columns; and covering variants (INCLUDE) when the few narrow columns the
//! query reads (`max_include`, `max_include_bytes`) would make the scan
//! index-only; with `merge_covering`, merges of those across queries.
//! Candidates already covered by an existing index, or whose leading
//! column already leads a selective existing index (such as a composite
//! primary key; covering ones are kept with `covering_over_selective_lead`),
//! are dropped, as are all candidates on tables below `min_table_rows`.

use super::{AdviceOptions, IndexDef, Rejected, WorkloadQuery};
use crate::catalog::{Catalog, TableStats};
use crate::sql::PredicateOp;

/// Most key columns of a candidate.
const MAX_KEY: usize = 3;
/// An existing index whose leading column finds at most this many rows per
/// value makes any candidate with the same leading column pointless. Not
/// 10: ANALYZE underestimates the distinct values of a key column with few
/// rows each (TPC-H lineitem.l_orderkey: about 4 rows a value, estimated above 10 at
/// SF 1, so `(l_orderkey) INCLUDE (l_quantity)` was proposed), and
/// a new index leading with a primary key's first column is what the user
/// least expects.
const SELECTIVE_ROWS_PER_VALUE: f64 = 100.0;
/// Rows from which a sort is worth an index even without LIMIT.
const LARGE_SORT_ROWS: f64 = 1_000_000.0;

/// The role a key column plays, for explanations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Equality,
    Range,
    Join,
    Sort,
    Group,
}

impl Role {
    pub(super) fn word(self) -> &'static str {
        match self {
            Role::Equality => "equality",
            Role::Range => "range",
            Role::Join => "join",
            Role::Sort => "sort",
            Role::Group => "group",
        }
    }
}

/// A candidate with where it came from.
#[derive(Debug, Clone)]
pub(super) struct Candidate {
    pub index: IndexDef,
    /// Ids of the queries it was made for.
    pub queries: Vec<String>,
    /// Role of each key column.
    pub roles: Vec<Role>,
}

/// Candidate indexes for `workload`, deduplicated, without those existing
/// indexes already cover and without any on small tables.
pub fn candidates(
    workload: &[WorkloadQuery],
    catalog: &Catalog,
    opts: &AdviceOptions,
) -> Vec<IndexDef> {
    generate(workload, catalog, opts)
        .0
        .into_iter()
        .map(|c| c.index)
        .collect()
}

/// Why `index` is redundant given the table's existing indexes, if it is.
pub fn redundant_with(index: &IndexDef, table: &TableStats) -> Option<String> {
    redundancy(index, table, false)
}

/// [`redundant_with`]; with `covering_ok`, a covering index (one with
/// columns the existing index lacks) is not redundant with an existing
/// index for merely leading with its selective leading column.
fn redundancy(index: &IndexDef, table: &TableStats, covering_ok: bool) -> Option<String> {
    let desc = |i: &crate::catalog::ExistingIndex| format!("{} ({})", i.name, i.columns.join(", "));
    for ex in table.indexes.iter().filter(|i| !i.partial) {
        let prefix = index.columns.len() <= ex.columns.len()
            && index.columns.iter().zip(&ex.columns).all(|(a, b)| a == b);
        let includes = index
            .include
            .iter()
            .all(|c| ex.columns.contains(c) || ex.include.contains(c));
        if prefix && includes {
            return Some(format!("already covered by index {}", desc(ex)));
        }
    }
    for ex in table.indexes.iter().filter(|i| !i.partial) {
        let (Some(lead), Some(ex_lead)) = (index.columns.first(), ex.columns.first()) else {
            continue;
        };
        if lead != ex_lead {
            continue;
        }
        let per_value = table.distinct(lead).map(|d| table.rows / d);
        let selective = per_value.is_some_and(|r| r <= SELECTIVE_ROWS_PER_VALUE);
        let subset = index.all_columns().iter().all(|c| ex.columns.contains(c));
        // A key of its own (the rowid's alias): one row per lookup.
        let one_row = ex.unique && ex.columns.len() == 1;
        let covers_more = !index.include.is_empty() && !subset && !one_row;
        if (selective && !(covering_ok && covers_more)) || subset {
            let what = if ex.primary {
                "the primary key"
            } else {
                "index"
            };
            return Some(format!(
                "{what} {} already leads with {lead}, which finds {} rows per value",
                desc(ex),
                per_value.map_or("few".into(), |r| format!("{r:.0}"))
            ));
        }
    }
    None
}

pub(super) fn generate(
    workload: &[WorkloadQuery],
    catalog: &Catalog,
    opts: &AdviceOptions,
) -> (Vec<Candidate>, Vec<Rejected>) {
    let mut out: Vec<Candidate> = Vec::new();
    let mut rejected: Vec<Rejected> = Vec::new();
    for q in workload {
        for table in &q.features.tables {
            for (index, roles) in for_table(q, table, catalog, opts) {
                if let Some(c) = out.iter_mut().find(|c| c.index == index) {
                    if !c.queries.contains(&q.id) {
                        c.queries.push(q.id.clone());
                    }
                } else {
                    out.push(Candidate {
                        index,
                        queries: vec![q.id.clone()],
                        roles,
                    });
                }
            }
        }
    }
    let mut pass = 0;
    loop {
        pass += 1;
        out.retain(|c| {
            let Some(t) = catalog.table(&c.index.table) else {
                return true;
            };
            let reason = if t.rows < opts.min_table_rows {
                Some(format!("table {} has {:.0} rows", t.name, t.rows))
            } else {
                // A join's lookups only: a constant finds a few rows, which
                // lie together, once; a join does that per outer row.
                let join_lead = c.roles.first() == Some(&Role::Join);
                redundancy(&c.index, t, opts.covering_over_selective_lead && join_lead)
            };
            match reason {
                Some(reason) => {
                    rejected.push(Rejected {
                        index: c.index.clone(),
                        reason,
                    });
                    false
                }
                None => true,
            }
        });
        // Merged (see `AdviceOptions::merge_covering`) once the redundant
        // are gone, then checked like the others.
        if pass > 1 || !opts.merge_covering {
            break;
        }
        let merged = merges(&out, catalog, opts);
        out.extend(merged);
    }
    (out, rejected)
}

/// Width in bytes of `cols` of `table` (8 a column when unknown).
fn width(catalog: &Catalog, table: &str, cols: &[String]) -> u32 {
    let stats = catalog.table(table);
    cols.iter().map(|c| stats.map_or(8, |t| t.width(c))).sum()
}

/// Merges of two candidates (see `AdviceOptions::merge_covering`), then
/// of a merge with a candidate, until none is new; the queries of both.
fn merges(out: &[Candidate], catalog: &Catalog, opts: &AdviceOptions) -> Vec<Candidate> {
    let mut all: Vec<Candidate> = out.to_vec();
    let mut added: Vec<Candidate> = Vec::new();
    let mut from = 0;
    // Each pass merges what the last one added with every candidate;
    // `max_include` bounds how far that goes.
    for _ in 0..1 {
        let mut fresh: Vec<Candidate> = Vec::new();
        for i in from..all.len() {
            for j in 0..all.len() {
                let (a, b) = (&all[i], &all[j]);
                if i == j
                    || a.index.table != b.index.table
                    || a.index.predicate != b.index.predicate
                    || a.index.include.is_empty()
                    || b.index.include.is_empty()
                {
                    continue;
                }
                let (long, short) = if a.index.columns.starts_with(&b.index.columns) {
                    (a, b)
                } else if b.index.columns.starts_with(&a.index.columns) {
                    (b, a)
                } else {
                    continue;
                };
                let mut include = long.index.include.clone();
                for c in short.index.all_columns() {
                    if !long.index.columns.contains(&c) && !include.contains(&c) {
                        include.push(c);
                    }
                }
                if include.len() == long.index.include.len()
                    || include.len() > opts.max_include
                    || width(catalog, &long.index.table, &include) > opts.max_include_bytes
                {
                    continue;
                }
                let index = IndexDef {
                    include,
                    ..long.index.clone()
                };
                if all.iter().chain(&fresh).any(|c| c.index == index) {
                    continue;
                }
                let mut queries = long.queries.clone();
                for q in &short.queries {
                    if !queries.contains(q) {
                        queries.push(q.clone());
                    }
                }
                fresh.push(Candidate {
                    index,
                    queries,
                    roles: long.roles.clone(),
                });
            }
        }
        if fresh.is_empty() {
            break;
        }
        from = all.len();
        all.extend(fresh.iter().cloned());
        added.extend(fresh);
    }
    added
}

/// Key column lists (with roles) one query suggests for one table.
fn for_table(
    q: &WorkloadQuery,
    table: &str,
    catalog: &Catalog,
    opts: &AdviceOptions,
) -> Vec<(IndexDef, Vec<Role>)> {
    let f = &q.features;
    let stats = catalog.table(table);
    let distinct = |c: &str| stats.and_then(|t| t.distinct(c)).unwrap_or(0.0);
    let by_selectivity = |cols: &mut Vec<String>| {
        cols.sort_by(|a, b| distinct(b).total_cmp(&distinct(a)).then_with(|| a.cmp(b)));
        cols.dedup();
    };

    let mut eq: Vec<String> = Vec::new();
    let mut range: Vec<String> = Vec::new();
    for p in f.predicates_on(table) {
        let c = &p.column.column;
        match p.op {
            PredicateOp::Eq | PredicateOp::In | PredicateOp::IsNull if !eq.contains(c) => {
                eq.push(c.clone())
            }
            PredicateOp::Range | PredicateOp::LikePrefix if !range.contains(c) => {
                range.push(c.clone())
            }
            _ => {}
        }
    }
    by_selectivity(&mut eq);
    range.retain(|c| !eq.contains(c));
    by_selectivity(&mut range);

    let mut keys: Vec<Vec<(String, Role)>> = Vec::new();
    let eq_keys: Vec<(String, Role)> = eq
        .iter()
        .take(MAX_KEY)
        .map(|c| (c.clone(), Role::Equality))
        .collect();
    if !eq_keys.is_empty() {
        keys.push(eq_keys.clone());
    }
    let lead = |n: usize| eq_keys[..eq_keys.len().min(n)].to_vec();
    for r in range.iter().take(2) {
        let mut k = lead(MAX_KEY - 1);
        k.push((r.clone(), Role::Range));
        keys.push(k);
    }
    let rows = stats.map_or(0.0, |t| t.rows);
    let order_here = !f.order_by.is_empty() && f.order_by.iter().all(|s| s.column.table == table);
    let one_direction = f
        .order_by
        .windows(2)
        .all(|w| w[0].descending == w[1].descending);
    if order_here && one_direction && (f.has_limit || rows >= LARGE_SORT_ROWS) {
        let mut k = lead(MAX_KEY.saturating_sub(f.order_by.len()));
        for s in &f.order_by {
            if k.len() < MAX_KEY && !k.iter().any(|(c, _)| *c == s.column.column) {
                k.push((s.column.column.clone(), Role::Sort));
            }
        }
        keys.push(k);
    }
    for j in f.join_columns_on(table) {
        keys.push(vec![(j.clone(), Role::Join)]);
        let mut k = vec![(j.clone(), Role::Join)];
        k.extend(
            eq_keys
                .iter()
                .filter(|(c, _)| *c != j)
                .take(MAX_KEY - 1)
                .cloned(),
        );
        if k.len() > 1 {
            keys.push(k);
        }
    }
    let group_here = !f.group_by.is_empty() && f.group_by.iter().all(|c| c.table == table);
    if group_here && f.group_by.len() <= MAX_KEY {
        let mut k = lead(MAX_KEY - f.group_by.len());
        for g in &f.group_by {
            if !k.iter().any(|(c, _)| *c == g.column) {
                k.push((g.column.clone(), Role::Group));
            }
        }
        keys.push(k);
    }

    let reads: Vec<String> = f.selected_on(table).map(str::to_owned).collect();
    let mut out: Vec<(IndexDef, Vec<Role>)> = Vec::new();
    for k in keys {
        let (columns, roles): (Vec<String>, Vec<Role>) = k.into_iter().unzip();
        let index = IndexDef {
            table: table.to_owned(),
            columns,
            include: Vec::new(),
            predicate: None,
        };
        if !f.select_star && !reads.is_empty() {
            let include: Vec<String> = reads
                .iter()
                .filter(|c| !index.columns.contains(c))
                .cloned()
                .collect();
            if !include.is_empty()
                && include.len() <= opts.max_include
                && width(catalog, table, &include) <= opts.max_include_bytes
            {
                let covering = IndexDef {
                    include,
                    ..index.clone()
                };
                out.push((covering, roles.clone()));
            }
        }
        out.push((index, roles));
    }
    let mut seen = Vec::new();
    out.retain(|(i, _)| {
        let fresh = !seen.contains(i);
        seen.push(i.clone());
        fresh
    });
    out
}
