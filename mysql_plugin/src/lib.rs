//! sqlxos for MariaDB (and MySQL): a UDF plugin, installed as `sqlxos.so`.
//!
//! ```sql
//! CREATE OR REPLACE FUNCTION sqlxos_mask_inner RETURNS STRING SONAME 'sqlxos.so';
//! SELECT sqlxos_mask_inner('This is a string', 5, 1);  -- This XXXXXXXXXXg
//! ```
//!
//! A thin adapter over [`sqlxos_core::functions`]: every entry of the
//! function table is exported as `sqlxos_<name>`, and entries marked
//! `mysql_enterprise` also under their bare MySQL Enterprise name. MariaDB
//! finds a UDF by the C symbol equal to its SQL name, so `build.rs` stamps out
//! `<name>`, `<name>_init` and `<name>_deinit` for every name with the
//! [`udf!`](crate::udf::udf) macro; all of them run the generic code in
//! [`udf`], which converts arguments ([`args`]), calls the core and maps its
//! errors. `sql/mariadb/install.sql` and `uninstall.sql` are rendered from
//! the same list of names ([`names`]) and checked by a test.

pub mod advice;
pub mod aggregate;
pub mod args;
pub mod ffi;
pub mod names;
pub mod udf;

#[cfg(test)]
mod procedures;
#[cfg(test)]
mod scripts;

/// The exported symbols: one `udf!` line per SQL name, written by `build.rs`.
mod exports {
    use crate::udf::udf;

    include!(concat!(env!("OUT_DIR"), "/udfs.rs"));
}
