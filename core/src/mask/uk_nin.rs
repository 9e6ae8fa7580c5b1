//! United Kingdom National Insurance Numbers: `mask_uk_nin`, `gen_rnd_uk_nin`.

use rand::Rng;

use super::identifier::{Format, Grouping};
use crate::Result;

/// The prefix of every generated UK NIN: `QQ`, which HMRC never issues
/// (neither letter of a prefix is ever D, F, I, Q, U or V); it is the prefix
/// of HMRC's own example number `QQ 12 34 56 C`.
pub const GENERATED_UK_NIN_PREFIX: &str = "QQ";

/// `mask_uk_nin(str [, mask_char])`: masks a UK National Insurance Number,
/// all but the first two characters (the prefix letters), with `mask_char`
/// (default `*`).
///
/// `str` must contain exactly 9 digits or letters (separators not counted),
/// else an error. Accepted formats: `AAAAAAAAA`, `AAA-AA-AAAA`,
/// `AA-AAAAAA-A` (the manual's) and `AA-AA-AA-AA-A` (the usual printed form,
/// in the manual's example), where `-` is any single ASCII punctuation
/// character or space; anything else gives NULL (`Ok(None)`). See
/// [`super::identifier`].
///
/// ```
/// use sqlxos_core::mask::uk_nin::mask_uk_nin;
/// assert_eq!(mask_uk_nin("QQ 12 34 56 C", None).unwrap().unwrap(), "QQ ** ** ** *");
/// assert_eq!(mask_uk_nin("abcdefghi", None).unwrap().unwrap(), "ab*******");
/// ```
pub fn mask_uk_nin(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    Format {
        func: "mask_uk_nin",
        min: 9,
        max: 9,
        grouping: Grouping::OneOf(&[&[9], &[3, 2, 4], &[2, 6, 1], &[2, 2, 2, 2, 1]]),
        keep_first: 2,
        keep_last: 0,
        default_mask: '*',
    }
    .mask(s, mc)
}

/// `gen_rnd_uk_nin()`: a random UK National Insurance Number in the
/// nine-character format, e.g. `QQ123456C`.
///
/// Better than MySQL: the prefix is always [`GENERATED_UK_NIN_PREFIX`]
/// (`QQ`), which is never issued, so the number cannot belong to anyone; the
/// six digits are random and the suffix is one of the valid A-D.
pub fn gen_rnd_uk_nin(rng: &mut impl Rng) -> String {
    let suffix = char::from(b"ABCD"[rng.random_range(0..4)]);
    format!(
        "{GENERATED_UK_NIN_PREFIX}{:06}{suffix}",
        rng.random_range(0..1_000_000)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> Option<String> {
        mask_uk_nin(s, None).unwrap()
    }

    #[test]
    fn manual_examples() {
        assert_eq!(m("QQ 12 34 56 C").unwrap(), "QQ ** ** ** *");
        assert_eq!(m("abcdefghi").unwrap(), "ab*******");
        assert_eq!(
            mask_uk_nin("909", None).unwrap_err().to_string(),
            "mask_uk_nin(): argument \"str\" must contain exactly 9 digits or letters, \
             not counting separators, got '909'"
        );
        assert!(mask_uk_nin("abcdefghijk", None).is_err());
        let mut rng = StdRng::seed_from_u64(5);
        assert_eq!(m(&gen_rnd_uk_nin(&mut rng)).unwrap(), "QQ*******");
    }

    #[test]
    fn formats() {
        assert_eq!(m("QQ123456C").unwrap(), "QQ*******");
        assert_eq!(m("QQ1-23-456C").unwrap(), "QQ*-**-****");
        assert_eq!(m("QQ-123456-C").unwrap(), "QQ-******-*");
        assert_eq!(
            mask_uk_nin("QQ123456C", Some("#")).unwrap().unwrap(),
            "QQ#######"
        );
        assert_eq!(m("QQ 1234 56 C"), None);
        assert_eq!(m("QQ 12 34 56 Ç"), None);
        assert!(mask_uk_nin("", None).is_err());
        assert!(mask_uk_nin("QQ123456C", Some("")).is_err());
    }

    proptest! {
        #[test]
        fn generated_nins_use_the_never_issued_prefix(seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let s = gen_rnd_uk_nin(&mut rng);
            prop_assert_eq!(s.len(), 9);
            prop_assert!(s.starts_with("QQ"));
            prop_assert!(s[2..8].bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(matches!(s.as_bytes()[8], b'A'..=b'D'));
        }
    }
}
