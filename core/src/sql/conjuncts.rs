//! Single-table filters of a statement, as text an engine can evaluate on
//! a sample of the table to measure their selectivity.
//!
//! For every SELECT (outermost, subqueries, CTEs, derived tables, and the
//! WHERE of UPDATE and DELETE) the WHERE and JOIN ... ON conditions are
//! split at top-level `AND`s; each conjunct whose columns all belong to one
//! table reference of that SELECT is kept, with the name the reference goes
//! by there (its alias, else the table name: what SQLite's
//! `EXPLAIN QUERY PLAN` prints). A conjunct is *evaluable* when it holds no
//! parameters, no subqueries, no column of another reference and calls only
//! pure built-in functions, so running it against sample rows reads nothing
//! else and changes nothing.

use std::ops::ControlFlow;

use sqlparser::ast::{
    BinaryOperator, Expr, FromTable, ObjectName, ObjectNamePart, Query, Select, SetExpr, Statement,
    TableFactor, TableWithJoins, Value, Visit, Visitor,
};

use super::{normalize_ident, parse_one, Dialect};
use crate::catalog::Catalog;
use crate::Result;

/// Functions a conjunct may call and still be evaluated on sample rows:
/// deterministic or time-only built-ins without side effects.
const PURE_FUNCTIONS: &[&str] = &[
    "abs",
    "coalesce",
    "date",
    "datetime",
    "glob",
    "hex",
    "ifnull",
    "iif",
    "instr",
    "julianday",
    "length",
    "like",
    "lower",
    "ltrim",
    "nullif",
    "replace",
    "round",
    "rtrim",
    "strftime",
    "substr",
    "substring",
    "time",
    "trim",
    "typeof",
    "unixepoch",
    "upper",
];

/// A table reference of one SELECT with the conditions on it alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableFilter {
    /// The name the reference goes by in its SELECT: alias, else table.
    pub binding: String,
    /// The base table (schema dropped), normalized.
    pub table: String,
    pub conjuncts: Vec<Conjunct>,
}

/// One condition on one table reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conjunct {
    /// The one column it reads, if it reads exactly one.
    pub column: Option<String>,
    /// The condition as SQL, columns qualified as in the statement.
    pub text: String,
    /// Safe and meaningful to evaluate on sample rows (see the module doc).
    pub evaluable: bool,
}

/// Table references and their single-table conditions, in the order the
/// statement names them. A reference without conditions is listed too (so
/// an engine can map its plan's names back to tables). Unqualified columns
/// with several references in scope are resolved with `catalog` when the
/// column belongs to exactly one of them, else the conjunct is skipped.
/// Errors as [`parse_one`].
pub fn table_filters(
    sql: &str,
    dialect: Dialect,
    catalog: Option<&Catalog>,
) -> Result<Vec<TableFilter>> {
    let stmt = parse_one(sql, dialect)?;
    let mut c = Collector {
        catalog,
        out: Vec::new(),
    };
    match &stmt {
        Statement::Update(u) => {
            let mut from = vec![&u.table];
            if let Some(
                sqlparser::ast::UpdateTableFromKind::BeforeSet(f)
                | sqlparser::ast::UpdateTableFromKind::AfterSet(f),
            ) = &u.from
            {
                from.extend(f.iter());
            }
            c.scope(&from, u.selection.as_ref());
        }
        Statement::Delete(d) => {
            let from: Vec<&TableWithJoins> = match &d.from {
                FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => f.iter().collect(),
            };
            c.scope(&from, d.selection.as_ref());
        }
        _ => {}
    }
    let _ = stmt.visit(&mut c);
    Ok(c.out)
}

struct Collector<'a> {
    catalog: Option<&'a Catalog>,
    out: Vec<TableFilter>,
}

fn last_ident(name: &ObjectName) -> Option<String> {
    match name.0.last()? {
        ObjectNamePart::Identifier(id) => Some(normalize_ident(id)),
        _ => None,
    }
}

