//! Keyed, deterministic pseudonyms (sqlxos): `pseudonymize`,
//! `pseudonymize_email`.
//!
//! A pseudonym is HMAC-SHA256 keyed with the salt over the value's UTF-8
//! bytes, in lowercase hex. The same value and salt give the same pseudonym
//! in every engine, table and database, so pseudonymized columns still join;
//! without the salt, a pseudonym cannot be recomputed from a guessed value.
//! Keep the salt secret, and use a long random one.
//!
//! Standard HMAC key handling applies: salts that differ only by trailing
//! NUL characters are the same key (short keys are padded with zero bytes),
//! and a salt longer than 64 bytes is first hashed with SHA-256.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::{Error, Result};

/// Hex characters in a `pseudonymize` result (128 bits).
pub const PSEUDONYM_HEX_LEN: usize = 32;
/// Hex characters in the local part of a `pseudonymize_email` result (64 bits).
pub const EMAIL_PSEUDONYM_HEX_LEN: usize = 16;

fn hmac_hex(func: &'static str, value: &str, salt: &str, hex_len: usize) -> Result<String> {
    if salt.is_empty() {
        return Err(Error::invalid(func, "salt", "must not be empty", salt));
    }
    let mut mac =
        Hmac::<Sha256>::new_from_slice(salt.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(value.as_bytes());
    let digest = mac.finalize().into_bytes();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(hex_len);
    for b in digest.iter().take(hex_len / 2) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    Ok(out)
}

/// `pseudonymize(value, salt)`: HMAC-SHA256 of `value` keyed with `salt`,
/// the first 32 lowercase hex characters (128 bits). Deterministic; an empty
/// `salt` is an error.
///
/// Equals Python's `hmac.new(salt, value, 'sha256').hexdigest()[:32]`:
///
/// ```
/// use sqlxos_core::mask::pseudonymize::pseudonymize;
/// assert_eq!(pseudonymize("value", "salt").unwrap(), "aaf15d64f29e7a06f6a3e5581fa216df");
/// ```
pub fn pseudonymize(value: &str, salt: &str) -> Result<String> {
    hmac_hex("pseudonymize", value, salt, PSEUDONYM_HEX_LEN)
}

/// `pseudonymize_email(email, salt)`: keeps the shape of an address. The
/// local part becomes 16 hex characters, HMAC-SHA256 keyed with `salt` over
/// the whole address lowercased; the domain is kept, lowercased.
///
/// The address is trimmed of surrounding whitespace and lowercased first,
/// so `John.Doe@Example.COM` and `john.doe@example.com` get the same
/// pseudonym (the local part is the first 16 characters of
/// `pseudonymize(lower(trim(email)), salt)`). The domain starts at the last
/// `@`. An input without `@`, or with an empty local part or domain, is an
/// error naming `email`; an empty `salt` is an error.
///
/// ```
/// use sqlxos_core::mask::pseudonymize::pseudonymize_email;
/// assert_eq!(
///     pseudonymize_email("John.Doe@Example.com", "salt").unwrap(),
///     "df24d85fb2657740@example.com"
/// );
/// ```
pub fn pseudonymize_email(email: &str, salt: &str) -> Result<String> {
    const F: &str = "pseudonymize_email";
    let normalized = email.trim().to_lowercase();
    let domain = match normalized.rfind('@') {
        Some(at) if at > 0 && at + 1 < normalized.len() => &normalized[at + 1..],
        _ => {
            return Err(Error::invalid(
                F,
                "email",
                "must be an email address like name@example.com",
                email,
            ))
        }
    };
    let local = hmac_hex(F, &normalized, salt, EMAIL_PSEUDONYM_HEX_LEN)?;
    Ok(format!("{local}@{domain}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Golden values computed independently with Python:
    /// `hmac.new(salt, value, 'sha256').hexdigest()[:32]`. They pin the
    /// algorithm: a change here breaks every stored pseudonym.
    #[test]
    fn golden_values() {
        assert_eq!(
            pseudonymize("value", "salt").unwrap(),
            "aaf15d64f29e7a06f6a3e5581fa216df"
        );
        assert_eq!(
            pseudonymize("héllo wörld", "s3cret").unwrap(),
            "26b34e40d797709651c6d92a25c013bc"
        );
        assert_eq!(
            pseudonymize("", "salt").unwrap(),
            "379d7f7966f400cb6e3c0b2cca4bf8a2"
        );
        // hmac.new(b'salt', b'john.doe@example.com', 'sha256').hexdigest()[:16]
        assert_eq!(
            pseudonymize_email("john.doe@example.com", "salt").unwrap(),
            "df24d85fb2657740@example.com"
        );
    }

    #[test]
    fn email_normalization() {
        let a = pseudonymize_email("john.doe@example.com", "k").unwrap();
        assert_eq!(
            pseudonymize_email("  JOHN.DOE@EXAMPLE.COM\n", "k").unwrap(),
            a
        );
        assert_eq!(
            &a[..16],
            &pseudonymize("john.doe@example.com", "k").unwrap()[..16]
        );
        assert!(pseudonymize_email("\"a@b\"@Example.org", "k")
            .unwrap()
            .ends_with("@example.org"));
        assert!(pseudonymize_email("jöhn@BÜCHER.de", "k")
            .unwrap()
            .ends_with("@bücher.de"));
    }

    #[test]
    fn errors() {
        assert_eq!(
            pseudonymize("x", "").unwrap_err().to_string(),
            "pseudonymize(): argument \"salt\" must not be empty, got ''"
        );
        assert_eq!(
            pseudonymize_email("john@example.com", "")
                .unwrap_err()
                .to_string(),
            "pseudonymize_email(): argument \"salt\" must not be empty, got ''"
        );
        assert_eq!(
            pseudonymize_email("john.doe", "k").unwrap_err().to_string(),
            "pseudonymize_email(): argument \"email\" must be an email address like \
             name@example.com, got 'john.doe'"
        );
        assert!(pseudonymize_email("@example.com", "k").is_err());
        assert!(pseudonymize_email("john@", "k").is_err());
        assert!(pseudonymize_email("", "k").is_err());
        let e = pseudonymize_email(&"x".repeat(1 << 20), "k")
            .unwrap_err()
            .to_string();
        assert!(e.len() < 200);
    }

    #[test]
    fn hostile_input() {
        let big = "é".repeat(1 << 19);
        assert_eq!(pseudonymize(&big, "k").unwrap().len(), 32);
        assert_ne!(
            pseudonymize("a\0b", "k").unwrap(),
            pseudonymize("a", "k").unwrap()
        );
        // A NUL inside the salt matters; trailing NULs do not, because HMAC
        // pads short keys with zero bytes (documented on the module).
        assert_ne!(
            pseudonymize("a", "k\0x").unwrap(),
            pseudonymize("a", "kx").unwrap()
        );
        assert_eq!(
            pseudonymize("a", "k\0").unwrap(),
            pseudonymize("a", "k").unwrap()
        );
    }

    proptest! {
        #[test]
        fn deterministic_and_salt_sensitive(v in ".*", s1 in ".+", s2 in ".+") {
            let a = pseudonymize(&v, &s1).unwrap();
            prop_assert_eq!(&a, &pseudonymize(&v, &s1).unwrap());
            prop_assert_eq!(a.len(), 32);
            prop_assert!(a.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
            if s1.trim_end_matches('\0') != s2.trim_end_matches('\0') {
                prop_assert_ne!(&a, &pseudonymize(&v, &s2).unwrap());
            }
        }

        #[test]
        fn value_sensitive(a in ".*", b in ".*") {
            prop_assume!(a != b);
            prop_assert_ne!(pseudonymize(&a, "salt").unwrap(), pseudonymize(&b, "salt").unwrap());
        }

        #[test]
        fn email_keeps_shape(local in "[a-zA-Z0-9._]{1,20}", domain in "[a-zA-Z0-9]{1,10}\\.[a-z]{2,3}") {
            let e = format!("{local}@{domain}");
            let p = pseudonymize_email(&e, "salt").unwrap();
            prop_assert_eq!(p.clone(), pseudonymize_email(&e, "salt").unwrap());
            let (l, d) = p.split_once('@').unwrap();
            prop_assert_eq!(l.len(), 16);
            prop_assert_eq!(d, domain.to_lowercase());
        }
    }
}
