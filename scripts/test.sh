#!/usr/bin/env bash
# Runs every test of sqlxos against real engines: core unit tests, pgrx tests
# in a PostgreSQL 15 backend, the SQLite extension in the sqlite3 CLI and in
# Python, the MariaDB plugin in a throwaway mariadbd, and the cross-engine
# sqllogictest files in all three. Installs what is missing first.
#
#   ./scripts/test.sh            everything
#   ./scripts/test.sh core slt   only the named tiers (core pg sqlite mariadb slt)
source "$(dirname "$0")/lib.sh"

TIERS=("$@")
[ ${#TIERS[@]} -gt 0 ] || TIERS=(core pg sqlite mariadb slt)
wants() { local t; for t in "${TIERS[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

ensure_deps
cd "$ROOT"
LOGS=$(mktemp -d /tmp/sqlxos-test.XXXXXX)
FAILED_TIERS=()
CLEANUP=()
cleanup() { local c; for c in "${CLEANUP[@]}"; do eval "$c"; done; }
trap cleanup EXIT

# tier NAME CMD...: runs CMD, keeps its output for the totals.
tier() {
  local name=$1; shift
  say "tier: $name"
  if ! "$@" 2>&1 | tee "$LOGS/$name.log"; then FAILED_TIERS+=("$name"); fi
}

if wants core; then
  tier fmt cargo fmt --all -- --check
  tier core cargo test --quiet -p sqlxos-core
fi

if wants pg; then
  pgdata=$(mktemp -d /tmp/sqlxos-pgrx.XXXXXX)
  chown postgres: "$pgdata"
  CLEANUP+=("rm -rf $pgdata")
  tier pg env CARGO_PGRX_TEST_RUNAS=postgres CARGO_PGRX_TEST_PGDATA="$pgdata/data" \
    bash -c "cd '$ROOT/pg_sqlxos' && cargo pgrx test pg15"
fi

if wants sqlite; then
  tier sqlite bash "$ROOT/tests/sqlite/run.sh"
fi

if wants mariadb; then
  tier mariadb bash "$ROOT/tests/mariadb/run.sh"
fi

if wants slt; then
  build_pg
  sqlite_so=$(build_sqlite)
  mariadb_so=$(build_mariadb)
  start_pg PG preload
  CLEANUP+=("stop_pg $PG_DIR")
  start_mariadb MDB "$mariadb_so"
  CLEANUP+=("stop_mariadb $MDB_DIR")
  mariadb --no-defaults -S "$MDB_SOCKET" -uroot < "$ROOT/sql/mariadb/install.sql"
  tier slt "$PYTHON" "$ROOT/tests/slt/run.py" --pg "host=$PG_DIR port=$PG_PORT user=postgres" \
    --mariadb-socket "$MDB_SOCKET" --sqlite-ext "${sqlite_so%.so}" "$ROOT"/tests/slt/*.slt "$ROOT/README.md"
  # The same PostgreSQL cases with sqlxos loaded by CREATE EXTENSION alone.
  start_pg PLAIN
  CLEANUP+=("stop_pg $PLAIN_DIR")
  tier slt-no-preload "$PYTHON" "$ROOT/tests/slt/run.py" --pg "host=$PLAIN_DIR port=$PLAIN_PORT user=postgres" \
    "$ROOT"/tests/slt/*.slt "$ROOT/README.md"
fi

# Totals over every runner's closing line (cargo's and ours).
read -r passed failed < <(cat "$LOGS"/*.log | "$PYTHON" -c '
import re, sys
p = f = 0
for line in sys.stdin:
    m = re.search(r"test result: \w+\. (\d+) passed; (\d+) failed", line) or re.match(r"^(\d+) passed, (\d+) failed", line.strip())
    if m:
        p += int(m.group(1)); f += int(m.group(2))
print(p, f)')
rm -rf "$LOGS"
if [ ${#FAILED_TIERS[@]} -gt 0 ]; then
  say "failed tiers: ${FAILED_TIERS[*]}"
  [ "$failed" -gt 0 ] || failed=${#FAILED_TIERS[@]}
fi
echo "total: $passed passed, $failed failed"
[ ${#FAILED_TIERS[@]} -eq 0 ]
