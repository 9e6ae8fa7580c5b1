//! The index advice part of `install.sql`: database `sqlxos`, the aggregate
//! UDFs of [`crate::advice`] and two procedures,
//! `sqlxos.suggest_indexes(schema_name)` and
//! `sqlxos.index_health(schema_name)`.
//!
//! MariaDB procedures live in a database, so both are in their own
//! `sqlxos` database (`CALL sqlxos.suggest_indexes('shop')`, as
//! `sqlxos.suggest_indexes()` in PostgreSQL). They run with the caller's
//! privileges (`SQL SECURITY INVOKER`): the caller sees the digests and
//! tables it may see, and the sampling reads only tables it may read.
//!
//! `suggest_indexes` cannot run the analysis in SQL, and a UDF cannot run
//! SQL, so it feeds rows (catalog from `information_schema`, workload from
//! `performance_schema`) to two aggregate UDFs: `sqlxos_advice_columns`
//! says which columns to sample, the procedure samples their distinct
//! counts with prepared statements (identifiers quoted), and
//! `sqlxos_advise_indexes` returns the advice as JSON, which `JSON_TABLE`
//! turns into rows. The JSON is also left in `@sqlxos_advice_json`
//! (with the rejected candidates and why).

use std::fmt::Write as _;

use crate::advice::AGGREGATES;
use crate::names::SONAME;

/// Rows sampled per column for its distinct count.
pub const SAMPLE_ROWS: u32 = 100_000;

/// `CONVERT(e USING utf8mb4) COLLATE utf8mb4_bin`: one character set for
/// every text slot of the UNION (information_schema is utf8mb3).
fn s(e: &str) -> String {
    format!("CONVERT({e} USING utf8mb4) COLLATE utf8mb4_bin")
}

/// `e + 0e0`: every number slot a DOUBLE (REAL argument), so unsigned
/// 64-bit counters never reach the UDF as negative integers.
fn n(e: &str) -> String {
    format!("({e}) + 0e0")
}

/// One input row: kind, four texts, seven numbers.
fn input_row(kind: &str, texts: [&str; 4], nums: [&str; 7], from: &str) -> String {
    let mut cols = vec![format!("'{kind}'")];
    cols.extend(
        texts
            .iter()
            .map(|t| if *t == "NULL" { "NULL".into() } else { s(t) }),
    );
    cols.extend(
        nums.iter()
            .map(|x| if *x == "NULL" { "NULL".into() } else { n(x) }),
    );
    format!("SELECT {}{from}", cols.join(", "))
}

/// The rows both aggregates read, for schema `v_schema` (a procedure
/// variable); with `samples`, also the sampled distinct counts in the JSON
/// array `v_samples`.
fn input_rows(samples: bool) -> String {
    let same = |col: &str| format!("{col} = v_schema AND BINARY {col} = BINARY v_schema");
    let nul = "NULL";
    let mut rows = vec![
        format!(
            "SELECT 'schema' AS k, {} AS t1, NULL AS t2, NULL AS t3, NULL AS t4, \
             NULL AS n1, NULL AS n2, NULL AS n3, NULL AS n4, NULL AS n5, NULL AS n6, NULL AS n7",
            s("v_schema")
        ),
        input_row(
            "table",
            ["TABLE_NAME", "ENGINE", nul, nul],
            ["TABLE_ROWS", "DATA_LENGTH", "INDEX_LENGTH", nul, nul, nul, nul],
            &format!(
                " FROM information_schema.TABLES WHERE {} AND TABLE_TYPE = 'BASE TABLE'",
                same("TABLE_SCHEMA")
            ),
        ),
        input_row(
            "column",
            ["TABLE_NAME", "COLUMN_NAME", "DATA_TYPE", nul],
            ["ORDINAL_POSITION", "CHARACTER_OCTET_LENGTH", nul, nul, nul, nul, nul],
            &format!(" FROM information_schema.COLUMNS WHERE {}", same("TABLE_SCHEMA")),
        ),
        input_row(
            "index",
            ["TABLE_NAME", "INDEX_NAME", "COLUMN_NAME", "INDEX_TYPE"],
            ["SEQ_IN_INDEX", "NON_UNIQUE", "CARDINALITY", "SUB_PART", nul, nul, nul],
            &format!(" FROM information_schema.STATISTICS WHERE {}", same("TABLE_SCHEMA")),
        ),
        input_row(
            "query",
            ["DIGEST", "DIGEST_TEXT", nul, nul],
            [
                "COUNT_STAR",
                "SUM_TIMER_WAIT",
                "SUM_ROWS_EXAMINED",
                "SUM_ROWS_SENT",
                "SUM_ROWS_AFFECTED",
                "SUM_NO_INDEX_USED",
                "SUM_NO_GOOD_INDEX_USED",
            ],
            &format!(
                " FROM performance_schema.events_statements_summary_by_digest dg WHERE {} AND DIGEST_TEXT IS NOT NULL",
                same("dg.SCHEMA_NAME")
            ),
        ),
        input_row(
            "io",
            ["OBJECT_NAME", nul, nul, nul],
            ["COUNT_INSERT + COUNT_UPDATE + COUNT_DELETE", "COUNT_FETCH", nul, nul, nul, nul, nul],
            &format!(
                " FROM performance_schema.table_io_waits_summary_by_table WHERE {} AND OBJECT_TYPE = 'TABLE'",
                same("OBJECT_SCHEMA")
            ),
        ),
    ];
    if samples {
        rows.push(
            "SELECT 'sample', j.t, j.c, NULL, NULL, j.n, j.d, j.z, j.l, NULL, NULL, NULL \
             FROM JSON_TABLE(v_samples, '$[*]' COLUMNS (\
             t VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.t', \
             c VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.c', \
             n DOUBLE PATH '$.n', d DOUBLE PATH '$.d', z DOUBLE PATH '$.z', l DOUBLE PATH '$.l')) AS j"
                .to_owned(),
        );
    }
    rows.join("\n        UNION ALL ")
}

