//! What the advisor knows of the user's database: the core [`Catalog`]
//! (columns, row counts, existing indexes from `PRAGMA table_info`,
//! `index_list`, `index_info` and `sqlite_stat1`) and a sample of each
//! table's rows, copied into a private in-memory database.
//!
//! The sample gives the statistics a planner needs and `ANALYZE` would have
//! computed, without writing to the user's database: distinct values of a
//! column or of an index prefix (the Duj1 estimator PostgreSQL's ANALYZE
//! uses, from the sample's distinct and once-seen values), average widths,
//! NULL fractions, and the selectivity of the query's own conditions
//! (`created_at > '2024-01-01'` run against the sample). Tables with at most
//! [`SAMPLE_ROWS`] rows are copied whole, so their figures are exact.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::{c_int, c_void};

use rusqlite::types::Value;
use rusqlite::{ffi, Connection, OptionalExtension};
use sqlxos_core::catalog::{Catalog, ColumnStats, ExistingIndex, TableStats};

/// Rows sampled per table.
pub(crate) const SAMPLE_ROWS: f64 = 20_000.0;
/// VM steps after which measuring one condition on the sample gives up.
const MEASURE_STEPS: c_int = 1000;
const MEASURE_LIMIT_CALLS: usize = 20_000;

/// One table of the user's database.
pub(crate) struct TableInfo {
    /// Name as SQLite stores it.
    pub real: String,
    /// (lower-case name, declared type), in table order.
    pub columns: Vec<(String, String)>,
    pub rows: f64,
    pub sample_rows: f64,
    /// Average bytes of a row (sum of column widths).
    pub row_bytes: f64,
    pub virtual_table: bool,
    /// `sqlite_stat1` lines of the user's database: index name -> stat.
    pub stat1: HashMap<String, String>,
    /// Existing index name -> lower-case key columns and whether unique.
    pub indexes: Vec<(String, Vec<String>, bool)>,
    /// The INTEGER PRIMARY KEY column (the rowid's alias), lower case.
    pub rowid_alias: Option<String>,
}

pub(crate) struct Schema {
    pub catalog: Catalog,
    pub tables: HashMap<String, TableInfo>,
    pub page_size: f64,
    sample: Connection,
    distinct: RefCell<HashMap<(String, Vec<String>), f64>>,
    measured: RefCell<HashMap<(String, String, String), Option<f64>>>,
}

