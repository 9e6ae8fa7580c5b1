//! `mask_inner` and `mask_outer`: position-based masking of any string.

use super::mask_char::{mask_char, push_repeated};
use crate::{Error, Result};

fn margin(func: &'static str, arg: &'static str, v: i64) -> Result<usize> {
    usize::try_from(v).map_err(|_| Error::invalid(func, arg, "must be >= 0", v))
}

/// `mask_inner(str, margin1, margin2 [, mask_char])`: keeps `margin1`
/// characters on the left and `margin2` on the right, masks the rest with
/// `mask_char` (default `X`). If the margins cover the whole string, it is
/// returned unchanged (MySQL's rule). A negative margin is an error.
///
/// ```
/// use sqlxos_core::mask::general::mask_inner;
/// assert_eq!(mask_inner("This is a string", 5, 1, None).unwrap(), "This XXXXXXXXXXg");
/// assert_eq!(mask_inner("abcdef", 1, 2, Some("*")).unwrap(), "a***ef");
/// assert_eq!(mask_inner("かすみがうら市", 3, 1, None).unwrap(), "かすみXXX市");
/// ```
pub fn mask_inner(s: &str, margin1: i64, margin2: i64, mc: Option<&str>) -> Result<String> {
    const F: &str = "mask_inner";
    let m1 = margin(F, "margin1", margin1)?;
    let m2 = margin(F, "margin2", margin2)?;
    let c = mask_char(F, mc, 'X')?;
    let chars = Chars::of(s);
    if m1.saturating_add(m2) >= chars.count {
        return Ok(s.to_owned());
    }
    let (start, end) = (
        chars.byte_offset(s, m1),
        chars.byte_offset(s, chars.count - m2),
    );
    let masked = chars.count - m1 - m2;
    let mut out = String::with_capacity(start + masked * c.len_utf8() + (s.len() - end));
    out.push_str(&s[..start]);
    push_repeated(&mut out, c, masked);
    out.push_str(&s[end..]);
    Ok(out)
}

/// The character count of a string, and whether it is ASCII (then
/// character and byte offsets are the same and nothing needs decoding).
struct Chars {
    count: usize,
    ascii: bool,
}

impl Chars {
    fn of(s: &str) -> Chars {
        if s.is_ascii() {
            Chars {
                count: s.len(),
                ascii: true,
            }
        } else {
            Chars {
                count: s.chars().count(),
                ascii: false,
            }
        }
    }

    /// The byte offset of character `i` (`i <= count`).
    fn byte_offset(&self, s: &str, i: usize) -> usize {
        if self.ascii {
            i
        } else {
            s.char_indices().nth(i).map_or(s.len(), |(b, _)| b)
        }
    }
}

