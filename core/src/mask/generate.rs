//! `gen_range`: a random integer in a range. The other generators live with
//! the value they generate (`pan`, `iban`, `ssn`, ...); the thread-local
//! generator the function table uses is in [`super::rng`].

use rand::Rng;

/// `gen_range(lower, upper)`: a random integer from `lower` to `upper`
/// inclusive, uniformly chosen; NULL (`None`) if `upper < lower`, as in the
/// manual.
///
/// ```
/// use rand::{rngs::StdRng, SeedableRng};
/// use sqlxos_core::mask::generate::gen_range;
/// let mut rng = StdRng::seed_from_u64(0);
/// let n = gen_range(100, 200, &mut rng).unwrap();
/// assert!((100..=200).contains(&n));
/// assert_eq!(gen_range(1, 0, &mut rng), None);
/// ```
pub fn gen_range(lower: i64, upper: i64, rng: &mut impl Rng) -> Option<i64> {
    (lower <= upper).then(|| rng.random_range(lower..=upper))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn manual_examples() {
        let mut rng = StdRng::seed_from_u64(0);
        assert!((100..=200).contains(&gen_range(100, 200, &mut rng).unwrap()));
        assert!((-1000..=-800).contains(&gen_range(-1000, -800, &mut rng).unwrap()));
        assert_eq!(gen_range(1, 0, &mut rng), None);
    }

    #[test]
    fn edges() {
        let mut rng = StdRng::seed_from_u64(0);
        assert_eq!(gen_range(7, 7, &mut rng), Some(7));
        assert_eq!(gen_range(i64::MAX, i64::MAX, &mut rng), Some(i64::MAX));
        gen_range(i64::MIN, i64::MAX, &mut rng).unwrap();
        assert_eq!(gen_range(i64::MAX, i64::MIN, &mut rng), None);
        // Both ends are reachable.
        let seen: std::collections::HashSet<i64> =
            (0..200).filter_map(|_| gen_range(0, 1, &mut rng)).collect();
        assert_eq!(seen.len(), 2);
    }

    proptest! {
        #[test]
        fn stays_in_range(a in any::<i64>(), b in any::<i64>(), seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            match gen_range(a, b, &mut rng) {
                Some(n) => prop_assert!(a <= n && n <= b),
                None => prop_assert!(b < a),
            }
        }
    }
}
