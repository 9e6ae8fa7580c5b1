//! The one path from a `#[pg_extern]` to the core: look the function up in
//! the core's table once, call it, and map a core error to a PostgreSQL
//! ERROR with a fitting SQLSTATE. Going through the table (rather than the
//! typed functions) gives PostgreSQL exactly the semantics and error text of
//! the MariaDB and SQLite adapters.

use std::borrow::Cow;

use pgrx::pg_sys::panic::ErrorReport;
use pgrx::PgSqlErrorCode;
use sqlxos_core::error::SqlState;
use sqlxos_core::functions::{self, FnSpec};
use sqlxos_core::{Error, Value};

/// Looks `name` up in the core's function table once per call site.
macro_rules! spec {
    ($name:literal) => {{
        static SPEC: ::std::sync::OnceLock<&'static ::sqlxos_core::functions::FnSpec> =
            ::std::sync::OnceLock::new();
        *SPEC.get_or_init(|| $crate::dispatch::find($name))
    }};
}
pub(crate) use spec;

/// The table entry for `name`; its absence is a bug in this crate, caught by
/// the tests that call every function.
pub(crate) fn find(name: &str) -> &'static FnSpec {
    functions::find(name).unwrap_or_else(|| raise(Error::UnknownFunction(name.to_owned())))
}

/// Calls a table function, raising an ERROR on failure.
pub(crate) fn call(spec: &'static FnSpec, args: &[Value<'_>]) -> Value<'static> {
    functions::call(spec, args).unwrap_or_else(|e| raise(e))
}

/// Calls a table function that returns text.
pub(crate) fn call_text(spec: &'static FnSpec, args: &[Value<'_>]) -> Option<String> {
    match call(spec, args) {
        Value::Null => None,
        Value::Text(t) => Some(t.into_owned()),
        Value::Int(i) => Some(i.to_string()),
        Value::Float(f) => Some(f.to_string()),
    }
}

/// Calls a table function that returns an integer.
pub(crate) fn call_int(spec: &'static FnSpec, args: &[Value<'_>]) -> Option<i64> {
    match call(spec, args) {
        Value::Null => None,
        Value::Int(i) => Some(i),
        other => unexpected(spec, &other),
    }
}

/// Calls a table function that returns a float.
pub(crate) fn call_float(spec: &'static FnSpec, args: &[Value<'_>]) -> Option<f64> {
    match call(spec, args) {
        Value::Null => None,
        Value::Float(f) => Some(f),
        Value::Int(i) => Some(i as f64),
        other => unexpected(spec, &other),
    }
}

fn unexpected(spec: &FnSpec, v: &Value<'_>) -> ! {
    pgrx::ereport!(
        ERROR,
        PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
        format!("sqlxos.{}: unexpected result {v:?}", spec.name)
    );
}

/// Borrows text as a core value.
pub(crate) fn t(s: &str) -> Value<'_> {
    Value::Text(Cow::Borrowed(s))
}

/// An integer as a core value.
pub(crate) fn i(v: i64) -> Value<'static> {
    Value::Int(v)
}

/// A float as a core value.
pub(crate) fn f(v: f64) -> Value<'static> {
    Value::Float(v)
}

/// Raises a core error as a PostgreSQL ERROR (the one mapping, per STYLE).
pub(crate) fn raise(e: Error) -> ! {
    let code = match e.sqlstate() {
        SqlState::InvalidParameterValue => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
        SqlState::UndefinedFunction => PgSqlErrorCode::ERRCODE_UNDEFINED_FUNCTION,
        SqlState::SyntaxError => PgSqlErrorCode::ERRCODE_SYNTAX_ERROR,
    };
    let message = match e {
        Error::InvalidArgument {
            func,
            arg,
            expected,
            ..
        } if !crate::gucs::error_values() => {
            format!("{func}(): argument \"{arg}\" {expected}")
        }
        e => e.to_string(),
    };
    ErrorReport::new(code, message, "sqlxos").report(pgrx::PgLogLevel::ERROR);
    unreachable!("an ERROR report does not return")
}
