//! `noise(number, ratio)` (sqlxos): perturbs a number by a random relative
//! amount, so aggregates stay roughly right while single values are no
//! longer exact.

use rand::Rng;

use crate::{Error, Result};

fn check_ratio(ratio: f64) -> Result<()> {
    if ratio.is_finite() && (0.0..=1.0).contains(&ratio) {
        Ok(())
    } else {
        Err(Error::invalid(
            "noise",
            "ratio",
            "must be a number between 0 and 1",
            ratio,
        ))
    }
}

/// `noise(number, ratio)` for a float: `x * (1 + u)` with `u` uniform in
/// `[-ratio, +ratio]`. `ratio` must be a finite number from 0 to 1, else an
/// error. A non-finite `x` (NaN, infinity) is returned unchanged.
///
/// ```
/// use rand::{rngs::StdRng, SeedableRng};
/// use sqlxos_core::mask::noise::noise_f64;
/// let mut rng = StdRng::seed_from_u64(0);
/// let y = noise_f64(100.0, 0.1, &mut rng).unwrap();
/// assert!((90.0..=110.0).contains(&y));
/// ```
pub fn noise_f64(x: f64, ratio: f64, rng: &mut impl Rng) -> Result<f64> {
    check_ratio(ratio)?;
    if !x.is_finite() || ratio == 0.0 {
        return Ok(x);
    }
    let u = rng.random_range(-ratio..=ratio);
    Ok(x + x * u)
}

/// `noise(number, ratio)` for an integer: `x + d` where `d` is `x * u`
/// rounded to the nearest integer, `u` uniform in `[-ratio, +ratio]`, and
/// `|d|` never more than `|x| * ratio` (rounded down), so the result always
/// stays within the ratio. Saturates at the `i64` limits. `ratio` must be a
/// finite number from 0 to 1, else an error.
pub fn noise_i64(x: i64, ratio: f64, rng: &mut impl Rng) -> Result<i64> {
    check_ratio(ratio)?;
    if ratio == 0.0 || x == 0 {
        return Ok(x);
    }
    let u = rng.random_range(-ratio..=ratio);
    let xf = x as f64;
    let bound = (xf.abs() * ratio).floor();
    let delta = (xf * u).round().clamp(-bound, bound);
    Ok(x.saturating_add(delta as i64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn ratio_must_be_between_0_and_1() {
        let mut rng = StdRng::seed_from_u64(0);
        assert_eq!(
            noise_f64(1.0, 1.5, &mut rng).unwrap_err().to_string(),
            "noise(): argument \"ratio\" must be a number between 0 and 1, got '1.5'"
        );
        assert_eq!(
            noise_i64(1, -0.1, &mut rng).unwrap_err().to_string(),
            "noise(): argument \"ratio\" must be a number between 0 and 1, got '-0.1'"
        );
        assert!(noise_f64(1.0, f64::NAN, &mut rng).is_err());
        assert!(noise_i64(1, f64::INFINITY, &mut rng).is_err());
        assert!(noise_f64(1.0, 1.0, &mut rng).is_ok());
        assert!(noise_i64(1, 0.0, &mut rng).is_ok());
    }

    #[test]
    fn zero_ratio_and_zero_value_are_exact() {
        let mut rng = StdRng::seed_from_u64(0);
        assert_eq!(noise_f64(3.25, 0.0, &mut rng).unwrap(), 3.25);
        assert_eq!(noise_i64(i64::MAX, 0.0, &mut rng).unwrap(), i64::MAX);
        assert_eq!(noise_i64(0, 1.0, &mut rng).unwrap(), 0);
        assert_eq!(noise_f64(0.0, 1.0, &mut rng).unwrap(), 0.0);
    }

    #[test]
    fn non_finite_values_pass_through() {
        let mut rng = StdRng::seed_from_u64(0);
        assert!(noise_f64(f64::NAN, 0.5, &mut rng).unwrap().is_nan());
        assert_eq!(
            noise_f64(f64::INFINITY, 1.0, &mut rng).unwrap(),
            f64::INFINITY
        );
    }

    #[test]
    fn integer_limits_saturate() {
        let mut rng = StdRng::seed_from_u64(0);
        for _ in 0..200 {
            noise_i64(i64::MAX, 1.0, &mut rng).unwrap();
            let y = noise_i64(i64::MIN, 1.0, &mut rng).unwrap();
            assert!(y <= 0);
        }
    }

    #[test]
    fn noise_actually_varies() {
        let mut rng = StdRng::seed_from_u64(0);
        let ys: std::collections::HashSet<i64> = (0..100)
            .map(|_| noise_i64(1000, 0.2, &mut rng).unwrap())
            .collect();
        assert!(ys.len() > 20);
    }

    proptest! {
        #[test]
        fn float_stays_within_ratio(x in -1e12f64..1e12, ratio in 0.0f64..=1.0, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let y = noise_f64(x, ratio, &mut rng).unwrap();
            let tol = x.abs() * 1e-12;
            prop_assert!((y - x).abs() <= x.abs() * ratio + tol, "x={} y={} ratio={}", x, y, ratio);
        }

        #[test]
        fn int_stays_within_ratio(x in any::<i64>(), ratio in 0.0f64..=1.0, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let y = noise_i64(x, ratio, &mut rng).unwrap();
            let diff = (i128::from(y) - i128::from(x)).abs();
            let bound = ((x as f64).abs() * ratio).floor() as i128;
            prop_assert!(diff <= bound, "x={} y={} ratio={}", x, y, ratio);
            // Sign is preserved (or the value goes to zero with ratio 1).
            prop_assert!(y == 0 || y.signum() == x.signum());
        }
    }
}
