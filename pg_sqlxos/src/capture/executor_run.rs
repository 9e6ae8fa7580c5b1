//! `ExecutorRun_hook`: keeps the nesting level (statements run inside
//! functions follow their top-level statement's sampling draw), and when
//! the run raises an ERROR (statement_timeout, a cancel, any failure),
//! records the statement with its time so far and a cancelled or failed
//! flag, restores the level and raises the ERROR on.

use pgrx::pg_sys;

use super::{chain, run_guarded_by_level};

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
    let call = || {
        chain!(
            PREV,
            pg_sys::standard_ExecutorRun,
            qd,
            direction,
            count,
            execute_once
        )
    };
    // SAFETY: PostgreSQL passes a valid QueryDesc.
    unsafe { run_guarded_by_level(qd, true, call) };
}
