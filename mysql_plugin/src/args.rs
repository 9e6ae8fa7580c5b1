//! Converts UDF arguments to core [`Value`]s.
//!
//! MariaDB hands text as bytes in the argument's character set; sqlxos reads
//! them as UTF-8 (use utf8mb4 data, or `CONVERT(col USING utf8mb4)`), and
//! bytes that are not UTF-8 are an error naming the argument. DECIMAL values
//! arrive as text: for numeric arguments they become an integer when they
//! spell one, else a float; for text arguments they stay text, digit for
//! digit. Every other coercion is the core's ([`sqlxos_core::functions::call`]).

use std::borrow::Cow;

use sqlxos_core::functions::{ArgKind, FnSpec};
use sqlxos_core::{Error, Result, Value};

use crate::ffi::{DECIMAL_RESULT, INT_RESULT, REAL_RESULT, STRING_RESULT, UDF_ARGS};

/// At most this many bytes of a bad argument are rendered into an error
/// (the core cuts the rendering to 40 characters anyway).
const GOT_BYTES: usize = 160;

/// Reads every argument. Call only after the arity check.
///
/// # Safety
/// `args` must be the `UDF_ARGS` the server passed to the current call, with
/// `arg_count` entries in each array and `arg_count <= spec.args.len()`.
pub unsafe fn values<'a>(spec: &'static FnSpec, args: &'a UDF_ARGS) -> Result<Vec<Value<'a>>> {
    (0..args.arg_count as usize)
        // SAFETY: `i < arg_count`, and the caller's contract covers the rest.
        .map(|i| unsafe { value(spec, args, i) })
        .collect()
}

/// True if argument `i` has a value in `_init`, i.e. it is a non-NULL
/// constant.
///
/// # Safety
/// As [`value`].
pub unsafe fn is_given(args: &UDF_ARGS, i: usize) -> bool {
    // SAFETY: `i < arg_count` and `args` has `arg_count` entries (caller).
    unsafe { !(*args.args.add(i)).is_null() }
}

/// Reads argument `i`: NULL, an integer, a float or text.
///
/// # Safety
/// `args` must be the `UDF_ARGS` the server passed to the current call,
/// `i < args.arg_count` and `i < spec.args.len()`.
pub unsafe fn value<'a>(spec: &'static FnSpec, args: &'a UDF_ARGS, i: usize) -> Result<Value<'a>> {
    // SAFETY: the three arrays hold `arg_count > i` entries (caller).
    let (ty, ptr, len) = unsafe {
        (
            *args.arg_type.add(i),
            *args.args.add(i),
            *args.lengths.add(i),
        )
    };
    if ptr.is_null() {
        return Ok(Value::Null);
    }
    let arg = &spec.args[i];
    match ty {
        STRING_RESULT | DECIMAL_RESULT => {
            let len = usize::try_from(len).expect("a length fits in memory");
            // SAFETY: for STRING and DECIMAL arguments the server points
            // `args[i]` at `lengths[i]` initialised bytes that stay valid and
            // unchanged until this call returns; `'a` is that call.
            let bytes = unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) };
            let text = std::str::from_utf8(bytes).map_err(|_| {
                let shown = String::from_utf8_lossy(&bytes[..len.min(GOT_BYTES)]);
                Error::invalid(spec.name, arg.name, "must be valid UTF-8 text", shown)
            })?;
            if ty == DECIMAL_RESULT
                && matches!(arg.kind, ArgKind::Int | ArgKind::Float | ArgKind::Number)
            {
                if let Ok(i) = text.parse::<i64>() {
                    return Ok(Value::Int(i));
                }
                if let Ok(f) = text.parse::<f64>() {
                    return Ok(Value::Float(f));
                }
            }
            Ok(Value::Text(Cow::Borrowed(text)))
        }
        // SAFETY: for INT arguments `args[i]` points to an `i64` (the
        // server's `longlong`), valid during the call; read unaligned since
        // nothing promises alignment to a plugin.
        INT_RESULT => Ok(Value::Int(unsafe { ptr.cast::<i64>().read_unaligned() })),
        // SAFETY: as above, an `f64` (the server's `double`).
        REAL_RESULT => Ok(Value::Float(unsafe { ptr.cast::<f64>().read_unaligned() })),
        other => Err(Error::invalid(
            spec.name,
            arg.name,
            "must be text or a number",
            format_args!("a value of UDF type {other}"),
        )),
    }
}
