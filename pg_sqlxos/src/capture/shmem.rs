//! The workload in shared memory: a PostgreSQL shared hash table (dynahash,
//! as `pg_stat_statements` uses) of fixed-size [`Entry`]s keyed by
//! (database, user, query id), sized by `sqlxos.max_queries` at server start.
//!
//! Layout: one [`Header`] (`ShmemInitStruct("sqlxos workload header")`: the
//! LWLock and counters) and the hash table `sqlxos workload` of
//! `max_queries` entries, each about 3 KB: counters, up to [`MAX_PREDS`]
//! predicates, a plan summary of up to [`MAX_PLAN_NODES`] nodes and the
//! normalized text in a fixed [`TEXT_LEN`]-byte buffer (longer text is cut
//! on a character boundary and ends with [`TRUNCATED_MARK`]). Nothing grows:
//! memory is fixed at start, whatever the number of distinct statements.
//!
//! Locking: the LWLock `sqlxos` in shared mode to find an entry and update
//! it (its counters under a per-entry spinlock, a Rust atomic flag held for
//! a few instructions and never across a PostgreSQL call), in exclusive
//! mode to insert, evict and reset.
//!
//! The hot path (an execution of a statement already in the workload) takes
//! the lock once, in shared mode, and calls the lock and hash functions
//! directly rather than through pgrx's FFI guard (a `sigsetjmp` per call):
//! they raise no ERROR in these uses (see [`raw`]).
//!
//! A generation counter, bumped by every eviction and reset, lets backends
//! remember which statements have an entry without asking under the lock
//! each time (see `state::known`).
//!
//! Eviction: when the table is full, the 5% entries (at least one) with the
//! lowest usage score are removed in one pass. Each execution adds its time
//! in ms plus 1 to the entry's score, and every eviction pass ages all scores
//! by 0.99: the advisor keeps the statements that cost the most time lately,
//! and frequent cheap statements still earn a place.

use std::ffi::c_void;
use std::mem::size_of;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use pgrx::pg_sys;

/// Bytes of normalized text kept per entry.
pub const TEXT_LEN: usize = 2048;
/// Ends a text cut at [`TEXT_LEN`] bytes.
pub const TRUNCATED_MARK: &str = " /* sqlxos: truncated */";
/// Predicates kept per entry.
pub const MAX_PREDS: usize = 32;
/// Plan nodes kept per entry (pre-order from the top).
pub const MAX_PLAN_NODES: usize = 16;
/// Bytes of a plan node's type name (`IndexOnlyScan`, ...).
pub const NODE_NAME_LEN: usize = 22;

const LOCK_NAME: &std::ffi::CStr = c"sqlxos";
const HEADER_NAME: &std::ffi::CStr = c"sqlxos workload header";
const HASH_NAME: &std::ffi::CStr = c"sqlxos workload";

/// The hash key: padding-free, hashed as bytes (`HASH_BLOBS`).
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Key {
    pub dbid: pg_sys::Oid,
    pub userid: pg_sys::Oid,
    pub queryid: u64,
}

/// Where a predicate column was seen.
#[repr(u8)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// A scan filter or index condition against a constant or parameter.
    Filter = 0,
    /// A join condition, or a condition against a value from another
    /// relation (nested-loop parameters, correlated subqueries).
    Join = 1,
    /// A sort key (ORDER BY, merge input).
    Sort = 2,
    /// A grouping key.
    Group = 3,
}

/// The operator class of a predicate.
#[repr(u8)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Op {
    Eq = 0,
    Range = 1,
    In = 2,
    Like = 3,
    IsNull = 4,
    Other = 5,
    /// For sort and group keys.
    Key = 6,
}

/// A predicate column, as stored: 8 bytes.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Pred {
    pub relid: pg_sys::Oid,
    pub attnum: i16,
    pub op: Op,
    pub kind: Kind,
}

/// One plan node of the summary.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct PlanNode {
    pub name: [u8; NODE_NAME_LEN],
    pub depth: u8,
    /// The planner's row estimate (per loop).
    pub est_rows: f64,
    /// Rows per loop actually produced, -1 when not measured.
    pub actual_rows: f64,
    /// Loops run.
    pub loops: f64,
}

impl PlanNode {
    pub fn name(&self) -> &str {
        let end = self
            .name
            .iter()
            .position(|&b| b == 0)
            .unwrap_or(NODE_NAME_LEN);
        std::str::from_utf8(&self.name[..end]).unwrap_or("?")
    }
}

