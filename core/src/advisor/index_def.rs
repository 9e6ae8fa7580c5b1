//! An index to propose: its definition, its deterministic name and its
//! `CREATE INDEX` statement in each engine's online style.

use crate::sql::fnv1a64;

/// A btree index on `table`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndexDef {
    /// Bare table name (no schema), as normalized by [`crate::sql`].
    pub table: String,
    /// Key columns, in order.
    pub columns: Vec<String>,
    /// Non-key columns stored in the index (PostgreSQL `INCLUDE`). Engines
    /// without `INCLUDE` get them appended to the key.
    pub include: Vec<String>,
    /// Partial index predicate, SQL text (PostgreSQL and SQLite only).
    pub predicate: Option<String>,
}

/// How to write the `CREATE INDEX` statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DdlStyle {
    /// `CREATE INDEX CONCURRENTLY name ON t (a, b) INCLUDE (c) [WHERE p]`
    PostgresConcurrently,
    /// `CREATE INDEX name ON t (a, b, c) ALGORITHM=INPLACE LOCK=NONE`
    MariaDbOnline,
    /// `CREATE INDEX name ON t (a, b, c) [WHERE p]`
    Sqlite,
}

/// Longest identifier PostgreSQL keeps (NAMEDATALEN - 1); also within
/// MariaDB's 64.
pub const MAX_NAME_BYTES: usize = 63;

/// Words that must be quoted as identifiers in at least one engine.
const RESERVED: &[&str] = &[
    "all",
    "alter",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "between",
    "both",
    "by",
    "case",
    "cast",
    "check",
    "collate",
    "column",
    "constraint",
    "create",
    "cross",
    "current_date",
    "current_time",
    "current_timestamp",
    "current_user",
    "default",
    "delete",
    "desc",
    "distinct",
    "do",
    "drop",
    "else",
    "end",
    "except",
    "exists",
    "false",
    "fetch",
    "for",
    "foreign",
    "from",
    "full",
    "grant",
    "group",
    "having",
    "in",
    "index",
    "inner",
    "insert",
    "intersect",
    "into",
    "is",
    "join",
    "key",
    "leading",
    "left",
    "like",
    "limit",
    "match",
    "natural",
    "not",
    "null",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "outer",
    "primary",
    "references",
    "right",
    "select",
    "session_user",
    "set",
    "some",
    "table",
    "then",
    "to",
    "trailing",
    "true",
    "union",
    "unique",
    "update",
    "user",
    "using",
    "values",
    "when",
    "where",
    "window",
    "with",
];

impl IndexDef {
    /// A plain index on `columns`.
    pub fn new(table: impl Into<String>, columns: &[&str]) -> IndexDef {
        IndexDef {
            table: table.into(),
            columns: columns.iter().map(|c| c.to_string()).collect(),
            include: Vec::new(),
            predicate: None,
        }
    }

    /// A stable text identity (used as cache key and for sorting).
    pub fn key(&self) -> String {
        format!(
            "{:?}({:?})include({:?})where({:?})",
            self.table, self.columns, self.include, self.predicate
        )
    }

    /// `sqlxos_<table>_<cols>_idx`, lower case, characters other than
    /// `[a-z0-9_]` replaced by `_`. Indexes with INCLUDE or a predicate, and
    /// names that would exceed [`MAX_NAME_BYTES`], get an 8-hex-digit hash
    /// of the whole definition so distinct definitions get distinct names.
    pub fn name(&self) -> String {
        let mut base = String::from("sqlxos_");
        base.push_str(&self.table);
        for c in &self.columns {
            base.push('_');
            base.push_str(c);
        }
        let base: String = base
            .chars()
            .map(|c| match c.to_ascii_lowercase() {
                c @ ('a'..='z' | '0'..='9' | '_') => c,
                _ => '_',
            })
            .collect();
        let plain = format!("{base}_idx");
        if plain.len() <= MAX_NAME_BYTES && self.include.is_empty() && self.predicate.is_none() {
            return plain;
        }
        let hash = format!("{:08x}", fnv1a64(self.key().as_bytes()) as u32);
        let room = MAX_NAME_BYTES - hash.len() - 1;
        let cut = &base[..base.len().min(room)];
        format!("{cut}_{hash}")
    }

