//! What-if (hypothetical) btree indexes, planned by PostgreSQL's own planner.
//!
//! ```sql
//! SELECT plan, total_cost, hypothetical_indexes_used
//! FROM sqlxos.explain_with_indexes('SELECT * FROM t WHERE a = 42',
//!                                  ARRAY['CREATE INDEX ON t (a)']);
//! ```
//!
//! How it fits together, one concept per file:
//! - [`ddl`]: `CREATE INDEX` text to a [`index::HypoIndex`], with PostgreSQL's parser.
//! - [`index`]: the hypothetical index and its size estimate (pages, tuples, height).
//! - [`state`]: the backend-local set of indexes, live only during one sqlxos
//!   planning call, and the fake OIDs (never a real relation's).
//! - [`hook`]: `get_relation_info_hook` (adds the indexes, only for the one
//!   statement sqlxos is planning) and `explain_get_index_name_hook`.
//! - [`plan`]: parse, check, plan and EXPLAIN one statement with the indexes.
//! - [`guard`]: refuses to execute any plan that names a hypothetical index.
//! - [`explain`]: `sqlxos.explain_with_indexes(query, index_ddl[])`.
//! - [`oracle`]: the Rust cost oracle for the index advisor.

pub mod ddl;
pub mod error;
pub mod explain;
pub mod guard;
pub mod hook;
pub mod index;
pub mod oracle;
pub mod plan;
pub mod state;

#[cfg(any(test, feature = "pg_test"))]
mod tests;

use pgrx::pg_sys;

/// Installs the hooks and transaction callbacks of the what-if planner.
/// Called once per process from `_PG_init`, preloaded or not: every hook
/// chains the previous one and does nothing unless sqlxos itself is
/// planning with hypothetical indexes, so a plain `LOAD` is harmless.
pub fn init() {
    // SAFETY: _PG_init runs once per process, in the main thread, before any
    // query; each install saves the previous hook before replacing it.
    unsafe {
        hook::install();
        // Preloaded, the capture's ExecutorStart hook runs the guard: one
        // hook call per statement instead of two.
        if !crate::capture::runs_hypo_guard() {
            guard::install();
        }
        state::install_callbacks();
    }
}

/// The pointers of a PostgreSQL `List` of pointers (empty for `NIL`).
///
/// # Safety
/// `list` is `NIL` or a valid pointer `List` whose cells point to `T`s.
pub(crate) unsafe fn list_ptrs<T>(list: *mut pg_sys::List) -> Vec<*mut T> {
    if list.is_null() {
        return Vec::new();
    }
    // SAFETY: a non-NIL List has `length` initialised cells at `elements`.
    unsafe {
        let len = usize::try_from((*list).length).unwrap_or(0);
        (0..len)
            .map(|i| (*(*list).elements.add(i)).ptr_value.cast::<T>())
            .collect()
    }
}

/// Allocates a zeroed node of type `T` with its tag set (C's `makeNode`).
///
/// # Safety
/// `tag` must be the node tag of `T`; call in a valid memory context.
pub(crate) unsafe fn make_node<T>(tag: pg_sys::NodeTag) -> *mut T {
    // SAFETY: palloc0 returns zeroed memory of the requested size or raises
    // an ERROR; every node starts with its NodeTag.
    unsafe {
        let node = pg_sys::palloc0(std::mem::size_of::<T>()).cast::<pg_sys::Node>();
        (*node).type_ = tag;
        node.cast::<T>()
    }
}

/// The node tag of a non-null node.
///
/// # Safety
/// `node` must point to a valid PostgreSQL node.
pub(crate) unsafe fn tag_of<T>(node: *const T) -> pg_sys::NodeTag {
    // SAFETY: every node starts with its NodeTag.
    unsafe { (*node.cast::<pg_sys::Node>()).type_ }
}

/// A C string as Rust text (lossy), or `""` for null.
///
/// # Safety
/// `p` is null or a NUL-terminated string.
pub(crate) unsafe fn cstr(p: *const std::ffi::c_char) -> String {
    if p.is_null() {
        String::new()
    } else {
        // SAFETY: per the contract, NUL-terminated.
        unsafe { std::ffi::CStr::from_ptr(p) }
            .to_string_lossy()
            .into_owned()
    }
}
