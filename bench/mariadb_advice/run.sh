#!/usr/bin/env bash
# MariaDB index advice: runtime of a generated workload before and after
# sqlxos.suggest_indexes, beside a naive advisor (one index per column in a
# WHERE clause) on the same data. Prints a table; asserts nothing.
#   bench/mariadb_advice/run.sh            # ROWS=400000 by default
source "$(dirname "$0")/../../scripts/lib.sh"

cd "$ROOT"
mariadb_so=$(build_mariadb)
start_mariadb MDB "$mariadb_so"   # with performance_schema on
trap 'stop_mariadb "$MDB_DIR"' EXIT
mariadb --no-defaults -S "$MDB_SOCKET" -uroot < sql/mariadb/install.sql

"$PYTHON" "$ROOT/bench/mariadb_advice/bench.py" --rows "${ROWS:-400000}" --socket "$MDB_SOCKET"
