#!/usr/bin/env bash
# Tests of the sqlxos MariaDB plugin against the real MariaDB of this machine:
#   1. the plugin crate's unit tests (including: sql/mariadb/*.sql are what
#      the function table gives);
#   2. a throwaway mariadbd (Unix socket only, its own datadir and
#      plugin_dir, all in a temporary directory) with the built plugin
#      installed as sqlxos.so, driven by test_mariadb.py: install.sql, every
#      function and alias, errors, hostile input, uninstall.sql;
#   3. a second one with performance_schema on, driven by test_advice.py:
#      sqlxos.suggest_indexes and sqlxos.index_health on generated tables
#      (100k+ rows) after a workload, each suggestion checked with EXPLAIN.
#
#   tests/mariadb/run.sh        # as root, from anywhere; honours CARGO_TARGET_DIR
#
# Idempotent and offline: installs python3-mysqldb with apt only if it is
# missing; the server is shut down and the temporary directory removed on
# exit, whatever happens. Each test prints `N passed, M failed`; exits
# non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3   # Debian's, for the apt package python3-mysqldb
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/sqlxos/target}"

die() { echo "error: $*" >&2; exit 2; }

[ "$(id -u)" = 0 ] || die "run as root (mariadbd runs as --user=root here)"
for tool in mariadbd mariadb-install-db mariadb mariadb-admin; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install mariadb-server mariadb-client)"
done
[ -x "$python" ] || die "$python not found"
if ! "$python" -c 'import MySQLdb' 2>/dev/null; then
    echo "== apt-get install python3-mysqldb"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-mysqldb >/dev/null \
        || die "could not install python3-mysqldb"
fi

cd "$root"
echo "== unit tests of sqlxos-mysql"
cargo test --offline --release -p sqlxos-mysql
echo "== building sqlxos-mysql (release)"
cargo build --offline --release -p sqlxos-mysql
lib="$CARGO_TARGET_DIR/release/libsqlxos_mysql.so"
[ -f "$lib" ] || die "$lib was not built"

work="$(mktemp -d "${TMPDIR:-/tmp}/sqlxos-mariadb-test.XXXXXX")"
server_pids=()
cleanup() {
    local pid dir
    for dir in "$work"/*/; do
        [ -S "$dir/sock" ] && mariadb-admin --no-defaults -S "$dir/sock" -uroot shutdown >/dev/null 2>&1 || true
    done
    for pid in "${server_pids[@]}"; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# start_server NAME [mariadbd options...]: a throwaway server in $work/NAME
# (datadir, socket, plugin_dir with the built plugin as sqlxos.so, log).
start_server() {
    local name=$1 dir="$work/$1" pid
    shift
    mkdir -p "$dir/plugin"
    cp "$lib" "$dir/plugin/sqlxos.so"
    echo "== mariadb-install-db ($name)"
    mariadb-install-db --no-defaults --user=root --datadir="$dir/data" \
        --auth-root-authentication-method=normal --skip-test-db >"$dir/install-db.log" 2>&1 \
        || { cat "$dir/install-db.log" >&2; die "mariadb-install-db failed"; }
    echo "== starting $(mariadbd --version | sed 's/^.*Ver //') ($name${*:+: $*})"
    mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/sock" \
        --skip-networking --plugin-dir="$dir/plugin" --pid-file="$dir/mariadbd.pid" \
        --log-error="$dir/server.log" --max-allowed-packet=64M \
        --innodb-buffer-pool-size=64M "$@" >/dev/null 2>&1 &
    pid=$!
    server_pids+=("$pid")
    for _ in $(seq 1 120); do
        mariadb-admin --no-defaults -S "$dir/sock" -uroot ping >/dev/null 2>&1 && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if ! mariadb-admin --no-defaults -S "$dir/sock" -uroot ping >/dev/null 2>&1; then
        echo "--- server log ($dir/server.log)" >&2
        cat "$dir/server.log" >&2 || true
        die "MariaDB ($name) did not answer within 60 s"
    fi
}

# Each test prints the server log itself if the server goes away, then its
# closing `N passed, M failed` line.
exec_status=0

# The functions, the scripts and the errors of the advice procedures on a
# server without performance_schema (the default).
start_server plain
"$python" "$here/test_mariadb.py" \
    --socket "$work/plain/sock" \
    --sql-dir "$root/sql/mariadb" \
    --plugin "$work/plain/plugin/sqlxos.so" \
    --server-log "$work/plain/server.log" || exec_status=$?

# Index advice on a server with performance_schema, a generated schema and
# workload.
start_server ps --performance-schema=ON
"$python" "$here/test_advice.py" \
    --socket "$work/ps/sock" \
    --sql-dir "$root/sql/mariadb" \
    --server-log "$work/ps/server.log" || exec_status=$?
exit "$exec_status"
