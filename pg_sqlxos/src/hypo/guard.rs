//! No plan that names a hypothetical index ever runs.
//!
//! [`check_executable`] raises an ERROR when a plan about to start names an
//! index OID that this backend handed out as hypothetical, unless the
//! executor is started for EXPLAIN only (`EXEC_FLAG_EXPLAIN_ONLY`, which
//! never opens the index, as plain EXPLAIN with any index adviser does).
//! The check costs nothing in a backend that never planned with
//! hypothetical indexes, and a walk over the plan tree otherwise.
//!
//! The ExecutorStart hook here is minimal so that the lead can fold
//! [`check_executable`] into the single ExecutorStart hook of sqlxos.

use pgrx::pg_sys;
use pgrx::PgSqlErrorCode;

use super::{list_ptrs, state, tag_of};

static mut PREV_EXECUTOR_START: pg_sys::ExecutorStart_hook_type = None;

/// Installs the ExecutorStart hook, saving the previous one.
///
/// # Safety
/// Call once per process, from `_PG_init`.
pub(crate) unsafe fn install() {
    // SAFETY: single-threaded start-up; the previous hook is saved first.
    unsafe {
        PREV_EXECUTOR_START = pg_sys::ExecutorStart_hook;
        pg_sys::ExecutorStart_hook = Some(executor_start);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn executor_start(
    query_desc: *mut pg_sys::QueryDesc,
    eflags: std::ffi::c_int,
) {
    // SAFETY: the executor passes a valid QueryDesc; we check it before
    // anything starts, then chain exactly as PostgreSQL would.
    unsafe {
        check_executable(query_desc, eflags);
        match PREV_EXECUTOR_START {
            Some(prev) => prev(query_desc, eflags),
            None => pg_sys::standard_ExecutorStart(query_desc, eflags),
        }
    }
}

/// Raises an ERROR (SQLSTATE 55000) if the plan of `query_desc` names a
/// hypothetical index and `eflags` is not EXPLAIN-only. Call it first in
/// the ExecutorStart hook, before the previous hook.
///
/// # Safety
/// `query_desc` is the valid `QueryDesc` ExecutorStart received.
pub unsafe fn check_executable(query_desc: *mut pg_sys::QueryDesc, eflags: std::ffi::c_int) {
    if eflags & pg_sys::EXEC_FLAG_EXPLAIN_ONLY as std::ffi::c_int != 0 {
        return;
    }
    // SAFETY: per the contract.
    let stmt = unsafe { (*query_desc).plannedstmt };
    // SAFETY: the plan of a QueryDesc is a valid PlannedStmt (or null).
    if unsafe { plan_uses_hypothetical(stmt) } {
        pgrx::ereport!(
            ERROR,
            PgSqlErrorCode::ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
            "sqlxos: refusing to execute a plan that uses a hypothetical index",
            "Hypothetical indexes are for EXPLAIN only; this is a bug in sqlxos or in an extension that kept its plan."
        );
    }
}

/// Whether `stmt`'s plan (any node, any subplan) scans an index that this
/// backend handed out as hypothetical.
///
/// # Safety
/// `stmt` is null or a valid `PlannedStmt`.
pub unsafe fn plan_uses_hypothetical(stmt: *mut pg_sys::PlannedStmt) -> bool {
    if stmt.is_null() || !state::any_fake_oids() {
        return false;
    }
    let mut found = false;
    // SAFETY: per the contract.
    unsafe {
        for_each_index(stmt, &mut |oid| found |= state::is_fake_oid(oid));
    }
    found
}

/// Calls `f` with the OID of every index that `stmt`'s plan scans.
///
/// # Safety
/// `stmt` is a valid `PlannedStmt`.
pub(crate) unsafe fn for_each_index(
    stmt: *mut pg_sys::PlannedStmt,
    f: &mut dyn FnMut(pg_sys::Oid),
) {
    // SAFETY: per the contract; subplans may contain null entries.
    unsafe {
        walk((*stmt).planTree, f);
        for sub in list_ptrs::<pg_sys::Plan>((*stmt).subplans) {
            walk(sub, f);
        }
    }
}

/// # Safety
/// `plan` is null or a valid plan node.
unsafe fn walk(plan: *mut pg_sys::Plan, f: &mut dyn FnMut(pg_sys::Oid)) {
    use pg_sys::NodeTag::*;
    if plan.is_null() {
        return;
    }
    // SAFETY: each cast matches the node tag; child pointers are valid
    // plans or null.
    unsafe {
        match tag_of(plan) {
            T_IndexScan => f((*plan.cast::<pg_sys::IndexScan>()).indexid),
            T_IndexOnlyScan => f((*plan.cast::<pg_sys::IndexOnlyScan>()).indexid),
            T_BitmapIndexScan => f((*plan.cast::<pg_sys::BitmapIndexScan>()).indexid),
            T_Append => walk_list((*plan.cast::<pg_sys::Append>()).appendplans, f),
            T_MergeAppend => walk_list((*plan.cast::<pg_sys::MergeAppend>()).mergeplans, f),
            T_BitmapAnd => walk_list((*plan.cast::<pg_sys::BitmapAnd>()).bitmapplans, f),
            T_BitmapOr => walk_list((*plan.cast::<pg_sys::BitmapOr>()).bitmapplans, f),
            T_SubqueryScan => walk((*plan.cast::<pg_sys::SubqueryScan>()).subplan, f),
            T_CustomScan => walk_list((*plan.cast::<pg_sys::CustomScan>()).custom_plans, f),
            _ => {}
        }
        walk((*plan).lefttree, f);
        walk((*plan).righttree, f);
    }
}

/// # Safety
/// `list` is `NIL` or a list of plan nodes.
unsafe fn walk_list(list: *mut pg_sys::List, f: &mut dyn FnMut(pg_sys::Oid)) {
    // SAFETY: per the contract.
    unsafe {
        for p in list_ptrs::<pg_sys::Plan>(list) {
            walk(p, f);
        }
    }
}
