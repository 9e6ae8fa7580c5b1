//! The optional `mask_char` argument shared by the masking functions.

use crate::{Error, Result};

/// Validates a `mask_char` argument: exactly one character (any Unicode
/// scalar value). `None` gives `default`.
pub fn mask_char(func: &'static str, given: Option<&str>, default: char) -> Result<char> {
    let Some(s) = given else {
        return Ok(default);
    };
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => Err(Error::invalid(
            func,
            "mask_char",
            "must be exactly one character",
            s,
        )),
    }
}

/// Appends `c` to `out` `n` times. For an ASCII mask character (the usual
/// case) this copies runs of up to 64 bytes instead of pushing characters
/// one by one: masking is per row, and this loop was its hot spot.
pub(crate) fn push_repeated(out: &mut String, c: char, n: usize) {
    const RUN: usize = 64;
    if c.is_ascii() {
        let run = [c as u8; RUN];
        let run = std::str::from_utf8(&run).expect("an ASCII byte repeated is UTF-8");
        let mut left = n;
        while left > 0 {
            let k = left.min(RUN);
            out.push_str(&run[..k]);
            left -= k;
        }
    } else {
        let mut buf = [0u8; 4];
        let c = c.encode_utf8(&mut buf);
        for _ in 0..n {
            out.push_str(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_and_single_characters() {
        assert_eq!(mask_char("f", None, 'X').unwrap(), 'X');
        assert_eq!(mask_char("f", Some("*"), 'X').unwrap(), '*');
        assert_eq!(mask_char("f", Some("ű"), 'X').unwrap(), 'ű');
        assert_eq!(mask_char("f", Some("🔒"), 'X').unwrap(), '🔒');
        assert_eq!(mask_char("f", Some("\0"), 'X').unwrap(), '\0');
    }

    #[test]
    fn anything_else_is_an_error() {
        assert_eq!(
            mask_char("mask_ssn", Some(""), '*')
                .unwrap_err()
                .to_string(),
            "mask_ssn(): argument \"mask_char\" must be exactly one character, got ''"
        );
        assert!(mask_char("f", Some("ab"), 'X').is_err());
        // A base letter plus a combining accent is two characters.
        assert!(mask_char("f", Some("e\u{301}"), 'X').is_err());
        assert_eq!(
            mask_char("f", Some("\n\n"), 'X').unwrap_err().to_string(),
            "f(): argument \"mask_char\" must be exactly one character, got '\\n\\n'"
        );
        let long = "x".repeat(1 << 20);
        let e = mask_char("f", Some(&long), 'X').unwrap_err().to_string();
        assert!(e.ends_with("...'") && e.len() < 200, "{e}");
    }

    #[test]
    fn push_repeated_any_length_and_char() {
        for n in [0, 1, 63, 64, 65, 200] {
            for c in ['X', '•', '🔒'] {
                let mut s = String::from("a");
                push_repeated(&mut s, c, n);
                assert_eq!(s.chars().count(), n + 1);
                assert!(s.chars().skip(1).all(|x| x == c));
            }
        }
    }
}
