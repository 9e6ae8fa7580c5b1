//! Conditions and expressions: each WHERE/ON/HAVING atom classified as a
//! filter (column vs constant), a join (column = column of two table
//! references) or neither; every column read and every subquery walked.

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, InTarget,
};

use super::{Res, Walker, MAX_DEPTH};
use crate::sql::features::PredicateOp;

fn is_const(e: &Expr) -> bool {
    match e {
        Expr::Value(_) | Expr::TypedString(_) => true,
        Expr::Interval(i) => is_const(&i.value),
        Expr::UnaryOp { expr, .. } | Expr::Nested(expr) | Expr::Cast { expr, .. } => is_const(expr),
        Expr::BinaryOp { left, right, .. } => is_const(left) && is_const(right),
        Expr::Tuple(items) => items.iter().all(is_const),
        Expr::Function(f) => match &f.args {
            FunctionArguments::None => true,
            FunctionArguments::Subquery(_) => false,
            FunctionArguments::List(l) => l.args.iter().all(|a| match a {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => is_const(e),
                FunctionArg::Named {
                    arg: FunctionArgExpr::Expr(e),
                    ..
                } => is_const(e),
                _ => false,
            }),
        },
        _ => false,
    }
}

fn comparison(op: &BinaryOperator) -> Option<PredicateOp> {
    match op {
        BinaryOperator::Eq => Some(PredicateOp::Eq),
        BinaryOperator::Lt | BinaryOperator::LtEq | BinaryOperator::Gt | BinaryOperator::GtEq => {
            Some(PredicateOp::Range)
        }
        BinaryOperator::NotEq | BinaryOperator::Spaceship => Some(PredicateOp::Other),
        _ => None,
    }
}

fn like_op(pattern: &Expr) -> PredicateOp {
    if let Expr::Value(v) = pattern {
        if let Some(s) = v.value.clone().into_string() {
            return match s.chars().next() {
                Some('%' | '_') | None => PredicateOp::Other,
                Some(_) => PredicateOp::LikePrefix,
            };
        }
    }
    PredicateOp::Other
}

