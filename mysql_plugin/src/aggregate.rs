//! Aggregate UDFs: `CREATE AGGREGATE FUNCTION <name> RETURNS STRING`.
//!
//! MariaDB calls `<name>_init` once per statement, `<name>_clear` at the
//! start of each group, `<name>_add` for every row of the group, `<name>`
//! for the group's result and `<name>_deinit` at the end. The index advice
//! procedures of `install.sql` feed catalog and workload rows to these
//! functions (a UDF cannot run SQL itself) and read back one JSON text.
//!
//! Each aggregate is an [`Aggregate`]: it collects rows and renders a
//! result. The entry points here do the C side: argument conversion, the
//! result buffer, and catching every panic (a panic becomes an `{"error":
//! ...}` result, never an unwind into the server).

use std::ffi::{c_char, c_uchar, c_ulong};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use crate::ffi::{
    MyBool, DECIMAL_RESULT, ERRMSG_SIZE, INT_RESULT, MAX_BLOB_WIDTH, REAL_RESULT, RESULT_BUFFER,
    STRING_RESULT, UDF_ARGS, UDF_INIT,
};

/// One argument of an aggregate's row, converted.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Null,
    Text(String),
    Int(i64),
    Real(f64),
}

impl Arg {
    /// The argument as text (numbers rendered), `None` for NULL.
    pub fn text(&self) -> Option<String> {
        match self {
            Arg::Null => None,
            Arg::Text(s) => Some(s.clone()),
            Arg::Int(i) => Some(i.to_string()),
            Arg::Real(f) => Some(f.to_string()),
        }
    }

    /// The argument as a number; text is parsed, anything else is `None`.
    pub fn number(&self) -> Option<f64> {
        match self {
            Arg::Null => None,
            Arg::Int(i) => Some(*i as f64),
            Arg::Real(f) => Some(*f),
            Arg::Text(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        }
    }
}

/// What an aggregate UDF does with its rows.
pub trait Aggregate: Default {
    /// The SQL name, for messages.
    const NAME: &'static str;
    /// Exact number of arguments every row has.
    const ARGS: usize;
    /// Adds one row. An error is kept and reported by [`Aggregate::result`].
    fn add(&mut self, row: Vec<Arg>);
    /// The group's result (a JSON text).
    fn result(&mut self) -> String;
}

struct State<A> {
    agg: A,
    out: Vec<u8>,
}

/// `<name>_init`: checks the argument count.
///
/// # Safety
/// The server's `_init` arguments: valid and exclusive for the call,
/// `message` writable for [`ERRMSG_SIZE`] bytes.
pub unsafe fn init<A: Aggregate>(
    initid: *mut UDF_INIT,
    args: *mut UDF_ARGS,
    message: *mut c_char,
) -> MyBool {
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: valid for the call (caller).
        let n = unsafe { (*args).arg_count } as usize;
        if n != A::ARGS {
            return Err(format!(
                "{}(): expected {} arguments, got {n}",
                A::NAME,
                A::ARGS
            ));
        }
        // SAFETY: valid and exclusive for the call (caller).
        let initid = unsafe { &mut *initid };
        initid.maybe_null = 1;
        initid.max_length = MAX_BLOB_WIDTH;
        initid.const_item = 0;
        let state = Box::new(State {
            agg: A::default(),
            out: Vec::new(),
        });
        initid.ptr = Box::into_raw(state).cast::<c_char>();
        Ok(())
    }));
    match outcome {
        Ok(Ok(())) => 0,
        Ok(Err(msg)) => {
            // SAFETY: `message` holds ERRMSG_SIZE bytes (caller).
            unsafe { write_message(message, &msg) };
            1
        }
        Err(_) => {
            // SAFETY: as above.
            unsafe { write_message(message, &format!("{}(): internal error", A::NAME)) };
            1
        }
    }
}

