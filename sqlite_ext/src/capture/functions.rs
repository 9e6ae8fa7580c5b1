//! `sqlxos_capture(mode)` and `sqlxos_reset()`.
//!
//! ```sql
//! SELECT sqlxos_capture('on');   -- 'on'; recording starts
//! SELECT sqlxos_capture();       -- 'on' or 'off': the current state
//! SELECT sqlxos_reset();         -- number of entries forgotten
//! SELECT sqlxos_capture('off');  -- 'off'; entries are kept
//! ```
//!
//! Both change the connection's state, so they are `SQLITE_DIRECTONLY`: a
//! trigger or view of an untrusted schema cannot call them.

use std::sync::Arc;

use rusqlite::functions::{Context, FunctionFlags};
use rusqlite::types::{Value as SqliteValue, ValueRef};
use rusqlite::Connection;

use super::ConnState;
use crate::error::Error;

/// Registers both functions on `db`.
pub(crate) fn register(db: &Connection, state: &Arc<ConnState>) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
    for n_arg in [0, 1, -1] {
        let s = Arc::clone(state);
        db.create_scalar_function("sqlxos_capture", n_arg, flags, move |ctx| {
            crate::register::guarded_value("capture", || capture(&s, ctx))
        })?;
    }
    for n_arg in [0, -1] {
        let s = Arc::clone(state);
        db.create_scalar_function("sqlxos_reset", n_arg, flags, move |ctx| {
            crate::register::guarded_value("reset", || reset(&s, ctx))
        })?;
    }
    Ok(())
}

fn state_text(s: &ConnState) -> SqliteValue {
    SqliteValue::Text(if s.capturing() { "on" } else { "off" }.to_owned())
}

fn capture(s: &Arc<ConnState>, ctx: &Context<'_>) -> Result<SqliteValue, Error> {
    match ctx.len() {
        0 => return Ok(state_text(s)),
        1 => {}
        n => {
            return Err(sqlxos_core::Error::WrongArgCount {
                func: "capture",
                expected: "0 to 1".into(),
                got: n,
            }
            .into())
        }
    }
    let expected = "must be 'on' or 'off'";
    let mode = match ctx.get_raw(0) {
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
        ValueRef::Null => {
            return Err(sqlxos_core::Error::InvalidArgument {
                func: "capture",
                arg: "mode",
                expected: expected.into(),
                got: "NULL".into(),
            }
            .into())
        }
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Blob(b) => String::from_utf8_lossy(b).into_owned(),
    };
    match mode.trim().to_ascii_lowercase().as_str() {
        "on" => s.start(),
        "off" => s.stop(),
        _ => return Err(sqlxos_core::Error::invalid("capture", "mode", expected, mode).into()),
    }
    Ok(state_text(s))
}

fn reset(s: &ConnState, ctx: &Context<'_>) -> Result<SqliteValue, Error> {
    if !ctx.is_empty() {
        return Err(sqlxos_core::Error::WrongArgCount {
            func: "reset",
            expected: "0".into(),
            got: ctx.len(),
        }
        .into());
    }
    let n = s.store().reset();
    Ok(SqliteValue::Integer(i64::try_from(n).unwrap_or(i64::MAX)))
}
