//! `ExecutorFinish_hook`: as ExecutorRun (nesting level; an ERROR in AFTER
//! triggers or deferred work records the statement as failed, then goes on).

use std::time::Instant;

use pgrx::pg_sys;

use super::{chain, record_error, state};

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
    let tracked =
        state::with_tracked(qd as usize, |t| t.run_started = Some(Instant::now())).is_some();
    state::enter();
    pgrx::PgTryBuilder::new(|| chain!(PREV, pg_sys::standard_ExecutorFinish, qd))
        .catch_others(|e| {
            state::leave();
            if tracked {
                // SAFETY: as in ExecutorRun, the executor state is intact.
                unsafe { record_error(qd, &e) };
            }
            e.rethrow()
        })
        .execute();
    state::leave();
}
