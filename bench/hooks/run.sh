#!/usr/bin/env bash
# Hook overhead of the workload capture: pgbench select-only (pgbench -S),
# scale 10, 2 clients, on one throwaway PostgreSQL 15 cluster restarted per
# run with a different shared_preload_libraries; configurations interleaved
# round by round (in a rotated order) so that drift of the machine hits all
# alike. Prints the median TPS per configuration and its overhead: the
# median over the rounds of the TPS lost against no preload in that round.
#
#   sudo bench/hooks/run.sh                 # 5 rounds x 20 s (about 8 minutes)
#                                           # (takes /tmp/sqlxos-pg.lock itself)
#   ROUNDS=3 SECONDS_PER_RUN=10 sudo bench/hooks/run.sh
#   NO_BUILD=1 ...                          # use the installed sqlxos.so
#
# Goal (issue 10): sqlxos costs no more TPS than pg_stat_statements, at most 3%.
set -euo pipefail
# The install writes sqlxos.so into the system PostgreSQL directories, and
# every cluster restart here loads it from there: hold the lock shared with
# the pgrx tests and scripts of every worktree for the whole run (set
# SQLXOS_PG_LOCKED=1 when the caller already holds /tmp/sqlxos-pg.lock).
if [ -z "${SQLXOS_PG_LOCKED:-}" ]; then
  exec env SQLXOS_PG_LOCKED=1 flock /tmp/sqlxos-pg.lock "$0" "$@"
fi
. "$(dirname "$0")/../../scripts/lib.sh"

ROUNDS=${ROUNDS:-5}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-20}
SCALE=${SCALE:-10}
CLIENTS=${CLIENTS:-2}
CONFIGS=("none:" "pg_stat_statements:pg_stat_statements" "sqlxos:sqlxos" "sqlxos+pgss:pg_stat_statements,sqlxos")

ensure_deps
if [ -z "${NO_BUILD:-}" ]; then
  build_pg   # under /tmp/sqlxos-pg.lock, taken above
fi

start_pg PG
trap 'stop_pg "$PG_DIR"' EXIT
psql_() { runuser -u postgres -- "$PG_BIN/psql" -X -q -h "$PG_DIR" -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 "$@"; }

restart_with() {
  local libs=$1
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 -m fast \
    -o "-c listen_addresses='' -k $PG_DIR -p $PG_PORT -c fsync=off -c shared_preload_libraries='$libs'" \
    restart >/dev/null
}

say "pgbench -i -s $SCALE"
runuser -u postgres -- "$PG_BIN/pgbench" -q -i -s "$SCALE" -h "$PG_DIR" -p "$PG_PORT" postgres >/dev/null 2>&1
# sqlxos captures only where the extension is installed.
restart_with sqlxos
psql_ -c "CREATE EXTENSION sqlxos" -c "CREATE EXTENSION pg_stat_statements"

RESULTS=$(mktemp)
for round in $(seq 1 "$ROUNDS"); do
  # Each round starts one configuration further, so that no configuration
  # always runs right after the same one, or first after a round's start.
  for i in "${!CONFIGS[@]}"; do
    cfg=${CONFIGS[$(( (i + round - 1) % ${#CONFIGS[@]} ))]}
    name=${cfg%%:*} libs=${cfg#*:}
    restart_with "$libs"
    # warm the buffer cache and the backend code paths
    runuser -u postgres -- "$PG_BIN/pgbench" -S -c "$CLIENTS" -j "$CLIENTS" -T 2 -h "$PG_DIR" -p "$PG_PORT" postgres >/dev/null 2>&1
    tps=$(runuser -u postgres -- "$PG_BIN/pgbench" -S -c "$CLIENTS" -j "$CLIENTS" -T "$SECONDS_PER_RUN" \
            -h "$PG_DIR" -p "$PG_PORT" postgres 2>/dev/null | awk '/^tps = / {print $3; exit}')
    say "round $round  $name  $tps tps"
    echo "$round $name $tps" >>"$RESULTS"
    # What is measured must be the capture at work: after each sqlxos run
    # (the rotation ends rounds with any configuration), its workload
    # holds the pgbench statements.
    if [ "$name" = sqlxos ] && ! psql_ -t -A -c "SELECT count(*) > 0 FROM sqlxos.workload" | grep -q t; then
      die "sqlxos.workload is empty after a sqlxos run: capture was not active"
    fi
  done
done
say "sqlxos.workload held the pgbench statements after every sqlxos run (capture was active)"

"$PYTHON" - "$RESULTS" "$ROUNDS" "$SECONDS_PER_RUN" "$CLIENTS" "$SCALE" <<'PY'
import statistics, sys
path, rounds, secs, clients, scale = sys.argv[1:]
runs, by_round = {}, {}
for line in open(path):
    r, name, tps = line.split()
    runs.setdefault(name, []).append(float(tps))
    by_round.setdefault(r, {})[name] = float(tps)
order = ["none"] + [n for n in runs if n != "none"]
base = statistics.median(runs["none"])
print(f"\npgbench -S, scale {scale}, {clients} clients, {rounds} rounds x {secs} s, interleaved"
      " (each round in a rotated order)")
print("overhead: the median over the rounds of the TPS lost against no preload in the same round")
print(f"{'configuration':<22}{'median TPS':>12}{'overhead':>10}   runs")
for name in order:
    v = runs[name]
    paired = [(t["none"] - t[name]) / t["none"] for t in by_round.values() if "none" in t and name in t]
    over = statistics.median(paired) * 100 if paired else float("nan")
    print(f"{name:<22}{statistics.median(v):>12.0f}{over:>9.1f}%   " + " ".join(f"{x:.0f}" for x in v))
PY
rm -f "$RESULTS"