/// `<name>_deinit`: frees the state.
///
/// # Safety
/// `initid` from a successful [`init`], not used afterwards.
pub unsafe fn deinit<A: Aggregate>(initid: *mut UDF_INIT) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: valid and exclusive (caller).
        let initid = unsafe { &mut *initid };
        let state = std::mem::replace(&mut initid.ptr, ptr::null_mut());
        if !state.is_null() {
            // SAFETY: set by `init` from `Box::into_raw` of a `State<A>`,
            // reset to null above so it is freed once.
            drop(unsafe { Box::from_raw(state.cast::<State<A>>()) });
        }
    }));
}

/// The state behind `initid`, if `init` succeeded.
///
/// # Safety
/// `initid` valid and exclusive for the call.
unsafe fn state<'s, A: Aggregate>(initid: *mut UDF_INIT) -> Option<&'s mut State<A>> {
    // SAFETY: valid for the call (caller).
    let p = unsafe { (*initid).ptr.cast::<State<A>>() };
    // SAFETY: a non-null `ptr` is the boxed `State<A>` of `init`, alive
    // until `deinit`; the server never runs two calls on one `initid` at once.
    unsafe { p.as_mut() }
}

/// `<name>_clear`: starts a new group.
///
/// # Safety
/// The server's `_clear` arguments.
pub unsafe fn clear<A: Aggregate>(initid: *mut UDF_INIT) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded contract.
        if let Some(s) = unsafe { state::<A>(initid) } {
            s.agg = A::default();
            s.out = Vec::new();
        }
    }));
}

/// `<name>_add`: one row.
///
/// # Safety
/// The server's `_add` arguments: `args` holds `arg_count` entries, checked
/// against [`Aggregate::ARGS`] by `init`.
pub unsafe fn add<A: Aggregate>(initid: *mut UDF_INIT, args: *mut UDF_ARGS) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded contract.
        let Some(s) = (unsafe { state::<A>(initid) }) else {
            return;
        };
        // SAFETY: valid during the call (caller).
        let args = unsafe { &*args };
        let n = (args.arg_count as usize).min(A::ARGS);
        // SAFETY: `i < arg_count`.
        let row = (0..n).map(|i| unsafe { arg(args, i) }).collect();
        s.agg.add(row);
    }));
}

/// Reads argument `i` of a row.
///
/// # Safety
/// `args` from the server, `i < args.arg_count`.
unsafe fn arg(args: &UDF_ARGS, i: usize) -> Arg {
    // SAFETY: the arrays hold `arg_count > i` entries (caller).
    let (ty, p, len) = unsafe {
        (
            *args.arg_type.add(i),
            *args.args.add(i),
            *args.lengths.add(i),
        )
    };
    if p.is_null() {
        return Arg::Null;
    }
    match ty {
        STRING_RESULT | DECIMAL_RESULT => {
            // SAFETY: `p` points to `len` bytes valid during the call.
            let bytes = unsafe { std::slice::from_raw_parts(p.cast::<u8>(), len as usize) };
            Arg::Text(String::from_utf8_lossy(bytes).into_owned())
        }
        // SAFETY: an `i64` for INT arguments, read unaligned.
        INT_RESULT => Arg::Int(unsafe { p.cast::<i64>().read_unaligned() }),
        // SAFETY: an `f64` for REAL arguments, read unaligned.
        REAL_RESULT => Arg::Real(unsafe { p.cast::<f64>().read_unaligned() }),
        _ => Arg::Null,
    }
}

/// `<name>`: the group's result.
///
/// # Safety
/// The server's arguments to a STRING UDF: `result` writable for `*length`
/// bytes (at least [`RESULT_BUFFER`]).
pub unsafe fn result<A: Aggregate>(
    initid: *mut UDF_INIT,
    result: *mut c_char,
    length: *mut c_ulong,
    is_null: *mut c_uchar,
) -> *mut c_char {
    let text = catch_unwind(AssertUnwindSafe(|| {
        // SAFETY: forwarded contract.
        unsafe { state::<A>(initid) }.map(|s| s.agg.result())
    }));
    let bytes = match text {
        Ok(Some(t)) => t.into_bytes(),
        Ok(None) => {
            // SAFETY: valid for writes (caller).
            unsafe { *is_null = 1 };
            return ptr::null_mut();
        }
        Err(_) => format!(
            "{{\"error\":\"{}(): internal error while computing the result\"}}",
            A::NAME
        )
        .into_bytes(),
    };
    // SAFETY: valid for reads and writes (caller).
    let capacity = unsafe { *length }.min(RESULT_BUFFER as c_ulong) as usize;
    // SAFETY: as above.
    unsafe { *length = bytes.len() as c_ulong };
    if bytes.len() <= capacity {
        // SAFETY: `result` is writable for `capacity` bytes; no overlap.
        unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), result.cast::<u8>(), bytes.len()) };
        return result;
    }
    // SAFETY: forwarded contract.
    match unsafe { state::<A>(initid) } {
        Some(s) => {
            s.out = bytes;
            s.out.as_mut_ptr().cast::<c_char>()
        }
        None => {
            // SAFETY: valid for writes (caller).
            unsafe { *is_null = 1 };
            ptr::null_mut()
        }
    }
}

