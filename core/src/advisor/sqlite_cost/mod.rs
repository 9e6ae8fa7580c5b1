//! A cost for SQLite plans. `EXPLAIN QUERY PLAN` says which loops SQLite
//! runs (`SCAN t`, `SEARCH t USING INDEX i (a=? AND b>?)`, `USE TEMP
//! B-TREE FOR ORDER BY`, subqueries) but prints no cost, so the advisor
//! prices the plan itself, in units of one sequential page read:
//!
//! - `SCAN t`: every page of the table read in order, `rows / rows_per_page`,
//!   plus [`CPU_ROW`] per row.
//! - `SCAN t USING COVERING INDEX i`: the same over the index's pages.
//! - `SCAN t USING INDEX i` (to deliver rows in index order): the index's
//!   pages, plus one table lookup per row ([`RANDOM_ROW`]): the table is read
//!   in random order, except that the rows of one key come in rowid order,
//!   so an index of few distinct keys reads the table once per key, forward.
//! - `SEARCH t USING [COVERING] INDEX i (a=? AND b>?)`: one descent
//!   ([`RANDOM_ROW`]), then the index entries the constraints select, read in
//!   order, plus one lookup per entry unless the index covers the query;
//!   through the index the table is stored in the order of (its primary
//!   key), the rows of one lookup lie together: one random fetch, then
//!   their pages in order.
//!   A descent or lookup pays [`RANDOM_ROW`] only when its page is not in
//!   SQLite's page cache: a b-tree the cache holds is read once, then
//!   searched for [`CPU_ROW`] a lookup. The
//!   entries selected are the table's rows times the selectivity of the
//!   constrained columns: measured on sample rows where the query's
//!   condition on the column has constants; else from `sqlite_stat1` (rows
//!   per key of the index prefix) for equalities and the query's own guess
//!   for ranges (the one a scan filters with), none when it has none. An
//!   equality joined to a column with more distinct values finds rows for
//!   only the share of those values this column has (containment).
//! - A skip-scan (`SEARCH t USING INDEX i (ANY(a) AND b=?)`) descends once
//!   per distinct value of each skipped column `a`.
//! - `SEARCH t USING INTEGER PRIMARY KEY` / `PRIMARY KEY`: a descent, then
//!   the table's own pages in order.
//! - `AUTOMATIC [PARTIAL] COVERING INDEX`: SQLite builds it each run (a scan
//!   and one b-tree insert per row), then searches it.
//! - Loops nest: each loop runs once per row the loops before it produce
//!   (its rows after every condition on the table, measured or guessed).
//!   A correlated subquery runs once per row of its block.
//! - Lookups in key order: nested loops deliver rows in the order of the
//!   first loop (`SCAN t` in rowid order, which is also the order of the
//!   primary key tables are usually loaded in; `SCAN t USING INDEX i` in
//!   the order of `i`). A `SEARCH` whose leading equality is joined to a
//!   column in that order reads its index forward, page after page: its
//!   descents cost [`RANDOM_ROW`] only until every page has been read once,
//!   and its table lookups are sequential too when the index is the
//!   table's own order (its primary key). TPC-H q07 scans `orders` and
//!   finds `lineitem` by `l_orderkey`, in order; an index that makes SQLite
//!   scan `orders` by `o_custkey` instead turns those lookups random and
//!   the query twice slower (SF 0.1), which only this rule sees.
//! - `USE TEMP B-TREE FOR ORDER BY / GROUP BY / DISTINCT`: a sort,
//!   `n log2 n` x [`CPU_ROW`].
//! - `LIMIT n` on a top-level block without a temp b-tree stops its loops
//!   early: their cost is scaled by `n / rows` when below 1.
//!
//! With these weights an index that makes SQLite read more than a few per
//! cent of a table row by row costs more than scanning the table, which is
//! how an index that turns a scan into random reads of most of a table is
//! judged worse than none.

mod eqp;
#[cfg(test)]
mod tests;

pub use eqp::{parse_loop, Access, Constraint, Loop};

