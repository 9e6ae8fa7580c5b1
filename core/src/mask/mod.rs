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
//!   function table ([`crate::functions`]) passes a thread-local RNG.

pub mod email;
pub mod general;
pub mod generalize;
pub mod generate;
pub mod iban;
pub mod mask_char;
pub mod national_id;
pub mod noise;
pub mod pan;
pub mod phone;
pub mod pseudonymize;
pub mod registry;
pub mod uuid;
