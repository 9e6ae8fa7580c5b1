//! Workload capture: `sqlxos_capture('on'|'off')` installs or removes a
//! `sqlite3_trace_v2` callback on the connection, which records every
//! statement the connection runs in [`store::Store`]; `sqlxos_workload`
//! ([`vtab`]) shows them, `sqlxos_reset()` forgets them.
//!
//! The callback listens to four events:
//! - `SQLITE_TRACE_STMT`: a statement starts (its row count restarts);
//! - `SQLITE_TRACE_ROW`: one more result row of a statement;
//! - `SQLITE_TRACE_PROFILE`: a statement finished (ran to its end, failed or
//!   was interrupted), with its run time. The rows are the rows it returned,
//!   or for a write the rows it changed (`sqlite3_changes`);
//! - `SQLITE_TRACE_CLOSE`: the connection closes; the recorded entries are
//!   freed then.
//!
//! An interrupted run is recorded like any other, with `interrupted`
//! counted. SQLite (3.40) tells a trace callback nothing about how a
//! statement ended, and `sqlite3_is_interrupted()` only came in 3.41, so
//! the callback asks the parser: while `sqlite3_interrupt()` is in effect,
//! SQLite refuses to compile SQL. But compiling also clears the interrupt
//! when no statement is running, which is the case once the statement that
//! was interrupted has stopped. So when a read-only statement starts, the
//! callback starts a private constant statement (`SELECT 1`, which takes no
//! lock and is not recorded) and keeps it running; when the statement ends, a probe compiled then
//! (never run) fails with `SQLITE_INTERRUPT` if the statement was
//! interrupted, and the private statement is finalized. This covers
//! `sqlite3_interrupt` from another thread, the CLI's Ctrl-C, Python's
//! `Connection.interrupt()` and a progress handler that calls
//! `sqlite3_interrupt` to time a statement out. Not covered: a progress
//! handler that only returns non-zero (SQLite stops the statement without
//! setting the interrupt, and on 3.40 no interface shows how a statement
//! ended), and writes (a running private statement would make `VACUUM`
//! refuse).
//!
//! Statements sqlxos runs itself, and those naming `sqlxos_workload`,
//! `sqlxos_capture`, `sqlxos_reset` or `sqlxos_suggest_indexes`, are not
//! recorded. Only one trace callback exists per connection: turning capture
//! on replaces the CLI's `.trace`/`.timer`-style tracer, if any.

