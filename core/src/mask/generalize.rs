//! `generalize(value, granularity)` (sqlxos): coarsens a number to a
//! multiple of a step, or a date/timestamp to the start of a calendar unit,
//! so values are grouped instead of exact (k-anonymity style).

use super::datetime::{DateTime, Unit};
use crate::{Error, Result, Value};

const F: &str = "generalize";
const UNITS: &str = "must be one of year, quarter, month, week, day, hour, minute";

fn bad_step(got: impl std::fmt::Display) -> Error {
    Error::invalid(F, "granularity", "must be a number > 0", got)
}

/// `generalize(x, step)` for integers: `x` rounded down (toward negative
/// infinity) to a multiple of `step`, which must be > 0. An error if the
/// multiple is below `i64::MIN`.
///
/// ```
/// use sqlxos_core::mask::generalize::generalize_i64;
/// assert_eq!(generalize_i64(42, 10).unwrap(), 40);
/// assert_eq!(generalize_i64(-1, 10).unwrap(), -10);
/// ```
pub fn generalize_i64(x: i64, step: i64) -> Result<i64> {
    if step <= 0 {
        return Err(bad_step(step));
    }
    let step128 = i128::from(step);
    let g = i128::from(x.div_euclid(step)) * step128;
    i64::try_from(g).map_err(|_| {
        // The smallest multiple of step that is still an i64.
        let lowest = -((1i128 << 63) / step128 * step128);
        Error::invalid(
            F,
            "value",
            format!("must be at least {lowest} for granularity {step}"),
            x,
        )
    })
}

/// `generalize(x, step)` for floats: the largest multiple of `step` not
/// above `x`, so `g <= x < g + step`. `x` must be finite and `step` a
/// finite number > 0.
///
/// ```
/// use sqlxos_core::mask::generalize::generalize_f64;
/// assert_eq!(generalize_f64(3.7, 0.5).unwrap(), 3.5);
/// ```
pub fn generalize_f64(x: f64, step: f64) -> Result<f64> {
    if !(step.is_finite() && step > 0.0) {
        return Err(bad_step(step));
    }
    if !x.is_finite() {
        return Err(Error::invalid(F, "value", "must be a finite number", x));
    }
    let mut k = (x / step).floor();
    if !k.is_finite() {
        // x / step overflows (a huge x, a tiny step): the remainder is
        // exact in floating point, so take it off instead.
        let r = x % step;
        return Ok(if r < 0.0 { x - r - step } else { x - r });
    }
    // x / step is rounded; correct by one step where that crossed a multiple.
    if k * step > x {
        k -= 1.0;
    } else if (k + 1.0) * step <= x {
        k += 1.0;
    }
    Ok(k * step)
}

/// `generalize(text, unit)` for dates and timestamps: truncates to the
/// start of `unit` (`year`, `quarter`, `month`, `week` (ISO, Monday),
/// `day`, `hour`, `minute`; case-insensitive) and answers in the shape it
/// was given: a date for a date, `YYYY-MM-DD HH:MM:SS` for a timestamp (a
/// UTC offset, if given, is kept). See [`super::datetime`] for the accepted
/// forms. A bad unit or text is an error naming the argument.
///
/// ```
/// use sqlxos_core::mask::generalize::generalize_datetime;
/// assert_eq!(generalize_datetime("2024-05-17", "month").unwrap(), "2024-05-01");
/// assert_eq!(
///     generalize_datetime("2024-05-17T13:45:12.5", "HOUR").unwrap(),
///     "2024-05-17 13:00:00"
/// );
/// ```
pub fn generalize_datetime(text: &str, granularity: &str) -> Result<String> {
    let unit = Unit::parse(granularity)
        .ok_or_else(|| Error::invalid(F, "granularity", UNITS, granularity))?;
    let dt = DateTime::parse(text).ok_or_else(|| {
        Error::invalid(
            F,
            "value",
            "must be a number, a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DD HH:MM:SS)",
            text,
        )
    })?;
    Ok(dt.truncate(unit).to_string())
}

/// A numeric step, from a number or from text that spells one.
enum Step {
    Int(i64),
    Float(f64),
}

fn numeric_step(v: &Value<'_>) -> Option<Step> {
    match v {
        Value::Int(i) => Some(Step::Int(*i)),
        Value::Float(f) => Some(Step::Float(*f)),
        Value::Text(t) => {
            let t = t.trim();
            if let Ok(i) = t.parse::<i64>() {
                Some(Step::Int(i))
            } else {
                t.parse::<f64>().ok().map(Step::Float)
            }
        }
        Value::Null => None,
    }
}

/// A float step that is a whole number and fits `i64`, as an integer step.
fn integral(f: f64) -> Option<i64> {
    (f.fract() == 0.0 && f.abs() < 9.0e18).then_some(f as i64)
}

/// An integer generalized by any numeric step. With a fractional step the
/// multiple may be fractional too; it is rounded down to an integer, which
/// keeps `result <= x`.
fn int_by(x: i64, step: &Step) -> Result<i64> {
    match *step {
        Step::Int(s) => generalize_i64(x, s),
        Step::Float(s) => match integral(s) {
            Some(s) => generalize_i64(x, s),
            None => Ok(generalize_f64(x as f64, s)?.floor() as i64),
        },
    }
}

