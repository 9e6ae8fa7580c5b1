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
