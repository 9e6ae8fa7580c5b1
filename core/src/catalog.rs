//! The engine-neutral schema: tables with row counts, sizes, column
//! statistics and existing indexes. Each adapter fills it from its engine
//! (`pg_class`/`pg_stats`, `information_schema`, `sqlite_stat1`); the SQL
//! analysis uses it to resolve unqualified columns and the advisor to rank
//! columns by selectivity and to skip what existing indexes already cover.
//!
//! Table and column names are compared as sqlxos normalizes identifiers:
//! unquoted names lower case, quoted names exact. Adapters should store
//! names as the engine reports them (PostgreSQL: lower case unless created
//! quoted).

use crate::sql::ColumnRef;

/// Statistics of one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnStats {
    pub name: String,
    /// Distinct values: > 0 an absolute count, < 0 minus a fraction of the
    /// rows (PostgreSQL's convention: -1 means unique), 0 unknown.
    pub n_distinct: f64,
    /// Average width in bytes.
    pub avg_width: u32,
    /// Fraction of rows that are NULL.
    pub null_frac: f64,
}

/// An index that exists already.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingIndex {
    pub name: String,
    /// Key columns, in order. An expression key is given as its text and
    /// never matches a column.
    pub columns: Vec<String>,
    /// INCLUDE (non-key) columns.
    pub include: Vec<String>,
    pub unique: bool,
    pub primary: bool,
    /// A partial index (`WHERE ...`): it does not cover every query, so it
    /// never makes a candidate redundant.
    pub partial: bool,
    pub bytes: u64,
    /// Scans since statistics were reset, when the engine tracks them.
    pub scans: Option<u64>,
}

/// One table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableStats {
    pub name: String,
    /// Estimated rows.
    pub rows: f64,
    /// Size of the table's data in bytes.
    pub bytes: u64,
    pub columns: Vec<ColumnStats>,
    pub indexes: Vec<ExistingIndex>,
    /// Inserts + updates + deletes since statistics were reset.
    pub writes: f64,
    /// Sequential + index scans since statistics were reset.
    pub reads: f64,
}

/// Tables of one database.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Catalog {
    pub tables: Vec<TableStats>,
}

impl TableStats {
    /// A column by name.
    pub fn column(&self, name: &str) -> Option<&ColumnStats> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Whether the table has a column of that name.
    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }

    /// The primary key, if any.
    pub fn primary_key(&self) -> Option<&ExistingIndex> {
        self.indexes.iter().find(|i| i.primary)
    }

    /// Absolute distinct count of a column (negative `n_distinct` resolved
    /// against the row count), `None` if the column or its statistics are
    /// unknown.
    pub fn distinct(&self, column: &str) -> Option<f64> {
        let c = self.column(column)?;
        let d = if c.n_distinct > 0.0 {
            c.n_distinct
        } else if c.n_distinct < 0.0 {
            -c.n_distinct * self.rows
        } else {
            return None;
        };
        Some(d.max(1.0))
    }

    /// Fraction of rows an equality on `column` keeps, `1 / distinct`.
    pub fn eq_selectivity(&self, column: &str) -> Option<f64> {
        self.distinct(column).map(|d| 1.0 / d)
    }

    /// Average width of a column in bytes, 8 if unknown.
    pub fn width(&self, column: &str) -> u32 {
        self.column(column).map_or(8, |c| c.avg_width.max(1))
    }

    /// Writes as a fraction of all activity (0 when nothing is recorded).
    pub fn write_ratio(&self) -> f64 {
        let total = self.writes + self.reads;
        if total > 0.0 {
            self.writes / total
        } else {
            0.0
        }
    }
}

impl Catalog {
    /// A table by name.
    pub fn table(&self, name: &str) -> Option<&TableStats> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Absolute distinct count of a column, see [`TableStats::distinct`].
    pub fn distinct(&self, column: &ColumnRef) -> Option<f64> {
        self.table(&column.table)?.distinct(&column.column)
    }

    /// Whether `table` is known and has `column`; `None` if the table is
    /// unknown (then nothing can be said).
    pub fn has_column(&self, table: &str, column: &str) -> Option<bool> {
        self.table(table).map(|t| t.has_column(column))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(name: &str, n_distinct: f64) -> ColumnStats {
        ColumnStats {
            name: name.into(),
            n_distinct,
            avg_width: 4,
            null_frac: 0.0,
        }
    }

    fn catalog() -> Catalog {
        Catalog {
            tables: vec![TableStats {
                name: "orders".into(),
                rows: 1000.0,
                bytes: 65536,
                columns: vec![col("id", -1.0), col("status", 3.0), col("note", 0.0)],
                indexes: vec![ExistingIndex {
                    name: "orders_pkey".into(),
                    columns: vec!["id".into()],
                    include: vec![],
                    unique: true,
                    primary: true,
                    partial: false,
                    bytes: 8192,
                    scans: Some(5),
                }],
                writes: 10.0,
                reads: 90.0,
            }],
        }
    }

    #[test]
    fn distinct_resolves_fractions_and_absolutes() {
        let c = catalog();
        let r = |t: &str, c: &str| ColumnRef {
            table: t.into(),
            column: c.into(),
        };
        assert_eq!(c.distinct(&r("orders", "id")), Some(1000.0));
        assert_eq!(c.distinct(&r("orders", "status")), Some(3.0));
        assert_eq!(c.distinct(&r("orders", "note")), None);
        assert_eq!(c.distinct(&r("orders", "nope")), None);
        assert_eq!(c.distinct(&r("nope", "id")), None);
    }

    #[test]
    fn lookups() {
        let c = catalog();
        let t = c.table("orders").unwrap();
        assert_eq!(t.primary_key().unwrap().name, "orders_pkey");
        assert_eq!(c.has_column("orders", "status"), Some(true));
        assert_eq!(c.has_column("orders", "x"), Some(false));
        assert_eq!(c.has_column("x", "status"), None);
        assert!((t.write_ratio() - 0.1).abs() < 1e-9);
        assert_eq!(t.width("status"), 4);
        assert_eq!(t.width("zzz"), 8);
        assert_eq!(t.eq_selectivity("status"), Some(1.0 / 3.0));
    }
}
