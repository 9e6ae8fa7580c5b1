//! The one generic UDF behind every exported name.
//!
//! For each SQL name, [`udf!`] exports three C functions: `<name>_init`,
//! `<name>` and `<name>_deinit`; they call [`init`], [`row_string`] (or
//! [`row_integer`], [`row_real`]) and [`deinit`] here with the table name of
//! the function. Each entry point:
//! - runs inside [`std::panic::catch_unwind`]: a panic becomes an error
//!   (`_init`) or NULL with the error flag (rows), never an unwind into C;
//! - reports a core [`Error`] by its `Display` text in `_init`, where MariaDB
//!   shows it (`Can't initialize function 'sqlxos_mask_inner'; <text>`,
//!   with at most 80 bytes of `<text>`: the server's format says `%-.80s`);
//! - reports a per-row error by returning NULL for that row only. A UDF has
//!   no per-row message channel; the error flag (`*error = 1`) is not used,
//!   because MariaDB then stops calling the UDF for the rest of the
//!   statement and every later row would be NULL too, good rows included.

use std::ffi::{c_char, c_longlong, c_uchar, c_ulong};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use sqlxos_core::functions::{self, FnSpec};
use sqlxos_core::{Error, Value};

use crate::args;
use crate::ffi::{MyBool, ERRMSG_SIZE, MAX_BLOB_WIDTH, RESULT_BUFFER, UDF_ARGS, UDF_INIT};
use crate::names::UdfReturn;

/// Exports `<sym>_init`, `<sym>` and `<sym>_deinit` running table function
/// `<base>`; `build.rs` writes one line per SQL name, e.g.
/// `udf!(string, "mask_inner", "sqlxos_mask_inner");`.
macro_rules! udf {
    (string, $base:literal, $sym:literal) => {
        $crate::udf::udf!(@common String, $base, $sym);
        const _: () = {
            #[export_name = $sym]
            unsafe extern "C" fn row(
                initid: *mut $crate::ffi::UDF_INIT,
                args: *mut $crate::ffi::UDF_ARGS,
                result: *mut ::std::ffi::c_char,
                length: *mut ::std::ffi::c_ulong,
                is_null: *mut ::std::ffi::c_uchar,
                error: *mut ::std::ffi::c_uchar,
            ) -> *mut ::std::ffi::c_char {
                // SAFETY: the server calls `<name>` with the arguments of a
                // STRING UDF after a successful `<name>_init`.
                unsafe { $crate::udf::row_string(initid, args, result, length, is_null, error) }
            }
        };
    };
    (integer, $base:literal, $sym:literal) => {
        $crate::udf::udf!(@common Integer, $base, $sym);
        const _: () = {
            #[export_name = $sym]
            unsafe extern "C" fn row(
                initid: *mut $crate::ffi::UDF_INIT,
                args: *mut $crate::ffi::UDF_ARGS,
                is_null: *mut ::std::ffi::c_uchar,
                error: *mut ::std::ffi::c_uchar,
            ) -> ::std::ffi::c_longlong {
                // SAFETY: the server calls `<name>` with the arguments of an
                // INTEGER UDF after a successful `<name>_init`.
                unsafe { $crate::udf::row_integer(initid, args, is_null, error) }
            }
        };
    };
    (real, $base:literal, $sym:literal) => {
        $crate::udf::udf!(@common Real, $base, $sym);
        const _: () = {
            #[export_name = $sym]
            unsafe extern "C" fn row(
                initid: *mut $crate::ffi::UDF_INIT,
                args: *mut $crate::ffi::UDF_ARGS,
                is_null: *mut ::std::ffi::c_uchar,
                error: *mut ::std::ffi::c_uchar,
            ) -> f64 {
                // SAFETY: the server calls `<name>` with the arguments of a
                // REAL UDF after a successful `<name>_init`.
                unsafe { $crate::udf::row_real(initid, args, is_null, error) }
            }
        };
    };
    (@common $ret:ident, $base:literal, $sym:literal) => {
        const _: () = {
            #[export_name = concat!($sym, "_init")]
            unsafe extern "C" fn init(
                initid: *mut $crate::ffi::UDF_INIT,
                args: *mut $crate::ffi::UDF_ARGS,
                message: *mut ::std::ffi::c_char,
            ) -> $crate::ffi::MyBool {
                // SAFETY: the server calls `<name>_init` once per use of the
                // function in a statement, with valid pointers.
                unsafe { $crate::udf::init($base, $crate::names::UdfReturn::$ret, initid, args, message) }
            }

            #[export_name = concat!($sym, "_deinit")]
            unsafe extern "C" fn deinit(initid: *mut $crate::ffi::UDF_INIT) {
                // SAFETY: the server calls `<name>_deinit` once, after a
                // successful `<name>_init`, with the same `initid`.
                unsafe { $crate::udf::deinit(initid) }
            }
        };
    };
}
pub(crate) use udf;

/// What one use of a function keeps between rows, in `initid->ptr`.
struct State {
    spec: &'static FnSpec,
    /// The result of the last row when it does not fit `result`; the
    /// server reads it before the next call, and `_deinit` frees it.
    out: Vec<u8>,
}