    /// The `CREATE INDEX` statement in `style`, identifiers quoted where
    /// needed.
    pub fn ddl(&self, style: DdlStyle) -> String {
        let q = |s: &str| quote_ident(s, style);
        let list = |cols: &[String]| cols.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
        let name = q(&self.name());
        let table = q(&self.table);
        match style {
            DdlStyle::PostgresConcurrently => {
                let mut s = format!(
                    "CREATE INDEX CONCURRENTLY {name} ON {table} ({})",
                    list(&self.columns)
                );
                if !self.include.is_empty() {
                    s.push_str(&format!(" INCLUDE ({})", list(&self.include)));
                }
                if let Some(p) = &self.predicate {
                    s.push_str(&format!(" WHERE {p}"));
                }
                s
            }
            DdlStyle::MariaDbOnline => format!(
                "CREATE INDEX {name} ON {table} ({}) ALGORITHM=INPLACE LOCK=NONE",
                list(&self.all_columns())
            ),
            DdlStyle::Sqlite => {
                let mut s = format!(
                    "CREATE INDEX {name} ON {table} ({})",
                    list(&self.all_columns())
                );
                if let Some(p) = &self.predicate {
                    s.push_str(&format!(" WHERE {p}"));
                }
                s
            }
        }
    }

    /// Key columns followed by INCLUDE columns.
    pub fn all_columns(&self) -> Vec<String> {
        let mut v = self.columns.clone();
        v.extend(
            self.include
                .iter()
                .filter(|c| !self.columns.contains(c))
                .cloned(),
        );
        v
    }
}

