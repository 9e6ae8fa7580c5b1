# shellcheck shell=bash
# Shared by scripts/demo.sh and scripts/test.sh: install what is missing,
# build the three extensions, start and stop throwaway engines.
# Everything here is idempotent and runs as root on Debian 12.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/sqlxos/target}
PG_BIN=/usr/lib/postgresql/15/bin
PG_CONFIG=/usr/bin/pg_config
PYTHON=/usr/bin/python3   # Debian's: it can load SQLite extensions
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

APT_PACKAGES=(
  build-essential pkg-config clang libclang-dev sudo
  postgresql-15 postgresql-server-dev-15 postgresql-15-hypopg
  mariadb-server mariadb-client libmariadb-dev
  sqlite3 libsqlite3-dev
  python3 python3-psycopg2 python3-mysqldb
)

# Installs the apt packages, cargo-pgrx 0.18.0 and pgrx's PostgreSQL 15
# configuration, each only when missing.
ensure_deps() {
  [ "$(id -u)" = 0 ] || die "run as root (it installs apt packages and starts engines as the postgres user)"
  command -v cargo >/dev/null || die "cargo not found: install Rust (rustup) first"
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ! cargo pgrx --version 2>/dev/null | grep -q ' 0\.18\.0'; then
    say "cargo install cargo-pgrx 0.18.0 (about 5 minutes, once)"
    cargo install cargo-pgrx --version 0.18.0 --locked --quiet
  fi
  if ! grep -qs '^pg15' "$HOME/.pgrx/config.toml"; then
    say "cargo pgrx init --pg15 $PG_CONFIG"
    cargo pgrx init --pg15 "$PG_CONFIG" >/dev/null
  fi
}

# Builds and installs the PostgreSQL extension into the system's
# PostgreSQL 15 (sqlxos.so, sqlxos.control, sqlxos--VERSION.sql).
build_pg() {
  say "build + install the PostgreSQL extension into $("$PG_CONFIG" --pkglibdir) (a first build compiles pgrx: minutes)"
  local log
  log=$(mktemp)
  if ! (cd "$ROOT/pg_sqlxos" && cargo pgrx install --release --pg-config "$PG_CONFIG") >"$log" 2>&1; then
    cat "$log" >&2
    die "building the PostgreSQL extension failed"
  fi
  rm -f "$log"
}

# Builds the SQLite extension and installs it as libsqlxos.so in its own
# directory (cargo's output is libsqlxos_sqlite.so: the PostgreSQL library
# is the libsqlxos.so of the target directory); prints that path.
build_sqlite() {
  say "build the SQLite extension"
  cargo build --quiet --release -p sqlxos-sqlite --manifest-path "$ROOT/Cargo.toml" >&2
  mkdir -p "$CARGO_TARGET_DIR/sqlite"
  cp "$CARGO_TARGET_DIR/release/libsqlxos_sqlite.so" "$CARGO_TARGET_DIR/sqlite/libsqlxos.so"
  echo "$CARGO_TARGET_DIR/sqlite/libsqlxos.so"
}

# Builds the MariaDB plugin; prints the path of the built library.
build_mariadb() {
  say "build the MariaDB plugin"
  cargo build --quiet --release -p sqlxos-mysql --manifest-path "$ROOT/Cargo.toml" >&2
  echo "$CARGO_TARGET_DIR/release/libsqlxos_mysql.so"
}

free_port() {
  "$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_pg VAR [preload]: starts a throwaway PostgreSQL 15 cluster owned by
# the postgres user, listening only on a Unix socket in its own directory,
# and sets VAR_DIR, VAR_PORT (socket dir and port). With "preload", sqlxos is
# in shared_preload_libraries. PG_SERVER_OPTS, when set, is added to the
# server's options (e.g. "-c shared_buffers=4GB").
start_pg() {
  local var=$1 preload=${2:-} dir port opts
  dir=$(mktemp -d /tmp/sqlxos-pg.XXXXXX)
  chown postgres: "$dir"
  port=$(free_port)
  runuser -u postgres -- "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  opts="-c listen_addresses='' -k $dir -p $port -c fsync=off"
  [ "$preload" = preload ] && opts="$opts -c shared_preload_libraries=sqlxos"
  opts="$opts ${PG_SERVER_OPTS:-}"
  if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$opts" start >/dev/null; then
    cat "$dir/server.log" >&2
    die "PostgreSQL did not start"
  fi
  printf -v "${var}_DIR" '%s' "$dir"
  printf -v "${var}_PORT" '%s' "$port"
}

stop_pg() {
  local dir=$1
  [ -d "$dir/data" ] || return 0
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

# start_mariadb VAR PLUGIN_SO [OPTION...]: a throwaway MariaDB on a Unix
# socket only, with PLUGIN_SO installed in its plugin_dir as sqlxos.so; the
# OPTIONs are passed to mariadbd last (so they override the defaults here).
# Sets VAR_DIR and VAR_SOCKET.
start_mariadb() {
  local var=$1 so=$2 dir i
  shift 2
  dir=$(mktemp -d /tmp/sqlxos-mdb.XXXXXX)
  mkdir -p "$dir/plugin"
  cp "$so" "$dir/plugin/sqlxos.so"
  mariadb-install-db --no-defaults --user=root --datadir="$dir/data" --auth-root-authentication-method=normal \
    --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; die "mariadb-install-db failed"; }
  mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/sock" --skip-networking \
    --plugin-dir="$dir/plugin" --pid-file="$dir/pid" --log-error="$dir/server.log" \
    --performance-schema=ON --max-allowed-packet=64M --innodb-buffer-pool-size=128M "$@" >/dev/null 2>&1 &
  for i in $(seq 1 120); do
    mariadb --no-defaults -S "$dir/sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
    sleep 0.5
  done
  mariadb --no-defaults -S "$dir/sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 || { cat "$dir/server.log" >&2; die "MariaDB did not start"; }
  printf -v "${var}_DIR" '%s' "$dir"
  printf -v "${var}_SOCKET" '%s' "$dir/sock"
}

stop_mariadb() {
  local dir=$1 pid i
  [ -f "$dir/pid" ] || { rm -rf "$dir"; return 0; }
  pid=$(cat "$dir/pid")
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  rm -rf "$dir"
}