fn bindings(f: &TableFactor, out: &mut Vec<(String, String)>) {
    match f {
        TableFactor::Table { name, alias, .. } => {
            if let Some(t) = last_ident(name) {
                let b = alias
                    .as_ref()
                    .map(|a| normalize_ident(&a.name))
                    .unwrap_or_else(|| t.clone());
                out.push((b, t));
            }
        }
        TableFactor::NestedJoin {
            table_with_joins, ..
        } => {
            bindings(&table_with_joins.relation, out);
            for j in &table_with_joins.joins {
                bindings(&j.relation, out);
            }
        }
        _ => {}
    }
}

fn on_conditions<'q>(twj: &'q TableWithJoins, out: &mut Vec<&'q Expr>) {
    if let TableFactor::NestedJoin {
        table_with_joins, ..
    } = &twj.relation
    {
        on_conditions(table_with_joins, out);
    }
    for j in &twj.joins {
        if let TableFactor::NestedJoin {
            table_with_joins, ..
        } = &j.relation
        {
            on_conditions(table_with_joins, out);
        }
        if let Some(sqlparser::ast::JoinConstraint::On(e)) =
            super::join_constraint(&j.join_operator)
        {
            out.push(e);
        }
    }
}

fn split_and<'q>(e: &'q Expr, out: &mut Vec<&'q Expr>) {
    match e {
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            split_and(left, out);
            split_and(right, out);
        }
        Expr::Nested(inner)
            if matches!(
                **inner,
                Expr::BinaryOp {
                    op: BinaryOperator::And,
                    ..
                }
            ) =>
        {
            split_and(inner, out)
        }
        e => out.push(e),
    }
}

/// What a conjunct reads.
#[derive(Default)]
struct Reads {
    /// (qualifier, column) of every column reference.
    columns: Vec<(Option<String>, String)>,
    subquery: bool,
    parameter: bool,
    impure: bool,
}

impl Visitor for Reads {
    type Break = ();

    fn pre_visit_query(&mut self, _: &Query) -> ControlFlow<()> {
        self.subquery = true;
        ControlFlow::Break(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        match e {
            Expr::Identifier(id) => self.columns.push((None, normalize_ident(id))),
            Expr::CompoundIdentifier(ids) if ids.len() >= 2 => {
                let q = normalize_ident(&ids[ids.len() - 2]);
                self.columns
                    .push((Some(q), normalize_ident(&ids[ids.len() - 1])));
            }
            Expr::CompoundIdentifier(_) => self.impure = true,
            Expr::Value(v) if matches!(v.value, Value::Placeholder(_)) => self.parameter = true,
            Expr::Function(f) => {
                let pure = f.name.0.len() == 1
                    && last_ident(&f.name)
                        .is_some_and(|n| PURE_FUNCTIONS.contains(&n.to_lowercase().as_str()));
                if !pure {
                    self.impure = true;
                }
            }
            _ => {}
        }
        ControlFlow::Continue(())
    }
}

impl Collector<'_> {
    fn scope(&mut self, from: &[&TableWithJoins], selection: Option<&Expr>) {
        let mut refs = Vec::new();
        let mut conds = Vec::new();
        for twj in from {
            bindings(&twj.relation, &mut refs);
            for j in &twj.joins {
                bindings(&j.relation, &mut refs);
            }
            on_conditions(twj, &mut conds);
        }
        if let Some(w) = selection {
            conds.push(w);
        }
        let mut parts = Vec::new();
        for c in conds {
            split_and(c, &mut parts);
        }
        let start = self.out.len();
        for (b, t) in &refs {
            self.out.push(TableFilter {
                binding: b.clone(),
                table: t.clone(),
                conjuncts: Vec::new(),
            });
        }
        for e in parts {
            let mut r = Reads::default();
            let _ = e.visit(&mut r);
            if r.subquery || r.columns.is_empty() {
                continue;
            }
            let mut owner: Option<usize> = None;
            let mut single = true;
            for (q, col) in &r.columns {
                let found = match q {
                    Some(q) => refs.iter().position(|(b, _)| b == q),
                    None if refs.len() == 1 => Some(0),
                    None => {
                        let has: Vec<usize> = refs
                            .iter()
                            .enumerate()
                            .filter(|(_, (_, t))| {
                                self.catalog
                                    .and_then(|c| c.has_column(t, col))
                                    .unwrap_or(false)
                            })
                            .map(|(i, _)| i)
                            .collect();
                        (has.len() == 1).then(|| has[0])
                    }
                };
                match (found, owner) {
                    (None, _) => single = false,
                    (Some(f), None) => owner = Some(f),
                    (Some(f), Some(o)) if f != o => single = false,
                    _ => {}
                }
            }
            let Some(o) = owner.filter(|_| single) else {
                continue;
            };
            let mut cols: Vec<&String> = r.columns.iter().map(|(_, c)| c).collect();
            cols.sort();
            cols.dedup();
            self.out[start + o].conjuncts.push(Conjunct {
                column: (cols.len() == 1).then(|| cols[0].clone()),
                text: e.to_string(),
                evaluable: !r.parameter && !r.impure,
            });
        }
    }

