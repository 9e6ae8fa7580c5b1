#!/usr/bin/env bash
# Masking throughput in PostgreSQL, MariaDB and SQLite: sqlxos functions
# against the same job written with each engine's built-in functions, on
# 1,000,000 rows (ROWS=... to change). Prints a table; asserts nothing.
source "$(dirname "$0")/../../scripts/lib.sh"

ensure_deps
cd "$ROOT"
build_pg
sqlite_so=$(build_sqlite)
mariadb_so=$(build_mariadb)
start_pg PG preload
start_mariadb MDB "$mariadb_so"
trap 'stop_pg "$PG_DIR"; stop_mariadb "$MDB_DIR"' EXIT
mariadb --no-defaults -S "$MDB_SOCKET" -uroot < sql/mariadb/install.sql

"$PYTHON" "$ROOT/bench/masking/bench.py" --rows "${ROWS:-1000000}" \
  --pg "host=$PG_DIR port=$PG_PORT user=postgres dbname=postgres" \
  --mariadb-socket "$MDB_SOCKET" --sqlite-ext "${sqlite_so%.so}"
