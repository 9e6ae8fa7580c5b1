//! Every GUC of sqlxos, registered from one [`init`]. The `sqlxos.` prefix is
//! reserved, so a typo such as `SET sqlxos.error_valeus = off` is an error
//! instead of a silently ignored placeholder.

use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};

/// `sqlxos.error_values` (default on): whether an error about a bad
/// argument quotes the value it rejected (at most 40 characters). Turn it
/// off where arguments are personal data that must never reach the server
/// log, which records every error message.
pub static ERROR_VALUES: GucSetting<bool> = GucSetting::<bool>::new(true);

/// `sqlxos.capture` (default on, superuser): whether the executor hooks
/// record statements into the workload (`sqlxos.workload`). Superuser-only,
/// as `pg_stat_statements.track` is, so that a user cannot hide their own
/// statements from the workload. Has effect only when sqlxos is preloaded.
pub static CAPTURE: GucSetting<bool> = GucSetting::<bool>::new(true);

/// `sqlxos.sample_rate` (0 to 1, default 1, superuser): the fraction of
/// top-level statements recorded; statements nested in a recorded one (in
/// functions) are recorded with it. 0 records nothing, at once, even inside
/// a running statement.
pub static SAMPLE_RATE: GucSetting<f64> = GucSetting::<f64>::new(1.0);

/// `sqlxos.max_queries` (default 5000, server start only): how many
/// statements (per database, user and query id) the workload keeps in shared
/// memory, about 3 KB each; the least useful are evicted when it is full.
pub static MAX_QUERIES: GucSetting<i32> = GucSetting::<i32>::new(5000);

/// Registers the GUCs. Called from `_PG_init`, once per process.
pub fn init() {
    GucRegistry::define_bool_guc(
        c"sqlxos.error_values",
        c"Quote the rejected value (at most 40 characters) in sqlxos argument errors.",
        c"Turn off where arguments are personal data that must not reach the server log.",
        &ERROR_VALUES,
        GucContext::Userset,
        GucFlags::default(),
    );
    GucRegistry::define_bool_guc(
        c"sqlxos.capture",
        c"Record executed statements into the sqlxos workload.",
        c"Needs sqlxos in shared_preload_libraries.",
        &CAPTURE,
        GucContext::Suset,
        GucFlags::default(),
    );
    GucRegistry::define_float_guc(
        c"sqlxos.sample_rate",
        c"Fraction of top-level statements recorded into the sqlxos workload.",
        c"Statements nested in a recorded statement are recorded with it; 0 records nothing.",
        &SAMPLE_RATE,
        0.0,
        1.0,
        GucContext::Suset,
        GucFlags::default(),
    );
    // A PGC_POSTMASTER variable can only be defined while the postmaster
    // loads preload libraries: defining it from a plain LOAD or CREATE
    // EXTENSION is a FATAL error that ends the session. Without preload it
    // would mean nothing anyway (no shared memory).
    // SAFETY: a plain read of a global the postmaster sets while it loads
    // shared_preload_libraries.
    if unsafe { pgrx::pg_sys::process_shared_preload_libraries_in_progress } {
        define_max_queries();
    }
    // SAFETY: called from _PG_init after our variables are defined, with a
    // static NUL-terminated string, as PostgreSQL's contrib modules do.
    unsafe { pgrx::pg_sys::MarkGUCPrefixReserved(c"sqlxos".as_ptr()) };
}

fn define_max_queries() {
    GucRegistry::define_int_guc(
        c"sqlxos.max_queries",
        c"Maximum number of statements kept in the sqlxos workload.",
        c"Bounds the shared memory of the workload (about 3 KB a statement).",
        &MAX_QUERIES,
        10,
        1_000_000,
        GucContext::Postmaster,
        GucFlags::default(),
    );
}

/// The value of `sqlxos.error_values`.
pub fn error_values() -> bool {
    ERROR_VALUES.get()
}

/// The value of `sqlxos.capture`. Read in place: the capture hooks read it
/// on every statement, and `GucSetting::get` adds a thread check per call.
pub fn capture() -> bool {
    // SAFETY: PostgreSQL owns the variable and changes it only on this
    // backend's (only) thread, between statements.
    unsafe { *CAPTURE.as_ptr() }
}

/// The value of `sqlxos.sample_rate`, read in place as [`capture`].
pub fn sample_rate() -> f64 {
    // SAFETY: as in capture().
    unsafe { *SAMPLE_RATE.as_ptr() }
}

/// The value of `sqlxos.max_queries` (fixed at server start).
pub fn max_queries() -> i32 {
    MAX_QUERIES.get()
}
