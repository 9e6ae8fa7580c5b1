#!/usr/bin/env bash
# TPC-H index advice (issue 10, Benchmarks item 2): the 22 queries on a
# throwaway PostgreSQL 15 with primary keys only, then with each advisor's
# indexes built for real. Prints a table; asserts nothing. See README.md.
#
#   sudo bench/tpch/run.sh                  # SF 0.1, advisors naive and sqlxos
#   sudo SF=1 bench/tpch/run.sh             # SF 1 (q17/q20 time out at baseline: ~5 min a pass)
#   ADVISORS=naive ...                      # only the naive advisor (no sqlxos build, no lock)
#   NO_BUILD=1 ...                          # use the installed sqlxos.so
#   QUERIES=q03,q17 ...                     # a subset, for quick looks
#   SHARED_BUFFERS=128MB ...                # PostgreSQL's built-in default (default here: RAM/4, at most 8GB)
#
# Data, queries and the Python venv are cached in ~/.cache/sqlxos/ and made once.
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"

SF=${SF:-0.1}
ADVISORS=${ADVISORS:-naive,sqlxos}
# PostgreSQL's documented starting point for a dedicated server: a quarter
# of the RAM (capped at 8 GB here). SHARED_BUFFERS=128MB is the built-in
# default, with which most of an SF 1 database is read through the OS
# cache (see README.md).
SHARED_BUFFERS=${SHARED_BUFFERS:-$(awk '/^MemTotal:/ {mb = int($2 / 1024 / 4); if (mb > 8192) mb = 8192; print mb "MB"}' /proc/meminfo)}
export PG_SERVER_OPTS="-c shared_buffers=$SHARED_BUFFERS"
CACHE=${TPCH_CACHE:-$HOME/.cache/sqlxos/tpch}
VENV=${TPCH_VENV:-$HOME/.cache/sqlxos/tpch-venv}
LOCK=/tmp/sqlxos-pg.lock   # sqlxos.so lives in the shared system PG dirs
PIP_PACKAGES=(tpchgen-cli==4.0.0 duckdb==1.5.5 duckdb-extension-tpch==1.5.5 sqlglot==30.30.0)

for a in ${ADVISORS//,/ }; do
  case $a in naive|sqlxos) ;; *) die "ADVISORS: unknown advisor '$a', expected a comma list of naive, sqlxos";; esac
done
want_sqlxos() { [[ ",$ADVISORS," == *,sqlxos,* ]]; }

ensure_deps
# Debian's python3 with psycopg2 from apt, plus the PyPI tools in a venv.
if ! "$VENV/bin/python" -c 'import psycopg2, duckdb, sqlglot' 2>/dev/null || [ ! -x "$VENV/bin/tpchgen-cli" ]; then
  say "venv $VENV: ${PIP_PACKAGES[*]} (once)"
  "$PYTHON" -m venv --system-site-packages "$VENV"
  "$VENV/bin/pip" install -q "${PIP_PACKAGES[@]}"
fi
BENCH=("$VENV/bin/python" "$ROOT/bench/tpch/bench.py" --sf "$SF" --cache "$CACHE")
mkdir -p "$CACHE"
"${BENCH[@]}" prepare

if want_sqlxos && [ -z "${NO_BUILD:-}" ]; then
  flock "$LOCK" bash -c ". '$ROOT/scripts/lib.sh'; build_pg"
fi

# the measurements, kept after the run
STATE=$CACHE/last-sf$SF-sb$SHARED_BUFFERS.json
rm -f "$STATE"
start_pg PG
trap 'stop_pg "$PG_DIR"' EXIT
BENCH+=(--state "$STATE" --dsn "host=$PG_DIR port=$PG_PORT user=postgres dbname=postgres")

# restart_pg LIBS: restarts the cluster with shared_preload_libraries=LIBS.
# The lock's descriptor 9 is closed for the server, which must not hold it.
restart_pg() {
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -m fast \
    -o "-c listen_addresses='' -k $PG_DIR -p $PG_PORT -c fsync=off $PG_SERVER_OPTS -c shared_preload_libraries='$1'" \
    restart >/dev/null 9>&-
}

say "load SF $SF"
"${BENCH[@]}" load
if [[ ",$ADVISORS," == *,naive,* ]]; then
  "${BENCH[@]}" advisor naive
fi
if want_sqlxos; then
  if [ ! -f "$("$PG_CONFIG" --pkglibdir)/sqlxos.so" ]; then
    die "sqlxos.so is not installed (run without NO_BUILD, or ADVISORS=naive)"
  fi
  exec 9>"$LOCK"
  say "waiting for $LOCK (sqlxos preloaded from here on)"
  flock 9
  restart_pg sqlxos
  "${BENCH[@]}" advisor sqlxos
fi
# Every database measured in the same server, interleaved query by query
# (with sqlxos preloaded if it advised, capture off in every session).
"${BENCH[@]}" measure
stop_pg "$PG_DIR"
trap - EXIT
exec 9>&-   # releases the lock, if taken
"${BENCH[@]}" report
say "measurements: $STATE"