/// `"name"` with `"` doubled.
pub(crate) fn q(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_err(what: &str, e: rusqlite::Error) -> String {
    format!("{what}: {e}")
}

impl Schema {
    /// Reads the tables named in `wanted` (lower case) from `db`'s main
    /// schema. Unknown names are skipped.
    pub(crate) fn load(db: &Connection, wanted: &[String]) -> Result<Schema, String> {
        let sample =
            Connection::open_in_memory().map_err(|e| sql_err("opening a sample database", e))?;
        let page_size: f64 = db
            .query_row("PRAGMA main.page_size", [], |r| r.get::<_, i64>(0))
            .map_err(|e| sql_err("reading page_size", e))? as f64;
        let has_stat1: bool = db
            .query_row(
                "SELECT count(*) FROM main.sqlite_schema WHERE name = 'sqlite_stat1'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| sql_err("reading the schema", e))?
            > 0;
        let mut listed = db
            .prepare("SELECT name, coalesce(sql, '') FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'")
            .map_err(|e| sql_err("reading the schema", e))?;
        let all: Vec<(String, String)> = listed
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .and_then(|rows| rows.collect())
            .map_err(|e| sql_err("reading the schema", e))?;
        drop(listed);
        let mut s = Schema {
            catalog: Catalog::default(),
            tables: HashMap::new(),
            page_size: page_size.max(512.0),
            sample,
            distinct: RefCell::new(HashMap::new()),
            measured: RefCell::new(HashMap::new()),
        };
        for (real, sql) in all {
            let lower = real.to_lowercase();
            if !wanted.contains(&lower) || s.tables.contains_key(&lower) {
                continue;
            }
            let virtual_table = sql
                .trim_start()
                .to_ascii_uppercase()
                .starts_with("CREATE VIRTUAL");
            let info = s.load_table(db, &real, virtual_table, has_stat1)?;
            s.tables.insert(lower, info);
        }
        s.build_catalog(db)?;
        s.note_primary_keys(db)?;
        Ok(s)
    }

    fn load_table(
        &mut self,
        db: &Connection,
        real: &str,
        virtual_table: bool,
        has_stat1: bool,
    ) -> Result<TableInfo, String> {
        let what = format!("reading table {real}");
        let mut st = db
            .prepare(&format!("PRAGMA main.table_info({})", q(real)))
            .map_err(|e| sql_err(&what, e))?;
        let columns: Vec<(String, String)> = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?.to_lowercase(),
                    r.get::<_, String>(2)?,
                ))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| sql_err(&what, e))?;
        drop(st);
        let mut stat1 = HashMap::new();
        if has_stat1 {
            let mut st = db
                .prepare("SELECT coalesce(idx, ''), stat FROM main.sqlite_stat1 WHERE tbl = ?1 COLLATE NOCASE")
                .map_err(|e| sql_err(&what, e))?;
            let lines: Vec<(String, String)> = st
                .query_map([real], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect())
                .map_err(|e| sql_err(&what, e))?;
            stat1.extend(lines);
        }
        let mut info = TableInfo {
            real: real.to_owned(),
            columns,
            rows: 0.0,
            sample_rows: 0.0,
            row_bytes: 0.0,
            virtual_table,
            stat1,
            indexes: Vec::new(),
            rowid_alias: None,
        };
        if virtual_table {
            return Ok(info);
        }
        let from_stat = info
            .stat1
            .values()
            .filter_map(|s| s.split_whitespace().next()?.parse::<f64>().ok())
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        info.rows = match from_stat {
            Some(r) => r,
            None => db
                .query_row(&format!("SELECT count(*) FROM main.{}", q(real)), [], |r| {
                    r.get::<_, i64>(0)
                })
                .map_err(|e| sql_err(&what, e))? as f64,
        };
        self.copy_sample(db, &mut info)?;
        let mut st = db
            .prepare(&format!("PRAGMA main.index_list({})", q(real)))
            .map_err(|e| sql_err(&what, e))?;
        let list: Vec<(String, bool)> = st
            .query_map([], |r| {
                Ok((r.get::<_, String>(1)?, r.get::<_, i64>(2)? != 0))
            })
            .and_then(|rows| rows.collect())
            .map_err(|e| sql_err(&what, e))?;
        drop(st);
        for (name, unique) in list {
            let mut st = db
                .prepare(&format!("PRAGMA main.index_info({})", q(&name)))
                .map_err(|e| sql_err(&what, e))?;
            let cols: Vec<String> = st
                .query_map([], |r| {
                    let cid: i64 = r.get(1)?;
                    let name: Option<String> = r.get(2)?;
                    Ok(match (cid, name) {
                        (-1, _) => "rowid".to_owned(),
                        (_, Some(n)) => n.to_lowercase(),
                        (_, None) => "<expression>".to_owned(),
                    })
                })
                .and_then(|rows| rows.collect())
                .map_err(|e| sql_err(&what, e))?;
            info.indexes.push((name, cols, unique));
        }
        Ok(info)
    }

    /// Copies up to [`SAMPLE_ROWS`] rows of `info` into the sample database.
    fn copy_sample(&mut self, db: &Connection, info: &mut TableInfo) -> Result<(), String> {
        let what = format!("sampling table {}", info.real);
        let cols: Vec<String> = info.columns.iter().map(|(c, _)| q(c)).collect();
        if cols.is_empty() {
            return Ok(());
        }
        let defs: Vec<String> = info
            .columns
            .iter()
            .map(|(c, t)| {
                format!(
                    "{} {}",
                    q(c),
                    t.replace(
                        |ch: char| !ch.is_ascii_alphanumeric()
                            && ch != ' '
                            && ch != '('
                            && ch != ')'
                            && ch != ',',
                        ""
                    )
                )
            })
            .collect();
        let name = q(&info.real.to_lowercase());
        self.sample
            .execute_batch(&format!(
                "CREATE TABLE IF NOT EXISTS {name} ({})",
                defs.join(", ")
            ))
            .map_err(|e| sql_err(&what, e))?;
        // A larger table: the rows whose rowid hashes below the sampled
        // share (a Weyl sequence over the rowid: uniform, and the same rows
        // each time, so the same workload gets the same advice), or
        // random() where there is no rowid.
        let all = format!("SELECT {} FROM main.{}", cols.join(", "), q(&info.real));
        let select = if info.rows <= SAMPLE_ROWS {
            all
        } else {
            let cut = (SAMPLE_ROWS / info.rows * 2_147_483_648.0) as i64;
            let hashed = format!(
                "{all} WHERE (rowid * 1103515245 + 12345) % 2147483648 BETWEEN 0 AND {}",
                cut - 1
            );
            if db.prepare(&hashed).is_ok() {
                hashed
            } else {
                format!(
                    "{all} WHERE abs(random() % {}) < {}",
                    info.rows.ceil() as i64,
                    SAMPLE_ROWS as i64
                )
            }
        };
        let insert = format!(
            "INSERT INTO {name} VALUES ({})",
            vec!["?"; cols.len()].join(", ")
        );
        let tx = self.sample.transaction().map_err(|e| sql_err(&what, e))?;
        {
            let mut ins = tx.prepare(&insert).map_err(|e| sql_err(&what, e))?;
            let mut sel = db.prepare(&select).map_err(|e| sql_err(&what, e))?;
            let mut rows = sel.query([]).map_err(|e| sql_err(&what, e))?;
            let mut n = 0.0;
            while let Some(r) = rows.next().map_err(|e| sql_err(&what, e))? {
                let vals: Vec<Value> = (0..cols.len())
                    .map(|i| r.get::<_, Value>(i))
                    .collect::<rusqlite::Result<_>>()
                    .map_err(|e| sql_err(&what, e))?;
                ins.execute(rusqlite::params_from_iter(vals))
                    .map_err(|e| sql_err(&what, e))?;
                n += 1.0;
            }
            info.sample_rows = n;
        }
        tx.commit().map_err(|e| sql_err(&what, e))?;
        Ok(())
    }

    fn build_catalog(&mut self, _db: &Connection) -> Result<(), String> {
        let mut tables = Vec::new();
        for (lower, info) in &self.tables {
            let mut columns = Vec::new();
            let mut row_bytes = 0.0;
            for (c, _) in &info.columns {
                let (width, nulls) = self.width_and_nulls(lower, c);
                row_bytes += width;
                columns.push(ColumnStats {
                    name: c.clone(),
                    n_distinct: self.distinct(lower, std::slice::from_ref(c)),
                    avg_width: width.round().max(1.0) as u32,
                    null_frac: nulls,
                });
            }
            let mut indexes: Vec<ExistingIndex> = Vec::new();
            for (name, cols, unique) in &info.indexes {
                indexes.push(ExistingIndex {
                    name: name.clone(),
                    columns: cols.clone(),
                    include: Vec::new(),
                    unique: *unique,
                    primary: false,
                    partial: false,
                    bytes: 0,
                    scans: None,
                });
            }
            // The rowid is the table's own key: a candidate on it is
            // pointless (an INTEGER PRIMARY KEY is added by
            // `note_primary_keys`).
            indexes.push(ExistingIndex {
                name: "rowid".into(),
                columns: vec!["rowid".into()],
                include: Vec::new(),
                unique: true,
                primary: true,
                partial: false,
                bytes: 0,
                scans: None,
            });
            columns.push(ColumnStats {
                name: "rowid".into(),
                n_distinct: -1.0,
                avg_width: 8,
                null_frac: 0.0,
            });
            let rows = if info.virtual_table { 0.0 } else { info.rows };
            tables.push((
                lower.clone(),
                row_bytes,
                TableStats {
                    name: lower.clone(),
                    rows,
                    bytes: (rows * (row_bytes + 12.0)) as u64,
                    columns,
                    indexes,
                    writes: 0.0,
                    reads: 0.0,
                },
            ));
        }
        for (lower, rb, t) in tables {
            if let Some(i) = self.tables.get_mut(&lower) {
                i.row_bytes = rb;
            }
            self.catalog.tables.push(t);
        }
        self.catalog.tables.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(())
    }

    /// Average width in bytes and NULL fraction of a column, from the sample.
    fn width_and_nulls(&self, table: &str, col: &str) -> (f64, f64) {
        let sql = format!(
            "SELECT coalesce(avg(length(CAST({c} AS BLOB))), 8), coalesce(avg({c} IS NULL), 0) FROM {t}",
            c = q(col),
            t = q(table)
        );
        self.sample
            .query_row(&sql, [], |r| Ok((r.get::<_, f64>(0)?, r.get::<_, f64>(1)?)))
            .unwrap_or((8.0, 0.0))
    }

    /// Bytes an index on `cols` of `table` would take: built on the sample,
    /// measured with `dbstat`, scaled to the table. `None` when the sample
    /// is too small to tell (under 1000 rows of a larger table) or `dbstat`
    /// is not compiled in.
    pub(crate) fn sample_index_bytes(&self, table: &str, cols: &[String]) -> Option<f64> {
        let info = self.tables.get(table)?;
        if info.sample_rows < 1.0 || (info.sample_rows < 1000.0 && info.rows > info.sample_rows) {
            return None;
        }
        let name = "sqlxos_size_probe";
        let list: Vec<String> = cols.iter().map(|c| q(c)).collect();
        self.sample
            .execute_batch(&format!(
                "CREATE INDEX {} ON {} ({})",
                q(name),
                q(table),
                list.join(", ")
            ))
            .ok()?;
        let bytes = self
            .sample
            .query_row(
                "SELECT sum(pgsize) FROM dbstat WHERE name = ?1",
                [name],
                |r| r.get::<_, Option<f64>>(0),
            )
            .ok()
            .flatten();
        let _ = self
            .sample
            .execute_batch(&format!("DROP INDEX {}", q(name)));
        bytes.map(|b| b * info.rows.max(1.0) / info.sample_rows)
    }

    /// Distinct values of `cols` together in `table` (absolute count), from
    /// the sample scaled to the table (Duj1); 0 when unknown.
    pub(crate) fn distinct(&self, table: &str, cols: &[String]) -> f64 {
        let key = (table.to_owned(), cols.to_vec());
        if let Some(d) = self.distinct.borrow().get(&key) {
            return *d;
        }
        let d = self.compute_distinct(table, cols).unwrap_or(0.0);
        self.distinct.borrow_mut().insert(key, d);
        d
    }

    fn compute_distinct(&self, table: &str, cols: &[String]) -> Option<f64> {
        let info = self.tables.get(table)?;
        if let Some(d) = from_stat1(info, cols) {
            return Some(d);
        }
        if cols.is_empty() || info.sample_rows < 1.0 {
            return None;
        }
        if cols
            .iter()
            .any(|c| !info.columns.iter().any(|(n, _)| n == c))
        {
            return None;
        }
        let list: Vec<String> = cols.iter().map(|c| q(c)).collect();
        let sql = format!(
            "SELECT count(*), coalesce(sum(n = 1), 0) FROM (SELECT count(*) AS n FROM {} GROUP BY {})",
            q(table),
            list.join(", ")
        );
        let (d, f1): (f64, f64) = self
            .sample
            .query_row(&sql, [], |r| {
                Ok((r.get::<_, i64>(0)? as f64, r.get::<_, i64>(1)? as f64))
            })
            .ok()?;
        Some(duj1(
            info.sample_rows,
            info.rows.max(info.sample_rows),
            d,
            f1,
        ))
    }

    /// Fraction of `table`'s sample rows for which `cond` holds (the
    /// reference named `binding`); `None` if it cannot be evaluated.
    pub(crate) fn measure(&self, table: &str, binding: &str, cond: &str) -> Option<f64> {
        let key = (table.to_owned(), binding.to_owned(), cond.to_owned());
        if let Some(v) = self.measured.borrow().get(&key) {
            return *v;
        }
        let info = self.tables.get(table)?;
        if info.sample_rows < 1.0 {
            return None;
        }
        let sql = format!(
            "SELECT count(*) FROM {} AS {} WHERE {cond}",
            q(table),
            q(binding)
        );
        let n = self.bounded(|| self.sample.query_row(&sql, [], |r| r.get::<_, i64>(0)));
        let v = n.ok().map(|n| (n as f64).max(0.5) / info.sample_rows);
        self.measured.borrow_mut().insert(key, v);
        v
    }

    /// Runs `f` on the sample database with a progress handler that stops
    /// it after [`MEASURE_LIMIT_CALLS`] x [`MEASURE_STEPS`] VM steps.
    fn bounded<R>(&self, f: impl FnOnce() -> rusqlite::Result<R>) -> rusqlite::Result<R> {
        unsafe extern "C" fn tick(p: *mut c_void) -> c_int {
            // SAFETY: `p` points to the counter below, alive during `f`.
            let n = unsafe { &mut *(p as *mut usize) };
            *n += 1;
            c_int::from(*n > MEASURE_LIMIT_CALLS)
        }
        let mut calls: usize = 0;
        // SAFETY: `self.sample` is our own connection; the handler and its
        // counter are removed before the counter goes out of scope.
        unsafe {
            ffi::sqlite3_progress_handler(
                self.sample.handle(),
                MEASURE_STEPS,
                Some(tick),
                &mut calls as *mut usize as *mut c_void,
            );
        }
        let r = f();
        // SAFETY: as above.
        unsafe {
            ffi::sqlite3_progress_handler(self.sample.handle(), 0, None, std::ptr::null_mut());
        }
        r
    }

    /// The `sqlite_stat1` line for an index on `cols` of `table`:
    /// `rows rows-per-key(prefix 1) ... rows-per-key(all)`. Unknown columns
    /// (expressions) make it `None`.
    pub(crate) fn stat_line(&self, table: &str, cols: &[String], unique: bool) -> Option<String> {
        let info = self.tables.get(table)?;
        let rows = info.rows.max(1.0);
        let mut out = vec![format!("{}", rows.ceil() as i64)];
        for i in 1..=cols.len() {
            let d = if i == cols.len() && unique {
                rows
            } else {
                self.distinct(table, &cols[..i])
            };
            if d <= 0.0 {
                return None;
            }
            out.push(format!("{}", (rows / d).ceil().max(1.0) as i64));
        }
        Some(out.join(" "))
    }

    /// Marks primary keys in the catalog: an INTEGER PRIMARY KEY (the
    /// rowid's alias) as a unique primary index on its column, and the
    /// `sqlite_autoindex_*` index of another PRIMARY KEY as primary.
    pub(crate) fn note_primary_keys(&mut self, db: &Connection) -> Result<(), String> {
        let mut alias: Vec<(String, String)> = Vec::new();
        for t in self.catalog.tables.iter_mut() {
            let Some(info) = self.tables.get(&t.name) else {
                continue;
            };
            if info.virtual_table {
                continue;
            }
            let mut st = db
                .prepare(&format!("PRAGMA main.table_info({})", q(&info.real)))
                .map_err(|e| sql_err("reading primary keys", e))?;
            let pk: Vec<(String, String)> = st
                .query_map([], |r| {
                    Ok((
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, i64>(5)?,
                    ))
                })
                .and_then(|rows| rows.collect::<rusqlite::Result<Vec<_>>>())
                .map_err(|e| sql_err("reading primary keys", e))?
                .into_iter()
                .filter(|(_, _, k)| *k > 0)
                .map(|(n, ty, _)| (n.to_lowercase(), ty))
                .collect();
            let without_rowid: bool = db
                .query_row(
                    "SELECT coalesce(sql, '') FROM main.sqlite_schema WHERE type = 'table' AND name = ?1",
                    [&info.real],
                    |r| r.get::<_, String>(0),
                )
                .optional()
                .map_err(|e| sql_err("reading primary keys", e))?
                .is_some_and(|s| {
                    let u = s.to_ascii_uppercase();
                    u.contains("WITHOUT") && u.contains("ROWID")
                });
            if pk.len() == 1 && pk[0].1.eq_ignore_ascii_case("INTEGER") && !without_rowid {
                alias.push((t.name.clone(), pk[0].0.clone()));
                t.indexes.push(ExistingIndex {
                    name: format!("{}.{} (INTEGER PRIMARY KEY)", info.real, pk[0].0),
                    columns: vec![pk[0].0.clone()],
                    include: Vec::new(),
                    unique: true,
                    primary: true,
                    partial: false,
                    bytes: 0,
                    scans: None,
                });
                if let Some(c) = t.columns.iter_mut().find(|c| c.name == pk[0].0) {
                    c.n_distinct = -1.0;
                }
            } else if !pk.is_empty() {
                let cols: Vec<String> = pk.iter().map(|(n, _)| n.clone()).collect();
                for ix in t.indexes.iter_mut() {
                    if ix.name.starts_with("sqlite_autoindex_") && ix.columns == cols {
                        ix.primary = true;
                    }
                }
            }
        }
        for (t, c) in alias {
            if let Some(info) = self.tables.get_mut(&t) {
                info.rowid_alias = Some(c);
            }
        }
        Ok(())
    }

    /// Whether `column` of `table` is its rowid (`rowid` or the INTEGER
    /// PRIMARY KEY column).
    pub(crate) fn is_rowid(&self, table: &str, column: &str) -> bool {
        column == "rowid"
            || self
                .tables
                .get(table)
                .and_then(|t| t.rowid_alias.as_deref())
                .is_some_and(|a| a == column)
    }
}