/// `mask_outer(str, margin1, margin2 [, mask_char])`: masks `margin1`
/// characters on the left and `margin2` on the right with `mask_char`
/// (default `X`), keeps the interior. If the margins cover the whole string,
/// every character is masked (MySQL's rule). A negative margin is an error.
///
/// ```
/// use sqlxos_core::mask::general::mask_outer;
/// assert_eq!(mask_outer("This is a string", 5, 1, None).unwrap(), "XXXXXis a strinX");
/// assert_eq!(mask_outer("abcdef", 0, 5, Some("#")).unwrap(), "a#####");
/// ```
pub fn mask_outer(s: &str, margin1: i64, margin2: i64, mc: Option<&str>) -> Result<String> {
    const F: &str = "mask_outer";
    let m1 = margin(F, "margin1", margin1)?;
    let m2 = margin(F, "margin2", margin2)?;
    let c = mask_char(F, mc, 'X')?;
    let chars = Chars::of(s);
    if m1.saturating_add(m2) >= chars.count {
        let mut out = String::with_capacity(chars.count * c.len_utf8());
        push_repeated(&mut out, c, chars.count);
        return Ok(out);
    }
    let (start, end) = (
        chars.byte_offset(s, m1),
        chars.byte_offset(s, chars.count - m2),
    );
    let mut out = String::with_capacity((m1 + m2) * c.len_utf8() + (end - start));
    push_repeated(&mut out, c, m1);
    out.push_str(&s[start..end]);
    push_repeated(&mut out, c, m2);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn manual_examples_inner() {
        assert_eq!(
            mask_inner("This is a string", 5, 1, None).unwrap(),
            "This XXXXXXXXXXg"
        );
        assert_eq!(
            mask_inner("This is a string", 1, 5, None).unwrap(),
            "TXXXXXXXXXXtring"
        );
        assert_eq!(
            mask_inner("かすみがうら市", 3, 1, None).unwrap(),
            "かすみXXX市"
        );
        assert_eq!(
            mask_inner("かすみがうら市", 1, 3, None).unwrap(),
            "かXXXうら市"
        );
        assert_eq!(
            mask_inner("This is a string", 5, 1, Some("*")).unwrap(),
            "This **********g"
        );
        assert_eq!(
            mask_inner("かすみがうら市", 2, 2, Some("#")).unwrap(),
            "かす###ら市"
        );
        assert_eq!(mask_inner("abcdef", 1, 2, None).unwrap(), "aXXXef");
        assert_eq!(mask_inner("abcdef", 0, 5, None).unwrap(), "Xbcdef");
        assert_eq!(mask_inner("abcdef", 1, 2, Some("*")).unwrap(), "a***ef");
        assert_eq!(mask_inner("abcdef", 0, 5, Some("#")).unwrap(), "#bcdef");
    }

    #[test]
    fn manual_examples_outer() {
        assert_eq!(
            mask_outer("This is a string", 5, 1, None).unwrap(),
            "XXXXXis a strinX"
        );
        assert_eq!(
            mask_outer("This is a string", 1, 5, None).unwrap(),
            "Xhis is a sXXXXX"
        );
        assert_eq!(mask_outer("abcdef", 1, 2, None).unwrap(), "XbcdXX");
        assert_eq!(mask_outer("abcdef", 0, 5, None).unwrap(), "aXXXXX");
        assert_eq!(mask_outer("abcdef", 1, 2, Some("*")).unwrap(), "*bcd**");
        assert_eq!(mask_outer("abcdef", 0, 5, Some("#")).unwrap(), "a#####");
    }

    #[test]
    fn margins_covering_the_string() {
        // Exact length and beyond: inner returns the input, outer masks all.
        assert_eq!(mask_inner("abc", 1, 2, None).unwrap(), "abc");
        assert_eq!(mask_inner("abc", 10, 10, None).unwrap(), "abc");
        assert_eq!(mask_inner("abc", i64::MAX, i64::MAX, None).unwrap(), "abc");
        assert_eq!(mask_outer("abc", 1, 2, None).unwrap(), "XXX");
        assert_eq!(mask_outer("abc", 10, 0, None).unwrap(), "XXX");
        assert_eq!(
            mask_outer("héllo", i64::MAX, i64::MAX, Some("•")).unwrap(),
            "•••••"
        );
        assert_eq!(mask_inner("abc", 0, 0, None).unwrap(), "XXX");
        assert_eq!(mask_outer("abc", 0, 0, None).unwrap(), "abc");
    }

    #[test]
    fn empty_string() {
        assert_eq!(mask_inner("", 0, 0, None).unwrap(), "");
        assert_eq!(mask_outer("", 0, 0, None).unwrap(), "");
        assert_eq!(mask_outer("", 3, 3, None).unwrap(), "");
    }

    #[test]
    fn multibyte_strings_and_mask_chars() {
        assert_eq!(
            mask_inner("héllo wörld", 2, 2, None).unwrap(),
            "héXXXXXXXld"
        );
        assert_eq!(
            mask_outer("héllo wörld", 2, 2, None).unwrap(),
            "XXllo wörXX"
        );
        assert_eq!(
            mask_inner("🙂🙃😉😊", 1, 1, Some("🔒")).unwrap(),
            "🙂🔒🔒😊"
        );
        assert_eq!(mask_outer("🙂🙃😉😊", 1, 1, Some("é")).unwrap(), "é🙃😉é");
    }

    #[test]
    fn control_characters_are_ordinary_characters() {
        assert_eq!(mask_inner("a\0b\nc", 1, 1, None).unwrap(), "aXXXc");
        assert_eq!(mask_outer("a\0b\nc", 1, 1, None).unwrap(), "X\0b\nX");
        assert_eq!(mask_inner("abc", 0, 0, Some("\0")).unwrap(), "\0\0\0");
    }

    #[test]
    fn negative_margins_are_errors() {
        assert_eq!(
            mask_inner("abc", -1, 0, None).unwrap_err().to_string(),
            r#"mask_inner(): argument "margin1" must be >= 0, got '-1'"#
        );
        assert_eq!(
            mask_inner("abc", 0, -2, None).unwrap_err().to_string(),
            r#"mask_inner(): argument "margin2" must be >= 0, got '-2'"#
        );
        assert_eq!(
            mask_outer("abc", i64::MIN, 0, None)
                .unwrap_err()
                .to_string(),
            r#"mask_outer(): argument "margin1" must be >= 0, got '-9223372036854775808'"#
        );
        assert_eq!(
            mask_outer("abc", 1, -1, None).unwrap_err().to_string(),
            r#"mask_outer(): argument "margin2" must be >= 0, got '-1'"#
        );
    }

    #[test]
    fn bad_mask_char_is_an_error() {
        assert_eq!(
            mask_inner("abc", 1, 1, Some("ab")).unwrap_err().to_string(),
            r#"mask_inner(): argument "mask_char" must be exactly one character, got 'ab'"#
        );
        assert_eq!(
            mask_outer("abc", 1, 1, Some("")).unwrap_err().to_string(),
            r#"mask_outer(): argument "mask_char" must be exactly one character, got ''"#
        );
        assert_eq!(
            mask_outer("abc", 1, 1, Some("🙂🙂"))
                .unwrap_err()
                .to_string(),
            r#"mask_outer(): argument "mask_char" must be exactly one character, got '🙂🙂'"#
        );
    }

    #[test]
    fn huge_input_is_linear() {
        let s = "é".repeat(1 << 19); // 1 MiB of UTF-8
        let inner = mask_inner(&s, 3, 3, None).unwrap();
        assert_eq!(inner.chars().count(), 1 << 19);
        assert!(inner.starts_with("éééX") && inner.ends_with("Xééé"));
        let outer = mask_outer(&s, 3, 3, Some("*")).unwrap();
        assert!(outer.starts_with("***é") && outer.ends_with("é***"));
        let err = mask_inner(&s, 1, 1, Some(&s)).unwrap_err().to_string();
        assert!(err.len() < 200, "error text is bounded: {}", err.len());
    }

    proptest! {
        #[test]
        fn inner_keeps_length_and_margins(s in ".{0,40}", m1 in 0i64..50, m2 in 0i64..50) {
            let out = mask_inner(&s, m1, m2, Some("•")).unwrap();
            let a: Vec<char> = s.chars().collect();
            let b: Vec<char> = out.chars().collect();
            prop_assert_eq!(a.len(), b.len());
            let n = a.len();
            let (m1, m2) = (m1 as usize, m2 as usize);
            if m1 + m2 >= n {
                prop_assert_eq!(&out, &s);
            } else {
                prop_assert_eq!(&a[..m1], &b[..m1]);
                prop_assert_eq!(&a[n - m2..], &b[n - m2..]);
                prop_assert!(b[m1..n - m2].iter().all(|&c| c == '•'));
            }
        }

        #[test]
        fn outer_keeps_length_and_interior(s in ".{0,40}", m1 in 0i64..50, m2 in 0i64..50) {
            let out = mask_outer(&s, m1, m2, None).unwrap();
            let a: Vec<char> = s.chars().collect();
            let b: Vec<char> = out.chars().collect();
            prop_assert_eq!(a.len(), b.len());
            let n = a.len();
            let (m1, m2) = (m1 as usize, m2 as usize);
            if m1 + m2 >= n {
                prop_assert!(b.iter().all(|&c| c == 'X'));
            } else {
                prop_assert!(b[..m1].iter().all(|&c| c == 'X'));
                prop_assert!(b[n - m2..].iter().all(|&c| c == 'X'));
                prop_assert_eq!(&a[m1..n - m2], &b[m1..n - m2]);
            }
        }
    }
}
