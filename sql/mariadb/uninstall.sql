-- sqlxos for MariaDB: drops every function of the plugin.
--
-- @generated from sqlxos_core::functions::all() by mysql_plugin/src/scripts.rs.
-- Do not edit; regenerate with: SQLXOS_BLESS=1 cargo test -p sqlxos-mysql scripts
--
-- Bare MySQL Enterprise names are dropped only if they are sqlxos's, so a
-- function of the same name from another library stays.

DROP FUNCTION IF EXISTS sqlxos_version;
DROP FUNCTION IF EXISTS sqlxos_mask_inner;
DROP FUNCTION IF EXISTS sqlxos_mask_outer;
DROP FUNCTION IF EXISTS sqlxos_mask_pan;
DROP FUNCTION IF EXISTS sqlxos_mask_pan_relaxed;
DROP FUNCTION IF EXISTS sqlxos_mask_ssn;
DROP FUNCTION IF EXISTS sqlxos_mask_iban;
DROP FUNCTION IF EXISTS sqlxos_mask_uk_nin;
DROP FUNCTION IF EXISTS sqlxos_mask_canada_sin;
DROP FUNCTION IF EXISTS sqlxos_mask_uuid;
DROP FUNCTION IF EXISTS sqlxos_gen_range;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_email;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_pan;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_iban;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_ssn;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_us_phone;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_uk_nin;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_canada_sin;
DROP FUNCTION IF EXISTS sqlxos_gen_rnd_uuid;
DROP FUNCTION IF EXISTS sqlxos_mask_email;
DROP FUNCTION IF EXISTS sqlxos_mask_phone;
DROP FUNCTION IF EXISTS sqlxos_pseudonymize;
DROP FUNCTION IF EXISTS sqlxos_pseudonymize_email;
DROP FUNCTION IF EXISTS sqlxos_noise;
DROP FUNCTION IF EXISTS sqlxos_generalize;

SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_inner', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_inner' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_outer', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_outer' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_pan', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_pan' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_pan_relaxed', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_pan_relaxed' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_ssn', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_ssn' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_iban', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_iban' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_uk_nin', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_uk_nin' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_canada_sin', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_canada_sin' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION mask_uuid', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'mask_uuid' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_range', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_range' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_email', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_email' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_pan', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_pan' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_iban', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_iban' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_ssn', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_ssn' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_us_phone', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_us_phone' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_uk_nin', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_uk_nin' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_canada_sin', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_canada_sin' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = (SELECT IF(COUNT(*) > 0, 'DROP FUNCTION gen_rnd_uuid', 'DO 0') FROM mysql.func WHERE LOWER(name) = 'gen_rnd_uuid' AND dl = 'sqlxos.so');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = NULL;

DROP PROCEDURE IF EXISTS sqlxos.suggest_indexes;
DROP PROCEDURE IF EXISTS sqlxos.index_health;
DROP FUNCTION IF EXISTS sqlxos_advice_columns;
DROP FUNCTION IF EXISTS sqlxos_advise_indexes;
SET @sqlxos_drop = IF(
    EXISTS (SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'sqlxos')
    AND NOT EXISTS (SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sqlxos')
    AND NOT EXISTS (SELECT 1 FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sqlxos')
    AND NOT EXISTS (SELECT 1 FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'sqlxos'),
    'DROP DATABASE sqlxos', 'DO 0');
EXECUTE IMMEDIATE @sqlxos_drop;
SET @sqlxos_drop = NULL;