/// Cost of processing one row (or index entry) in the CPU, in page reads.
pub const CPU_ROW: f64 = 0.01;
/// Cost of fetching one row by key in random order: one b-tree descent whose
/// interior pages are cached and whose leaf page is not, in page reads. The
/// leaf usually comes from the OS's cache, not the disk: on TPC-H (SF 0.1,
/// every file in the OS cache) fetching 600,000 `lineitem` rows in random
/// instead of key order costs about what scanning the table 4 times does.
pub const RANDOM_ROW: f64 = 0.25;
/// Rows assumed for a table or subquery the context does not know.
const UNKNOWN_ROWS: f64 = 100.0;
/// Bytes of b-tree overhead per row or index entry.
const ENTRY_OVERHEAD: f64 = 12.0;

/// One row of `EXPLAIN QUERY PLAN` (`id`, `parent`, `detail`).
#[derive(Debug, Clone, PartialEq)]
pub struct EqpRow {
    pub id: i64,
    pub parent: i64,
    pub detail: String,
}

/// A condition of the query on one table, with its selectivity.
#[derive(Debug, Clone, PartialEq)]
pub struct CondSel {
    /// The one column it reads, if one.
    pub column: Option<String>,
    /// Fraction of rows that pass, in (0, 1].
    pub sel: f64,
    /// Measured on sample rows (else a guess from statistics).
    pub measured: bool,
}

/// What the cost needs to know of one table reference of the query.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TableShape {
    pub rows: f64,
    /// Average bytes of a row (payload).
    pub row_bytes: f64,
    /// The query's conditions on this reference alone.
    pub conds: Vec<CondSel>,
    /// Distinct values per column, where known.
    pub distinct: Vec<(String, f64)>,
    /// The table's name (several references may share one).
    pub table: String,
    /// Columns whose order a `SCAN` in rowid order follows: the rowid's
    /// alias and the primary key's first column.
    pub scan_order: Vec<String>,
    /// Equality joins of the query: (column of this table, other table,
    /// other column).
    pub joined: Vec<(String, String, String)>,
    /// Per column of this table joined by equality: the most distinct
    /// values among the columns it is joined to, where known.
    pub join_distinct: Vec<(String, f64)>,
}

/// What the cost needs to know of one index (real or hypothetical).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct IndexShape {
    pub columns: Vec<String>,
    /// `sqlite_stat1`: rows per distinct key of each prefix.
    pub rows_per_key: Vec<f64>,
    /// Average bytes of an entry (key columns and rowid).
    pub entry_bytes: f64,
    /// The table's rows are stored in this index's order (its primary
    /// key, as tables are usually loaded): lookups from entries read in
    /// order are sequential.
    pub table_order: bool,
}

/// Lookups the cost needs; implemented by the SQLite adapter.
pub trait PlanContext {
    /// The table behind a name the plan prints (alias or table name).
    fn table(&self, binding: &str) -> Option<&TableShape>;
    /// An index by name.
    fn index(&self, name: &str) -> Option<&IndexShape>;
    /// The database page size in bytes.
    fn page_size(&self) -> f64;
    /// Pages SQLite's page cache holds (`PRAGMA cache_size`; 2000 KiB by
    /// default).
    fn cache_pages(&self) -> f64 {
        2_048_000.0 / self.page_size().max(512.0)
    }
}

/// The price of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanCost {
    pub cost: f64,
    /// Rows the top-level block produces (estimate).
    pub rows: f64,
    /// Names of the indexes the plan reads.
    pub indexes: Vec<String>,
}

struct Node<'a> {
    row: &'a EqpRow,
    children: Vec<usize>,
}