/// Quotes `ident` for `style` if it is not a plain lower-case identifier or
/// is a reserved word: `"..."` with `""` doubling (PostgreSQL, SQLite),
/// `` `...` `` with doubled backquotes (MariaDB).
pub fn quote_ident(ident: &str, style: DdlStyle) -> String {
    let plain = !ident.is_empty()
        && ident
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && ident
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !RESERVED.contains(&ident);
    if plain {
        return ident.to_owned();
    }
    let (open, close) = match style {
        DdlStyle::MariaDbOnline => ('`', '`'),
        DdlStyle::PostgresConcurrently | DdlStyle::Sqlite => ('"', '"'),
    };
    let mut out = String::with_capacity(ident.len() + 2);
    out.push(open);
    for c in ident.chars() {
        if c == close {
            out.push(c);
        }
        out.push(c);
    }
    out.push(close);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ddl_in_three_styles() {
        let mut i = IndexDef::new("lineitem", &["l_partkey", "l_suppkey"]);
        assert_eq!(i.name(), "sqlxos_lineitem_l_partkey_l_suppkey_idx");
        assert_eq!(
            i.ddl(DdlStyle::PostgresConcurrently),
            "CREATE INDEX CONCURRENTLY sqlxos_lineitem_l_partkey_l_suppkey_idx ON lineitem (l_partkey, l_suppkey)"
        );
        assert_eq!(
            i.ddl(DdlStyle::MariaDbOnline),
            "CREATE INDEX sqlxos_lineitem_l_partkey_l_suppkey_idx ON lineitem (l_partkey, l_suppkey) ALGORITHM=INPLACE LOCK=NONE"
        );
        assert_eq!(
            i.ddl(DdlStyle::Sqlite),
            "CREATE INDEX sqlxos_lineitem_l_partkey_l_suppkey_idx ON lineitem (l_partkey, l_suppkey)"
        );
        i.include = vec!["l_quantity".into()];
        let name = i.name();
        assert!(
            name.starts_with("sqlxos_lineitem_l_partkey_l_suppkey_"),
            "{name}"
        );
        assert_ne!(name, "sqlxos_lineitem_l_partkey_l_suppkey_idx");
        assert_eq!(
            i.ddl(DdlStyle::PostgresConcurrently),
            format!("CREATE INDEX CONCURRENTLY {name} ON lineitem (l_partkey, l_suppkey) INCLUDE (l_quantity)")
        );
        assert_eq!(
            i.ddl(DdlStyle::MariaDbOnline),
            format!("CREATE INDEX {name} ON lineitem (l_partkey, l_suppkey, l_quantity) ALGORITHM=INPLACE LOCK=NONE")
        );
        assert_eq!(
            i.ddl(DdlStyle::Sqlite),
            format!("CREATE INDEX {name} ON lineitem (l_partkey, l_suppkey, l_quantity)")
        );
        i.include.clear();
        i.predicate = Some("deleted_at IS NULL".into());
        assert!(i
            .ddl(DdlStyle::PostgresConcurrently)
            .ends_with(" WHERE deleted_at IS NULL"));
        assert!(i
            .ddl(DdlStyle::Sqlite)
            .ends_with(" WHERE deleted_at IS NULL"));
    }

    #[test]
    fn hostile_identifiers_are_quoted() {
        let i = IndexDef::new("My \"Table\"", &["order", "a`b", "naïve col", "Ünï"]);
        let name = i.name();
        assert!(name.is_ascii() && name.len() <= MAX_NAME_BYTES, "{name}");
        assert_eq!(
            i.ddl(DdlStyle::PostgresConcurrently),
            format!("CREATE INDEX CONCURRENTLY {name} ON \"My \"\"Table\"\"\" (\"order\", \"a`b\", \"naïve col\", \"Ünï\")")
        );
        assert_eq!(
            i.ddl(DdlStyle::MariaDbOnline),
            format!("CREATE INDEX {name} ON `My \"Table\"` (`order`, `a``b`, `naïve col`, `Ünï`) ALGORITHM=INPLACE LOCK=NONE")
        );
        assert_eq!(
            i.ddl(DdlStyle::Sqlite),
            format!("CREATE INDEX {name} ON \"My \"\"Table\"\"\" (\"order\", \"a`b\", \"naïve col\", \"Ünï\")")
        );
        assert_eq!(quote_ident("", DdlStyle::Sqlite), "\"\"");
        assert_eq!(quote_ident("1abc", DdlStyle::Sqlite), "\"1abc\"");
        assert_eq!(
            quote_ident("Abc", DdlStyle::PostgresConcurrently),
            "\"Abc\""
        );
        assert_eq!(quote_ident("user", DdlStyle::MariaDbOnline), "`user`");
        assert_eq!(
            quote_ident("l_shipdate", DdlStyle::MariaDbOnline),
            "l_shipdate"
        );
    }

    #[test]
    fn ddl_parses_back() {
        use crate::sql::{parse_one, Dialect};
        let i = IndexDef::new("weird \"t\"", &["select", "x y"]);
        parse_one(&i.ddl(DdlStyle::PostgresConcurrently), Dialect::Postgres).unwrap();
        parse_one(&i.ddl(DdlStyle::Sqlite), Dialect::Sqlite).unwrap();
    }

    #[test]
    fn long_names_are_cut_with_a_hash() {
        let long = "c".repeat(40);
        let a = IndexDef::new("t", &[&long, "a1"]);
        let b = IndexDef::new("t", &[&long, "a2"]);
        assert!(a.name().len() <= MAX_NAME_BYTES);
        assert_ne!(a.name(), b.name());
        assert_eq!(a.name(), a.clone().name(), "deterministic");
        let uni = IndexDef::new("ééééééééééééééééééééééééééééééééééééé", &["ü"; 20]);
        assert!(uni.name().len() <= MAX_NAME_BYTES);
    }
}
