//! Renders `sql/mariadb/install.sql` and `uninstall.sql` from the function
//! table ([`crate::names::sql_names`]), and checks that the committed files
//! are what the table gives.
//!
//! Regenerate after a table change with
//! `SQLXOS_BLESS=1 cargo test -p sqlxos-mysql scripts`.
//!
//! Policy:
//! - `sqlxos_<name>` is ours: `CREATE OR REPLACE`, so running the script
//!   again after an upgrade updates return types in place.
//! - A bare MySQL Enterprise name (`mask_inner`, ...) is (re)created only if
//!   no function of that name from another library exists in `mysql.func`:
//!   an existing one (say, another masking plugin) is kept, the script
//!   prints a `sqlxos_note` row about it, and `sqlxos_<name>` is still there.
//!   `CREATE FUNCTION IF NOT EXISTS` would also keep foreign functions, but
//!   would keep our own stale entry after an upgrade too, and a UDF whose
//!   declared return type differs from its symbol's is called with the wrong
//!   C signature.
//! - `uninstall.sql` drops every `sqlxos_<name>`, and a bare name only if it
//!   is ours (`mysql.func.dl = 'sqlxos.so'`).

use std::fmt::Write as _;

use crate::names::{sql_names, SqlName, UdfReturn, SONAME};

const REGENERATE: &str = "SQLXOS_BLESS=1 cargo test -p sqlxos-mysql scripts";

fn header(out: &mut String, what: &str) {
    writeln!(out, "-- sqlxos for MariaDB: {what}").unwrap();
    out.push_str("--\n");
    out.push_str(
        "-- @generated from sqlxos_core::functions::all() by mysql_plugin/src/scripts.rs.\n",
    );
    writeln!(out, "-- Do not edit; regenerate with: {REGENERATE}").unwrap();
}

fn doc_line(out: &mut String, n: &SqlName) {
    let summary = n.spec.summary.replace(['\n', '\r'], " ");
    writeln!(out, "-- {}: {summary}", n.spec.signature()).unwrap();
}

/// The text of `sql/mariadb/install.sql`.
pub fn render_install() -> String {
    let names = sql_names();
    let mut out = String::new();
    header(&mut out, "creates every function of the plugin.");
    out.push_str(&format!(
        "--\n\
         -- First copy the built libsqlxos_mysql.so into the server's plugin_dir\n\
         -- (SELECT @@plugin_dir) as {SONAME}, then: mariadb < install.sql\n\
         -- Running it again, e.g. after an upgrade, updates the functions in place.\n\
         --\n\
         -- STRING functions return binary strings (as every MariaDB UDF does);\n\
         -- CONVERT(... USING utf8mb4) gives text with a collation.\n"
    ));

    out.push_str("\n-- sqlxos_<name>: always (re)created.\n");
    for n in names.iter().filter(|n| !n.alias) {
        out.push('\n');
        doc_line(&mut out, n);
        writeln!(
            out,
            "CREATE OR REPLACE FUNCTION {} RETURNS {} SONAME '{SONAME}';",
            n.sql,
            UdfReturn::of(n.spec.returns).sql()
        )
        .unwrap();
    }

    out.push_str(
        "\n-- MySQL Enterprise-compatible names: (re)created unless a function of\n\
         -- that name from another library exists; that one is kept, a sqlxos_note\n\
         -- row says so, and the sqlxos_ name above is the same function.\n",
    );
    for n in names.iter().filter(|n| n.alias) {
        let name = &n.sql;
        let ret = UdfReturn::of(n.spec.returns).sql();
        out.push('\n');
        writeln!(out, "-- {name}: alias of sqlxos_{}", n.spec.name).unwrap();
        writeln!(
            out,
            "SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = '{name}' AND dl <> '{SONAME}');"
        )
        .unwrap();
        writeln!(
            out,
            "EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION {name} RETURNS {ret} SONAME ''{SONAME}''', 'DO 0');"
        )
        .unwrap();
        writeln!(
            out,
            "SELECT CONCAT('kept {name}() of ', @sqlxos_other, '; use sqlxos_{}()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;",
            n.spec.name
        )
        .unwrap();
    }
    out.push_str("\nSET @sqlxos_other = NULL;\n");
    out.push_str(&crate::procedures::render_install());
    out
}

