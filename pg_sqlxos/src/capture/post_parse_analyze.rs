//! `post_parse_analyze_hook`: the normalized text of a statement not yet in
//! the workload, kept in the backend until its first recorded execution.
//! A statement the backend knows is in the workload costs a set lookup.
//! Only statements with a query id (not utility statements) and constants
//! found by jumbling (`JumbleState`) are normalized here.

use pgrx::pg_sys;

use super::{enabled, guarded, key, normalize, state, user_id};

static mut PREV: pg_sys::post_parse_analyze_hook_type = None;

/// # Safety
/// Call only from `_PG_init`.
pub(super) unsafe fn install() {
    // SAFETY: _PG_init runs single-threaded; we keep the previous hook.
    unsafe {
        PREV = pg_sys::post_parse_analyze_hook;
        pg_sys::post_parse_analyze_hook = Some(post_parse_analyze);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn post_parse_analyze(
    pstate: *mut pg_sys::ParseState,
    query: *mut pg_sys::Query,
    jstate: *mut pg_sys::JumbleState,
) {
    // SAFETY: the previous hook takes the same arguments PostgreSQL gave us.
    unsafe {
        if let Some(prev) = PREV {
            pg_sys::submodules::ffi::pg_guard_ffi_boundary(|| prev(pstate, query, jstate));
        }
    }
    if jstate.is_null() || query.is_null() || pstate.is_null() || !enabled() {
        return;
    }
    guarded(|| {
        // SAFETY: PostgreSQL passes a valid parse state, query and jumble
        // state; the constant locations array has clocations_count entries.
        unsafe {
            let q = &*query;
            if q.queryId == 0 || !q.utilityStmt.is_null() || (*pstate).p_sourcetext.is_null() {
                return;
            }
            if state::known(&key(user_id(), q.queryId)) {
                return;
            }
            let j = &*jstate;
            let locs: Vec<i32> = if j.clocations.is_null() {
                Vec::new()
            } else {
                std::slice::from_raw_parts(j.clocations, j.clocations_count.max(0) as usize)
                    .iter()
                    .map(|l| l.location)
                    .collect()
            };
            let src = std::ffi::CStr::from_ptr((*pstate).p_sourcetext).to_string_lossy();
            let text = normalize::with_sample(
                &src,
                q.stmt_location,
                q.stmt_len,
                &locs,
                j.highest_extern_param_id,
                super::shmem::TEXT_LEN,
            );
            state::remember_text(q.queryId, text);
        }
    });
}
