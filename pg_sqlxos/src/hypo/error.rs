//! The errors of the what-if planner, mapped once to a SQLSTATE.

use std::fmt;

use pgrx::pg_sys::panic::{CaughtError, ErrorReport};
use pgrx::{PgLogLevel, PgSqlErrorCode};

/// Why a hypothetical index or a query was refused. Every message starts
/// with the argument it is about (`query: ...`, `index_ddl[2]: ...`).
#[derive(Debug, Clone, PartialEq)]
pub enum HypoError {
    /// A value of the wrong kind: not btree, an expression index, DDL where
    /// a query belongs... (22023)
    InvalidArgument(String),
    /// The table does not exist (42P01).
    UndefinedTable(String),
    /// A column does not exist (42703).
    UndefinedColumn(String),
    /// An error PostgreSQL raised (a syntax error, a type error...), with its
    /// SQLSTATE and the argument named in front of its message.
    Postgres {
        /// The SQLSTATE PostgreSQL raised.
        code: PgSqlErrorCode,
        /// The message, prefixed with the argument.
        message: String,
    },
}

impl HypoError {
    /// The SQLSTATE this error is raised with.
    pub fn sqlstate(&self) -> PgSqlErrorCode {
        match self {
            HypoError::InvalidArgument(_) => PgSqlErrorCode::ERRCODE_INVALID_PARAMETER_VALUE,
            HypoError::UndefinedTable(_) => PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE,
            HypoError::UndefinedColumn(_) => PgSqlErrorCode::ERRCODE_UNDEFINED_COLUMN,
            HypoError::Postgres { code, .. } => *code,
        }
    }

    /// Converts an error caught from PostgreSQL (or from a Rust panic) into
    /// a [`HypoError`] naming `what`.
    pub(crate) fn from_caught(what: &str, e: CaughtError) -> HypoError {
        match e {
            CaughtError::PostgresError(r) | CaughtError::ErrorReport(r) => {
                let m = r.message();
                let prefix = format!("{what}: ");
                HypoError::Postgres {
                    code: r.sql_error_code(),
                    message: if m.starts_with(&prefix) {
                        m.to_owned()
                    } else {
                        format!("{prefix}{m}")
                    },
                }
            }
            CaughtError::RustPanic { ereport, .. } => HypoError::Postgres {
                code: PgSqlErrorCode::ERRCODE_INTERNAL_ERROR,
                message: format!("{what}: {}", ereport.message()),
            },
        }
    }

    /// Raises this error as a PostgreSQL ERROR (the one mapping).
    pub fn raise(self) -> ! {
        ErrorReport::new(self.sqlstate(), self.to_string(), "sqlxos").report(PgLogLevel::ERROR);
        unreachable!("an ERROR report does not return")
    }
}

impl fmt::Display for HypoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HypoError::InvalidArgument(m)
            | HypoError::UndefinedTable(m)
            | HypoError::UndefinedColumn(m)
            | HypoError::Postgres { message: m, .. } => f.write_str(m),
        }
    }
}

impl std::error::Error for HypoError {}