/// The counters of an entry, updated under its spinlock.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    pub calls: i64,
    pub cancelled: i64,
    pub failed: i64,
    pub total_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    pub mean_ms: f64,
    /// Sum of squared differences from the mean (Welford).
    pub m2: f64,
    pub rows: i64,
    pub usage: f64,
}

impl Counters {
    pub fn stddev_ms(&self) -> f64 {
        if self.calls > 1 {
            (self.m2 / self.calls as f64).sqrt()
        } else {
            0.0
        }
    }
}

/// A shared hash table entry. `key` must come first (dynahash).
#[repr(C)]
pub struct Entry {
    pub key: Key,
    spin: AtomicBool,
    pub counters: Counters,
    pub n_preds: u8,
    pub n_plan: u8,
    pub text_len: u16,
    pub preds: [Pred; MAX_PREDS],
    pub plan: [PlanNode; MAX_PLAN_NODES],
    pub text: [u8; TEXT_LEN],
}

/// How an execution ended.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Outcome {
    Finished,
    /// Cancelled by statement_timeout or the user (SQLSTATE 57014).
    Cancelled,
    /// Any other ERROR.
    Failed,
}

/// One execution to record.
pub struct Sample<'a> {
    pub key: Key,
    pub elapsed_ms: f64,
    pub rows: u64,
    pub outcome: Outcome,
    pub preds: &'a [Pred],
    pub plan: &'a [PlanNode],
}

#[repr(C)]
struct Header {
    lock: *mut pg_sys::LWLock,
    max: i64,
    evictions: AtomicU64,
    /// Bumped after entries are removed (eviction, reset).
    generation: AtomicU64,
}

/// PostgreSQL functions called without pgrx's FFI guard, on the hot path.
/// Each raises no ERROR in the way it is used here: `LWLockAcquire` only
/// when a backend holds over 200 LWLocks (we hold at most this one),
/// `LWLockRelease` only for a lock not held (we release only what
/// [`Locked`] acquired), `hash_search` with `HASH_FIND` never.
mod raw {
    use pgrx::pg_sys;
    use std::ffi::c_void;

    unsafe extern "C-unwind" {
        pub fn LWLockAcquire(lock: *mut pg_sys::LWLock, mode: pg_sys::LWLockMode::Type) -> bool;
        pub fn LWLockRelease(lock: *mut pg_sys::LWLock);
        pub fn hash_search(
            hashp: *mut pg_sys::HTAB,
            key: *const c_void,
            action: pg_sys::HASHACTION::Type,
            found: *mut bool,
        ) -> *mut c_void;
    }
}

static mut HEADER: *mut Header = std::ptr::null_mut();
static mut HASH: *mut pg_sys::HTAB = std::ptr::null_mut();
static mut PREV_SHMEM_REQUEST_HOOK: pg_sys::shmem_request_hook_type = None;
static mut PREV_SHMEM_STARTUP_HOOK: pg_sys::shmem_startup_hook_type = None;

fn max_entries() -> i64 {
    i64::from(crate::gucs::max_queries().max(10))
}

fn shmem_size() -> usize {
    let n = max_entries();
    // SAFETY: a pure size computation (it can ERROR only on overflow, far
    // beyond max_queries' bound).
    unsafe {
        pg_sys::add_size(
            size_of::<Header>(),
            pg_sys::hash_estimate_size(n as _, size_of::<Entry>()),
        )
    }
}

