#!/usr/bin/env bash
# TPC-H index-advice benchmark for MariaDB (issue 11): sqlxos.suggest_indexes
# beside a naive advisor (one index per column in a WHERE clause) on the same
# run. Prints a table; asserts nothing.
#
#   bench/tpch_mariadb/run.sh                 # SF 0.1
#   SF=1 bench/tpch_mariadb/run.sh            # SF 1
#
# Environment: SF (0.1), ADVISORS (sqlxos,naive), QUERIES (all; e.g.
# q01,q07), TIMEOUT_S (120), LONG_S (60), BUFFER_POOL (2G at SF 0.1, 8G
# above: it holds the three copies), TPCH_CACHE (~/.cache/sqlxos/tpch: the
# CSV per SF), TPCH_VENV (~/.cache/sqlxos/tpch-venv: tpchgen-cli and
# sqlglot, installed with pip when missing), CARGO_TARGET_DIR.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/lib.sh"

SF=${SF:-0.1}
cache=${TPCH_CACHE:-$HOME/.cache/sqlxos/tpch}
venv=${TPCH_VENV:-$HOME/.cache/sqlxos/tpch-venv}
if [ "$SF" = 0.1 ]; then pool=${BUFFER_POOL:-2G}; else pool=${BUFFER_POOL:-8G}; fi

[ "$(id -u)" = 0 ] || die "run as root (mariadbd runs as --user=root here)"
"$PYTHON" -c 'import MySQLdb' 2>/dev/null || die "python3-mysqldb missing (apt-get install python3-mysqldb)"
if [ ! -x "$venv/bin/python" ]; then
  "$PYTHON" -m venv --system-site-packages "$venv"
fi
"$venv/bin/python" -c 'import sqlglot' 2>/dev/null || "$venv/bin/pip" install --quiet sqlglot
if [ ! -x "$venv/bin/tpchgen-cli" ] && [ ! -f "$cache/sf$SF/lineitem.csv" ]; then
  "$venv/bin/pip" install --quiet tpchgen-cli
fi

so="$(build_mariadb)"
# LOAD DATA INFILE from anywhere (secure_file_priv empty), long digests (the
# TPC-H texts exceed the default 1024 bytes), room for three copies of the
# data in memory, no query cache.
start_mariadb MDB "$so" --secure-file-priv= --max-digest-length=8192 \
  --performance-schema-max-digest-length=8192 --performance-schema-max-sql-text-length=8192 \
  --innodb-buffer-pool-size="$pool" --innodb-log-file-size=512M --innodb-flush-log-at-trx-commit=0 \
  --query-cache-type=0 --query-cache-size=0
trap 'stop_mariadb "$MDB_DIR"' EXIT
mariadb --no-defaults -S "$MDB_SOCKET" -uroot < "$root/sql/mariadb/install.sql" >/dev/null

"$venv/bin/python" "$here/bench.py" --sf "$SF" --cache "$cache" --venv-bin "$venv/bin" \
  --socket "$MDB_SOCKET" --advisors "${ADVISORS:-sqlxos,naive}" --queries "${QUERIES:-}"