/// Prices the plan `rows` (as `EXPLAIN QUERY PLAN` returns them). `limit`
/// is the outermost query's LIMIT, if any.
pub fn plan_cost(rows: &[EqpRow], limit: Option<f64>, ctx: &dyn PlanContext) -> PlanCost {
    let nodes: Vec<Node<'_>> = rows
        .iter()
        .map(|r| Node {
            row: r,
            children: rows
                .iter()
                .enumerate()
                .filter(|(_, c)| c.parent == r.id && c.id != r.id)
                .map(|(i, _)| i)
                .collect(),
        })
        .collect();
    let top: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !rows.iter().any(|p| p.id == r.parent && p.id != r.id))
        .map(|(i, _)| i)
        .collect();
    let mut w = Walk {
        ctx,
        nodes: &nodes,
        indexes: Vec::new(),
        depth: 0,
    };
    let (cost, out) = w.block(&top, limit, &Order::default());
    PlanCost {
        cost,
        rows: out,
        indexes: w.indexes,
    }
}

/// The columns (table, column) whose ascending order the rows of a block
/// arrive in, and how many times the block runs.
#[derive(Debug, Clone, Default)]
struct Order {
    cols: Vec<(String, String)>,
    runs: f64,
}

impl Order {
    fn has(&self, table: &str, col: &str) -> bool {
        self.cols.iter().any(|(t, c)| t == table && c == col)
    }
}

struct Walk<'a> {
    ctx: &'a dyn PlanContext,
    nodes: &'a [Node<'a>],
    indexes: Vec<String>,
    depth: usize,
}

