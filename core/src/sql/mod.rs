//! SQL text in, plain facts out: parse one statement per dialect
//! ([`parse_one`]), give it a stable fingerprint with constants replaced by
//! placeholders ([`fingerprint`]), and describe what an index advisor needs
//! to know about it ([`features`]): tables, filtered columns and operators,
//! join columns (also inside correlated subqueries), ORDER BY, GROUP BY,
//! LIMIT and the columns read.
//!
//! Everything here works on text alone. Where text is ambiguous (an
//! unqualified column with several tables in scope) an optional
//! [`Catalog`](crate::catalog::Catalog) settles it ([`features_with_catalog`]).

mod conjuncts;
mod features;
mod fingerprint;
mod parse;
mod resolve;

pub use conjuncts::{table_filters, Conjunct, TableFilter};
pub use features::{
    features, features_with_catalog, ColumnRef, JoinPair, Predicate, PredicateOp, QueryFeatures,
    SortKey, StatementKind,
};
pub use fingerprint::{fingerprint, fnv1a64, Fingerprint};
pub use parse::{parse_one, MAX_OPERATORS, MAX_SQL_BYTES};

/// The SQL dialect a statement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL (`$1` parameters, `::` casts, double-quoted identifiers).
    Postgres,
    /// MySQL and MariaDB (backquoted identifiers, `?` parameters).
    MySql,
    /// SQLite.
    Sqlite,
    /// ANSI-ish SQL accepted by sqlparser's generic dialect.
    Generic,
}

impl Dialect {
    /// The sqlparser dialect for this one.
    pub(crate) fn parser_dialect(self) -> Box<dyn sqlparser::dialect::Dialect> {
        use sqlparser::dialect::{GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
        match self {
            Dialect::Postgres => Box::new(PostgreSqlDialect {}),
            Dialect::MySql => Box::new(MySqlDialect {}),
            Dialect::Sqlite => Box::new(SQLiteDialect {}),
            Dialect::Generic => Box::new(GenericDialect {}),
        }
    }
}

/// An identifier as sqlxos compares it: unquoted identifiers lowercased
/// (PostgreSQL folds them; MariaDB and SQLite compare columns without case),
/// quoted ones kept exactly.
pub(crate) fn normalize_ident(ident: &sqlparser::ast::Ident) -> String {
    if ident.quote_style.is_some() {
        ident.value.clone()
    } else {
        ident.value.to_lowercase()
    }
}

#[cfg(test)]
pub(crate) mod tpch;

/// The join constraint of a join operator, if it has one.
pub(crate) fn join_constraint(
    op: &sqlparser::ast::JoinOperator,
) -> Option<&sqlparser::ast::JoinConstraint> {
    use sqlparser::ast::JoinOperator as J;
    match op {
        J::Join(c)
        | J::Inner(c)
        | J::Left(c)
        | J::LeftOuter(c)
        | J::Right(c)
        | J::RightOuter(c)
        | J::FullOuter(c)
        | J::CrossJoin(c)
        | J::Semi(c)
        | J::LeftSemi(c)
        | J::RightSemi(c)
        | J::Anti(c)
        | J::LeftAnti(c)
        | J::RightAnti(c)
        | J::StraightJoin(c) => Some(c),
        J::AsOf { constraint, .. } => Some(constraint),
        _ => None,
    }
}