/// Copies `msg` into the `_init` message buffer, NUL-terminated.
///
/// # Safety
/// `message` writable for [`ERRMSG_SIZE`] bytes.
unsafe fn write_message(message: *mut c_char, msg: &str) {
    let mut n = msg.len().min(ERRMSG_SIZE - 1);
    while !msg.is_char_boundary(n) {
        n -= 1;
    }
    let bytes: Vec<u8> = msg.as_bytes()[..n]
        .iter()
        .map(|&b| if b == 0 { b' ' } else { b })
        .chain([0])
        .collect();
    // SAFETY: at most ERRMSG_SIZE bytes into a buffer of that size.
    unsafe { ptr::copy_nonoverlapping(bytes.as_ptr(), message.cast::<u8>(), bytes.len()) };
}

/// Exports the five symbols of aggregate `$ty` under SQL name `$sym`.
macro_rules! aggregate {
    ($ty:ty, $sym:literal) => {
        const _: () = {
            #[export_name = concat!($sym, "_init")]
            unsafe extern "C" fn init(
                initid: *mut $crate::ffi::UDF_INIT,
                args: *mut $crate::ffi::UDF_ARGS,
                message: *mut ::std::ffi::c_char,
            ) -> $crate::ffi::MyBool {
                // SAFETY: called by the server as `<name>_init`.
                unsafe { $crate::aggregate::init::<$ty>(initid, args, message) }
            }
            #[export_name = concat!($sym, "_deinit")]
            unsafe extern "C" fn deinit(initid: *mut $crate::ffi::UDF_INIT) {
                // SAFETY: called by the server as `<name>_deinit`.
                unsafe { $crate::aggregate::deinit::<$ty>(initid) }
            }
            #[export_name = concat!($sym, "_clear")]
            unsafe extern "C" fn clear(
                initid: *mut $crate::ffi::UDF_INIT,
                _is_null: *mut ::std::ffi::c_uchar,
                _error: *mut ::std::ffi::c_uchar,
            ) {
                // SAFETY: called by the server as `<name>_clear`.
                unsafe { $crate::aggregate::clear::<$ty>(initid) }
            }
            #[export_name = concat!($sym, "_add")]
            unsafe extern "C" fn add(
                initid: *mut $crate::ffi::UDF_INIT,
                args: *mut $crate::ffi::UDF_ARGS,
                _is_null: *mut ::std::ffi::c_uchar,
                _error: *mut ::std::ffi::c_uchar,
            ) {
                // SAFETY: called by the server as `<name>_add`.
                unsafe { $crate::aggregate::add::<$ty>(initid, args) }
            }
            #[export_name = $sym]
            unsafe extern "C" fn row(
                initid: *mut $crate::ffi::UDF_INIT,
                _args: *mut $crate::ffi::UDF_ARGS,
                result: *mut ::std::ffi::c_char,
                length: *mut ::std::ffi::c_ulong,
                is_null: *mut ::std::ffi::c_uchar,
                _error: *mut ::std::ffi::c_uchar,
            ) -> *mut ::std::ffi::c_char {
                // SAFETY: called by the server as `<name>`.
                unsafe { $crate::aggregate::result::<$ty>(initid, result, length, is_null) }
            }
        };
    };
}
pub(crate) use aggregate;
