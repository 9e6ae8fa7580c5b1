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
