//! The generic UDF driven as the server drives it, through hand-built
//! `UDF_INIT`/`UDF_ARGS`. The real-engine test is `tests/mariadb/run.sh`.

use std::ffi::{c_char, c_int, c_uchar, c_ulong, CStr};
use std::ptr;

use super::*;
use crate::ffi::{INT_RESULT, STRING_RESULT};

/// One argument as the server passes it.
#[derive(Clone)]
enum Arg {
    Text(Vec<u8>),
    Int(i64),
    /// SQL NULL, or in `_init` a non-constant argument.
    Absent(ItemKind),
}

#[derive(Clone, Copy)]
enum ItemKind {
    Text,
    Int,
}

fn text(s: &str) -> Arg {
    Arg::Text(s.as_bytes().to_vec())
}

/// Owns the buffers an `UDF_ARGS` points into.
struct Args {
    _values: Vec<Vec<u8>>,
    _types: Vec<c_int>,
    _ptrs: Vec<*mut c_char>,
    _lengths: Vec<c_ulong>,
    _maybe_null: Vec<c_char>,
    raw: UDF_ARGS,
}

impl Args {
    fn new(args: &[Arg]) -> Args {
        let mut values: Vec<Vec<u8>> = args
            .iter()
            .map(|a| match a {
                Arg::Text(b) => b.clone(),
                Arg::Int(i) => i.to_ne_bytes().to_vec(),
                Arg::Absent(_) => Vec::new(),
            })
            .collect();
        let mut types: Vec<c_int> = args
            .iter()
            .map(|a| match a {
                Arg::Text(_) | Arg::Absent(ItemKind::Text) => STRING_RESULT,
                Arg::Int(_) | Arg::Absent(ItemKind::Int) => INT_RESULT,
            })
            .collect();
        let mut ptrs: Vec<*mut c_char> = args
            .iter()
            .zip(values.iter_mut())
            .map(|(a, v)| match a {
                Arg::Absent(_) => ptr::null_mut(),
                _ => v.as_mut_ptr().cast(),
            })
            .collect();
        let mut lengths: Vec<c_ulong> = values.iter().map(|v| v.len() as c_ulong).collect();
        let mut maybe_null: Vec<c_char> = vec![1; args.len()];
        let raw = UDF_ARGS {
            arg_count: args.len() as u32,
            arg_type: types.as_mut_ptr(),
            args: ptrs.as_mut_ptr(),
            lengths: lengths.as_mut_ptr(),
            maybe_null: maybe_null.as_mut_ptr(),
            attributes: ptr::null_mut(),
            attribute_lengths: ptr::null_mut(),
            extension: ptr::null_mut(),
        };
        Args {
            _values: values,
            _types: types,
            _ptrs: ptrs,
            _lengths: lengths,
            _maybe_null: maybe_null,
            raw,
        }
    }
}

fn new_initid() -> UDF_INIT {
    UDF_INIT {
        maybe_null: 0,
        decimals: 0,
        max_length: 0,
        ptr: ptr::null_mut(),
        const_item: 1,
        extension: ptr::null_mut(),
    }
}

/// Runs `<name>_init`: `Ok(initid)` or `Err(message)`.
fn run_init(base: &str, args: &[Arg]) -> Result<UDF_INIT, String> {
    let mut initid = new_initid();
    let mut a = Args::new(args);
    let mut message = [0x55 as c_char; ERRMSG_SIZE];
    // SAFETY: every pointer is valid for the call; `message` is ERRMSG_SIZE.
    let failed = unsafe {
        init(
            base,
            UdfReturn::String,
            &mut initid,
            &mut a.raw,
            message.as_mut_ptr(),
        )
    };
    if failed == 0 {
        Ok(initid)
    } else {
        assert!(initid.ptr.is_null(), "no state is kept when _init fails");
        // SAFETY: `write_message` NUL-terminates within the buffer.
        let msg = unsafe { CStr::from_ptr(message.as_ptr()) };
        Err(msg.to_str().unwrap().to_owned())
    }
}

/// One row of a STRING function: `Ok(Some(bytes))`, `Ok(None)` for NULL,
/// `Err(())` for the error flag.
fn run_row(initid: &mut UDF_INIT, args: &[Arg]) -> (Result<Option<Vec<u8>>, ()>, bool) {
    let mut a = Args::new(args);
    let mut result = [0 as c_char; 256];
    let mut length: c_ulong = result.len() as c_ulong;
    let (mut is_null, mut error): (c_uchar, c_uchar) = (0, 0);
    // SAFETY: every pointer is valid for the call; `initid` passed `_init`.
    let out = unsafe {
        row_string(
            initid,
            &mut a.raw,
            result.as_mut_ptr(),
            &mut length,
            &mut is_null,
            &mut error,
        )
    };
    let in_result = out == result.as_mut_ptr();
    let value = if error != 0 {
        Err(())
    } else if is_null != 0 {
        Ok(None)
    } else {
        // SAFETY: `out` points to `length` bytes, valid until the next call.
        Ok(Some(
            unsafe { std::slice::from_raw_parts(out.cast::<u8>(), length as usize) }.to_vec(),
        ))
    };
    (value, in_result)
}

fn run_deinit(mut initid: UDF_INIT) {
    // SAFETY: `initid` passed `_init` and is not used again.
    unsafe { deinit(&mut initid) };
    assert!(initid.ptr.is_null());
}

