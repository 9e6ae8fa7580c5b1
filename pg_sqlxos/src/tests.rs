//! Tests that need a PostgreSQL backend: types, overloads, volatility,
//! SQLSTATEs and the GUCs. Values are checked across all three engines by
//! the sqllogictest files under `tests/slt/`.

#[pgrx::pg_schema]
mod tests {
    use pgrx::prelude::*;

    fn one(sql: &str) -> Option<String> {
        Spi::get_one::<String>(sql).expect("query runs")
    }

    /// Runs `sql` and asserts it fails with SQLSTATE 22023 (caught in PL/pgSQL,
    /// so any other error, or none, fails the test).
    fn assert_invalid_parameter(sql: &str) {
        let block = format!(
            "DO $t$ BEGIN PERFORM {sql}; RAISE EXCEPTION 'no error from: %', $q${sql}$q$; \
             EXCEPTION WHEN invalid_parameter_value THEN NULL; END $t$"
        );
        Spi::run(&block).expect("the call raises SQLSTATE 22023");
    }

    #[pg_test]
    fn mask_inner_manual_example() {
        assert_eq!(
            one("SELECT sqlxos.mask_inner('This is a string', 5, 1)").as_deref(),
            Some("This XXXXXXXXXXg")
        );
        assert_eq!(
            one("SELECT sqlxos.mask_inner('This is a string', 1, 5, '#')").as_deref(),
            Some("T##########tring")
        );
    }

    #[pg_test]
    fn masking_counts_characters_not_bytes() {
        assert_eq!(
            one("SELECT sqlxos.mask_inner('héllo wörld', 1, 1, '•')").as_deref(),
            Some("h•••••••••d")
        );
    }

    #[pg_test]
    fn null_in_gives_null_out() {
        assert_eq!(one("SELECT sqlxos.mask_inner(NULL, 1, 1)"), None);
        assert_eq!(one("SELECT sqlxos.mask_inner('abc', NULL, 1)"), None);
        assert_eq!(one("SELECT sqlxos.mask_email(NULL)"), None);
        assert_eq!(one("SELECT sqlxos.pseudonymize('x', NULL)"), None);
    }

    #[pg_test]
    fn bad_arguments_raise_22023_and_name_the_argument() {
        assert_invalid_parameter("sqlxos.mask_inner('abc', -1, 0)");
        assert_invalid_parameter("sqlxos.mask_outer('abc', 0, -2)");
        assert_invalid_parameter("sqlxos.mask_inner('abc', 1, 1, 'XY')");
        assert_invalid_parameter("sqlxos.pseudonymize('abc', '')");
        assert_invalid_parameter("sqlxos.noise(10, 2.0)");
        assert_invalid_parameter("sqlxos.generalize(10, 0)");
        assert_invalid_parameter("sqlxos.generalize(date '2024-05-17', 'fortnight')");
    }

    #[pg_test(error = "mask_inner(): argument \"margin1\" must be >= 0, got '-1'")]
    fn error_text_is_the_cores() {
        Spi::run("SELECT sqlxos.mask_inner('abc', -1, 0)").unwrap();
    }

    #[pg_test(error = "pseudonymize(): argument \"salt\" must not be empty")]
    fn error_values_off_keeps_values_out_of_messages() {
        Spi::run("SET sqlxos.error_values = off").unwrap();
        Spi::run("SELECT sqlxos.pseudonymize('alice@example.com', '')").unwrap();
    }

    #[pg_test(error = "invalid configuration parameter name \"sqlxos.no_such_setting\"")]
    fn guc_prefix_is_reserved() {
        // A typo in a sqlxos setting is an error, not a silent placeholder.
        Spi::run("SET sqlxos.no_such_setting = 1").unwrap();
    }

