//! Backend-local capture state: the executor nesting level, which running
//! statements are being recorded, the sampling decision, whether the
//! extension is installed in this database (cached until a function is
//! created or dropped: `CREATE/DROP EXTENSION` always does both), and the
//! normalized texts computed at parse analysis, waiting for their first
//! execution.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::time::Instant;

use pgrx::pg_sys;

use super::shmem::Pred;

/// Statements tracked at once (open cursors, nesting); beyond, the oldest
/// is forgotten (its execution is then not recorded).
const MAX_TRACKED: usize = 64;
/// Normalized texts waiting for their first execution.
const MAX_TEXTS: usize = 128;

/// A statement being recorded, from ExecutorStart to ExecutorEnd.
pub struct Tracked {
    pub query_desc: usize,
    pub queryid: u64,
    pub userid: pg_sys::Oid,
    pub preds: Vec<Pred>,
    /// When the current ExecutorRun/ExecutorFinish call began.
    pub run_started: Option<Instant>,
    /// Rows of the ExecutorRun calls ended so far (a cursor runs once per
    /// FETCH, and PostgreSQL 15 counts `es_processed` per run).
    pub rows: u64,
    /// Whether this run collects the details (per-node row counts, the
    /// predicate walk, the plan summary); see [`wants_detail`].
    pub detail: bool,
}

/// Runs of known statements that collect details: one in this many.
pub const DETAIL_EVERY: u32 = 32;

thread_local! {
    static DETAIL_TICK: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Whether a run collects the details: always for a statement not yet in the
/// workload, else one run in [`DETAIL_EVERY`]. Predicates accumulate per
/// entry, so a statement's columns are all found on its first runs; the
/// per-node instrumentation and the plan walk cost more than the rest of
/// the capture together, and repeating them on every run bought nothing.
pub fn wants_detail(known: bool) -> bool {
    if !known {
        return true;
    }
    DETAIL_TICK.with(|t| {
        let n = t.get().wrapping_add(1);
        t.set(n);
        n % DETAIL_EVERY == 0
    })
}

thread_local! {
    static NESTING: Cell<i32> = const { Cell::new(0) };
    static TOP_SAMPLED: Cell<bool> = const { Cell::new(true) };
    static RNG: Cell<u64> = const { Cell::new(0) };
    static INSTALLED: Cell<Option<bool>> = const { Cell::new(None) };
    static TRACKED: RefCell<Vec<Tracked>> = const { RefCell::new(Vec::new()) };
    static TEXTS: RefCell<HashMap<u64, String>> = RefCell::new(HashMap::new());
}

pub fn nesting() -> i32 {
    NESTING.with(Cell::get)
}

pub fn enter() {
    NESTING.with(|n| n.set(n.get() + 1));
}

pub fn leave() {
    NESTING.with(|n| n.set((n.get() - 1).max(0)));
}

/// Whether to record a statement starting now: a fresh draw for a
/// top-level statement; nested ones follow their top-level statement, and
/// none is recorded at rate 0.
pub fn sample() -> bool {
    let rate = crate::gucs::sample_rate();
    if rate <= 0.0 {
        return false;
    }
    if nesting() > 0 {
        return TOP_SAMPLED.with(Cell::get);
    }
    let hit = rate >= 1.0 || next_unit() < rate;
    TOP_SAMPLED.with(|s| s.set(hit));
    hit
}

/// A uniform draw in [0, 1) from a per-backend xorshift generator.
fn next_unit() -> f64 {
    RNG.with(|r| {
        let mut x = r.get();
        if x == 0 {
            let t = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(1);
            // SAFETY: MyProcPid is set for the life of the backend.
            x = t ^ (u64::from(unsafe { pg_sys::MyProcPid } as u32) << 32) | 1;
        }
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        r.set(x);
        (x >> 11) as f64 / (1u64 << 53) as f64
    })
}

/// Whether the extension is installed in this database. Needs a transaction.
pub fn installed() -> bool {
    if let Some(v) = INSTALLED.with(Cell::get) {
        return v;
    }
    // SAFETY: called from executor and parser hooks, inside a transaction;
    // missing_ok = true, so an absent extension gives InvalidOid.
    let v = unsafe { pg_sys::get_extension_oid(c"sqlxos".as_ptr(), true) != pg_sys::InvalidOid };
    INSTALLED.with(|c| c.set(Some(v)));
    v
}

/// Syscache callback (pg_proc): functions changed, the extension may have
/// been created or dropped.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn invalidate(_arg: pg_sys::Datum, _cache: i32, _hash: u32) {
    INSTALLED.with(|c| c.set(None));
}

/// Transaction callback: after an abort no executor of the transaction is
/// left, so statements that failed without reaching ExecutorEnd are dropped.
/// (A commit can leave a cursor of a procedure's loop running, so only
/// aborts clear.)
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn at_xact_end(
    event: pg_sys::XactEvent::Type,
    _arg: *mut std::ffi::c_void,
) {
    if event == pg_sys::XactEvent::XACT_EVENT_ABORT {
        TRACKED.with(|t| t.borrow_mut().clear());
        NESTING.with(|n| n.set(0));
    }
}

/// Starts tracking a statement (replacing a stale one at the same address).
pub fn track(t: Tracked) {
    TRACKED.with(|v| {
        let mut v = v.borrow_mut();
        v.retain(|x| x.query_desc != t.query_desc);
        if v.len() >= MAX_TRACKED {
            v.remove(0);
        }
        v.push(t);
    });
}

/// Runs `f` on the tracked statement at `query_desc`, if any.
pub fn with_tracked<R>(query_desc: usize, f: impl FnOnce(&mut Tracked) -> R) -> Option<R> {
    TRACKED.with(|v| {
        v.borrow_mut()
            .iter_mut()
            .find(|x| x.query_desc == query_desc)
            .map(f)
    })
}

/// Stops tracking the statement at `query_desc`, returning it.
pub fn untrack(query_desc: usize) -> Option<Tracked> {
    TRACKED.with(|v| {
        let mut v = v.borrow_mut();
        let i = v.iter().position(|x| x.query_desc == query_desc)?;
        Some(v.remove(i))
    })
}

pub fn is_tracked(query_desc: usize) -> bool {
    TRACKED.with(|v| v.borrow().iter().any(|x| x.query_desc == query_desc))
}

/// Keeps a normalized text until the statement's first execution.
pub fn remember_text(queryid: u64, text: String) {
    TEXTS.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= MAX_TEXTS {
            m.clear();
        }
        m.insert(queryid, text);
    });
}

/// The normalized text kept for `queryid`.
pub fn take_text(queryid: u64) -> Option<String> {
    TEXTS.with(|m| m.borrow_mut().remove(&queryid))
}
