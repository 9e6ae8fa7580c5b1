#!/usr/bin/env bash
# Tests of the sqlxos MariaDB plugin against the real MariaDB of this machine:
#   1. the plugin crate's unit tests (including: sql/mariadb/*.sql are what
#      the function table gives);
#   2. a throwaway mariadbd (Unix socket only, its own datadir and
#      plugin_dir, all in a temporary directory) with the built plugin
#      installed as sqlxos.so, driven by test_mariadb.py: install.sql, every
#      function and alias, errors, hostile input, uninstall.sql.
#
#   tests/mariadb/run.sh        # as root, from anywhere; honours CARGO_TARGET_DIR
#
# Idempotent and offline: installs python3-mysqldb with apt only if it is
# missing; the server is shut down and the temporary directory removed on
# exit, whatever happens. Prints `N passed, M failed` last and exits non-zero
# on any failure.
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
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        mariadb-admin --no-defaults -S "$work/sock" -uroot shutdown >/dev/null 2>&1 || kill "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 60); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/plugin"
cp "$lib" "$work/plugin/sqlxos.so"

echo "== mariadb-install-db"
mariadb-install-db --no-defaults --user=root --datadir="$work/data" \
    --auth-root-authentication-method=normal --skip-test-db >"$work/install-db.log" 2>&1 \
    || { cat "$work/install-db.log" >&2; die "mariadb-install-db failed"; }

echo "== starting $(mariadbd --version | sed 's/^.*Ver //')"
mariadbd --no-defaults --user=root --datadir="$work/data" --socket="$work/sock" \
    --skip-networking --plugin-dir="$work/plugin" --pid-file="$work/mariadbd.pid" \
    --log-error="$work/server.log" --max-allowed-packet=64M \
    --innodb-buffer-pool-size=64M >/dev/null 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do
    mariadb-admin --no-defaults -S "$work/sock" -uroot ping >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done
if ! mariadb-admin --no-defaults -S "$work/sock" -uroot ping >/dev/null 2>&1; then
    echo "--- server log ($work/server.log)" >&2
    cat "$work/server.log" >&2 || true
    die "MariaDB did not answer within 60 s"
fi

# The test prints the server log itself if the server goes away, then its
# closing `N passed, M failed` line.
exec_status=0
"$python" "$here/test_mariadb.py" \
    --socket "$work/sock" \
    --sql-dir "$root/sql/mariadb" \
    --plugin "$work/plugin/sqlxos.so" \
    --server-log "$work/server.log" || exec_status=$?
exit "$exec_status"
