-- sqlxos.index_health(): indexes that cost writes and space for little or
-- nothing, with the DROP statement and the evidence for each.
--
--   duplicate         same table, access method, key columns, INCLUDE columns,
--                     predicate and expressions as another index
--   redundant_prefix  its key columns are a leading prefix of another btree
--                     index's keys on the same table (equal keys with extra
--                     INCLUDE columns count too), so that index serves it
--   unused            no scan since statistics were last reset
--
-- Indexes that back a constraint (primary key, unique, exclusion) are never
-- proposed for dropping: their DROP would fail or change semantics. One
-- index can appear under more than one problem.
CREATE FUNCTION index_health()
RETURNS TABLE (
    schema_name  name,
    table_name   name,
    index_name   name,
    problem      text,
    drop_ddl     text,
    index_bytes  bigint,
    scans        bigint,
    stats_since  timestamptz,
    reason       text
)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog
AS $body$
WITH idx AS (
    SELECT i.indexrelid,
           i.indrelid,
           n.nspname,
           t.relname  AS tbl,
           c.relname  AS idx,
           c.relam,
           (i.indisunique OR i.indisprimary OR i.indisexclusion
            OR EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = i.indexrelid)) AS protected,
           ARRAY(SELECT u.k FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS u(k, o)
                  WHERE u.o <= i.indnkeyatts ORDER BY u.o) AS keys,
           ARRAY(SELECT unnest(i.indkey::int2[])) AS allcols,
           ARRAY(SELECT unnest(i.indclass::oid[])) AS opclasses,
           coalesce(pg_get_expr(i.indpred, i.indrelid), '') AS pred,
           coalesce(pg_get_expr(i.indexprs, i.indrelid), '') AS exprs,
           pg_relation_size(i.indexrelid) AS bytes,
           coalesce(s.idx_scan, 0) AS scans,
           (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.ord)
              FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
              JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
             WHERE k.ord <= i.indnkeyatts) AS cols
      FROM pg_index i
      JOIN pg_class c ON c.oid = i.indexrelid
      JOIN pg_class t ON t.oid = i.indrelid
      JOIN pg_namespace n ON n.oid = t.relnamespace
      LEFT JOIN pg_stat_all_indexes s ON s.indexrelid = i.indexrelid
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
       AND n.nspname NOT LIKE 'pg\_toast%'
       AND i.indisvalid
),
since AS (
    SELECT coalesce(pg_stat_get_db_stat_reset_time(d.oid), pg_postmaster_start_time()) AS ts
      FROM pg_database d
     WHERE d.datname = current_database()
),
found AS (
    -- Exact duplicates: keep the protected one, else the older (lower OID).
    SELECT a.*, 'duplicate'::text AS problem,
           format('same definition as %I (%s)', b.idx, b.cols) AS why
      FROM idx a
      JOIN idx b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
                AND b.relam = a.relam AND b.allcols = a.allcols AND b.opclasses = a.opclasses
                AND b.pred = a.pred AND b.exprs = a.exprs
     WHERE NOT a.protected
       AND (b.protected OR b.indexrelid < a.indexrelid)
    UNION ALL
    -- Strict leading prefix of another btree index's keys.
    SELECT a.*, 'redundant_prefix',
           format('its keys (%s) lead %I (%s), which serves the same lookups', a.cols, b.idx, b.cols)
      FROM idx a
      JOIN idx b ON b.indrelid = a.indrelid AND b.indexrelid <> a.indexrelid
                AND a.relam = (SELECT oid FROM pg_am WHERE amname = 'btree') AND b.relam = a.relam
                AND cardinality(b.keys) >= cardinality(a.keys)
                AND b.keys[1:cardinality(a.keys)] = a.keys
                AND b.allcols <> a.allcols  -- longer keys or INCLUDE columns; equal is 'duplicate'
                AND b.opclasses[1:cardinality(a.keys)] = a.opclasses[1:cardinality(a.keys)]
                AND a.pred = '' AND b.pred = '' AND a.exprs = '' AND b.exprs = ''
                AND a.allcols = a.keys  -- a has no INCLUDE columns b might lack
     WHERE NOT a.protected
    UNION ALL
    SELECT a.*, 'unused',
           format('no scan since %s', to_char((SELECT ts FROM since), 'YYYY-MM-DD HH24:MI:SS TZ'))
      FROM idx a
     WHERE NOT a.protected AND a.scans = 0
)
SELECT f.nspname,
       f.tbl,
       f.idx,
       f.problem,
       format('DROP INDEX CONCURRENTLY %I.%I;', f.nspname, f.idx),
       f.bytes,
       f.scans,
       (SELECT ts FROM since),
       format('%s; %s on disk, %s scans; every write to %I.%I also updates it',
              f.why, pg_size_pretty(f.bytes), f.scans, f.nspname, f.tbl)
  FROM found f
 ORDER BY f.problem = 'unused', f.bytes DESC, f.nspname, f.tbl, f.idx
$body$;
