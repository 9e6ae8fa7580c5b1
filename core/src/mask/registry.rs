//! The masking entries of the function table ([`crate::functions`]).

use crate::functions::{ArgKind, ArgSpec, FnSpec, ReturnKind};
use crate::{Result, Value};

const fn arg(name: &'static str, kind: ArgKind) -> ArgSpec {
    ArgSpec { name, kind }
}

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

fn e_mask_inner(a: &[Value<'_>]) -> Result<Value<'static>> {
    super::general::mask_inner(text(&a[0]), int(&a[1]), int(&a[2]), a.get(3).map(text))
        .map(Value::from)
}

pub static FUNCTIONS: &[FnSpec] = &[FnSpec {
    name: "mask_inner",
    args: &[
        arg("str", ArgKind::Text),
        arg("margin1", ArgKind::Int),
        arg("margin2", ArgKind::Int),
        arg("mask_char", ArgKind::Text),
    ],
    required: 3,
    deterministic: true,
    mysql_enterprise: true,
    returns: ReturnKind::Text,
    summary: "Masks the interior of a string, keeping margin1 characters on the left and margin2 on the right.",
    entry: e_mask_inner,
}];
