//! Masking functions: `sqlxos.mask_*` (MySQL Enterprise names and semantics,
//! plus `mask_email` and `mask_phone`) and the keyed pseudonyms.
//! All immutable, strict and parallel safe.
//!
//! Optional trailing arguments (`[, mask_char]`) are overloads rather than
//! SQL defaults, so each default lives only in the core.

use pgrx::prelude::*;

use crate::dispatch::{call_text, i, spec, t};

/// `name(str)` and `name(str, mask_char)`.
macro_rules! mask_with_char {
    ($one:ident, $two:ident, $sql:tt) => {
        #[pg_extern(immutable, strict, parallel_safe, name = $sql)]
        fn $one(str: &str) -> Option<String> {
            call_text(spec!($sql), &[t(str)])
        }

        #[pg_extern(immutable, strict, parallel_safe, name = $sql)]
        fn $two(str: &str, mask_char: &str) -> Option<String> {
            call_text(spec!($sql), &[t(str), t(mask_char)])
        }
    };
}

/// `name(str, margin1, margin2)` and `name(str, margin1, margin2, mask_char)`.
macro_rules! mask_with_margins {
    ($three:ident, $four:ident, $sql:tt) => {
        #[pg_extern(immutable, strict, parallel_safe, name = $sql)]
        fn $three(str: &str, margin1: i64, margin2: i64) -> Option<String> {
            call_text(spec!($sql), &[t(str), i(margin1), i(margin2)])
        }

        #[pg_extern(immutable, strict, parallel_safe, name = $sql)]
        fn $four(str: &str, margin1: i64, margin2: i64, mask_char: &str) -> Option<String> {
            call_text(spec!($sql), &[t(str), i(margin1), i(margin2), t(mask_char)])
        }
    };
}

mask_with_margins!(mask_inner3, mask_inner4, "mask_inner");
mask_with_margins!(mask_outer3, mask_outer4, "mask_outer");
mask_with_char!(mask_pan1, mask_pan2, "mask_pan");
mask_with_char!(mask_pan_relaxed1, mask_pan_relaxed2, "mask_pan_relaxed");
mask_with_char!(mask_ssn1, mask_ssn2, "mask_ssn");
mask_with_char!(mask_iban1, mask_iban2, "mask_iban");
mask_with_char!(mask_uk_nin1, mask_uk_nin2, "mask_uk_nin");
mask_with_char!(mask_canada_sin1, mask_canada_sin2, "mask_canada_sin");
mask_with_char!(mask_uuid1, mask_uuid2, "mask_uuid");
mask_with_char!(mask_email1, mask_email2, "mask_email");

#[pg_extern(immutable, strict, parallel_safe, name = "mask_phone")]
fn mask_phone1(phone: &str) -> Option<String> {
    call_text(spec!("mask_phone"), &[t(phone)])
}

#[pg_extern(immutable, strict, parallel_safe, name = "mask_phone")]
fn mask_phone2(phone: &str, keep_last: i64) -> Option<String> {
    call_text(spec!("mask_phone"), &[t(phone), i(keep_last)])
}

#[pg_extern(immutable, strict, parallel_safe, name = "mask_phone")]
fn mask_phone3(phone: &str, keep_last: i64, mask_char: &str) -> Option<String> {
    call_text(spec!("mask_phone"), &[t(phone), i(keep_last), t(mask_char)])
}

/// Keyed, deterministic pseudonym: the same in PostgreSQL, MariaDB and SQLite.
#[pg_extern(immutable, strict, parallel_safe)]
fn pseudonymize(value: &str, salt: &str) -> Option<String> {
    call_text(spec!("pseudonymize"), &[t(value), t(salt)])
}

/// Format-keeping pseudonym of an email address.
#[pg_extern(immutable, strict, parallel_safe)]
fn pseudonymize_email(email: &str, salt: &str) -> Option<String> {
    call_text(spec!("pseudonymize_email"), &[t(email), t(salt)])
}
