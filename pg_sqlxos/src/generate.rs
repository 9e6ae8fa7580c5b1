//! Random generators (`gen_*`, MySQL Enterprise names) and `noise`.
//! All volatile: each call gives a new value. Parallel safe: each worker
//! has its own random state.

use pgrx::prelude::*;

use crate::dispatch::{call_float, call_int, call_text, f, i, spec, t};

#[pg_extern(volatile, strict, parallel_safe)]
fn gen_range(lower: i64, upper: i64) -> Option<i64> {
    call_int(spec!("gen_range"), &[i(lower), i(upper)])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_email")]
fn gen_rnd_email0() -> Option<String> {
    call_text(spec!("gen_rnd_email"), &[])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_email")]
fn gen_rnd_email2(name_size: i64, surname_size: i64) -> Option<String> {
    call_text(spec!("gen_rnd_email"), &[i(name_size), i(surname_size)])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_email")]
fn gen_rnd_email3(name_size: i64, surname_size: i64, domain: &str) -> Option<String> {
    call_text(
        spec!("gen_rnd_email"),
        &[i(name_size), i(surname_size), t(domain)],
    )
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_pan")]
fn gen_rnd_pan0() -> Option<String> {
    call_text(spec!("gen_rnd_pan"), &[])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_pan")]
fn gen_rnd_pan1(size: i64) -> Option<String> {
    call_text(spec!("gen_rnd_pan"), &[i(size)])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_iban")]
fn gen_rnd_iban0() -> Option<String> {
    call_text(spec!("gen_rnd_iban"), &[])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_iban")]
fn gen_rnd_iban1(country: &str) -> Option<String> {
    call_text(spec!("gen_rnd_iban"), &[t(country)])
}

#[pg_extern(volatile, strict, parallel_safe, name = "gen_rnd_iban")]
fn gen_rnd_iban2(country: &str, size: i64) -> Option<String> {
    call_text(spec!("gen_rnd_iban"), &[t(country), i(size)])
}

/// `gen_rnd_ssn()` and the other argument-less generators.
macro_rules! generator {
    ($fn:ident, $sql:tt) => {
        #[pg_extern(volatile, strict, parallel_safe)]
        fn $fn() -> Option<String> {
            call_text(spec!($sql), &[])
        }
    };
}

generator!(gen_rnd_ssn, "gen_rnd_ssn");
generator!(gen_rnd_us_phone, "gen_rnd_us_phone");
generator!(gen_rnd_uk_nin, "gen_rnd_uk_nin");
generator!(gen_rnd_canada_sin, "gen_rnd_canada_sin");
generator!(gen_rnd_uuid, "gen_rnd_uuid");

/// `noise(bigint, ratio)`: the integer moved by at most `ratio` of itself, rounded.
#[pg_extern(volatile, strict, parallel_safe, name = "noise")]
fn noise_int(number: i64, ratio: f64) -> Option<i64> {
    call_int(spec!("noise"), &[i(number), f(ratio)])
}

/// `noise(double precision, ratio)`.
#[pg_extern(volatile, strict, parallel_safe, name = "noise")]
fn noise_float(number: f64, ratio: f64) -> Option<f64> {
    call_float(spec!("noise"), &[f(number), f(ratio)])
}

/// `noise(integer, ratio)`: an `integer` column stays `integer`.
#[pg_extern(volatile, strict, parallel_safe, name = "noise")]
fn noise_int4(number: i32, ratio: f64) -> Option<i32> {
    // |noise| <= |number| * ratio <= |number|, so the result fits in i32.
    call_int(spec!("noise"), &[i(number.into()), f(ratio)])
        .map(|v| v.clamp(i32::MIN.into(), i32::MAX.into()) as i32)
}
