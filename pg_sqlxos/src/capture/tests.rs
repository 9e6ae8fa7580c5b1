//! Tests of the workload capture in a real backend, with sqlxos preloaded
//! between pg_stat_statements and hypopg (see `pg_test` in lib.rs) and
//! `sqlxos.max_queries = 500`. Each test starts with `sqlxos.reset()`; the
//! statements of a test run nested in its `SELECT tests.<name>()`.

#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    /// Serializes the capture tests (cargo runs tests in parallel, each in
    /// its own backend, and they share the workload), then empties it.
    fn reset() {
        Spi::run("SELECT pg_advisory_xact_lock(7010); SELECT sqlxos.reset()").unwrap();
    }

    /// The captured entry whose text is `like`, as (calls, query, rows,
    /// cancelled, failed, predicates joined by '|').
    fn entry(like: &str) -> Option<(i64, String, i64, i64, i64, String)> {
        Spi::connect(|c| {
            let t = c
                .select(
                    "SELECT calls, query, rows, cancelled, failed, array_to_string(predicates, '|')
                     FROM sqlxos.workload WHERE query LIKE $1 ORDER BY calls DESC LIMIT 1",
                    None,
                    &[like.into()],
                )
                .unwrap();
            t.into_iter().next().map(|r| {
                (
                    r.get::<i64>(1).unwrap().unwrap(),
                    r.get::<String>(2).unwrap().unwrap(),
                    r.get::<i64>(3).unwrap().unwrap(),
                    r.get::<i64>(4).unwrap().unwrap(),
                    r.get::<i64>(5).unwrap().unwrap(),
                    r.get::<String>(6).unwrap().unwrap_or_default(),
                )
            })
        })
    }

    fn preds(like: &str) -> String {
        entry(like)
            .map(|e| e.5)
            .unwrap_or_else(|| panic!("no entry like {like}"))
    }

    fn count(like: &str) -> i64 {
        Spi::get_one_with_args::<i64>(
            "SELECT count(*) FROM sqlxos.workload WHERE query LIKE $1",
            &[like.into()],
        )
        .unwrap()
        .unwrap()
    }

    fn small_table() {
        Spi::run(
            "CREATE TABLE public.capt_small AS SELECT g AS a, 'v' || g AS b FROM generate_series(1, 100) g",
        )
        .unwrap();
    }

    /// Two 100k-row tables: capt_o (orders-like) and capt_l (lines-like).
    fn big_tables() {
        Spi::run(
            "CREATE TABLE public.capt_o AS
               SELECT g AS id, g % 5000 AS cust, date '2020-01-01' + g % 1000 AS d,
                      g % 10 AS grp, g % 1000 AS x
               FROM generate_series(1, 100000) g;
             CREATE TABLE public.capt_l AS
               SELECT g AS lid, g % 100000 + 1 AS oid_ref, g % 997 AS y
               FROM generate_series(1, 100000) g;
             ANALYZE public.capt_o; ANALYZE public.capt_l;
             SET max_parallel_workers_per_gather = 0;",
        )
        .unwrap();
    }

    #[pg_test]
    fn capture_counts_calls_with_normalized_text() {
        small_table();
        reset();
        for i in 1..=3 {
            Spi::run(&format!("SELECT * FROM capt_small WHERE a = {i}")).unwrap();
        }
        let (calls, query, rows, cancelled, failed, p) =
            entry("%FROM capt_small WHERE a =%").unwrap();
        assert_eq!(calls, 3);
        assert_eq!(query, "SELECT * FROM capt_small WHERE a = $1");
        assert_eq!(rows, 3);
        assert_eq!((cancelled, failed), (0, 0));
        assert_eq!(p, "public.capt_small.a =");
        let sane = Spi::get_one::<bool>(
            "SELECT min_ms >= 0 AND min_ms <= mean_ms AND mean_ms <= max_ms AND stddev_ms >= 0
                    AND abs(total_ms - 3 * mean_ms) < 0.001 AND dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                    AND jsonb_typeof(plan_summary) = 'array' AND plan_summary->0->>'node' = 'SeqScan'
                    AND (plan_summary->0->>'actual_rows')::float8 = 1
             FROM sqlxos.workload WHERE query = 'SELECT * FROM capt_small WHERE a = $1'",
        )
        .unwrap();
        assert_eq!(sane, Some(true));
    }

    #[pg_test]
    fn constants_of_every_kind_become_parameters() {
        small_table();
        reset();
        Spi::run(
            "SELECT a, -1.5e3, E'it\\'s', $$dollar$$, true, x'1f', b'01', date '2024-01-02'
             FROM capt_small WHERE b IN ('v1', 'v2') AND a > -3",
        )
        .unwrap();
        let (_, q, ..) = entry("%FROM capt_small WHERE b IN%").unwrap();
        assert_eq!(
            q,
            "SELECT a, $1, $2, $3, $4, $5, $6, date $7\n             FROM capt_small WHERE b IN ($8, $9) AND a > $10"
        );
    }

    #[pg_test]
    fn predicates_come_from_the_executed_plan() {
        big_tables();
        reset();
        Spi::run("SELECT * FROM capt_o WHERE cust = 42").unwrap();
        assert_eq!(preds("%WHERE cust = $1"), "public.capt_o.cust =");

        Spi::run("SELECT count(*) FROM capt_o WHERE d BETWEEN '2020-02-01' AND '2020-03-01'")
            .unwrap();
        assert_eq!(preds("%WHERE d BETWEEN%"), "public.capt_o.d range");

        Spi::run("SELECT count(*) FROM capt_o o JOIN capt_l l ON l.oid_ref = o.id WHERE l.y = 5")
            .unwrap();
        let p = preds("%JOIN capt_l l ON%");
        assert!(p.contains("public.capt_o.id = join"), "{p}");
        assert!(p.contains("public.capt_l.oid_ref = join"), "{p}");
        assert!(p.contains("public.capt_l.y ="), "{p}");

        Spi::run(
            "SELECT count(*) FROM capt_o o
             WHERE o.id < 20 AND o.x > (SELECT avg(y) FROM capt_l l WHERE l.oid_ref = o.id)",
        )
        .unwrap();
        let p = preds("%(SELECT avg(y) FROM capt_l%");
        assert!(p.contains("public.capt_l.oid_ref = join"), "{p}");
        assert!(p.contains("public.capt_o.id = join"), "{p}");
        assert!(p.contains("public.capt_o.id range"), "{p}");

        Spi::run("SELECT * FROM capt_o ORDER BY d DESC LIMIT 10").unwrap();
        assert_eq!(preds("%ORDER BY d DESC LIMIT%"), "public.capt_o.d sort");

        Spi::run("SELECT grp, count(*) FROM capt_o GROUP BY grp").unwrap();
        assert_eq!(preds("%GROUP BY grp%"), "public.capt_o.grp group");

        Spi::run("SELECT count(*) FROM capt_o WHERE cust IN (1, 2, 3) OR x IS NULL").unwrap();
        let p = preds("%WHERE cust IN%");
        assert!(p.contains("public.capt_o.cust in"), "{p}");
        assert!(p.contains("public.capt_o.x is null"), "{p}");

        // The advisor's Rust view: names resolved with the catalog.
        // SAFETY: MyDatabaseId is set for the life of the backend.
        let db = unsafe { pg_sys::MyDatabaseId };
        let q = crate::capture::snapshot(db)
            .into_iter()
            .find(|q| q.query.ends_with("WHERE cust = $1"))
            .unwrap();
        assert_eq!(q.calls, 1);
        assert_eq!(
            (
                q.predicates[0].table.as_str(),
                q.predicates[0].column.as_str(),
                q.predicates[0].op
            ),
            ("capt_o", "cust", "=")
        );
    }

    /// The cancelled statement runs in another backend (dblink), where
    /// statement_timeout can fire; this backend then reads the workload.
    #[pg_test]
    fn cancelled_statement_is_recorded_with_its_time() {
        reset();
        Spi::run(
            "CREATE EXTENSION IF NOT EXISTS dblink;
             SELECT dblink_connect('capt', format('host=127.0.0.1 port=%s dbname=%s',
                                   current_setting('port'), current_database()));
             SELECT dblink_exec('capt', 'SET statement_timeout = ''100ms''');",
        )
        .unwrap();
        Spi::run(
            // fail_on_error = false: the remote ERROR comes back as a NOTICE.
            "SELECT * FROM dblink('capt', 'SELECT pg_sleep(1.5)', false) AS t(x text)",
        )
        .unwrap();
        Spi::run("SELECT dblink_disconnect('capt')").unwrap();
        let ok = Spi::get_one::<bool>(
            "SELECT calls = 1 AND cancelled = 1 AND failed = 0 AND max_ms BETWEEN 80 AND 1000
             FROM sqlxos.workload WHERE query = 'SELECT pg_sleep($1)'",
        )
        .unwrap();
        assert_eq!(ok, Some(true));
    }

    #[pg_test]
    fn failed_statement_is_recorded_and_the_error_reaches_the_user() {
        small_table();
        reset();
        Spi::run(
            "DO $$ BEGIN
               PERFORM 1 / (a - a) FROM capt_small;
             EXCEPTION WHEN division_by_zero THEN NULL;
             END $$",
        )
        .unwrap();
        let (calls, _, _, cancelled, failed, _) = entry("%1 / (a - a) FROM capt_small%").unwrap();
        assert_eq!((calls, cancelled, failed), (1, 0, 1));
    }

    #[pg_test]
    fn capture_off_and_sample_rate_zero_record_nothing_and_reset_empties() {
        small_table();
        reset();
        Spi::run("SET sqlxos.capture = off").unwrap();
        Spi::run("SELECT * FROM capt_small WHERE a = 1").unwrap();
        Spi::run("SET sqlxos.capture = on; SET sqlxos.sample_rate = 0").unwrap();
        Spi::run("SELECT * FROM capt_small WHERE a = 2").unwrap();
        Spi::run("SET sqlxos.sample_rate = 1").unwrap();
        let seen = Spi::get_one::<String>(
            "SELECT string_agg(query || ' x' || calls, ' | ') FROM sqlxos.workload WHERE query LIKE '%capt_small WHERE a =%'",
        )
        .unwrap();
        assert_eq!(seen, None);
        Spi::run("SELECT * FROM capt_small WHERE a = 3").unwrap();
        assert_eq!(count("%capt_small WHERE a =%"), 1);
        reset();
        assert_eq!(count("%capt_small%"), 0);
    }

    /// 1500 distinct statements (ARRAY lengths differ, so do query ids;
    /// most texts are longer than the 2 KB kept) against max_queries = 500.
    #[pg_test]
    fn eviction_keeps_the_workload_bounded() {
        reset();
        Spi::run(
            "DO $$ BEGIN
               FOR i IN 1..1500 LOOP
                 EXECUTE 'SELECT cardinality(ARRAY[' || rtrim(repeat('1,', i), ',') || '])';
               END LOOP;
             END $$",
        )
        .unwrap();
        let n = Spi::get_one::<i64>("SELECT count(*) FROM sqlxos.workload")
            .unwrap()
            .unwrap();
        assert!(n > 0 && n <= 500, "{n} entries");
        assert!(crate::capture::shmem::evictions() > 0);
        let long = Spi::get_one::<bool>(
            "SELECT bool_and(octet_length(query) <= 2048)
                    AND bool_or(query LIKE '%/* sqlxos: truncated */')
             FROM sqlxos.workload WHERE query LIKE 'SELECT cardinality%'",
        )
        .unwrap();
        assert_eq!(long, Some(true));
        assert_eq!(Spi::get_one::<i32>("SELECT 1").unwrap(), Some(1));
    }

    /// The backend's resident memory, in kB (VmRSS of /proc/self/status).
    fn rss_kb() -> i64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    }

    /// Issue 10: bounded memory under 100,000 distinct statements. The
    /// shared entries stay within max_queries (500 here), and the backend's
    /// own memory (texts waiting for their first execution, the cache of
    /// known statements) does not grow with the number of statements seen:
    /// the last 90,000 add less than 8 MB of resident memory to what the
    /// first 10,000 took (one entry per statement would be over 100 MB).
    #[pg_test]
    fn memory_stays_bounded_under_100000_distinct_statements() {
        reset();
        // Statement i is `SELECT 1+1-1...` with the 17 bits of i spelled
        // as + or -: a distinct query id each (the operators differ, the
        // constants do not count), in a short text.
        let run = |from: i64, to: i64| {
            Spi::run(&format!(
                "DO $$ BEGIN
                   FOR i IN {from}..{to} LOOP
                     EXECUTE 'SELECT 1' || (SELECT string_agg(CASE WHEN (i >> b) & 1 = 1
                                                    THEN '+1' ELSE '-1' END, '' ORDER BY b)
                                              FROM generate_series(0, 16) b);
                   END LOOP;
                 END $$"
            ))
            .unwrap();
        };
        run(1, 10_000);
        let after_10k = rss_kb();
        run(10_001, 100_000);
        let after_100k = rss_kb();
        let n = Spi::get_one::<i64>("SELECT count(*) FROM sqlxos.workload")
            .unwrap()
            .unwrap();
        assert!(n > 0 && n <= 500, "{n} entries");
        assert!(crate::capture::shmem::evictions() > 0);
        // Each statement had its own entry for a while: distinct ids.
        let distinct = Spi::get_one::<i64>(
            "SELECT count(DISTINCT queryid) FROM sqlxos.workload WHERE query LIKE 'SELECT $1%'",
        )
        .unwrap()
        .unwrap();
        assert!(distinct > 400, "{distinct} distinct statements kept");
        assert!(
            after_100k - after_10k < 8 * 1024,
            "resident memory grew from {after_10k} kB to {after_100k} kB"
        );
        assert_eq!(crate::capture::failures(), 0);
    }

    #[pg_test]
    fn pg_stat_statements_sees_the_same_calls() {
        small_table();
        Spi::run("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").unwrap();
        Spi::run("SELECT pg_stat_statements_reset()").unwrap();
        reset();
        for i in 1..=3 {
            Spi::run(&format!("SELECT b FROM capt_small WHERE a = {i}")).unwrap();
        }
        let pgss = Spi::get_one::<i64>(
            "SELECT sum(calls)::bigint FROM pg_stat_statements
             WHERE query = 'SELECT b FROM capt_small WHERE a = $1'",
        )
        .unwrap();
        assert_eq!(pgss, Some(3));
        let same_id = Spi::get_one::<bool>(
            "SELECT w.calls = 3 AND w.queryid IN (SELECT queryid FROM pg_stat_statements)
             FROM sqlxos.workload w WHERE w.query = 'SELECT b FROM capt_small WHERE a = $1'",
        )
        .unwrap();
        assert_eq!(same_id, Some(true));
    }

    /// The time of an execution comes from the executor hooks' own clock.
    #[pg_test]
    fn executions_are_timed_by_the_executor_hooks() {
        reset();
        Spi::run("SELECT pg_sleep(0.05)").unwrap();
        Spi::run("SELECT pg_sleep(0.02)").unwrap();
        let ok = Spi::get_one::<bool>(
            "SELECT calls = 2 AND min_ms >= 20 AND max_ms >= 50 AND max_ms < 5000
                    AND total_ms >= 70
             FROM sqlxos.workload WHERE query = 'SELECT pg_sleep($1)'",
        )
        .unwrap();
        assert_eq!(ok, Some(true));
    }

    /// A backend remembers which statements have an entry (to skip the
    /// shared lock and the normalization); a reset, or an eviction, makes
    /// it forget: the statement run again gets a new, normalized entry.
    #[pg_test]
    fn a_statement_known_before_a_reset_is_normalized_again_after_it() {
        small_table();
        reset();
        Spi::run("SELECT b FROM capt_small WHERE a = 1 AND a < 7").unwrap();
        Spi::run("SELECT b FROM capt_small WHERE a = 2 AND a < 8").unwrap();
        assert_eq!(entry("SELECT b FROM capt_small WHERE a = %").unwrap().0, 2);
        Spi::run("SELECT sqlxos.reset()").unwrap();
        Spi::run("SELECT b FROM capt_small WHERE a = 3 AND a < 9").unwrap();
        let (calls, q, ..) = entry("SELECT b FROM capt_small WHERE a = %").unwrap();
        assert_eq!(
            (calls, q.as_str()),
            (1, "SELECT b FROM capt_small WHERE a = $1 AND a < $2")
        );
    }

    /// Capture follows the extension: nothing is recorded in a database
    /// without it, and a backend's cached answer changes as soon as the
    /// extension is created or dropped there, by itself or by another
    /// backend. Over dblink: `capt_adm` creates a scratch database,
    /// `capt_ext` creates and drops the extension in it, `capt_db` runs
    /// the probes there.
    #[pg_test]
    fn capture_starts_and_stops_with_the_extension_in_the_database() {
        reset();
        let conn = |name: &str, db: &str| {
            format!(
                "SELECT dblink_connect('{name}', format('host=127.0.0.1 port=%s dbname=%s',
                                       current_setting('port'), {db}))"
            )
        };
        Spi::run("CREATE EXTENSION IF NOT EXISTS dblink").unwrap();
        Spi::run(&conn("capt_adm", "current_database()")).unwrap();
        Spi::run(
            "SELECT dblink_exec('capt_adm', 'DROP DATABASE IF EXISTS capt_noext WITH (FORCE)');
             SELECT dblink_exec('capt_adm', 'CREATE DATABASE capt_noext')",
        )
        .unwrap();
        Spi::run(&conn("capt_ext", "'capt_noext'")).unwrap();
        Spi::run(&conn("capt_db", "'capt_noext'")).unwrap();
        let db =
            Spi::get_one::<pg_sys::Oid>("SELECT oid FROM pg_database WHERE datname = 'capt_noext'")
                .unwrap()
                .unwrap();
        let probe = |sql: &str| {
            Spi::run(&format!(
                "SELECT * FROM dblink('capt_db', '{sql}') AS t(x int)"
            ))
            .unwrap();
        };
        let texts = || {
            let mut t: Vec<String> = crate::capture::shmem::read(|k| k.dbid == db)
                .into_iter()
                .map(|e| {
                    crate::capture::normalize::split_sample(&e.text)
                        .0
                        .to_owned()
                })
                .filter(|t| t.contains("capt_probe"))
                .collect();
            t.sort();
            t
        };
        // No extension: nothing, and the answer is cached in capt_db.
        probe("SELECT 1 AS capt_probe");
        probe("SELECT 1 AS capt_probe");
        assert_eq!(texts(), Vec::<String>::new());
        // Created by another backend: capt_db records from its next statement.
        Spi::run("SELECT dblink_exec('capt_ext', 'CREATE EXTENSION sqlxos')").unwrap();
        probe("SELECT 1 + 1 AS capt_probe");
        assert_eq!(texts(), vec!["SELECT $1 + $2 AS capt_probe".to_string()]);
        // Dropped by another backend: capt_db stops.
        Spi::run("SELECT dblink_exec('capt_ext', 'DROP EXTENSION sqlxos')").unwrap();
        probe("SELECT 1 + 1 + 1 AS capt_probe");
        assert_eq!(texts(), vec!["SELECT $1 + $2 AS capt_probe".to_string()]);
        // Created and dropped by capt_db itself.
        Spi::run("SELECT dblink_exec('capt_db', 'CREATE EXTENSION sqlxos')").unwrap();
        probe("SELECT 2 * 3 AS capt_probe");
        Spi::run("SELECT dblink_exec('capt_db', 'DROP EXTENSION sqlxos')").unwrap();
        probe("SELECT 2 * 3 * 4 AS capt_probe");
        assert_eq!(
            texts(),
            vec![
                "SELECT $1 * $2 AS capt_probe".to_string(),
                "SELECT $1 + $2 AS capt_probe".to_string()
            ]
        );
        Spi::run(
            "SELECT dblink_disconnect('capt_db'); SELECT dblink_disconnect('capt_ext');
             SELECT dblink_exec('capt_adm', 'DROP DATABASE capt_noext WITH (FORCE)');
             SELECT dblink_disconnect('capt_adm')",
        )
        .unwrap();
        crate::capture::shmem::reset(db);
    }

    #[pg_test]
    fn capture_never_breaks_user_statements() {
        small_table();
        reset();
        // Utility statements, a huge statement, prepared statements,
        // statements in functions, cursors, EXPLAIN.
        Spi::run("CREATE INDEX ON capt_small (a); ANALYZE capt_small; SET work_mem = '8MB'")
            .unwrap();
        let huge = format!(
            "SELECT count(*) FROM capt_small WHERE b NOT IN ({})",
            (0..20000)
                .map(|i| format!("'x{i}'"))
                .collect::<Vec<_>>()
                .join(",")
        );
        assert_eq!(Spi::get_one::<i64>(&huge).unwrap(), Some(100));
        Spi::run("PREPARE capt_p(int) AS SELECT b FROM capt_small WHERE a = $1").unwrap();
        for i in 1..=3 {
            Spi::run(&format!("EXECUTE capt_p({i})")).unwrap();
        }
        assert!(entry("%capt_small WHERE a = $1%").unwrap().0 >= 3);
        Spi::run(
            "CREATE FUNCTION public.capt_f(n int) RETURNS bigint LANGUAGE plpgsql AS $$
             DECLARE s bigint := 0; BEGIN
               FOR i IN 1..n LOOP s := s + (SELECT count(*) FROM capt_small WHERE a <= i); END LOOP;
               RETURN s; END $$",
        )
        .unwrap();
        assert_eq!(
            Spi::get_one::<i64>("SELECT public.capt_f(5)").unwrap(),
            Some(15)
        );
        assert_eq!(entry("%FROM capt_small WHERE a <= i%").unwrap().0, 5);
        Spi::run(
            "DECLARE capt_c CURSOR FOR SELECT * FROM capt_small ORDER BY a;
             FETCH 10 FROM capt_c; FETCH 10 FROM capt_c; CLOSE capt_c;
             EXPLAIN SELECT * FROM capt_small WHERE a = 1;
             EXPLAIN ANALYZE SELECT * FROM capt_small WHERE a = 1;",
        )
        .unwrap();
        // A cursor runs once per fetch: rows add up over the runs.
        Spi::run(
            "DO $$ DECLARE r record; n int := 0; BEGIN
               FOR r IN SELECT * FROM capt_small ORDER BY b LOOP n := n + 1; END LOOP;
             END $$",
        )
        .unwrap();
        assert_eq!(entry("SELECT * FROM capt_small ORDER BY b").unwrap().2, 100);
        // Errors in user statements are the users' own.
        Spi::run(
            "DO $$ BEGIN PERFORM * FROM capt_no_such_table;
             EXCEPTION WHEN undefined_table THEN NULL; END $$",
        )
        .unwrap();
        assert_eq!(crate::capture::failures(), 0);
    }
}
