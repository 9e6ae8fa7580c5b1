//! Canada Social Insurance Numbers: `mask_canada_sin`, `gen_rnd_canada_sin`.

use rand::Rng;

use super::checksum::luhn_check_digit;
use super::identifier::{Format, Grouping};
use crate::Result;

/// The first digit of every generated Canada SIN: `8`, a first digit Service
/// Canada never assigns to a SIN (first digits 1-7 are regions, 9 is
/// temporary residents, 0 is used by the CRA for tax numbers of people
/// without a SIN; 8 is used by none of them).
pub const GENERATED_SIN_FIRST_DIGIT: u8 = 8;

/// `mask_canada_sin(str [, mask_char])`: masks every digit of a Canada
/// Social Insurance Number with `mask_char` (default `X`).
///
/// `str` must contain exactly 9 digits or letters (separators not counted),
/// else an error. Accepted formats: `AAAAAAAAA` and `AAA-AAA-AAA`, where `-`
/// is any single ASCII punctuation character or space; anything else gives
/// NULL (`Ok(None)`). See [`super::identifier`].
///
/// ```
/// use sqlxos_core::mask::canada_sin::mask_canada_sin;
/// assert_eq!(mask_canada_sin("046-454-286", None).unwrap().unwrap(), "XXX-XXX-XXX");
/// assert_eq!(mask_canada_sin("abcdefijk", None).unwrap().unwrap(), "XXXXXXXXX");
/// ```
pub fn mask_canada_sin(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    Format {
        func: "mask_canada_sin",
        min: 9,
        max: 9,
        grouping: Grouping::OneOf(&[&[9], &[3, 3, 3]]),
        keep_first: 0,
        keep_last: 0,
        default_mask: 'X',
    }
    .mask(s, mc)
}

/// `gen_rnd_canada_sin()`: a random Canada Social Insurance Number,
/// `AAA-BBB-CCC`, that passes the Luhn check (as in MySQL).
///
/// Better than MySQL: the first digit is always
/// [`GENERATED_SIN_FIRST_DIGIT`] (8), which is never assigned, so the number
/// cannot belong to anyone.
pub fn gen_rnd_canada_sin(rng: &mut impl Rng) -> String {
    let mut d = [0u8; 9];
    d[0] = GENERATED_SIN_FIRST_DIGIT;
    for x in &mut d[1..8] {
        *x = rng.random_range(0..10);
    }
    d[8] = luhn_check_digit(&d[..8]);
    let c = |i: usize| char::from(b'0' + d[i]);
    let mut s = String::with_capacity(11);
    for i in 0..9 {
        if i == 3 || i == 6 {
            s.push('-');
        }
        s.push(c(i));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::checksum::luhn_is_valid;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> Option<String> {
        mask_canada_sin(s, None).unwrap()
    }

    #[test]
    fn manual_examples() {
        assert_eq!(m("046-454-286").unwrap(), "XXX-XXX-XXX");
        assert_eq!(m("abcdefijk").unwrap(), "XXXXXXXXX");
        assert_eq!(
            mask_canada_sin("909", None).unwrap_err().to_string(),
            "mask_canada_sin(): argument \"str\" must contain exactly 9 digits or letters, \
             not counting separators, got '909'"
        );
        assert_eq!(
            mask_canada_sin("046-454-286-909", None)
                .unwrap_err()
                .to_string(),
            "mask_canada_sin(): argument \"str\" must contain exactly 9 digits or letters, \
             not counting separators, got '046-454-286-909'"
        );
        let mut rng = StdRng::seed_from_u64(9);
        assert_eq!(m(&gen_rnd_canada_sin(&mut rng)).unwrap(), "XXX-XXX-XXX");
    }

    #[test]
    fn formats() {
        assert_eq!(m("046454286").unwrap(), "XXXXXXXXX");
        assert_eq!(m("046 454 286").unwrap(), "XXX XXX XXX");
        assert_eq!(
            mask_canada_sin("046-454-286", Some("x")).unwrap().unwrap(),
            "xxx-xxx-xxx"
        );
        assert_eq!(m("0464-54-286"), None);
        assert_eq!(m("046-454-28é"), None);
        assert!(mask_canada_sin("", None).is_err());
        assert!(mask_canada_sin("046-454-286", Some("xy")).is_err());
    }

    proptest! {
        #[test]
        fn generated_sins_pass_luhn(seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let s = gen_rnd_canada_sin(&mut rng);
            prop_assert_eq!(s.len(), 11);
            prop_assert!(s.starts_with('8'));
            prop_assert_eq!(&s[3..4], "-");
            prop_assert_eq!(&s[7..8], "-");
            prop_assert!(luhn_is_valid(&s), "{}", s);
        }
    }
}