impl Walker<'_> {
    /// A condition: conjunctions and disjunctions flattened without
    /// recursion, each atom classified.
    pub(super) fn cond(&mut self, e: &Expr) {
        let mut stack = vec![e];
        while let Some(e) = stack.pop() {
            match e {
                Expr::BinaryOp {
                    left,
                    op: BinaryOperator::And | BinaryOperator::Or,
                    right,
                } => {
                    stack.push(right);
                    stack.push(left);
                }
                Expr::Nested(inner) => stack.push(inner),
                atom => self.atom(atom),
            }
        }
    }

    /// Records `e` as a filter of `op` if it is a base column; true if it was
    /// a column at all (then it needs no further walk).
    fn filter_on(&mut self, e: &Expr, op: PredicateOp) -> bool {
        match self.column(e) {
            Some(Res::Base(c, _)) => {
                self.select_col(&c);
                self.predicate(c, op);
                true
            }
            Some(Res::NotBase) => true,
            None => false,
        }
    }

    fn atom(&mut self, e: &Expr) {
        match e {
            Expr::BinaryOp { left, op, right } if comparison(op).is_some() => {
                let op = comparison(op).unwrap_or(PredicateOp::Other);
                let (l, r) = (self.column(left), self.column(right));
                if let (Some(Res::Base(a, ea)), Some(Res::Base(b, eb))) = (&l, &r) {
                    self.select_col(a);
                    self.select_col(b);
                    if op == PredicateOp::Eq && ea != eb {
                        self.join(a.clone(), b.clone());
                    }
                    return;
                }
                for (col, other) in [(left, right), (right, left)] {
                    if is_const(other) && self.filter_on(col, op) {
                        self.expr(other);
                        return;
                    }
                    if matches!(other.as_ref(), Expr::Subquery(_))
                        && self.filter_on(col, PredicateOp::Other)
                    {
                        self.expr(other);
                        return;
                    }
                }
                self.expr(left);
                self.expr(right);
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let op = if *negated {
                    PredicateOp::Other
                } else {
                    PredicateOp::Range
                };
                if !(is_const(low) && is_const(high) && self.filter_on(expr, op)) {
                    self.expr(expr);
                }
                self.expr(low);
                self.expr(high);
            }
            Expr::In {
                expr,
                target,
                negated,
                ..
            } => {
                let op = if *negated {
                    PredicateOp::Other
                } else {
                    PredicateOp::In
                };
                let sargable = match target {
                    InTarget::List(list) => list.iter().all(is_const),
                    InTarget::Subquery(_) => true,
                    _ => false,
                };
                if !(sargable && self.filter_on(expr, op)) {
                    self.expr(expr);
                }
                match target {
                    InTarget::List(list) => list.iter().for_each(|e| self.expr(e)),
                    InTarget::Subquery(q) => self.query(q, false),
                    _ => {}
                }
            }
            Expr::Like {
                expr,
                pattern,
                negated,
                any,
                ..
            } => {
                let op = if *negated || *any {
                    PredicateOp::Other
                } else {
                    like_op(pattern)
                };
                if !(is_const(pattern) && self.filter_on(expr, op)) {
                    self.expr(expr);
                }
                self.expr(pattern);
            }
            Expr::IsNull(inner) => {
                if !self.filter_on(inner, PredicateOp::IsNull) {
                    self.expr(inner);
                }
            }
            Expr::IsNotNull(inner) => {
                if !self.filter_on(inner, PredicateOp::Other) {
                    self.expr(inner);
                }
            }
            other => self.expr(other),
        }
    }

    /// An expression in value position: columns it reads, subqueries in it.
    pub(super) fn expr(&mut self, e: &Expr) {
        if self.depth >= MAX_DEPTH {
            return;
        }
        self.depth += 1;
        self.expr_inner(e);
        self.depth -= 1;
    }

    fn expr_inner(&mut self, e: &Expr) {
        match e {
            Expr::Identifier(_) | Expr::CompoundIdentifier(_) => {
                if let Some(Res::Base(c, _)) = self.column(e) {
                    self.select_col(&c);
                }
            }
            Expr::Subquery(q) => self.query(q, false),
            Expr::Exists { subquery, .. } => self.query(subquery, false),
            Expr::BinaryOp { left, right, .. }
            | Expr::IsDistinctFrom(left, right)
            | Expr::IsNotDistinctFrom(left, right) => {
                self.expr(left);
                self.expr(right);
            }
            Expr::AnyOp { left, right, .. } | Expr::AllOp { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            Expr::In { expr, target, .. } => {
                self.expr(expr);
                match target {
                    InTarget::List(l) => l.iter().for_each(|e| self.expr(e)),
                    InTarget::Subquery(q) => self.query(q, false),
                    InTarget::Unnest(e) => self.expr(e),
                    _ => {}
                }
            }
            Expr::Between {
                expr, low, high, ..
            } => {
                self.expr(expr);
                self.expr(low);
                self.expr(high);
            }
            Expr::Like { expr, pattern, .. }
            | Expr::ILike { expr, pattern, .. }
            | Expr::SimilarTo { expr, pattern, .. }
            | Expr::RLike { expr, pattern, .. } => {
                self.expr(expr);
                self.expr(pattern);
            }
            Expr::IsNull(x)
            | Expr::IsNotNull(x)
            | Expr::IsTrue(x)
            | Expr::IsFalse(x)
            | Expr::IsNotTrue(x)
            | Expr::IsNotFalse(x)
            | Expr::IsUnknown(x)
            | Expr::IsNotUnknown(x)
            | Expr::Nested(x)
            | Expr::UnaryOp { expr: x, .. }
            | Expr::Cast { expr: x, .. }
            | Expr::Extract { expr: x, .. }
            | Expr::Ceil { expr: x, .. }
            | Expr::Floor { expr: x, .. }
            | Expr::Collate { expr: x, .. }
            | Expr::Named { expr: x, .. }
            | Expr::OuterJoin(x)
            | Expr::Prior(x) => self.expr(x),
            Expr::AtTimeZone {
                timestamp,
                time_zone,
            } => {
                self.expr(timestamp);
                self.expr(time_zone);
            }
            Expr::Position { expr, r#in } => {
                self.expr(expr);
                self.expr(r#in);
            }
            Expr::Substring {
                expr,
                substring_from,
                substring_for,
                ..
            } => {
                self.expr(expr);
                for x in [substring_from, substring_for].into_iter().flatten() {
                    self.expr(x);
                }
            }
            Expr::Trim {
                expr,
                trim_what,
                trim_characters,
                ..
            } => {
                self.expr(expr);
                if let Some(w) = trim_what {
                    self.expr(w);
                }
                for c in trim_characters.iter().flatten() {
                    self.expr(c);
                }
            }
            Expr::Interval(i) => self.expr(&i.value),
            Expr::Tuple(items) => items.iter().for_each(|e| self.expr(e)),
            Expr::Case {
                operand,
                conditions,
                else_result,
                ..
            } => {
                if let Some(o) = operand {
                    self.expr(o);
                }
                for c in conditions {
                    self.expr(&c.condition);
                    self.expr(&c.result);
                }
                if let Some(x) = else_result {
                    self.expr(x);
                }
            }
            Expr::Function(f) => {
                match &f.args {
                    FunctionArguments::Subquery(q) => self.query(q, false),
                    FunctionArguments::List(l) => {
                        for a in &l.args {
                            let arg = match a {
                                FunctionArg::Unnamed(a)
                                | FunctionArg::Named { arg: a, .. }
                                | FunctionArg::ExprNamed { arg: a, .. } => a,
                            };
                            if let FunctionArgExpr::Expr(x) = arg {
                                self.expr(x);
                            }
                        }
                    }
                    FunctionArguments::None => {}
                }
                if let Some(filter) = &f.filter {
                    self.expr(filter);
                }
                for o in &f.within_group {
                    self.expr(&o.expr);
                }
            }
            _ => {}
        }
    }
}