/// `<name>_init`: checks arity, validates constant arguments by running the
/// function once, states the result's properties and allocates [`State`].
/// Returns 0 on success, or 1 with a NUL-terminated `message`.
///
/// # Safety
/// `initid`, `args` and `message` must be what the server passes to a UDF's
/// `_init`: valid, exclusive for the call, `message` at least
/// [`ERRMSG_SIZE`] bytes.
pub unsafe fn init(
    base: &str,
    ret: UdfReturn,
    initid: *mut UDF_INIT,
    args: *mut UDF_ARGS,
    message: *mut c_char,
) -> MyBool {
    let outcome = guard(base, || {
        let spec = functions::find(base).ok_or_else(|| Error::UnknownFunction(base.into()))?;
        // SAFETY: `args` is valid and not written by anyone else during the
        // call (caller).
        let args = unsafe { &*args };
        functions::check_arity(spec, args.arg_count as usize)?;
        // Constant arguments are known now: run the function once so a bad
        // argument fails the statement with its message, before any row.
        let all_given = (0..args.arg_count as usize)
            // SAFETY: `i < arg_count` (caller's `args` contract).
            .all(|i| unsafe { args::is_given(args, i) });
        if all_given {
            // SAFETY: as above; arity is checked.
            let values = unsafe { args::values(spec, args) }?;
            functions::call(spec, &values)?;
        } else {
            // Still reject constant text that is not UTF-8 up front.
            for i in 0..args.arg_count as usize {
                // SAFETY: as above.
                unsafe { args::value(spec, args, i) }?;
            }
        }

        // SAFETY: `initid` is valid and exclusive for the call (caller).
        let initid = unsafe { &mut *initid };
        // NULL in gives NULL out, and a per-row error gives NULL.
        initid.maybe_null = 1;
        if !spec.deterministic {
            // Generators: a new value on every call, even with constant
            // arguments, so the server must not treat the call as a
            // constant (evaluate it once, drop it from ORDER BY).
            initid.const_item = 0;
        }
        match ret {
            // The core does not bound the length of text results (a
            // generator's size is an argument), and MariaDB cuts values to
            // `max_length` when it stores them in a temporary table or by
            // CREATE TABLE ... AS SELECT; so declare the largest width, as
            // LONGTEXT functions do.
            UdfReturn::String => initid.max_length = MAX_BLOB_WIDTH,
            // "-9223372036854775808"
            UdfReturn::Integer => initid.max_length = 20,
            // The server's default for REAL: decimals "not fixed".
            UdfReturn::Real => {}
        }
        let state = Box::new(State {
            spec,
            out: Vec::new(),
        });
        initid.ptr = Box::into_raw(state).cast::<c_char>();
        Ok(())
    });
    match outcome {
        Ok(()) => 0,
        Err(msg) => {
            // SAFETY: `message` holds ERRMSG_SIZE bytes (caller).
            unsafe { write_message(message, &msg) };
            1
        }
    }
}

/// `<name>_deinit`: frees [`State`].
///
/// # Safety
/// `initid` must be the `UDF_INIT` of a successful [`init`], not used after.
pub unsafe fn deinit(initid: *mut UDF_INIT) {
    // A panic cannot happen in a drop of plain data, but nothing may unwind
    // into the server.
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: valid and exclusive (caller).
        let initid = unsafe { &mut *initid };
        let state = std::mem::replace(&mut initid.ptr, ptr::null_mut());
        if !state.is_null() {
            // SAFETY: `ptr` was set by `init` from `Box::into_raw` of a
            // `State`, and is reset to null here so it is freed only once.
            drop(unsafe { Box::from_raw(state.cast::<State>()) });
        }
    }));
}

/// Runs the function for one row: `Ok(value)`, or `Err` for an error or a
/// panic.
///
/// # Safety
/// `initid` must come from a successful [`init`], `args` be the row's
/// arguments; both valid and exclusive for the call.
unsafe fn eval<'s>(
    initid: *mut UDF_INIT,
    args: *mut UDF_ARGS,
) -> Result<(&'s mut State, Value<'static>), String> {
    // SAFETY: `initid` is valid for the call (caller).
    let state = unsafe { (*initid).ptr.cast::<State>() };
    if state.is_null() {
        return Err("sqlxos: function called without a successful _init".to_owned());
    }
    // SAFETY: a non-null `ptr` is the `State` that `init` boxed, alive until
    // `deinit`; the server never runs two calls on one `initid` at once.
    let state = unsafe { &mut *state };
    let spec = state.spec;
    let value = guard(spec.name, || {
        // SAFETY: valid during the call (caller).
        let args = unsafe { &*args };
        functions::check_arity(spec, args.arg_count as usize)?;
        // SAFETY: arity is checked, the arrays hold `arg_count` entries.
        let values = unsafe { args::values(spec, args) }?;
        functions::call(spec, &values)
    })?;
    Ok((state, value))
}

