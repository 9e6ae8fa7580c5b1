-- sqlite3 CLI cases for the sqlxos extension. run.sh loads the extension with
-- `.load <target>/release/libsqlxos` (default entry point) and compares
-- stdout with cli_expected.out and stderr with cli_expected.err, line by line
-- ("near line N" is normalised away). One case per output line:
-- `<case>|<result>`.
.bail off
.mode list
.separator |
.nullvalue NULL
.headers off

-- mask_inner: the MySQL manual's examples
SELECT 'inner_mysql_5_1', sqlxos_mask_inner('This is a string', 5, 1);
SELECT 'inner_mysql_1_5', sqlxos_mask_inner('This is a string', 1, 5);
SELECT 'inner_mysql_char', sqlxos_mask_inner('This is a string', 1, 5, '*');
-- margins covering the string leave it unchanged (MySQL's rule)
SELECT 'inner_cover', sqlxos_mask_inner('abc', 2, 2);
SELECT 'inner_cover_exact', sqlxos_mask_inner('abcd', 2, 2);
SELECT 'inner_all', sqlxos_mask_inner('abc', 0, 0);
SELECT 'inner_empty', '[' || sqlxos_mask_inner('', 0, 0) || ']';

-- the MySQL manual's examples of the other masking functions
SELECT 'outer_mysql_5_1', sqlxos_mask_outer('This is a string', 5, 1);
SELECT 'outer_mysql_1_5', sqlxos_mask_outer('This is a string', 1, 5);
SELECT 'pan', sqlxos_mask_pan('4111111111111111');
SELECT 'pan_relaxed', sqlxos_mask_pan_relaxed('4111111111111111');
SELECT 'ssn', sqlxos_mask_ssn('909-63-6922');
SELECT 'iban', sqlxos_mask_iban('IE12 BOFI 9000 0112 3456 78');
SELECT 'uk_nin', sqlxos_mask_uk_nin('QQ 12 34 56 C');
SELECT 'canada_sin', sqlxos_mask_canada_sin('046-454-286');
SELECT 'uuid', sqlxos_mask_uuid('123e4567-e89b-12d3-a456-426614174000');
SELECT 'gen_range_empty', sqlxos_gen_range(10, 1);
SELECT 'pan_of_generated', sqlxos_mask_pan(sqlxos_gen_rnd_pan()) GLOB 'XXXXXXXXXXXX[0-9][0-9][0-9][0-9]';
SELECT 'ssn_of_generated', sqlxos_mask_ssn(sqlxos_gen_rnd_ssn()) GLOB '***-**-[0-9][0-9][0-9][0-9]';
-- sqlxos's own
SELECT 'email', sqlxos_mask_email('john.doe@example.com');
SELECT 'phone', sqlxos_mask_phone('+1 (555) 123-4567');
SELECT 'pseudonymize', sqlxos_pseudonymize('value', 'salt');
SELECT 'generalize', sqlxos_generalize(42, 10), sqlxos_generalize('2024-05-17', 'month');
SELECT 'noise_typeof', typeof(sqlxos_noise(100, 0.1)), typeof(sqlxos_noise(100.0, 0.1)), typeof(sqlxos_noise('100', 0.1));

-- Unicode: characters, not bytes
SELECT 'inner_polish', sqlxos_mask_inner('Zażółć gęślą jaźń', 2, 2);
SELECT 'inner_cjk', sqlxos_mask_inner('東京都千代田区', 1, 1, '＊');
SELECT 'inner_emoji_char', sqlxos_mask_inner('secret', 1, 1, '🔒');
SELECT 'inner_emoji_str', sqlxos_mask_inner('😀😃😄😁😆', 1, 1);
SELECT 'inner_length', length(sqlxos_mask_inner('ąęółżźćń', 1, 1)), length(CAST(sqlxos_mask_inner('ąęółżźćń', 1, 1) AS BLOB));

-- NULL in, NULL out (any argument)
SELECT 'null_str', sqlxos_mask_inner(NULL, 1, 1);
SELECT 'null_margin1', sqlxos_mask_inner('abc', NULL, 1);
SELECT 'null_margin2', sqlxos_mask_inner('abc', 1, NULL);
SELECT 'null_char', sqlxos_mask_inner('abc', 0, 0, NULL);
SELECT 'null_beats_bad_arg', sqlxos_mask_inner(NULL, -1, 1);
SELECT 'null_beats_bad_blob', sqlxos_mask_inner(X'FF', NULL, 1);
SELECT 'typeof', typeof(sqlxos_mask_inner('abc', 0, 0)), typeof(sqlxos_mask_inner(NULL, 0, 0));

-- coercions: numbers as text, numeric text and integral reals as margins,
-- a UTF-8 BLOB as text
SELECT 'coerce_int_str', sqlxos_mask_inner(1234567890, 2, 2);
SELECT 'coerce_real_str', sqlxos_mask_inner(2.5, 0, 1);
SELECT 'coerce_text_margin', sqlxos_mask_inner('abcdef', '1', ' 2 ');
SELECT 'coerce_real_margin', sqlxos_mask_inner('abcdef', 1.0, 2);
SELECT 'coerce_blob', sqlxos_mask_inner(X'616263646566', 1, 1);
SELECT 'coerce_utf8_blob', sqlxos_mask_inner(CAST('żółw' AS BLOB), 1, 1);

-- over a table, in WHERE, and in an expression index
CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT);
INSERT INTO people(name) VALUES ('Alice Smith'), ('Bob'), (NULL), ('Łukasz Żak');
SELECT 'table', id, sqlxos_mask_inner(name, 1, 1) FROM people ORDER BY id;
CREATE INDEX people_masked ON people(sqlxos_mask_inner(name, 1, 1));
SELECT 'index_lookup', id FROM people WHERE sqlxos_mask_inner(name, 1, 1) = 'ŁXXXXXXXXk';
SELECT 'index_integrity', integrity_check FROM pragma_integrity_check;
CREATE TABLE cards(num TEXT, masked TEXT GENERATED ALWAYS AS (sqlxos_mask_inner(num, 0, 4)) STORED);
INSERT INTO cards(num) VALUES ('4111111111111111');
SELECT 'generated_column', masked FROM cards;

-- errors: the message is the core's text, unchanged
SELECT 'err_margin', sqlxos_mask_inner('abc', -1, 1);
SELECT 'err_margin2', sqlxos_mask_inner('abc', 1, -5);
SELECT 'err_too_few', sqlxos_mask_inner('abc');
SELECT 'err_too_many', sqlxos_mask_inner('abc', 1, 1, 'X', 'extra');
SELECT 'err_mask_char', sqlxos_mask_inner('abc', 0, 0, 'ab');
SELECT 'err_mask_char_empty', sqlxos_mask_inner('abc', 0, 0, '');
SELECT 'err_not_int', sqlxos_mask_inner('abc', 'one', 0);
SELECT 'err_real_margin', sqlxos_mask_inner('abc', 1.5, 0);
SELECT 'err_blob', sqlxos_mask_inner(X'FFFE', 0, 0);
SELECT 'err_bad_text', sqlxos_mask_inner(CAST(X'C3' AS TEXT), 0, 0);
SELECT 'err_pan_short', sqlxos_mask_pan('a*Z');
SELECT 'err_version_arity', sqlxos_version(1);
SELECT 'err_generator_in_index', 1; CREATE INDEX bad ON people(sqlxos_gen_rnd_uuid());
-- only sqlxos_ names: no MySQL alias in SQLite's single namespace
SELECT 'err_no_alias', mask_inner('abc', 0, 0);
SELECT 'after_errors', 'still running';
