//! `ExecutorEnd_hook`: records the execution (time from the total timer,
//! rows processed, predicates, plan summary) before the executor state is
//! freed, then ends the executor through the previous hook.

use pgrx::pg_sys;

use super::{chain, record, shmem::Outcome, state};

static mut PREV: pg_sys::ExecutorEnd_hook_type = None;

/// # Safety
/// Call only from `_PG_init`.
pub(super) unsafe fn install() {
    // SAFETY: _PG_init runs single-threaded; we keep the previous hook.
    unsafe {
        PREV = pg_sys::ExecutorEnd_hook;
        pg_sys::ExecutorEnd_hook = Some(executor_end);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn executor_end(qd: *mut pg_sys::QueryDesc) {
    if state::is_tracked(qd as usize) {
        // SAFETY: the executor has not been shut down yet (we run first).
        unsafe { record(qd, Outcome::Finished) };
    }
    chain!(PREV, pg_sys::standard_ExecutorEnd, qd);
}
