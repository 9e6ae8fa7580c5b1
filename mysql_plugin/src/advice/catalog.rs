//! The engine-neutral catalog from the `table`, `column`, `index` and
//! `sample` rows the install script's procedure feeds: row counts, column
//! widths and distinct counts, existing indexes, and the columns that cannot
//! be btree keys.

use std::collections::{BTreeMap, HashMap};

use sqlxos_core::catalog::{Catalog, ColumnStats, ExistingIndex, TableStats};

use super::{ColumnRow, IndexRow, Input, Sample};

/// Types MariaDB cannot put in a btree key without a prefix length.
pub(super) fn indexable(data_type: &str) -> bool {
    !(data_type.contains("text")
        || data_type.contains("blob")
        || data_type == "json"
        || matches!(
            data_type,
            "geometry"
                | "point"
                | "linestring"
                | "polygon"
                | "multipoint"
                | "multilinestring"
                | "multipolygon"
                | "geometrycollection"
        ))
}

/// Average width in bytes of a column of `data_type`.
fn width(c: &ColumnRow, sample: Option<&Sample>) -> u32 {
    if let Some(avg) = sample.and_then(|s| s.avg_len) {
        if avg.is_finite() && avg >= 0.0 {
            return (avg.round() as u32).max(1);
        }
    }
    let w = match c.data_type.as_str() {
        "tinyint" | "year" | "bit" => 1,
        "smallint" | "enum" => 2,
        "mediumint" | "date" | "time" => 3,
        "int" | "integer" | "float" | "timestamp" => 4,
        "bigint" | "double" | "real" | "set" => 8,
        "datetime" => 8,
        "decimal" | "numeric" => 8,
        "uuid" => 16,
        t if !indexable(t) => 1000,
        _ => {
            // CHAR, VARCHAR, BINARY...: assume half full.
            if c.octet_len > 0.0 {
                (c.octet_len / 2.0).clamp(1.0, 1000.0) as u32
            } else {
                16
            }
        }
    };
    w.max(1)
}

/// The catalog from `table`, `column`, `index` and `sample` rows.
pub(super) fn build_catalog(input: &Input) -> (Catalog, HashMap<String, Vec<String>>) {
    let mut unindexable: HashMap<String, Vec<String>> = HashMap::new();
    let mut tables = Vec::new();
    for (name, rows, bytes) in &input.tables {
        let mut cols: Vec<&ColumnRow> = input.columns.iter().filter(|c| &c.table == name).collect();
        cols.sort_by(|a, b| a.ordinal.total_cmp(&b.ordinal));
        // Indexes: BTREE only, grouped, columns by SEQ_IN_INDEX.
        let mut by_name: BTreeMap<&str, Vec<&IndexRow>> = BTreeMap::new();
        for i in input.indexes.iter().filter(|i| &i.table == name) {
            by_name.entry(i.name.as_str()).or_default().push(i);
        }
        let mut indexes = Vec::new();
        let mut pk: Vec<String> = Vec::new();
        // Distinct counts known from index cardinalities: leading columns.
        let mut card: HashMap<String, f64> = HashMap::new();
        for (iname, mut parts) in by_name {
            parts.sort_by(|a, b| a.seq.total_cmp(&b.seq));
            if !parts
                .iter()
                .all(|p| p.index_type.eq_ignore_ascii_case("BTREE"))
            {
                continue;
            }
            let columns: Vec<String> = parts
                .iter()
                .map(|p| p.column.clone().unwrap_or_else(|| "<expression>".into()))
                .collect();
            let unique = !parts[0].non_unique;
            if let (Some(c), Some(k)) = (&parts[0].column, parts[0].cardinality) {
                if k > 0.0 {
                    let e = card.entry(c.to_lowercase()).or_insert(0.0);
                    *e = e.max(k);
                }
            }
            if unique && columns.len() == 1 {
                card.insert(columns[0].to_lowercase(), rows.max(1.0));
            }
            let primary = iname == "PRIMARY";
            if primary {
                pk = columns.clone();
            }
            indexes.push(ExistingIndex {
                name: iname.to_owned(),
                columns,
                include: Vec::new(),
                unique,
                primary,
                partial: false,
                bytes: 0,
                scans: None,
            });
        }
        // InnoDB secondary indexes carry the primary key columns.
        for i in indexes.iter_mut().filter(|i| !i.primary) {
            i.include = pk
                .iter()
                .filter(|c| !i.columns.contains(c))
                .cloned()
                .collect();
        }
        let columns = cols
            .iter()
            .map(|c| {
                let key = (name.clone(), c.name.to_lowercase());
                let sample = input.samples.get(&key);
                if !indexable(&c.data_type) {
                    unindexable
                        .entry(name.clone())
                        .or_default()
                        .push(c.name.clone());
                }
                let indexed = card.get(&c.name.to_lowercase()).copied();
                let n_distinct = match sample {
                    // The sample is the table's first rows in primary key
                    // order, so a column leading an index is better known
                    // from the index's cardinality, which InnoDB estimates
                    // from pages across the whole index (TPC-H
                    // lineitem.l_orderkey, leading the primary key: 24 896
                    // values in the first 100 000 rows, 150 000 in all).
                    Some(s) if s.rows < *rows && indexed.is_some() => indexed.unwrap_or(0.0),
                    Some(s) if s.rows > 0.0 && s.distinct > 0.0 => {
                        let non_null = (s.rows - s.nulls).max(1.0);
                        if s.rows >= *rows || s.distinct < 0.5 * non_null {
                            // The whole table, or a repeating column: the
                            // count itself.
                            s.distinct
                        } else {
                            // Mostly distinct in the sample: a share of
                            // the rows, so it grows with the table.
                            -(s.distinct / s.rows).min(1.0)
                        }
                    }
                    _ => indexed.unwrap_or(0.0),
                };
                ColumnStats {
                    name: c.name.clone(),
                    n_distinct,
                    avg_width: width(c, sample),
                    null_frac: sample
                        .filter(|s| s.rows > 0.0)
                        .map_or(0.0, |s| s.nulls / s.rows),
                }
            })
            .collect();
        let (writes, reads) = input.io.get(name).copied().unwrap_or((0.0, 0.0));
        tables.push(TableStats {
            name: name.clone(),
            rows: rows.max(0.0),
            bytes: *bytes as u64,
            columns,
            indexes,
            writes,
            reads,
        });
    }
    (Catalog { tables }, unindexable)
}
