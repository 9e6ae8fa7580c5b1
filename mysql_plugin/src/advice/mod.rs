//! Index advice for MariaDB, computed inside the plugin from rows that the
//! install script's procedures feed to two aggregate UDFs:
//!
//! - `sqlxos_advice_columns(...)`: which columns the workload filters or
//!   joins on, so the procedure can sample their distinct counts (MariaDB
//!   keeps cardinalities for indexed columns only);
//! - `sqlxos_advise_indexes(...)`: the advice itself, from the catalog
//!   (`information_schema`), the workload (`performance_schema` statement
//!   digests and table I/O) and those samples, through core's candidate
//!   generation and greedy selection with a statistics-based
//!   [`oracle::StatsOracle`].
//!
//! Every row has the same twelve arguments: `kind, t1, t2, t3, t4, n1 ...
//! n7` (text slots, then numbers); see [`Input::add`] for each kind. Both
//! functions return one JSON text.

mod catalog;
pub mod drivers;
pub mod json;
pub mod oracle;

use std::collections::{BTreeMap, HashMap};

use sqlxos_core::advisor::{
    self, quote_ident, AdviceOptions, DdlStyle, IndexDef, Pick, WorkloadQuery,
};
use sqlxos_core::catalog::Catalog;
use sqlxos_core::sql::{features_with_catalog, Dialect, PredicateOp, QueryFeatures, StatementKind};

use crate::aggregate::{Aggregate, Arg};
use catalog::build_catalog;
use oracle::{Observed, StatsOracle};

/// Arguments of every row: kind, four texts, seven numbers.
pub const ROW_ARGS: usize = 12;
/// Most columns `sqlxos_advice_columns` asks to sample.
pub const MAX_SAMPLED_COLUMNS: usize = 64;
/// Most digests analysed (the heaviest by total time first).
pub const MAX_QUERIES: usize = 2000;

/// One statement digest from `events_statements_summary_by_digest`.
#[derive(Debug, Clone, Default)]
pub struct DigestRow {
    pub digest: String,
    pub text: String,
    pub calls: f64,
    pub timer_ps: f64,
    pub rows_examined: f64,
    pub rows_sent: f64,
    pub rows_affected: f64,
}

#[derive(Debug, Clone, Default)]
struct ColumnRow {
    table: String,
    name: String,
    data_type: String,
    ordinal: f64,
    octet_len: f64,
}

#[derive(Debug, Clone, Default)]
struct IndexRow {
    table: String,
    name: String,
    column: Option<String>,
    index_type: String,
    seq: f64,
    non_unique: bool,
    cardinality: Option<f64>,
}

#[derive(Debug, Clone, Default)]
struct Sample {
    rows: f64,
    distinct: f64,
    nulls: f64,
    avg_len: Option<f64>,
}

/// Everything fed to one aggregate call.
#[derive(Debug, Default)]
pub struct Input {
    schema: String,
    tables: Vec<(String, f64, f64)>,
    columns: Vec<ColumnRow>,
    indexes: Vec<IndexRow>,
    digests: Vec<DigestRow>,
    /// table -> rows written (inserts + updates + deletes) and rows read.
    io: HashMap<String, (f64, f64)>,
    samples: HashMap<(String, String), Sample>,
    errors: Vec<String>,
}