    #[pg_test]
    fn functions_live_in_schema_sqlxos_with_stated_volatility() {
        let wrong = Spi::get_one::<i64>(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'sqlxos'
               AND ((p.proname LIKE 'mask\\_%' AND (p.provolatile <> 'i' OR NOT p.proisstrict OR p.proparallel <> 's'))
                 OR (p.proname LIKE 'gen\\_%' AND p.provolatile <> 'v'))",
        )
        .unwrap();
        assert_eq!(wrong, Some(0));
    }

    #[pg_test]
    fn generalize_dates_and_timestamps() {
        assert_eq!(
            one("SELECT sqlxos.generalize(date '2024-05-17', 'month')::text").as_deref(),
            Some("2024-05-01")
        );
        assert_eq!(
            one("SELECT sqlxos.generalize(timestamp '2024-05-17 13:45:12.5', 'hour')::text")
                .as_deref(),
            Some("2024-05-17 13:00:00")
        );
        assert_eq!(
            one("SELECT sqlxos.generalize(date 'infinity', 'year')::text").as_deref(),
            Some("infinity")
        );
        // DateStyle does not matter: fields are read, not printed.
        Spi::run("SET DateStyle = 'SQL, DMY'").unwrap();
        assert_eq!(
            one("SELECT to_char(sqlxos.generalize(date '2024-05-17', 'year'), 'YYYY-MM-DD')")
                .as_deref(),
            Some("2024-01-01")
        );
    }

    #[pg_test]
    fn generators_are_volatile_and_valid() {
        let distinct = Spi::get_one::<i64>(
            "SELECT count(DISTINCT sqlxos.gen_rnd_uuid()) FROM generate_series(1, 100)",
        )
        .unwrap();
        assert_eq!(distinct, Some(100));
        let in_range = Spi::get_one::<bool>(
            "SELECT bool_and(v BETWEEN 5 AND 7) FROM (SELECT sqlxos.gen_range(5, 7) v FROM generate_series(1, 200)) s",
        )
        .unwrap();
        assert_eq!(in_range, Some(true));
    }

    #[pg_test]
    fn masking_works_in_parallel_query_and_index() {
        Spi::run("CREATE TABLE people AS SELECT g AS id, 'user' || g || '@example.com' AS email FROM generate_series(1, 1000) g").unwrap();
        Spi::run("CREATE INDEX ON people (sqlxos.mask_email(email))").unwrap();
        let n = Spi::get_one::<i64>(
            "SELECT count(DISTINCT sqlxos.pseudonymize(email, 'k')) FROM people",
        )
        .unwrap();
        assert_eq!(n, Some(1000));
    }

    #[pg_test]
    fn version_matches_the_crate() {
        assert_eq!(
            one("SELECT sqlxos.version()").as_deref(),
            Some(sqlxos_core::VERSION)
        );
    }