impl Walk<'_> {
    /// Cost and output rows of one block of sibling lines.
    fn block(&mut self, ids: &[usize], limit: Option<f64>, outer: &Order) -> (f64, f64) {
        self.depth += 1;
        if self.depth > 64 {
            self.depth -= 1;
            return (0.0, 1.0);
        }
        let mut iterations = 1.0_f64;
        let mut loops = 0.0;
        let mut other = 0.0;
        let mut sorted = false;
        let mut any_loop = false;
        let mut order = Order {
            cols: outer.cols.clone(),
            runs: outer.runs.max(1.0),
        };
        for &i in ids {
            let node = &self.nodes[i];
            let detail = node.row.detail.as_str();
            if let Some(l) = parse_loop(detail) {
                if !any_loop && outer.cols.is_empty() {
                    order.cols = self.first_order(&l);
                }
                let (c, out) = self.loop_cost(&l, iterations, &mut order);
                loops += iterations * c;
                iterations = (iterations * out).max(1e-6);
                any_loop = true;
            } else if detail.starts_with("USE TEMP B-TREE") {
                sorted = true;
                other += iterations * (iterations + 2.0).log2() * CPU_ROW;
            } else if detail.starts_with("MULTI-INDEX OR") {
                let (mut c, mut out) = (0.0, 0.0);
                for &ch in &node.children.clone() {
                    let (cc, oo) =
                        self.block(&self.nodes[ch].children.clone(), None, &Order::default());
                    c += cc;
                    out += oo;
                }
                loops += iterations * c;
                iterations = (iterations * out).max(1e-6);
                any_loop = true;
            } else if detail.starts_with("CORRELATED") {
                // Runs once per row of this block, in this block's order.
                let inner = Order {
                    cols: if any_loop {
                        order.cols.clone()
                    } else {
                        Vec::new()
                    },
                    runs: order.runs * iterations,
                };
                let (c, _) = self.block(&node.children.clone(), None, &inner);
                other += iterations * c;
            } else if !node.children.is_empty() {
                let (c, out) = self.block(&node.children.clone(), None, &Order::default());
                other += c;
                if detail.starts_with("COMPOUND") && !any_loop {
                    iterations = out;
                }
            }
        }
        if let Some(n) = limit {
            if !sorted && any_loop && iterations > n {
                loops *= (n / iterations).max(1e-9);
            }
        }
        self.depth -= 1;
        let out = match limit {
            Some(n) => iterations.min(n),
            None => iterations,
        };
        (loops + other, out)
    }

    /// The order the rows of a block's first loop come in.
    fn first_order(&self, l: &Loop) -> Vec<(String, String)> {
        let Some(t) = self.ctx.table(&l.binding) else {
            return Vec::new();
        };
        let of = |cols: &[String]| -> Vec<(String, String)> {
            cols.iter().map(|c| (t.table.clone(), c.clone())).collect()
        };
        match &l.access {
            Access::Scan { index: None, .. } => of(&t.scan_order),
            Access::Scan { index: Some(i), .. } => self
                .ctx
                .index(i)
                .and_then(|s| s.columns.first())
                .map_or_else(Vec::new, |c| of(std::slice::from_ref(c))),
            Access::Search {
                index, constraints, ..
            } => {
                // A range on the leading column reads it in order.
                let lead = index
                    .as_ref()
                    .and_then(|i| self.ctx.index(i))
                    .and_then(|s| s.columns.first().cloned());
                match (lead, constraints.first()) {
                    (Some(c), Some(k)) if !k.equality && !k.skip && k.column == c => {
                        of(std::slice::from_ref(&c))
                    }
                    _ => Vec::new(),
                }
            }
            Access::Constant => Vec::new(),
        }
    }

    /// Cost of one run of a loop and the rows one run produces. `order`:
    /// the order the loops before it deliver rows in (see the module doc);
    /// a loop found in that order adds its key to it.
    fn loop_cost(&mut self, l: &Loop, iterations: f64, order: &mut Order) -> (f64, f64) {
        let unknown = TableShape {
            rows: UNKNOWN_ROWS,
            row_bytes: 100.0,
            ..TableShape::default()
        };
        let t = self.ctx.table(&l.binding).unwrap_or(&unknown);
        let page = self.ctx.page_size().max(512.0);
        let rows = t.rows.max(1.0);
        let per_page = |bytes: f64| (page / (bytes + ENTRY_OVERHEAD)).max(1.0);
        let rpp = per_page(t.row_bytes);
        let filter: f64 = t
            .conds
            .iter()
            .map(|c| c.sel)
            .product::<f64>()
            .clamp(1e-9, 1.0);
        match &l.access {
            Access::Constant => (0.0, 1.0),
            Access::Scan { index: None, .. } => (rows / rpp + rows * CPU_ROW, rows * filter),
            Access::Scan {
                index: Some(name),
                covering,
            } => {
                self.note(name);
                let epp = self
                    .ctx
                    .index(name)
                    .map_or(rpp, |i| per_page(i.entry_bytes));
                let mut c = rows / epp + rows * CPU_ROW;
                if !covering {
                    let shape = self.ctx.index(name);
                    let in_order = shape.is_some_and(|i| i.table_order);
                    let m = misses(rows / rpp, rows, in_order, self.ctx.cache_pages());
                    let random = RANDOM_ROW * m + CPU_ROW;
                    // The entries of one key come in rowid order: an index
                    // on a column of few values reads the table once per
                    // value, forward (TPC-H q01's GROUP BY l_returnflag,
                    // l_linestatus: 4 passes over lineitem, and no sort).
                    let keys = shape
                        .and_then(|i| i.rows_per_key.last())
                        .map_or(rows, |r| (rows / r.max(1.0)).clamp(1.0, rows));
                    c += if in_order {
                        rows * random
                    } else {
                        keys * fetch(rows / keys, rows / rpp, true, random)
                    };
                }
                (c, rows * filter)
            }
            Access::Search {
                index,
                covering,
                primary,
                automatic,
                constraints,
            } => {
                if let Some(name) = index {
                    self.note(name);
                }
                let shape = index.as_ref().and_then(|n| self.ctx.index(n));
                let visited = visited(t, shape, constraints).clamp(1.0, rows);
                let residual: f64 = t
                    .conds
                    .iter()
                    .filter(|c| {
                        c.column
                            .as_ref()
                            .is_none_or(|col| !constraints.iter().any(|k| &k.column == col))
                    })
                    .map(|c| c.sel)
                    .product::<f64>()
                    .clamp(1e-9, 1.0);
                let out = visited * residual;
                if *automatic {
                    // SQLite fills it row by row in key order it does not
                    // know (an insert into a b-tree per row, not a sorted
                    // bulk load): measured on TPC-H q13 (SF 0.1), a real
                    // index on the join column, with a table lookup per
                    // entry, beats it 2.7x, so each row costs two random
                    // writes besides the sort comparisons.
                    let build = rows / rpp
                        + rows * (CPU_ROW * (1.0 + rows.log2().max(0.0)) + 2.0 * RANDOM_ROW);
                    return (
                        build / iterations.max(1.0) + RANDOM_ROW + visited * CPU_ROW,
                        out,
                    );
                }
                let epp = if *primary {
                    rpp
                } else {
                    shape.map_or(rpp, |i| per_page(i.entry_bytes))
                };
                // A skip-scan descends once per distinct value of each
                // skipped leading column.
                let descents: f64 = constraints
                    .iter()
                    .filter(|k| k.skip)
                    .map(|k| distinct_of(t, &k.column))
                    .product();
                // Found in the order the rows before it come in?
                // (`rowid=?` is the search of an INTEGER PRIMARY KEY.)
                let key: Option<String> = constraints
                    .first()
                    .filter(|k| k.equality && !k.skip)
                    .and_then(|k| {
                        let names: Vec<&String> = if *primary && k.column == "rowid" {
                            t.scan_order.iter().collect()
                        } else if *primary
                            || shape.is_some_and(|s| s.columns.first() == Some(&k.column))
                        {
                            vec![&k.column]
                        } else {
                            Vec::new()
                        };
                        names.into_iter().find(|c| {
                            t.joined
                                .iter()
                                .any(|(mine, ot, oc)| mine == *c && order.has(ot, oc))
                        })
                    })
                    .cloned();
                let in_order = key.is_some();
                let lookups = (iterations * order.runs).max(1.0);
                let cache = self.ctx.cache_pages();
                let descent = RANDOM_ROW * misses(rows / epp, lookups, in_order, cache) + CPU_ROW;
                let mut c = descent * descents + visited / epp + visited * CPU_ROW;
                if !covering {
                    let sequential = in_order && shape.is_some_and(|s| s.table_order);
                    // Equalities only: the entries come in the order of the
                    // key columns after them, then of the rowid, so in as
                    // many runs in rowid order as those columns have
                    // values (one when every key column is constrained).
                    let runs = shape.and_then(|s| {
                        let eq = constraints.iter().filter(|k| k.equality && !k.skip).count();
                        if eq == 0 || eq != constraints.len() {
                            return None;
                        }
                        if eq >= s.columns.len() {
                            return Some(1.0);
                        }
                        match (s.rows_per_key.get(eq - 1), s.rows_per_key.last()) {
                            (Some(a), Some(b)) => Some((a / b.max(1.0)).max(1.0)),
                            _ => None,
                        }
                    });
                    // The rows of one key of the table's own order lie
                    // together: one random fetch, then their pages in
                    // order (measured on TPC-H SF 0.1: fetching the 4
                    // lineitem rows of an order by its key in random order
                    // costs what fetching one does).
                    let clustered = shape.is_some_and(|s| s.table_order);
                    c += if sequential {
                        visited * (1.0 / rpp + CPU_ROW)
                    } else if clustered {
                        RANDOM_ROW * misses(rows / rpp, lookups, false, cache)
                            + visited * (1.0 / rpp + CPU_ROW)
                    } else {
                        let random = RANDOM_ROW
                            * misses(rows / rpp, lookups * visited, false, cache)
                            + CPU_ROW;
                        match runs {
                            Some(n) => n * fetch(visited / n, rows / rpp, true, random),
                            None => fetch(visited, rows / rpp, false, random),
                        }
                    };
                }
                if let (true, Some(c)) = (in_order, key) {
                    order.cols.push((t.table.clone(), c));
                }
                (c, out)
            }
        }
    }

    fn note(&mut self, name: &str) {
        if !self.indexes.iter().any(|n| n == name) {
            self.indexes.push(name.to_owned());
        }
    }
}

