//! Backend-local capture state: the executor nesting level, which running
//! statements are being recorded, the sampling decision, whether the
//! extension is installed in this database (cached until a function is
//! created or dropped: `CREATE/DROP EXTENSION` always does both), the
//! statements known to be in the workload already (so that the hooks skip
//! the shared lock and the normalization for them) and the normalized texts
//! computed at parse analysis, waiting for their first execution.
//!
//! Everything lives in one process-global [`State`]: a backend runs its
//! hooks on one thread only, and a plain global costs less than the
//! `thread_local!` lookups (`__tls_get_addr` in a shared library) that the
//! hooks would otherwise make several times per statement.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pgrx::pg_sys;

use super::shmem::{self, Key, Pred};

/// Statements tracked at once (open cursors, nesting); beyond, the oldest
/// is forgotten (its execution is then not recorded).
const MAX_TRACKED: usize = 64;
/// Normalized texts waiting for their first execution.
const MAX_TEXTS: usize = 128;
/// Slots of the backend's direct-mapped cache of statements known to be in
/// the workload (a power of two). Two statements sharing a slot take turns:
/// the other one is looked up in shared memory again, as before the cache.
const KNOWN_SLOTS: usize = 1024;

/// A statement being recorded, from ExecutorStart to ExecutorEnd.
pub struct Tracked {
    pub query_desc: usize,
    pub queryid: u64,
    pub userid: pg_sys::Oid,
    pub preds: Vec<Pred>,
    /// When the current ExecutorRun/ExecutorFinish call began ([`now_ns`]).
    pub run_started: Option<u64>,
    /// Time of the ExecutorRun/ExecutorFinish calls ended so far, in ns.
    pub elapsed_ns: u64,
    /// Rows of the ExecutorRun calls ended so far (a cursor runs once per
    /// FETCH, and PostgreSQL 15 counts `es_processed` per run).
    pub rows: u64,
    /// Whether this run collects the details (per-node row counts, the
    /// predicate walk, the plan summary); see [`wants_detail`].
    pub detail: bool,
    /// Whether the backend knew at ExecutorStart that the statement has a
    /// workload entry.
    pub known: bool,
}

/// The monotonic clock in ns, as PostgreSQL's own instrumentation reads it
/// (`clock_gettime(CLOCK_MONOTONIC)`, through the vDSO), without the checks
/// `std::time::Instant` adds: the hooks read it four times per statement.
pub fn now_ns() -> u64 {
    #[repr(C)]
    struct Timespec {
        tv_sec: i64,
        tv_nsec: i64,
    }
    unsafe extern "C" {
        fn clock_gettime(clock: i32, tp: *mut Timespec) -> i32;
    }
    /// Linux's CLOCK_MONOTONIC.
    const CLOCK_MONOTONIC: i32 = 1;
    let mut t = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec; it cannot fail for
    // CLOCK_MONOTONIC on Linux (t stays zero if it did).
    unsafe { clock_gettime(CLOCK_MONOTONIC, &mut t) };
    (t.tv_sec as u64)
        .wrapping_mul(1_000_000_000)
        .wrapping_add(t.tv_nsec as u64)
}

/// Runs of known statements that collect details: one in this many.
pub const DETAIL_EVERY: u32 = 32;

/// A multiplicative hasher for the small integer keys of the backend's
/// maps (SipHash would cost more than the rest of a lookup).
#[derive(Default)]
pub struct IntHasher(u64);

impl Hasher for IntHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

type IntMap<K, V> = HashMap<K, V, BuildHasherDefault<IntHasher>>;

/// The statements of this backend known to have a workload entry, as
/// (user, query id) in the slot their query id picks (query id 0, which
/// is never tracked, marks an empty slot), valid while the workload's
/// generation (bumped by every eviction and reset) is the one they were
/// seen in.
struct Known {
    generation: u64,
    slots: [(u32, u64); KNOWN_SLOTS],
}

impl Known {
    fn slot(key: &Key) -> usize {
        // Query ids are hashes already; the user is mixed in for roles
        // running the same statements.
        let h = key.queryid ^ u64::from(key.userid.to_u32()).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (h as usize) & (KNOWN_SLOTS - 1)
    }

    /// Forgets everything if the workload's generation moved on.
    fn sync(&mut self, generation: u64) {
        if self.generation != generation {
            self.slots = [(0, 0); KNOWN_SLOTS];
            self.generation = generation;
        }
    }
}

/// The backend's capture state.
struct State {
    nesting: Cell<i32>,
    top_sampled: Cell<bool>,
    rng: Cell<u64>,
    installed: Cell<Option<bool>>,
    detail_tick: Cell<u32>,
    tracked: RefCell<Vec<Tracked>>,
    texts: RefCell<IntMap<u64, String>>,
    known: RefCell<Known>,
}

/// [`State`] as a global.
struct Global(State);