impl Input {
    /// One row: `kind` and its slots.
    ///
    /// - `schema`: t1 schema name (qualifies the DDL);
    /// - `table`: t1 name; n1 TABLE_ROWS, n2 DATA_LENGTH;
    /// - `column`: t1 table, t2 column, t3 DATA_TYPE; n1 ORDINAL_POSITION,
    ///   n2 CHARACTER_OCTET_LENGTH;
    /// - `index`: t1 table, t2 index, t3 column (NULL for an expression),
    ///   t4 INDEX_TYPE; n1 SEQ_IN_INDEX, n2 NON_UNIQUE, n3 CARDINALITY;
    /// - `query`: t1 DIGEST, t2 DIGEST_TEXT; n1 COUNT_STAR, n2
    ///   SUM_TIMER_WAIT, n3 SUM_ROWS_EXAMINED, n4 SUM_ROWS_SENT, n5
    ///   SUM_ROWS_AFFECTED;
    /// - `io`: t1 table; n1 rows written, n2 rows read;
    /// - `sample`: t1 table, t2 column; n1 rows sampled, n2 distinct, n3
    ///   NULLs, n4 average length.
    ///
    /// Rows of another kind, or missing a required slot, are counted as
    /// errors.
    pub fn add(&mut self, row: &[Arg]) {
        let t = |i: usize| row.get(i).and_then(Arg::text);
        let n = |i: usize| row.get(5 + i).and_then(Arg::number);
        let kind = t(0).unwrap_or_default();
        let ok = match kind.as_str() {
            "schema" => t(1).map(|s| self.schema = s).is_some(),
            "table" => t(1)
                .map(|name| {
                    let rows = n(0).unwrap_or(0.0).max(0.0);
                    let bytes = n(1).unwrap_or(0.0).max(0.0);
                    self.tables.push((name, rows, bytes));
                })
                .is_some(),
            "column" => match (t(1), t(2)) {
                (Some(table), Some(name)) => {
                    self.columns.push(ColumnRow {
                        table,
                        name,
                        data_type: t(3).unwrap_or_default().to_ascii_lowercase(),
                        ordinal: n(0).unwrap_or(0.0),
                        octet_len: n(1).unwrap_or(0.0),
                    });
                    true
                }
                _ => false,
            },
            "index" => match (t(1), t(2)) {
                (Some(table), Some(name)) => {
                    self.indexes.push(IndexRow {
                        table,
                        name,
                        column: t(3),
                        index_type: t(4).unwrap_or_else(|| "BTREE".into()),
                        seq: n(0).unwrap_or(1.0),
                        non_unique: n(1).unwrap_or(1.0) != 0.0,
                        cardinality: n(2),
                    });
                    true
                }
                _ => false,
            },
            "query" => match (t(1), t(2)) {
                (Some(digest), Some(text)) => {
                    self.digests.push(DigestRow {
                        digest,
                        text,
                        calls: n(0).unwrap_or(0.0).max(0.0),
                        timer_ps: n(1).unwrap_or(0.0).max(0.0),
                        rows_examined: n(2).unwrap_or(0.0).max(0.0),
                        rows_sent: n(3).unwrap_or(0.0).max(0.0),
                        rows_affected: n(4).unwrap_or(0.0).max(0.0),
                    });
                    true
                }
                _ => false,
            },
            "io" => t(1)
                .map(|table| {
                    let e = self.io.entry(table).or_default();
                    e.0 += n(0).unwrap_or(0.0).max(0.0);
                    e.1 += n(1).unwrap_or(0.0).max(0.0);
                })
                .is_some(),
            "sample" => match (t(1), t(2), n(0), n(1)) {
                (Some(table), Some(col), Some(rows), Some(distinct)) => {
                    self.samples.insert(
                        (table, col.to_lowercase()),
                        Sample {
                            rows,
                            distinct,
                            nulls: n(2).unwrap_or(0.0),
                            avg_len: n(3),
                        },
                    );
                    true
                }
                _ => false,
            },
            _ => false,
        };
        if !ok && self.errors.len() < 5 {
            self.errors.push(format!(
                "a row of kind {} lacks a required value",
                json::string(&kind.chars().take(40).collect::<String>())
            ));
        }
    }
}

/// The analysed input: catalog, workload and what the oracle needs.
pub struct Analysis {
    pub schema: String,
    pub catalog: Catalog,
    pub workload: Vec<WorkloadQuery>,
    pub observed: HashMap<String, Observed>,
    /// Digests whose text could not be analysed.
    pub skipped: usize,
}

/// Digest text made parseable: `IN (...)` and `VALUES (...)` lists become
/// one placeholder, and `DISTINCTROW` (MariaDB's digest spells every
/// `COUNT(DISTINCT x)` so) its synonym `DISTINCT`.
pub fn digest_to_sql(text: &str) -> String {
    text.replace("(...)", "(?)")
        .replace("DISTINCTROW ", "DISTINCT ")
}

