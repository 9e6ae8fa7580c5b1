//! sqlxos-core: every piece of sqlxos's analysis, in plain Rust.
//!
//! Nothing here knows about an engine's C API. The three adapters
//! (`pg_sqlxos`, `mysql_plugin`, `sqlite_ext`) convert values, call into this
//! crate and map [`Error`] to their engine's error mechanism, once.

pub mod advisor;
pub mod catalog;
pub mod error;
pub mod functions;
pub mod mask;
pub mod sql;
pub mod value;

pub use error::{Error, Result};
pub use value::Value;

/// The version reported by `version()` in every engine.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