// SAFETY: a PostgreSQL backend is single-threaded and calls its hooks and
// callbacks on its main thread only (pgrx checks it at every guarded FFI
// call and GUC read); no other thread of the process touches the state.
unsafe impl Sync for Global {}

static STATE: Global = Global(State {
    nesting: Cell::new(0),
    top_sampled: Cell::new(true),
    rng: Cell::new(0),
    installed: Cell::new(None),
    detail_tick: Cell::new(0),
    tracked: RefCell::new(Vec::new()),
    texts: RefCell::new(HashMap::with_hasher(BuildHasherDefault::new())),
    known: RefCell::new(Known {
        generation: 0,
        slots: [(0, 0); KNOWN_SLOTS],
    }),
});

fn st() -> &'static State {
    &STATE.0
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
    let t = &st().detail_tick;
    let n = t.get().wrapping_add(1);
    t.set(n);
    n % DETAIL_EVERY == 0
}

/// Whether the workload has an entry for `key`: from the backend's set of
/// known statements when it is current, else from shared memory (under the
/// shared lock), remembering a hit.
pub fn known(key: &Key) -> bool {
    let generation = shmem::generation();
    {
        let mut k = st().known.borrow_mut();
        k.sync(generation);
        if k.slots[Known::slot(key)] == (key.userid.to_u32(), key.queryid) {
            return true;
        }
    }
    let found = shmem::exists(key);
    if found {
        mark_known(key, generation);
    }
    found
}

/// Remembers that `key` has a workload entry, seen while the workload's
/// generation was `generation` (read before the entry was looked up, so
/// that an eviction in between makes the fact stale, never wrong).
pub fn mark_known(key: &Key, generation: u64) {
    let mut k = st().known.borrow_mut();
    k.sync(generation);
    k.slots[Known::slot(key)] = (key.userid.to_u32(), key.queryid);
}

pub fn nesting() -> i32 {
    st().nesting.get()
}

pub fn enter() {
    let n = &st().nesting;
    n.set(n.get() + 1);
}

pub fn leave() {
    let n = &st().nesting;
    n.set((n.get() - 1).max(0));
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
        return st().top_sampled.get();
    }
    let hit = rate >= 1.0 || next_unit() < rate;
    st().top_sampled.set(hit);
    hit
}

/// A uniform draw in [0, 1) from a per-backend xorshift generator.
fn next_unit() -> f64 {
    let r = &st().rng;
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
}

/// Whether the extension is installed in this database. Needs a transaction.
pub fn installed() -> bool {
    if let Some(v) = st().installed.get() {
        return v;
    }
    // SAFETY: called from executor and parser hooks, inside a transaction;
    // missing_ok = true, so an absent extension gives InvalidOid.
    let v = unsafe { pg_sys::get_extension_oid(c"sqlxos".as_ptr(), true) != pg_sys::InvalidOid };
    st().installed.set(Some(v));
    v
}

/// The cached answer of [`installed`], if any.
pub fn installed_cached() -> Option<bool> {
    st().installed.get()
}

/// Syscache callback (pg_proc): functions changed, the extension may have
/// been created or dropped.
#[pgrx::pg_guard]
pub unsafe extern "C-unwind" fn invalidate(_arg: pg_sys::Datum, _cache: i32, _hash: u32) {
    st().installed.set(None);
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
        st().tracked.borrow_mut().clear();
        st().nesting.set(0);
    }
}

/// Starts tracking a statement (replacing a stale one at the same address).
pub fn track(t: Tracked) {
    let mut v = st().tracked.borrow_mut();
    v.retain(|x| x.query_desc != t.query_desc);
    if v.len() >= MAX_TRACKED {
        v.remove(0);
    }
    v.push(t);
}

/// Runs `f` on the tracked statement at `query_desc`, if any. `f` must not
/// call PostgreSQL (a nested statement would track itself meanwhile).
pub fn with_tracked<R>(query_desc: usize, f: impl FnOnce(&mut Tracked) -> R) -> Option<R> {
    st().tracked
        .borrow_mut()
        .iter_mut()
        .find(|x| x.query_desc == query_desc)
        .map(f)
}

/// Stops tracking the statement at `query_desc`, returning it.
pub fn untrack(query_desc: usize) -> Option<Tracked> {
    let mut v = st().tracked.borrow_mut();
    let i = v.iter().position(|x| x.query_desc == query_desc)?;
    Some(v.remove(i))
}

pub fn is_tracked(query_desc: usize) -> bool {
    st().tracked
        .borrow()
        .iter()
        .any(|x| x.query_desc == query_desc)
}

/// Keeps a normalized text until the statement's first execution.
pub fn remember_text(queryid: u64, text: String) {
    let mut m = st().texts.borrow_mut();
    if m.len() >= MAX_TEXTS {
        m.clear();
    }
    m.insert(queryid, text);
}

/// The normalized text kept for `queryid`.
pub fn take_text(queryid: u64) -> Option<String> {
    st().texts.borrow_mut().remove(&queryid)
}
