//! Workload capture: the planner and executor hooks record every executed
//! statement (per database, user and query id) into shared memory, with
//! its normalized text, timings, rows, predicate columns and a plan
//! summary. Read it with the view `sqlxos.workload` or, from Rust (the
//! advisor), with [`snapshot`].
//!
//! ```sql
//! -- postgresql.conf: shared_preload_libraries = 'sqlxos'
//! SELECT query, calls, mean_ms, predicates FROM sqlxos.workload ORDER BY total_ms DESC;
//! SELECT sqlxos.reset();
//! ```
//!
//! Hooks, each in its own module named after the PostgreSQL hook; every one
//! saves the previous hook, always calls it (or the standard function), and
//! does nothing more when `sqlxos.capture` is off, in parallel workers, or
//! when the extension is not installed in the current database:
//! - [`post_parse_analyze`]: the normalized text (constants as `$n`), kept
//!   in the backend until the statement's first recorded execution;
//! - [`executor_start`]: the guard against plans with hypothetical indexes
//!   ([`crate::hypo::guard`]; one ExecutorStart hook does both when sqlxos
//!   is preloaded), the sampling decision, row instrumentation of the plan
//!   nodes, the predicate columns;
//! - [`executor_run`], [`executor_finish`]: the nesting level, the time of
//!   the call, and a statement that fails there (cancelled, timed out, any
//!   ERROR) is recorded with its time so far and a flag before the ERROR
//!   goes on;
//! - [`executor_end`]: records the execution.
//!
//! A failure inside the recording (a Rust panic or a PostgreSQL ERROR) is
//! caught and dropped: the user's statement never sees it.
//!
//! Cost per statement (issue 10: no more than `pg_stat_statements`): a
//! statement already in the workload takes the shared lock once, at
//! ExecutorEnd (the backend remembers which statements have an entry, see
//! `state::known`); it is normalized only before its first recording; the
//! plan walk and per-node row counts run on its first execution and one in
//! `state::DETAIL_EVERY` after; the time is two clock reads per executor
//! call (no `Instrumentation`, whose buffer and WAL accounting we do not
//! use); the backend state is a plain global, not thread-locals.

mod executor_end;
mod executor_finish;
mod executor_run;
mod executor_start;
mod normalize;
mod plan;
mod post_parse_analyze;
pub(crate) mod shmem;
mod sql;
mod state;
#[cfg(any(test, feature = "pg_test"))]
mod tests;

use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};

use pgrx::pg_sys;

pub use sql::{snapshot, CapturedPredicate, CapturedQuery};

/// Whether the capture's shared memory is there (sqlxos was preloaded).
pub fn ready() -> bool {
    shmem::ready()
}

/// Recording failures caught since the backend started (for tests and
/// debugging; never raised to the user).
static FAILURES: AtomicU64 = AtomicU64::new(0);

/// Whether [`init`] installs the capture's ExecutorStart hook, which also
/// runs the hypothetical-index guard (so `hypo` installs no hook of its own).
pub fn runs_hypo_guard() -> bool {
    // SAFETY: read in _PG_init, where PostgreSQL sets it.
    unsafe { pg_sys::process_shared_preload_libraries_in_progress }
}

/// Called from `_PG_init`. When preloaded: enables query ids, requests the
/// shared memory and installs the hooks. Otherwise installs nothing;
/// `sqlxos.workload` and `sqlxos.reset()` then raise an error saying so.
pub fn init() {
    if !runs_hypo_guard() {
        return;
    }
    // SAFETY: _PG_init of a preloaded library runs once, single-threaded, in
    // the postmaster: the documented place to enable query ids, set hooks and
    // register callbacks.
    unsafe {
        pg_sys::EnableQueryId();
        shmem::install();
        post_parse_analyze::install();
        executor_start::install();
        executor_run::install();
        executor_finish::install();
        executor_end::install();
        pg_sys::CacheRegisterSyscacheCallback(
            pg_sys::SysCacheIdentifier::PROCOID as i32,
            Some(state::invalidate),
            pg_sys::Datum::from(0),
        );
        pg_sys::RegisterXactCallback(Some(state::at_xact_end), std::ptr::null_mut());
    }
}

