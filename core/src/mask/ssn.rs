//! US Social Security Numbers: `mask_ssn`, `gen_rnd_ssn`.

use rand::Rng;

use super::identifier::{Format, Grouping};
use crate::Result;

/// `mask_ssn(str [, mask_char])`: masks a US Social Security Number, all but
/// the last four digits, with `mask_char` (default `*`).
///
/// `str` must contain exactly 9 digits or letters (separators not counted),
/// else an error. Accepted formats: `AAAAAAAAA` and `AAA-BB-CCCC`, where `-`
/// is any single ASCII punctuation character or space; anything else
/// (including non-ASCII characters) gives NULL (`Ok(None)`). See
/// [`super::identifier`].
///
/// ```
/// use sqlxos_core::mask::ssn::mask_ssn;
/// assert_eq!(mask_ssn("909-63-6922", None).unwrap().unwrap(), "***-**-6922");
/// assert!(mask_ssn("909", None).is_err());
/// ```
pub fn mask_ssn(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    Format {
        func: "mask_ssn",
        min: 9,
        max: 9,
        grouping: Grouping::OneOf(&[&[9], &[3, 2, 4]]),
        keep_first: 0,
        keep_last: 4,
        default_mask: '*',
    }
    .mask(s, mc)
}

/// `gen_rnd_ssn()`: a random US Social Security Number, `AAA-BB-CCCC`.
///
/// As in MySQL, the area `AAA` is 900-999, which the Social Security
/// Administration never issues. Better than MySQL: the group `BB` is 01-49,
/// so the number is not an IRS ITIN either (ITINs are 9XX with groups 50-65,
/// 70-88, 90-92 and 94-99); the serial `CCCC` is 0001-9999.
pub fn gen_rnd_ssn(rng: &mut impl Rng) -> String {
    format!(
        "{:03}-{:02}-{:04}",
        rng.random_range(900..=999),
        rng.random_range(1..=49),
        rng.random_range(1..=9999)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> Option<String> {
        mask_ssn(s, None).unwrap()
    }

    #[test]
    fn manual_examples() {
        assert_eq!(m("909-63-6922").unwrap(), "***-**-6922");
        // The manual prints `*******hijk` for this 9-character input, which
        // cannot be right (11 characters); the length is kept.
        assert_eq!(m("cdefghijk").unwrap(), "*****hijk");
        assert_eq!(
            mask_ssn("909", None).unwrap_err().to_string(),
            "mask_ssn(): argument \"str\" must contain exactly 9 digits or letters, \
             not counting separators, got '909'"
        );
        assert_eq!(
            mask_ssn("123456789123456789", None)
                .unwrap_err()
                .to_string(),
            "mask_ssn(): argument \"str\" must contain exactly 9 digits or letters, \
             not counting separators, got '123456789123456789'"
        );
        let mut rng = StdRng::seed_from_u64(3);
        let g = gen_rnd_ssn(&mut rng);
        assert_eq!(m(&g).unwrap(), format!("***-**-{}", &g[7..]));
    }

    #[test]
    fn formats() {
        assert_eq!(m("123456789").unwrap(), "*****6789");
        assert_eq!(m("123 45 6789").unwrap(), "*** ** 6789");
        assert_eq!(m("123.45/6789").unwrap(), "***.**/6789");
        assert_eq!(
            mask_ssn("123-45-6789", Some("X")).unwrap().unwrap(),
            "XXX-XX-6789"
        );
        assert_eq!(
            mask_ssn("123-45-6789", Some("ű")).unwrap().unwrap(),
            "űűű-űű-6789"
        );
        assert_eq!(m("1234-5-6789"), None);
        assert_eq!(m("123-456789"), None);
        assert_eq!(m("123-45-678é"), None);
        assert_eq!(m("123\x0045\x006789"), None);
        assert!(mask_ssn("", None).is_err());
        assert!(mask_ssn("héllo wörld", None).is_err());
        assert!(mask_ssn("this is not an ssn", None).is_err());
        // Control characters in the error are escaped, long inputs cut.
        assert_eq!(
            mask_ssn("1\x002\n", None).unwrap_err().to_string(),
            "mask_ssn(): argument \"str\" must contain exactly 9 digits or letters, \
             not counting separators, got '1\\u{0}2\\n'"
        );
        let e = mask_ssn(&"12".repeat(1 << 19), None)
            .unwrap_err()
            .to_string();
        assert!(e.ends_with("...'") && e.len() < 200, "{e}");
    }

    #[test]
    fn bad_mask_char() {
        assert_eq!(
            mask_ssn("123-45-6789", Some("**")).unwrap_err().to_string(),
            "mask_ssn(): argument \"mask_char\" must be exactly one character, got '**'"
        );
    }

    proptest! {
        #[test]
        fn generated_ssns_are_never_issued(seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let s = gen_rnd_ssn(&mut rng);
            prop_assert_eq!(s.len(), 11);
            let area: u32 = s[..3].parse().unwrap();
            let group: u32 = s[4..6].parse().unwrap();
            let serial: u32 = s[7..].parse().unwrap();
            prop_assert!((900..=999).contains(&area));
            prop_assert!((1..=49).contains(&group));
            prop_assert!((1..=9999).contains(&serial));
            prop_assert_eq!(&s[3..4], "-");
            prop_assert_eq!(&s[6..7], "-");
        }
    }
}