/// The share of `lookups` into a b-tree of `pages` leaf pages that read a
/// page SQLite's cache (`cache` pages) does not hold: every page once, and
/// in random order, beyond the cache, the share of the tree it cannot hold.
/// In key order a page is done with before the next is needed.
fn misses(pages: f64, lookups: f64, in_order: bool, cache: f64) -> f64 {
    let once = (pages.max(1.0) / lookups.max(1.0)).min(1.0);
    if in_order || pages <= cache {
        once
    } else {
        once.max(1.0 - cache / pages)
    }
}

/// Cost of fetching `rows` table rows of a table of `pages` pages, at
/// `random` a row; in rowid order (`by_rowid`) at most every page once,
/// forward, if that is less.
fn fetch(rows: f64, pages: f64, by_rowid: bool, random: f64) -> f64 {
    let r = rows * random;
    if by_rowid {
        r.min(rows.min(pages.max(1.0)) + rows * CPU_ROW)
    } else {
        r
    }
}

/// Distinct values of `col` in `t` (10 when unknown).
fn distinct_of(t: &TableShape, col: &str) -> f64 {
    t.distinct
        .iter()
        .find(|(c, _)| c == col)
        .map_or(10.0, |(_, d)| d.max(1.0))
}

/// Rows a `SEARCH` reads with `constraints` (see the module doc).
fn visited(t: &TableShape, index: Option<&IndexShape>, constraints: &[Constraint]) -> f64 {
    let measured = |col: &str| -> Option<f64> {
        let sels: Vec<f64> = t
            .conds
            .iter()
            .filter(|c| c.measured && c.column.as_deref() == Some(col))
            .map(|c| c.sel)
            .collect();
        (!sels.is_empty()).then(|| sels.iter().product())
    };
    let distinct = |col: &str| distinct_of(t, col);
    let mut eq: Vec<&str> = Vec::new();
    let mut range: Vec<&str> = Vec::new();
    let skips = constraints.iter().filter(|k| k.skip).count();
    for k in constraints {
        if k.skip {
            continue;
        }
        if k.equality {
            if !eq.contains(&k.column.as_str()) {
                eq.push(&k.column);
            }
        } else {
            range.push(&k.column);
        }
    }
    let any_measured = eq.iter().any(|c| measured(c).is_some());
    let mut v = if eq.is_empty() {
        t.rows
    } else if !any_measured {
        let v = match index.and_then(|i| i.rows_per_key.get(skips + eq.len() - 1)) {
            Some(&r) => r,
            None => t.rows * eq.iter().map(|c| 1.0 / distinct(c)).product::<f64>(),
        };
        // A join value finds rows only if this column has it: of the
        // values of a column with more distinct values than this one, a
        // share finds none (TPC-H: a third of the customers have no
        // orders, so a customer finds 10 orders, not the 15 per o_custkey).
        let lead = eq[0];
        let partner = t
            .join_distinct
            .iter()
            .filter(|(c, _)| c == lead)
            .map(|(_, d)| *d)
            .fold(0.0_f64, f64::max);
        let own = distinct(lead);
        let constant = t.conds.iter().any(|c| c.column.as_deref() == Some(lead));
        if !constant && skips == 0 && partner > own {
            v * own / partner
        } else {
            v
        }
    } else {
        t.rows
            * eq.iter()
                .map(|c| measured(c).unwrap_or_else(|| 1.0 / distinct(c)))
                .product::<f64>()
    };
    if let Some(r) = range.first() {
        // Unmeasured: the query's own guess for the column, the one a scan
        // filters with too; with none (a comparison with a subquery, which
        // the query's conditions leave out) the range is not credited, or
        // an index would seem to cut rows a scan keeps (TPC-H q22's
        // `c_acctbal > (SELECT avg(...))` made customer(c_acctbal) look
        // like a 75% saving; it saves nothing).
        let guessed: Vec<f64> = t
            .conds
            .iter()
            .filter(|c| c.column.as_deref() == Some(*r))
            .map(|c| c.sel)
            .collect();
        v *= measured(r).unwrap_or_else(|| {
            if guessed.is_empty() {
                1.0
            } else {
                guessed.iter().product()
            }
        });
    }
    v
}
