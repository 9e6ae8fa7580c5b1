//! Registration: every entry of the core's function table becomes
//! `sqlxos_<name>` on the connection.
//!
//! # Arity
//!
//! Each function is registered once per allowed argument count (so SQLite
//! resolves and checks a correct call when the statement is prepared), plus
//! once as variadic (`nArg = -1`). SQLite prefers an exact-arity match, so the
//! variadic registration is reached only by a wrong argument count; it runs
//! the same code, whose arity check reports our message,
//! `mask_inner(): expected 3 to 4 arguments, got 1`, instead of SQLite's
//! generic `wrong number of arguments to function sqlxos_mask_inner()`.
//! The cost: a wrong count is reported when the function first runs rather
//! than at prepare time (on an empty table, not at all).
//!
//! # Flags
//!
//! - `SQLITE_UTF8` for all: SQLite converts UTF-16 text before calling us.
//! - `SQLITE_DETERMINISTIC` where the table says so (masking,
//!   pseudonymization), so they work in expression indexes, generated
//!   columns and partial indexes, and SQLite may factor them out of loops.
//! - `SQLITE_INNOCUOUS` for all: every function computes its result from its
//!   arguments alone, with no side effects and no access to the database,
//!   files or process state. That lets them be used in views, triggers and
//!   indexes of a schema even when `PRAGMA trusted_schema = OFF`.
//! - Not `SQLITE_DIRECTONLY`, not even for the `gen_rnd_*` generators:
//!   DIRECTONLY is for functions whose misuse from an untrusted schema does
//!   harm (`load_extension`, `fts3_tokenizer`). Random fake values harm no
//!   one, and SQLite flags its own `random()` and `randomblob()` innocuous
//!   the same way. Non-deterministic functions stay barred from indexes and
//!   generated columns by SQLite itself, but may be used in a `DEFAULT`
//!   clause, e.g. `DEFAULT (sqlxos_gen_rnd_uuid())`.

use std::os::raw::c_int;
use std::panic::{self, AssertUnwindSafe};

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value as SqliteValue, ValueRef};
use rusqlite::Connection;
use sqlxos_core::functions::{self, FnSpec};
use sqlxos_core::Value;

use crate::convert;
use crate::error::Error;

/// The prefix of every SQL name in SQLite's single function namespace.
pub(crate) const PREFIX: &str = "sqlxos_";

/// Registers every function of the table on `db`.
pub(crate) fn register_all(db: &Connection) -> rusqlite::Result<()> {
    for spec in functions::all() {
        register(db, spec)?;
    }
    Ok(())
}

/// The SQLite function flags of one table entry (see the module doc).
pub(crate) fn flags(spec: &FnSpec) -> FunctionFlags {
    let mut flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS;
    if spec.deterministic {
        flags |= FunctionFlags::SQLITE_DETERMINISTIC;
    }
    flags
}

/// The argument counts registered for one entry: each allowed count, then
/// -1 (variadic) to catch the wrong ones.
pub(crate) fn arities(spec: &FnSpec) -> impl Iterator<Item = c_int> {
    (spec.required..=spec.args.len())
        .map(|n| c_int::try_from(n).expect("argument counts are small"))
        .chain(std::iter::once(-1))
}

fn register(db: &Connection, spec: &'static FnSpec) -> rusqlite::Result<()> {
    let name = format!("{PREFIX}{}", spec.name);
    for n_arg in arities(spec) {
        db.create_scalar_function(name.as_str(), n_arg, flags(spec), move |ctx| {
            invoke(spec, ctx)
        })?;
    }
    Ok(())
}

/// One call from SQLite.
fn invoke(spec: &'static FnSpec, ctx: &Context<'_>) -> rusqlite::Result<SqliteValue> {
    guarded(spec.name, || call(spec, ctx))
}

/// Runs `f`, turning a panic into an error and the result into what rusqlite
/// hands to `sqlite3_result_*`. rusqlite also catches panics around the
/// closure, but reports them as a bare "unwinding panic"; catching here first
/// names the function and keeps the panic message.
fn guarded(
    func: &'static str,
    f: impl FnOnce() -> Result<Value<'static>, Error>,
) -> rusqlite::Result<SqliteValue> {
    panic::catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(Error::panic(func, payload.as_ref())))
        .map(convert::to_sqlite)
        .map_err(Error::into_sqlite)
}

/// [`guarded`] for functions that build the SQLite value themselves.
pub(crate) fn guarded_value(
    func: &'static str,
    f: impl FnOnce() -> Result<SqliteValue, Error>,
) -> rusqlite::Result<SqliteValue> {
    panic::catch_unwind(AssertUnwindSafe(f))
        .unwrap_or_else(|payload| Err(Error::panic(func, payload.as_ref())))
        .map_err(Error::into_sqlite)
}

fn call(spec: &'static FnSpec, ctx: &Context<'_>) -> Result<Value<'static>, Error> {
    let raw: Vec<ValueRef<'_>> = (0..ctx.len()).map(|i| ctx.get_raw(i)).collect();
    functions::check_arity(spec, raw.len())?;
    // The core's rule (NULL in, NULL out, before any coercion), applied here
    // too so that a NULL beside a non-UTF-8 argument gives NULL, not an error.
    if raw.iter().any(|v| matches!(v, ValueRef::Null)) {
        return Ok(Value::Null);
    }
    let args = raw
        .into_iter()
        .zip(spec.args)
        .map(|(v, arg)| convert::from_sqlite(spec, arg, v))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(functions::call(spec, &args)?)
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn arities_end_with_variadic() {
        let spec = functions::find("mask_inner").expect("mask_inner is in the table");
        assert_eq!(arities(spec).collect::<Vec<_>>(), vec![3, 4, -1]);
    }

    #[test]
    fn panic_becomes_error() {
        let r = guarded("mask_inner", || panic!("index out of bounds"));
        assert_eq!(
            r.unwrap_err().to_string(),
            "mask_inner(): internal error: index out of bounds"
        );
        let r = guarded("mask_inner", || Ok(Value::Int(1)));
        assert_eq!(r.unwrap(), SqliteValue::Integer(1));
    }

    #[test]
    fn flags_follow_determinism() {
        for spec in functions::all() {
            let f = flags(spec);
            assert!(f.contains(FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_INNOCUOUS));
            assert!(!f.contains(FunctionFlags::SQLITE_DIRECTONLY));
            assert_eq!(
                f.contains(FunctionFlags::SQLITE_DETERMINISTIC),
                spec.deterministic
            );
        }
    }
}
