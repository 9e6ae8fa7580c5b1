//! Entry points of the function table: coerced [`Value`]s in, the typed
//! functions called, a [`Value`] out. [`crate::functions::call`] has already
//! checked the arity, answered NULL for a NULL argument and coerced every
//! argument to its [`crate::functions::ArgKind`], so the accessors below
//! only unwrap.

use super::rng::with_rng;
use super::{
    canada_sin, email, general, generalize, generate, iban, noise, pan, phone, pseudonymize, ssn,
    uk_nin, uuid,
};
use crate::{Result, Value};

type Out = Result<Value<'static>>;

fn text<'a>(v: &'a Value<'_>) -> &'a str {
    match v {
        Value::Text(t) => t,
        _ => unreachable!("coerced to text"),
    }
}

fn int(v: &Value<'_>) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => unreachable!("coerced to int"),
    }
}

fn float(v: &Value<'_>) -> f64 {
    match v {
        Value::Float(f) => *f,
        _ => unreachable!("coerced to float"),
    }
}

fn opt_text<'a>(a: &'a [Value<'_>], i: usize) -> Option<&'a str> {
    a.get(i).map(text)
}

fn opt_int(a: &[Value<'_>], i: usize, default: i64) -> i64 {
    a.get(i).map_or(default, int)
}

fn string(r: Result<String>) -> Out {
    r.map(Value::from)
}

fn nullable(r: Result<Option<String>>) -> Out {
    r.map(|o| o.map_or(Value::Null, Value::from))
}

// mask_inner, mask_outer

pub(super) fn mask_inner(a: &[Value<'_>]) -> Out {
    string(general::mask_inner(
        text(&a[0]),
        int(&a[1]),
        int(&a[2]),
        opt_text(a, 3),
    ))
}

pub(super) fn mask_outer(a: &[Value<'_>]) -> Out {
    string(general::mask_outer(
        text(&a[0]),
        int(&a[1]),
        int(&a[2]),
        opt_text(a, 3),
    ))
}

// Special-purpose masking

pub(super) fn mask_pan(a: &[Value<'_>]) -> Out {
    nullable(pan::mask_pan(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_pan_relaxed(a: &[Value<'_>]) -> Out {
    nullable(pan::mask_pan_relaxed(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_ssn(a: &[Value<'_>]) -> Out {
    nullable(ssn::mask_ssn(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_iban(a: &[Value<'_>]) -> Out {
    nullable(iban::mask_iban(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_uk_nin(a: &[Value<'_>]) -> Out {
    nullable(uk_nin::mask_uk_nin(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_canada_sin(a: &[Value<'_>]) -> Out {
    nullable(canada_sin::mask_canada_sin(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_uuid(a: &[Value<'_>]) -> Out {
    nullable(uuid::mask_uuid(text(&a[0]), opt_text(a, 1)))
}

// Generators

pub(super) fn gen_range(a: &[Value<'_>]) -> Out {
    let (lower, upper) = (int(&a[0]), int(&a[1]));
    Ok(with_rng(|r| generate::gen_range(lower, upper, r)).map_or(Value::Null, Value::Int))
}

pub(super) fn gen_rnd_email(a: &[Value<'_>]) -> Out {
    let name = opt_int(a, 0, email::DEFAULT_NAME_SIZE);
    let surname = opt_int(a, 1, email::DEFAULT_SURNAME_SIZE);
    let domain = opt_text(a, 2).unwrap_or(email::DEFAULT_DOMAIN);
    string(with_rng(|r| email::gen_rnd_email(name, surname, domain, r)))
}

pub(super) fn gen_rnd_pan(a: &[Value<'_>]) -> Out {
    let size = opt_int(a, 0, pan::DEFAULT_PAN_SIZE);
    string(with_rng(|r| pan::gen_rnd_pan(size, r)))
}

pub(super) fn gen_rnd_iban(a: &[Value<'_>]) -> Out {
    let country = opt_text(a, 0).unwrap_or(iban::DEFAULT_IBAN_COUNTRY);
    let size = opt_int(a, 1, iban::DEFAULT_IBAN_SIZE);
    string(with_rng(|r| iban::gen_rnd_iban(country, size, r)))
}

pub(super) fn gen_rnd_ssn(_: &[Value<'_>]) -> Out {
    Ok(Value::from(with_rng(ssn::gen_rnd_ssn)))
}

pub(super) fn gen_rnd_us_phone(_: &[Value<'_>]) -> Out {
    Ok(Value::from(with_rng(phone::gen_rnd_us_phone)))
}

pub(super) fn gen_rnd_uk_nin(_: &[Value<'_>]) -> Out {
    Ok(Value::from(with_rng(uk_nin::gen_rnd_uk_nin)))
}

pub(super) fn gen_rnd_canada_sin(_: &[Value<'_>]) -> Out {
    Ok(Value::from(with_rng(canada_sin::gen_rnd_canada_sin)))
}

pub(super) fn gen_rnd_uuid(_: &[Value<'_>]) -> Out {
    Ok(Value::from(with_rng(uuid::gen_rnd_uuid)))
}

// sqlxos's own

pub(super) fn mask_email(a: &[Value<'_>]) -> Out {
    string(email::mask_email(text(&a[0]), opt_text(a, 1)))
}

pub(super) fn mask_phone(a: &[Value<'_>]) -> Out {
    let keep_last = opt_int(a, 1, phone::DEFAULT_KEEP_LAST);
    string(phone::mask_phone(text(&a[0]), keep_last, opt_text(a, 2)))
}

pub(super) fn pseudonymize(a: &[Value<'_>]) -> Out {
    string(pseudonymize::pseudonymize(text(&a[0]), text(&a[1])))
}

pub(super) fn pseudonymize_email(a: &[Value<'_>]) -> Out {
    string(pseudonymize::pseudonymize_email(text(&a[0]), text(&a[1])))
}

pub(super) fn noise(a: &[Value<'_>]) -> Out {
    let ratio = float(&a[1]);
    match a[0] {
        Value::Int(x) => with_rng(|r| noise::noise_i64(x, ratio, r)).map(Value::Int),
        Value::Float(x) => with_rng(|r| noise::noise_f64(x, ratio, r)).map(Value::Float),
        _ => unreachable!("coerced to a number"),
    }
}

pub(super) fn generalize(a: &[Value<'_>]) -> Out {
    generalize::generalize_value(&a[0], &a[1])
}

pub(super) fn version(_: &[Value<'_>]) -> Out {
    Ok(Value::from(crate::VERSION.to_owned()))
}