/// Distinct values of `cols` from the `sqlite_stat1` line of an existing
/// index that starts with them: `ANALYZE` read every row, where the sample
/// cannot tell a column whose rows of one value lie together (a composite
/// primary key's first column, loaded in key order: the hashed sample
/// takes one row of most values, so Duj1 sees a unique column; TPC-H SF 1
/// lineitem.l_orderkey came out at 1 row a value instead of 4, and SQLite
/// chose plans in the copy it never chose on the real statistics).
fn from_stat1(info: &TableInfo, cols: &[String]) -> Option<f64> {
    if cols.is_empty() {
        return None;
    }
    info.indexes.iter().find_map(|(name, ix, _)| {
        if ix.len() < cols.len() || ix[..cols.len()] != *cols {
            return None;
        }
        let line = info.stat1.get(name)?;
        let mut v = line.split_whitespace().map(|x| x.parse::<f64>().ok());
        let rows = v.next()??;
        let per_key = v.nth(cols.len() - 1)??;
        (rows > 0.0 && per_key > 0.0).then(|| (rows / per_key).max(1.0))
    })
}

/// Duj1: distinct values of a table of `total` rows from a sample of
/// `n` rows holding `d` distinct values, `f1` of them seen once.
pub(crate) fn duj1(n: f64, total: f64, d: f64, f1: f64) -> f64 {
    if n >= total || d <= 0.0 {
        return d;
    }
    let est = n * d / ((n - f1) + f1 * n / total);
    est.clamp(d, total)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn distinct_from_an_existing_indexs_stat1() {
        let info = TableInfo {
            real: "l".into(),
            columns: vec![("k".into(), "INT".into()), ("n".into(), "INT".into())],
            rows: 6_000_000.0,
            sample_rows: 20_000.0,
            row_bytes: 100.0,
            virtual_table: false,
            stat1: [("l_pk".to_string(), "6000000 4 1".to_string())].into(),
            indexes: vec![("l_pk".into(), vec!["k".into(), "n".into()], true)],
            rowid_alias: None,
        };
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(from_stat1(&info, &cols(&["k"])), Some(1_500_000.0));
        assert_eq!(from_stat1(&info, &cols(&["k", "n"])), Some(6_000_000.0));
        assert_eq!(from_stat1(&info, &cols(&["n"])), None);
        assert_eq!(from_stat1(&info, &cols(&["k", "x"])), None);
    }

    #[test]
    fn duj1_scales_unique_and_keeps_few() {
        assert_eq!(duj1(100.0, 100.0, 40.0, 10.0), 40.0);
        // All sample values unique: the column is (nearly) unique.
        assert!((duj1(20_000.0, 1_000_000.0, 20_000.0, 20_000.0) - 1_000_000.0).abs() < 1.0);
        // Few values, each seen many times: stays few.
        assert!((duj1(20_000.0, 1_000_000.0, 5.0, 0.0) - 5.0).abs() < 1e-9);
        assert_eq!(duj1(0.0, 10.0, 0.0, 0.0), 0.0);
    }
}
