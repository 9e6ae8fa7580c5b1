//! International Bank Account Numbers: `mask_iban`, `gen_rnd_iban`.

use rand::Rng;

use super::checksum::iban_check_digits;
use super::identifier::{Format, Grouping};
use crate::{Error, Result};

/// Default `country` of `gen_rnd_iban`: `ZZ`, a user-assigned ISO 3166
/// code that no country has.
pub const DEFAULT_IBAN_COUNTRY: &str = "ZZ";

/// Default `size` of `gen_rnd_iban`.
pub const DEFAULT_IBAN_SIZE: i64 = 16;

const BBAN_CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// `mask_iban(str [, mask_char])`: masks an IBAN, all but the first two
/// characters (the country), with `mask_char` (default `*`); separators are
/// kept.
///
/// `str` must contain 13 to 34 digits or letters (the manual's range;
/// separators not counted), else an error. NULL (`Ok(None)`) if it contains
/// a non-ASCII character or is not either one group or groups of four
/// (the last one shorter) separated by single ASCII punctuation or spaces.
/// See [`super::identifier`].
///
/// ```
/// use sqlxos_core::mask::iban::mask_iban;
/// assert_eq!(
///     mask_iban("IE12 BOFI 9000 0112 3456 78", None).unwrap().unwrap(),
///     "IE** **** **** **** **** **"
/// );
/// ```
pub fn mask_iban(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    Format {
        func: "mask_iban",
        min: 13,
        max: 34,
        grouping: Grouping::By(4),
        keep_first: 2,
        keep_last: 0,
        default_mask: '*',
    }
    .mask(s, mc)
}

/// `gen_rnd_iban([country, size])`: a random IBAN of `size` characters
/// (default 16, 15 to 34, else an error), country code included, printed in
/// groups of four: `ZZ12 3456 7890 ABCD`. `country` (default `ZZ`) must be
/// two ASCII letters; lowercase is accepted and printed uppercase.
///
/// Better than MySQL: the check digits are right (ISO 13616 MOD 97-10), so
/// the result passes IBAN validation. With the default `ZZ`, or another
/// user-assigned code (`AA`, `QM`-`QZ`, `XA`-`XZ`), it can never be a real
/// account; with a real country code it could, and is best shown masked.
pub fn gen_rnd_iban(country: &str, size: i64, rng: &mut impl Rng) -> Result<String> {
    const F: &str = "gen_rnd_iban";
    let cc: Vec<char> = country.chars().collect();
    if cc.len() != 2 || !cc.iter().all(char::is_ascii_alphabetic) {
        return Err(Error::invalid(
            F,
            "country",
            "must be a two-letter country code",
            country,
        ));
    }
    if !(15..=34).contains(&size) {
        return Err(Error::invalid(F, "size", "must be between 15 and 34", size));
    }
    let country = country.to_ascii_uppercase();
    let bban: String = (0..size - 4)
        .map(|_| char::from(BBAN_CHARS[rng.random_range(0..BBAN_CHARS.len())]))
        .collect();
    let check = iban_check_digits(&country, &bban).expect("ASCII letters and digits");
    let compact = format!("{country}{check:02}{bban}");
    let mut out = String::with_capacity(compact.len() + compact.len() / 4);
    for (i, c) in compact.chars().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push(' ');
        }
        out.push(c);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mask::checksum::iban_is_valid;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> Option<String> {
        mask_iban(s, None).unwrap()
    }

    #[test]
    fn manual_examples() {
        assert_eq!(
            m("IE12 BOFI 9000 0112 3456 78").unwrap(),
            "IE** **** **** **** **** **"
        );
        assert_eq!(
            mask_iban("909", None).unwrap_err().to_string(),
            "mask_iban(): argument \"str\" must contain between 13 and 34 digits or letters, \
             not counting separators, got '909'"
        );
        assert!(mask_iban(
            "IE12 BOFI 9000 0112 3456 78 IE12 BOFI 9000 0112 3456 78",
            None
        )
        .is_err());
        // The manual also shows mask_iban('abcdefghijk') masked, although it
        // has 11 characters, fewer than its stated minimum of 13: we follow the
        // stated range.
        assert!(mask_iban("abcdefghijk", None).is_err());
        assert_eq!(m("abcdefghijklm").unwrap(), "ab***********");

        let mut rng = StdRng::seed_from_u64(7);
        let g = gen_rnd_iban("XO", 24, &mut rng).unwrap();
        assert_eq!(g.len(), 24 + 5);
        assert!(g.starts_with("XO"));
        assert!(iban_is_valid(&g));
        let d = gen_rnd_iban(DEFAULT_IBAN_COUNTRY, DEFAULT_IBAN_SIZE, &mut rng).unwrap();
        assert!(d.starts_with("ZZ") && d.len() == 16 + 3, "{d}");
        assert_eq!(m(&d).unwrap(), "ZZ** **** **** ****");
    }

    #[test]
    fn formats() {
        assert_eq!(
            m("DE89370400440532013000").unwrap(),
            "DE********************"
        );
        assert_eq!(
            m("DE89-3704-0044-0532-0130-00").unwrap(),
            "DE**-****-****-****-****-**"
        );
        assert_eq!(
            mask_iban("GB82 WEST 1234 5698 7654 32", Some("#"))
                .unwrap()
                .unwrap(),
            "GB## #### #### #### #### ##"
        );
        // Groups not of four, stray separators, non-ASCII: NULL.
        assert_eq!(m("DE893 70400440532013000"), None);
        assert_eq!(m("DE89 3704 0044 0532 0130 00 "), None);
        assert_eq!(m("DE89 3704 0044 0532 0130 0é"), None);
        assert_eq!(m("DE89\n3704\n0044\n0532\n0130\n00"), None);
    }

    #[test]
    fn gen_errors() {
        let mut rng = StdRng::seed_from_u64(1);
        assert_eq!(
            gen_rnd_iban("Z", 16, &mut rng).unwrap_err().to_string(),
            "gen_rnd_iban(): argument \"country\" must be a two-letter country code, got 'Z'"
        );
        assert!(gen_rnd_iban("Z1", 16, &mut rng).is_err());
        assert!(gen_rnd_iban("ZZZ", 16, &mut rng).is_err());
        assert!(gen_rnd_iban("ÉÉ", 16, &mut rng).is_err());
        assert!(gen_rnd_iban("", 16, &mut rng).is_err());
        assert_eq!(
            gen_rnd_iban("ZZ", 14, &mut rng).unwrap_err().to_string(),
            "gen_rnd_iban(): argument \"size\" must be between 15 and 34, got '14'"
        );
        assert!(gen_rnd_iban("ZZ", 35, &mut rng).is_err());
        assert!(gen_rnd_iban("zz", 15, &mut rng).unwrap().starts_with("ZZ"));
    }

    proptest! {
        #[test]
        fn generated_ibans_pass_mod97(
            country in "[A-Za-z]{2}",
            size in 15i64..=34,
            seed in any::<u64>(),
        ) {
            let mut rng = StdRng::seed_from_u64(seed);
            let iban = gen_rnd_iban(&country, size, &mut rng).unwrap();
            prop_assert!(iban_is_valid(&iban), "{}", iban);
            let compact: String = iban.chars().filter(|&c| c != ' ').collect();
            prop_assert_eq!(compact.len(), size as usize);
            prop_assert_eq!(&compact[..2], country.to_ascii_uppercase());
            // What we generate, we can mask.
            let masked = mask_iban(&iban, None).unwrap().unwrap();
            prop_assert_eq!(masked.chars().count(), iban.chars().count());
        }
    }
}
