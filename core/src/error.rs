//! The one error type of the core. Adapters map it once at their boundary:
//! PostgreSQL raises it with [`Error::sqlstate`], MariaDB returns NULL with the
//! message in the UDF error, SQLite calls `sqlite3_result_error`.

use std::fmt;

/// An error that sqlxos reports to a user. The `Display` text is the same in
/// every engine.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// An argument has a value the function cannot accept.
    /// Displayed as `mask_inner(): argument "margin1" must be >= 0, got '-1'`.
    #[error("{func}(): argument \"{arg}\" {expected}, got {got}")]
    InvalidArgument {
        /// Function name without engine prefix, e.g. `mask_inner`.
        func: &'static str,
        /// Argument name as documented, e.g. `margin1`.
        arg: &'static str,
        /// What was expected, e.g. `must be >= 0`.
        expected: String,
        /// A short, quoted rendering of what was given (truncated).
        got: String,
    },
    /// The function was called with the wrong number of arguments.
    #[error("{func}(): expected {expected} argument{}, got {got}", if expected == "1" { "" } else { "s" })]
    WrongArgCount {
        func: &'static str,
        expected: String,
        got: usize,
    },
    /// A function name that sqlxos does not know (adapter dispatch).
    #[error("sqlxos has no function named {0}")]
    UnknownFunction(String),
    /// SQL text that sqlxos cannot analyse: it does not parse, is empty,
    /// holds several statements, or is too long or too deeply nested.
    /// Displayed as `could not parse SQL: expected one statement, found 2`.
    #[error("could not parse SQL: {0}")]
    Parse(String),
}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// SQLSTATE classes the PostgreSQL adapter raises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlState {
    /// 22023 invalid_parameter_value
    InvalidParameterValue,
    /// 42883 undefined_function
    UndefinedFunction,
    /// 42601 syntax_error
    SyntaxError,
}

impl Error {
    /// The SQLSTATE that fits this error.
    pub fn sqlstate(&self) -> SqlState {
        match self {
            Error::InvalidArgument { .. } | Error::WrongArgCount { .. } => {
                SqlState::InvalidParameterValue
            }
            Error::UnknownFunction(_) => SqlState::UndefinedFunction,
            Error::Parse(_) => SqlState::SyntaxError,
        }
    }

    /// Builds an [`Error::InvalidArgument`], rendering `got` quoted and cut
    /// to at most 40 characters so a huge input never floods an error.
    pub fn invalid(
        func: &'static str,
        arg: &'static str,
        expected: impl Into<String>,
        got: impl fmt::Display,
    ) -> Error {
        Error::InvalidArgument {
            func,
            arg,
            expected: expected.into(),
            got: quote_short(&got.to_string()),
        }
    }
}

/// Renders a user value for an error message: quoted, control characters
/// escaped, at most 40 characters (then `...`).
pub fn quote_short(s: &str) -> String {
    const MAX: usize = 40;
    let mut out = String::with_capacity(s.len().min(MAX) + 5);
    out.push('\'');
    for (n, c) in s.chars().enumerate() {
        if n == MAX {
            out.push_str("...");
            break;
        }
        match c {
            '\'' => out.push_str("''"),
            c if c.is_control() => out.push_str(&c.escape_default().to_string()),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}
