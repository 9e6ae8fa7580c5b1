//! The walk over a statement's syntax tree that fills
//! [`QueryFeatures`]: scopes of table references per SELECT (aliases, CTEs,
//! derived tables), resolution of column names through them (inner to outer,
//! so correlated subqueries see the outer query), and classification of
//! every condition as a filter, a join or neither.

use sqlparser::ast::{
    Expr, FromTable, GroupByExpr, LimitClause, ObjectName, ObjectNamePart, OrderBy, OrderByKind,
    OrderBySort, Query, Select, SelectItem, SetExpr, Statement, TableFactor, TableObject,
    TableWithJoins, UpdateTableFromKind, Value,
};

use super::features::{
    ColumnRef, JoinPair, Predicate, PredicateOp, QueryFeatures, SortKey, StatementKind,
};
use super::normalize_ident;
use crate::catalog::Catalog;

/// Expression nesting beyond which the walk stops descending (the parser
/// limits keep real trees far shallower; this is a second fence).
const MAX_DEPTH: usize = 400;

mod conditions;

pub(super) fn describe(stmt: &Statement, catalog: Option<&Catalog>) -> QueryFeatures {
    let mut w = Walker {
        catalog,
        out: QueryFeatures::empty(StatementKind::Other),
        scopes: Vec::new(),
        ctes: Vec::new(),
        next_id: 0,
        depth: 0,
        alias_ctx: false,
    };
    w.statement(stmt);
    if w.out.select_star {
        w.out.selected.clear();
    }
    w.out
}

enum Source {
    Base(String),
    /// A CTE, derived table or table function: its columns if known.
    Derived(Option<Vec<String>>),
}

struct Entry {
    id: usize,
    name: String,
    source: Source,
}

#[derive(Default)]
struct Scope {
    entries: Vec<Entry>,
    /// Projection aliases, for ORDER BY / GROUP BY / HAVING.
    aliases: Vec<(String, Expr)>,
    projection: Vec<Expr>,
}

#[derive(Debug, PartialEq)]
enum Res {
    Base(ColumnRef, usize),
    NotBase,
}

struct Walker<'a> {
    catalog: Option<&'a Catalog>,
    out: QueryFeatures,
    scopes: Vec<Scope>,
    ctes: Vec<Vec<(String, Option<Vec<String>>)>>,
    next_id: usize,
    depth: usize,
    alias_ctx: bool,
}

fn last_ident(name: &ObjectName) -> Option<String> {
    match name.0.last()? {
        ObjectNamePart::Identifier(id) => Some(normalize_ident(id)),
        _ => None,
    }
}

/// Output column names of a query, `None` if a `*` makes them unknown.
fn output_names(q: &Query) -> Option<Vec<String>> {
    let mut body = q.body.as_ref();
    loop {
        match body {
            SetExpr::Select(s) => {
                let mut out = Vec::new();
                for item in &s.projection {
                    match item {
                        SelectItem::ExprWithAlias { alias, .. } => out.push(normalize_ident(alias)),
                        SelectItem::UnnamedExpr(Expr::Identifier(id)) => {
                            out.push(normalize_ident(id))
                        }
                        SelectItem::UnnamedExpr(Expr::CompoundIdentifier(ids)) => {
                            out.push(ids.last().map(normalize_ident).unwrap_or_default())
                        }
                        SelectItem::UnnamedExpr(_) => out.push(String::new()),
                        _ => return None,
                    }
                }
                return Some(out);
            }
            SetExpr::SetOperation { left, .. } => body = left,
            SetExpr::Query(q) => body = q.body.as_ref(),
            _ => return None,
        }
    }
}

