//! Parsing exactly one statement, with limits that keep hostile input from
//! exhausting the stack or the CPU.

use sqlparser::ast::Statement;
use sqlparser::keywords::Keyword;
use sqlparser::parser::Parser;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::Dialect;
use crate::{Error, Result};

/// Longest statement analysed, in bytes. Longer text is refused before it is
/// tokenized: advice on a quarter-megabyte statement is not worth the time.
pub const MAX_SQL_BYTES: usize = 256 * 1024;

/// Most operator tokens a statement may hold. sqlparser bounds the nesting
/// of parentheses and subqueries (its recursion limit, 50) but builds long
/// chains like `a = 1 OR a = 2 OR ...` as left-deep trees, one level per
/// operator; dropping, printing or walking a tree deeper than a few ten
/// thousand levels overflows a 2 MB thread stack. This bound keeps every
/// tree well below that.
pub const MAX_OPERATORS: usize = 5_000;

/// Parses `sql` as exactly one statement of `dialect`. A trailing semicolon
/// is fine; empty input, several statements, text that does not parse, text
/// over [`MAX_SQL_BYTES`], more than [`MAX_OPERATORS`] operators or nesting
/// deeper than sqlparser's recursion limit give [`Error::Parse`].
pub fn parse_one(sql: &str, dialect: Dialect) -> Result<Statement> {
    if sql.len() > MAX_SQL_BYTES {
        return Err(Error::Parse(format!(
            "statement is {} bytes long; at most {MAX_SQL_BYTES} are analysed",
            sql.len()
        )));
    }
    let d = dialect.parser_dialect();
    let tokens = Tokenizer::new(d.as_ref(), sql)
        .tokenize()
        .map_err(|e| Error::Parse(e.to_string()))?;
    let mut operators = 0usize;
    let mut meaningful = false;
    for t in &tokens {
        match t {
            Token::Whitespace(_) | Token::SemiColon | Token::EOF => {}
            t => {
                meaningful = true;
                if is_operator(t) {
                    operators += 1;
                }
            }
        }
    }
    if !meaningful {
        return Err(Error::Parse("expected one statement, found none".into()));
    }
    if operators > MAX_OPERATORS {
        return Err(Error::Parse(format!(
            "statement has more than {MAX_OPERATORS} operators; too complex to analyse"
        )));
    }
    let mut statements = Parser::new(d.as_ref())
        .with_tokens(tokens)
        .parse_statements()
        .map_err(|e| Error::Parse(e.to_string()))?;
    match statements.len() {
        1 => Ok(statements.remove(0)),
        0 => Err(Error::Parse("expected one statement, found none".into())),
        n => Err(Error::Parse(format!("expected one statement, found {n}"))),
    }
}

/// Tokens that can chain two expressions into a deeper tree.
fn is_operator(t: &Token) -> bool {
    match t {
        Token::Word(w) => matches!(
            w.keyword,
            Keyword::AND
                | Keyword::OR
                | Keyword::XOR
                | Keyword::IS
                | Keyword::BETWEEN
                | Keyword::LIKE
                | Keyword::ILIKE
                | Keyword::IN
                | Keyword::NOT
                | Keyword::COLLATE
                | Keyword::AT
                | Keyword::SIMILAR
                | Keyword::REGEXP
                | Keyword::RLIKE
                | Keyword::DIV
                | Keyword::MOD
                | Keyword::MEMBER
                | Keyword::OVERLAPS
                | Keyword::OPERATOR
        ),
        Token::Number(..)
        | Token::Char(_)
        | Token::SingleQuotedString(_)
        | Token::DoubleQuotedString(_)
        | Token::NationalStringLiteral(_)
        | Token::EscapedStringLiteral(_)
        | Token::HexStringLiteral(_)
        | Token::Placeholder(_)
        | Token::Comma
        | Token::Period
        | Token::LParen
        | Token::RParen
        | Token::Whitespace(_)
        | Token::SemiColon
        | Token::EOF => false,
        // Every symbol (=, <, +, ||, ::, ->, [, ...) counts: over-counting
        // only makes the limit more conservative.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(sql: &str) -> String {
        match parse_one(sql, Dialect::Postgres) {
            Err(Error::Parse(m)) => m,
            other => panic!("expected a parse error for {sql:.60}, got {other:?}"),
        }
    }

    #[test]
    fn one_statement_parses_with_or_without_semicolon() {
        assert!(parse_one("SELECT 1", Dialect::Postgres).is_ok());
        assert!(parse_one("select a from t where b = $1;", Dialect::Postgres).is_ok());
        assert!(parse_one("SELECT `a` FROM t WHERE b = ?", Dialect::MySql).is_ok());
        assert!(parse_one("SELECT \"a\" FROM t LIMIT 3", Dialect::Sqlite).is_ok());
        assert!(parse_one("SELECT a FROM t", Dialect::Generic).is_ok());
    }

    #[test]
    fn empty_and_blank_input_is_refused() {
        assert!(err("").contains("found none"));
        assert!(err("   \n\t ").contains("found none"));
        assert!(err(" ; ").contains("found none"));
        assert!(err("-- just a comment").contains("found none"));
    }

    #[test]
    fn several_statements_are_refused() {
        assert_eq!(err("SELECT 1; SELECT 2"), "expected one statement, found 2");
    }

    #[test]
    fn garbage_is_refused() {
        err("SELEC 1");
        err("SELECT FROM WHERE");
        err("'unterminated");
        err("\u{0}\u{1}\u{7f}");
        err("SELECT * FROM t WHERE");
    }

    #[test]
    fn errors_display_with_sqlstate_42601() {
        let e = parse_one("SELECT 1; SELECT 2", Dialect::Postgres).unwrap_err();
        assert_eq!(
            e.to_string(),
            "could not parse SQL: expected one statement, found 2"
        );
        assert_eq!(e.sqlstate(), crate::error::SqlState::SyntaxError);
    }

    #[test]
    fn one_megabyte_is_refused_quickly() {
        let sql = format!("SELECT * FROM t WHERE a IN (1{})", ",1".repeat(512 * 1024));
        assert!(err(&sql).contains("bytes long"));
    }

    #[test]
    fn deep_parentheses_hit_the_recursion_limit() {
        let sql = format!("SELECT {}1{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(err(&sql).contains("recursion limit"));
        let sql = format!(
            "SELECT * FROM t WHERE a IN {}",
            "(SELECT a FROM t WHERE a IN ".repeat(200) + "(1)" + &")".repeat(200)
        );
        err(&sql);
    }

    #[test]
    fn long_operator_chains_are_refused_not_overflowed() {
        let sql = format!("SELECT * FROM t WHERE a = 1{}", " OR a = 1".repeat(20_000));
        assert!(err(&sql).contains("operators"));
        let sql = format!("SELECT 1{}", "+1".repeat(100_000));
        err(&sql);
        let sql = format!("SELECT a{}", "::int".repeat(60_000));
        err(&sql);
    }

    #[test]
    fn a_chain_just_under_the_limit_parses_in_a_small_stack() {
        // Tests run on 2 MB threads: this proves trees at the limit are safe.
        let sql = format!("SELECT * FROM t WHERE a = 1{}", " OR a = 1".repeat(2_400));
        let stmt = parse_one(&sql, Dialect::Postgres).unwrap();
        assert!(stmt.to_string().len() > 10_000);
    }

    #[test]
    fn large_in_lists_are_fine() {
        let sql = format!("SELECT * FROM t WHERE a IN (1{})", ",1".repeat(50_000));
        assert!(parse_one(&sql, Dialect::Postgres).is_ok());
    }
}
