#!/usr/bin/env bash
# The sqlxos demo: installs what is missing, builds the extensions, starts a
# throwaway PostgreSQL 15 cluster with sqlxos preloaded and a SQLite file,
# masks the same customer table in both, shows that the keyed pseudonyms
# agree across engines, and stops cleanly.
source "$(dirname "$0")/lib.sh"

ensure_deps
cd "$ROOT"
build_pg
sqlite_so=$(build_sqlite)

say "start a throwaway PostgreSQL 15 cluster (shared_preload_libraries = sqlxos)"
start_pg PG preload
trap 'stop_pg "$PG_DIR"' EXIT
psql_demo() { psql -X -q -h "$PG_DIR" -p "$PG_PORT" -U postgres -v ON_ERROR_STOP=1 "$@"; }

psql_demo -c 'CREATE EXTENSION sqlxos' -f sql/demo/customers.sql
say "PostgreSQL: SELECT sqlxos.version()"
psql_demo -c 'SELECT sqlxos.version()'
say "PostgreSQL: the raw table"
psql_demo -c 'SELECT id, name, email, phone, card, ssn, salary FROM customers ORDER BY id'
say "PostgreSQL: the masked view (sql/demo/masked_view.sql)"
psql_demo -f sql/demo/masked_view.sql
say "PostgreSQL: synthetic test data that passes validators but is never real"
psql_demo -c "SELECT sqlxos.gen_rnd_pan() AS card, sqlxos.gen_rnd_iban() AS iban, sqlxos.gen_rnd_ssn() AS ssn,
                     sqlxos.gen_rnd_us_phone() AS phone, sqlxos.gen_rnd_email() AS email FROM generate_series(1, 3)"
say "PostgreSQL: a bad argument is a clear error (SQLSTATE 22023), nothing else happens"
psql_demo -v VERBOSITY=verbose -c "SELECT sqlxos.mask_inner('secret', -1, 0)" 2>&1 | sed -n '1,2p' || true

say "PostgreSQL: index advice. Load 200,000 orders, run a small workload (sql/demo/workload.sql)"
psql_demo -f sql/demo/orders.sql -c 'SELECT sqlxos.reset()' >/dev/null
for _ in 1 2 3; do psql_demo -f sql/demo/workload.sql >/dev/null; done
say "PostgreSQL: what the capture saw (sqlxos.workload)"
psql_demo -c "SELECT calls, round(mean_ms::numeric, 2) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS query
              FROM sqlxos.workload WHERE query LIKE '%orders%' ORDER BY total_ms DESC"
say "PostgreSQL: SELECT * FROM sqlxos.suggest_indexes()  (proven by what-if planning, nothing is created)"
psql_demo -c "SELECT table_name, columns, estimated_size, improvement_pct, index_ddl, reason FROM sqlxos.suggest_indexes()" -x
say "PostgreSQL: build the advice and run the workload again"
# the same advice again: its progress NOTICEs were shown above
PGOPTIONS='-c client_min_messages=warning' psql_demo -At -c "SELECT index_ddl FROM sqlxos.suggest_indexes()" | while read -r ddl; do
  echo "$ddl"; psql_demo -c "$ddl"
done
psql_demo -c 'SELECT sqlxos.reset()' >/dev/null
for _ in 1 2 3; do psql_demo -f sql/demo/workload.sql >/dev/null; done
psql_demo -c "SELECT calls, round(mean_ms::numeric, 2) AS mean_ms, left(regexp_replace(query, '\s+', ' ', 'g'), 70) AS query
              FROM sqlxos.workload WHERE query LIKE '%orders%' ORDER BY total_ms DESC"
say "PostgreSQL: one statement, without the capture: sqlxos.suggest_indexes_for(query)"
psql_demo -c "SELECT columns, improvement_pct, index_ddl FROM sqlxos.suggest_indexes_for('SELECT * FROM orders WHERE status = ''returned'' AND total > 400 ORDER BY created_at LIMIT 20')"

db="$ROOT/.demo/demo.sqlite"
mkdir -p "$ROOT/.demo"
rm -f "$db"
say "SQLite: $db with .load ${sqlite_so%.so}"
sqlite_demo() { sqlite3 -bail -header -column "$db" -cmd ".load ${sqlite_so%.so}" "$@"; }
sqlite_demo < sql/demo/customers.sql
sqlite_demo "SELECT sqlxos_version()"
sed 's/\bsqlxos\./sqlxos_/g' sql/demo/masked_view.sql | sqlite_demo

say "SQLite: index advice for one statement, proven on an in-memory copy of the schema"
sqlite_demo <<'SQL'
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INT NOT NULL, status TEXT NOT NULL,
                     created_at TEXT NOT NULL, total REAL NOT NULL);
WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200000)
INSERT INTO orders SELECT n, (n * 7919) % 20000, CASE n % 4 WHEN 0 THEN 'open' WHEN 1 THEN 'paid'
       WHEN 2 THEN 'shipped' ELSE 'returned' END, date('2023-01-01', '+' || (n % 1095) || ' days'),
       (n % 50000) / 100.0 FROM g;
ANALYZE;
SELECT table_name, columns, improvement_pct, index_ddl, reason
FROM sqlxos_suggest_indexes_for('SELECT id, total FROM orders WHERE customer_id = 77 ORDER BY created_at DESC LIMIT 5');
SQL

say "the same keyed pseudonyms in both engines, so masked data still joins"
pg_keys=$(psql_demo -At -c "SELECT string_agg(sqlxos.pseudonymize(email, 'demo-salt'), ',' ORDER BY id) FROM customers")
lite_keys=$(sqlite3 "$db" -cmd ".load ${sqlite_so%.so}" "SELECT group_concat(k, ',') FROM (SELECT sqlxos_pseudonymize(email, 'demo-salt') k FROM customers ORDER BY id)")
if [ "$pg_keys" = "$lite_keys" ]; then echo "pseudonyms identical across PostgreSQL and SQLite: yes"; else die "pseudonyms differ: $pg_keys vs $lite_keys"; fi

say "done: the cluster is stopped and removed; the SQLite file stays at $db"
