//! Payment card Primary Account Numbers: `mask_pan`, `mask_pan_relaxed`,
//! `gen_rnd_pan`.

use rand::Rng;

use super::checksum::luhn_check_digit;
use super::identifier::{Format, Grouping};
use crate::{Error, Result};

/// The issuer prefix of every generated PAN.
///
/// `00` lies in ISO/IEC 7812 major industry identifier 0 ("ISO/TC 68 and
/// other industry assignments"), where no payment network issues cards
/// (they use 2-6, airlines 1, petroleum and fleet cards 7 and 8, national
/// schemes 9). A generated number can therefore never be a real card.
pub const GENERATED_PAN_PREFIX: &str = "00";

/// Default `size` of `gen_rnd_pan`.
pub const DEFAULT_PAN_SIZE: i64 = 16;

const PAN: Format = Format {
    func: "mask_pan",
    min: 14,
    max: 19,
    grouping: Grouping::Any,
    keep_first: 0,
    keep_last: 4,
    default_mask: 'X',
};

/// `mask_pan(str [, mask_char])`: masks a payment card number, all but the
/// last four digits, with `mask_char` (default `X`); separators are kept.
///
/// `str` must contain 14 to 19 digits or letters (separators not counted),
/// else an error. NULL (`Ok(None)`) if it contains a non-ASCII character,
/// or separators other than single ASCII punctuation or spaces between groups.
/// See [`super::identifier`] for the rules shared by all such functions.
///
/// ```
/// use sqlxos_core::mask::pan::mask_pan;
/// assert_eq!(mask_pan("4111111111111111", None).unwrap().unwrap(), "XXXXXXXXXXXX1111");
/// assert_eq!(mask_pan("4111 1111 1111 1111", Some("*")).unwrap().unwrap(), "**** **** **** 1111");
/// // The manual: mask_pan('a*Z') is "too short".
/// assert!(mask_pan("a*Z", None).is_err());
/// ```
pub fn mask_pan(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    PAN.mask(s, mc)
}

/// `mask_pan_relaxed(str [, mask_char])`: like [`mask_pan`], but also keeps
/// the first six digits (the issuer identification number).
///
/// ```
/// use sqlxos_core::mask::pan::mask_pan_relaxed;
/// assert_eq!(
///     mask_pan_relaxed("4111111111111111", None).unwrap().unwrap(),
///     "411111XXXXXX1111"
/// );
/// ```
pub fn mask_pan_relaxed(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    Format {
        func: "mask_pan_relaxed",
        keep_first: 6,
        ..PAN
    }
    .mask(s, mc)
}

