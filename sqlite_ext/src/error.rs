//! Errors of the adapter, mapped once to `sqlite3_result_error`.
//!
//! The text the user sees is exactly the `Display` of [`Error`]: for core
//! errors, the core's own text (`mask_inner(): argument "margin1" must be >=
//! 0, got -1`), the same as in PostgreSQL and MariaDB.

use std::any::Any;

/// What can go wrong in one call of a `sqlxos_*` function.
#[derive(Debug, thiserror::Error)]
pub(crate) enum Error {
    /// The core refused the call (arity, argument value, coercion), or the
    /// adapter refused an argument the way the core would (not UTF-8).
    #[error(transparent)]
    Core(#[from] sqlxos_core::Error),
    /// Anything else a function or virtual table refuses or fails at, said
    /// in plain words: `suggest_indexes_for(): argument "sql" ...`.
    #[error("{func}(): {message}")]
    Message { func: &'static str, message: String },
    /// A panic in the core, caught before it could reach SQLite.
    #[error("{func}(): internal error: {message}")]
    Panic { func: &'static str, message: String },
}

impl Error {
    /// Builds [`Error::Panic`] from a `catch_unwind` payload.
    pub(crate) fn panic(func: &'static str, payload: &(dyn Any + Send)) -> Error {
        let message = if let Some(s) = payload.downcast_ref::<&str>() {
            (*s).to_owned()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_owned()
        };
        Error::Panic { func, message }
    }

    /// The error rusqlite reports with `sqlite3_result_error`, its text
    /// unchanged. rusqlite drops a message holding a NUL byte (it needs a C
    /// string), so a NUL is spelled `\0`; core messages never hold one.
    pub(crate) fn into_sqlite(self) -> rusqlite::Error {
        let text = self.to_string().replace('\0', "\\0");
        rusqlite::Error::UserFunctionError(text.into())
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn core_text_is_unchanged() {
        let core = sqlxos_core::Error::invalid("mask_inner", "margin1", "must be >= 0", -1);
        let text = core.to_string();
        assert_eq!(Error::from(core).into_sqlite().to_string(), text);
    }

    #[test]
    fn panic_payloads() {
        let e = Error::panic("f", &"boom");
        assert_eq!(e.to_string(), "f(): internal error: boom");
        let e = Error::panic("f", &String::from("nul\0inside"));
        assert_eq!(
            e.into_sqlite().to_string(),
            "f(): internal error: nul\\0inside"
        );
        let e = Error::panic("f", &42_u8);
        assert_eq!(e.to_string(), "f(): internal error: panic");
    }
}
