//! `ExecutorStart_hook`: first refuses a plan that names a hypothetical
//! index ([`crate::hypo::guard::check_executable`]: with sqlxos preloaded
//! this one hook does both jobs, one hook call per statement instead of
//! two); then decides whether the statement is recorded (the sampling draw
//! for a top-level statement), asks for row counts in every plan node (for
//! the plan summary) on the runs that collect details, and takes the
//! predicate columns from the plan while the catalog can be read safely.
//!
//! The statement's time is measured by the ExecutorRun and ExecutorFinish
//! hooks themselves: no `queryDesc->totaltime` is allocated here (its
//! buffer and WAL accounting cost every run and are not used; a
//! `pg_stat_statements` loaded too still allocates its own).

use pgrx::pg_sys;

use super::{chain, enabled, guarded, key, plan, state, user_id};

static mut PREV: pg_sys::ExecutorStart_hook_type = None;

/// # Safety
/// Call only from `_PG_init`.
pub(super) unsafe fn install() {
    // SAFETY: _PG_init runs single-threaded; we keep the previous hook.
    unsafe {
        PREV = pg_sys::ExecutorStart_hook;
        pg_sys::ExecutorStart_hook = Some(executor_start);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn executor_start(qd: *mut pg_sys::QueryDesc, eflags: i32) {
    // SAFETY: PostgreSQL passes a valid QueryDesc; the guard raises an ERROR
    // (before anything is tracked or started) for a hypothetical plan.
    unsafe { crate::hypo::guard::check_executable(qd, eflags) };
    // SAFETY: PostgreSQL passes a valid QueryDesc with its planned statement.
    let queryid = unsafe { (*qd).plannedstmt.as_ref().map_or(0, |s| s.queryId) };
    let track = queryid != 0
        && eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as i32 == 0
        && enabled()
        && state::sample();
    let userid = if track { user_id() } else { pg_sys::InvalidOid };
    let known = track && state::known(&key(userid, queryid));
    let detail = track && state::wants_detail(known);
    if detail {
        // SAFETY: setting the instrumentation options before the executor
        // starts is what auto_explain does; rows only, no per-node timing.
        unsafe { (*qd).instrument_options |= pg_sys::InstrumentOption::INSTRUMENT_ROWS as i32 };
    }
    chain!(PREV, pg_sys::standard_ExecutorStart, qd, eflags);
    if !track {
        return;
    }
    guarded(|| {
        // SAFETY: the executor has started: plannedstmt is valid.
        let preds = if detail {
            unsafe { plan::predicates((*qd).plannedstmt) }
        } else {
            Vec::new()
        };
        state::track(state::Tracked {
            query_desc: qd as usize,
            queryid,
            userid,
            preds,
            run_started: None,
            elapsed_ns: 0,
            rows: 0,
            detail,
            known,
        });
    });
}
