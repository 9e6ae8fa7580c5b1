//! What a statement asks of the data, in the terms an index advisor needs.
//! The walk over the syntax tree that fills [`QueryFeatures`] is in
//! `resolve.rs`; this file holds the types, the entry points and the tests.

use super::{parse_one, resolve, Dialect};
use crate::catalog::Catalog;
use crate::Result;

/// The kind of statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatementKind {
    Select,
    Insert,
    Update,
    Delete,
    Other,
}

/// How a column is compared with a constant or parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PredicateOp {
    /// `col = ?`
    Eq,
    /// `<`, `<=`, `>`, `>=`, `BETWEEN`
    Range,
    /// `col IN (?, ...)` or `col IN (SELECT ...)`
    In,
    /// `col LIKE 'abc%'`: a constant prefix, usable by a btree.
    LikePrefix,
    /// `col IS NULL`
    IsNull,
    /// Anything else on one column and constants (`<>`, `LIKE '%x'`,
    /// `IS NOT NULL`, comparison with a subquery, ...).
    Other,
}

/// A column of a base table. `table` is the real table name (aliases
/// resolved, schema dropped); both names are normalized (unquoted lower
/// case, quoted exact).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ColumnRef {
    pub table: String,
    pub column: String,
}

impl ColumnRef {
    /// A column reference from two names.
    pub fn new(table: impl Into<String>, column: impl Into<String>) -> ColumnRef {
        ColumnRef {
            table: table.into(),
            column: column.into(),
        }
    }
}

/// A filter of one column by constants or parameters.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Predicate {
    pub column: ColumnRef,
    pub op: PredicateOp,
}

/// `left = right` between columns of two table references (two tables, or
/// the same table under two aliases, or an inner and an outer column of a
/// correlated subquery).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct JoinPair {
    pub left: ColumnRef,
    pub right: ColumnRef,
}

/// One ORDER BY key on a base column.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SortKey {
    pub column: ColumnRef,
    pub descending: bool,
}

/// What a statement reads and how. Lists keep first-seen order, without
/// duplicates.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryFeatures {
    pub kind: StatementKind,
    /// Every base table referenced (CTE and derived-table names are not).
    pub tables: Vec<String>,
    /// Column-vs-constant/parameter filters from WHERE, ON and HAVING, in
    /// the statement and all its subqueries, CTEs and derived tables.
    pub predicates: Vec<Predicate>,
    /// Column = column across two table references, from ON, USING,
    /// WHERE and correlated subqueries.
    pub joins: Vec<JoinPair>,
    /// ORDER BY of the outermost query, base columns only (an ORDER BY
    /// on an expression or a derived column ends the list there).
    pub order_by: Vec<SortKey>,
    /// GROUP BY base columns of every SELECT in the statement.
    pub group_by: Vec<ColumnRef>,
    /// LIMIT (or FETCH FIRST) of the outermost query when it is a literal.
    pub limit: Option<u64>,
    /// Whether the outermost query has a LIMIT or FETCH FIRST at all
    /// (`LIMIT $1` gives `has_limit` without `limit`).
    pub has_limit: bool,
    /// Base columns the statement reads anywhere (projection, filters,
    /// joins, sorts, groups, functions). Empty when `select_star`.
    pub selected: Vec<ColumnRef>,
    /// The outermost projection has `*` or `t.*`.
    pub select_star: bool,
}

impl QueryFeatures {
    /// Features with nothing in them.
    pub fn empty(kind: StatementKind) -> QueryFeatures {
        QueryFeatures {
            kind,
            tables: Vec::new(),
            predicates: Vec::new(),
            joins: Vec::new(),
            order_by: Vec::new(),
            group_by: Vec::new(),
            limit: None,
            has_limit: false,
            selected: Vec::new(),
            select_star: false,
        }
    }

    /// Predicates on columns of `table`.
    pub fn predicates_on<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a Predicate> {
        self.predicates
            .iter()
            .filter(move |p| p.column.table == table)
    }

    /// Columns of `table` that take part in a join.
    pub fn join_columns_on(&self, table: &str) -> Vec<String> {
        let mut out = Vec::new();
        for j in &self.joins {
            for c in [&j.left, &j.right] {
                if c.table == table && !out.contains(&c.column) {
                    out.push(c.column.clone());
                }
            }
        }
        out
    }

    /// Columns of `table` the statement reads.
    pub fn selected_on<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a str> {
        self.selected
            .iter()
            .filter(move |c| c.table == table)
            .map(|c| c.column.as_str())
    }
}

