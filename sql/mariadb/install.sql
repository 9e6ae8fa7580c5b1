-- sqlxos for MariaDB: creates every function of the plugin.
--
-- @generated from sqlxos_core::functions::all() by mysql_plugin/src/scripts.rs.
-- Do not edit; regenerate with: SQLXOS_BLESS=1 cargo test -p sqlxos-mysql scripts
--
-- First copy the built libsqlxos_mysql.so into the server's plugin_dir
-- (SELECT @@plugin_dir) as sqlxos.so, then: mariadb < install.sql
-- Running it again, e.g. after an upgrade, updates the functions in place.
--
-- STRING functions return binary strings (as every MariaDB UDF does);
-- CONVERT(... USING utf8mb4) gives text with a collation.

-- sqlxos_<name>: always (re)created.

-- version(): Returns the version of sqlxos.
CREATE OR REPLACE FUNCTION sqlxos_version RETURNS STRING SONAME 'sqlxos.so';

-- mask_inner(str, margin1, margin2 [, mask_char]): Masks the interior of a string, keeping margin1 characters on the left and margin2 on the right.
CREATE OR REPLACE FUNCTION sqlxos_mask_inner RETURNS STRING SONAME 'sqlxos.so';

-- mask_outer(str, margin1, margin2 [, mask_char]): Masks margin1 characters on the left and margin2 on the right of a string, keeping the interior.
CREATE OR REPLACE FUNCTION sqlxos_mask_outer RETURNS STRING SONAME 'sqlxos.so';

-- mask_pan(str [, mask_char]): Masks a payment card number except its last four digits.
CREATE OR REPLACE FUNCTION sqlxos_mask_pan RETURNS STRING SONAME 'sqlxos.so';

-- mask_pan_relaxed(str [, mask_char]): Masks a payment card number except its first six and last four digits.
CREATE OR REPLACE FUNCTION sqlxos_mask_pan_relaxed RETURNS STRING SONAME 'sqlxos.so';

-- mask_ssn(str [, mask_char]): Masks a US Social Security Number except its last four digits.
CREATE OR REPLACE FUNCTION sqlxos_mask_ssn RETURNS STRING SONAME 'sqlxos.so';

-- mask_iban(str [, mask_char]): Masks an IBAN except its two-letter country code.
CREATE OR REPLACE FUNCTION sqlxos_mask_iban RETURNS STRING SONAME 'sqlxos.so';

-- mask_uk_nin(str [, mask_char]): Masks a UK National Insurance Number except its two-letter prefix.
CREATE OR REPLACE FUNCTION sqlxos_mask_uk_nin RETURNS STRING SONAME 'sqlxos.so';

-- mask_canada_sin(str [, mask_char]): Masks every digit of a Canada Social Insurance Number.
CREATE OR REPLACE FUNCTION sqlxos_mask_canada_sin RETURNS STRING SONAME 'sqlxos.so';

-- mask_uuid(str [, mask_char]): Masks every hexadecimal digit of a UUID.
CREATE OR REPLACE FUNCTION sqlxos_mask_uuid RETURNS STRING SONAME 'sqlxos.so';

-- gen_range(lower, upper): Returns a random integer from lower to upper inclusive, or NULL if upper < lower.
CREATE OR REPLACE FUNCTION sqlxos_gen_range RETURNS INTEGER SONAME 'sqlxos.so';

-- gen_rnd_email([name_size, surname_size, domain]): Returns a random email address name.surname@domain (default domain example.com).
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_email RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_pan([size]): Returns a random Luhn-valid payment card number with an issuer prefix no card network uses.
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_pan RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_iban([country, size]): Returns a random IBAN with valid check digits (default country ZZ, which does not exist).
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_iban RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_ssn(): Returns a random US Social Security Number from a never-issued range (area 900-999).
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_ssn RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_us_phone(): Returns a random fictional US phone number, 1-555-555-01XX.
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_us_phone RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_uk_nin(): Returns a random UK National Insurance Number with the never-issued prefix QQ.
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_uk_nin RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_canada_sin(): Returns a random Luhn-valid Canada Social Insurance Number with the never-assigned first digit 8.
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_canada_sin RETURNS STRING SONAME 'sqlxos.so';

-- gen_rnd_uuid(): Returns a random version 4 UUID.
CREATE OR REPLACE FUNCTION sqlxos_gen_rnd_uuid RETURNS STRING SONAME 'sqlxos.so';