/// Column names as the catalog spells them (MariaDB compares column names
/// without case), and nothing on columns that cannot be index keys.
fn canonicalize(
    f: &mut QueryFeatures,
    catalog: &Catalog,
    unindexable: &HashMap<String, Vec<String>>,
) {
    let spell = |table: &str, col: &mut String| {
        if let Some(t) = catalog.table(table) {
            if let Some(c) = t.columns.iter().find(|c| c.name.eq_ignore_ascii_case(col)) {
                col.clone_from(&c.name);
            }
        }
    };
    for p in &mut f.predicates {
        spell(&p.column.table, &mut p.column.column);
    }
    for j in &mut f.joins {
        spell(&j.left.table, &mut j.left.column);
        spell(&j.right.table, &mut j.right.column);
    }
    for s in &mut f.order_by {
        spell(&s.column.table, &mut s.column.column);
    }
    for g in &mut f.group_by {
        spell(&g.table, &mut g.column);
    }
    for c in &mut f.selected {
        spell(&c.table, &mut c.column);
    }
    let bad = |t: &str, c: &str| unindexable.get(t).is_some_and(|v| v.iter().any(|x| x == c));
    f.predicates
        .retain(|p| !bad(&p.column.table, &p.column.column));
    f.joins
        .retain(|j| !bad(&j.left.table, &j.left.column) && !bad(&j.right.table, &j.right.column));
    if let Some(i) = f
        .order_by
        .iter()
        .position(|s| bad(&s.column.table, &s.column.column))
    {
        f.order_by.truncate(i);
    }
    f.group_by.retain(|g| !bad(&g.table, &g.column));
}

impl Analysis {
    /// Builds the catalog and parses the workload.
    pub fn new(input: &Input) -> Analysis {
        let (mut catalog, unindexable) = build_catalog(input);
        let mut digests: Vec<&DigestRow> = input.digests.iter().filter(|d| d.calls > 0.0).collect();
        digests.sort_by(|a, b| {
            b.timer_ps
                .total_cmp(&a.timer_ps)
                .then(a.digest.cmp(&b.digest))
        });
        digests.truncate(MAX_QUERIES);
        let mut workload = Vec::new();
        let mut observed = HashMap::new();
        let mut skipped = 0;
        let mut reads: HashMap<String, f64> = HashMap::new();
        for d in digests {
            let sql = digest_to_sql(&d.text);
            let Ok(mut f) = features_with_catalog(&sql, Dialect::MySql, &catalog) else {
                skipped += 1;
                continue;
            };
            if !matches!(
                f.kind,
                StatementKind::Select | StatementKind::Update | StatementKind::Delete
            ) {
                continue;
            }
            f.tables.retain(|t| catalog.table(t).is_some());
            if f.tables.is_empty() {
                continue;
            }
            canonicalize(&mut f, &catalog, &unindexable);
            // `col IN (SELECT ...)` is a semi-join of unknown selectivity,
            // not a list of a few values: neither a key to lead an index
            // with nor a filter that keeps three rows (TPC-H q18).
            let semi = drivers::in_subquery(&d.text);
            for p in &mut f.predicates {
                if p.op == PredicateOp::In && semi.contains(&p.column.column.to_lowercase()) {
                    p.op = PredicateOp::Other;
                }
            }
            for t in &f.tables {
                *reads.entry(t.clone()).or_default() += d.calls;
            }
            let id = short_id(&d.digest, &workload);
            observed.insert(
                id.clone(),
                Observed {
                    examined_per_call: d.rows_examined / d.calls,
                    sent_per_call: d.rows_sent / d.calls,
                    digest: d.digest.clone(),
                    inner_only: drivers::inner_only(&d.text),
                    per_row: drivers::per_row_only(&d.text),
                    semi,
                },
            );
            workload.push(WorkloadQuery {
                id,
                text: d.text.trim().to_owned(),
                calls: d.calls,
                mean_ms: d.timer_ps / d.calls / 1e9,
                timed_out: false,
                features: f,
            });
        }
        // Without table I/O statistics, reads are the calls that touch a
        // table and writes the rows changed by statements on it.
        for t in &mut catalog.tables {
            if t.reads <= 0.0 {
                t.reads = reads.get(&t.name).copied().unwrap_or(0.0);
            }
        }
        if input.io.is_empty() {
            for d in &input.digests {
                if let Ok(f) =
                    features_with_catalog(&digest_to_sql(&d.text), Dialect::MySql, &catalog)
                {
                    if matches!(
                        f.kind,
                        StatementKind::Insert | StatementKind::Update | StatementKind::Delete
                    ) {
                        if let Some(t) = f
                            .tables
                            .first()
                            .and_then(|t| catalog.tables.iter_mut().find(|x| &x.name == t))
                        {
                            t.writes += d.rows_affected.max(d.calls);
                        }
                    }
                }
            }
        }
        Analysis {
            schema: input.schema.clone(),
            catalog,
            workload,
            observed,
            skipped,
        }
    }

