//! `ExecutorRun_hook`: keeps the nesting level (statements run inside
//! functions follow their top-level statement's sampling draw), and when
//! the run raises an ERROR (statement_timeout, a cancel, any failure),
//! records the statement with its time so far and a cancelled or failed
//! flag, restores the level and raises the ERROR on.

use std::time::Instant;

use pgrx::pg_sys;

use super::{chain, record_error, state};

static mut PREV: pg_sys::ExecutorRun_hook_type = None;

/// # Safety
/// Call only from `_PG_init`.
pub(super) unsafe fn install() {
    // SAFETY: _PG_init runs single-threaded; we keep the previous hook.
    unsafe {
        PREV = pg_sys::ExecutorRun_hook;
        pg_sys::ExecutorRun_hook = Some(executor_run);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn executor_run(
    qd: *mut pg_sys::QueryDesc,
    direction: pg_sys::ScanDirection::Type,
    count: u64,
    execute_once: bool,
) {
    let tracked =
        state::with_tracked(qd as usize, |t| t.run_started = Some(Instant::now())).is_some();
    state::enter();
    pgrx::PgTryBuilder::new(|| {
        chain!(
            PREV,
            pg_sys::standard_ExecutorRun,
            qd,
            direction,
            count,
            execute_once
        )
    })
    .catch_others(|e| {
        state::leave();
        if tracked {
            // SAFETY: the statement's executor state is intact until the
            // transaction (or subtransaction) aborts, after we return.
            unsafe { record_error(qd, &e) };
        }
        e.rethrow()
    })
    .execute();
    state::leave();
    if tracked {
        // SAFETY: the run ended normally: the executor state is valid.
        let rows = unsafe { (*qd).estate.as_ref().map_or(0, |e| e.es_processed) };
        state::with_tracked(qd as usize, |t| t.rows += rows);
    }
}
