//! Email addresses: `mask_email` (sqlxos) and `gen_rnd_email` (MySQL).
//! `pseudonymize_email` is in [`super::pseudonymize`].

use rand::Rng;

use super::mask_char::{mask_char, push_repeated};
use crate::{Error, Result};

/// Default `name_size` of `gen_rnd_email`.
pub const DEFAULT_NAME_SIZE: i64 = 5;
/// Default `surname_size` of `gen_rnd_email`.
pub const DEFAULT_SURNAME_SIZE: i64 = 7;
/// Default `domain` of `gen_rnd_email`: reserved for examples (RFC 2606).
pub const DEFAULT_DOMAIN: &str = "example.com";
/// Largest `name_size` and `surname_size` of `gen_rnd_email`.
pub const MAX_PART_SIZE: i64 = 1024;

/// `mask_email(email [, mask_char])` (sqlxos): keeps the first character of
/// the local part and the whole domain, masks the rest of the local part
/// with `mask_char` (default `X`).
///
/// The domain starts at the last `@` (a quoted local part may contain `@`).
/// A value without `@` is masked like a local part; an empty string stays
/// empty.
///
/// ```
/// use sqlxos_core::mask::email::mask_email;
/// assert_eq!(mask_email("john.doe@example.com", None).unwrap(), "jXXXXXXX@example.com");
/// assert_eq!(mask_email("jane", Some("*")).unwrap(), "j***");
/// ```
pub fn mask_email(email: &str, mc: Option<&str>) -> Result<String> {
    let c = mask_char("mask_email", mc, 'X')?;
    let (local, domain) = match email.rfind('@') {
        Some(at) => email.split_at(at),
        None => (email, ""),
    };
    let mut out = String::with_capacity(email.len() + local.len() * c.len_utf8());
    let mut chars = local.chars();
    if let Some(first) = chars.next() {
        out.push(first);
        let rest = if local.is_ascii() {
            local.len() - 1
        } else {
            chars.count()
        };
        push_repeated(&mut out, c, rest);
    }
    out.push_str(domain);
    Ok(out)
}