impl Walker<'_> {
    fn statement(&mut self, stmt: &Statement) {
        match stmt {
            Statement::Query(q) => {
                self.out.kind = StatementKind::Select;
                self.query(q, true);
            }
            Statement::Insert(ins) => {
                self.out.kind = StatementKind::Insert;
                if let TableObject::TableName(name) = &ins.table {
                    if let Some(t) = last_ident(name) {
                        self.add_table(&t);
                    }
                }
                if let Some(src) = &ins.source {
                    self.query(src, false);
                }
            }
            Statement::Update(u) => {
                self.out.kind = StatementKind::Update;
                let mut from = vec![&u.table];
                if let Some(UpdateTableFromKind::BeforeSet(f) | UpdateTableFromKind::AfterSet(f)) =
                    &u.from
                {
                    from.extend(f.iter());
                }
                let derived = self.push_scope(&from);
                self.finish_from(&from, derived);
                for a in &u.assignments {
                    self.expr(&a.value);
                }
                if let Some(w) = &u.selection {
                    self.cond(w);
                }
                self.scopes.pop();
            }
            Statement::Delete(d) => {
                self.out.kind = StatementKind::Delete;
                let mut from: Vec<&TableWithJoins> = match &d.from {
                    FromTable::WithFromKeyword(f) | FromTable::WithoutKeyword(f) => {
                        f.iter().collect()
                    }
                };
                if let Some(using) = &d.using {
                    from.extend(using.iter());
                }
                let derived = self.push_scope(&from);
                self.finish_from(&from, derived);
                if let Some(w) = &d.selection {
                    self.cond(w);
                }
                self.scopes.pop();
            }
            Statement::Explain { statement, .. } => self.statement(statement),
            _ => self.out.kind = StatementKind::Other,
        }
    }

    fn add_table(&mut self, t: &str) {
        if !self.out.tables.iter().any(|x| x == t) {
            self.out.tables.push(t.to_owned());
        }
    }

    fn cte_columns(&self, name: &str) -> Option<Option<Vec<String>>> {
        self.ctes
            .iter()
            .rev()
            .flat_map(|f| f.iter())
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.clone())
    }

    fn query(&mut self, q: &Query, top: bool) {
        let mut frame = Vec::new();
        if let Some(with) = &q.with {
            for cte in &with.cte_tables {
                let cols = if cte.alias.columns.is_empty() {
                    output_names(&cte.query)
                } else {
                    Some(
                        cte.alias
                            .columns
                            .iter()
                            .map(|c| normalize_ident(&c.name))
                            .collect(),
                    )
                };
                frame.push((normalize_ident(&cte.alias.name), cols));
            }
        }
        let has_with = !frame.is_empty();
        if has_with {
            self.ctes.push(frame);
            if let Some(with) = &q.with {
                for cte in &with.cte_tables {
                    self.query(&cte.query, false);
                }
            }
        }
        match q.body.as_ref() {
            SetExpr::Select(s) => self.select(s, q.order_by.as_ref(), top),
            other => self.set_expr(other, top),
        }
        if top {
            self.limit(q);
        }
        if has_with {
            self.ctes.pop();
        }
    }

    fn limit(&mut self, q: &Query) {
        let e = match &q.limit_clause {
            Some(LimitClause::LimitOffset { limit: Some(e), .. }) => Some(e),
            Some(LimitClause::OffsetCommaLimit { limit, .. }) => Some(limit),
            _ => q.fetch.as_ref().and_then(|f| f.quantity.as_ref()),
        };
        if e.is_some() || q.fetch.is_some() {
            self.out.has_limit = true;
        }
        if let Some(Expr::Value(v)) = e {
            if let Value::Number(n, _) = &v.value {
                self.out.limit = n.parse().ok();
            }
        }
    }

    fn set_expr(&mut self, body: &SetExpr, top: bool) {
        match body {
            SetExpr::Select(s) => self.select(s, None, top),
            SetExpr::Query(q) => self.query(q, false),
            SetExpr::SetOperation { left, right, .. } => {
                self.set_expr(left, top);
                self.set_expr(right, top);
            }
            SetExpr::Values(v) => {
                for row in &v.rows {
                    for e in &row.content {
                        self.expr(e);
                    }
                }
            }
            _ => {}
        }
    }

    /// Adds one FROM item's table references to `entries`; returns the
    /// subqueries (derived tables) to walk once the scope is in place.
    fn factor<'q>(
        &mut self,
        f: &'q TableFactor,
        entries: &mut Vec<Entry>,
        sub: &mut Vec<&'q Query>,
    ) {
        let id = self.next_id;
        self.next_id += 1;
        match f {
            TableFactor::Table { name, alias, .. } => {
                let Some(t) = last_ident(name) else { return };
                let alias = alias.as_ref().map(|a| normalize_ident(&a.name));
                let cte = if name.0.len() == 1 {
                    self.cte_columns(&t)
                } else {
                    None
                };
                let source = match cte {
                    Some(cols) => Source::Derived(cols),
                    None => {
                        self.add_table(&t);
                        Source::Base(t.clone())
                    }
                };
                entries.push(Entry {
                    id,
                    name: alias.unwrap_or(t),
                    source,
                });
            }
            TableFactor::Derived {
                subquery, alias, ..
            } => {
                let cols = match alias {
                    Some(a) if !a.columns.is_empty() => {
                        Some(a.columns.iter().map(|c| normalize_ident(&c.name)).collect())
                    }
                    _ => output_names(subquery),
                };
                entries.push(Entry {
                    id,
                    name: alias
                        .as_ref()
                        .map(|a| normalize_ident(&a.name))
                        .unwrap_or_default(),
                    source: Source::Derived(cols),
                });
                sub.push(subquery);
            }
            TableFactor::NestedJoin {
                table_with_joins, ..
            } => {
                self.factor(&table_with_joins.relation, entries, sub);
                for j in &table_with_joins.joins {
                    self.factor(&j.relation, entries, sub);
                }
            }
            other => {
                let alias = match other {
                    TableFactor::Function { alias, .. }
                    | TableFactor::TableFunction { alias, .. }
                    | TableFactor::UNNEST { alias, .. } => alias.as_ref(),
                    _ => None,
                };
                entries.push(Entry {
                    id,
                    name: alias.map(|a| normalize_ident(&a.name)).unwrap_or_default(),
                    source: Source::Derived(None),
                });
            }
        }
    }

    /// Pushes the scope of a FROM list; returns its derived subqueries.
    fn push_scope<'q>(&mut self, from: &[&'q TableWithJoins]) -> Vec<&'q Query> {
        let mut entries = Vec::new();
        let mut sub = Vec::new();
        for twj in from {
            self.factor(&twj.relation, &mut entries, &mut sub);
            for j in &twj.joins {
                self.factor(&j.relation, &mut entries, &mut sub);
            }
        }
        self.scopes.push(Scope {
            entries,
            ..Scope::default()
        });
        sub
    }

    /// Walks derived tables and join conditions of a pushed FROM scope.
    fn finish_from(&mut self, from: &[&TableWithJoins], derived: Vec<&Query>) {
        for q in derived {
            self.query(q, false);
        }
        for twj in from {
            self.joins(twj);
        }
    }

    fn joins(&mut self, twj: &TableWithJoins) {
        use sqlparser::ast::JoinConstraint as C;
        if let TableFactor::NestedJoin {
            table_with_joins, ..
        } = &twj.relation
        {
            self.joins(table_with_joins);
        }
        for j in &twj.joins {
            if let TableFactor::NestedJoin {
                table_with_joins, ..
            } = &j.relation
            {
                self.joins(table_with_joins);
            }
            match super::join_constraint(&j.join_operator) {
                Some(C::On(e)) => self.cond(e),
                Some(C::Using(cols)) => {
                    for c in cols.iter().filter_map(last_ident) {
                        self.using_column(&j.relation, &c);
                    }
                }
                _ => {}
            }
        }
    }

    /// `JOIN right USING (c)`: pairs right's `c` with the one earlier
    /// reference that has it.
    fn using_column(&mut self, right: &TableFactor, c: &str) {
        let Some(scope) = self.scopes.last() else {
            return;
        };
        let right_name = match right {
            TableFactor::Table { name, alias, .. } => alias
                .as_ref()
                .map(|a| normalize_ident(&a.name))
                .or_else(|| last_ident(name)),
            _ => None,
        };
        let Some(pos) = scope
            .entries
            .iter()
            .position(|e| Some(&e.name) == right_name.as_ref())
        else {
            return;
        };
        let base = |e: &Entry| match &e.source {
            Source::Base(t) => Some(t.clone()),
            Source::Derived(_) => None,
        };
        let Some(rt) = base(&scope.entries[pos]) else {
            return;
        };
        let left: Vec<String> = scope.entries[..pos]
            .iter()
            .filter_map(base)
            .filter(|t| {
                self.catalog
                    .and_then(|cat| cat.has_column(t, c))
                    .unwrap_or(true)
            })
            .collect();
        if let [lt] = left.as_slice() {
            let (l, r) = (ColumnRef::new(lt.clone(), c), ColumnRef::new(rt, c));
            self.select_col(&l);
            self.select_col(&r);
            self.join(l, r);
        }
    }

    fn select(&mut self, s: &Select, order_by: Option<&OrderBy>, top: bool) {
        let from: Vec<&TableWithJoins> = s.from.iter().collect();
        let derived = self.push_scope(&from);
        if let Some(scope) = self.scopes.last_mut() {
            for item in &s.projection {
                match item {
                    SelectItem::ExprWithAlias { expr, alias } => {
                        scope.aliases.push((normalize_ident(alias), expr.clone()));
                        scope.projection.push(expr.clone());
                    }
                    SelectItem::UnnamedExpr(e) => scope.projection.push(e.clone()),
                    _ => scope.projection.push(Expr::value(Value::Null)),
                }
            }
        }
        self.finish_from(&from, derived);
        for item in &s.projection {
            match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    self.expr(e)
                }
                SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..) if top => {
                    self.out.select_star = true;
                }
                _ => {}
            }
        }
        if let Some(w) = &s.selection {
            self.cond(w);
        }
        self.alias_ctx = true;
        if let GroupByExpr::Expressions(exprs, _) = &s.group_by {
            for e in exprs {
                if let Some(Res::Base(c, _)) = self.key(e) {
                    if !self.out.group_by.contains(&c) {
                        self.out.group_by.push(c);
                    }
                }
                self.expr(e);
            }
        }
        if let Some(h) = &s.having {
            self.cond(h);
        }
        if let Some(OrderBy {
            kind: OrderByKind::Expressions(keys),
            ..
        }) = order_by
        {
            let mut usable = top;
            for k in keys {
                match self.key(&k.expr) {
                    Some(Res::Base(c, _)) if usable => self.out.order_by.push(SortKey {
                        column: c,
                        descending: matches!(k.options.sort, Some(OrderBySort::Desc)),
                    }),
                    _ => usable = false,
                }
                self.expr(&k.expr);
            }
        }
        self.alias_ctx = false;
        self.scopes.pop();
    }

    /// A GROUP BY / ORDER BY key: a column, a projection alias or a
    /// projection position.
    fn key(&self, e: &Expr) -> Option<Res> {
        if let Expr::Value(v) = e {
            if let Value::Number(n, _) = &v.value {
                let i: usize = n.parse().ok()?;
                let p = self.scopes.last()?.projection.get(i.checked_sub(1)?)?;
                return self.column(p);
            }
        }
        self.column(e)
    }

    fn join(&mut self, left: ColumnRef, right: ColumnRef) {
        let dup =
            self.out.joins.iter().any(|j| {
                (j.left == left && j.right == right) || (j.left == right && j.right == left)
            });
        if !dup {
            self.out.joins.push(JoinPair { left, right });
        }
    }

    fn predicate(&mut self, column: ColumnRef, op: PredicateOp) {
        let p = Predicate { column, op };
        if !self.out.predicates.contains(&p) {
            self.out.predicates.push(p);
        }
    }

    fn select_col(&mut self, c: &ColumnRef) {
        if !self.out.selected.contains(c) {
            self.out.selected.push(c.clone());
        }
    }

    /// Resolves a plain column expression; `None` if `e` is not a column.
    fn column(&self, e: &Expr) -> Option<Res> {
        match e {
            Expr::Identifier(id) => Some(self.unqualified(&normalize_ident(id))),
            Expr::CompoundIdentifier(ids) if ids.len() >= 2 => {
                let q = normalize_ident(&ids[ids.len() - 2]);
                let c = normalize_ident(&ids[ids.len() - 1]);
                for scope in self.scopes.iter().rev() {
                    if let Some(e) = scope.entries.iter().find(|e| e.name == q) {
                        return Some(match &e.source {
                            Source::Base(t) => Res::Base(ColumnRef::new(t.clone(), c), e.id),
                            Source::Derived(_) => Res::NotBase,
                        });
                    }
                }
                Some(Res::NotBase)
            }
            Expr::Nested(inner) => self.column(inner),
            _ => None,
        }
    }

    fn unqualified(&self, c: &str) -> Res {
        for (depth, scope) in self.scopes.iter().rev().enumerate() {
            if depth == 0 && self.alias_ctx {
                if let Some((_, e)) = scope.aliases.iter().find(|(a, _)| a == c) {
                    return match self.column(e) {
                        Some(r) if !matches!(e, Expr::Identifier(i) if normalize_ident(i) == c) => {
                            r
                        }
                        _ => Res::NotBase,
                    };
                }
            }
            let mut definite = Vec::new();
            let mut maybe = Vec::new();
            for e in &scope.entries {
                let has = match &e.source {
                    Source::Base(t) => self.catalog.and_then(|cat| cat.has_column(t, c)),
                    Source::Derived(Some(cols)) => Some(cols.iter().any(|x| x == c)),
                    Source::Derived(None) => None,
                };
                match has {
                    Some(true) => definite.push(e),
                    None => maybe.push(e),
                    Some(false) => {}
                }
            }
            let pick = match (definite.as_slice(), maybe.as_slice()) {
                ([one], _) => *one,
                ([], [one]) => *one,
                ([], []) => continue,
                _ => return Res::NotBase,
            };
            return match &pick.source {
                Source::Base(t) => Res::Base(ColumnRef::new(t.clone(), c), pick.id),
                Source::Derived(_) => Res::NotBase,
            };
        }
        Res::NotBase
    }
}
