//! sqlxos for PostgreSQL.
//!
//! ```sql
//! CREATE EXTENSION sqlxos;
//! SELECT sqlxos.mask_inner('This is a string', 5, 1);   -- This XXXXXXXXXXg
//! ```
//!
//! This crate only registers functions, converts values and maps errors;
//! every piece of logic lives in `sqlxos-core`. It works loaded by plain
//! `CREATE EXTENSION` and preloaded with `shared_preload_libraries = 'sqlxos'`
//! (which the hooks of the workload capture will need).

mod advice;
pub mod capture;
mod dispatch;
mod generalize;
mod generate;
mod gucs;
mod health;
pub mod hypo;
mod mask;
mod meta;

::pgrx::pg_module_magic!(name, version);

/// Runs once per process when the library is loaded, preloaded or not.
/// GUCs are registered here; the workload-capture hooks are installed only
/// when preloaded (`pg_sys::process_shared_preload_libraries_in_progress`);
/// the what-if planning hooks in every case (they act only inside
/// `sqlxos.explain_with_indexes` and the advisor's own planning calls).
#[pgrx::pg_guard]
pub extern "C-unwind" fn _PG_init() {
    gucs::init();
    capture::init();
    hypo::init();
}

#[cfg(any(test, feature = "pg_test"))]
mod tests;

/// Required by `cargo pgrx test`.
#[cfg(test)]
pub mod pg_test {
    pub fn setup(_options: Vec<&str>) {}

    /// The test cluster runs with sqlxos preloaded, as production would,
    /// between pg_stat_statements and hypopg so that its hooks chain both
    /// ways, with a small workload to test eviction.
    #[must_use]
    pub fn postgresql_conf_options() -> Vec<&'static str> {
        vec![
            "shared_preload_libraries = 'pg_stat_statements,sqlxos,hypopg'",
            "pg_stat_statements.track = 'all'",
            "sqlxos.max_queries = 500",
        ]
    }
}
