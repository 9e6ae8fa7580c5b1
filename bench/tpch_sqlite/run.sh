#!/usr/bin/env bash
# TPC-H index-advice benchmark for SQLite (issue 11): sqlxos_suggest_indexes()
# beside the sqlite3 CLI's .expert on the same run. Prints a table.
#
#   bench/tpch_sqlite/run.sh                 # SF 0.1
#   SF=1 bench/tpch_sqlite/run.sh            # SF 1 (about 1.2 GB database)
#
# Environment: SF (0.1), ADVISORS (sqlxos,expert), QUERIES (all; e.g.
# q01,q07), TIMEOUT_S (120), LONG_S (60), TPCH_CACHE (~/.cache/sqlxos/tpch:
# CSV per SF and the loaded SQLite file per SF, both made once),
# TPCH_VENV (~/.cache/sqlxos/tpch-venv: a venv with tpchgen-cli, created
# with pip when missing), CARGO_TARGET_DIR (honoured by the build).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
source "$root/scripts/lib.sh"

SF=${SF:-0.1}
cache=${TPCH_CACHE:-$HOME/.cache/sqlxos/tpch}
venv=${TPCH_VENV:-$HOME/.cache/sqlxos/tpch-venv}
python=/usr/bin/python3   # Debian's: its sqlite3 module can load extensions

command -v sqlite3 >/dev/null || { echo "sqlite3 CLI not found (apt-get install sqlite3)" >&2; exit 2; }
[ -x "$python" ] || { echo "$python not found" >&2; exit 2; }
if [ ! -x "$venv/bin/tpchgen-cli" ] && [ ! -f "$cache/sf$SF/lineitem.csv" ]; then
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet tpchgen-cli
fi

lib="$(build_sqlite)"
work="$(mktemp -d "${TMPDIR:-/tmp}/sqlxos-tpch-sqlite.XXXXXX")"
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"

"$python" "$here/bench.py" --sf "$SF" --cache "$cache" --work "$work" --lib "${lib%.so}" \
  --venv-bin "$venv/bin" --advisors "${ADVISORS:-sqlxos,expert}" --queries "${QUERIES:-}"
