#!/usr/bin/env bash
# Hook overhead counted in instructions, not time: what pgbench -S runs (one
# primary-key SELECT per transaction), executed by a single-user backend
# under valgrind's callgrind, for each shared_preload_libraries setting.
# Instructions per statement = (count with N statements - count with 1) /
# (N - 1), so start-up cancels out. Unlike TPS, the count does not move with
# the load of a shared machine (it ignores cache misses and lock waits, so
# it complements bench/hooks/run.sh rather than replacing it).
#
#   sudo bench/hooks/instructions.sh          # N=300: about 2 minutes
#   NO_BUILD=1 N=1000 sudo bench/hooks/instructions.sh
set -euo pipefail
# Holds the lock of the system PostgreSQL directories, as run.sh does.
if [ -z "${SQLXOS_PG_LOCKED:-}" ]; then
  exec env SQLXOS_PG_LOCKED=1 flock /tmp/sqlxos-pg.lock "$0" "$@"
fi
. "$(dirname "$0")/../../scripts/lib.sh"

N=${N:-300}
CONFIGS=("none:" "pg_stat_statements:pg_stat_statements" "sqlxos:sqlxos" "sqlxos+pgss:pg_stat_statements,sqlxos")

ensure_deps
command -v valgrind >/dev/null || die "valgrind is needed: apt-get install valgrind"
[ -n "${NO_BUILD:-}" ] || build_pg

start_pg PG
WORK=$(mktemp -d /tmp/sqlxos-instr.XXXXXX)
chown postgres: "$WORK"
trap 'stop_pg "$PG_DIR"; rm -rf "$WORK"' EXIT
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -m fast \
  -o "-c listen_addresses='' -k $PG_DIR -p $PG_PORT -c fsync=off -c shared_preload_libraries=sqlxos" \
  restart >/dev/null
runuser -u postgres -- "$PG_BIN/pgbench" -q -i -s 1 -h "$PG_DIR" -p "$PG_PORT" postgres >/dev/null 2>&1
runuser -u postgres -- "$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE EXTENSION sqlxos" -c "CREATE EXTENSION pg_stat_statements"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -w -m fast stop >/dev/null

# Single-user mode with -j: a statement ends at ";" followed by an empty
# line, and each runs in its own transaction, as pgbench's do.
"$PYTHON" - "$N" "$WORK" <<'PY'
import random, sys
n, work = int(sys.argv[1]), sys.argv[2]
random.seed(1)
stmts = [f"SELECT abalance FROM pgbench_accounts WHERE aid = {random.randint(1, 100000)};\n\n"
         for _ in range(n)]
open(f"{work}/q1.sql", "w").write(stmts[0])
open(f"{work}/qn.sql", "w").write("".join(stmts))
PY
chmod 644 "$WORK"/*.sql

count() {  # count LIBS FILE: instructions of a single-user backend
  local out="$WORK/cg.$RANDOM"
  runuser -u postgres -- valgrind --tool=callgrind --callgrind-out-file="$out" \
    "$PG_BIN/postgres" --single -D "$PG_DIR/data" -c shared_preload_libraries="$1" -c fsync=off -j postgres \
    <"$2" >"$out.log" 2>&1 || { cat "$out.log" >&2; die "single-user backend failed ($1)"; }
  grep -o 'Collected : [0-9]*' "$out.log" | awk '{print $3}'
}

RESULTS="$WORK/results"
for cfg in "${CONFIGS[@]}"; do
  name=${cfg%%:*} libs=${cfg#*:}
  one=$(count "$libs" "$WORK/q1.sql")
  all=$(count "$libs" "$WORK/qn.sql")
  say "$name: $one instructions for 1 statement, $all for $N"
  echo "$name $one $all" >>"$RESULTS"
done

"$PYTHON" - "$RESULTS" "$N" <<'PY'
import sys
path, n = sys.argv[1], int(sys.argv[2])
per = {}
for line in open(path):
    name, one, alln = line.split()
    per[name] = (int(alln) - int(one)) / (n - 1)
base = per["none"]
print(f"\npgbench -S statement in a single-user backend (callgrind), {n} statements; instructions per statement")
print(f"{'configuration':<22}{'instructions':>14}{'added':>10}{'overhead':>10}")
for name, v in per.items():
    print(f"{name:<22}{v:>14.0f}{v - base:>10.0f}{(v - base) / base * 100:>9.1f}%")
PY