// Inside the procedures an unqualified SCHEMA_NAME column would be the
// parameter `schema_name` (MariaDB resolves a name to a routine variable
// first), so that column is always qualified.

/// The argument checks both procedures start with: `schema_name` non-NULL,
/// non-empty, at most 64 characters, an existing schema. Sets `v_schema`.
fn check_schema(proc: &str) -> String {
    format!(
        r#"    IF schema_name IS NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.{proc}: argument schema_name must be the name of a schema (database), got NULL';
    END IF;
    IF schema_name = '' THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.{proc}: argument schema_name must be the name of a schema (database), got an empty string';
    END IF;
    IF CHAR_LENGTH(schema_name) > 64 THEN
        SET v_msg = CONCAT('sqlxos.{proc}: argument schema_name must be at most 64 characters (a schema name), got ', CHAR_LENGTH(schema_name), ' characters');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    SET v_schema = schema_name;
    IF NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA sch
                    WHERE sch.SCHEMA_NAME = v_schema AND BINARY sch.SCHEMA_NAME = BINARY v_schema) THEN
        SET v_msg = CONCAT('sqlxos.{proc}: argument schema_name: no schema named ', QUOTE(v_schema), ' exists (or you may not see it)');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
"#
    )
}

/// How to turn performance_schema on, for the messages.
const PS_HOW: &str = "set performance_schema=ON in the [mariadbd] section of my.cnf (or start mariadbd with --performance-schema=ON) and restart the server";

