//! `ExecutorStart_hook`: decides whether the statement is recorded (the
//! sampling draw for a top-level statement), asks for row counts in every
//! plan node (for the plan summary), starts the statement's total timer
//! (`queryDesc->totaltime`, shared with `pg_stat_statements` when it is
//! loaded too, with the same options) and takes the predicate columns from
//! the plan while the catalog can be read safely.

use pgrx::pg_sys;

use super::{chain, enabled, guarded, plan, shmem, state};

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
    // SAFETY: PostgreSQL passes a valid QueryDesc with its planned statement.
    let queryid = unsafe { (*qd).plannedstmt.as_ref().map_or(0, |s| s.queryId) };
    let track = queryid != 0
        && eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as i32 == 0
        && enabled()
        && state::sample();
    let detail = track && {
        // SAFETY: reading the current database and user ids.
        let key = unsafe {
            shmem::Key {
                dbid: pg_sys::MyDatabaseId,
                userid: pg_sys::GetUserId(),
                queryid,
            }
        };
        state::wants_detail(shmem::exists(&key))
    };
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
        // SAFETY: the executor has started: estate and plannedstmt are valid;
        // the timer is allocated in the statement's memory context so that
        // it lives exactly as long as the statement.
        unsafe {
            if (*qd).totaltime.is_null() {
                let cxt = (*(*qd).estate).es_query_cxt;
                let old = pg_sys::CurrentMemoryContext;
                pg_sys::CurrentMemoryContext = cxt;
                let instr = pgrx::PgTryBuilder::new(|| {
                    pg_sys::InstrAlloc(1, pg_sys::InstrumentOption::INSTRUMENT_ALL as i32, false)
                })
                .finally(|| pg_sys::CurrentMemoryContext = old)
                .execute();
                (*qd).totaltime = instr;
            }
            let preds = if detail {
                plan::predicates((*qd).plannedstmt)
            } else {
                Vec::new()
            };
            state::track(state::Tracked {
                query_desc: qd as usize,
                queryid,
                userid: pg_sys::GetUserId(),
                preds,
                run_started: None,
                rows: 0,
                detail,
            });
        }
    });
}
