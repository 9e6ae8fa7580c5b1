//! sqlxos for SQLite: a loadable extension.
//!
//! ```sql
//! .load ./libsqlxos                                   -- sqlite3 CLI
//! SELECT sqlxos_mask_inner('This is a string', 5, 1); -- This XXXXXXXXXXg
//! ```
//!
//! Cargo builds `libsqlxos_sqlite.so` (the PostgreSQL extension's library is
//! `libsqlxos.so` in the same target directory, as pgrx requires the library
//! to be named after the extension); it is installed as `libsqlxos.so`.
//! SQLite derives the entry point from the file name (`libsqlxos` ->
//! `sqlite3_sqlxos_init`), so no entry-point argument is needed; the build
//! output loads as it is too (`libsqlxos_sqlite` -> `sqlite3_sqlxossqlite_init`). The adapter is thin: it registers every entry of
//! [`sqlxos_core::functions::all`] as `sqlxos_<name>` ([`register`]),
//! converts values ([`convert`]) and maps errors once ([`error`]).

use std::os::raw::{c_char, c_int};

use rusqlite::{ffi, Connection};

mod advice;
mod capture;
mod convert;
mod error;
mod register;

/// Entry point SQLite calls for `.load ./libsqlxos` and
/// `load_extension('./libsqlxos')`.
///
/// Only this name is exported, not the legacy fallback
/// `sqlite3_extension_init`: SQLite's file-name rule finds this one for
/// `libsqlxos.so` and `sqlxos.so`, a renamed file can still be loaded by
/// naming the entry point (`.load ./other sqlite3_sqlxos_init`), and a generic
/// symbol exported from a library SQLite opens with `RTLD_GLOBAL` is one more
/// way to collide with another extension for no gain.
///
/// # Safety
///
/// Must only be called by SQLite's extension loader, with a valid connection
/// handle, a valid error-message out-pointer and the API routine table SQLite
/// hands to loadable extensions.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_sqlxos_init(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    p_api: *mut ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: SQLite calls this entry point with the three pointers it
    // documents for loadable extensions; `extension_init2` checks `p_api` for
    // NULL, installs the API table and wraps `db` in a non-owning Connection
    // (it is not closed when dropped). `init` only registers functions.
    unsafe { Connection::extension_init2(db, pz_err_msg, p_api, init) }
}

/// The same entry point under the name SQLite derives for the file cargo
/// builds, `libsqlxos_sqlite.so`, so it loads before being renamed.
///
/// # Safety
///
/// As for [`sqlite3_sqlxos_init`].
#[no_mangle]
pub unsafe extern "C" fn sqlite3_sqlxossqlite_init(
    db: *mut ffi::sqlite3,
    pz_err_msg: *mut *mut c_char,
    p_api: *mut ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: the caller upholds sqlite3_sqlxos_init's contract.
    unsafe { sqlite3_sqlxos_init(db, pz_err_msg, p_api) }
}

/// Registers every function on the connection. Returns `Ok(true)`: the
/// library stays loaded after the connection closes
/// (`SQLITE_OK_LOAD_PERMANENTLY`), so code that Rust thread-locals (the
/// generators' RNG) run at thread exit is never unmapped under them.
fn init(db: Connection) -> rusqlite::Result<bool> {
    register::register_all(&db)?;
    // SAFETY: only the address is kept; the state lives in the connection's
    // function and module registrations and dies with the connection.
    let state = capture::ConnState::new(unsafe { db.handle() });
    capture::functions::register(&db, &state)?;
    capture::vtab::register(&db, &state)?;
    advice::vtab::register(&db, &state)?;
    Ok(true)
}
