//! The SQL names the plugin offers, derived from the function table.
//!
//! Shared by `build.rs` (which stamps out the C symbols for every name) and
//! the crate (which renders `sql/mariadb/*.sql` from it in a test), so the
//! symbols and the install script cannot disagree. Depends on `sqlxos_core`
//! alone, because the build script compiles it too.

use sqlxos_core::functions::{self, FnSpec, ReturnKind};

/// Prefix of every sqlxos function in engines with one global namespace.
pub const PREFIX: &str = "sqlxos_";

/// The library file name that `install.sql` names (`SONAME`): the built
/// `libsqlxos_mysql.so`, copied into the server's `plugin_dir`.
pub const SONAME: &str = "sqlxos.so";

/// One SQL function of the plugin: its name in MariaDB (equal to its
/// exported C symbol) and the table entry it runs.
#[derive(Debug, Clone)]
pub struct SqlName {
    /// `sqlxos_mask_inner`, or the bare `mask_inner` for an alias.
    pub sql: String,
    pub spec: &'static FnSpec,
    /// True for a MySQL Enterprise-compatible bare name.
    pub alias: bool,
}

/// Every SQL name: `sqlxos_<name>` for each table entry, in table order,
/// then the bare MySQL Enterprise aliases, in table order.
pub fn sql_names() -> Vec<SqlName> {
    let all = functions::all();
    let prefixed = all.iter().map(|spec| SqlName {
        sql: format!("{PREFIX}{}", spec.name),
        spec,
        alias: false,
    });
    let aliases = all
        .iter()
        .filter(|spec| spec.mysql_enterprise)
        .map(|spec| SqlName {
            sql: spec.name.to_owned(),
            spec,
            alias: true,
        });
    prefixed.chain(aliases).collect()
}

/// What a UDF returns. `LikeFirstArg` (`noise`, `generalize`) is declared
/// STRING: a UDF has one fixed return type, and text holds both numbers and
/// dates exactly; MariaDB converts it back in numeric context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UdfReturn {
    String,
    Integer,
    Real,
}

impl UdfReturn {
    pub fn of(kind: ReturnKind) -> UdfReturn {
        match kind {
            ReturnKind::Text | ReturnKind::LikeFirstArg => UdfReturn::String,
            ReturnKind::Int => UdfReturn::Integer,
            ReturnKind::Float => UdfReturn::Real,
        }
    }

    /// The keyword of `CREATE FUNCTION ... RETURNS <kw>`, also the value of
    /// `mysql.func.ret` as `0 = STRING, 1 = REAL, 2 = INTEGER`.
    pub fn sql(self) -> &'static str {
        match self {
            UdfReturn::String => "STRING",
            UdfReturn::Integer => "INTEGER",
            UdfReturn::Real => "REAL",
        }
    }

    /// The token `build.rs` passes to the `udf!` macro.
    pub fn macro_kind(self) -> &'static str {
        match self {
            UdfReturn::String => "string",
            UdfReturn::Integer => "integer",
            UdfReturn::Real => "real",
        }
    }
}