    /// Columns worth sampling: filtered or joined on, of tables big enough
    /// to get advice, without a distinct count from a unique index.
    pub fn columns_to_sample(&self, opts: &AdviceOptions) -> Vec<(String, String)> {
        let mut weight: BTreeMap<(String, String), f64> = BTreeMap::new();
        for q in &self.workload {
            let f = &q.features;
            let cols = f
                .predicates
                .iter()
                .map(|p| &p.column)
                .chain(f.joins.iter().flat_map(|j| [&j.left, &j.right]))
                .chain(f.order_by.iter().map(|s| &s.column))
                .chain(f.group_by.iter());
            for c in cols {
                let Some(t) = self.catalog.table(&c.table) else {
                    continue;
                };
                if t.rows < opts.min_table_rows || !t.has_column(&c.column) {
                    continue;
                }
                let unique = t
                    .indexes
                    .iter()
                    .any(|i| i.unique && i.columns.len() == 1 && i.columns[0] == c.column);
                if !unique {
                    *weight
                        .entry((c.table.clone(), c.column.clone()))
                        .or_default() += q.calls * q.mean_ms.max(1e-6);
                }
            }
        }
        let mut v: Vec<((String, String), f64)> = weight.into_iter().collect();
        v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.into_iter()
            .take(MAX_SAMPLED_COLUMNS)
            .map(|(k, _)| k)
            .collect()
    }

    /// The columns to spell out for `index` (MariaDB has no INCLUDE: they
    /// become trailing key columns), without the stored columns that are
    /// the table's primary key: InnoDB appends those to every secondary
    /// index already.
    pub fn columns(&self, index: &IndexDef) -> Vec<String> {
        let pk: Vec<String> = self
            .catalog
            .table(&index.table)
            .and_then(|t| t.primary_key())
            .map(|p| p.columns.clone())
            .unwrap_or_default();
        let mut out = index.columns.clone();
        out.extend(index.include.iter().filter(|c| !pk.contains(c)).cloned());
        out
    }

    /// `CREATE INDEX` for MariaDB, the table qualified with the schema.
    pub fn ddl(&self, index: &IndexDef) -> String {
        let q = |s: &str| quote_ident(s, DdlStyle::MariaDbOnline);
        let cols: Vec<String> = self.columns(index).iter().map(|c| q(c)).collect();
        let table = if self.schema.is_empty() {
            q(&index.table)
        } else {
            format!("{}.{}", q(&self.schema), q(&index.table))
        };
        format!(
            "CREATE INDEX {} ON {table} ({}) ALGORITHM=INPLACE LOCK=NONE",
            q(&index.name()),
            cols.join(", ")
        )
    }

    /// The advice as the JSON text `sqlxos_advise_indexes` returns.
    pub fn advise(&self, opts: &AdviceOptions) -> String {
        let mut oracle = StatsOracle::new(&self.catalog, &self.observed);
        let advice = match advisor::advise(
            &self.workload,
            &self.catalog,
            &mut oracle,
            opts,
            DdlStyle::MariaDbOnline,
            &mut |_| {},
        ) {
            Ok(a) => a,
            Err(e) => return error_json(&e.to_string()),
        };
        let digest_of = |id: &str| {
            self.observed
                .get(id)
                .map_or_else(|| id.to_owned(), |o| o.digest.clone())
        };
        let picks: Vec<String> = advice
            .picks
            .iter()
            .map(|p| {
                let queries: Vec<String> = p
                    .queries
                    .iter()
                    .map(|(id, text)| {
                        json::object(&[
                            ("digest", json::string(&digest_of(id))),
                            ("text", json::string(text)),
                        ])
                    })
                    .collect();
                json::object(&[
                    ("table_name", json::string(&p.index.table)),
                    ("columns", json::string(&self.columns(&p.index).join(", "))),
                    ("index_ddl", json::string(&self.ddl(&p.index))),
                    ("estimated_bytes", json::number(p.bytes as f64)),
                    ("cost_before", json::number(p.cost_before)),
                    ("cost_after", json::number(p.cost_after)),
                    ("improvement_pct", json::number(p.improvement_pct)),
                    ("queries", json::string(&json::array(&queries))),
                    ("reason", json::string(&with_caution(p, &digest_of))),
                ])
            })
            .collect();
        let rejected: Vec<String> = advice
            .rejected
            .iter()
            .map(|r| {
                json::object(&[
                    ("table_name", json::string(&r.index.table)),
                    ("columns", json::string(&self.columns(&r.index).join(", "))),
                    ("reason", json::string(&r.reason)),
                ])
            })
            .collect();
        json::object(&[
            ("advice", json::array(&picks)),
            ("rejected", json::array(&rejected)),
            ("queries", json::number(self.workload.len() as f64)),
            ("skipped", json::number(self.skipped as f64)),
            (
                "workload_cost_before",
                json::number(advice.workload_cost_before),
            ),
            (
                "workload_cost_after",
                json::number(advice.workload_cost_after),
            ),
        ])
    }
}