/// Describes `sql` without a catalog: an unqualified column is assigned to
/// the only table in scope, else skipped. Errors as [`parse_one`].
pub fn features(sql: &str, dialect: Dialect) -> Result<QueryFeatures> {
    let stmt = parse_one(sql, dialect)?;
    Ok(resolve::describe(&stmt, None))
}

/// Describes `sql`, resolving unqualified columns with `catalog` (the table
/// in scope that has the column; outer scopes for correlated subqueries).
pub fn features_with_catalog(
    sql: &str,
    dialect: Dialect,
    catalog: &Catalog,
) -> Result<QueryFeatures> {
    let stmt = parse_one(sql, dialect)?;
    Ok(resolve::describe(&stmt, Some(catalog)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::tpch;

    fn f(sql: &str) -> QueryFeatures {
        features(sql, Dialect::Postgres).unwrap()
    }

    fn fc(sql: &str) -> QueryFeatures {
        features_with_catalog(sql, Dialect::Postgres, &tpch::catalog()).unwrap()
    }

    fn c(t: &str, col: &str) -> ColumnRef {
        ColumnRef::new(t, col)
    }

    fn p(t: &str, col: &str, op: PredicateOp) -> Predicate {
        Predicate {
            column: c(t, col),
            op,
        }
    }

    fn has_join(f: &QueryFeatures, a: ColumnRef, b: ColumnRef) -> bool {
        f.joins
            .iter()
            .any(|j| (j.left == a && j.right == b) || (j.left == b && j.right == a))
    }

    #[test]
    fn simple_filters_and_operators() {
        let q = f(
            "SELECT a, b FROM T WHERE x = 1 AND y > $1 AND z BETWEEN 1 AND 2 \
                   AND w IN (1, 2) AND v LIKE 'ab%' AND u LIKE '%ab' AND n IS NULL AND m <> 3",
        );
        assert_eq!(q.kind, StatementKind::Select);
        assert_eq!(q.tables, vec!["t"]);
        use PredicateOp::*;
        assert_eq!(
            q.predicates,
            vec![
                p("t", "x", Eq),
                p("t", "y", Range),
                p("t", "z", Range),
                p("t", "w", In),
                p("t", "v", LikePrefix),
                p("t", "u", Other),
                p("t", "n", IsNull),
                p("t", "m", Other),
            ]
        );
        assert!(!q.select_star);
        assert!(q.selected.contains(&c("t", "a")));
        assert!(q.selected.contains(&c("t", "m")));
    }

    #[test]
    fn constant_on_the_left_and_parameters() {
        let q = features("SELECT * FROM t WHERE 5 < a AND ? = b", Dialect::MySql).unwrap();
        assert_eq!(
            q.predicates,
            vec![
                p("t", "a", PredicateOp::Range),
                p("t", "b", PredicateOp::Eq)
            ]
        );
        assert!(q.select_star);
        assert!(q.selected.is_empty());
    }

    #[test]
    fn aliases_resolve_to_tables() {
        let q = f(
            "SELECT o.id FROM orders AS o JOIN customers c ON o.customer_id = c.id \
                   WHERE c.country = 'NL' ORDER BY o.created_at DESC LIMIT 20",
        );
        assert_eq!(q.tables, vec!["orders", "customers"]);
        assert!(has_join(
            &q,
            c("orders", "customer_id"),
            c("customers", "id")
        ));
        assert_eq!(
            q.predicates,
            vec![p("customers", "country", PredicateOp::Eq)]
        );
        assert_eq!(
            q.order_by,
            vec![SortKey {
                column: c("orders", "created_at"),
                descending: true
            }]
        );
        assert_eq!(q.limit, Some(20));
        assert!(q.has_limit);
    }

    #[test]
    fn unqualified_columns_with_two_tables_need_a_catalog() {
        let sql = "SELECT l_quantity FROM lineitem, orders WHERE l_orderkey = o_orderkey AND o_orderstatus = 'F'";
        let without = f(sql);
        assert!(without.predicates.is_empty());
        assert!(without.joins.is_empty());
        let with = fc(sql);
        assert_eq!(
            with.predicates,
            vec![p("orders", "o_orderstatus", PredicateOp::Eq)]
        );
        assert!(has_join(
            &with,
            c("lineitem", "l_orderkey"),
            c("orders", "o_orderkey")
        ));
    }

    #[test]
    fn using_joins() {
        let q = f("SELECT * FROM a JOIN b USING (id) WHERE a.x = 1");
        assert!(has_join(&q, c("a", "id"), c("b", "id")));
    }

    #[test]
    fn parameterized_limit_and_fetch() {
        let q = f("SELECT a FROM t ORDER BY a LIMIT $1");
        assert!(q.has_limit);
        assert_eq!(q.limit, None);
        let q = f("SELECT a FROM t ORDER BY a FETCH FIRST 5 ROWS ONLY");
        assert!(q.has_limit);
        assert_eq!(q.limit, Some(5));
        let q = features("SELECT a FROM t ORDER BY a LIMIT 10, 5", Dialect::MySql).unwrap();
        assert_eq!(q.limit, Some(5));
    }

    #[test]
    fn order_by_alias_position_and_expression() {
        let q = f("SELECT a AS x, b FROM t ORDER BY x, 2");
        assert_eq!(q.order_by.len(), 2);
        assert_eq!(q.order_by[0].column, c("t", "a"));
        assert_eq!(q.order_by[1].column, c("t", "b"));
        let q = f("SELECT a, sum(b) AS s FROM t GROUP BY a ORDER BY s DESC, a");
        assert!(q.order_by.is_empty(), "{:?}", q.order_by);
        assert_eq!(q.group_by, vec![c("t", "a")]);
    }

    #[test]
    fn ctes_and_derived_tables_are_not_base_tables() {
        let q = f(
            "WITH recent AS (SELECT id, total FROM orders WHERE created > $1) \
                   SELECT r.id FROM recent r WHERE r.total > 100",
        );
        assert_eq!(q.tables, vec!["orders"]);
        assert_eq!(
            q.predicates,
            vec![p("orders", "created", PredicateOp::Range)]
        );
        let q =
            f("SELECT x.n FROM (SELECT name AS n FROM users WHERE age = 3) AS x WHERE x.n = 'a'");
        assert_eq!(q.tables, vec!["users"]);
        assert_eq!(q.predicates, vec![p("users", "age", PredicateOp::Eq)]);
    }

    #[test]
    fn dml_statements() {
        let q = f("UPDATE accounts SET balance = balance - 1 WHERE id = $1");
        assert_eq!(q.kind, StatementKind::Update);
        assert_eq!(q.predicates, vec![p("accounts", "id", PredicateOp::Eq)]);
        let q = f("DELETE FROM sessions WHERE expires < now()");
        assert_eq!(q.kind, StatementKind::Delete);
        assert_eq!(
            q.predicates,
            vec![p("sessions", "expires", PredicateOp::Range)]
        );
        let q = f("INSERT INTO t (a) SELECT a FROM s WHERE b = 1");
        assert_eq!(q.kind, StatementKind::Insert);
        assert_eq!(q.tables, vec!["t", "s"]);
        let q = f("CREATE TABLE x (a int)");
        assert_eq!(q.kind, StatementKind::Other);
    }

    #[test]
    fn quoted_identifiers_keep_case() {
        let q = f("SELECT \"Name\" FROM \"Users\" WHERE \"Age\" = 1");
        assert_eq!(q.tables, vec!["Users"]);
        assert_eq!(q.predicates, vec![p("Users", "Age", PredicateOp::Eq)]);
    }

    #[test]
    fn tpch_q1_range_group_order() {
        let q = fc(tpch::Q1);
        assert_eq!(
            q.predicates,
            vec![p("lineitem", "l_shipdate", PredicateOp::Range)]
        );
        assert_eq!(
            q.group_by,
            vec![c("lineitem", "l_returnflag"), c("lineitem", "l_linestatus")]
        );
        assert_eq!(q.order_by.len(), 2);
        assert!(q.selected.contains(&c("lineitem", "l_discount")));
        assert!(!q.has_limit);
    }

    #[test]
    fn tpch_q3_joins_in_where() {
        let q = fc(tpch::Q3);
        assert_eq!(q.tables, vec!["customer", "orders", "lineitem"]);
        assert!(has_join(
            &q,
            c("customer", "c_custkey"),
            c("orders", "o_custkey")
        ));
        assert!(has_join(
            &q,
            c("lineitem", "l_orderkey"),
            c("orders", "o_orderkey")
        ));
        assert!(q
            .predicates
            .contains(&p("customer", "c_mktsegment", PredicateOp::Eq)));
        assert!(q
            .predicates
            .contains(&p("orders", "o_orderdate", PredicateOp::Range)));
        assert!(q
            .predicates
            .contains(&p("lineitem", "l_shipdate", PredicateOp::Range)));
        assert!(q.order_by.is_empty(), "revenue is an aggregate");
        assert_eq!(q.limit, Some(10));
    }

    #[test]
    fn tpch_q4_correlated_exists() {
        let q = fc(tpch::Q4);
        assert!(has_join(
            &q,
            c("lineitem", "l_orderkey"),
            c("orders", "o_orderkey")
        ));
        assert_eq!(
            q.predicates,
            vec![p("orders", "o_orderdate", PredicateOp::Range)]
        );
        assert!(q.selected.contains(&c("lineitem", "l_commitdate")));
    }

    #[test]
    fn tpch_q6_ranges() {
        let q = fc(tpch::Q6);
        assert_eq!(
            q.predicates,
            vec![
                p("lineitem", "l_shipdate", PredicateOp::Range),
                p("lineitem", "l_discount", PredicateOp::Range),
                p("lineitem", "l_quantity", PredicateOp::Range),
            ]
        );
    }

    #[test]
    fn tpch_q14_explicit_join_and_like_in_case() {
        let q = fc(tpch::Q14);
        assert!(has_join(
            &q,
            c("lineitem", "l_partkey"),
            c("part", "p_partkey")
        ));
        assert_eq!(
            q.predicates,
            vec![p("lineitem", "l_shipdate", PredicateOp::Range)]
        );
        assert!(q.selected.contains(&c("part", "p_type")));
    }

    #[test]
    fn tpch_q17_correlated_scalar_subquery() {
        let q = fc(tpch::Q17);
        assert!(has_join(
            &q,
            c("lineitem", "l_partkey"),
            c("part", "p_partkey")
        ));
        assert!(q
            .predicates
            .contains(&p("part", "p_brand", PredicateOp::Eq)));
        assert!(q
            .predicates
            .contains(&p("part", "p_container", PredicateOp::Eq)));
        assert!(q
            .predicates
            .contains(&p("lineitem", "l_quantity", PredicateOp::Other)));
        assert_eq!(q.joins.len(), 1, "{:?}", q.joins);
    }

    #[test]
    fn tpch_q18_in_subquery_with_group_by() {
        let q = fc(tpch::Q18);
        assert!(q
            .predicates
            .contains(&p("orders", "o_orderkey", PredicateOp::In)));
        assert!(q.group_by.contains(&c("lineitem", "l_orderkey")));
        assert_eq!(
            q.order_by,
            vec![
                SortKey {
                    column: c("orders", "o_totalprice"),
                    descending: true
                },
                SortKey {
                    column: c("orders", "o_orderdate"),
                    descending: false
                },
            ]
        );
        assert_eq!(q.limit, Some(100));
    }

    #[test]
    fn tpch_q21_self_joins_through_subqueries() {
        let q = fc(tpch::Q21);
        assert!(has_join(
            &q,
            c("lineitem", "l_orderkey"),
            c("lineitem", "l_orderkey")
        ));
        assert!(has_join(
            &q,
            c("supplier", "s_suppkey"),
            c("lineitem", "l_suppkey")
        ));
        assert!(has_join(
            &q,
            c("supplier", "s_nationkey"),
            c("nation", "n_nationkey")
        ));
        assert!(q
            .predicates
            .contains(&p("orders", "o_orderstatus", PredicateOp::Eq)));
        assert!(q
            .predicates
            .contains(&p("nation", "n_name", PredicateOp::Eq)));
        assert_eq!(q.tables, vec!["supplier", "lineitem", "orders", "nation"]);
    }

    #[test]
    fn tpch_q22_derived_table_and_not_exists() {
        let q = fc(tpch::Q22);
        assert_eq!(q.tables, vec!["customer", "orders"]);
        assert!(has_join(
            &q,
            c("orders", "o_custkey"),
            c("customer", "c_custkey")
        ));
        assert!(q
            .predicates
            .contains(&p("customer", "c_acctbal", PredicateOp::Other)));
        assert!(q
            .predicates
            .contains(&p("customer", "c_acctbal", PredicateOp::Range)));
        assert!(q.order_by.is_empty(), "cntrycode is a derived column");
    }

    #[test]
    fn hostile_input_errors_never_panics() {
        for sql in [
            "",
            "SELECT 1 FROM",
            "SELECT 1; SELECT 2",
            "\u{feff}\u{0}",
            "WITH x AS (SELECT",
        ] {
            assert!(features(sql, Dialect::Postgres).is_err(), "{sql:?}");
        }
        let deep = format!(
            "SELECT * FROM t WHERE {}a = 1{}",
            "(".repeat(500),
            ")".repeat(500)
        );
        assert!(features(&deep, Dialect::Postgres).is_err());
        let chain = format!("SELECT * FROM t WHERE a = 1{}", " OR a = 1".repeat(2_400));
        let q = features(&chain, Dialect::Postgres).unwrap();
        assert_eq!(q.predicates.len(), 1);
        let arith = format!("SELECT * FROM t WHERE a = 1{}", " + b".repeat(4_900));
        assert!(features(&arith, Dialect::Postgres).is_ok());
    }
}