/// `<name>` of a STRING function.
///
/// # Safety
/// The server's arguments to a STRING UDF: `initid` from a successful
/// [`init`], `result` writable for [`RESULT_BUFFER`] bytes (and for
/// `*length` bytes), the other pointers valid for the call.
pub unsafe fn row_string(
    initid: *mut UDF_INIT,
    args: *mut UDF_ARGS,
    result: *mut c_char,
    length: *mut c_ulong,
    is_null: *mut c_uchar,
    _error: *mut c_uchar,
) -> *mut c_char {
    // SAFETY: forwarded contract.
    let (state, value) = match unsafe { eval(initid, args) } {
        Ok((_, Value::Null)) => {
            // SAFETY: `is_null` is valid for writes (caller).
            unsafe { *is_null = 1 };
            return ptr::null_mut();
        }
        Ok(ok) => ok,
        Err(_) => {
            // SAFETY: `is_null` is valid for writes (caller).
            unsafe { *is_null = 1 };
            return ptr::null_mut();
        }
    };
    let bytes = match value {
        Value::Text(t) => t.into_owned().into_bytes(),
        Value::Int(i) => i.to_string().into_bytes(),
        Value::Float(f) => f.to_string().into_bytes(),
        Value::Null => unreachable!("handled above"),
    };
    // SAFETY: `length` is valid for reads and writes (caller); on entry
    // MariaDB stores the capacity of `result` there.
    let capacity = unsafe { *length }.min(RESULT_BUFFER as c_ulong) as usize;
    // SAFETY: as above.
    unsafe { *length = bytes.len() as c_ulong };
    if bytes.len() <= capacity {
        // SAFETY: `result` is writable for `capacity` bytes and does not
        // overlap the fresh `bytes`.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), result.cast::<u8>(), bytes.len()) };
        return result;
    }
    // Too long for `result`: hand out our own buffer, which stays valid
    // until the next row or `_deinit`.
    state.out = bytes;
    state.out.as_mut_ptr().cast::<c_char>()
}

/// `<name>` of an INTEGER function.
///
/// # Safety
/// The server's arguments to an INTEGER UDF, as [`row_string`].
pub unsafe fn row_integer(
    initid: *mut UDF_INIT,
    args: *mut UDF_ARGS,
    is_null: *mut c_uchar,
    _error: *mut c_uchar,
) -> c_longlong {
    // SAFETY: forwarded contract.
    match unsafe { eval(initid, args) } {
        Ok((_, Value::Int(i))) => i,
        // SAFETY: the flags are valid for writes (caller).
        Ok((_, Value::Null)) => unsafe { null(is_null) },
        // A table entry declared Int returned something else: a core bug,
        // reported like any error.
        // SAFETY: as above.
        Ok(_) | Err(_) => unsafe { null(is_null) },
    }
}

/// `<name>` of a REAL function.
///
/// # Safety
/// The server's arguments to a REAL UDF, as [`row_string`].
pub unsafe fn row_real(
    initid: *mut UDF_INIT,
    args: *mut UDF_ARGS,
    is_null: *mut c_uchar,
    _error: *mut c_uchar,
) -> f64 {
    // SAFETY: forwarded contract.
    match unsafe { eval(initid, args) } {
        Ok((_, Value::Float(f))) => f,
        Ok((_, Value::Int(i))) => i as f64,
        // SAFETY: the flags are valid for writes (caller).
        Ok((_, Value::Null)) => unsafe { null(is_null) },
        // SAFETY: as above.
        Ok(_) | Err(_) => unsafe { null(is_null) },
    }
}

/// Sets `*is_null` and returns a dummy value.
///
/// # Safety
/// The pointer must be valid for writes.
unsafe fn null<T: Default>(is_null: *mut c_uchar) -> T {
    // SAFETY: valid for writes (caller).
    unsafe { *is_null = 1 };
    T::default()
}

/// Runs `f`, turning an [`Error`] into its message and a panic into
/// `<func>(): internal error: <panic message>`.
fn guard<T>(func: &str, f: impl FnOnce() -> Result<T, Error>) -> Result<T, String> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
                .unwrap_or("panic");
            Err(format!("{func}(): internal error: {what}"))
        }
    }
}

/// Copies `msg` into the `_init` message buffer, cut at a character
/// boundary to fit, NUL-terminated.
///
/// # Safety
/// `message` must be writable for [`ERRMSG_SIZE`] bytes.
unsafe fn write_message(message: *mut c_char, msg: &str) {
    let mut n = msg.len().min(ERRMSG_SIZE - 1);
    while !msg.is_char_boundary(n) {
        n -= 1;
    }
    // Interior NULs would cut the message short; show them as spaces.
    let bytes: Vec<u8> = msg.as_bytes()[..n]
        .iter()
        .map(|&b| if b == 0 { b' ' } else { b })
        .chain([0])
        .collect();
    // SAFETY: `bytes.len() <= ERRMSG_SIZE` and `message` is writable for
    // that many bytes (caller); a fresh Vec never overlaps it.
    unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), message.cast::<u8>(), bytes.len()) };
}

#[cfg(test)]
mod tests;