/// `gen_rnd_email([name_size, surname_size, domain])`: a random address
/// `name.surname@domain`, the name and surname of random lowercase ASCII
/// letters, `name_size` (default 5) and `surname_size` (default 7) long,
/// each 1 to 1024, else an error. `domain` (default `example.com`, reserved
/// for examples, so never a real mailbox) must be non-empty, without `@`,
/// whitespace or control characters.
///
/// Example from the manual: `gen_rnd_email(4, 5, 'mynet.com')` gives
/// something like `lsoy.qwupp@mynet.com`.
pub fn gen_rnd_email(
    name_size: i64,
    surname_size: i64,
    domain: &str,
    rng: &mut impl Rng,
) -> Result<String> {
    const F: &str = "gen_rnd_email";
    let size = |arg, v: i64| {
        if (1..=MAX_PART_SIZE).contains(&v) {
            Ok(v as usize)
        } else {
            Err(Error::invalid(F, arg, "must be between 1 and 1024", v))
        }
    };
    let name_size = size("name_size", name_size)?;
    let surname_size = size("surname_size", surname_size)?;
    if domain.is_empty()
        || domain
            .chars()
            .any(|c| c == '@' || c.is_whitespace() || c.is_control())
    {
        return Err(Error::invalid(
            F,
            "domain",
            "must be a domain name such as example.com, without '@' or spaces",
            domain,
        ));
    }
    let mut out = String::with_capacity(name_size + surname_size + 2 + domain.len());
    let mut letters = |n: usize, out: &mut String| {
        for _ in 0..n {
            out.push(char::from(rng.random_range(b'a'..=b'z')));
        }
    };
    letters(name_size, &mut out);
    out.push('.');
    letters(surname_size, &mut out);
    out.push('@');
    out.push_str(domain);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn mask_email_examples() {
        let m = |s| mask_email(s, None).unwrap();
        assert_eq!(m("john.doe@example.com"), "jXXXXXXX@example.com");
        assert_eq!(m("j@example.com"), "j@example.com");
        assert_eq!(m("@example.com"), "@example.com");
        assert_eq!(m("john"), "jXXX");
        assert_eq!(m(""), "");
        assert_eq!(m("\"a@b\"@example.com"), "\"XXXX@example.com");
        assert_eq!(m("jöhn.dœ@exämple.com"), "jXXXXXX@exämple.com");
        assert_eq!(m("🙂🙃@example.com"), "🙂X@example.com");
        assert_eq!(m("a\0b\n@x"), "aXXX@x");
        assert_eq!(
            mask_email("john@example.com", Some("🔒")).unwrap(),
            "j🔒🔒🔒@example.com"
        );
    }

    #[test]
    fn mask_email_bad_mask_char() {
        assert_eq!(
            mask_email("john@example.com", Some("ab"))
                .unwrap_err()
                .to_string(),
            "mask_email(): argument \"mask_char\" must be exactly one character, got 'ab'"
        );
    }

    #[test]
    fn mask_email_huge() {
        let s = format!("{}@example.com", "a".repeat(1 << 20));
        let out = mask_email(&s, None).unwrap();
        assert_eq!(out.len(), s.len());
        assert!(out.starts_with("aX") && out.ends_with("X@example.com"));
    }

    #[test]
    fn gen_rnd_email_shapes() {
        let mut rng = StdRng::seed_from_u64(2);
        let e = gen_rnd_email(4, 5, "mynet.com", &mut rng).unwrap();
        assert_eq!(e.len(), 4 + 1 + 5 + 1 + 9);
        assert!(e.ends_with("@mynet.com"));
        assert_eq!(e.as_bytes()[4], b'.');
        assert!(e[..4]
            .bytes()
            .chain(e[5..10].bytes())
            .all(|b| b.is_ascii_lowercase()));
        let d = gen_rnd_email(
            DEFAULT_NAME_SIZE,
            DEFAULT_SURNAME_SIZE,
            DEFAULT_DOMAIN,
            &mut rng,
        )
        .unwrap();
        assert_eq!(d.len(), 5 + 1 + 7 + 1 + 11);
        assert!(d.ends_with("@example.com"));
        let big = gen_rnd_email(1024, 1, "x.y", &mut rng).unwrap();
        assert_eq!(big.len(), 1024 + 1 + 1 + 1 + 3);
        assert!(gen_rnd_email(1, 1, "bücher.de", &mut rng)
            .unwrap()
            .ends_with("@bücher.de"));
    }

    #[test]
    fn gen_rnd_email_errors() {
        let mut rng = StdRng::seed_from_u64(2);
        assert_eq!(
            gen_rnd_email(0, 5, "x.com", &mut rng)
                .unwrap_err()
                .to_string(),
            "gen_rnd_email(): argument \"name_size\" must be between 1 and 1024, got '0'"
        );
        assert_eq!(
            gen_rnd_email(5, 1025, "x.com", &mut rng)
                .unwrap_err()
                .to_string(),
            "gen_rnd_email(): argument \"surname_size\" must be between 1 and 1024, got '1025'"
        );
        assert_eq!(
            gen_rnd_email(5, 5, "a@b.com", &mut rng)
                .unwrap_err()
                .to_string(),
            "gen_rnd_email(): argument \"domain\" must be a domain name such as example.com, \
             without '@' or spaces, got 'a@b.com'"
        );
        assert!(gen_rnd_email(5, 5, "", &mut rng).is_err());
        assert!(gen_rnd_email(5, 5, "a b.com", &mut rng).is_err());
        assert!(gen_rnd_email(5, 5, "ab.com\0", &mut rng).is_err());
        assert!(gen_rnd_email(-1, 5, "ab.com", &mut rng).is_err());
    }
}
