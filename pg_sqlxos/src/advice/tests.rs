//! Tests of the index advice in a real backend on generated 100k-row
//! tables: the cases of issue 10, the options, the errors, and that nothing
//! is ever created.

#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    /// (table_name, columns, index_ddl, reason) of each proposed index.
    type Advice = Vec<(String, String, Option<String>, String)>;

    fn rows(sql: &str) -> Advice {
        Spi::connect(|c| {
            c.select(
                &format!("SELECT table_name, columns, index_ddl, reason FROM ({sql}) s"),
                None,
                &[],
            )
            .unwrap()
            .into_iter()
            .map(|r| {
                (
                    r.get::<String>(1).unwrap().unwrap(),
                    r.get::<String>(2).unwrap().unwrap(),
                    r.get::<String>(3).unwrap(),
                    r.get::<String>(4).unwrap().unwrap(),
                )
            })
            .collect()
        })
    }

    fn advise(query: &str) -> Advice {
        rows(&format!(
            "SELECT * FROM sqlxos.suggest_indexes_for({})",
            quote(query)
        ))
    }

    fn quote(s: &str) -> String {
        format!("'{}'", s.replace('\'', "''"))
    }

    fn setup() {
        Spi::run(
            "SET max_parallel_workers_per_gather = 0;
             CREATE TABLE public.adv_o AS
               SELECT g AS id, g % 5000 AS cust, date '2020-01-01' + g % 1000 AS d,
                      g % 100 AS a, g % 101 AS b, g % 2 AS flag, md5(g::text) AS note
                 FROM generate_series(1, 100000) g;
             ALTER TABLE public.adv_o ADD PRIMARY KEY (id);
             CREATE TABLE public.adv_l AS
               SELECT g AS lid, g % 100000 + 1 AS oid_ref, g % 997 AS y
                 FROM generate_series(1, 100000) g;
             CREATE TABLE public.adv_tiny AS SELECT g AS a, g AS b FROM generate_series(1, 100) g;
             ANALYZE public.adv_o; ANALYZE public.adv_l; ANALYZE public.adv_tiny;",
        )
        .unwrap();
    }

    fn index_count(table: &str) -> i64 {
        Spi::get_one_with_args::<i64>(
            "SELECT count(*) FROM pg_index WHERE indrelid = $1::regclass",
            &[table.into()],
        )
        .unwrap()
        .unwrap()
    }

    #[pg_test]
    fn selective_filter_gets_an_index_whose_ddl_works() {
        setup();
        let before = index_count("public.adv_o");
        let a = advise("SELECT * FROM adv_o WHERE cust = 42");
        assert_eq!(a.len(), 1, "{a:?}");
        let (table, cols, ddl, reason) = &a[0];
        assert_eq!((table.as_str(), cols.as_str()), ("adv_o", "cust"));
        let ddl = ddl.as_deref().unwrap();
        assert!(
            ddl.starts_with(
                "CREATE INDEX CONCURRENTLY sqlxos_adv_o_cust_idx ON public.adv_o (cust)"
            ),
            "{ddl}"
        );
        assert!(reason.contains("cust (equality)"), "{reason}");
        // Nothing was created by the advice itself.
        assert_eq!(index_count("public.adv_o"), before);
        // The DDL builds (CONCURRENTLY cannot run in the test's transaction)
        // and the planner then uses the index.
        Spi::run(&ddl.replace("CONCURRENTLY ", "")).unwrap();
        Spi::run("ANALYZE public.adv_o").unwrap();
        let used = Spi::get_one::<bool>(
            "SELECT bool_or(plan LIKE '%sqlxos_adv_o_cust_idx%')
               FROM sqlxos.explain_with_indexes('SELECT * FROM adv_o WHERE cust = 42')",
        )
        .unwrap()
        .unwrap();
        assert!(used);
        // Once built, the advice for the same query is empty.
        assert_eq!(advise("SELECT * FROM adv_o WHERE cust = 42"), vec![]);
    }

    #[pg_test]
    fn already_indexed_or_leading_the_primary_key_gets_none() {
        setup();
        Spi::run("CREATE INDEX ON public.adv_o (cust)").unwrap();
        Spi::run(
            "CREATE TABLE public.adv_pk AS
               SELECT g % 1000 AS k1, g / 1000 AS k2, g AS v FROM generate_series(1, 100000) g;
             ALTER TABLE public.adv_pk ADD PRIMARY KEY (k1, k2);
             ANALYZE public.adv_pk; ANALYZE public.adv_o;",
        )
        .unwrap();
        assert_eq!(advise("SELECT * FROM adv_o WHERE cust = $1"), vec![]);
        assert_eq!(advise("SELECT * FROM adv_o WHERE id = 5"), vec![]);
        assert_eq!(advise("SELECT v FROM adv_pk WHERE k1 = 7"), vec![]);
    }

    #[pg_test]
    fn two_equalities_get_one_two_column_index() {
        setup();
        let a = advise("SELECT * FROM adv_o WHERE a = $1 AND b = $2");
        assert_eq!(a.len(), 1, "{a:?}");
        assert!(a[0].1 == "a, b" || a[0].1 == "b, a", "{a:?}");
    }

    #[pg_test]
    fn join_and_correlated_subquery_columns() {
        setup();
        let a = advise("SELECT * FROM adv_o o JOIN adv_l l ON l.oid_ref = o.id WHERE o.cust = 42");
        assert!(
            a.iter()
                .any(|r| r.0 == "adv_l" && r.1.starts_with("oid_ref")),
            "{a:?}"
        );
        let a = advise(
            "SELECT * FROM adv_o o WHERE o.cust = 42
               AND EXISTS (SELECT 1 FROM adv_l l WHERE l.oid_ref = o.id AND l.y > 500)",
        );
        assert!(
            a.iter()
                .any(|r| r.0 == "adv_l" && r.1.starts_with("oid_ref")),
            "{a:?}"
        );
    }

    #[pg_test]
    fn order_by_limit_gets_an_index_on_the_sort_key() {
        setup();
        let a = advise("SELECT * FROM adv_o ORDER BY d DESC LIMIT 10");
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!((a[0].0.as_str(), a[0].1.as_str()), ("adv_o", "d"));
        assert!(a[0].3.contains("sorts by d"), "{a:?}");
    }

    #[pg_test]
    fn tiny_table_and_unselective_filter_get_none() {
        setup();
        assert_eq!(advise("SELECT * FROM adv_tiny WHERE a = 5"), vec![]);
        // flag has 2 values: an index would read half the table in random
        // order; the planner prices that above the scan.
        assert_eq!(advise("SELECT * FROM adv_o WHERE flag = 1"), vec![]);
        let r = rows(
            "SELECT * FROM sqlxos.suggest_indexes_for('SELECT * FROM adv_tiny WHERE a = 5', include_rejected => true)",
        );
        assert!(r.iter().all(|x| x.2.is_none()));
        assert!(
            r.iter().any(|x| x.3.contains("rows")),
            "a rejected candidate says the table is small: {r:?}"
        );
    }

    #[pg_test]
    fn budgets_and_threshold() {
        setup();
        let q = "SELECT * FROM adv_o o JOIN adv_l l ON l.oid_ref = o.id WHERE o.cust = 42";
        let all = advise(q);
        assert!(all.len() >= 2, "{all:?}");
        let one = rows(&format!(
            "SELECT * FROM sqlxos.suggest_indexes_for({}, max_indexes => 1)",
            quote(q)
        ));
        assert_eq!(one.len(), 1);
        let none = rows(&format!(
            "SELECT * FROM sqlxos.suggest_indexes_for({}, max_bytes => 8192, include_rejected => true)",
            quote(q)
        ));
        assert!(none.iter().all(|x| x.2.is_none()), "{none:?}");
        assert!(none.iter().any(|x| x.3.contains("size budget")), "{none:?}");
        let strict = rows(&format!(
            "SELECT * FROM sqlxos.suggest_indexes_for({}, min_improvement_pct => 100)",
            quote(q)
        ));
        assert_eq!(strict, vec![]);
    }

    /// An index whose saving rests on repeated lookups the planner assumes
    /// cached: 1,000 probes for 10 rows each, scattered over a 1M-row
    /// table, priced 12% cheaper than a hash join as configured and not
    /// used at all with nothing cached. It is refused, saying why; the same
    /// index for a single lookup is proposed.
    #[pg_test]
    fn a_saving_that_rests_on_cached_lookups_is_refused() {
        Spi::run(
            "SET max_parallel_workers_per_gather = 0;
             SET effective_cache_size = '4GB';
             CREATE TABLE public.adv_ra (id int PRIMARY KEY, grp int, x int);
             CREATE TABLE public.adv_rb (id int PRIMARY KEY, y int, v int);
             INSERT INTO public.adv_ra
               SELECT g, g % 100, (hashint4(g) & 1073741823) % 100000
                 FROM generate_series(1, 100000) g;
             INSERT INTO public.adv_rb
               SELECT g, (hashint4(g + 7) & 1073741823) % 100000, g
                 FROM generate_series(1, 1000000) g;
             -- Statistics from every row, so that the plans do not move
             -- with ANALYZE's random sample.
             ALTER TABLE public.adv_ra ALTER COLUMN x SET STATISTICS 10000;
             ALTER TABLE public.adv_ra ALTER COLUMN grp SET STATISTICS 10000;
             ALTER TABLE public.adv_rb ALTER COLUMN y SET STATISTICS 10000;
             ANALYZE public.adv_ra; ANALYZE public.adv_rb;",
        )
        .unwrap();
        let q = "SELECT sum(b.v) FROM adv_ra a JOIN adv_rb b ON b.y = a.x WHERE a.grp < 1";
        let cost = |sql: &str| {
            Spi::get_one::<f64>(&format!(
                "SELECT total_cost FROM sqlxos.explain_with_indexes({}, ARRAY[{}]::text[])",
                quote(q),
                sql
            ))
            .unwrap()
            .unwrap()
        };
        let ddl = quote("CREATE INDEX ON adv_rb (y)");
        // The premise: a saving as configured, mostly gone without cache.
        let (before, after) = (cost(""), cost(&ddl));
        // (a saving over the 5% an index must bring to be proposed at all)
        assert!(after < 0.9 * before, "{before} -> {after}");
        Spi::run("SET effective_cache_size = '8kB'").unwrap();
        let (lean_before, lean_after) = (cost(""), cost(&ddl));
        assert!(
            lean_after > 0.99 * lean_before,
            "{lean_before} -> {lean_after}"
        );
        Spi::run("SET effective_cache_size = '4GB'").unwrap();

        let r = rows(&format!(
            "SELECT * FROM sqlxos.suggest_indexes_for({}, include_rejected => true)",
            quote(q)
        ));
        let y: Vec<_> = r.iter().filter(|x| x.0 == "adv_rb" && x.1 == "y").collect();
        assert_eq!(y.len(), 1, "{r:?}");
        assert!(y[0].2.is_none(), "proposed: {r:?}");
        assert!(
            y[0].3
                .contains("the engine rates its plan for query the statement risky"),
            "{}",
            y[0].3
        );
        // The advice leaves the setting as it was.
        assert_eq!(
            Spi::get_one::<String>("SHOW effective_cache_size")
                .unwrap()
                .as_deref(),
            Some("4GB")
        );
        // One lookup does not rest on the cache: proposed.
        let one = advise("SELECT v FROM adv_rb WHERE y = 4242");
        assert!(
            one.iter()
                .any(|x| x.0 == "adv_rb" && x.1 == "y" && x.2.is_some()),
            "{one:?}"
        );
    }

    /// The workload form: captured statements, weighted by calls, with the
    /// writes of the workload charged to the table's indexes.
    #[pg_test]
    fn workload_advice_names_the_queries_and_penalizes_writes() {
        Spi::run("SELECT pg_advisory_xact_lock(7010); SELECT sqlxos.reset()").unwrap();
        setup();
        Spi::run(
            "CREATE TABLE public.adv_w AS
               SELECT g AS id, g % 5000 AS k, g AS v FROM generate_series(1, 100000) g;
             ANALYZE public.adv_w;",
        )
        .unwrap();
        for i in 0..5 {
            Spi::run(&format!("SELECT count(*) FROM adv_o WHERE cust = {i}")).unwrap();
            Spi::run(&format!("SELECT count(*) FROM adv_w WHERE k = {i}")).unwrap();
        }
        let w = rows("SELECT * FROM sqlxos.suggest_indexes()");
        assert!(w.iter().any(|r| r.0 == "adv_o" && r.1 == "cust"), "{w:?}");
        assert!(w.iter().any(|r| r.0 == "adv_w" && r.1 == "k"), "{w:?}");
        let ids = Spi::get_one::<bool>(
            "SELECT bool_and(EXISTS (SELECT 1 FROM sqlxos.workload w
                                     WHERE w.queryid = ANY(s.queryids) AND w.query LIKE '%cust%'))
               FROM sqlxos.suggest_indexes() s WHERE s.table_name = 'adv_o'",
        )
        .unwrap()
        .unwrap();
        assert!(ids, "queryids name the captured statements");
        // Now the workload writes adv_w heavily: its index is no longer worth it.
        for _ in 0..4 {
            Spi::run("UPDATE adv_w SET v = v + 1").unwrap();
        }
        // A size budget instead of "bytes must pay for themselves": the
        // four UPDATEs take most of the workload's time, so whether the
        // 1 MB adv_o index pays for its bytes depends on timings (2.2% of
        // the time for 2.5% of the size in one run); not what this tests.
        let w = rows(
            "SELECT * FROM sqlxos.suggest_indexes(max_bytes => 1000000000, include_rejected => true)",
        );
        assert!(w.iter().any(|r| r.0 == "adv_o" && r.2.is_some()), "{w:?}");
        assert!(
            !w.iter().any(|r| r.0 == "adv_w" && r.2.is_some()),
            "a write-heavy table gets no index: {w:?}"
        );
        assert!(
            w.iter()
                .any(|r| r.0 == "adv_w" && r.1 == "k" && r.3.contains("maintenance")),
            "{w:?}"
        );
    }

    /// A normalized text PostgreSQL cannot plan (`extract($1 FROM d)`) is
    /// planned with the constants of its first execution.
    #[pg_test]
    fn workload_statements_are_planned_with_their_constants() {
        Spi::run("SELECT pg_advisory_xact_lock(7010); SELECT sqlxos.reset()").unwrap();
        setup();
        Spi::run(
            "SELECT extract(year FROM d), count(*) FROM adv_o
              WHERE cust = 42 AND d > date '2020-01-01' GROUP BY 1",
        )
        .unwrap();
        let text = Spi::get_one::<String>(
            "SELECT query FROM sqlxos.workload WHERE query LIKE '%extract%adv_o%'",
        )
        .unwrap()
        .unwrap();
        assert!(text.contains("extract($1 FROM d)"), "{text}");
        assert!(
            !text.contains("2020"),
            "the view shows no constants: {text}"
        );
        let w = rows("SELECT * FROM sqlxos.suggest_indexes()");
        assert!(
            w.iter().any(|r| r.0 == "adv_o" && r.1.starts_with("cust")),
            "{w:?}"
        );
        let shown = Spi::get_one::<String>(
            "SELECT array_to_string(queries, ' ') FROM sqlxos.suggest_indexes() WHERE table_name = 'adv_o'",
        )
        .unwrap()
        .unwrap();
        assert!(
            shown.contains("extract($1 FROM d)") && !shown.contains("2020"),
            "{shown}"
        );
    }

    #[pg_test]
    fn bad_arguments_are_named_and_change_nothing() {
        setup();
        let before = index_count("public.adv_o");
        let cases: &[(&str, &str)] = &[
            (
                "suggest_indexes_for(NULL)",
                "argument \"query\" must be one SQL statement, got NULL",
            ),
            (
                "suggest_indexes_for('   ')",
                "argument \"query\" must be one SQL statement",
            ),
            ("suggest_indexes_for('SELEC * FROM adv_o')", "query"),
            ("suggest_indexes_for('SELECT 1; DROP TABLE adv_o')", "query"),
            ("suggest_indexes_for('CREATE TABLE adv_x (a int)')", "query"),
            (
                "suggest_indexes_for('SELECT * FROM no_such_table WHERE a = 1')",
                "no_such_table",
            ),
            (
                "suggest_indexes_for('SELECT 1', max_indexes => 0)",
                "argument \"max_indexes\" must be between 1 and 100, got 0",
            ),
            (
                "suggest_indexes_for('SELECT 1', max_bytes => -1)",
                "argument \"max_bytes\" must be > 0",
            ),
            (
                "suggest_indexes_for('SELECT 1', min_improvement_pct => 101)",
                "argument \"min_improvement_pct\"",
            ),
            (
                "suggest_indexes(max_indexes => 1000)",
                "argument \"max_indexes\"",
            ),
        ];
        for (call, want) in cases {
            let sql = format!(
                "DO $$ BEGIN PERFORM * FROM sqlxos.{call}; RAISE EXCEPTION 'no error';
                 EXCEPTION WHEN OTHERS THEN
                   IF SQLERRM = 'no error' OR position({} in SQLERRM) = 0 THEN
                     RAISE EXCEPTION 'wrong error for %: %', {}, SQLERRM;
                   END IF;
                 END $$",
                quote(want),
                quote(call)
            );
            Spi::run(&sql).unwrap_or_else(|e| panic!("{call}: {e}"));
        }
        assert_eq!(index_count("public.adv_o"), before);
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM adv_o").unwrap(),
            Some(100000),
            "the hostile statement dropped nothing"
        );
        assert!(
            Spi::get_one::<bool>("SELECT to_regclass('public.adv_x') IS NULL")
                .unwrap()
                .unwrap()
        );
    }

    #[pg_test]
    fn huge_and_odd_statements_are_answered_or_refused_cleanly() {
        setup();
        let huge_garbage = "x".repeat(1 << 20);
        let huge_in = format!(
            "SELECT * FROM adv_o WHERE cust IN ({})",
            (0..20000)
                .map(|i| i.to_string())
                .collect::<Vec<_>>()
                .join(",")
        );
        for q in [
            huge_garbage.as_str(),
            huge_in.as_str(),
            "SELECT * FROM adv_o WHERE note = E'\\x01\\x02' AND cust = 1",
            "SELECT * FROM \"adv_o\" WHERE \"cust\" = 1 -- trailing comment",
            "SELECT 'ünïcödé ✓', * FROM adv_o WHERE cust = 1",
            "WITH x AS (SELECT * FROM adv_o WHERE cust = 1) SELECT * FROM x",
            "SELECT * FROM adv_o WHERE cust = 1 FOR UPDATE",
            "DELETE FROM adv_o WHERE cust = 1",
            "UPDATE adv_o SET note = 'x' WHERE cust = 1",
        ] {
            let sql = format!(
                "DO $$ BEGIN PERFORM * FROM sqlxos.suggest_indexes_for({});
                 EXCEPTION WHEN syntax_error OR invalid_parameter_value OR program_limit_exceeded
                           OR feature_not_supported THEN NULL; END $$",
                quote(q)
            );
            Spi::run(&sql).unwrap_or_else(|e| panic!("{}: {e}", &q[..q.len().min(60)]));
        }
        // The DML above was planned, never run.
        assert_eq!(
            Spi::get_one::<i64>("SELECT count(*) FROM adv_o WHERE note = 'x' OR cust = 1").unwrap(),
            Some(20)
        );
        // Writes get advice for the rows they look for.
        let a = advise("DELETE FROM adv_o WHERE cust = 1");
        assert!(a.iter().any(|r| r.1 == "cust"), "{a:?}");
    }
}