fn float_by(x: f64, step: &Step) -> Result<f64> {
    match *step {
        Step::Int(s) if s <= 0 => Err(bad_step(s)),
        Step::Int(s) => generalize_f64(x, s as f64),
        Step::Float(s) => generalize_f64(x, s),
    }
}

/// The function-table form of `generalize`: a number (or numeric text) with
/// a numeric `granularity` is generalized as a number, anything else as a
/// date or timestamp. Answers in the kind of `value`: an integer for an
/// integer, a float for a float, text for text.
pub fn generalize_value(value: &Value<'_>, granularity: &Value<'_>) -> Result<Value<'static>> {
    let step = numeric_step(granularity);
    let need_number = || {
        Error::invalid(
            F,
            "granularity",
            "must be a number > 0 when value is a number",
            match granularity {
                Value::Text(t) => t.to_string(),
                _ => String::new(),
            },
        )
    };
    Ok(match value {
        Value::Null => Value::Null,
        Value::Int(x) => Value::Int(int_by(*x, &step.ok_or_else(need_number)?)?),
        Value::Float(x) => Value::Float(float_by(*x, &step.ok_or_else(need_number)?)?),
        Value::Text(t) => match step {
            Some(step) => {
                let s = t.trim();
                if let Ok(x) = s.parse::<i64>() {
                    Value::from(int_by(x, &step)?.to_string())
                } else if let Ok(x) = s.parse::<f64>() {
                    Value::from(float_by(x, &step)?.to_string())
                } else {
                    return Err(Error::invalid(
                        F,
                        "value",
                        "must be a number when granularity is a number",
                        t,
                    ));
                }
            }
            None => {
                let g = match granularity {
                    Value::Text(g) => g,
                    _ => unreachable!("non-text granularity is numeric"),
                };
                Value::from(generalize_datetime(t, g)?)
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn integers() {
        assert_eq!(generalize_i64(42, 10).unwrap(), 40);
        assert_eq!(generalize_i64(40, 10).unwrap(), 40);
        assert_eq!(generalize_i64(-1, 10).unwrap(), -10);
        assert_eq!(generalize_i64(-10, 10).unwrap(), -10);
        assert_eq!(generalize_i64(0, 7).unwrap(), 0);
        assert_eq!(generalize_i64(17, 1).unwrap(), 17);
        assert_eq!(
            generalize_i64(i64::MAX, 10).unwrap(),
            9_223_372_036_854_775_800
        );
        assert_eq!(generalize_i64(i64::MIN, 1).unwrap(), i64::MIN);
        assert_eq!(generalize_i64(i64::MIN, 2).unwrap(), i64::MIN);
        assert_eq!(generalize_i64(5, i64::MAX).unwrap(), 0);
        assert_eq!(
            generalize_i64(42, 0).unwrap_err().to_string(),
            "generalize(): argument \"granularity\" must be a number > 0, got '0'"
        );
        assert!(generalize_i64(42, -5).is_err());
        assert_eq!(
            generalize_i64(i64::MIN, 10).unwrap_err().to_string(),
            "generalize(): argument \"value\" must be at least -9223372036854775800 for \
             granularity 10, got '-9223372036854775808'"
        );
    }

    #[test]
    fn floats() {
        assert_eq!(generalize_f64(3.7, 0.5).unwrap(), 3.5);
        assert_eq!(generalize_f64(-0.1, 0.5).unwrap(), -0.5);
        assert_eq!(generalize_f64(3.5, 0.5).unwrap(), 3.5);
        assert_eq!(generalize_f64(0.3, 0.1).unwrap(), 0.2);
        assert_eq!(generalize_f64(42.0, 10.0).unwrap(), 40.0);
        // x / step overflows: still finite, g <= x and x - g < step.
        for (x, step) in [
            (1e308, 0.5),
            (-1e308, 0.5),
            (f64::MAX, 0.25),
            (1e308, 1e-300),
            (-1.7e308, 3e-10),
        ] {
            let g = generalize_f64(x, step).unwrap();
            assert!(g.is_finite() && g <= x && x - g < step, "{x} {step}: {g}");
        }
        assert_eq!(generalize_f64(1e308, 0.5).unwrap(), 1e308);
        assert_eq!(
            generalize_f64(1.0, 0.0).unwrap_err().to_string(),
            "generalize(): argument \"granularity\" must be a number > 0, got '0'"
        );
        assert!(generalize_f64(1.0, f64::NAN).is_err());
        assert!(generalize_f64(1.0, f64::INFINITY).is_err());
        assert_eq!(
            generalize_f64(f64::NAN, 1.0).unwrap_err().to_string(),
            "generalize(): argument \"value\" must be a finite number, got 'NaN'"
        );
    }

    #[test]
    fn datetimes() {
        assert_eq!(
            generalize_datetime("2024-05-17", "year").unwrap(),
            "2024-01-01"
        );
        assert_eq!(
            generalize_datetime("2024-05-17", "Quarter").unwrap(),
            "2024-04-01"
        );
        assert_eq!(
            generalize_datetime("2024-05-17", "week").unwrap(),
            "2024-05-13"
        );
        assert_eq!(
            generalize_datetime("2024-05-17 13:45:12", "minute").unwrap(),
            "2024-05-17 13:45:00"
        );
        assert_eq!(
            generalize_datetime("2024-05-17", "fortnight")
                .unwrap_err()
                .to_string(),
            "generalize(): argument \"granularity\" must be one of year, quarter, month, \
             week, day, hour, minute, got 'fortnight'"
        );
        assert_eq!(
            generalize_datetime("17/05/2024", "day")
                .unwrap_err()
                .to_string(),
            "generalize(): argument \"value\" must be a number, a date (YYYY-MM-DD) or a \
             timestamp (YYYY-MM-DD HH:MM:SS), got '17/05/2024'"
        );
        let e = generalize_datetime(&"9".repeat(1 << 20), "day")
            .unwrap_err()
            .to_string();
        assert!(e.len() < 200);
        assert!(generalize_datetime("2024-05-17\0", "day").is_err());
    }

    fn gv(v: Value<'static>, g: Value<'static>) -> Result<Value<'static>> {
        generalize_value(&v, &g)
    }

    #[test]
    fn dispatch_on_kinds() {
        let t = |s: &str| Value::from(s.to_owned());
        assert_eq!(gv(Value::Int(42), Value::Int(10)).unwrap(), Value::Int(40));
        assert_eq!(gv(Value::Int(-1), Value::Int(10)).unwrap(), Value::Int(-10));
        assert_eq!(
            gv(Value::Int(42), Value::Float(10.0)).unwrap(),
            Value::Int(40)
        );
        assert_eq!(gv(Value::Int(3), Value::Float(2.5)).unwrap(), Value::Int(2));
        assert_eq!(gv(Value::Int(42), t("10")).unwrap(), Value::Int(40));
        assert_eq!(
            gv(Value::Float(3.7), Value::Float(0.5)).unwrap(),
            Value::Float(3.5)
        );
        assert_eq!(
            gv(Value::Float(3.7), Value::Int(2)).unwrap(),
            Value::Float(2.0)
        );
        assert_eq!(gv(t("42"), Value::Int(10)).unwrap(), t("40"));
        assert_eq!(gv(t(" 42 "), t("10")).unwrap(), t("40"));
        assert_eq!(gv(t("3.7"), t("0.5")).unwrap(), t("3.5"));
        assert_eq!(gv(t("42.5"), Value::Int(10)).unwrap(), t("40"));
        assert_eq!(gv(t("2024-05-17"), t("month")).unwrap(), t("2024-05-01"));
        assert_eq!(
            gv(t("2024-05-17 13:45:12"), t("DAY")).unwrap(),
            t("2024-05-17 00:00:00")
        );
        // Numeric text with a unit is read as a date, and is not one.
        assert!(gv(t("42"), t("month")).is_err());
    }

    #[test]
    fn dispatch_errors() {
        let t = |s: &str| Value::from(s.to_owned());
        assert_eq!(
            gv(Value::Int(42), t("month")).unwrap_err().to_string(),
            "generalize(): argument \"granularity\" must be a number > 0 when value is a \
             number, got 'month'"
        );
        assert!(gv(Value::Float(1.0), t("day")).is_err());
        assert_eq!(
            gv(t("2024-05-17"), Value::Int(10)).unwrap_err().to_string(),
            "generalize(): argument \"value\" must be a number when granularity is a number, \
             got '2024-05-17'"
        );
        assert!(gv(Value::Int(1), Value::Int(0)).is_err());
        assert!(gv(Value::Float(1.0), Value::Int(-1)).is_err());
        assert!(gv(Value::Float(1.0), Value::Float(f64::NAN)).is_err());
        assert_eq!(gv(Value::Null, Value::Int(1)).unwrap(), Value::Null);
    }

    proptest! {
        #[test]
        fn int_bounds(x in any::<i64>(), step in 1i64..1_000_000) {
            if let Ok(g) = generalize_i64(x, step) {
                prop_assert!(g <= x);
                prop_assert!(i128::from(x) < i128::from(g) + i128::from(step));
                prop_assert_eq!(g.rem_euclid(step), 0);
            } else {
                prop_assert!(i128::from(x) - i128::from(x.rem_euclid(step)) < i128::from(i64::MIN));
            }
        }

        #[test]
        fn float_bounds(x in -1e9f64..1e9, step in 1e-3f64..1e4) {
            let g = generalize_f64(x, step).unwrap();
            prop_assert!(g <= x, "g={} x={} step={}", g, x, step);
            prop_assert!(x < g + step, "g={} x={} step={}", g, x, step);
        }

        #[test]
        fn generalizing_twice_changes_nothing(x in any::<i64>(), step in 1i64..1000) {
            if let Ok(g) = generalize_i64(x, step) {
                prop_assert_eq!(generalize_i64(g, step).unwrap(), g);
            }
        }
    }
}