    /// Every text-taking function on empty, huge (4 MB), control-character,
    /// SQL-ish and multi-byte input: a value, NULL or SQLSTATE 22023, never
    /// another error and never a crash of the backend.
    #[pg_test]
    fn hostile_input_gives_a_value_or_22023() {
        Spi::run(
            r#"
            DO $t$
            DECLARE
                inputs text[] := ARRAY[
                    '', ' ', repeat('a', 4 * 1024 * 1024), repeat('é', 100000),
                    E'\t\n\r\x01\x7f', '''; DROP TABLE x; --', '🦀🦀🦀', '@', '@@@', '----',
                    '4539 1488 0343 6467', 'IE12 BOFI 9000 0112 3456 78', '909-63-6922'];
                calls text[] := ARRAY[
                    'mask_inner(%L, 1, 1)', 'mask_outer(%L, 2, 2)', 'mask_pan(%L)', 'mask_pan_relaxed(%L)',
                    'mask_ssn(%L)', 'mask_iban(%L)', 'mask_uk_nin(%L)', 'mask_canada_sin(%L)', 'mask_uuid(%L)',
                    'mask_email(%L)', 'mask_phone(%L)', 'pseudonymize(%L, %L)', 'pseudonymize_email(%L, ''k'')',
                    'generalize(%L, ''month'')', 'generalize(''2024-01-01'', %L)', 'mask_inner(''abc'', 1, 1, %L)',
                    'gen_rnd_iban(%L)', 'gen_rnd_email(3, 3, %L)'];
                i text; c text; r text; ok int := 0; rejected int := 0;
            BEGIN
                FOREACH c IN ARRAY calls LOOP
                    FOREACH i IN ARRAY inputs LOOP
                        BEGIN
                            EXECUTE 'SELECT sqlxos.' || format(c, i, i) INTO r;
                            ok := ok + 1;
                        EXCEPTION WHEN invalid_parameter_value THEN
                            rejected := rejected + 1;
                        END;
                    END LOOP;
                END LOOP;
                IF ok = 0 OR rejected = 0 THEN
                    RAISE EXCEPTION 'expected both values and rejections, got % and %', ok, rejected;
                END IF;
            END
            $t$"#,
        )
        .expect("only values or SQLSTATE 22023");
        // The backend is still alive and answers.
        assert_eq!(
            one("SELECT sqlxos.mask_inner('still here', 1, 1)").as_deref(),
            Some("sXXXXXXXXe")
        );
    }

    /// A 4 MB value is masked in full, character for character.
    #[pg_test]
    fn huge_values_are_masked_whole() {
        let n = Spi::get_one::<i64>(
            "SELECT length(sqlxos.mask_inner(repeat('ab', 2 * 1024 * 1024), 1, 1))::bigint",
        )
        .unwrap();
        assert_eq!(n, Some(4 * 1024 * 1024));
    }

    /// index_health finds exact duplicates, leading-prefix redundancy and
    /// unused indexes, never proposes dropping one that backs a constraint,
    /// and gives a DROP statement that works.
    #[pg_test]
    fn index_health_finds_duplicates_prefixes_and_unused() {
        Spi::run(
            "CREATE TABLE ih (id int PRIMARY KEY, a int, b int, c text UNIQUE);
             INSERT INTO ih SELECT g, g % 100, g % 7, 'x' || g FROM generate_series(1, 5000) g;
             CREATE INDEX ih_a ON ih (a);
             CREATE INDEX ih_a_again ON ih (a);
             CREATE INDEX ih_a_b ON ih (a, b);
             CREATE INDEX ih_b ON ih (b);
             CREATE INDEX ih_b_incl ON ih (b) INCLUDE (c);
             CREATE INDEX ih_id ON ih (id);
             CREATE INDEX ih_part ON ih (a) WHERE b > 3;",
        )
        .unwrap();
        let found = |problem: &str| -> Vec<String> {
            Spi::connect(|c| {
                c.select(
                    "SELECT index_name::text FROM sqlxos.index_health() WHERE table_name = 'ih' AND problem = $1 ORDER BY 1",
                    None,
                    &[problem.into()],
                )
                .unwrap()
                .map(|r| r.get::<String>(1).unwrap().unwrap())
                .collect()
            })
        };
        assert_eq!(found("duplicate"), ["ih_a_again", "ih_id"]);
        assert_eq!(found("redundant_prefix"), ["ih_a", "ih_a_again", "ih_b"]);
        // Constraint-backing indexes are never proposed, whatever their scans.
        let protected = Spi::get_one::<i64>(
            "SELECT count(*) FROM sqlxos.index_health() WHERE index_name IN ('ih_pkey', 'ih_c_key')",
        )
        .unwrap();
        assert_eq!(protected, Some(0));
        // The DROP statement is valid SQL naming the index (run without
        // CONCURRENTLY, which cannot run inside the test's transaction).
        let ddl = Spi::get_one::<String>(
            "SELECT drop_ddl FROM sqlxos.index_health() WHERE index_name = 'ih_id' AND problem = 'duplicate'",
        )
        .unwrap()
        .unwrap();
        assert_eq!(ddl, "DROP INDEX CONCURRENTLY public.ih_id;");
        Spi::run(&ddl.replace(" CONCURRENTLY", "")).unwrap();
        assert!(!found("duplicate").contains(&"ih_id".to_string()));
    }
}
