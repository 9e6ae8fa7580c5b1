//! The backend-local state of the what-if planner.
//!
//! Hypothetical indexes exist only while one sqlxos call plans with them:
//! [`activate`] installs them and returns a guard whose `Drop` removes
//! them, also when an ERROR unwinds through it. Transaction and
//! subtransaction abort callbacks clear them too, as a second line. The
//! state lives in this backend's memory only: other sessions never see it.
//!
//! Within that call the planner hook adds the indexes only while
//! [`Session::target`] is the `Query` being planned (see `hook`), so queries
//! that functions run during planning (constant folding) never see them.

use std::cell::RefCell;

use pgrx::pg_sys;

use super::error::HypoError;
use super::index::HypoIndex;

/// The hypothetical indexes of the running sqlxos planning call.
pub struct Session {
    pub indexes: Vec<HypoIndex>,
    /// The top-level `Query` being planned with the indexes, or null
    /// between planner calls (parsing, EXPLAIN output).
    pub target: *mut pg_sys::Query,
    /// The subtransaction the call runs in: its abort ends the session.
    subxid: pg_sys::SubTransactionId,
}

thread_local! {
    static ACTIVE: RefCell<Option<Session>> = const { RefCell::new(None) };
    /// Every fake OID this backend ever handed out (a handful: they are
    /// reused). Read by the executor guard without any catalog lookup.
    static FAKE_OIDS: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
}

/// Ends the session when dropped (normal return or unwinding ERROR).
#[must_use = "the hypothetical indexes are removed when the guard is dropped"]
pub struct ActiveGuard(());

impl Drop for ActiveGuard {
    fn drop(&mut self) {
        reset();
    }
}

/// Makes `indexes` the hypothetical indexes of this backend until the
/// returned guard is dropped. Refuses to nest: a function evaluated while
/// sqlxos plans cannot start another what-if planning call.
pub fn activate(indexes: Vec<HypoIndex>) -> Result<ActiveGuard, HypoError> {
    // SAFETY: plain read of the current subtransaction id, in a transaction.
    let subxid = unsafe { pg_sys::GetCurrentSubTransactionId() };
    ACTIVE.with(|a| {
        let mut a = a.try_borrow_mut().map_err(|_| nested())?;
        if a.is_some() {
            return Err(nested());
        }
        *a = Some(Session {
            indexes,
            target: std::ptr::null_mut(),
            subxid,
        });
        Ok(ActiveGuard(()))
    })
}

fn nested() -> HypoError {
    HypoError::InvalidArgument(
        "query: sqlxos cannot plan with hypothetical indexes while it is already doing so \
         (a function called during planning asked for it)"
            .into(),
    )
}

/// Ends the session, if any.
pub fn reset() {
    ACTIVE.with(|a| {
        if let Ok(mut a) = a.try_borrow_mut() {
            *a = None;
        }
    });
}

/// Whether hypothetical indexes are installed (true only inside a sqlxos
/// planning call).
pub fn is_active() -> bool {
    with_active(|_| ()).is_some()
}

/// Sets (or, with null, clears) the `Query` being planned.
pub(crate) fn set_target(q: *mut pg_sys::Query) {
    ACTIVE.with(|a| {
        if let Ok(mut a) = a.try_borrow_mut() {
            if let Some(s) = a.as_mut() {
                s.target = q;
            }
        }
    });
}

/// Runs `f` on the session, if one is active (and not already borrowed:
/// a re-entrant hook call sees no hypothetical indexes, the safe answer).
pub(crate) fn with_active<R>(f: impl FnOnce(&Session) -> R) -> Option<R> {
    ACTIVE.with(|a| match a.try_borrow() {
        Ok(a) => a.as_ref().map(f),
        Err(_) => None,
    })
}

/// Whether `oid` was ever handed out as a hypothetical index OID here.
pub fn is_fake_oid(oid: pg_sys::Oid) -> bool {
    FAKE_OIDS.with(|f| f.borrow().binary_search(&u32::from(oid)).is_ok())
}