/// Whether statements are being captured here and now: the GUC, the shared
/// memory, not a parallel worker (the leader records), and the extension
/// installed in this database. Cheap once the last is cached.
fn enabled() -> bool {
    if !crate::gucs::capture() || !shmem::ready() {
        return false;
    }
    // SAFETY: ParallelWorkerNumber is a plain global set at worker start.
    if unsafe { pg_sys::ParallelWorkerNumber } >= 0 {
        return false;
    }
    match state::installed_cached() {
        Some(v) => v,
        None => guarded(state::installed).unwrap_or(false),
    }
}

/// Runs capture work, catching a Rust panic or a PostgreSQL ERROR (turned
/// into a panic at the FFI boundary by pgrx, its error state already
/// flushed) so that it never reaches the user's statement.
fn guarded<R>(f: impl FnOnce() -> R) -> Option<R> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(r) => Some(r),
        Err(_) => {
            FAILURES.fetch_add(1, Ordering::Relaxed);
            None
        }
    }
}

/// Recording failures caught in this backend.
pub fn failures() -> u64 {
    FAILURES.load(Ordering::Relaxed)
}

/// The current user, as `GetUserId()`, called without pgrx's FFI guard:
/// it only reads a backend global and never raises an ERROR.
fn user_id() -> pg_sys::Oid {
    unsafe extern "C-unwind" {
        fn GetUserId() -> pg_sys::Oid;
    }
    // SAFETY: GetUserId takes nothing and reads a global set at backend start.
    unsafe { GetUserId() }
}

/// The key of statement `queryid` run by `userid` in this database.
fn key(userid: pg_sys::Oid, queryid: u64) -> shmem::Key {
    shmem::Key {
        // SAFETY: MyDatabaseId is set for the life of the backend.
        dbid: unsafe { pg_sys::MyDatabaseId },
        userid,
        queryid,
    }
}

/// The text of a statement never seen by parse analysis in this backend
/// (a plan cached before, or an evicted entry): the statement's source
/// text as is.
///
/// # Safety
/// `qd` is a valid QueryDesc.
unsafe fn source_text(qd: *mut pg_sys::QueryDesc) -> String {
    // SAFETY: sourceText is NULL or a NUL-terminated string; the statement
    // location and length are byte offsets into it.
    unsafe {
        let src = (*qd).sourceText;
        if src.is_null() {
            return String::new();
        }
        let s = std::ffi::CStr::from_ptr(src).to_string_lossy();
        let stmt = (*qd).plannedstmt;
        let (loc, len) = if stmt.is_null() {
            (0, 0)
        } else {
            ((*stmt).stmt_location, (*stmt).stmt_len)
        };
        normalize::normalize(&s, loc, len, &[], 0)
    }
}

/// Records the execution of the tracked statement `qd`, ended normally or
/// by an ERROR, and stops tracking it.
///
/// # Safety
/// `qd` is a valid QueryDesc whose executor has not been shut down yet.
unsafe fn record(qd: *mut pg_sys::QueryDesc, outcome: shmem::Outcome) {
    let Some(t) = state::untrack(qd as usize) else {
        return;
    };
    guarded(|| {
        // SAFETY: per the caller: the estate and plan state are live.
        unsafe {
            let mut elapsed_ns = t.elapsed_ns;
            if outcome != shmem::Outcome::Finished {
                // The failed call's time so far.
                if let Some(start) = t.run_started {
                    elapsed_ns += state::now_ns().saturating_sub(start);
                }
            }
            let elapsed_ms = elapsed_ns as f64 / 1e6;
            // Rows of ended runs, plus those of the run that failed.
            let rows = t.rows
                + if outcome == shmem::Outcome::Finished {
                    0
                } else {
                    (*qd).estate.as_ref().map_or(0, |e| e.es_processed)
                };
            let plan = if t.detail {
                plan::summary((*qd).planstate)
            } else {
                Vec::new()
            };
            let sample = shmem::Sample {
                key: key(t.userid, t.queryid),
                elapsed_ms,
                rows,
                outcome,
                preds: &t.preds,
                plan: &plan,
            };
            let generation = shmem::generation();
            if shmem::record(&sample, || {
                state::take_text(t.queryid).unwrap_or_else(|| source_text(qd))
            }) && !t.known
            {
                state::mark_known(&sample.key, generation);
            }
        }
    });
}

