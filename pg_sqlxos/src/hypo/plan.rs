//! Parse, check, plan and EXPLAIN one statement with hypothetical indexes.
//!
//! The statement is parsed with PostgreSQL's parser and must be exactly one
//! SELECT (also `WITH ...`), INSERT, UPDATE or DELETE. It is analyzed with
//! parameter types inferred (`$1` is allowed) and planned with no parameter
//! values, which gives the generic plan. EXPLAIN runs the executor in
//! EXPLAIN-only mode: nothing executes, no function in the query runs
//! (except those the planner itself folds, which never see the
//! hypothetical indexes; see `hook`).

use std::ffi::{CStr, CString};

use pgrx::pg_sys;
use pgrx::PgTryBuilder;

use super::error::HypoError;
use super::index::HypoIndex;
use super::{guard, list_ptrs, state, tag_of};

/// The plan of one statement (a rule can rewrite one into several).
#[derive(Debug, Clone)]
pub struct Planned {
    /// EXPLAIN text output (empty when not asked for).
    pub explain: String,
    /// The plan's total cost.
    pub total_cost: f64,
    /// Positions (in the indexes given) of the hypothetical indexes the plan uses.
    pub used: Vec<usize>,
}

/// Checks that `query` is one plannable statement and returns its raw
/// parse tree.
///
/// # Safety
/// Call in a transaction; `text` must outlive the returned tree's use.
unsafe fn parse_query(text: &CStr) -> Result<*mut pg_sys::RawStmt, HypoError> {
    let invalid = |m: &str| HypoError::InvalidArgument(format!("query: {m}"));
    // SAFETY: raw_parser on a NUL-terminated string; errors are caught and
    // re-raised by the caller (or its subtransaction rolled back).
    let list = PgTryBuilder::new(|| unsafe {
        Ok(pg_sys::raw_parser(
            text.as_ptr(),
            pg_sys::RawParseMode::RAW_PARSE_DEFAULT,
        ))
    })
    .catch_others(|e| Err(HypoError::from_caught("query", e)))
    .execute()?;
    // SAFETY: the parser returns a list of RawStmt.
    let stmts = unsafe { list_ptrs::<pg_sys::RawStmt>(list) };
    if stmts.len() != 1 {
        return Err(invalid(&format!(
            "expected exactly one SELECT, INSERT, UPDATE or DELETE statement, got {} statements",
            stmts.len()
        )));
    }
    let raw = stmts[0];
    // SAFETY: a RawStmt's stmt is a valid node; casts follow the tag.
    unsafe {
        let node = (*raw).stmt;
        match tag_of(node) {
            pg_sys::NodeTag::T_SelectStmt => {
                if !(*node.cast::<pg_sys::SelectStmt>()).intoClause.is_null() {
                    return Err(invalid("SELECT INTO creates a table; expected a plain SELECT"));
                }
            }
            pg_sys::NodeTag::T_InsertStmt
            | pg_sys::NodeTag::T_UpdateStmt
            | pg_sys::NodeTag::T_DeleteStmt => {}
            _ => {
                return Err(invalid(
                    "expected a SELECT, INSERT, UPDATE or DELETE statement, not a utility or DDL statement",
                ))
            }
        }
    }
    Ok(raw)
}

/// Plans `query` with `indexes` as hypothetical indexes (and EXPLAINs it
/// when `explain`). An ERROR raised by PostgreSQL comes back as
/// [`HypoError::Postgres`] naming `query`; the caller must raise it or roll
/// back its subtransaction.
pub fn plan_with(
    query: &str,
    indexes: Vec<HypoIndex>,
    explain: bool,
) -> Result<Vec<Planned>, HypoError> {
    let text = CString::new(query)
        .map_err(|_| HypoError::InvalidArgument("query: contains a NUL byte".into()))?;
    if query.trim().is_empty() {
        return Err(HypoError::InvalidArgument(
            "query: is empty; expected a SELECT, INSERT, UPDATE or DELETE statement".into(),
        ));
    }
    // SAFETY: in a transaction; `text` lives until the end of this function.
    let raw = unsafe { parse_query(&text)? };
    let oids: Vec<pg_sys::Oid> = indexes.iter().map(|i| i.oid).collect();
    let _active = state::activate(indexes)?;
    let text_ref = &text;
    let oids_ref = &oids;
    PgTryBuilder::new(|| {
        // SAFETY: in a transaction, with the raw tree just checked; see
        // `plan_checked`.
        unsafe { Ok(plan_checked(raw, text_ref, oids_ref, explain)) }
    })
    .catch_others(|e| Err(HypoError::from_caught("query", e)))
    .execute()
    // `_active` drops here (or while an ERROR unwinds): indexes gone.
}

/// # Safety
/// `raw` is the checked parse tree of `text`; hypothetical indexes active.
unsafe fn plan_checked(
    raw: *mut pg_sys::RawStmt,
    text: &CStr,
    oids: &[pg_sys::Oid],
    explain: bool,
) -> Vec<Planned> {
    let mut out = Vec::new();
    // SAFETY: PostgreSQL's analyze, rewrite, plan and explain entry points
    // with the arguments they document; param types are palloc'd by
    // PostgreSQL.
    unsafe {
        let mut param_types: *mut pg_sys::Oid = std::ptr::null_mut();
        let mut nparams: std::ffi::c_int = 0;
        let queries = pg_sys::pg_analyze_and_rewrite_varparams(
            raw,
            text.as_ptr(),
            &mut param_types,
            &mut nparams,
            std::ptr::null_mut(),
        );
        for q in list_ptrs::<pg_sys::Query>(queries) {
            if (*q).commandType == pg_sys::CmdType::CMD_UTILITY {
                continue; // e.g. a rule's NOTIFY: nothing to plan
            }
            state::set_target(q);
            let stmt = pg_sys::pg_plan_query(
                q,
                text.as_ptr(),
                pg_sys::CURSOR_OPT_PARALLEL_OK as std::ffi::c_int,
                std::ptr::null_mut(),
            );
            state::set_target(std::ptr::null_mut());
            let mut used = Vec::new();
            guard::for_each_index(stmt, &mut |oid| {
                if let Some(pos) = oids.iter().position(|o| *o == oid) {
                    if !used.contains(&pos) {
                        used.push(pos);
                    }
                }
            });
            used.sort_unstable();
            let total_cost = (*(*stmt).planTree).total_cost;
            let explain = if explain {
                explain_text(stmt, text)
            } else {
                String::new()
            };
            out.push(Planned {
                explain,
                total_cost,
                used,
            });
        }
    }
    out
}

/// EXPLAIN (FORMAT TEXT, COSTS) of a planned statement, without executing it.
///
/// # Safety
/// `stmt` is a plan of `text`; an active snapshot exists.
unsafe fn explain_text(stmt: *mut pg_sys::PlannedStmt, text: &CStr) -> String {
    // SAFETY: ExplainOnePlan with analyze off starts the executor with
    // EXEC_FLAG_EXPLAIN_ONLY (no index is opened, nothing runs) and ends it.
    unsafe {
        let es = pg_sys::NewExplainState();
        (*es).format = pg_sys::ExplainFormat::EXPLAIN_FORMAT_TEXT;
        (*es).costs = true;
        pg_sys::ExplainBeginOutput(es);
        pg_sys::ExplainOnePlan(
            stmt,
            std::ptr::null_mut(),
            es,
            text.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
        );
        pg_sys::ExplainEndOutput(es);
        CStr::from_ptr((*(*es).str_).data)
            .to_string_lossy()
            .trim_end()
            .to_owned()
    }
}