/// Installs the shared-memory request and startup hooks.
///
/// # Safety
/// Call only from `_PG_init` while shared_preload_libraries is processed.
pub unsafe fn install() {
    // SAFETY: _PG_init runs single-threaded in the postmaster; we save the
    // previous hooks and chain them.
    unsafe {
        PREV_SHMEM_REQUEST_HOOK = pg_sys::shmem_request_hook;
        pg_sys::shmem_request_hook = Some(shmem_request);
        PREV_SHMEM_STARTUP_HOOK = pg_sys::shmem_startup_hook;
        pg_sys::shmem_startup_hook = Some(shmem_startup);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn shmem_request() {
    // SAFETY: the previous hook is a valid function installed before ours;
    // the request functions are legal in shmem_request_hook.
    unsafe {
        if let Some(prev) = PREV_SHMEM_REQUEST_HOOK {
            pg_sys::submodules::ffi::pg_guard_ffi_boundary(|| prev());
        }
        pg_sys::RequestAddinShmemSpace(shmem_size());
        pg_sys::RequestNamedLWLockTranche(LOCK_NAME.as_ptr(), 1);
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn shmem_startup() {
    // SAFETY: shmem_startup_hook runs with the shared memory set up; the
    // AddinShmemInitLock serializes our initialization with other backends
    // (EXEC_BACKEND) as the PostgreSQL documentation prescribes.
    unsafe {
        if let Some(prev) = PREV_SHMEM_STARTUP_HOOK {
            pg_sys::submodules::ffi::pg_guard_ffi_boundary(|| prev());
        }
        let init_lock = &raw mut (*pg_sys::MainLWLockArray.add(21)).lock;
        pg_sys::LWLockAcquire(init_lock, pg_sys::LWLockMode::LW_EXCLUSIVE);
        let mut found = false;
        let header = pg_sys::ShmemInitStruct(HEADER_NAME.as_ptr(), size_of::<Header>(), &mut found)
            .cast::<Header>();
        if !found {
            header.write(Header {
                lock: &raw mut (*pg_sys::GetNamedLWLockTranche(LOCK_NAME.as_ptr())).lock,
                max: max_entries(),
                evictions: AtomicU64::new(0),
                generation: AtomicU64::new(0),
            });
        }
        let mut ctl: pg_sys::HASHCTL = std::mem::zeroed();
        ctl.keysize = size_of::<Key>();
        ctl.entrysize = size_of::<Entry>();
        let n = (*header).max;
        HASH = pg_sys::ShmemInitHash(
            HASH_NAME.as_ptr(),
            n as _,
            n as _,
            &mut ctl,
            (pg_sys::HASH_ELEM | pg_sys::HASH_BLOBS) as _,
        );
        HEADER = header;
        pg_sys::LWLockRelease(init_lock);
    }
}

/// Whether the shared memory is there (sqlxos was preloaded).
pub fn ready() -> bool {
    // SAFETY: plain reads of pointers set once at startup, inherited by fork.
    unsafe { !HEADER.is_null() && !HASH.is_null() }
}

/// Holds the workload LWLock; released on drop, also while unwinding.
struct Locked(*mut pg_sys::LWLock);

impl Locked {
    fn new(exclusive: bool) -> Self {
        // SAFETY: ready() was checked by every caller; the lock pointer is
        // valid for the life of the server.
        unsafe {
            let lock = (*HEADER).lock;
            let mode = if exclusive {
                pg_sys::LWLockMode::LW_EXCLUSIVE
            } else {
                pg_sys::LWLockMode::LW_SHARED
            };
            raw::LWLockAcquire(lock, mode);
            Locked(lock)
        }
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        // SAFETY: we hold this lock (acquired in new).
        unsafe { raw::LWLockRelease(self.0) };
    }
}

/// Finds an entry; the caller holds the lock.
fn find(key: &Key) -> *mut Entry {
    // SAFETY: HASH is a valid shared table with keys of size_of::<Key>();
    // HASH_FIND never allocates nor raises an ERROR.
    unsafe {
        raw::hash_search(
            HASH,
            (key as *const Key).cast::<c_void>(),
            pg_sys::HASHACTION::HASH_FIND,
            std::ptr::null_mut(),
        )
        .cast::<Entry>()
    }
}

/// Runs `f` with an entry's spinlock held. `f` must not call PostgreSQL.
fn with_spin<R>(spin: &AtomicBool, f: impl FnOnce() -> R) -> R {
    while spin
        .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
        .is_err()
    {
        std::hint::spin_loop();
    }
    let r = f();
    spin.store(false, Ordering::Release);
    r
}

/// Whether an entry exists for `key` (to skip normalizing known text).
pub fn exists(key: &Key) -> bool {
    if !ready() {
        return false;
    }
    let _l = Locked::new(false);
    !find(key).is_null()
}

/// The workload's generation: changes whenever entries are removed.
pub fn generation() -> u64 {
    if !ready() {
        return 0;
    }
    // SAFETY: HEADER is valid once ready().
    unsafe { (*HEADER).generation.load(Ordering::Acquire) }
}

/// Records one execution; `text` gives the normalized text when the entry
/// has to be created. Returns whether the entry is there (it is not when
/// the shared hash table is out of memory).
pub fn record(s: &Sample<'_>, text: impl FnOnce() -> String) -> bool {
    if !ready() {
        return false;
    }
    {
        let _l = Locked::new(false);
        let e = find(&s.key);
        if !e.is_null() {
            // SAFETY: the entry stays while we hold the lock in shared mode
            // (removal needs it exclusive); counters are changed under its spinlock.
            unsafe { update(e, s) };
            return true;
        }
    }
    let text = text();
    let _l = Locked::new(true);
    let mut e = find(&s.key);
    if e.is_null() {
        // SAFETY: HASH and HEADER are valid; we hold the lock exclusively.
        unsafe {
            if pg_sys::hash_get_num_entries(HASH) as i64 >= (*HEADER).max {
                evict();
            }
            let mut found = false;
            e = pg_sys::hash_search(
                HASH,
                (&s.key as *const Key).cast::<c_void>(),
                pg_sys::HASHACTION::HASH_ENTER_NULL,
                &mut found,
            )
            .cast::<Entry>();
            if e.is_null() {
                return false;
            }
            init_entry(e, &text);
        }
    }
    // SAFETY: as above, under the exclusive lock.
    unsafe { update(e, s) };
    true
}

/// # Safety
/// `e` is a fresh entry from HASH_ENTER with its key set; the lock is held
/// exclusively.
unsafe fn init_entry(e: *mut Entry, text: &str) {
    // SAFETY: the entry has room for a whole Entry; everything after the key
    // is written here before anyone reads it (readers need the lock).
    unsafe {
        (&raw mut (*e).spin).write(AtomicBool::new(false));
        (&raw mut (*e).counters).write(Counters::default());
        (*e).n_preds = 0;
        (*e).n_plan = 0;
        let t = truncate_text(text);
        let bytes = t.as_bytes();
        (&raw mut (*e).text)
            .cast::<u8>()
            .copy_from_nonoverlapping(bytes.as_ptr(), bytes.len());
        (*e).text_len = bytes.len() as u16;
    }
}

/// Cuts `text` to at most [`TEXT_LEN`] bytes on a character boundary, with
/// [`TRUNCATED_MARK`] at the end when cut.
pub fn truncate_text(text: &str) -> std::borrow::Cow<'_, str> {
    if text.len() <= TEXT_LEN {
        return text.into();
    }
    let mut cut = TEXT_LEN - TRUNCATED_MARK.len();
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}{TRUNCATED_MARK}", &text[..cut]).into()
}

/// # Safety
/// `e` is a live, initialized entry and the lock is held (any mode).
unsafe fn update(e: *mut Entry, s: &Sample<'_>) {
    // SAFETY: the entry is live (caller). Its fields other than the atomic
    // flag are only touched with the flag held, through field references
    // that do not overlap it.
    unsafe {
        let spin = &(*e).spin;
        let c = &mut (*e).counters;
        let n_preds = &mut (*e).n_preds;
        let preds = &mut (*e).preds;
        let n_plan = &mut (*e).n_plan;
        let plan = &mut (*e).plan;
        with_spin(spin, || {
            add_sample(c, s);
            for p in s.preds {
                let n = *n_preds as usize;
                if n < MAX_PREDS && !preds[..n].contains(p) {
                    preds[n] = *p;
                    *n_preds += 1;
                }
            }
            if !s.plan.is_empty() {
                let n = s.plan.len().min(MAX_PLAN_NODES);
                plan[..n].copy_from_slice(&s.plan[..n]);
                *n_plan = n as u8;
            }
        });
    }
}

/// Adds one execution to the counters (Welford's mean and variance).
fn add_sample(c: &mut Counters, s: &Sample<'_>) {
    let x = s.elapsed_ms.max(0.0);
    c.calls += 1;
    match s.outcome {
        Outcome::Finished => {}
        Outcome::Cancelled => c.cancelled += 1,
        Outcome::Failed => c.failed += 1,
    }
    if c.calls == 1 {
        c.min_ms = x;
        c.max_ms = x;
    } else {
        c.min_ms = c.min_ms.min(x);
        c.max_ms = c.max_ms.max(x);
    }
    let delta = x - c.mean_ms;
    c.mean_ms += delta / c.calls as f64;
    c.m2 += delta * (x - c.mean_ms);
    c.total_ms += x;
    c.rows = c
        .rows
        .saturating_add(i64::try_from(s.rows).unwrap_or(i64::MAX));
    c.usage += x + 1.0;
}

/// Removes the least useful entries. The lock is held exclusively.
///
/// # Safety
/// Call with the workload lock held in exclusive mode.
unsafe fn evict() {
    let mut scores: Vec<(f64, Key)> = Vec::new();
    // SAFETY: exclusive lock held: no one else touches the entries; a full
    // sequential scan (run to its end) needs no hash_seq_term.
    unsafe {
        let mut status: pg_sys::HASH_SEQ_STATUS = std::mem::zeroed();
        pg_sys::hash_seq_init(&mut status, HASH);
        loop {
            let e = pg_sys::hash_seq_search(&mut status).cast::<Entry>();
            if e.is_null() {
                break;
            }
            (*e).counters.usage *= 0.99;
            scores.push(((*e).counters.usage, (*e).key));
        }
        scores.sort_by(|a, b| a.0.total_cmp(&b.0));
        let n = (scores.len() / 20).max(1);
        for (_, key) in scores.iter().take(n) {
            pg_sys::hash_search(
                HASH,
                (key as *const Key).cast::<c_void>(),
                pg_sys::HASHACTION::HASH_REMOVE,
                std::ptr::null_mut(),
            );
        }
        (*HEADER).evictions.fetch_add(n as u64, Ordering::Relaxed);
        (*HEADER).generation.fetch_add(1, Ordering::Release);
    }
}

/// Removes every entry of database `dbid`; returns how many.
pub fn reset(dbid: pg_sys::Oid) -> i64 {
    if !ready() {
        return 0;
    }
    let _l = Locked::new(true);
    let mut keys = Vec::new();
    // SAFETY: exclusive lock held; we collect keys first and remove after the
    // scan has ended.
    unsafe {
        let mut status: pg_sys::HASH_SEQ_STATUS = std::mem::zeroed();
        pg_sys::hash_seq_init(&mut status, HASH);
        loop {
            let e = pg_sys::hash_seq_search(&mut status).cast::<Entry>();
            if e.is_null() {
                break;
            }
            if (*e).key.dbid == dbid {
                keys.push((*e).key);
            }
        }
        for key in &keys {
            pg_sys::hash_search(
                HASH,
                (key as *const Key).cast::<c_void>(),
                pg_sys::HASHACTION::HASH_REMOVE,
                std::ptr::null_mut(),
            );
        }
        (*HEADER).generation.fetch_add(1, Ordering::Release);
    }
    keys.len() as i64
}

/// A copy of one entry, taken under the lock.
#[derive(Clone, Debug)]
pub struct EntryCopy {
    pub key: Key,
    pub counters: Counters,
    pub preds: Vec<Pred>,
    pub plan: Vec<PlanNode>,
    pub text: String,
}

/// Copies the entries `keep` accepts.
pub fn read(mut keep: impl FnMut(&Key) -> bool) -> Vec<EntryCopy> {
    if !ready() {
        return Vec::new();
    }
    let _l = Locked::new(false);
    let mut out = Vec::new();
    // SAFETY: shared lock held: entries are neither added nor removed; their
    // counters are copied under the spinlock, the text is immutable.
    unsafe {
        let mut status: pg_sys::HASH_SEQ_STATUS = std::mem::zeroed();
        pg_sys::hash_seq_init(&mut status, HASH);
        loop {
            let e = pg_sys::hash_seq_search(&mut status).cast::<Entry>();
            if e.is_null() {
                break;
            }
            let e = &*e;
            if !keep(&e.key) {
                continue;
            }
            let (counters, preds, plan) = with_spin(&e.spin, || {
                (
                    e.counters,
                    e.preds[..e.n_preds as usize].to_vec(),
                    e.plan[..e.n_plan as usize].to_vec(),
                )
            });
            let text = String::from_utf8_lossy(&e.text[..e.text_len as usize]).into_owned();
            out.push(EntryCopy {
                key: e.key,
                counters,
                preds,
                plan,
                text,
            });
        }
    }
    out
}

/// How many entries eviction has removed since server start.
#[allow(dead_code)] // read by the eviction tests and the coming advisor
pub fn evictions() -> u64 {
    if !ready() {
        return 0;
    }
    // SAFETY: HEADER is valid once ready().
    unsafe { (*HEADER).evictions.load(Ordering::Relaxed) }
}