/// Records a statement whose ExecutorRun or ExecutorFinish raised the
/// panic `e` (a PostgreSQL ERROR caught at pgrx's FFI boundary, or a Rust
/// panic).
///
/// # Safety
/// As [`record`].
unsafe fn record_error(qd: *mut pg_sys::QueryDesc, e: &(dyn std::any::Any + Send)) {
    use pgrx::pg_sys::panic::CaughtError;
    let code = match e.downcast_ref::<CaughtError>() {
        Some(CaughtError::PostgresError(r) | CaughtError::ErrorReport(r)) => {
            Some(r.sql_error_code())
        }
        Some(CaughtError::RustPanic { .. }) | None => None,
    };
    let outcome = if code == Some(pgrx::PgSqlErrorCode::ERRCODE_QUERY_CANCELED) {
        shmem::Outcome::Cancelled
    } else {
        shmem::Outcome::Failed
    };
    // SAFETY: per the caller.
    unsafe { record(qd, outcome) };
}

/// Calls `prev` (a hook saved at install time) or, when none, `standard`,
/// through pgrx's FFI boundary so that an ERROR in it unwinds our frames.
macro_rules! chain {
    ($prev:expr, $standard:path, $($arg:expr),*) => {
        // SAFETY: the previous hook (or the standard function) is what
        // PostgreSQL would have called without us, with the same arguments.
        unsafe {
            match $prev {
                Some(prev) => pgrx::pg_sys::submodules::ffi::pg_guard_ffi_boundary(|| prev($($arg),*)),
                None => $standard($($arg),*),
            }
        }
    };
}
use chain;

/// The body ExecutorRun and ExecutorFinish share: times the call (for a
/// tracked statement), raises the nesting level around it; when `call`
/// ends normally, adds its time (and with `count_rows`, the rows it
/// processed) to the statement; if `call` raises an ERROR (a panic out of pgrx's FFI boundary), restores the
/// level, records the statement as cancelled or failed with its time so
/// far, and raises the ERROR on (unchanged: the panic goes on to the hook's
/// `#[pg_guard]`, which raises it again as the same ERROR). Returns whether
/// the statement is tracked.
///
/// # Safety
/// `qd` is the QueryDesc the executor hook was called with.
unsafe fn run_guarded_by_level(
    qd: *mut pg_sys::QueryDesc,
    count_rows: bool,
    call: impl FnOnce(),
) -> bool {
    let tracked =
        state::with_tracked(qd as usize, |t| t.run_started = Some(state::now_ns())).is_some();
    state::enter();
    let result = catch_unwind(AssertUnwindSafe(call));
    state::leave();
    match result {
        Ok(()) => {
            if tracked {
                // SAFETY: the call ended normally: the executor state is valid.
                let rows = unsafe { (*qd).estate.as_ref().map_or(0, |e| e.es_processed) };
                state::with_tracked(qd as usize, |t| {
                    if let Some(start) = t.run_started.take() {
                        t.elapsed_ns += state::now_ns().saturating_sub(start);
                    }
                    if count_rows {
                        t.rows += rows;
                    }
                });
            }
            tracked
        }
        Err(e) => {
            if tracked {
                // SAFETY: the statement's executor state is intact until the
                // transaction (or subtransaction) aborts, after we return.
                unsafe { record_error(qd, &*e) };
            }
            resume_unwind(e)
        }
    }
}