/// Whether this backend ever handed out a fake OID (if not, no plan can
/// name one and the executor guard has nothing to check).
pub fn any_fake_oids() -> bool {
    FAKE_OIDS.with(|f| !f.borrow().is_empty())
}

/// `n` OIDs that no relation has or can ever have, for hypothetical indexes.
///
/// They are taken downwards from `FirstNormalObjectId - 1` (16383), skipping
/// any that a relation created by initdb uses. OIDs below
/// `FirstNormalObjectId` are only assigned by initdb: once the server runs,
/// the OID counter never goes below it, so no relation created later can
/// take one. The same OIDs are reused by every call (no OID is consumed,
/// which also works on a hot standby).
pub(crate) fn fake_oids(n: usize) -> Result<Vec<pg_sys::Oid>, HypoError> {
    let mut out = Vec::with_capacity(n);
    let mut candidate = pg_sys::FirstNormalObjectId - 1;
    while out.len() < n {
        if candidate < pg_sys::FirstUnpinnedObjectId {
            return Err(HypoError::InvalidArgument(
                "index_ddl: too many hypothetical indexes".into(),
            ));
        }
        let oid = pg_sys::Oid::from(candidate);
        // SAFETY: a syscache probe by OID, in a transaction.
        let taken = unsafe {
            pg_sys::SearchSysCacheExists(
                pg_sys::SysCacheIdentifier::RELOID as i32,
                pg_sys::Datum::from(oid),
                pg_sys::Datum::from(0),
                pg_sys::Datum::from(0),
                pg_sys::Datum::from(0),
            )
        };
        if !taken {
            out.push(oid);
        }
        candidate -= 1;
    }
    FAKE_OIDS.with(|f| {
        let mut f = f.borrow_mut();
        f.extend(out.iter().map(|o| u32::from(*o)));
        f.sort_unstable();
        f.dedup();
    });
    Ok(out)
}

/// Registers the abort callbacks that clear the session.
///
/// # Safety
/// Call once per process, from `_PG_init`.
pub(crate) unsafe fn install_callbacks() {
    // SAFETY: registering static callbacks with a null argument, as
    // extensions do from _PG_init; they live as long as the process.
    unsafe {
        pg_sys::RegisterXactCallback(Some(xact_callback), std::ptr::null_mut());
        pg_sys::RegisterSubXactCallback(Some(subxact_callback), std::ptr::null_mut());
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn xact_callback(
    event: pg_sys::XactEvent::Type,
    _arg: *mut std::ffi::c_void,
) {
    if event == pg_sys::XactEvent::XACT_EVENT_ABORT
        || event == pg_sys::XactEvent::XACT_EVENT_PARALLEL_ABORT
    {
        reset();
    }
}

#[pgrx::pg_guard]
unsafe extern "C-unwind" fn subxact_callback(
    event: pg_sys::SubXactEvent::Type,
    my_subid: pg_sys::SubTransactionId,
    _parent: pg_sys::SubTransactionId,
    _arg: *mut std::ffi::c_void,
) {
    // Only the abort of the subtransaction the session started in (or of an
    // enclosing one) ends it; a function's own subtransaction aborting
    // during planning does not.
    if event == pg_sys::SubXactEvent::SUBXACT_EVENT_ABORT_SUB
        && with_active(|s| my_subid <= s.subxid).unwrap_or(false)
    {
        reset();
    }
}

/// Test only: keeps hypothetical indexes on for every planner call until
/// the guard drops, to prove that the executor guard stops their plans.
#[cfg(any(test, feature = "pg_test"))]
pub(crate) fn activate_everywhere_for_test(indexes: Vec<HypoIndex>) -> ActiveGuard {
    let g = activate(indexes).expect("not nested");
    set_target(EVERYWHERE);
    g
}

/// A target that matches every planner call (tests only).
#[cfg(any(test, feature = "pg_test"))]
pub(crate) const EVERYWHERE: *mut pg_sys::Query = usize::MAX as *mut pg_sys::Query;
