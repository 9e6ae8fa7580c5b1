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
}
