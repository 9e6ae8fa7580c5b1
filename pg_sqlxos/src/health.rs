//! `sqlxos.index_health()`: duplicate, redundant-prefix and unused indexes,
//! each with its DROP statement and the evidence. Plain SQL over the
//! catalogs and statistics views, shipped in `sql/index_health.sql`.

pgrx::extension_sql_file!("../sql/index_health.sql", name = "index_health");
