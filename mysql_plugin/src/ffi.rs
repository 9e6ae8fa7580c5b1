//! The UDF C ABI, as the server declares it in `include/mysql_com.h`
//! (MariaDB 10.2+; MySQL 8 has the same layout in `udf_registration_types.h`).
//!
//! Written out here rather than generated: it is three small structs, and the
//! client header that Debian ships (`/usr/include/mariadb/mariadb_com.h`,
//! from Connector/C) is an older, shorter version (`max_length` as `unsigned
//! int`, no `attributes`), which would not match what the server passes.

use std::ffi::{c_char, c_int, c_uint, c_ulong, c_void};

/// `my_bool`: a C `char`, 0 or 1.
pub type MyBool = c_char;

/// `enum Item_result`, kept as its C integer so an unknown value from a newer
/// server is a plain number, never an invalid Rust enum.
pub type ItemResult = c_int;
pub const STRING_RESULT: ItemResult = 0;
pub const REAL_RESULT: ItemResult = 1;
pub const INT_RESULT: ItemResult = 2;
pub const DECIMAL_RESULT: ItemResult = 4;

/// `MYSQL_ERRMSG_SIZE`: the size of the `message` buffer of `<name>_init`.
pub const ERRMSG_SIZE: usize = 512;

/// The `result` buffer of a STRING UDF holds at least this many bytes (the
/// documented UDF guarantee; MariaDB passes its real capacity in `*length`).
pub const RESULT_BUFFER: usize = 255;

/// `MAX_BLOB_WIDTH`: the largest `max_length` the server accepts.
pub const MAX_BLOB_WIDTH: c_ulong = 16_777_216;

/// `UDF_ARGS`. For `i < arg_count`: `arg_type[i]` is the argument's type;
/// `args[i]` points to its value (`lengths[i]` bytes of text for STRING and
/// DECIMAL, an `i64` for INT, an `f64` for REAL) or is null for SQL NULL (and,
/// in `_init`, for every argument that is not a constant).
#[repr(C)]
#[derive(Debug)]
#[allow(non_camel_case_types)]
pub struct UDF_ARGS {
    pub arg_count: c_uint,
    pub arg_type: *mut ItemResult,
    pub args: *mut *mut c_char,
    pub lengths: *mut c_ulong,
    pub maybe_null: *mut c_char,
    pub attributes: *mut *const c_char,
    pub attribute_lengths: *mut c_ulong,
    pub extension: *mut c_void,
}

/// `UDF_INIT`: what `_init` tells the server about the result, plus `ptr`,
/// the function's own state, kept by the server between the calls.
#[repr(C)]
#[derive(Debug)]
#[allow(non_camel_case_types)]
pub struct UDF_INIT {
    pub maybe_null: MyBool,
    pub decimals: c_uint,
    pub max_length: c_ulong,
    pub ptr: *mut c_char,
    pub const_item: MyBool,
    pub extension: *mut c_void,
}
