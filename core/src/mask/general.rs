//! `mask_inner` and `mask_outer`: position-based masking of any string.

use super::mask_char::mask_char;
use crate::{Error, Result};

fn margin(func: &'static str, arg: &'static str, v: i64) -> Result<usize> {
    usize::try_from(v).map_err(|_| Error::invalid(func, arg, "must be >= 0", v))
}

/// `mask_inner(str, margin1, margin2 [, mask_char])`: keeps `margin1`
/// characters on the left and `margin2` on the right, masks the rest with
/// `mask_char` (default `X`). If the margins cover the whole string, it is
/// returned unchanged (MySQL's rule).
///
/// `mask_inner("This is a string", 5, 1, None)` is `"This XXXXXXXXXXg"`.
pub fn mask_inner(s: &str, margin1: i64, margin2: i64, mc: Option<&str>) -> Result<String> {
    const F: &str = "mask_inner";
    let m1 = margin(F, "margin1", margin1)?;
    let m2 = margin(F, "margin2", margin2)?;
    let c = mask_char(F, mc, 'X')?;
    let n = s.chars().count();
    if m1.saturating_add(m2) >= n {
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    for (i, ch) in s.chars().enumerate() {
        out.push(if i < m1 || i >= n - m2 { ch } else { c });
    }
    Ok(out)
}