#[test]
fn masks_a_row_in_the_result_buffer() {
    let args = [text("This is a string"), Arg::Int(5), Arg::Int(1)];
    let mut initid = run_init("mask_inner", &args).unwrap();
    assert_eq!(initid.maybe_null, 1);
    assert_eq!(initid.max_length, MAX_BLOB_WIDTH);
    assert_eq!(
        initid.const_item, 1,
        "deterministic: left as the server set it"
    );
    let (value, in_result) = run_row(&mut initid, &args);
    assert_eq!(value, Ok(Some(b"This XXXXXXXXXXg".to_vec())));
    assert!(in_result);
    run_deinit(initid);
}

#[test]
fn a_long_result_uses_the_owned_buffer() {
    let long = "é".repeat(1000);
    let args = [
        Arg::Text(long.clone().into_bytes()),
        Arg::Int(1),
        Arg::Int(1),
    ];
    let mut initid = run_init("sqlxos_mask_inner", &args).unwrap();
    for _ in 0..3 {
        let (value, in_result) = run_row(&mut initid, &args);
        let expected = format!("é{}é", "X".repeat(998));
        assert_eq!(value, Ok(Some(expected.into_bytes())));
        assert!(!in_result);
    }
    run_deinit(initid);
}

#[test]
fn null_in_gives_null_without_error() {
    let non_const = [Arg::Absent(ItemKind::Text), Arg::Int(1), Arg::Int(1)];
    let mut initid = run_init("mask_inner", &non_const).unwrap();
    let (value, _) = run_row(&mut initid, &non_const);
    assert_eq!(value, Ok(None));
    run_deinit(initid);
}

#[test]
fn wrong_arity_fails_init_with_the_core_message() {
    assert_eq!(
        run_init("mask_inner", &[text("x")]).unwrap_err(),
        "mask_inner(): expected 3 to 4 arguments, got 1"
    );
}

#[test]
fn a_bad_constant_fails_init_with_the_core_message() {
    let err = run_init("mask_inner", &[text("abc"), Arg::Int(-1), Arg::Int(1)]).unwrap_err();
    let core = sqlxos_core::functions::call(
        sqlxos_core::functions::find("mask_inner").unwrap(),
        &[Value::from("abc".to_owned()), Value::Int(-1), Value::Int(1)],
    )
    .unwrap_err();
    assert_eq!(err, core.to_string());
    assert!(
        err.starts_with("mask_inner(): argument \"margin1\" must be >= 0"),
        "{err}"
    );
}

#[test]
fn invalid_utf8_is_an_error_naming_the_argument() {
    // A constant: at init, even when another argument is not constant.
    let args = [
        Arg::Text(vec![b'a', 0xff]),
        Arg::Absent(ItemKind::Int),
        Arg::Int(1),
    ];
    let err = run_init("mask_inner", &args).unwrap_err();
    assert!(
        err.starts_with("mask_inner(): argument \"str\" must be valid UTF-8 text"),
        "{err}"
    );
    // A column: NULL for that row, without the error flag.
    let non_const = [Arg::Absent(ItemKind::Text), Arg::Int(1), Arg::Int(1)];
    let mut initid = run_init("mask_inner", &non_const).unwrap();
    let (value, _) = run_row(
        &mut initid,
        &[Arg::Text(vec![0xff, 0xfe]), Arg::Int(1), Arg::Int(1)],
    );
    assert_eq!(value, Ok(None));
    run_deinit(initid);
}

#[test]
fn a_bad_row_gives_null_without_the_error_flag() {
    let non_const = [text("hello"), Arg::Absent(ItemKind::Int), Arg::Int(1)];
    let mut initid = run_init("mask_inner", &non_const).unwrap();
    let (value, _) = run_row(&mut initid, &[text("hello"), Arg::Int(-1), Arg::Int(1)]);
    assert_eq!(value, Ok(None));
    let (value, _) = run_row(&mut initid, &[text("hello"), Arg::Int(1), Arg::Int(1)]);
    assert_eq!(value, Ok(Some(b"hXXXo".to_vec())));
    run_deinit(initid);
}

#[test]
fn nul_bytes_pass_through() {
    let args = [Arg::Text(b"a\0b\0c".to_vec()), Arg::Int(1), Arg::Int(1)];
    let mut initid = run_init("mask_inner", &args).unwrap();
    let (value, _) = run_row(&mut initid, &args);
    assert_eq!(value, Ok(Some(b"aXXXc".to_vec())));
    run_deinit(initid);
}

#[test]
fn a_panic_becomes_an_error_message() {
    let r: Result<(), String> = guard("mask_inner", || panic!("boom {}", 1));
    assert_eq!(r.unwrap_err(), "mask_inner(): internal error: boom 1");
    let r: Result<(), String> = guard("mask_inner", || panic!("static"));
    assert_eq!(r.unwrap_err(), "mask_inner(): internal error: static");
}

#[test]
fn messages_are_cut_at_a_character_boundary_and_terminated() {
    let mut buf = [0x55 as c_char; ERRMSG_SIZE];
    let msg = format!("a{}", "é".repeat(400));
    // SAFETY: `buf` holds ERRMSG_SIZE bytes.
    unsafe { write_message(buf.as_mut_ptr(), &msg) };
    // SAFETY: NUL-terminated within the buffer.
    let got = unsafe { CStr::from_ptr(buf.as_ptr()) }.to_str().unwrap();
    assert!(got.len() < ERRMSG_SIZE);
    assert_eq!(got.len(), 511, "1 + 255 two-byte characters");
    assert!(msg.starts_with(got));
}
