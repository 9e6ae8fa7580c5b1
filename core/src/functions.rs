//! The function table: every SQL function sqlxos offers through a generic
//! adapter (MariaDB UDFs, SQLite scalar functions), with its arguments,
//! arity, determinism and an entry point taking engine-neutral [`Value`]s.
//!
//! Adapters register `sqlxos_<name>` for every entry (and, in MariaDB, the
//! bare `<name>` where [`FnSpec::mysql_enterprise`] is set), then call
//! [`call`]. That one path gives every engine the same NULL handling, the
//! same coercions and the same error text.

use std::borrow::Cow;

use crate::{Error, Result, Value};

/// What an argument accepts. [`call`] coerces engine values to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArgKind {
    /// Text. Numbers are rendered as text.
    Text,
    /// A 64-bit integer. Integral floats and integer text are accepted.
    Int,
    /// A float. Integers and numeric text are accepted.
    Float,
    /// A number kept as given: an integer stays an integer, a float a float;
    /// numeric text becomes whichever it spells.
    Number,
    /// A number or text, passed through unchanged (e.g. `generalize`, which
    /// takes a number or a date/time string).
    Any,
}

/// What a function returns (MariaDB needs it at `CREATE FUNCTION`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnKind {
    Text,
    Int,
    Float,
    /// Same kind as the first argument (`noise`, `generalize`): adapters that
    /// need one fixed type use text.
    LikeFirstArg,
}

/// One argument of a function.
#[derive(Debug, Clone, Copy)]
pub struct ArgSpec {
    pub name: &'static str,
    pub kind: ArgKind,
}

/// The entry point of a function: coerced arguments in (never NULL: NULL
/// in gives NULL out before this is called), a value out.
pub type Entry = fn(&[Value<'_>]) -> Result<Value<'static>>;

/// One SQL function.
#[derive(Debug, Clone, Copy)]
pub struct FnSpec {
    /// Base name, without the engine prefix: `mask_inner`.
    pub name: &'static str,
    /// All arguments, required first, then optional ones.
    pub args: &'static [ArgSpec],
    /// How many of `args` are required.
    pub required: usize,
    /// Same inputs, same output (mask_*, pseudonymize): engines may cache.
    pub deterministic: bool,
    /// Also offered under its bare name in MariaDB, as MySQL Enterprise
    /// Data Masking names it.
    pub mysql_enterprise: bool,
    pub returns: ReturnKind,
    /// One line for docs and `--help`-style listings.
    pub summary: &'static str,
    pub entry: Entry,
}

impl FnSpec {
    /// Renders the signature, e.g. `mask_inner(str, margin1, margin2 [, mask_char])`.
    pub fn signature(&self) -> String {
        let mut s = format!("{}(", self.name);
        for (i, a) in self.args.iter().enumerate() {
            if i == self.required {
                s.push_str(if i == 0 { "[" } else { " [" });
            }
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(a.name);
        }
        if self.required < self.args.len() {
            s.push(']');
        }
        s.push(')');
        s
    }
}

/// Every function offered through the generic adapters.
pub fn all() -> &'static [FnSpec] {
    crate::mask::registry::FUNCTIONS
}

/// Looks a function up by base name (`mask_inner`), or by its prefixed
/// name (`sqlxos_mask_inner`).
pub fn find(name: &str) -> Option<&'static FnSpec> {
    let base = name.strip_prefix("sqlxos_").unwrap_or(name);
    all().iter().find(|f| f.name.eq_ignore_ascii_case(base))
}

/// The most arguments any function takes; [`call`] coerces into a fixed
/// array of this size, so a call allocates nothing for its arguments.
pub const MAX_ARGS: usize = 4;

