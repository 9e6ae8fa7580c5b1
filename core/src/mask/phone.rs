//! Phone numbers: `mask_phone` (sqlxos) and `gen_rnd_us_phone` (MySQL).

use rand::Rng;

use super::mask_char::mask_char;
use crate::{Error, Result};

/// Default `keep_last` of `mask_phone`.
pub const DEFAULT_KEEP_LAST: i64 = 4;

/// `mask_phone(phone [, keep_last [, mask_char]])` (sqlxos): masks every
/// digit except the last `keep_last` (default 4) with `mask_char` (default
/// `X`), keeping everything else (spaces, parentheses, dashes, a leading
/// `+`, letters) as it is. `keep_last` must be >= 0; if it is at least the
/// number of digits, nothing is masked.
///
/// Digits are Unicode numeric characters, so non-ASCII digits (`٠`-`٩`,
/// fullwidth `０`-`９`) are masked too.
///
/// ```
/// use sqlxos_core::mask::phone::mask_phone;
/// assert_eq!(mask_phone("+1 (555) 123-4567", 4, None).unwrap(), "+X (XXX) XXX-4567");
/// assert_eq!(mask_phone("020 7946 0018", 2, Some("*")).unwrap(), "*** **** **18");
/// ```
pub fn mask_phone(phone: &str, keep_last: i64, mc: Option<&str>) -> Result<String> {
    const F: &str = "mask_phone";
    let keep = usize::try_from(keep_last)
        .map_err(|_| Error::invalid(F, "keep_last", "must be >= 0", keep_last))?;
    let c = mask_char(F, mc, 'X')?;
    let digits = phone.chars().filter(|ch| ch.is_numeric()).count();
    let to_mask = digits.saturating_sub(keep);
    let mut out = String::with_capacity(phone.len() + to_mask * c.len_utf8());
    let mut seen = 0;
    for ch in phone.chars() {
        if ch.is_numeric() {
            out.push(if seen < to_mask { c } else { ch });
            seen += 1;
        } else {
            out.push(ch);
        }
    }
    Ok(out)
}

/// `gen_rnd_us_phone()`: a random US phone number in MySQL's format
/// `1-555-AAA-BBBB`.
///
/// As in MySQL, the area code is 555, which is not assigned. Better than
/// MySQL: the rest is `555-01XX`, the block the North American Numbering
/// Plan reserves for fictional use in every area code, so the number is
/// fictional under either reading: `1-555-555-0100` to `1-555-555-0199`
/// (only 100 distinct values: do not rely on them being unique).
pub fn gen_rnd_us_phone(rng: &mut impl Rng) -> String {
    format!("1-555-555-01{:02}", rng.random_range(0..100))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> String {
        mask_phone(s, DEFAULT_KEEP_LAST, None).unwrap()
    }

    #[test]
    fn mask_phone_examples() {
        assert_eq!(m("+1 (555) 123-4567"), "+X (XXX) XXX-4567");
        assert_eq!(m("5551234567"), "XXXXXX4567");
        assert_eq!(m("+44 20 7946 0018"), "+XX XX XXXX 0018");
        assert_eq!(m("123"), "123");
        assert_eq!(m(""), "");
        assert_eq!(m("call me"), "call me");
        assert_eq!(m("1-800-FLOWERS"), "1-800-FLOWERS");
        assert_eq!(m("+33 ６１２３４５６７８"), "+XX XXXXX５６７８");
        assert_eq!(m("٠١٢٣٤٥٦٧٨٩"), "XXXXXX٦٧٨٩");
        assert_eq!(m("12\0 34\n5678"), "XX\0 XX\n5678");
    }

    #[test]
    fn keep_last_and_mask_char() {
        assert_eq!(
            mask_phone("+1 (555) 123-4567", 0, None).unwrap(),
            "+X (XXX) XXX-XXXX"
        );
        assert_eq!(
            mask_phone("+1 (555) 123-4567", 11, None).unwrap(),
            "+1 (555) 123-4567"
        );
        assert_eq!(
            mask_phone("+1 (555) 123-4567", i64::MAX, None).unwrap(),
            "+1 (555) 123-4567"
        );
        assert_eq!(mask_phone("555-1234", 2, Some("•")).unwrap(), "•••-••34");
    }

    #[test]
    fn errors() {
        assert_eq!(
            mask_phone("555", -1, None).unwrap_err().to_string(),
            "mask_phone(): argument \"keep_last\" must be >= 0, got '-1'"
        );
        assert_eq!(
            mask_phone("555", 4, Some("")).unwrap_err().to_string(),
            "mask_phone(): argument \"mask_char\" must be exactly one character, got ''"
        );
    }

    #[test]
    fn huge_input() {
        let s = "1".repeat(1 << 20);
        let out = m(&s);
        assert_eq!(out.len(), s.len());
        assert!(out.ends_with("X1111"));
    }

    #[test]
    fn generated_phones_are_fictional() {
        let mut rng = StdRng::seed_from_u64(4);
        for _ in 0..500 {
            let p = gen_rnd_us_phone(&mut rng);
            assert_eq!(p.len(), 14);
            assert!(p.starts_with("1-555-555-01"), "{p}");
            assert!(p[12..].bytes().all(|b| b.is_ascii_digit()));
            assert_eq!(m(&p), format!("X-XXX-XXX-{}", &p[10..]));
        }
    }
}