-- mask_email(email [, mask_char]): Masks the local part of an email address except its first character, keeping the domain.
CREATE OR REPLACE FUNCTION sqlxos_mask_email RETURNS STRING SONAME 'sqlxos.so';

-- mask_phone(phone [, keep_last, mask_char]): Masks every digit of a phone number except the last keep_last (default 4), keeping its formatting.
CREATE OR REPLACE FUNCTION sqlxos_mask_phone RETURNS STRING SONAME 'sqlxos.so';

-- pseudonymize(value, salt): Replaces a value with a keyed pseudonym: HMAC-SHA256 with the salt, 32 hex characters.
CREATE OR REPLACE FUNCTION sqlxos_pseudonymize RETURNS STRING SONAME 'sqlxos.so';

-- pseudonymize_email(email, salt): Replaces the local part of an email address with a keyed pseudonym, keeping the domain.
CREATE OR REPLACE FUNCTION sqlxos_pseudonymize_email RETURNS STRING SONAME 'sqlxos.so';

-- noise(number, ratio): Multiplies a number by a random factor between 1 - ratio and 1 + ratio.
CREATE OR REPLACE FUNCTION sqlxos_noise RETURNS STRING SONAME 'sqlxos.so';

-- generalize(value, granularity): Rounds a number down to a multiple of a step, or a date or timestamp down to a year, quarter, month, week, day, hour or minute.
CREATE OR REPLACE FUNCTION sqlxos_generalize RETURNS STRING SONAME 'sqlxos.so';

-- MySQL Enterprise-compatible names: (re)created unless a function of
-- that name from another library exists; that one is kept, a sqlxos_note
-- row says so, and the sqlxos_ name above is the same function.

-- mask_inner: alias of sqlxos_mask_inner
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_inner' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_inner RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_inner() of ', @sqlxos_other, '; use sqlxos_mask_inner()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_outer: alias of sqlxos_mask_outer
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_outer' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_outer RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_outer() of ', @sqlxos_other, '; use sqlxos_mask_outer()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_pan: alias of sqlxos_mask_pan
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_pan' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_pan RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_pan() of ', @sqlxos_other, '; use sqlxos_mask_pan()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_pan_relaxed: alias of sqlxos_mask_pan_relaxed
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_pan_relaxed' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_pan_relaxed RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_pan_relaxed() of ', @sqlxos_other, '; use sqlxos_mask_pan_relaxed()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_ssn: alias of sqlxos_mask_ssn
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_ssn' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_ssn RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_ssn() of ', @sqlxos_other, '; use sqlxos_mask_ssn()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_iban: alias of sqlxos_mask_iban
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_iban' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_iban RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_iban() of ', @sqlxos_other, '; use sqlxos_mask_iban()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_uk_nin: alias of sqlxos_mask_uk_nin
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_uk_nin' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_uk_nin RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_uk_nin() of ', @sqlxos_other, '; use sqlxos_mask_uk_nin()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_canada_sin: alias of sqlxos_mask_canada_sin
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_canada_sin' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_canada_sin RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_canada_sin() of ', @sqlxos_other, '; use sqlxos_mask_canada_sin()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- mask_uuid: alias of sqlxos_mask_uuid
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'mask_uuid' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION mask_uuid RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept mask_uuid() of ', @sqlxos_other, '; use sqlxos_mask_uuid()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_range: alias of sqlxos_gen_range
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_range' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_range RETURNS INTEGER SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_range() of ', @sqlxos_other, '; use sqlxos_gen_range()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_email: alias of sqlxos_gen_rnd_email
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_email' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_email RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_email() of ', @sqlxos_other, '; use sqlxos_gen_rnd_email()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_pan: alias of sqlxos_gen_rnd_pan
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_pan' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_pan RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_pan() of ', @sqlxos_other, '; use sqlxos_gen_rnd_pan()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_iban: alias of sqlxos_gen_rnd_iban
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_iban' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_iban RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_iban() of ', @sqlxos_other, '; use sqlxos_gen_rnd_iban()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_ssn: alias of sqlxos_gen_rnd_ssn
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_ssn' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_ssn RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_ssn() of ', @sqlxos_other, '; use sqlxos_gen_rnd_ssn()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_us_phone: alias of sqlxos_gen_rnd_us_phone
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_us_phone' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_us_phone RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_us_phone() of ', @sqlxos_other, '; use sqlxos_gen_rnd_us_phone()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_uk_nin: alias of sqlxos_gen_rnd_uk_nin
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_uk_nin' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_uk_nin RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_uk_nin() of ', @sqlxos_other, '; use sqlxos_gen_rnd_uk_nin()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_canada_sin: alias of sqlxos_gen_rnd_canada_sin
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_canada_sin' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_canada_sin RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_canada_sin() of ', @sqlxos_other, '; use sqlxos_gen_rnd_canada_sin()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