/// Calls `spec` with engine values: checks arity, returns NULL if any
/// argument is NULL (every function is strict), coerces each argument to its
/// [`ArgKind`], then runs the entry point.
pub fn call(spec: &FnSpec, args: &[Value<'_>]) -> Result<Value<'static>> {
    check_arity(spec, args.len())?;
    if args.iter().any(Value::is_null) {
        return Ok(Value::Null);
    }
    let mut coerced: [Value<'_>; MAX_ARGS] = [Value::Null, Value::Null, Value::Null, Value::Null];
    for ((slot, a), spec_arg) in coerced.iter_mut().zip(args).zip(spec.args) {
        *slot = coerce(spec.name, spec_arg, a)?;
    }
    (spec.entry)(&coerced[..args.len()])
}

/// Checks the argument count alone; adapters that validate at prepare time
/// (MariaDB's `_init`) call this first.
pub fn check_arity(spec: &FnSpec, n: usize) -> Result<()> {
    if n < spec.required || n > spec.args.len() {
        let expected = if spec.required == spec.args.len() {
            spec.required.to_string()
        } else {
            format!("{} to {}", spec.required, spec.args.len())
        };
        return Err(Error::WrongArgCount {
            func: spec.name,
            expected,
            got: n,
        });
    }
    Ok(())
}

fn coerce<'a>(func: &'static str, arg: &ArgSpec, v: &'a Value<'a>) -> Result<Value<'a>> {
    let bad = |what: &str, got: &dyn std::fmt::Display| Error::invalid(func, arg.name, what, got);
    Ok(match (arg.kind, v) {
        (_, Value::Null) => Value::Null,
        (ArgKind::Any, v) => v.clone(),
        (ArgKind::Text, Value::Text(t)) => Value::Text(Cow::Borrowed(t.as_ref())),
        (ArgKind::Text, Value::Int(i)) => Value::Text(Cow::Owned(i.to_string())),
        (ArgKind::Text, Value::Float(f)) => Value::Text(Cow::Owned(f.to_string())),
        (ArgKind::Int, Value::Int(i)) => Value::Int(*i),
        (ArgKind::Int, Value::Float(f)) => {
            if f.fract() == 0.0 && f.is_finite() && f.abs() < 9.0e18 {
                Value::Int(*f as i64)
            } else {
                return Err(bad("must be an integer", f));
            }
        }
        (ArgKind::Int, Value::Text(t)) => match t.trim().parse::<i64>() {
            Ok(i) => Value::Int(i),
            Err(_) => return Err(bad("must be an integer", t)),
        },
        (ArgKind::Float, Value::Int(i)) => Value::Float(*i as f64),
        (ArgKind::Float, Value::Float(f)) => Value::Float(*f),
        (ArgKind::Float, Value::Text(t)) => match t.trim().parse::<f64>() {
            Ok(f) if f.is_finite() => Value::Float(f),
            _ => return Err(bad("must be a number", t)),
        },
        (ArgKind::Number, Value::Int(i)) => Value::Int(*i),
        (ArgKind::Number, Value::Float(f)) => Value::Float(*f),
        (ArgKind::Number, Value::Text(t)) => {
            let s = t.trim();
            if let Ok(i) = s.parse::<i64>() {
                Value::Int(i)
            } else {
                match s.parse::<f64>() {
                    Ok(f) if f.is_finite() => Value::Float(f),
                    _ => return Err(bad("must be a number", t)),
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_function_takes_more_than_max_args() {
        for f in all() {
            assert!(
                f.args.len() <= MAX_ARGS,
                "{} takes {} arguments",
                f.name,
                f.args.len()
            );
        }
    }

    #[test]
    fn signature_renders_optional_arguments() {
        let f = find("mask_inner").unwrap();
        assert_eq!(
            f.signature(),
            "mask_inner(str, margin1, margin2 [, mask_char])"
        );
        assert_eq!(
            find("sqlxos_gen_rnd_uuid").unwrap().signature(),
            "gen_rnd_uuid()"
        );
    }

    /// The README's function reference has a tested example (run in all
    /// three engines by tests/slt/run.py) for every function in the table.
    #[test]
    fn every_function_has_a_tested_readme_example() {
        let readme = include_str!("../../README.md");
        let start = readme.find("tested-examples:start").expect("start marker");
        let end = readme.find("tested-examples:end").expect("end marker");
        let examples = &readme[start..end];
        for f in all() {
            let call = format!("SELECT sqlxos.{}(", f.name);
            assert!(
                examples.contains(&call),
                "README has no tested example of {}",
                f.name
            );
        }
    }
}
