//! Fingerprints: one normalized text and one stable hash per query shape,
//! so `WHERE a = 1` and `where A = $1` are counted as the same query.

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, InTarget, ObjectName, ObjectNamePart, Query, SetExpr, Value, VisitMut, VisitorMut,
};

use super::{parse_one, Dialect};
use crate::Result;

/// A query's shape: its text with constants replaced by `?` and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// The statement as sqlparser prints it (keywords upper case, single
    /// spaces), unquoted identifiers lower case, every literal and parameter
    /// a `?`, IN lists and multi-row VALUES collapsed to one item.
    pub normalized: String,
    /// FNV-1a 64 of `normalized`: stable across Rust versions and platforms.
    pub hash: u64,
}

/// Fingerprints `sql`. Errors as [`parse_one`].
pub fn fingerprint(sql: &str, dialect: Dialect) -> Result<Fingerprint> {
    let mut stmt = parse_one(sql, dialect)?;
    let _ = stmt.visit(&mut Normalizer);
    let normalized = stmt.to_string();
    let hash = fnv1a64(normalized.as_bytes());
    Ok(Fingerprint { normalized, hash })
}

/// The 64-bit FNV-1a hash of `bytes`.
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |h, &b| (h ^ u64::from(b)).wrapping_mul(PRIME))
}

struct Normalizer;

fn placeholder() -> Expr {
    Expr::value(Value::Placeholder("?".into()))
}

fn is_placeholder(e: &Expr) -> bool {
    matches!(e, Expr::Value(v) if matches!(&v.value, Value::Placeholder(p) if p == "?"))
}

fn lower_name(name: &mut ObjectName) {
    for part in &mut name.0 {
        if let ObjectNamePart::Identifier(id) = part {
            if id.quote_style.is_none() {
                id.value = id.value.to_lowercase();
            }
        }
    }
}

impl VisitorMut for Normalizer {
    type Break = ();

    fn pre_visit_relation(&mut self, relation: &mut ObjectName) -> ControlFlow<()> {
        lower_name(relation);
        ControlFlow::Continue(())
    }

    fn post_visit_expr(&mut self, expr: &mut Expr) -> ControlFlow<()> {
        match expr {
            Expr::Value(v) if !matches!(v.value, Value::Null) => *expr = placeholder(),
            Expr::TypedString(_) => *expr = placeholder(),
            Expr::Identifier(id) if id.quote_style.is_none() => id.value = id.value.to_lowercase(),
            Expr::CompoundIdentifier(ids) => {
                for id in ids.iter_mut().filter(|id| id.quote_style.is_none()) {
                    id.value = id.value.to_lowercase();
                }
            }
            Expr::UnaryOp { expr: inner, .. } if is_placeholder(inner) => *expr = placeholder(),
            Expr::In {
                target: InTarget::List(list),
                ..
            } if !list.is_empty() && list.iter().all(is_placeholder) => {
                list.truncate(1);
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn post_visit_query(&mut self, query: &mut Query) -> ControlFlow<()> {
        if let SetExpr::Values(values) = query.body.as_mut() {
            let all_constant = values
                .rows
                .iter()
                .all(|r| r.content.iter().all(is_placeholder));
            if all_constant {
                values.rows.truncate(1);
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(sql: &str) -> Fingerprint {
        fingerprint(sql, Dialect::Postgres).unwrap()
    }

    #[test]
    fn literals_and_parameters_become_placeholders() {
        let f = fp("SELECT a FROM t WHERE b = 42 AND c = 'x' AND d > $1 AND e = -3");
        assert_eq!(
            f.normalized,
            "SELECT a FROM t WHERE b = ? AND c = ? AND d > ? AND e = ?"
        );
    }

    #[test]
    fn in_lists_of_any_length_share_a_fingerprint() {
        let a = fp("SELECT * FROM t WHERE id IN (1, 2)");
        let b = fp("SELECT * FROM t WHERE id IN (1,2,3,4,5)");
        let c = fp("SELECT * FROM t WHERE id IN ($1, $2, $3)");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(a.normalized, "SELECT * FROM t WHERE id IN (?)");
    }

    #[test]
    fn in_list_with_a_column_is_kept() {
        let f = fp("SELECT * FROM t WHERE 3 IN (a, b)");
        assert_eq!(f.normalized, "SELECT * FROM t WHERE ? IN (a, b)");
    }

    #[test]
    fn whitespace_and_case_do_not_matter() {
        let a = fp("select A,b from T  where  X = 1\n order by b limit 10");
        let b = fp("SELECT a, b FROM t WHERE x = 99 ORDER BY b LIMIT 5");
        assert_eq!(a, b);
    }

    #[test]
    fn quoted_identifiers_keep_their_case() {
        let a = fp("SELECT \"A\" FROM \"T\"");
        let b = fp("SELECT a FROM t");
        assert_ne!(a.hash, b.hash);
    }

    #[test]
    fn typed_literals_and_intervals_are_constants() {
        let a = fp("SELECT * FROM t WHERE d >= DATE '1994-01-01' AND d < DATE '1994-01-01' + INTERVAL '1' YEAR");
        let b = fp("SELECT * FROM t WHERE d >= date '1995-03-01' AND d < date '1995-03-01' + interval '1' year");
        assert_eq!(a, b);
    }

    #[test]
    fn multi_row_values_collapse() {
        let a = fp("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y')");
        let b = fp("INSERT INTO t (a, b) VALUES (3, 'z')");
        assert_eq!(a, b);
        assert_eq!(a.normalized, "INSERT INTO t (a, b) VALUES (?, ?)");
    }

    #[test]
    fn different_shapes_differ() {
        assert_ne!(
            fp("SELECT * FROM t WHERE a = 1").hash,
            fp("SELECT * FROM t WHERE b = 1").hash
        );
        assert_ne!(
            fp("SELECT * FROM t WHERE a IS NULL").hash,
            fp("SELECT * FROM t WHERE a = 1").hash
        );
    }

    #[test]
    fn hash_is_fnv1a_and_stable() {
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        let f = fp("SELECT 1");
        assert_eq!(f.hash, fnv1a64(b"SELECT ?"));
    }

    #[test]
    fn dialects_fingerprint_their_own_parameters() {
        let m = fingerprint(
            "SELECT * FROM t WHERE a = ? AND b IN (?, ?)",
            Dialect::MySql,
        )
        .unwrap();
        let s = fingerprint("SELECT * FROM t WHERE a = 7 AND b IN (1)", Dialect::Sqlite).unwrap();
        assert_eq!(m.normalized, s.normalized);
    }

    #[test]
    fn errors_propagate() {
        assert!(fingerprint("", Dialect::Postgres).is_err());
        assert!(fingerprint("SELECT 1; SELECT 2", Dialect::Postgres).is_err());
    }
}
