//! `sqlxos.version()`.

use pgrx::prelude::*;

use crate::dispatch::{call_text, spec};

/// The sqlxos version, the same string in every engine.
#[pg_extern(immutable, strict, parallel_safe)]
fn version() -> String {
    call_text(spec!("version"), &[]).unwrap_or_default()
}
