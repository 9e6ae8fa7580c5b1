//! The what-if planner: a copy of the user's schema in a private in-memory
//! database (empty tables, the real indexes, views), with `sqlite_stat1`
//! filled as `ANALYZE` would have filled it for the real data. Candidate
//! indexes are created there (instantly: the tables are empty), given their
//! own stat1 lines from the sample, and `EXPLAIN QUERY PLAN` shows whether
//! SQLite would use them. SQLite prints no cost, so the plan is priced by
//! [`sqlxos_core::advisor::sqlite_cost`] with the query's selectivities
//! measured on the sample. This is `.expert`'s method, plus a cost.

use std::collections::HashMap;

use rusqlite::Connection;
use sqlxos_core::advisor::sqlite_cost::{
    plan_cost, CondSel, EqpRow, IndexShape, PlanContext, TableShape,
};
use sqlxos_core::advisor::{CostOracle, IndexDef, WorkloadQuery};
use sqlxos_core::sql::{table_filters, Dialect, PredicateOp};

use super::schema::{q, Schema};

/// Bytes of b-tree overhead per index entry, and the fill factor.
const ENTRY_OVERHEAD: f64 = 12.0;
const FILL: f64 = 0.9;

pub(crate) struct SqliteOracle<'a> {
    schema: &'a Schema,
    shadow: Connection,
    /// Hypothetical indexes now in the shadow: (definition, shadow name).
    live: Vec<(IndexDef, String)>,
    /// Definitions that could not be created (columns that do not exist).
    broken: Vec<IndexDef>,
    next: usize,
    /// Index shapes by name (real indexes; hypothetical ones added live).
    shapes: HashMap<String, IndexShape>,
    /// Per query id: table shapes by binding, and the LIMIT.
    queries: HashMap<String, (HashMap<String, TableShape>, Option<f64>)>,
}

fn err(what: &str, e: impl std::fmt::Display) -> sqlxos_core::Error {
    sqlxos_core::Error::Parse(format!("{what}: {e}"))
}

