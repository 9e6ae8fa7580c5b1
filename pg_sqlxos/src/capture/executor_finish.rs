//! `ExecutorFinish_hook`: as ExecutorRun (nesting level; an ERROR in AFTER
//! triggers or deferred work records the statement as failed, then goes on).

use pgrx::pg_sys;

use super::{chain, run_guarded_by_level};

static mut PREV: pg_sys::ExecutorFinish_hook_type = None;

/// # Safety
/// Call only from `_PG_init`.
pub(super) unsafe fn install() {
    // SAFETY: _PG_init runs single-threaded; we keep the previous hook.
    unsafe {
        PREV = pg_sys::ExecutorFinish_hook;
        pg_sys::ExecutorFinish_hook = Some(executor_finish);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn executor_finish(qd: *mut pg_sys::QueryDesc) {
    let call = || chain!(PREV, pg_sys::standard_ExecutorFinish, qd);
    // SAFETY: PostgreSQL passes a valid QueryDesc.
    unsafe { run_guarded_by_level(qd, false, call) };
}
