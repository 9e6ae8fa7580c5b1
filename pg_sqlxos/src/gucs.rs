//! Every GUC of sqlxos, registered from one [`init`]. The `sqlxos.` prefix is
//! reserved, so a typo such as `SET sqlxos.error_valeus = off` is an error
//! instead of a silently ignored placeholder.

use pgrx::{GucContext, GucFlags, GucRegistry, GucSetting};

/// `sqlxos.error_values` (default on): whether an error about a bad
/// argument quotes the value it rejected (at most 40 characters). Turn it
/// off where arguments are personal data that must never reach the server
/// log, which records every error message.
pub static ERROR_VALUES: GucSetting<bool> = GucSetting::<bool>::new(true);

/// Registers the GUCs. Called from `_PG_init`, once per process.
pub fn init() {
    GucRegistry::define_bool_guc(
        c"sqlxos.error_values",
        c"Quote the rejected value (at most 40 characters) in sqlxos argument errors.",
        c"Turn off where arguments are personal data that must not reach the server log.",
        &ERROR_VALUES,
        GucContext::Userset,
        GucFlags::default(),
    );
    // SAFETY: called from _PG_init after our variables are defined, with a
    // static NUL-terminated string, as PostgreSQL's contrib modules do.
    unsafe { pgrx::pg_sys::MarkGUCPrefixReserved(c"sqlxos".as_ptr()) };
}

/// The value of `sqlxos.error_values`.
pub fn error_values() -> bool {
    ERROR_VALUES.get()
}
