//! `get_relation_info_hook`: adds the hypothetical indexes to the planner's
//! index list; `explain_get_index_name_hook`: names them in EXPLAIN.
//!
//! Both chain the previous hook first and do nothing unless a sqlxos
//! planning call is active. The index is added only when the planner is
//! planning the very `Query` sqlxos handed it (found by walking
//! `PlannerInfo.parent_root` to the top): subqueries, CTEs and SubLinks of
//! that statement see the index; a query that a function runs while the
//! planner folds constants is planned with another `Query` and does not.

use std::ffi::CString;

use pgrx::pg_sys;

use super::index::HypoIndex;
use super::state;

static mut PREV_GET_RELATION_INFO: pg_sys::get_relation_info_hook_type = None;
static mut PREV_EXPLAIN_GET_INDEX_NAME: pg_sys::explain_get_index_name_hook_type = None;

unsafe extern "C-unwind" {
    /// `rewriteManip.h`, not in pgrx's bindings.
    #[link_name = "ChangeVarNodes"]
    fn ChangeVarNodes_unguarded(
        node: *mut pg_sys::Node,
        old_varno: std::ffi::c_int,
        new_varno: std::ffi::c_int,
        sublevels_up: std::ffi::c_int,
    );
}

/// PostgreSQL's `ChangeVarNodes`, with an ERROR turned into a Rust panic.
///
/// # Safety
/// `node` is a valid expression tree.
unsafe fn change_var_nodes(node: *mut pg_sys::Node, old: i32, new: i32) {
    // SAFETY: only the C call runs inside the boundary.
    unsafe { pg_sys::ffi::pg_guard_ffi_boundary(|| ChangeVarNodes_unguarded(node, old, new, 0)) }
}

/// Installs both hooks, saving the previous ones.
///
/// # Safety
/// Call once per process, from `_PG_init`.
pub(crate) unsafe fn install() {
    // SAFETY: single-threaded backend start-up; the previous values are
    // saved before ours replace them, and are called first by our hooks.
    unsafe {
        PREV_GET_RELATION_INFO = pg_sys::get_relation_info_hook;
        pg_sys::get_relation_info_hook = Some(get_relation_info);
        PREV_EXPLAIN_GET_INDEX_NAME = pg_sys::explain_get_index_name_hook;
        pg_sys::explain_get_index_name_hook = Some(explain_get_index_name);
    }
}

