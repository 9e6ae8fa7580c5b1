//! The shared rules of the special-purpose masking functions (`mask_pan`,
//! `mask_ssn`, `mask_iban`, `mask_uk_nin`, `mask_canada_sin`, `mask_uuid`).
//!
//! An identifier is made of *significant* characters (letters and digits)
//! in groups, optionally separated by *separators*. The MySQL manual states
//! three outcomes, and we apply them in this order:
//!
//! 1. **Error** if the argument "is not the correct length": the number of
//!    letters and digits, separators not counted, is outside the function's
//!    range. (Counting letters and digits is what reconciles every example in
//!    the manual: `mask_uk_nin('QQ 12 34 56 C')` has 13 characters but 9
//!    significant ones and is masked; `mask_uk_nin('abcdefghijk')`, 11
//!    characters, is "too long".) Then an invalid `mask_char` is an error.
//! 2. **NULL** if the argument "is in incorrect format or contains a
//!    multibyte character": any non-ASCII character, a separator that is not
//!    ASCII punctuation or a space (control characters included), separators
//!    at the start, at the end or doubled, or groups of lengths the format
//!    does not allow.
//! 3. Otherwise the letters and digits are masked, except the first
//!    `keep_first` and the last `keep_last`; separators are kept as they are.
//!
//! Letters are accepted wherever the format has digits, as in the manual's
//! examples (`mask_canada_sin('abcdefijk')` is `XXXXXXXXX`).

use super::mask_char::mask_char;
use crate::{Error, Result};

/// Which groupings of significant characters a format accepts.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Grouping {
    /// Any number of non-empty groups (payment card numbers).
    Any,
    /// Exactly one of these group-length sequences.
    OneOf(&'static [&'static [usize]]),
    /// One group, or groups of `n` with a last group of 1 to `n` (IBAN).
    By(usize),
}

/// The format of one kind of identifier.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Format {
    pub func: &'static str,
    /// Range of significant characters (letters and digits).
    pub min: usize,
    pub max: usize,
    pub grouping: Grouping,
    pub keep_first: usize,
    pub keep_last: usize,
    pub default_mask: char,
}

impl Format {
    /// Masks `s` by the rules in the module documentation.
    pub(crate) fn mask(&self, s: &str, mc: Option<&str>) -> Result<Option<String>> {
        let significant = s.chars().filter(|c| c.is_alphanumeric()).count();
        if significant < self.min || significant > self.max {
            let expected = if self.min == self.max {
                format!(
                    "must contain exactly {} digits or letters, not counting separators",
                    self.min
                )
            } else {
                format!(
                    "must contain between {} and {} digits or letters, not counting separators",
                    self.min, self.max
                )
            };
            return Err(Error::invalid(self.func, "str", expected, s));
        }
        let c = mask_char(self.func, mc, self.default_mask)?;
        let Some(groups) = groups(s) else {
            return Ok(None);
        };
        if !self.grouping_ok(&groups) {
            return Ok(None);
        }
        let n = significant;
        let mut out = String::with_capacity(s.len() + n * c.len_utf8());
        let mut i = 0;
        for ch in s.chars() {
            if ch.is_ascii_alphanumeric() {
                out.push(if i < self.keep_first || i + self.keep_last >= n {
                    ch
                } else {
                    c
                });
                i += 1;
            } else {
                out.push(ch);
            }
        }
        Ok(Some(out))
    }

    fn grouping_ok(&self, groups: &[usize]) -> bool {
        match self.grouping {
            Grouping::Any => true,
            Grouping::OneOf(layouts) => layouts.contains(&groups),
            Grouping::By(n) => match groups.split_last() {
                None => false,
                Some((_, [])) => true,
                Some((&last, init)) => init.iter().all(|&g| g == n) && (1..=n).contains(&last),
            },
        }
    }
}

/// Lengths of the runs of ASCII letters and digits in `s`, or `None` if `s`
/// has a non-ASCII character, a separator other than ASCII punctuation or a
/// space, or a separator at the start, at the end or next to another one.
fn groups(s: &str) -> Option<Vec<usize>> {
    let mut groups = Vec::new();
    let mut run = 0usize;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            run += 1;
        } else if c == ' ' || c.is_ascii_punctuation() {
            if run == 0 {
                return None;
            }
            groups.push(run);
            run = 0;
        } else {
            return None;
        }
    }
    if run == 0 {
        return None;
    }
    groups.push(run);
    Some(groups)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_of_strings() {
        assert_eq!(groups("123-45-6789"), Some(vec![3, 2, 4]));
        assert_eq!(groups("123456789"), Some(vec![9]));
        assert_eq!(groups("a b"), Some(vec![1, 1]));
        assert_eq!(groups(""), None);
        assert_eq!(groups("-123"), None);
        assert_eq!(groups("123-"), None);
        assert_eq!(groups("1--2"), None);
        assert_eq!(groups("1\t2"), None);
        assert_eq!(groups("1\x002"), None);
        assert_eq!(groups("1é2"), None);
    }

    #[test]
    fn grouping_by_four() {
        let f = Format {
            func: "t",
            min: 1,
            max: 99,
            grouping: Grouping::By(4),
            keep_first: 0,
            keep_last: 0,
            default_mask: '*',
        };
        assert!(f.grouping_ok(&[22]));
        assert!(f.grouping_ok(&[4, 4, 4, 4, 4, 2]));
        assert!(f.grouping_ok(&[4, 4]));
        assert!(!f.grouping_ok(&[4, 5]));
        assert!(!f.grouping_ok(&[3, 4, 2]));
        assert!(!f.grouping_ok(&[]));
    }
}
