//! An engine-neutral SQL value, used where an adapter dispatches through the
//! function table ([`crate::functions`]) rather than calling typed functions.

use std::borrow::Cow;

/// A SQL value as the engines hand it over.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<'a> {
    Null,
    Int(i64),
    Float(f64),
    Text(Cow<'a, str>),
}

impl Value<'_> {
    /// True for SQL NULL.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Copies borrowed text so the value outlives its input.
    pub fn into_owned(self) -> Value<'static> {
        match self {
            Value::Null => Value::Null,
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f),
            Value::Text(t) => Value::Text(Cow::Owned(t.into_owned())),
        }
    }
}

impl From<String> for Value<'static> {
    fn from(s: String) -> Self {
        Value::Text(Cow::Owned(s))
    }
}

impl From<i64> for Value<'static> {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<f64> for Value<'static> {
    fn from(f: f64) -> Self {
        Value::Float(f)
    }
}