/// The `Query` at the top of the planner's `PlannerInfo` chain.
///
/// # Safety
/// `root` is a valid `PlannerInfo`.
unsafe fn top_query(mut root: *mut pg_sys::PlannerInfo) -> *mut pg_sys::Query {
    // SAFETY: parent_root links valid PlannerInfos up to the top (null).
    unsafe {
        while !(*root).parent_root.is_null() {
            root = (*root).parent_root;
        }
        (*root).parse
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn get_relation_info(
    root: *mut pg_sys::PlannerInfo,
    relation_oid: pg_sys::Oid,
    inhparent: bool,
    rel: *mut pg_sys::RelOptInfo,
) {
    // SAFETY: the planner calls us with valid arguments; we pass them on
    // unchanged to the previous hook, then only append to rel->indexlist
    // nodes allocated in the planner's current memory context.
    unsafe {
        if let Some(prev) = PREV_GET_RELATION_INFO {
            prev(root, relation_oid, inhparent, rel);
        }
        // Like plancat.c: an inheritance parent's own indexes are not used.
        if inhparent {
            return;
        }
        let top = top_query(root);
        state::with_active(|s| {
            #[cfg(any(test, feature = "pg_test"))]
            let everywhere = s.target == state::EVERYWHERE;
            #[cfg(not(any(test, feature = "pg_test")))]
            let everywhere = false;
            if s.target.is_null() || (s.target != top && !everywhere) {
                return;
            }
            let mut am: *mut pg_sys::IndexAmRoutine = std::ptr::null_mut();
            for idx in s.indexes.iter().filter(|i| i.relid == relation_oid) {
                if am.is_null() {
                    am = pg_sys::GetIndexAmRoutineByAmId(pg_sys::BTREE_AM_OID, false);
                }
                let info = index_opt_info(idx, rel, am);
                (*rel).indexlist = pg_sys::lappend((*rel).indexlist, info.cast());
            }
        });
    }
}

/// An `IndexOptInfo` filled as PostgreSQL 15's `get_relation_info` fills
/// one for a real btree index.
///
/// # Safety
/// `rel` is the planner's `RelOptInfo` for `idx.relid`, `am` the btree AM
/// routine; call in the planner's memory context.
unsafe fn index_opt_info(
    idx: &HypoIndex,
    rel: *mut pg_sys::RelOptInfo,
    am: *const pg_sys::IndexAmRoutine,
) -> *mut pg_sys::IndexOptInfo {
    // SAFETY: every array is palloc'd with the length the planner reads
    // (ncolumns or nkeycolumns); the Var and TargetEntry nodes are built
    // with PostgreSQL's constructors.
    unsafe {
        let ncols = idx.keys.len() + idx.include.len();
        let nkeys = idx.keys.len();
        let info = super::make_node::<pg_sys::IndexOptInfo>(pg_sys::NodeTag::T_IndexOptInfo);
        let i = &mut *info;
        i.indexoid = idx.oid;
        i.reltablespace = (*rel).reltablespace;
        i.rel = rel;
        i.ncolumns = ncols as i32;
        i.nkeycolumns = nkeys as i32;

        i.indexkeys = palloc_array::<std::ffi::c_int>(ncols);
        i.canreturn = palloc_array::<bool>(ncols);
        i.opclassoptions = palloc_array::<*mut pg_sys::bytea>(ncols);
        i.indexcollations = palloc_array::<pg_sys::Oid>(nkeys);
        i.opfamily = palloc_array::<pg_sys::Oid>(nkeys);
        i.opcintype = palloc_array::<pg_sys::Oid>(nkeys);
        i.reverse_sort = palloc_array::<bool>(nkeys);
        i.nulls_first = palloc_array::<bool>(nkeys);
        let varno = (*rel).relid as i32;
        let mut tlist: *mut pg_sys::List = std::ptr::null_mut();
        for (n, c) in idx.columns().enumerate() {
            *i.indexkeys.add(n) = std::ffi::c_int::from(c.attnum);
            // btree can return every column: index-only scans.
            *i.canreturn.add(n) = true;
            if n < nkeys {
                *i.indexcollations.add(n) = c.collation;
                *i.opfamily.add(n) = c.opfamily;
                *i.opcintype.add(n) = c.opcintype;
                *i.reverse_sort.add(n) = c.descending;
                *i.nulls_first.add(n) = c.nulls_first;
            }
            let var = pg_sys::makeVar(varno, c.attnum, c.typid, c.typmod, c.collation, 0);
            let tle =
                pg_sys::makeTargetEntry(var.cast(), (n + 1) as i16, std::ptr::null_mut(), false);
            tlist = pg_sys::lappend(tlist, tle.cast());
        }
        // For btree the sort opfamilies are the opfamilies.
        i.sortopfamily = i.opfamily;
        i.relam = pg_sys::BTREE_AM_OID;
        i.amcanorderbyop = (*am).amcanorderbyop;
        i.amoptionalkey = (*am).amoptionalkey;
        i.amsearcharray = (*am).amsearcharray;
        i.amsearchnulls = (*am).amsearchnulls;
        i.amcanparallel = (*am).amcanparallel;
        i.amhasgettuple = (*am).amgettuple.is_some();
        i.amhasgetbitmap = (*am).amgetbitmap.is_some();
        i.amcanmarkpos = (*am).ammarkpos.is_some() && (*am).amrestrpos.is_some();
        i.amcostestimate = std::mem::transmute::<
            pg_sys::amcostestimate_function,
            Option<unsafe extern "C-unwind" fn()>,
        >((*am).amcostestimate);

        i.indexprs = std::ptr::null_mut();
        i.indpred = std::ptr::null_mut();
        if !idx.predicate.is_null() {
            let pred = pg_sys::copyObjectImpl(idx.predicate.cast()).cast::<pg_sys::List>();
            if varno != 1 {
                change_var_nodes(pred.cast(), 1, varno);
            }
            i.indpred = pred;
        }
        i.indextlist = tlist;
        i.indrestrictinfo = std::ptr::null_mut();
        i.predOK = false;
        i.unique = idx.unique;
        i.immediate = true;
        // PostgreSQL's own flag: the planner never opens a hypothetical
        // index (get_actual_variable_range skips it).
        i.hypothetical = true;

        // Like plancat.c: a full index has the table's tuple count; a
        // partial one never more than the table.
        i.tuples = if idx.predicate.is_null() {
            (*rel).tuples
        } else {
            idx.tuples.min((*rel).tuples)
        };
        i.pages = idx.pages;
        i.tree_height = idx.tree_height;
        info
    }
}

/// A palloc0'd array of `n` values of `T`.
///
/// # Safety
/// Call in a valid memory context; `T` must be valid when zeroed.
unsafe fn palloc_array<T>(n: usize) -> *mut T {
    // SAFETY: palloc0 of n * size_of::<T>() bytes (at least 1).
    unsafe { pg_sys::palloc0((n * std::mem::size_of::<T>()).max(1)).cast::<T>() }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn explain_get_index_name(
    index_oid: pg_sys::Oid,
) -> *const std::ffi::c_char {
    let name = state::with_active(|s| {
        s.indexes
            .iter()
            .find(|i| i.oid == index_oid)
            .map(HypoIndex::display_name)
    })
    .flatten();
    if let Some(name) = name {
        let c = CString::new(name).unwrap_or_default();
        // SAFETY: pstrdup copies the NUL-terminated string into palloc'd
        // memory that EXPLAIN may keep for the rest of its output.
        return unsafe { pg_sys::pstrdup(c.as_ptr()) };
    }
    // SAFETY: the previous hook is called with the argument we were given.
    unsafe {
        match PREV_EXPLAIN_GET_INDEX_NAME {
            Some(prev) => prev(index_oid),
            None => std::ptr::null(),
        }
    }
}