-- gen_rnd_uuid: alias of sqlxos_gen_rnd_uuid
SET @sqlxos_other = (SELECT MIN(dl) FROM mysql.func WHERE LOWER(name) = 'gen_rnd_uuid' AND dl <> 'sqlxos.so');
EXECUTE IMMEDIATE IF(@sqlxos_other IS NULL, 'CREATE OR REPLACE FUNCTION gen_rnd_uuid RETURNS STRING SONAME ''sqlxos.so''', 'DO 0');
SELECT CONCAT('kept gen_rnd_uuid() of ', @sqlxos_other, '; use sqlxos_gen_rnd_uuid()') AS sqlxos_note FROM DUAL WHERE @sqlxos_other IS NOT NULL;

SET @sqlxos_other = NULL;

-- Index advice: aggregate functions fed by the procedures below, and the
-- procedures in database sqlxos (CALL sqlxos.suggest_indexes('shop')).

CREATE OR REPLACE AGGREGATE FUNCTION sqlxos_advice_columns RETURNS STRING SONAME 'sqlxos.so';
CREATE OR REPLACE AGGREGATE FUNCTION sqlxos_advise_indexes RETURNS STRING SONAME 'sqlxos.so';

CREATE DATABASE IF NOT EXISTS sqlxos CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;

DELIMITER ;;