impl<'a> SqliteOracle<'a> {
    /// Copies `db`'s schema into a new in-memory database.
    pub(crate) fn new(db: &Connection, schema: &'a Schema) -> Result<SqliteOracle<'a>, String> {
        let shadow = Connection::open_in_memory()
            .map_err(|e| format!("opening the what-if database: {e}"))?;
        // sqlxos's own functions exist there too, so queries, views and
        // expression indexes using them can be planned.
        crate::register::register_all(&shadow)
            .map_err(|e| format!("opening the what-if database: {e}"))?;
        let mut st = db
            .prepare(
                "SELECT type, name, tbl_name, sql FROM main.sqlite_schema \
                 WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view') \
                 AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
                 ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END",
            )
            .map_err(|e| format!("reading the schema: {e}"))?;
        let items: Vec<(String, String, String, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| format!("reading the schema: {e}"))?;
        drop(st);
        for (kind, name, _tbl, sql) in &items {
            let is_virtual = sql
                .trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE VIRTUAL");
            if kind == "table" && (is_virtual || shadow.execute_batch(sql).is_err()) {
                // A virtual table (its module may not exist here) or a table
                // the copy refuses: its columns, plainly.
                let cols = schema
                    .tables
                    .get(&name.to_lowercase())
                    .map(|t| t.columns.iter().map(|(c, _)| q(c)).collect::<Vec<_>>())
                    .unwrap_or_default();
                if !cols.is_empty() {
                    let _ = shadow.execute_batch(&format!(
                        "CREATE TABLE {} ({})",
                        q(name),
                        cols.join(", ")
                    ));
                }
            } else if kind != "table" {
                // An index on an expression with a function of another
                // extension, or a view over something missing: skipped.
                let _ = shadow.execute_batch(sql);
            }
        }
        shadow
            .execute_batch("ANALYZE; DELETE FROM sqlite_stat1;")
            .map_err(|e| format!("preparing the what-if statistics: {e}"))?;
        let mut shapes = HashMap::new();
        for (lower, info) in &schema.tables {
            if info.virtual_table {
                continue;
            }
            let rows = info.rows.max(1.0).ceil() as i64;
            shadow
                .execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, NULL, ?2)",
                    rusqlite::params![info.real, rows.to_string()],
                )
                .map_err(|e| format!("writing the what-if statistics: {e}"))?;
            for (name, cols, unique) in &info.indexes {
                let line = info
                    .stat1
                    .get(name)
                    .cloned()
                    .or_else(|| schema.stat_line(lower, cols, *unique));
                if let Some(line) = &line {
                    shadow
                        .execute(
                            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)",
                            rusqlite::params![info.real, name, line],
                        )
                        .map_err(|e| format!("writing the what-if statistics: {e}"))?;
                }
                let mut sh = shape(schema, lower, cols, line.as_deref());
                sh.table_order = schema
                    .catalog
                    .table(lower)
                    .is_some_and(|t| t.indexes.iter().any(|i| i.primary && &i.name == name));
                shapes.insert(name.clone(), sh);
            }
        }
        shadow
            .execute_batch("ANALYZE sqlite_schema;")
            .map_err(|e| format!("loading the what-if statistics: {e}"))?;
        Ok(SqliteOracle {
            schema,
            shadow,
            live: Vec::new(),
            broken: Vec::new(),
            next: 0,
            shapes,
            queries: HashMap::new(),
        })
    }

    /// `EXPLAIN QUERY PLAN` of `sql` in the what-if database.
    pub(crate) fn explain(&self, sql: &str) -> rusqlite::Result<Vec<EqpRow>> {
        let mut st = self.shadow.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
        // Parameters (`?`, `:name`) are planned unbound, as NULL.
        let nulls = vec![rusqlite::types::Value::Null; st.parameter_count()];
        let rows = st
            .query_map(rusqlite::params_from_iter(nulls), |r| {
                Ok(EqpRow {
                    id: r.get(0)?,
                    parent: r.get(1)?,
                    detail: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// Makes the hypothetical indexes in the shadow exactly `set`.
    fn sync(&mut self, set: &[IndexDef]) -> rusqlite::Result<()> {
        let mut changed = false;
        let mut keep = Vec::new();
        for (def, name) in std::mem::take(&mut self.live) {
            if set.contains(&def) {
                keep.push((def, name));
            } else {
                self.shadow
                    .execute_batch(&format!("DROP INDEX {}", q(&name)))?;
                self.shadow
                    .execute("DELETE FROM sqlite_stat1 WHERE idx = ?1", [&name])?;
                self.shapes.remove(&name);
                changed = true;
            }
        }
        self.live = keep;
        for def in set {
            if self.live.iter().any(|(d, _)| d == def) || self.broken.contains(def) {
                continue;
            }
            let Some(info) = self.schema.tables.get(&def.table) else {
                self.broken.push(def.clone());
                continue;
            };
            self.next += 1;
            let name = format!("sqlxos_hypo_{}", self.next);
            let cols = def.all_columns();
            let list: Vec<String> = cols.iter().map(|c| q(c)).collect();
            let ddl = format!(
                "CREATE INDEX {} ON {} ({})",
                q(&name),
                q(&info.real),
                list.join(", ")
            );
            if self.shadow.execute_batch(&ddl).is_err() {
                self.broken.push(def.clone());
                continue;
            }
            let line = self.schema.stat_line(&def.table, &cols, false);
            if let Some(line) = &line {
                self.shadow.execute(
                    "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)",
                    rusqlite::params![info.real, name, line],
                )?;
            }
            self.shapes.insert(
                name.clone(),
                shape(self.schema, &def.table, &cols, line.as_deref()),
            );
            self.live.push((def.clone(), name));
            changed = true;
        }
        if changed {
            self.shadow.execute_batch("ANALYZE sqlite_schema;")?;
        }
        Ok(())
    }

    /// Table shapes for the references of `q` (cached per query).
    fn prepare_query(&mut self, q: &WorkloadQuery) {
        if self.queries.contains_key(&q.id) {
            return;
        }
        let mut tables = HashMap::new();
        let filters =
            table_filters(&q.text, Dialect::Sqlite, Some(&self.schema.catalog)).unwrap_or_default();
        for f in filters {
            if tables.contains_key(&f.binding) {
                continue;
            }
            let Some(info) = self.schema.tables.get(&f.table) else {
                continue;
            };
            let stats = self.schema.catalog.table(&f.table);
            let guess = |col: &Option<String>| -> f64 {
                let Some(c) = col else { return 0.5 };
                let d = stats.and_then(|t| t.distinct(c)).unwrap_or(10.0);
                let op = q
                    .features
                    .predicates_on(&f.table)
                    .find(|p| &p.column.column == c)
                    .map(|p| p.op);
                match op {
                    Some(PredicateOp::Eq) => 1.0 / d,
                    Some(PredicateOp::In) => (3.0 / d).min(1.0),
                    Some(PredicateOp::IsNull) => stats
                        .and_then(|t| t.column(c))
                        .map_or(0.1, |s| s.null_frac.max(1.0 / info.rows.max(1.0))),
                    Some(PredicateOp::Range) => 0.25,
                    Some(PredicateOp::LikePrefix) => 0.1,
                    _ => 0.5,
                }
            };
            // Evaluable conditions on one column are measured together.
            let mut by_col: Vec<(String, Vec<String>)> = Vec::new();
            let mut conds = Vec::new();
            for c in &f.conjuncts {
                match (&c.column, c.evaluable) {
                    (Some(col), true) => match by_col.iter_mut().find(|(k, _)| k == col) {
                        Some((_, v)) => v.push(c.text.clone()),
                        None => by_col.push((col.clone(), vec![c.text.clone()])),
                    },
                    (None, true) => {
                        let m = self.schema.measure(&f.table, &f.binding, &c.text);
                        conds.push(CondSel {
                            column: None,
                            sel: m.unwrap_or(0.5),
                            measured: m.is_some(),
                        });
                    }
                    (col, false) => conds.push(CondSel {
                        column: col.clone(),
                        sel: guess(col),
                        measured: false,
                    }),
                }
            }
            for (col, texts) in by_col {
                let text = texts
                    .iter()
                    .map(|t| format!("({t})"))
                    .collect::<Vec<_>>()
                    .join(" AND ");
                let m = self.schema.measure(&f.table, &f.binding, &text);
                conds.push(CondSel {
                    column: Some(col.clone()),
                    sel: m.unwrap_or_else(|| guess(&Some(col.clone()))),
                    measured: m.is_some(),
                });
            }
            let distinct = stats
                .map(|t| {
                    t.columns
                        .iter()
                        .filter_map(|c| t.distinct(&c.name).map(|d| (c.name.clone(), d)))
                        .collect()
                })
                .unwrap_or_default();
            // A rowid scan follows the rowid's alias and, as tables are
            // usually loaded in key order, the primary key.
            let scan_order = stats
                .map(|t| {
                    let mut v: Vec<String> = t
                        .indexes
                        .iter()
                        .filter(|i| i.primary)
                        .filter_map(|i| i.columns.first().cloned())
                        .collect();
                    v.dedup();
                    v
                })
                .unwrap_or_default();
            let mut joined = Vec::new();
            let mut join_distinct: Vec<(String, f64)> = Vec::new();
            for j in &q.features.joins {
                for (a, b) in [(&j.left, &j.right), (&j.right, &j.left)] {
                    if a.table == f.table {
                        joined.push((a.column.clone(), b.table.clone(), b.column.clone()));
                        if let Some(d) = self.schema.catalog.distinct(b) {
                            join_distinct.push((a.column.clone(), d));
                        }
                    }
                }
            }
            tables.insert(
                f.binding.clone(),
                TableShape {
                    rows: info.rows,
                    row_bytes: info.row_bytes.max(1.0),
                    conds,
                    distinct,
                    table: f.table.clone(),
                    scan_order,
                    joined,
                    join_distinct,
                },
            );
        }
        let limit = match (q.features.limit, q.features.has_limit) {
            (Some(n), _) => Some(n as f64),
            (None, true) => Some(100.0),
            _ => None,
        };
        self.queries.insert(q.id.clone(), (tables, limit));
    }

    /// Cost of `q` with `set` in place, and the hypothetical index names used.
    pub(crate) fn price(
        &mut self,
        q: &WorkloadQuery,
        set: &[IndexDef],
    ) -> sqlxos_core::Result<(f64, Vec<String>)> {
        self.sync(set).map_err(|e| err("what-if index", e))?;
        self.prepare_query(q);
        let plan = self
            .explain(&q.text)
            .map_err(|e| err(&format!("planning query {}", q.id), e))?;
        let (tables, limit) = &self.queries[&q.id];
        let ctx = Ctx {
            tables,
            indexes: &self.shapes,
            page: self.schema.page_size,
        };
        let p = plan_cost(&plan, *limit, &ctx);
        Ok((p.cost, p.indexes))
    }

    /// The shadow name of a live hypothetical index.
    pub(crate) fn def_of(&self, name: &str) -> Option<&IndexDef> {
        self.live.iter().find(|(_, n)| n == name).map(|(d, _)| d)
    }
}

fn shape(schema: &Schema, table: &str, cols: &[String], line: Option<&str>) -> IndexShape {
    let t = schema.catalog.table(table);
    let entry_bytes = 8.0
        + cols
            .iter()
            .map(|c| t.map_or(8.0, |t| f64::from(t.width(c))))
            .sum::<f64>();
    let rows_per_key = line
        .map(|l| {
            l.split_whitespace()
                .skip(1)
                .filter_map(|v| v.parse::<f64>().ok())
                .collect()
        })
        .unwrap_or_default();
    IndexShape {
        columns: cols.to_vec(),
        rows_per_key,
        entry_bytes,
        table_order: false,
    }
}

struct Ctx<'a> {
    tables: &'a HashMap<String, TableShape>,
    indexes: &'a HashMap<String, IndexShape>,
    page: f64,
}

impl PlanContext for Ctx<'_> {
    fn table(&self, binding: &str) -> Option<&TableShape> {
        self.tables
            .get(binding)
            .or_else(|| self.tables.get(&binding.to_lowercase()))
    }
    fn index(&self, name: &str) -> Option<&IndexShape> {
        self.indexes.get(name)
    }
    fn page_size(&self) -> f64 {
        self.page
    }
}

impl CostOracle for SqliteOracle<'_> {
    fn cost(
        &mut self,
        query: &WorkloadQuery,
        hypothetical: &[IndexDef],
    ) -> sqlxos_core::Result<f64> {
        self.price(query, hypothetical).map(|(c, _)| c)
    }

    fn size_bytes(&mut self, index: &IndexDef) -> sqlxos_core::Result<u64> {
        // Built on the sample and measured: SQLite stores small integers
        // in 1 or 2 bytes, which widths from declared types overstate
        // (2 to 3 times on TPC-H's keys).
        if let Some(b) = self
            .schema
            .sample_index_bytes(&index.table, &index.all_columns())
        {
            return Ok(b as u64);
        }
        let rows = self.schema.tables.get(&index.table).map_or(0.0, |t| t.rows);
        let t = self.schema.catalog.table(&index.table);
        let entry = 8.0
            + ENTRY_OVERHEAD
            + index
                .all_columns()
                .iter()
                .map(|c| t.map_or(8.0, |t| f64::from(t.width(c))))
                .sum::<f64>();
        Ok((rows * entry / FILL) as u64)
    }

    fn used(
        &mut self,
        query: &WorkloadQuery,
        hypothetical: &[IndexDef],
    ) -> sqlxos_core::Result<Vec<usize>> {
        let (_, names) = self.price(query, hypothetical)?;
        Ok(hypothetical
            .iter()
            .enumerate()
            .filter(|(_, d)| names.iter().any(|n| self.def_of(n) == Some(d)))
            .map(|(i, _)| i)
            .collect())
    }
}
