//! A minimal JSON writer for the aggregate results (read back by the
//! install script's procedures with `JSON_TABLE`).

use std::fmt::Write as _;

/// `s` as a JSON string literal.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                write!(out, "\\u{:04x}", c as u32).unwrap();
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A finite number, or `null`.
pub fn number(f: f64) -> String {
    if f.is_finite() {
        let r = (f * 100.0).round() / 100.0;
        if r == r.trunc() && r.abs() < 1e15 {
            format!("{}", r as i64)
        } else {
            format!("{r}")
        }
    } else {
        "null".into()
    }
}

/// An object from (key, already-rendered JSON value) pairs.
pub fn object(fields: &[(&str, String)]) -> String {
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("{}:{v}", string(k)))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// An array of already-rendered JSON values.
pub fn array(items: &[String]) -> String {
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped() {
        assert_eq!(string("a\"b\\c\n\u{1}é`"), "\"a\\\"b\\\\c\\n\\u0001é`\"");
    }

    #[test]
    fn numbers() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.345), "2.35");
        assert_eq!(number(f64::NAN), "null");
        assert_eq!(number(f64::INFINITY), "null");
    }

    #[test]
    fn objects_and_arrays() {
        let o = object(&[("a", number(1.0)), ("b", string("x"))]);
        assert_eq!(o, "{\"a\":1,\"b\":\"x\"}");
        assert_eq!(array(&[o.clone(), o]).matches('{').count(), 2);
        assert_eq!(array(&[]), "[]");
    }
}