-- sqlxos.suggest_indexes(schema_name): indexes that would cut the rows the
-- statements recorded by performance_schema for that schema examine,
-- best first: table_name, columns, index_ddl, estimated_bytes,
-- cost_before, cost_after (rows examined per call, summed over calls),
-- improvement_pct, queries (JSON: digest and text), reason.
CREATE OR REPLACE PROCEDURE sqlxos.suggest_indexes(IN schema_name LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER
READS SQL DATA
COMMENT 'Index advice for a schema from performance_schema digests; see README'
BEGIN
    DECLARE v_schema VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    DECLARE v_msg VARCHAR(1000) CHARACTER SET utf8mb4;
    DECLARE v_need LONGTEXT CHARACTER SET utf8mb4;
    DECLARE v_samples LONGTEXT CHARACTER SET utf8mb4 DEFAULT '[]';
    DECLARE v_out LONGTEXT CHARACTER SET utf8mb4;
    IF schema_name IS NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.suggest_indexes: argument schema_name must be the name of a schema (database), got NULL';
    END IF;
    IF schema_name = '' THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.suggest_indexes: argument schema_name must be the name of a schema (database), got an empty string';
    END IF;
    IF CHAR_LENGTH(schema_name) > 64 THEN
        SET v_msg = CONCAT('sqlxos.suggest_indexes: argument schema_name must be at most 64 characters (a schema name), got ', CHAR_LENGTH(schema_name), ' characters');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    SET v_schema = schema_name;
    IF NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA sch
                    WHERE sch.SCHEMA_NAME = v_schema AND BINARY sch.SCHEMA_NAME = BINARY v_schema) THEN
        SET v_msg = CONCAT('sqlxos.suggest_indexes: argument schema_name: no schema named ', QUOTE(v_schema), ' exists (or you may not see it)');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    IF NOT @@GLOBAL.performance_schema THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.suggest_indexes: performance_schema is OFF, so MariaDB records no statement digests to advise on; set performance_schema=ON in the [mariadbd] section of my.cnf (or start mariadbd with --performance-schema=ON) and restart the server, then run the workload';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM performance_schema.setup_consumers WHERE NAME = 'statements_digest' AND ENABLED = 'YES') THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.suggest_indexes: the statements_digest consumer is off; run UPDATE performance_schema.setup_consumers SET ENABLED = ''YES'' WHERE NAME = ''statements_digest'', then run the workload';
    END IF;
    SET v_need = CONVERT((SELECT sqlxos_advice_columns(k, t1, t2, t3, t4, n1, n2, n3, n4, n5, n6, n7) FROM (
        SELECT 'schema' AS k, CONVERT(v_schema USING utf8mb4) COLLATE utf8mb4_bin AS t1, NULL AS t2, NULL AS t3, NULL AS t4, NULL AS n1, NULL AS n2, NULL AS n3, NULL AS n4, NULL AS n5, NULL AS n6, NULL AS n7
        UNION ALL SELECT 'table', CONVERT(TABLE_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(ENGINE USING utf8mb4) COLLATE utf8mb4_bin, NULL, NULL, (TABLE_ROWS) + 0e0, (DATA_LENGTH) + 0e0, (INDEX_LENGTH) + 0e0, NULL, NULL, NULL, NULL FROM information_schema.TABLES WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema AND TABLE_TYPE = 'BASE TABLE'
        UNION ALL SELECT 'column', CONVERT(TABLE_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(DATA_TYPE USING utf8mb4) COLLATE utf8mb4_bin, NULL, (ORDINAL_POSITION) + 0e0, (CHARACTER_OCTET_LENGTH) + 0e0, NULL, NULL, NULL, NULL, NULL FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema
        UNION ALL SELECT 'index', CONVERT(TABLE_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(INDEX_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(INDEX_TYPE USING utf8mb4) COLLATE utf8mb4_bin, (SEQ_IN_INDEX) + 0e0, (NON_UNIQUE) + 0e0, (CARDINALITY) + 0e0, (SUB_PART) + 0e0, NULL, NULL, NULL FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema
        UNION ALL SELECT 'query', CONVERT(DIGEST USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(DIGEST_TEXT USING utf8mb4) COLLATE utf8mb4_bin, NULL, NULL, (COUNT_STAR) + 0e0, (SUM_TIMER_WAIT) + 0e0, (SUM_ROWS_EXAMINED) + 0e0, (SUM_ROWS_SENT) + 0e0, (SUM_ROWS_AFFECTED) + 0e0, (SUM_NO_INDEX_USED) + 0e0, (SUM_NO_GOOD_INDEX_USED) + 0e0 FROM performance_schema.events_statements_summary_by_digest dg WHERE dg.SCHEMA_NAME = v_schema AND BINARY dg.SCHEMA_NAME = BINARY v_schema AND DIGEST_TEXT IS NOT NULL
        UNION ALL SELECT 'io', CONVERT(OBJECT_NAME USING utf8mb4) COLLATE utf8mb4_bin, NULL, NULL, NULL, (COUNT_INSERT + COUNT_UPDATE + COUNT_DELETE) + 0e0, (COUNT_FETCH) + 0e0, NULL, NULL, NULL, NULL, NULL FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = v_schema AND BINARY OBJECT_SCHEMA = BINARY v_schema AND OBJECT_TYPE = 'TABLE'
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
                REPLACE(c.t, '`', '``'), '` LIMIT 100000) AS s');
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
        SELECT 'schema' AS k, CONVERT(v_schema USING utf8mb4) COLLATE utf8mb4_bin AS t1, NULL AS t2, NULL AS t3, NULL AS t4, NULL AS n1, NULL AS n2, NULL AS n3, NULL AS n4, NULL AS n5, NULL AS n6, NULL AS n7
        UNION ALL SELECT 'table', CONVERT(TABLE_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(ENGINE USING utf8mb4) COLLATE utf8mb4_bin, NULL, NULL, (TABLE_ROWS) + 0e0, (DATA_LENGTH) + 0e0, (INDEX_LENGTH) + 0e0, NULL, NULL, NULL, NULL FROM information_schema.TABLES WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema AND TABLE_TYPE = 'BASE TABLE'
        UNION ALL SELECT 'column', CONVERT(TABLE_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(DATA_TYPE USING utf8mb4) COLLATE utf8mb4_bin, NULL, (ORDINAL_POSITION) + 0e0, (CHARACTER_OCTET_LENGTH) + 0e0, NULL, NULL, NULL, NULL, NULL FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema
        UNION ALL SELECT 'index', CONVERT(TABLE_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(INDEX_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(COLUMN_NAME USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(INDEX_TYPE USING utf8mb4) COLLATE utf8mb4_bin, (SEQ_IN_INDEX) + 0e0, (NON_UNIQUE) + 0e0, (CARDINALITY) + 0e0, (SUB_PART) + 0e0, NULL, NULL, NULL FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema
        UNION ALL SELECT 'query', CONVERT(DIGEST USING utf8mb4) COLLATE utf8mb4_bin, CONVERT(DIGEST_TEXT USING utf8mb4) COLLATE utf8mb4_bin, NULL, NULL, (COUNT_STAR) + 0e0, (SUM_TIMER_WAIT) + 0e0, (SUM_ROWS_EXAMINED) + 0e0, (SUM_ROWS_SENT) + 0e0, (SUM_ROWS_AFFECTED) + 0e0, (SUM_NO_INDEX_USED) + 0e0, (SUM_NO_GOOD_INDEX_USED) + 0e0 FROM performance_schema.events_statements_summary_by_digest dg WHERE dg.SCHEMA_NAME = v_schema AND BINARY dg.SCHEMA_NAME = BINARY v_schema AND DIGEST_TEXT IS NOT NULL
        UNION ALL SELECT 'io', CONVERT(OBJECT_NAME USING utf8mb4) COLLATE utf8mb4_bin, NULL, NULL, NULL, (COUNT_INSERT + COUNT_UPDATE + COUNT_DELETE) + 0e0, (COUNT_FETCH) + 0e0, NULL, NULL, NULL, NULL, NULL FROM performance_schema.table_io_waits_summary_by_table WHERE OBJECT_SCHEMA = v_schema AND BINARY OBJECT_SCHEMA = BINARY v_schema AND OBJECT_TYPE = 'TABLE'
        UNION ALL SELECT 'sample', j.t, j.c, NULL, NULL, j.n, j.d, j.z, j.l, NULL, NULL, NULL FROM JSON_TABLE(v_samples, '$[*]' COLUMNS (t VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.t', c VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin PATH '$.c', n DOUBLE PATH '$.n', d DOUBLE PATH '$.d', z DOUBLE PATH '$.z', l DOUBLE PATH '$.l')) AS j
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
END;;


-- sqlxos.index_health(schema_name): duplicate, redundant-prefix and unused
-- indexes of a schema, each with the DROP statement and the evidence.
-- Primary keys, unique indexes and (for 'unused') indexes leading with a
-- foreign key column are never proposed. 'unused' needs performance_schema;
-- without it the other two problems are still listed, with a warning.
CREATE OR REPLACE PROCEDURE sqlxos.index_health(IN schema_name LONGTEXT CHARACTER SET utf8mb4)
SQL SECURITY INVOKER
READS SQL DATA
COMMENT 'Duplicate, redundant-prefix and unused indexes of a schema; see README'
BEGIN
    DECLARE v_schema VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;
    DECLARE v_msg VARCHAR(1000) CHARACTER SET utf8mb4;
    DECLARE v_since DATETIME;
    DECLARE v_sizes BOOLEAN DEFAULT TRUE;
    IF schema_name IS NULL THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.index_health: argument schema_name must be the name of a schema (database), got NULL';
    END IF;
    IF schema_name = '' THEN
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'sqlxos.index_health: argument schema_name must be the name of a schema (database), got an empty string';
    END IF;
    IF CHAR_LENGTH(schema_name) > 64 THEN
        SET v_msg = CONCAT('sqlxos.index_health: argument schema_name must be at most 64 characters (a schema name), got ', CHAR_LENGTH(schema_name), ' characters');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    SET v_schema = schema_name;
    IF NOT EXISTS (SELECT 1 FROM information_schema.SCHEMATA sch
                    WHERE sch.SCHEMA_NAME = v_schema AND BINARY sch.SCHEMA_NAME = BINARY v_schema) THEN
        SET v_msg = CONCAT('sqlxos.index_health: argument schema_name: no schema named ', QUOTE(v_schema), ' exists (or you may not see it)');
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = v_msg;
    END IF;
    SET v_since = NOW() - INTERVAL (SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'UPTIME') SECOND;
    BEGIN
        DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET v_sizes = FALSE;
        DO (SELECT COUNT(*) FROM mysql.innodb_index_stats WHERE 0);
    END;
    IF NOT @@GLOBAL.performance_schema THEN
        SET v_since = NULL;
    END IF;
    IF v_sizes THEN
        WITH idx AS (
            SELECT TABLE_NAME AS tbl, INDEX_NAME AS idx, MIN(NON_UNIQUE) = 0 AS is_unique,
                   MAX(INDEX_TYPE) AS itype,
                   GROUP_CONCAT(CONCAT(COALESCE(COLUMN_NAME, '?expr'), '(', COALESCE(SUB_PART, ''), ')', COALESCE(COLLATION, ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR '\0') AS k,
                   GROUP_CONCAT(CONCAT('`', REPLACE(COALESCE(COLUMN_NAME, '(expression)'), '`', '``'), '`',
                                       COALESCE(CONCAT('(', SUB_PART, ')'), ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR ', ') AS cols,
                   MAX(IF(SEQ_IN_INDEX = 1, COLUMN_NAME, NULL)) AS first_col
              FROM information_schema.STATISTICS s
             WHERE s.TABLE_SCHEMA = v_schema AND BINARY s.TABLE_SCHEMA = BINARY v_schema
             GROUP BY TABLE_NAME, INDEX_NAME
        ),
        fk AS (
            SELECT DISTINCT TABLE_NAME AS tbl, COLUMN_NAME AS col
              FROM information_schema.KEY_COLUMN_USAGE
             WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema AND REFERENCED_TABLE_NAME IS NOT NULL AND ORDINAL_POSITION = 1
        ),
        io AS (
            SELECT OBJECT_NAME AS tbl, INDEX_NAME AS idx, COUNT_READ AS n_reads, COUNT_WRITE AS n_writes
              FROM performance_schema.table_io_waits_summary_by_index_usage
             WHERE OBJECT_SCHEMA = v_schema AND BINARY OBJECT_SCHEMA = BINARY v_schema AND OBJECT_TYPE = 'TABLE' AND INDEX_NAME IS NOT NULL
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
               (SELECT MAX(st.stat_value) * @@innodb_page_size FROM mysql.innodb_index_stats st
                 WHERE st.database_name = v_schema AND st.table_name = i.tbl
                   AND st.index_name = i.idx AND st.stat_name = 'size') AS index_bytes,
               (SELECT io.n_reads FROM io WHERE io.tbl = f.tbl AND io.idx = f.idx) AS scans,
               v_since AS stats_since,
               f.why AS reason
          FROM found f JOIN idx i ON i.tbl = f.tbl AND i.idx = f.idx
         ORDER BY f.tbl, f.idx, f.problem;
    ELSE
        WITH idx AS (
            SELECT TABLE_NAME AS tbl, INDEX_NAME AS idx, MIN(NON_UNIQUE) = 0 AS is_unique,
                   MAX(INDEX_TYPE) AS itype,
                   GROUP_CONCAT(CONCAT(COALESCE(COLUMN_NAME, '?expr'), '(', COALESCE(SUB_PART, ''), ')', COALESCE(COLLATION, ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR '\0') AS k,
                   GROUP_CONCAT(CONCAT('`', REPLACE(COALESCE(COLUMN_NAME, '(expression)'), '`', '``'), '`',
                                       COALESCE(CONCAT('(', SUB_PART, ')'), ''))
                                ORDER BY SEQ_IN_INDEX SEPARATOR ', ') AS cols,
                   MAX(IF(SEQ_IN_INDEX = 1, COLUMN_NAME, NULL)) AS first_col
              FROM information_schema.STATISTICS s
             WHERE s.TABLE_SCHEMA = v_schema AND BINARY s.TABLE_SCHEMA = BINARY v_schema
             GROUP BY TABLE_NAME, INDEX_NAME
        ),
        fk AS (
            SELECT DISTINCT TABLE_NAME AS tbl, COLUMN_NAME AS col
              FROM information_schema.KEY_COLUMN_USAGE
             WHERE TABLE_SCHEMA = v_schema AND BINARY TABLE_SCHEMA = BINARY v_schema AND REFERENCED_TABLE_NAME IS NOT NULL AND ORDINAL_POSITION = 1
        ),
        io AS (
            SELECT OBJECT_NAME AS tbl, INDEX_NAME AS idx, COUNT_READ AS n_reads, COUNT_WRITE AS n_writes
              FROM performance_schema.table_io_waits_summary_by_index_usage
             WHERE OBJECT_SCHEMA = v_schema AND BINARY OBJECT_SCHEMA = BINARY v_schema AND OBJECT_TYPE = 'TABLE' AND INDEX_NAME IS NOT NULL
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
               NULL AS index_bytes,
               (SELECT io.n_reads FROM io WHERE io.tbl = f.tbl AND io.idx = f.idx) AS scans,
               v_since AS stats_since,
               f.why AS reason
          FROM found f JOIN idx i ON i.tbl = f.tbl AND i.idx = f.idx
         ORDER BY f.tbl, f.idx, f.problem;
    END IF;
    -- Last: a statement after SIGNAL would clear the warning.
    IF NOT @@GLOBAL.performance_schema THEN
        SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = 'sqlxos.index_health: performance_schema is OFF, so unused indexes cannot be found (duplicates and redundant prefixes are listed); set performance_schema=ON in the [mariadbd] section of my.cnf (or start mariadbd with --performance-schema=ON) and restart the server';
    END IF;
END;;

DELIMITER ;