/// The text of `sql/mariadb/uninstall.sql`.
pub fn render_uninstall() -> String {
    let names = sql_names();
    let mut out = String::new();
    header(&mut out, "drops every function of the plugin.");
    out.push_str(
        "--\n\
         -- Bare MySQL Enterprise names are dropped only if they are sqlxos's, so a\n\
         -- function of the same name from another library stays.\n\n",
    );
    for n in names.iter().filter(|n| !n.alias) {
        writeln!(out, "DROP FUNCTION IF EXISTS {};", n.sql).unwrap();
    }
    out.push('\n');
    for n in names.iter().filter(|n| n.alias) {
        let name = &n.sql;
        writeln!(
            out,
            "SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION {name}', 'DO 0') FROM mysql.func WHERE LOWER(name) = '{name}' AND dl = '{SONAME}');"
        )
        .unwrap();
        out.push_str("EXECUTE IMMEDIATE @sqlxos_drop;\n");
    }
    out.push_str("SET @sqlxos_drop = NULL;\n");
    out.push_str(&crate::procedures::render_uninstall());
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn check(file: &str, rendered: &str) {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../sql/mariadb")
            .join(file);
        if std::env::var_os("SQLXOS_BLESS").is_some() {
            std::fs::write(&path, rendered).unwrap();
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        if committed != rendered {
            let (mut want, mut got) = (rendered.lines(), committed.lines());
            let line = (1..)
                .find(|_| want.next() != got.next())
                .expect("texts differ");
            panic!(
                "{} is not what the function table gives (first difference at line {line}:\n  \
                 expected: {:?}\n  actual:   {:?})\nregenerate it with:\n  {REGENERATE}",
                path.display(),
                rendered.lines().nth(line - 1),
                committed.lines().nth(line - 1),
            );
        }
    }

    #[test]
    fn install_script_matches_the_table() {
        check("install.sql", &render_install());
    }

    #[test]
    fn uninstall_script_matches_the_table() {
        check("uninstall.sql", &render_uninstall());
    }

    #[test]
    fn every_table_entry_and_alias_is_in_the_scripts() {
        let install = render_install();
        let uninstall = render_uninstall();
        for spec in sqlxos_core::functions::all() {
            let prefixed = format!("FUNCTION sqlxos_{} RETURNS", spec.name);
            assert!(install.contains(&prefixed), "{prefixed}");
            assert!(uninstall.contains(&format!("DROP FUNCTION IF EXISTS sqlxos_{};", spec.name)));
            let alias = format!("CREATE OR REPLACE FUNCTION {} RETURNS", spec.name);
            assert_eq!(install.contains(&alias), spec.mysql_enterprise, "{alias}");
            let drop = format!("'DROP FUNCTION {}'", spec.name);
            assert_eq!(uninstall.contains(&drop), spec.mysql_enterprise, "{drop}");
        }
    }

    #[test]
    fn the_readme_lists_every_function_and_exactly_the_aliases() {
        let readme = include_str!("../README.md");
        for spec in sqlxos_core::functions::all() {
            let row = format!("| `{}` |", spec.signature());
            assert!(readme.contains(&row), "README.md lacks the row {row}");
        }
        let start = readme
            .find("**Aliases**")
            .expect("an **Aliases** paragraph");
        let end = start
            + readme[start..]
                .find("sqlxos's own")
                .expect("end of the alias list");
        let listed: Vec<&str> = readme[start..end].split('`').skip(1).step_by(2).collect();
        let aliases: Vec<String> = sql_names()
            .into_iter()
            .filter(|n| n.alias)
            .map(|n| n.sql)
            .collect();
        assert_eq!(listed, aliases, "the alias list of README.md");
    }

    #[test]
    fn every_sql_name_is_exported() {
        let names: Vec<String> = sql_names().into_iter().map(|n| n.sql).collect();
        assert_eq!(names, crate::exports::EXPORTED);
    }
}
