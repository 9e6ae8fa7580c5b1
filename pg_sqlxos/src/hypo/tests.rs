//! Backend tests of the what-if planner, on generated 100,000-row tables.

#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    use crate::hypo::{ddl, guard, oracle, state};

    /// A 100,000-row table: `a` has 10 rows per value, `b` 97 values, `c` 10.
    fn make_table(name: &str) {
        Spi::run(&format!(
            "CREATE TABLE {name} (id int, a int, b int, c int, d text);
             INSERT INTO {name} SELECT i, i % 10000, i % 97, i % 10, md5(i::text)
               FROM generate_series(1, 100000) i;
             ANALYZE {name};"
        ))
        .unwrap();
    }

    fn sql_array(ddl: &[&str]) -> String {
        let items: Vec<String> = ddl.iter().map(|d| format!("$d${d}$d$")).collect();
        format!("ARRAY[{}]::text[]", items.join(", "))
    }

    /// `(plan, total_cost, used)` of the first row of explain_with_indexes.
    fn explain(query: &str, ddl: &[&str]) -> (String, f64, Vec<String>) {
        Spi::connect(|c| {
            let sql = format!(
                "SELECT plan, total_cost, hypothetical_indexes_used
                 FROM sqlxos.explain_with_indexes($q${query}$q$, {})",
                sql_array(ddl)
            );
            let row = c.select(&sql, None, &[]).unwrap().first();
            (
                row.get::<String>(1).unwrap().unwrap(),
                row.get::<f64>(2).unwrap().unwrap(),
                row.get::<Vec<String>>(3).unwrap().unwrap(),
            )
        })
    }

    fn plain_explain(query: &str) -> String {
        Spi::connect(|c| {
            c.select(&format!("EXPLAIN {query}"), None, &[])
                .unwrap()
                .map(|r| r.get::<String>(1).unwrap().unwrap())
                .collect::<Vec<_>>()
                .join("\n")
        })
    }

    /// Runs `sql` and asserts it fails with `sqlstate` and a message
    /// starting with `prefix` (caught in PL/pgSQL, so any other error, or
    /// none, fails the test); the backend goes on.
    fn assert_error(sql: &str, sqlstate: &str, prefix: &str) {
        let block = format!(
            "DO $t$ BEGIN PERFORM {sql};
               RAISE EXCEPTION 'no error from: %', $sqlq${sql}$sqlq$;
             EXCEPTION WHEN OTHERS THEN
               IF SQLSTATE <> '{sqlstate}' OR left(SQLERRM, {n}) <> $p${prefix}$p$ THEN
                 RAISE EXCEPTION 'expected {sqlstate} \"{prefix}...\", got % \"%\"', SQLSTATE, SQLERRM;
               END IF;
             END $t$",
            n = prefix.chars().count()
        );
        Spi::run(&block).expect("the call raises the expected error");
        assert!(!state::is_active(), "hypothetical indexes left active");
    }

    fn catalog_counts() -> (i64, i64) {
        (
            Spi::get_one::<i64>("SELECT count(*) FROM pg_class")
                .unwrap()
                .unwrap(),
            Spi::get_one::<i64>("SELECT count(*) FROM pg_index")
                .unwrap()
                .unwrap(),
        )
    }

    #[pg_test]
    fn hypo_selective_filter_uses_the_index() {
        make_table("h1");
        let q = "SELECT * FROM h1 WHERE a = 42";
        let (plan0, cost0, used0) = explain(q, &[]);
        assert!(plan0.contains("Seq Scan"), "{plan0}");
        assert!(used0.is_empty());
        let (plan, cost, used) = explain(q, &["CREATE INDEX ON h1 (a)"]);
        assert!(
            plan.contains("Index Scan using \"<sqlxos>h1_a_idx\" on h1")
                || plan.contains("Bitmap Index Scan on \"<sqlxos>h1_a_idx\""),
            "{plan}"
        );
        assert_eq!(used, vec!["h1_a_idx".to_string()]);
        assert!(cost * 20.0 < cost0, "with {cost}, without {cost0}");
        // Named indexes keep their name.
        let (plan, _, used) = explain(
            q,
            &["CREATE INDEX CONCURRENTLY IF NOT EXISTS my_idx ON ONLY h1 USING btree (a)"],
        );
        assert!(plan.contains("<sqlxos>my_idx"), "{plan}");
        assert_eq!(used, vec!["my_idx".to_string()]);
    }

    #[pg_test]
    fn hypo_two_columns_for_two_equalities() {
        make_table("h2");
        let q = "SELECT * FROM h2 WHERE b = 7 AND c = 3";
        let (_, cost_b, _) = explain(q, &["CREATE INDEX ON h2 (b)"]);
        let (plan, cost_bc, used) =
            explain(q, &["CREATE INDEX ON h2 (b)", "CREATE INDEX ON h2 (b, c)"]);
        assert_eq!(used, vec!["h2_b_c_idx".to_string()], "{plan}");
        assert!(cost_bc < cost_b, "(b, c) {cost_bc} vs (b) {cost_b}");
    }

    #[pg_test]
    fn hypo_include_gives_an_index_only_scan() {
        make_table("h3");
        // As after VACUUM (which cannot run in the test's transaction): all
        // pages all-visible, so index-only scans pay no heap visits.
        Spi::run("UPDATE pg_class SET relallvisible = relpages WHERE oid = 'h3'::regclass")
            .unwrap();
        let q = "SELECT b FROM h3 WHERE a = 42";
        let (plan, cost_inc, used) = explain(q, &["CREATE INDEX ON h3 (a) INCLUDE (b)"]);
        assert!(
            plan.contains("Index Only Scan using \"<sqlxos>h3_a_b_idx\""),
            "{plan}"
        );
        assert_eq!(used, vec!["h3_a_b_idx".to_string()]);
        let (plan, cost_a, _) = explain(q, &["CREATE INDEX ON h3 (a)"]);
        assert!(!plan.contains("Index Only Scan"), "{plan}");
        assert!(cost_inc < cost_a, "INCLUDE {cost_inc} vs plain {cost_a}");
    }

    #[pg_test]
    fn hypo_partial_index_only_when_implied() {
        make_table("h4");
        let idx = "CREATE INDEX ON h4 (a) WHERE c = 3";
        let (plan, _, used) = explain("SELECT * FROM h4 WHERE a = 43 AND c = 3", &[idx]);
        assert_eq!(used, vec!["h4_a_idx".to_string()], "{plan}");
        let (plan, _, used) = explain("SELECT * FROM h4 WHERE a = 43", &[idx]);
        assert!(used.is_empty(), "{plan}");
        // The partial index is about a tenth of the full one.
        let full = oracle::estimate_bytes(&spec("h4", &["a"], None)).unwrap();
        let part = oracle::estimate_bytes(&spec("h4", &["a"], Some("c = 3"))).unwrap();
        assert!(
            part * 5 < full && part * 20 > full,
            "partial {part}, full {full}"
        );
    }

    #[pg_test]
    fn hypo_order_by_limit_uses_the_index() {
        make_table("h5");
        let q = "SELECT * FROM h5 ORDER BY a LIMIT 10";
        let (_, cost0, _) = explain(q, &[]);
        let (plan, cost, used) = explain(q, &["CREATE INDEX ON h5 (a)"]);
        assert_eq!(used, vec!["h5_a_idx".to_string()], "{plan}");
        assert!(plan.contains("Limit"), "{plan}");
        assert!(cost * 10.0 < cost0, "{cost} vs {cost0}");
        // DESC keys are honoured: a backward-compatible order is free.
        let (plan, _, used) = explain(
            "SELECT * FROM h5 ORDER BY a DESC, b LIMIT 10",
            &["CREATE INDEX ON h5 (a DESC, b)"],
        );
        assert_eq!(used.len(), 1, "{plan}");
    }

    /// The size model against real btrees: unique keys, repeated keys
    /// (deduplicated: 10, 1,031 and 10,000 rows a key), two columns, INCLUDE
    /// (never deduplicated) and text.
    #[pg_test]
    fn hypo_size_estimate_matches_a_real_btree() {
        make_table("h6");
        let cases: &[(&[&str], &[&str])] = &[
            (&["id"], &[]),
            (&["a"], &[]),
            (&["b"], &[]),
            (&["c"], &[]),
            (&["c", "b"], &[]),
            (&["a"], &["b"]),
            (&["d"], &[]),
        ];
        for (i, (cols, include)) in cases.iter().enumerate() {
            let mut s = spec("h6", cols, None);
            s.include = include.iter().map(|c| c.to_string()).collect();
            let est = oracle::estimate_bytes(&s).unwrap();
            let mut ddl = format!("CREATE INDEX h6_real{i} ON h6 ({})", cols.join(", "));
            if !include.is_empty() {
                ddl.push_str(&format!(" INCLUDE ({})", include.join(", ")));
            }
            Spi::run(&ddl).unwrap();
            let real = Spi::get_one::<i64>(&format!("SELECT pg_relation_size('h6_real{i}')"))
                .unwrap()
                .unwrap() as u64;
            let ratio = est as f64 / real as f64;
            assert!(
                (0.75..1.25).contains(&ratio),
                "{ddl}: estimate {est}, real {real}"
            );
        }
    }

    #[pg_test]
    fn hypo_index_is_visible_nowhere_else() {
        make_table("h7");
        let before = catalog_counts();
        let q = "SELECT * FROM h7 WHERE a = 42";
        let (_, _, used) = explain(q, &["CREATE INDEX ON h7 (a)"]);
        assert_eq!(used.len(), 1);
        assert_eq!(catalog_counts(), before);
        assert!(!state::is_active());
        let plain = plain_explain(q);
        assert!(
            plain.contains("Seq Scan") && !plain.contains("sqlxos"),
            "{plain}"
        );
        // The query runs normally afterwards.
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM h7 WHERE a = 42").unwrap(),
            Some(10)
        );
    }

    /// Another session, and queries that a function runs while sqlxos
    /// plans (constant folding of an immutable function), never see the
    /// hypothetical index. The table is committed through dblink so the
    /// other session sees it (and left for the next run to replace: this
    /// transaction's lock would block a DROP from the other session).
    #[pg_test]
    fn hypo_inner_queries_and_other_sessions_do_not_see_it() {
        Spi::run("CREATE EXTENSION IF NOT EXISTS dblink").unwrap();
        Spi::run(
            "SELECT dblink_connect('hypo_other', format('dbname=%s port=%s host=%s',
                 current_database(), current_setting('port'),
                 split_part(current_setting('unix_socket_directories'), ',', 1)))",
        )
        .unwrap();
        Spi::run(
            "SELECT dblink_exec('hypo_other', $x$
               SET lock_timeout = '10s';
               DROP TABLE IF EXISTS hypo_shared;
               CREATE TABLE hypo_shared AS SELECT i AS id, i % 10000 AS a FROM generate_series(1, 100000) i;
               ANALYZE hypo_shared$x$)",
        )
        .unwrap();
        Spi::run(
            "CREATE FUNCTION hypo_probe() RETURNS int LANGUAGE plpgsql IMMUTABLE AS $f$
             DECLARE other text; n bigint;
             BEGIN
               -- Runs (and would be stopped by the guard if it used the index).
               SELECT count(*) INTO n FROM hypo_shared WHERE a = 42;
               SELECT string_agg(p, E'\\n') INTO other
                 FROM dblink('hypo_other', 'EXPLAIN SELECT * FROM hypo_shared WHERE a = 42') AS x(p text);
               PERFORM set_config('hypo_test.other', other, false);
               PERFORM set_config('hypo_test.inner_count', n::text, false);
               RETURN 1;
             END $f$",
        )
        .unwrap();
        let (plan, _, used) = explain(
            "SELECT * FROM hypo_shared WHERE a = 42 AND hypo_probe() = 1",
            &["CREATE INDEX ON hypo_shared (a)"],
        );
        let other = Spi::get_one::<String>("SELECT current_setting('hypo_test.other')")
            .unwrap()
            .unwrap();
        let inner = Spi::get_one::<String>("SELECT current_setting('hypo_test.inner_count')")
            .unwrap()
            .unwrap();
        Spi::run("SELECT dblink_disconnect('hypo_other')").unwrap();
        assert_eq!(used, vec!["hypo_shared_a_idx".to_string()], "{plan}");
        assert!(
            other.contains("Seq Scan") && !other.contains("sqlxos"),
            "{other}"
        );
        assert_eq!(inner, "10");
    }

    /// The executor guard itself: with hypothetical indexes forced on for
    /// every planner call (test-only switch), a real query's plan uses one
    /// and ExecutorStart refuses it.
    #[pg_test(error = "sqlxos: refusing to execute a plan that uses a hypothetical index")]
    fn hypo_guard_refuses_to_execute() {
        make_table("h8");
        let oid = state::fake_oids(1).unwrap()[0];
        let idx = ddl::parse("CREATE INDEX ON h8 (a)", "test", oid).unwrap();
        let _g = state::activate_everywhere_for_test(vec![idx]);
        Spi::get_one::<i64>("SELECT count(*) FROM h8 WHERE a = 42").unwrap();
    }

    #[pg_test]
    fn hypo_plan_uses_hypothetical_is_false_for_real_plans() {
        make_table("h9");
        let _ = explain("SELECT * FROM h9 WHERE a = 1", &["CREATE INDEX ON h9 (a)"]);
        Spi::run("CREATE INDEX h9_real ON h9 (a)").unwrap();
        // A real index scan runs fine after hypothetical planning.
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM h9 WHERE a = 42").unwrap(),
            Some(10)
        );
        // SAFETY: null is allowed.
        assert!(!unsafe { guard::plan_uses_hypothetical(std::ptr::null_mut()) });
    }

    #[pg_test]
    fn hypo_nothing_executes() {
        make_table("h10");
        Spi::run(
            "CREATE FUNCTION hypo_side_effect(int) RETURNS int LANGUAGE plpgsql VOLATILE AS $f$
             BEGIN PERFORM set_config('hypo_test.ran', 'yes', false); RETURN $1; END $f$;
             SELECT set_config('hypo_test.ran', 'no', false)",
        )
        .unwrap();
        let idx = ["CREATE INDEX ON h10 (a)"];
        for q in [
            "WITH d AS (DELETE FROM h10 WHERE a = 42 RETURNING *) SELECT count(*) FROM d",
            "DELETE FROM h10 WHERE a = 42",
            "UPDATE h10 SET b = -1 WHERE a = 42",
            "INSERT INTO h10 SELECT * FROM h10 WHERE a = 42",
            "SELECT hypo_side_effect(a) FROM h10 WHERE a = 42",
            "SELECT * FROM h10 WHERE a = 42 FOR UPDATE",
        ] {
            let (plan, _, used) = explain(q, &idx);
            assert_eq!(used, vec!["h10_a_idx".to_string()], "{q}: {plan}");
        }
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM h10").unwrap(),
            Some(100000)
        );
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM h10 WHERE b = -1").unwrap(),
            Some(0)
        );
        assert_eq!(
            Spi::get_one::<String>("SELECT current_setting('hypo_test.ran')")
                .unwrap()
                .as_deref(),
            Some("no")
        );
        // PREPARE/EXECUTE and EXPLAIN ANALYZE are not plannable statements.
        let ewi = |q: &str| {
            format!(
                "sqlxos.explain_with_indexes($q${q}$q$, {})",
                sql_array(&idx)
            )
        };
        Spi::run("PREPARE hypo_p AS SELECT count(*) FROM h10 WHERE a = 42").unwrap();
        assert_error(&ewi("EXECUTE hypo_p"), "22023", "query: ");
        assert_error(&ewi("PREPARE hypo_q AS SELECT 1"), "22023", "query: ");
        assert_error(
            &ewi("EXPLAIN ANALYZE SELECT * FROM h10 WHERE a = 42"),
            "22023",
            "query: ",
        );
        // A prepared statement planned afterwards runs with real indexes only.
        assert_eq!(Spi::get_one::<i64>("EXECUTE hypo_p").unwrap(), Some(10));
    }

    #[pg_test]
    fn hypo_generic_plan_for_parameters() {
        make_table("h11");
        let (plan, _, used) = explain(
            "SELECT * FROM h11 WHERE a = $1 AND b = $2",
            &["CREATE INDEX ON h11 (a)"],
        );
        assert_eq!(used, vec!["h11_a_idx".to_string()], "{plan}");
        assert!(plan.contains("$1"), "{plan}");
        let (cost, used) = oracle::plan_cost(
            "UPDATE h11 SET d = 'x' WHERE a = $1",
            &[spec("h11", &["b"], None), spec("h11", &["a"], None)],
            oracle::Cache::AsConfigured,
        )
        .unwrap();
        assert_eq!(used, vec![1]);
        let (cost0, _) = oracle::plan_cost(
            "UPDATE h11 SET d = 'x' WHERE a = $1",
            &[],
            oracle::Cache::AsConfigured,
        )
        .unwrap();
        assert!(cost * 20.0 < cost0, "{cost} vs {cost0}");
    }

    #[pg_test]
    fn hypo_oracle_errors_are_results() {
        make_table("h12");
        let e = oracle::plan_cost(
            "SELECT * FROM no_such_table",
            &[],
            oracle::Cache::AsConfigured,
        )
        .unwrap_err();
        assert_eq!(e.sqlstate(), PgSqlErrorCode::ERRCODE_UNDEFINED_TABLE, "{e}");
        let e = oracle::plan_cost(
            "SELECT * FROM h12",
            &[spec("h12", &["nope"], None)],
            oracle::Cache::Uncached,
        )
        .unwrap_err();
        assert_eq!(
            e.sqlstate(),
            PgSqlErrorCode::ERRCODE_UNDEFINED_COLUMN,
            "{e}"
        );
        // An injection attempt in the predicate breaks the grammar.
        let e = oracle::estimate_bytes(&spec("h12", &["a"], Some("a > 0) ; DROP TABLE h12; --")))
            .unwrap_err();
        assert_eq!(e.sqlstate(), PgSqlErrorCode::ERRCODE_SYNTAX_ERROR, "{e}");
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM h12").unwrap(),
            Some(100000)
        );
        // The transaction goes on, and so does planning.
        let (_, used) = oracle::plan_cost(
            "SELECT * FROM h12 WHERE a = 1",
            &[spec("h12", &["a"], None)],
            oracle::Cache::Uncached,
        )
        .unwrap();
        assert_eq!(used, vec![0]);
        assert!(!state::is_active());
    }

    #[pg_test]
    fn hypo_oracle_restores_effective_cache_size() {
        make_table("h15");
        Spi::run("SET effective_cache_size = '100GB'").unwrap();
        let show = || Spi::get_one::<String>("SHOW effective_cache_size").unwrap();
        for cache in [oracle::Cache::Uncached, oracle::Cache::AsConfigured] {
            oracle::plan_cost(
                "SELECT * FROM h15 WHERE a = 1",
                &[spec("h15", &["a"], None)],
                cache,
            )
            .unwrap();
            assert_eq!(show().as_deref(), Some("100GB"));
            // Also when PostgreSQL raises an ERROR while planning.
            oracle::plan_cost("SELECT * FROM h15 WHERE nope = 1", &[], cache).unwrap_err();
            assert_eq!(show().as_deref(), Some("100GB"));
        }
    }

    #[pg_test]
    fn hypo_bad_input_gives_clear_errors() {
        make_table("h13");
        let q = "SELECT * FROM h13 WHERE a = 42";
        let call =
            |query: &str, ddl: &str| format!("sqlxos.explain_with_indexes($q${query}$q$, {ddl})");
        let arr = |d: &[&str]| sql_array(d);
        assert_error(
            &call(q, "ARRAY['CREATE INDEX ON h13 (a)', NULL]"),
            "22023",
            "index_ddl[2]: must not be NULL",
        );
        assert_error(&call(q, &arr(&["  "])), "22023", "index_ddl[1]: is empty");
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 (a)", "garbage here"])),
            "42601",
            "index_ddl[2]: syntax error",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 (a); DROP TABLE h13"])),
            "22023",
            "index_ddl[1]: expected one CREATE INDEX",
        );
        assert_error(
            &call(q, &arr(&["DROP TABLE h13"])),
            "22023",
            "index_ddl[1]: expected a CREATE INDEX",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON no_such (a)"])),
            "42P01",
            "index_ddl[1]: relation \"no_such\"",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 (nope)"])),
            "42703",
            "index_ddl[1]: column \"nope\"",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 (a) WHERE nope > 1"])),
            "42703",
            "index_ddl[1]: column \"nope\"",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 ((a + 1))"])),
            "22023",
            "index_ddl[1]: expression indexes are not supported yet",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 USING hash (a)"])),
            "22023",
            "index_ddl[1]: only btree",
        );
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13 (a) WHERE random() > 0.5"])),
            "22023",
            "index_ddl[1]: functions in an index predicate",
        );
        assert_error(
            &call(
                q,
                &arr(&["CREATE INDEX ON h13 (a) WITH (deduplicate_items = off)"]),
            ),
            "22023",
            "index_ddl[1]: storage parameter",
        );
        Spi::run("CREATE VIEW h13_v AS SELECT * FROM h13").unwrap();
        assert_error(
            &call(q, &arr(&["CREATE INDEX ON h13_v (a)"])),
            "22023",
            "index_ddl[1]: \"h13_v\" is not a table",
        );
        // The query argument.
        assert_error(
            &call("SELECT 1; DROP TABLE h13", "'{}'"),
            "22023",
            "query: expected exactly one",
        );
        assert_error(&call("", "'{}'"), "22023", "query: is empty");
        assert_error(
            &call("DROP TABLE h13", "'{}'"),
            "22023",
            "query: expected a SELECT",
        );
        assert_error(
            &call("CREATE TABLE x (a int)", "'{}'"),
            "22023",
            "query: expected a SELECT",
        );
        assert_error(
            &call("SELECT * INTO h13_copy FROM h13", "'{}'"),
            "22023",
            "query: SELECT INTO",
        );
        assert_error(&call("SELEC 1", "'{}'"), "42601", "query: syntax error");
        assert_error(
            &call("SELECT * FROM no_such", "'{}'"),
            "42P01",
            "query: relation \"no_such\"",
        );
        assert_error(
            "sqlxos.explain_with_indexes(repeat('x', 1024 * 1024))",
            "42601",
            "query: syntax error",
        );
        // 1 MB of query that parses: a long IN list.
        let n = Spi::get_one::<i64>(
            "SELECT count(*) FROM sqlxos.explain_with_indexes(
               'SELECT * FROM h13 WHERE a IN (' || (SELECT string_agg(g::text, ',') FROM generate_series(1, 150000) g) || ')',
               ARRAY['CREATE INDEX ON h13 (a)'])",
        )
        .unwrap();
        assert_eq!(n, Some(1));
        // NULL arguments: no rows (strict).
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM sqlxos.explain_with_indexes(NULL, NULL)")
                .unwrap(),
            Some(0)
        );
        // Still usable, nothing left active.
        assert!(!state::is_active());
        let plain = plain_explain(q);
        assert!(!plain.contains("sqlxos"), "{plain}");
        let (_, _, used) = explain(q, &["CREATE INDEX ON h13 (a)"]);
        assert_eq!(used.len(), 1);
    }

    #[pg_test]
    fn hypo_cannot_nest() {
        make_table("h14");
        Spi::run(
            "CREATE FUNCTION hypo_nest() RETURNS int LANGUAGE sql IMMUTABLE AS $f$
               SELECT count(*)::int FROM sqlxos.explain_with_indexes('SELECT 1') $f$",
        )
        .unwrap();
        assert_error(
            "sqlxos.explain_with_indexes('SELECT * FROM h14 WHERE a = hypo_nest()', ARRAY['CREATE INDEX ON h14 (a)'])",
            "22023",
            "query: sqlxos cannot plan",
        );
    }

    #[pg_test]
    fn hypo_function_is_volatile_strict_parallel_unsafe() {
        let ok = Spi::get_one::<bool>(
            "SELECT provolatile = 'v' AND proisstrict AND proparallel = 'u'
             FROM pg_proc WHERE oid = 'sqlxos.explain_with_indexes(text, text[])'::regprocedure",
        )
        .unwrap();
        assert_eq!(ok, Some(true));
    }

    fn spec(table: &str, cols: &[&str], predicate: Option<&str>) -> oracle::HypoSpec {
        oracle::HypoSpec {
            table: table.into(),
            columns: cols.iter().map(|c| c.to_string()).collect(),
            include: vec![],
            predicate: predicate.map(str::to_owned),
        }
    }
}