/// `gen_rnd_pan([size])`: a random payment card number of `size` digits
/// (default 16, 12 to 19, else an error), without separators.
///
/// Better than MySQL: the number passes the Luhn check, as MySQL's does, and
/// starts with [`GENERATED_PAN_PREFIX`], a prefix no payment network issues,
/// so it can never be a real card. It is still best shown masked.
pub fn gen_rnd_pan(size: i64, rng: &mut impl Rng) -> Result<String> {
    if !(12..=19).contains(&size) {
        return Err(Error::invalid(
            "gen_rnd_pan",
            "size",
            "must be between 12 and 19",
            size,
        ));
    }
    let size = size as usize;
    let mut digits: Vec<u8> = GENERATED_PAN_PREFIX.bytes().map(|b| b - b'0').collect();
    while digits.len() < size - 1 {
        digits.push(rng.random_range(0..10));
    }
    digits.push(luhn_check_digit(&digits));
    Ok(digits.iter().map(|&d| char::from(b'0' + d)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::checksum::luhn_is_valid;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> Option<String> {
        mask_pan(s, None).unwrap()
    }

    #[test]
    fn manual_examples() {
        let mut rng = StdRng::seed_from_u64(1);
        let pan = gen_rnd_pan(16, &mut rng).unwrap();
        let masked = m(&pan).unwrap();
        assert_eq!(&masked[..12], "XXXXXXXXXXXX");
        assert_eq!(&masked[12..], &pan[12..]);
        let pan19 = gen_rnd_pan(19, &mut rng).unwrap();
        assert_eq!(m(&pan19).unwrap()[..15], *"XXXXXXXXXXXXXXX");
        let relaxed = mask_pan_relaxed(&pan19, None).unwrap().unwrap();
        assert_eq!(relaxed[..6], pan19[..6]);
        assert_eq!(&relaxed[6..15], "XXXXXXXXX");
        assert_eq!(
            mask_pan("a*Z", None).unwrap_err().to_string(),
            "mask_pan(): argument \"str\" must contain between 14 and 19 digits or letters, \
             not counting separators, got 'a*Z'"
        );
        assert_eq!(
            mask_pan_relaxed("a*Z", None).unwrap_err().to_string(),
            "mask_pan_relaxed(): argument \"str\" must contain between 14 and 19 digits or \
             letters, not counting separators, got 'a*Z'"
        );
        assert_eq!(
            gen_rnd_pan(20, &mut rng).unwrap_err().to_string(),
            "gen_rnd_pan(): argument \"size\" must be between 12 and 19, got '20'"
        );
        assert!(gen_rnd_pan(11, &mut rng).is_err());
        assert!(gen_rnd_pan(-1, &mut rng).is_err());
    }

    #[test]
    fn separators_are_kept() {
        assert_eq!(m("4111-1111-1111-1111").unwrap(), "XXXX-XXXX-XXXX-1111");
        assert_eq!(m("3782 822463 10005").unwrap(), "XXXX XXXXXX X0005");
        assert_eq!(
            mask_pan_relaxed("4111 1111 1111 1111", Some("#"))
                .unwrap()
                .unwrap(),
            "4111 11## #### 1111"
        );
    }

    #[test]
    fn length_limits() {
        assert!(m("12345678901234").is_some());
        assert!(m("1234567890123456789").is_some());
        assert!(mask_pan("1234567890123", None).is_err());
        assert!(mask_pan("12345678901234567890", None).is_err());
        assert!(mask_pan("", None).is_err());
        // Separators do not count toward the length.
        assert!(mask_pan("1234 5678 9012 3", None).is_err());
        assert!(m("1234 5678 9012 3456 789").is_some());
    }

    #[test]
    fn incorrect_format_is_null() {
        assert_eq!(m("4111 1111 1111 111é"), None);
        assert_eq!(m(" 4111111111111111"), None);
        assert_eq!(m("4111111111111111 "), None);
        assert_eq!(m("4111  1111 1111 1111"), None);
        assert_eq!(m("4111\t1111\t1111\t1111"), None);
        assert_eq!(m("4111\x001111\x001111\x001111"), None);
        assert_eq!(m("４１１１１１１１１１１１１１１１"), None);
    }

    #[test]
    fn letters_count_as_digits() {
        assert_eq!(m("abcdefghijklmnop").unwrap(), "XXXXXXXXXXXXmnop");
    }

    #[test]
    fn bad_mask_char() {
        assert_eq!(
            mask_pan("4111111111111111", Some("XX"))
                .unwrap_err()
                .to_string(),
            "mask_pan(): argument \"mask_char\" must be exactly one character, got 'XX'"
        );
        assert_eq!(
            mask_pan("4111111111111111", Some("•")).unwrap().unwrap(),
            "••••••••••••1111"
        );
    }

    #[test]
    fn huge_input_errors_quickly_with_short_message() {
        let s = "1".repeat(1 << 20);
        let e = mask_pan(&s, None).unwrap_err().to_string();
        assert!(e.len() < 200);
        // Right number of digits, drowned in separators: NULL, in linear time.
        let s = format!("4111111111111111{}", " ".repeat(1 << 20));
        assert_eq!(mask_pan(&s, None).unwrap(), None);
    }

    proptest! {
        #[test]
        fn mask_pan_keeps_last_four(digits in "[0-9]{14,19}", sep in prop::sample::select(vec!["", " ", "-"])) {
            let grouped: String = digits
                .as_bytes()
                .chunks(4)
                .map(|c| std::str::from_utf8(c).unwrap())
                .collect::<Vec<_>>()
                .join(sep);
            let out = mask_pan(&grouped, None).unwrap().unwrap();
            prop_assert_eq!(out.chars().count(), grouped.chars().count());
            let kept: String = out.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(&kept, &digits[digits.len() - 4..]);
            prop_assert_eq!(out.chars().filter(|&c| c == 'X').count(), digits.len() - 4);
        }

        #[test]
        fn generated_pans_are_luhn_valid(size in 12i64..=19, seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let pan = gen_rnd_pan(size, &mut rng).unwrap();
            prop_assert_eq!(pan.len(), size as usize);
            prop_assert!(pan.starts_with(GENERATED_PAN_PREFIX));
            prop_assert!(pan.bytes().all(|b| b.is_ascii_digit()));
            prop_assert!(luhn_is_valid(&pan));
        }
    }
}
