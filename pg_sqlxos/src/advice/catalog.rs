//! The advisor's view of the database, read with SPI from `pg_class`,
//! `pg_stats`, `pg_index` and the statistics views, for the tables the
//! workload names.
//!
//! Tables are matched by bare name as the SQL analysis reports them. When
//! two schemas hold a table of that name, the one found first on the
//! `search_path` wins (then the one in the lowest-sorting schema), which is
//! the table an unqualified query would read.

use std::collections::HashMap;

use pgrx::prelude::*;
use pgrx::spi::SpiResult;
use sqlxos_core::catalog::{Catalog, ColumnStats, ExistingIndex, TableStats};

/// A catalog plus what PostgreSQL needs beyond it.
pub struct PgCatalog {
    pub catalog: Catalog,
    /// Bare table name -> `schema.table`, quoted as needed.
    pub qualified: HashMap<String, String>,
}

const TABLES: &str = "
SELECT c.oid::int8 AS oid, n.nspname::text AS nspname, c.relname::text AS relname,
       CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8
            ELSE (pg_relation_size(c.oid) / 100)::float8 END AS rows,
       pg_relation_size(c.oid)::int8 AS bytes,
       coalesce(s.seq_scan, 0) + coalesce(s.idx_scan, 0) AS reads,
       format('%I.%I', n.nspname, c.relname) AS qualified
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stat_all_tables s ON s.relid = c.oid
 WHERE c.relkind IN ('r', 'p', 'm')
   AND n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'
   AND c.relname = ANY($1)
   AND has_table_privilege(c.oid, 'SELECT')
 ORDER BY c.relname,
          coalesce(array_position(current_schemas(false), n.nspname), 2147483647),
          n.nspname";

const COLUMNS: &str = "
SELECT a.attrelid::int8 AS oid, a.attname::text AS attname,
       coalesce(s.n_distinct, 0)::float8 AS n_distinct,
       coalesce(s.avg_width, CASE WHEN t.typlen > 0 THEN t.typlen ELSE 32 END)::int4 AS avg_width,
       coalesce(s.null_frac, 0)::float8 AS null_frac
  FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_class c ON c.oid = a.attrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = c.relname
                       AND s.attname = a.attname AND NOT s.inherited
 WHERE a.attrelid = ANY($1::int8[]::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
 ORDER BY a.attrelid, a.attnum";

const INDEXES: &str = "
SELECT i.indrelid::int8 AS oid, ic.relname::text AS name,
       array(SELECT CASE WHEN k.attnum = 0 THEN '(expression)' ELSE a.attname::text END
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS keys,
       array(SELECT a.attname::text
               FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
              WHERE k.ord > i.indnkeyatts ORDER BY k.ord) AS include,
       i.indisunique AS is_unique, i.indisprimary AS is_primary,
       (i.indpred IS NOT NULL OR am.amname <> 'btree') AS partial,
       pg_relation_size(i.indexrelid)::int8 AS bytes,
       s.idx_scan::int8 AS scans
  FROM pg_index i
  JOIN pg_class ic ON ic.oid = i.indexrelid
  JOIN pg_am am ON am.oid = ic.relam
  LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
 WHERE i.indrelid = ANY($1::int8[]::oid[]) AND i.indisvalid
 ORDER BY i.indrelid, ic.relname";

/// Reads the tables named in `tables` (bare names). Writes are filled in
/// later from the workload (see `workload`), so reads and writes cover the
/// same window.
pub fn read(tables: &[String]) -> SpiResult<PgCatalog> {
    Spi::connect(|client| {
        let mut out = PgCatalog {
            catalog: Catalog::default(),
            qualified: HashMap::new(),
        };
        let mut oids: Vec<i64> = Vec::new();
        let names: Vec<String> = tables.to_vec();
        for row in client.select(TABLES, None, &[names.into()])? {
            let name: String = row.get_by_name("relname")?.unwrap_or_default();
            if out.qualified.contains_key(&name) {
                continue; // a table of that name further down the search_path
            }
            oids.push(row.get_by_name("oid")?.unwrap_or_default());
            out.qualified.insert(
                name.clone(),
                row.get_by_name("qualified")?.unwrap_or_default(),
            );
            out.catalog.tables.push(TableStats {
                name,
                rows: row.get_by_name::<f64, _>("rows")?.unwrap_or(0.0).max(0.0),
                bytes: row.get_by_name::<i64, _>("bytes")?.unwrap_or(0).max(0) as u64,
                columns: Vec::new(),
                indexes: Vec::new(),
                writes: 0.0,
                reads: row.get_by_name::<i64, _>("reads")?.unwrap_or(0).max(0) as f64,
            });
        }
        if oids.is_empty() {
            return Ok(out);
        }
        let slot: HashMap<i64, usize> = oids.iter().enumerate().map(|(i, o)| (*o, i)).collect();
        for row in client.select(COLUMNS, None, &[oids.clone().into()])? {
            let oid: i64 = row.get_by_name("oid")?.unwrap_or_default();
            let Some(&i) = slot.get(&oid) else { continue };
            out.catalog.tables[i].columns.push(ColumnStats {
                name: row.get_by_name("attname")?.unwrap_or_default(),
                n_distinct: row.get_by_name("n_distinct")?.unwrap_or(0.0),
                avg_width: row.get_by_name::<i32, _>("avg_width")?.unwrap_or(8).max(1) as u32,
                null_frac: row.get_by_name("null_frac")?.unwrap_or(0.0),
            });
        }
        for row in client.select(INDEXES, None, &[oids.into()])? {
            let oid: i64 = row.get_by_name("oid")?.unwrap_or_default();
            let Some(&i) = slot.get(&oid) else { continue };
            out.catalog.tables[i].indexes.push(ExistingIndex {
                name: row.get_by_name("name")?.unwrap_or_default(),
                columns: row.get_by_name("keys")?.unwrap_or_default(),
                include: row.get_by_name("include")?.unwrap_or_default(),
                unique: row.get_by_name("is_unique")?.unwrap_or(false),
                primary: row.get_by_name("is_primary")?.unwrap_or(false),
                partial: row.get_by_name("partial")?.unwrap_or(false),
                bytes: row.get_by_name::<i64, _>("bytes")?.unwrap_or(0).max(0) as u64,
                scans: row.get_by_name::<i64, _>("scans")?.map(|s| s.max(0) as u64),
            });
        }
        Ok(out)
    })
}
