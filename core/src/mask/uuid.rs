//! Universally Unique Identifiers: `mask_uuid`, `gen_rnd_uuid`.

use rand::Rng;

use super::identifier::{Format, Grouping};
use crate::Result;

/// `mask_uuid(str [, mask_char])`: masks every hexadecimal digit of a UUID
/// with `mask_char` (default `*`), keeping the separators.
///
/// `str` must contain exactly 32 digits or letters (separators not counted),
/// else an error. The accepted formats are the manual's
/// `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, where `-` is any single ASCII
/// punctuation character or space, and (an addition) the 32 digits without
/// separators; anything else gives NULL (`Ok(None)`).
/// See [`super::identifier`].
///
/// ```
/// use sqlxos_core::mask::uuid::mask_uuid;
/// assert_eq!(
///     mask_uuid("123e4567-e89b-12d3-a456-426614174000", None).unwrap().unwrap(),
///     "********-****-****-****-************"
/// );
/// ```
pub fn mask_uuid(s: &str, mc: Option<&str>) -> Result<Option<String>> {
    Format {
        func: "mask_uuid",
        min: 32,
        max: 32,
        grouping: Grouping::OneOf(&[&[8, 4, 4, 4, 12], &[32]]),
        keep_first: 0,
        keep_last: 0,
        default_mask: '*',
    }
    .mask(s, mc)
}

/// `gen_rnd_uuid()`: a random version 4 UUID (RFC 9562), lowercase, with
/// dashes: `82d9b7cc-7fad-481b-8eed-a27c11b4a404`.
pub fn gen_rnd_uuid(rng: &mut impl Rng) -> String {
    let mut b: [u8; 16] = rng.random();
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // variant 10
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        s.push_str(&format!("{byte:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    fn m(s: &str) -> Option<String> {
        mask_uuid(s, None).unwrap()
    }

    #[test]
    fn manual_examples() {
        let mut rng = StdRng::seed_from_u64(11);
        assert_eq!(
            m(&gen_rnd_uuid(&mut rng)).unwrap(),
            "********-****-****-****-************"
        );
        assert_eq!(
            mask_uuid("909", None).unwrap_err().to_string(),
            "mask_uuid(): argument \"str\" must contain exactly 32 digits or letters, \
             not counting separators, got '909'"
        );
        assert!(mask_uuid(
            "123e4567-e89b-12d3-a456-426614174000-123e4567-e89b-12d3",
            None
        )
        .is_err());
    }

    #[test]
    fn formats() {
        assert_eq!(
            mask_uuid("123E4567 E89B 12D3 A456 426614174000", Some("X"))
                .unwrap()
                .unwrap(),
            "XXXXXXXX XXXX XXXX XXXX XXXXXXXXXXXX"
        );
        assert_eq!(
            m("123e4567e89b12d3a456426614174000").unwrap(),
            "*".repeat(32)
        );
        assert_eq!(m("123e4567-e89b-12d3-a456426614174000"), None);
        assert_eq!(m("123e4567-e89b-12d3-a456-42661417400é"), None);
        assert!(mask_uuid("", None).is_err());
    }

    proptest! {
        #[test]
        fn generated_uuids_are_v4(seed in any::<u64>()) {
            let mut rng = StdRng::seed_from_u64(seed);
            let s = gen_rnd_uuid(&mut rng);
            prop_assert_eq!(s.len(), 36);
            prop_assert_eq!(s.as_bytes()[14], b'4');
            prop_assert!(matches!(s.as_bytes()[19], b'8' | b'9' | b'a' | b'b'));
            for (i, c) in s.chars().enumerate() {
                if matches!(i, 8 | 13 | 18 | 23) {
                    prop_assert_eq!(c, '-');
                } else {
                    prop_assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase());
                }
            }
            prop_assert!(mask_uuid(&s, None).unwrap().is_some());
        }
    }
}
