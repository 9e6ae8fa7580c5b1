//! Check-digit algorithms shared by the generators (and, later, by the PII
//! detectors): Luhn (payment cards, Canada SIN) and ISO 7064 MOD 97-10
//! (IBAN, ISO 13616).

/// The Luhn check digit (0-9) to append to `digits` (each 0-9, most
/// significant first) so that the whole number passes [`luhn_is_valid`].
///
/// ```
/// use sqlxos_core::mask::checksum::luhn_check_digit;
/// // 7992739871 is the textbook example; its check digit is 3.
/// assert_eq!(luhn_check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
/// ```
pub fn luhn_check_digit(digits: &[u8]) -> u8 {
    // The digit that will be appended is position 0 from the right and is not
    // doubled, so the last payload digit is doubled.
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// True if `s` is a non-empty string of ASCII digits, possibly grouped with
/// spaces or dashes, that passes the Luhn check.
pub fn luhn_is_valid(s: &str) -> bool {
    let mut digits = Vec::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '0'..='9' => digits.push(c as u8 - b'0'),
            ' ' | '-' => {}
            _ => return false,
        }
    }
    match digits.split_last() {
        Some((&check, payload)) if !payload.is_empty() => luhn_check_digit(payload) == check,
        _ => false,
    }
}

/// `n mod 97` of the decimal number spelled by `s` after the IBAN letter
/// substitution (`A` = 10 ... `Z` = 35). `None` if `s` has any character
/// other than ASCII letters and digits.
fn mod97(s: impl IntoIterator<Item = char>) -> Option<u32> {
    let mut rem: u32 = 0;
    for c in s {
        let v = c.to_digit(36)?;
        rem = if v < 10 {
            (rem * 10 + v) % 97
        } else {
            (rem * 100 + v) % 97
        };
    }
    Some(rem)
}

/// The two IBAN check digits (2..=98) for a two-letter `country` code and a
/// `bban` of ASCII letters and digits (ISO 13616, MOD 97-10). `None` if an
/// argument has other characters. Letters may be of either case.
///
/// ```
/// use sqlxos_core::mask::checksum::iban_check_digits;
/// // GB82 WEST 1234 5698 7654 32, the ECBS example IBAN.
/// assert_eq!(iban_check_digits("GB", "WEST12345698765432"), Some(82));
/// ```
pub fn iban_check_digits(country: &str, bban: &str) -> Option<u8> {
    let rem = mod97(bban.chars().chain(country.chars()).chain("00".chars()))?;
    Some((98 - rem) as u8)
}

/// True if `s` (spaces allowed between characters) is an IBAN-shaped string
/// whose check digits are right: two letters, two digits, then letters and
/// digits, 5 to 34 characters in all, and the whole mod 97 is 1.
pub fn iban_is_valid(s: &str) -> bool {
    let compact: Vec<char> = s.chars().filter(|&c| c != ' ').collect();
    if !(5..=34).contains(&compact.len())
        || !compact[..2].iter().all(char::is_ascii_alphabetic)
        || !compact[2..4].iter().all(char::is_ascii_digit)
        || !compact.iter().all(char::is_ascii_alphanumeric)
    {
        return false;
    }
    let rotated = compact[4..].iter().chain(&compact[..4]).copied();
    mod97(rotated) == Some(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_known_numbers() {
        assert!(luhn_is_valid("79927398713"));
        assert!(!luhn_is_valid("79927398710"));
        // The manual's example Canada SIN and a common test Visa number.
        assert!(luhn_is_valid("046-454-286"));
        assert!(luhn_is_valid("4111 1111 1111 1111"));
        assert!(!luhn_is_valid("4111 1111 1111 1112"));
    }

    #[test]
    fn luhn_rejects_junk() {
        assert!(!luhn_is_valid(""));
        assert!(!luhn_is_valid("0"));
        assert!(!luhn_is_valid("12a4"));
        assert!(!luhn_is_valid("١٢٣٤"));
    }

    #[test]
    fn luhn_check_digit_makes_valid_numbers() {
        for n in 0u32..2000 {
            let digits: Vec<u8> = n.to_string().bytes().map(|b| b - b'0').collect();
            let check = luhn_check_digit(&digits);
            let s = format!("{n}{check}");
            assert!(luhn_is_valid(&s), "{s}");
        }
    }

    #[test]
    fn iban_known_numbers() {
        assert!(iban_is_valid("GB82 WEST 1234 5698 7654 32"));
        assert!(iban_is_valid("DE89370400440532013000"));
        assert!(iban_is_valid("IE29 AIBK 9311 5212 3456 78"));
        assert!(!iban_is_valid("GB83 WEST 1234 5698 7654 32"));
        assert!(!iban_is_valid("GB82-WEST-1234"));
        assert!(!iban_is_valid(""));
        assert!(!iban_is_valid("1282WEST12345698765432"));
    }

    #[test]
    fn iban_check_digits_round_trip() {
        assert_eq!(iban_check_digits("DE", "370400440532013000"), Some(89));
        assert_eq!(iban_check_digits("de", "370400440532013000"), Some(89));
        assert_eq!(iban_check_digits("DE", "3704-0044"), None);
        let cd = iban_check_digits("ZZ", "ABCDEFGH1234").unwrap();
        assert!(iban_is_valid(&format!("ZZ{cd:02}ABCDEFGH1234")));
    }
}
