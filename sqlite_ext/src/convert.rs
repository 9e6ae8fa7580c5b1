//! Values across the boundary: SQLite storage classes to core [`Value`]s,
//! and core results back to SQLite.
//!
//! INTEGER -> `Int`, REAL -> `Float`, TEXT -> `Text`, NULL -> `Null`. A BLOB
//! is taken as text when it is valid UTF-8 (MariaDB hands every string over
//! as bytes, so `X'616263'` means `'abc'` in both). TEXT that is not valid
//! UTF-8 (`CAST(X'FF' AS TEXT)`) and a BLOB that is not UTF-8 are refused
//! with an error naming the argument.

use std::borrow::Cow;

use rusqlite::types::{Value as SqliteValue, ValueRef};
use sqlxos_core::functions::{ArgSpec, FnSpec};
use sqlxos_core::Value;

/// At most this many bytes of a non-UTF-8 argument are shown in an error.
const SHOW_BYTES: usize = 16;

/// Converts one argument. Text is borrowed from SQLite, not copied.
pub(crate) fn from_sqlite<'a>(
    spec: &FnSpec,
    arg: &ArgSpec,
    v: ValueRef<'a>,
) -> sqlxos_core::Result<Value<'a>> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Float(f),
        ValueRef::Text(bytes) | ValueRef::Blob(bytes) => match std::str::from_utf8(bytes) {
            Ok(s) => Value::Text(Cow::Borrowed(s)),
            Err(_) => return Err(not_utf8(spec, arg, bytes)),
        },
    })
}

/// Converts a core result to the value SQLite returns.
pub(crate) fn to_sqlite(v: Value<'static>) -> SqliteValue {
    match v {
        Value::Null => SqliteValue::Null,
        Value::Int(i) => SqliteValue::Integer(i),
        Value::Float(f) => SqliteValue::Real(f),
        Value::Text(t) => SqliteValue::Text(t.into_owned()),
    }
}

/// `mask_inner(): argument "str" must be valid UTF-8 text, got X'FFFE'`:
/// the bytes as an SQL blob literal, cut after [`SHOW_BYTES`].
fn not_utf8(spec: &FnSpec, arg: &ArgSpec, bytes: &[u8]) -> sqlxos_core::Error {
    let mut got = String::from("X'");
    for b in bytes.iter().take(SHOW_BYTES) {
        got.push_str(&format!("{b:02X}"));
    }
    got.push('\'');
    if bytes.len() > SHOW_BYTES {
        got.push_str("...");
    }
    sqlxos_core::Error::InvalidArgument {
        func: spec.name,
        arg: arg.name,
        expected: "must be valid UTF-8 text".to_owned(),
        got,
    }
}

#[cfg(test)]
mod test {
    use super::*;
    use sqlxos_core::functions::ArgKind;

    fn spec() -> FnSpec {
        *sqlxos_core::functions::find("mask_inner").expect("mask_inner is in the table")
    }

    const STR: ArgSpec = ArgSpec {
        name: "str",
        kind: ArgKind::Text,
    };

    #[test]
    fn storage_classes() {
        let s = spec();
        assert_eq!(from_sqlite(&s, &STR, ValueRef::Null), Ok(Value::Null));
        assert_eq!(
            from_sqlite(&s, &STR, ValueRef::Integer(7)),
            Ok(Value::Int(7))
        );
        assert_eq!(
            from_sqlite(&s, &STR, ValueRef::Real(0.5)),
            Ok(Value::Float(0.5))
        );
        assert_eq!(
            from_sqlite(&s, &STR, ValueRef::Text("żółw".as_bytes())),
            Ok(Value::Text("żółw".into()))
        );
        assert_eq!(
            from_sqlite(&s, &STR, ValueRef::Blob(b"abc")),
            Ok(Value::Text("abc".into()))
        );
        assert_eq!(
            from_sqlite(&s, &STR, ValueRef::Blob(b"")),
            Ok(Value::Text("".into()))
        );
    }

    #[test]
    fn not_utf8_names_the_argument() {
        let s = spec();
        let e = from_sqlite(&s, &STR, ValueRef::Blob(&[0xff, 0xfe])).unwrap_err();
        assert_eq!(
            e.to_string(),
            "mask_inner(): argument \"str\" must be valid UTF-8 text, got X'FFFE'"
        );
        let long = [0xffu8; 40];
        let e = from_sqlite(&s, &STR, ValueRef::Text(&long)).unwrap_err();
        assert!(e
            .to_string()
            .ends_with(&format!("got X'{}'...", "FF".repeat(16))));
    }

    #[test]
    fn results() {
        assert_eq!(to_sqlite(Value::Null), SqliteValue::Null);
        assert_eq!(to_sqlite(Value::Int(-3)), SqliteValue::Integer(-3));
        assert_eq!(to_sqlite(Value::Float(1.5)), SqliteValue::Real(1.5));
        assert_eq!(
            to_sqlite(Value::from("x".to_owned())),
            SqliteValue::Text("x".to_owned())
        );
    }
}
