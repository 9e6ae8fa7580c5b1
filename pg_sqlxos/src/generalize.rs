//! `generalize`: numbers floored to a step, dates and timestamps truncated to
//! a granularity. Immutable: the same input always gives the same bucket.
//!
//! Dates and timestamps go to the core as ISO text built from their fields
//! (never through the output function, which follows `DateStyle`).

use pgrx::datum::{Date, Timestamp};
use pgrx::prelude::*;
use sqlxos_core::Error;

use crate::dispatch::{call_float, call_int, call_text, f, i, raise, spec, t};

#[pg_extern(immutable, strict, parallel_safe, name = "generalize")]
fn generalize_int(number: i64, step: i64) -> Option<i64> {
    call_int(spec!("generalize"), &[i(number), i(step)])
}

#[pg_extern(immutable, strict, parallel_safe, name = "generalize")]
fn generalize_float(number: f64, step: f64) -> Option<f64> {
    call_float(spec!("generalize"), &[f(number), f(step)])
}

#[pg_extern(immutable, strict, parallel_safe, name = "generalize")]
fn generalize_date(value: Date, granularity: &str) -> Option<Date> {
    if value.is_infinity() || value.is_neg_infinity() {
        return Some(value);
    }
    let iso = format!(
        "{:04}-{:02}-{:02}",
        value.year(),
        value.month(),
        value.day()
    );
    let out = call_text(spec!("generalize"), &[t(&iso), t(granularity)])?;
    let (y, m, d) = ymd(&out);
    Some(Date::new(y, m, d).unwrap_or_else(|_| bad_result(&out)))
}

#[pg_extern(immutable, strict, parallel_safe, name = "generalize")]
fn generalize_timestamp(value: Timestamp, granularity: &str) -> Option<Timestamp> {
    if value.is_infinity() || value.is_neg_infinity() {
        return Some(value);
    }
    let iso = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        value.year(),
        value.month(),
        value.day(),
        value.hour(),
        value.minute(),
        value.second().floor() as u32
    );
    let out = call_text(spec!("generalize"), &[t(&iso), t(granularity)])?;
    let (y, mo, d) = ymd(&out);
    let hms: Vec<u8> = out
        .get(11..19)
        .unwrap_or("00:00:00")
        .split(':')
        .map(|p| p.parse().unwrap_or_else(|_| bad_result(&out)))
        .collect();
    let (h, mi, s) = (hms[0], hms[1], f64::from(hms[2]));
    Some(Timestamp::new(y, mo, d, h, mi, s).unwrap_or_else(|_| bad_result(&out)))
}

fn ymd(s: &str) -> (i32, u8, u8) {
    let parse = |r: std::ops::Range<usize>| s.get(r).and_then(|p| p.parse::<i64>().ok());
    match (parse(0..4), parse(5..7), parse(8..10)) {
        (Some(y), Some(m), Some(d)) => (y as i32, m as u8, d as u8),
        _ => bad_result(s),
    }
}

fn bad_result(s: &str) -> ! {
    raise(Error::invalid(
        "generalize",
        "value",
        "must be a date within 0001-9999",
        s,
    ))
}

/// `generalize(integer, integer)`: an `integer` column stays `integer`.
#[pg_extern(immutable, strict, parallel_safe, name = "generalize")]
fn generalize_int4(number: i32, step: i32) -> Option<i32> {
    let v = call_int(spec!("generalize"), &[i(number.into()), i(step.into())])?;
    // Flooring can step below i32::MIN only by less than one step.
    Some(i32::try_from(v).unwrap_or_else(|_| {
        raise(Error::invalid(
            "generalize",
            "value",
            "must leave room for a step below it",
            number,
        ))
    }))
}

/// `generalize(text, text)`: ISO date/timestamp text or numeric text, as in
/// MariaDB and SQLite, and what an untyped literal resolves to.
#[pg_extern(immutable, strict, parallel_safe, name = "generalize")]
fn generalize_text(value: &str, granularity: &str) -> Option<String> {
    call_text(spec!("generalize"), &[t(value), t(granularity)])
}