use std::ffi::{c_int, c_uint, c_void, CStr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::ffi;

pub(crate) mod functions;
pub(crate) mod store;
pub(crate) mod vtab;

/// Statements naming these are sqlxos's own and not recorded.
const OWN_NAMES: &[&str] = &[
    "sqlxos_workload",
    "sqlxos_capture",
    "sqlxos_reset",
    "sqlxos_suggest_indexes",
];

/// Per-connection state, shared by the trace callback, the functions and
/// the virtual tables of one connection.
pub(crate) struct ConnState {
    /// The connection (as an address, so the state is `Send`).
    db: usize,
    store: Mutex<store::Store>,
    /// Pending rows per running statement (statement address -> rows).
    rows: Mutex<Vec<(usize, u64)>>,
    /// Whether our callback is installed.
    capturing: AtomicBool,
    /// The `Arc` reference held by the installed callback, as an address.
    trace_ctx: AtomicUsize,
    /// > 0 while sqlxos runs SQL of its own on the connection.
    suppress: AtomicUsize,
    /// Per running read-only statement, the private statement kept running
    /// while it runs (statement address -> private statement address).
    keepers: Mutex<Vec<(usize, usize)>>,
}

impl ConnState {
    pub(crate) fn new(db: *mut ffi::sqlite3) -> Arc<ConnState> {
        Arc::new(ConnState {
            db: db as usize,
            store: Mutex::new(store::Store::default()),
            rows: Mutex::new(Vec::new()),
            capturing: AtomicBool::new(false),
            trace_ctx: AtomicUsize::new(0),
            suppress: AtomicUsize::new(0),
            keepers: Mutex::new(Vec::new()),
        })
    }

    pub(crate) fn db(&self) -> *mut ffi::sqlite3 {
        self.db as *mut ffi::sqlite3
    }

    pub(crate) fn store(&self) -> MutexGuard<'_, store::Store> {
        self.store.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn capturing(&self) -> bool {
        self.capturing.load(Ordering::SeqCst)
    }

    /// Runs `f` with recording suspended (sqlxos's own SQL).
    pub(crate) fn quietly<R>(&self, f: impl FnOnce() -> R) -> R {
        struct Guard<'a>(&'a AtomicUsize);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        self.suppress.fetch_add(1, Ordering::SeqCst);
        let _g = Guard(&self.suppress);
        f()
    }

    /// Installs the trace callback (no-op when installed).
    pub(crate) fn start(self: &Arc<Self>) {
        if self.capturing.swap(true, Ordering::SeqCst) {
            return;
        }
        let ctx = Arc::into_raw(Arc::clone(self));
        self.trace_ctx.store(ctx as usize, Ordering::SeqCst);
        let mask = ffi::SQLITE_TRACE_STMT
            | ffi::SQLITE_TRACE_PROFILE
            | ffi::SQLITE_TRACE_ROW
            | ffi::SQLITE_TRACE_CLOSE;
        // SAFETY: `db` is the live connection this state was made for (we
        // are called from a function or vtab running on it). `ctx` stays
        // valid until `stop` or the CLOSE event releases it.
        unsafe {
            ffi::sqlite3_trace_v2(
                self.db(),
                mask as c_uint,
                Some(on_trace),
                ctx as *mut c_void,
            );
        }
    }

    /// Removes the trace callback (no-op when not installed).
    pub(crate) fn stop(&self) {
        if !self.capturing.swap(false, Ordering::SeqCst) {
            return;
        }
        // SAFETY: as in `start`; clearing the callback first means SQLite
        // holds no pointer to `ctx` when it is released below.
        unsafe {
            ffi::sqlite3_trace_v2(self.db(), 0, None, std::ptr::null_mut());
        }
        self.release_ctx();
        let left: Vec<(usize, usize)> = std::mem::take(&mut *self.keepers());
        for (_, k) in left {
            self.quietly(|| finalize(k as *mut ffi::sqlite3_stmt));
        }
    }

    fn keepers(&self) -> MutexGuard<'_, Vec<(usize, usize)>> {
        self.keepers.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A read-only statement starts (it is running, so compiling does not
    /// clear a pending interrupt): start the private statement that keeps
    /// the interrupt visible until it ends (see the module doc).
    fn keep_interrupt_visible(&self, stmt: *mut ffi::sqlite3_stmt) {
        // SAFETY: a getter on the statement SQLite is starting.
        if unsafe { ffi::sqlite3_stmt_readonly(stmt) } == 0
            || self.keepers().iter().any(|(s, _)| *s == stmt as usize)
        {
            // A write, or a trigger of a statement already kept.
            return;
        }
        let mut keep: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        // SAFETY: one step of a constant statement on the connection
        // calling us; it reads no table and takes no lock. It is finalized
        // in `interrupted`, in `stop`, or at once if it did not start.
        let running = self.quietly(|| unsafe {
            let rc = ffi::sqlite3_prepare_v2(
                self.db(),
                c"SELECT 1".as_ptr(),
                -1,
                &mut keep,
                std::ptr::null_mut(),
            );
            rc == ffi::SQLITE_OK && !keep.is_null() && ffi::sqlite3_step(keep) == ffi::SQLITE_ROW
        });
        if running {
            let mut k = self.keepers();
            if k.len() < 64 {
                k.push((stmt as usize, keep as usize));
                return;
            }
        }
        if !keep.is_null() {
            self.quietly(|| finalize(keep));
        }
    }

    fn release_ctx(&self) {
        let ctx = self.trace_ctx.swap(0, Ordering::SeqCst);
        if ctx != 0 {
            // SAFETY: `ctx` came from `Arc::into_raw` in `start` and is
            // released once (the swap above makes the second call see 0).
            drop(unsafe { Arc::from_raw(ctx as *const ConnState) });
        }
    }

    /// A run starts: forget rows left by an earlier statement at the same
    /// address (one that started before capture was on never reports).
    fn on_start(&self, stmt: usize) {
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        rows.retain(|(s, _)| *s != stmt);
    }

    fn on_row(&self, stmt: usize) {
        let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
        match rows.iter_mut().find(|(s, _)| *s == stmt) {
            Some((_, n)) => *n += 1,
            None => {
                // Statements finalized mid-run never report; keep it bounded.
                if rows.len() >= 1024 {
                    rows.clear();
                }
                rows.push((stmt, 1))
            }
        }
    }

    fn on_profile(&self, stmt: *mut ffi::sqlite3_stmt, ns: i64) {
        // First: it also finalizes the private statement of `stmt`.
        let interrupted = self.interrupted(stmt);
        let returned = {
            let mut rows = self.rows.lock().unwrap_or_else(|p| p.into_inner());
            match rows.iter().position(|(s, _)| *s == stmt as usize) {
                Some(i) => rows.swap_remove(i).1,
                None => 0,
            }
        };
        if self.suppress.load(Ordering::SeqCst) > 0 {
            return;
        }
        // SAFETY: SQLite hands the finishing statement; its SQL text lives
        // as long as the statement.
        let text = unsafe {
            let p = ffi::sqlite3_sql(stmt);
            if p.is_null() {
                return;
            }
            CStr::from_ptr(p).to_string_lossy().into_owned()
        };
        let lower = text.to_ascii_lowercase();
        if OWN_NAMES.iter().any(|n| lower.contains(n)) {
            return;
        }
        // SAFETY: plain getters on the live statement and connection.
        let (readonly, changes) = unsafe {
            (
                ffi::sqlite3_stmt_readonly(stmt) != 0,
                ffi::sqlite3_changes(self.db()),
            )
        };
        let rows = if readonly || returned > 0 {
            returned
        } else {
            u64::try_from(changes).unwrap_or(0)
        };
        self.store()
            .record(&text, ns as f64 / 1e6, rows, interrupted);
    }

    /// Whether `stmt`, ending now, was interrupted: compiling a probe
    /// fails with SQLITE_INTERRUPT while the private statement started
    /// with it keeps the interrupt from being cleared (see the module doc).
    /// Nothing is run. Statements without a private one report false.
    fn interrupted(&self, stmt: *mut ffi::sqlite3_stmt) -> bool {
        let keep = {
            let mut k = self.keepers();
            match k.iter().position(|(s, _)| *s == stmt as usize) {
                Some(i) => k.swap_remove(i).1 as *mut ffi::sqlite3_stmt,
                None => return false,
            }
        };
        let mut probe: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
        // SAFETY: compiling (not stepping) a constant statement on the
        // connection that is calling us; the statement is finalized at once.
        // The error code this leaves in the connection is overwritten by
        // sqlite3_step right after our callback returns.
        let rc = self.quietly(|| unsafe {
            let rc = ffi::sqlite3_prepare_v2(
                self.db(),
                c"SELECT 1 -- sqlxos_capture interrupt probe".as_ptr(),
                -1,
                &mut probe,
                std::ptr::null_mut(),
            );
            if !probe.is_null() {
                ffi::sqlite3_finalize(probe);
            }
            finalize(keep);
            rc
        });
        rc & 0xff == ffi::SQLITE_INTERRUPT
    }

    fn on_close(&self) {
        self.capturing.store(false, Ordering::SeqCst);
        let left: Vec<(usize, usize)> = std::mem::take(&mut *self.keepers());
        for (_, k) in left {
            self.quietly(|| finalize(k as *mut ffi::sqlite3_stmt));
        }
        self.store().reset();
        // The Arc held by the callback is not released here: SQLite may
        // still call the callback while it finishes closing. One empty
        // state per closed connection stays allocated.
    }
}

/// Finalizes a private statement of ours.
fn finalize(stmt: *mut ffi::sqlite3_stmt) {
    // SAFETY: `stmt` is a statement we prepared and no one else holds.
    unsafe {
        ffi::sqlite3_finalize(stmt);
    }
}

/// The `sqlite3_trace_v2` callback.
unsafe extern "C" fn on_trace(
    evt: c_uint,
    ctx: *mut c_void,
    p: *mut c_void,
    x: *mut c_void,
) -> c_int {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        // SAFETY: `ctx` is the `Arc<ConnState>` reference `start` leaked; it
        // is released only after the callback is removed.
        let state = unsafe { &*(ctx as *const ConnState) };
        match evt {
            ffi::SQLITE_TRACE_STMT => {
                state.on_start(p as usize);
                if state.suppress.load(Ordering::SeqCst) == 0 {
                    state.keep_interrupt_visible(p as *mut ffi::sqlite3_stmt);
                }
            }
            ffi::SQLITE_TRACE_ROW => state.on_row(p as usize),
            ffi::SQLITE_TRACE_PROFILE => {
                // SAFETY: for PROFILE, `x` points to the run time in ns.
                let ns = unsafe { *(x as *const i64) };
                state.on_profile(p as *mut ffi::sqlite3_stmt, ns);
            }
            ffi::SQLITE_TRACE_CLOSE => state.on_close(),
            _ => {}
        }
    }));
    0
}