fn suggest_indexes() -> String {
    let mut out = String::new();
    out.push_str(
        "-- sqlxos.suggest_indexes(schema_name): indexes that would cut the rows the\n\
         -- statements recorded by performance_schema for that schema examine,\n\
         -- best first: table_name, columns, index_ddl, estimated_bytes,\n\
         -- cost_before, cost_after (rows examined per call, summed over calls),\n\
         -- improvement_pct, queries (JSON: digest and text), reason.\n",
    );
    out.push_str(
        "CREATE OR REPLACE PROCEDURE sqlxos.suggest_indexes(IN schema_name LONGTEXT CHARACTER SET utf8mb4)\n\
         SQL SECURITY INVOKER\n\
         READS SQL DATA\n\
         COMMENT 'Index advice for a schema from performance_schema digests; see README'\n\
         BEGIN\n\
         \x20   DECLARE v_schema VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\n\
         \x20   DECLARE v_msg VARCHAR(1000) CHARACTER SET utf8mb4;\n\
         \x20   DECLARE v_need LONGTEXT CHARACTER SET utf8mb4;\n\
         \x20   DECLARE v_samples LONGTEXT CHARACTER SET utf8mb4 DEFAULT '[]';\n\
         \x20   DECLARE v_out LONGTEXT CHARACTER SET utf8mb4;\n",
    );
    out.push_str(&check_schema("suggest_indexes"));
    writeln!(
        out,
        r#"    IF NOT @@GLOBAL.performance_schema THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.suggest_indexes: performance_schema is OFF, so MariaDB records no statement digests to advise on; {PS_HOW}, then run the workload';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM performance_schema.setup_consumers WHERE NAME = 'statements_digest' AND ENABLED = 'YES') THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.suggest_indexes: the statements_digest consumer is off; run UPDATE performance_schema.setup_consumers SET ENABLED = ''YES'' WHERE NAME = ''statements_digest'', then run the workload';
    END IF;
    SET v_need = CONVERT((SELECT sqlxos_advice_columns(k, t1, t2, t3, t4, n1, n2, n3, n4, n5, n6, n7) FROM (
        {}
    ) AS x) USING utf8mb4);
    IF JSON_VALUE(v_need, '$.error') IS NOT NULL THEN
        SET v_msg = JSON_VALUE(v_need, '$.error');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    FOR c IN (SELECT j.t, j.c FROM JSON_TABLE(v_need, '$[*]' COLUMNS (
                  t VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.t',
                  c VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.c')) AS j) DO
        BEGIN
            -- A table the caller may not read is not sampled.
            DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET @sqlxos_n = NULL;
            SET @sqlxos_n = NULL, @sqlxos_d = NULL, @sqlxos_z = NULL, @sqlxos_l = NULL;
            SET @sqlxos_q = CONCAT(
                'SELECT COUNT(*), COUNT(DISTINCT v), SUM(v IS NULL), AVG(LENGTH(v)) ',
                'INTO @sqlxos_n, @sqlxos_d, @sqlxos_z, @sqlxos_l FROM (SELECT ',
                '`', REPLACE(c.c, '`', '``'), '` AS v FROM `', REPLACE(v_schema, '`', '``'), '`.`',
                REPLACE(c.t, '`', '``'), '` LIMIT {SAMPLE_ROWS}) AS s');
            PREPARE sqlxos_stmt FROM @sqlxos_q;
            EXECUTE sqlxos_stmt;
            DEALLOCATE PREPARE sqlxos_stmt;
            IF @sqlxos_n IS NOT NULL THEN
                SET v_samples = JSON_ARRAY_APPEND(v_samples, '$', JSON_OBJECT(
                    't', c.t, 'c', c.c, 'n', @sqlxos_n, 'd', @sqlxos_d, 'z', @sqlxos_z, 'l', @sqlxos_l));
            END IF;
        END;
    END FOR;
    SET @sqlxos_q = NULL, @sqlxos_n = NULL, @sqlxos_d = NULL, @sqlxos_z = NULL, @sqlxos_l = NULL;
    SET v_out = CONVERT((SELECT sqlxos_advise_indexes(k, t1, t2, t3, t4, n1, n2, n3, n4, n5, n6, n7) FROM (
        {}
    ) AS x) USING utf8mb4);
    SET @sqlxos_advice_json = v_out;
    IF JSON_VALUE(v_out, '$.error') IS NOT NULL THEN
        SET v_msg = JSON_VALUE(v_out, '$.error');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    SELECT j.table_name, j.columns, j.index_ddl, j.estimated_bytes, j.cost_before, j.cost_after,
           j.improvement_pct, j.queries, j.reason
      FROM JSON_TABLE(v_out, '$.advice[*]' COLUMNS (
               ord FOR ORDINALITY,
               table_name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.table_name',
               columns TEXT CHARACTER SET utf8mb4 PATH '$.columns',
               index_ddl TEXT CHARACTER SET utf8mb4 PATH '$.index_ddl',
               estimated_bytes BIGINT PATH '$.estimated_bytes',
               cost_before DOUBLE PATH '$.cost_before',
               cost_after DOUBLE PATH '$.cost_after',
               improvement_pct DOUBLE PATH '$.improvement_pct',
               queries LONGTEXT CHARACTER SET utf8mb4 PATH '$.queries',
               reason TEXT CHARACTER SET utf8mb4 PATH '$.reason')) AS j
     ORDER BY j.ord;
    -- Last: a statement after SIGNAL would clear the warning.
    IF JSON_VALUE(v_out, '$.queries') = 0 THEN
        SET v_msg = CONCAT('sqlxos.suggest_indexes: performance_schema holds no SELECT, UPDATE or DELETE on tables of ', QUOTE(v_schema), ' run with it as the default database; run the workload first');
        SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = v_msg;
    END IF;
END;;"#,
        input_rows(false),
        input_rows(true)
    )
    .unwrap();
    out
}

/// The SELECT of `index_health`, with or without index sizes from
/// `mysql.innodb_index_stats` (which not every caller may read).
fn health_select(sizes: bool) -> String {
    let same = |col: &str| format!("{col} = v_schema AND BINARY {col} = BINARY v_schema");
    let bytes = if sizes {
        "(SELECT MAX(st.stat_value) * @@innodb_page_size FROM mysql.innodb_index_stats st
                 WHERE st.database_name = v_schema AND st.table_name = i.tbl
                   AND st.index_name = i.idx AND st.stat_name = 'size')"
    } else {
        "NULL"
    };
    format!(
        r#"WITH idx AS (
            SELECT TABLE_NAME AS tbl, INDEX_NAME AS idx, MIN(NON_UNIQUE) = 0 AS is_unique,
                   MAX(INDEX_TYPE) AS itype,
                   GROUP_CONCAT(CONCAT(COALESCE(COLUMN_NAME, '?expr'), '(', COALESCE(SUB_PART, ''), ')', COALESCE(COLLATION, ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR '\0') AS k,
                   GROUP_CONCAT(CONCAT('`', REPLACE(COALESCE(COLUMN_NAME, '(expression)'), '`', '``'), '`',
                                       COALESCE(CONCAT('(', SUB_PART, ')'), ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR ', ') AS cols,
                   MAX(IF(SEQ_IN_INDEX = 1, COLUMN_NAME, NULL)) AS first_col
              FROM information_schema.STATISTICS s
             WHERE {stat}
             GROUP BY TABLE_NAME, INDEX_NAME
        ),
        fk AS (
            SELECT DISTINCT TABLE_NAME AS tbl, COLUMN_NAME AS col
              FROM information_schema.KEY_COLUMN_USAGE
             WHERE {kcu} AND REFERENCED_TABLE_NAME IS NOT NULL AND ORDINAL_POSITION = 1
        ),
        io AS (
            SELECT OBJECT_NAME AS tbl, INDEX_NAME AS idx, COUNT_READ AS n_reads, COUNT_WRITE AS n_writes
              FROM performance_schema.table_io_waits_summary_by_index_usage
             WHERE {io} AND OBJECT_TYPE = 'TABLE' AND INDEX_NAME IS NOT NULL
        ),
        found AS (
            SELECT a.tbl, a.idx, 'duplicate' AS problem,
                   CONCAT('same definition as ', b.idx, ' (', b.cols, ')') AS why
              FROM idx a JOIN idx b ON BINARY b.tbl = BINARY a.tbl AND b.idx <> a.idx AND b.k = a.k AND b.itype = a.itype
             WHERE NOT a.is_unique AND (b.is_unique OR BINARY b.idx < BINARY a.idx)
            UNION ALL
            SELECT a.tbl, a.idx, 'redundant_prefix',
                   CONCAT('its keys (', a.cols, ') lead ', b.idx, ' (', b.cols, '), which serves the same lookups')
              FROM idx a JOIN idx b ON BINARY b.tbl = BINARY a.tbl AND b.idx <> a.idx AND a.itype = 'BTREE' AND b.itype = 'BTREE'
                               AND LEFT(b.k, CHAR_LENGTH(a.k) + 1) = CONCAT(a.k, '\0')
             WHERE NOT a.is_unique
            UNION ALL
            SELECT a.tbl, a.idx, 'unused',
                   CONCAT('no read through it since statistics were collected',
                          IF(io.n_writes > 0, CONCAT(', while it was written ', io.n_writes, ' times'), '')) AS why
              FROM idx a JOIN io ON BINARY io.tbl = BINARY a.tbl AND io.idx = a.idx
             WHERE NOT a.is_unique AND io.n_reads = 0
               AND NOT EXISTS (SELECT 1 FROM fk WHERE BINARY fk.tbl = BINARY a.tbl AND fk.col = a.first_col)
        )
        SELECT v_schema AS schema_name, f.tbl AS table_name, f.idx AS index_name, f.problem,
               CONCAT('ALTER TABLE `', REPLACE(v_schema, '`', '``'), '`.`', REPLACE(f.tbl, '`', '``'),
                      '` DROP INDEX `', REPLACE(f.idx, '`', '``'), '`') AS drop_ddl,
               {bytes} AS index_bytes,
               (SELECT io.n_reads FROM io WHERE io.tbl = f.tbl AND io.idx = f.idx) AS scans,
               v_since AS stats_since,
               f.why AS reason
          FROM found f JOIN idx i ON i.tbl = f.tbl AND i.idx = f.idx
         ORDER BY f.tbl, f.idx, f.problem;"#,
        kcu = same("TABLE_SCHEMA"),
        stat = same("s.TABLE_SCHEMA"),
        io = same("OBJECT_SCHEMA"),
    )
}

fn index_health() -> String {
    let mut out = String::new();
    out.push_str(
        "-- sqlxos.index_health(schema_name): duplicate, redundant-prefix and unused\n\
         -- indexes of a schema, each with the DROP statement and the evidence.\n\
         -- Primary keys, unique indexes and (for 'unused') indexes leading with a\n\
         -- foreign key column are never proposed. 'unused' needs performance_schema;\n\
         -- without it the other two problems are still listed, with a warning.\n",
    );
    out.push_str(
        "CREATE OR REPLACE PROCEDURE sqlxos.index_health(IN schema_name LONGTEXT CHARACTER SET utf8mb4)\n\
         SQL SECURITY INVOKER\n\
         READS SQL DATA\n\
         COMMENT 'Duplicate, redundant-prefix and unused indexes of a schema; see README'\n\
         BEGIN\n\
         \x20   DECLARE v_schema VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\n\
         \x20   DECLARE v_msg VARCHAR(1000) CHARACTER SET utf8mb4;\n\
         \x20   DECLARE v_since DATETIME;\n\
         \x20   DECLARE v_sizes BOOLEAN DEFAULT TRUE;\n",
    );
    out.push_str(&check_schema("index_health"));
    writeln!(
        out,
        r#"    SET v_since = NOW() - INTERVAL (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME') SECOND;
    BEGIN
        DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET v_sizes = FALSE;
        DO (SELECT COUNT(*) FROM mysql.innodb_index_stats WHERE 0);
    END;
    IF NOT @@GLOBAL.performance_schema THEN
        SET v_since = NULL;
    END IF;
    IF v_sizes THEN
        {}
    ELSE
        {}
    END IF;
    -- Last: a statement after SIGNAL would clear the warning.
    IF NOT @@GLOBAL.performance_schema THEN
        SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = 'sqlxos.index_health: performance_schema is OFF, so unused indexes cannot be found (duplicates and redundant prefixes are listed); {PS_HOW}';
    END IF;
END;;"#,
        health_select(true),
        health_select(false)
    )
    .unwrap();
    out
}

/// The index advice part of `install.sql`.
pub fn render_install() -> String {
    let mut out = String::new();
    out.push_str(
        "\n-- Index advice: aggregate functions fed by the procedures below, and the\n\
         -- procedures in database sqlxos (CALL sqlxos.suggest_indexes('shop')).\n\n",
    );
    for a in AGGREGATES {
        writeln!(
            out,
            "CREATE OR REPLACE AGGREGATE FUNCTION {a} RETURNS STRING SONAME '{SONAME}';"
        )
        .unwrap();
    }
    out.push_str(
        "\nCREATE DATABASE IF NOT EXISTS sqlxos CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;\n",
    );
    out.push_str("\nDELIMITER ;;\n\n");
    out.push_str(&suggest_indexes());
    out.push_str("\n\n");
    out.push_str(&index_health());
    out.push_str("\nDELIMITER ;\n");
    out
}

/// The index advice part of `uninstall.sql`: the procedures, the
/// aggregates, and database `sqlxos` only if nothing else is left in it.
pub fn render_uninstall() -> String {
    let mut out = String::from("\n");
    out.push_str("DROP PROCEDURE IF EXISTS sqlxos.suggest_indexes;\n");
    out.push_str("DROP PROCEDURE IF EXISTS sqlxos.index_health;\n");
    for a in AGGREGATES {
        writeln!(out, "DROP FUNCTION IF EXISTS {a};").unwrap();
    }
    out.push_str(
        "SET @sqlxos_drop = IF(\n\
         \x20   EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'sqlxos')\n\
         \x20   AND NOT EXISTS (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sqlxos')\n\
         \x20   AND NOT EXISTS (SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sqlxos')\n\
         \x20   AND NOT EXISTS (SELECT 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'sqlxos'),\n\
         \x20   'DROP DATABASE sqlxos', 'DO 0');\n\
         EXECUTE IMMEDIATE @sqlxos_drop;\n\
         SET @sqlxos_drop = NULL;\n",
    );
    out
}