/// A short id for a digest: its first 12 hex digits, longer on a clash.
fn short_id(digest: &str, so_far: &[WorkloadQuery]) -> String {
    let mut n = 12.min(digest.len());
    loop {
        let id = digest.get(..n).unwrap_or(digest).to_owned();
        if n >= digest.len() || !so_far.iter().any(|q| q.id == id) {
            return id;
        }
        n += 4;
    }
}

/// A pick's reason, and when it puts some query at risk (a plan the
/// optimizer's statistics misjudge, tolerated for what it saves
/// elsewhere: `Pick::risky`) a caution naming that query by digest.
/// TPC-H q18 at SF 1: the index on orders(o_custkey, ...) that q13 and q22
/// need makes MariaDB drive q18 from customer (3.2 -> 6.2 s).
fn with_caution(p: &Pick, digest_of: &dyn Fn(&str) -> String) -> String {
    if p.risky.is_empty() {
        return p.reason.clone();
    }
    let caution = match p.risky.as_slice() {
        [(id, pct)] => format!(
            "Caution: for query {} MariaDB may choose a plan its statistics misjudge, which, counting what it could lose, leaves it about {pct:.0}% costlier with all of this advice than without any; what the index saves elsewhere is over ten times that. Compare that query's time before and after building it.",
            digest_of(id)
        ),
        many => format!(
            "Caution: for queries {} MariaDB may choose plans its statistics misjudge, which, counting what they could lose, leave them that much costlier with all of this advice than without any; what the index saves elsewhere is over ten times that. Compare their times before and after building it.",
            many.iter()
                .map(|(id, pct)| format!("{} (about {pct:.0}%)", digest_of(id)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    format!("{} {caution}", p.reason)
}

fn error_json(msg: &str) -> String {
    json::object(&[("error", json::string(msg))])
}

/// Options shared by both aggregates: the defaults, and the slots that
/// pruning frees go to the candidates left
/// (`AdviceOptions::refill_after_prune`).
pub fn options() -> AdviceOptions {
    AdviceOptions {
        refill_after_prune: true,
        ..AdviceOptions::default()
    }
}

/// `sqlxos_advice_columns`: the columns to sample.
#[derive(Default)]
pub struct AdviceColumns(Input);

impl Aggregate for AdviceColumns {
    const NAME: &'static str = "sqlxos_advice_columns";
    const ARGS: usize = ROW_ARGS;

    fn add(&mut self, row: Vec<Arg>) {
        self.0.add(&row);
    }

    fn result(&mut self) -> String {
        if let Some(e) = self.0.errors.first() {
            return error_json(&format!("{}(): {e}", Self::NAME));
        }
        let a = Analysis::new(&self.0);
        let cols: Vec<String> = a
            .columns_to_sample(&options())
            .into_iter()
            .map(|(t, c)| json::object(&[("t", json::string(&t)), ("c", json::string(&c))]))
            .collect();
        json::array(&cols)
    }
}

/// `sqlxos_advise_indexes`: the advice.
#[derive(Default)]
pub struct AdviseIndexes(Input);

impl Aggregate for AdviseIndexes {
    const NAME: &'static str = "sqlxos_advise_indexes";
    const ARGS: usize = ROW_ARGS;

    fn add(&mut self, row: Vec<Arg>) {
        self.0.add(&row);
    }

    fn result(&mut self) -> String {
        if let Some(e) = self.0.errors.first() {
            return error_json(&format!("{}(): {e}", Self::NAME));
        }
        Analysis::new(&self.0).advise(&options())
    }
}

/// The aggregate UDFs: SQL name (equal to the exported symbol).
pub const AGGREGATES: &[&str] = &["sqlxos_advice_columns", "sqlxos_advise_indexes"];

mod exports {
    use crate::aggregate::aggregate;

    aggregate!(super::AdviceColumns, "sqlxos_advice_columns");
    aggregate!(super::AdviseIndexes, "sqlxos_advise_indexes");
}

#[cfg(test)]
mod tests;
