//! Data masking: MySQL Enterprise-compatible masking and generator functions,
//! plus sqlxos's own (`mask_email`, `mask_phone`, `pseudonymize`, `noise`,
//! `generalize`). One concept per file.
//!
//! Rules shared by every function here:
//! - Lengths, margins and positions count characters (Unicode scalar values),
//!   never bytes.
//! - A bad argument is an [`crate::Error::InvalidArgument`] naming the argument
//!   and what was expected; nothing else happens.
//! - Generators take an `&mut impl rand::Rng` so tests can seed them; the
//!   function table ([`crate::functions`]) passes a thread-local RNG
//!   ([`rng::with_rng`]).
//!
//! | module | functions |
//! |---|---|
//! | [`general`] | `mask_inner`, `mask_outer` |
//! | [`pan`] | `mask_pan`, `mask_pan_relaxed`, `gen_rnd_pan` |
//! | [`iban`] | `mask_iban`, `gen_rnd_iban` |
//! | [`ssn`] | `mask_ssn`, `gen_rnd_ssn` |
//! | [`uk_nin`] | `mask_uk_nin`, `gen_rnd_uk_nin` |
//! | [`canada_sin`] | `mask_canada_sin`, `gen_rnd_canada_sin` |
//! | [`uuid`] | `mask_uuid`, `gen_rnd_uuid` |
//! | [`email`] | `mask_email`, `gen_rnd_email` |
//! | [`phone`] | `mask_phone`, `gen_rnd_us_phone` |
//! | [`generate`] | `gen_range` |
//! | [`pseudonymize`] | `pseudonymize`, `pseudonymize_email` |
//! | [`noise`] | `noise` |
//! | [`generalize`] | `generalize` (numbers; dates via [`datetime`]) |
//! | [`registry`] | the function table entries for all of the above, and `version` |

pub mod canada_sin;
pub mod checksum;
pub mod datetime;
pub mod email;
mod entries;
pub mod general;
pub mod generalize;
pub mod generate;
pub mod iban;
pub mod identifier;
pub mod mask_char;
pub mod noise;
pub mod pan;
pub mod phone;
pub mod pseudonymize;
pub mod registry;
pub mod rng;
pub mod ssn;
pub mod uk_nin;
pub mod uuid;