    fn select(&mut self, s: &Select) {
        let from: Vec<&TableWithJoins> = s.from.iter().collect();
        self.scope(&from, s.selection.as_ref());
    }

    fn set_expr(&mut self, body: &SetExpr) {
        match body {
            SetExpr::Select(s) => self.select(s),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left);
                self.set_expr(right);
            }
            // Nested queries are visited on their own.
            _ => {}
        }
    }
}

impl Visitor for Collector<'_> {
    type Break = ();

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        self.set_expr(&q.body);
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::tpch;

    fn tf(sql: &str) -> Vec<TableFilter> {
        table_filters(sql, Dialect::Sqlite, Some(&tpch::catalog())).unwrap()
    }

    #[test]
    fn splits_and_keeps_single_table_conditions() {
        let f = tf("SELECT * FROM orders o JOIN customer c ON o.o_custkey = c.c_custkey AND c.c_mktsegment = 'X' \
                    WHERE o.o_orderdate >= '1995-01-01' AND (o_totalprice > 5 AND o_orderstatus = ?) AND o.o_orderkey + c.c_custkey > 3");
        assert_eq!(f.len(), 2);
        assert_eq!(
            (f[0].binding.as_str(), f[0].table.as_str()),
            ("o", "orders")
        );
        assert_eq!(
            (f[1].binding.as_str(), f[1].table.as_str()),
            ("c", "customer")
        );
        let texts: Vec<(&str, bool)> = f[0]
            .conjuncts
            .iter()
            .map(|c| (c.text.as_str(), c.evaluable))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("o.o_orderdate >= '1995-01-01'", true),
                ("o_totalprice > 5", true),
                ("o_orderstatus = ?", false)
            ]
        );
        assert_eq!(f[0].conjuncts[0].column.as_deref(), Some("o_orderdate"));
        assert_eq!(f[1].conjuncts.len(), 1);
        assert_eq!(f[1].conjuncts[0].text, "c.c_mktsegment = 'X'");
    }

    #[test]
    fn subqueries_and_impure_functions() {
        let f = tf("SELECT * FROM part WHERE p_size IN (SELECT 1) AND random() > p_size AND lower(p_type) LIKE 'a%' \
                    AND p_partkey = (SELECT max(l_partkey) FROM lineitem WHERE l_quantity < 3)");
        let part = &f[0];
        assert_eq!(part.table, "part");
        let texts: Vec<(&str, bool)> = part
            .conjuncts
            .iter()
            .map(|c| (c.text.as_str(), c.evaluable))
            .collect();
        assert_eq!(
            texts,
            vec![
                ("random() > p_size", false),
                ("lower(p_type) LIKE 'a%'", true)
            ]
        );
        let li = f.iter().find(|t| t.table == "lineitem").unwrap();
        assert_eq!(li.conjuncts[0].text, "l_quantity < 3");
    }

    #[test]
    fn update_delete_and_unresolvable() {
        let f = tf("DELETE FROM orders WHERE o_orderdate < '1990-01-01'");
        assert_eq!(f[0].conjuncts.len(), 1);
        let f =
            tf("UPDATE lineitem SET l_tax = 0 WHERE l_shipdate > '1998-01-01' AND l_tax > 0.05");
        assert_eq!(f[0].conjuncts.len(), 2);
        let f = table_filters("SELECT * FROM a, b WHERE x = 1", Dialect::Sqlite, None).unwrap();
        assert!(f.iter().all(|t| t.conjuncts.is_empty()));
        assert!(table_filters("", Dialect::Sqlite, None).is_err());
    }
}
