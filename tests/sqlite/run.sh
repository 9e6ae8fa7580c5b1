#!/usr/bin/env bash
# Tests of the sqlxos SQLite extension against the real SQLite of this
# machine: the sqlite3 CLI (cli_cases.sql, compared line by line with
# cli_expected.out / cli_expected.err) and Python's sqlite3 module
# (test_sqlite.py, run with /usr/bin/python3, which can load extensions);
# workload capture and index advice on 100k-row tables, from Python and the
# CLI (test_advice.py).
#
#   tests/sqlite/run.sh            # from anywhere; honours CARGO_TARGET_DIR
#
# Builds the extension (release, offline) first. Idempotent: all scratch
# files live in a temporary directory that is removed on exit. Prints
# `N passed, M failed` last and exits non-zero on any failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python=/usr/bin/python3

command -v sqlite3 >/dev/null || { echo "sqlite3 CLI not found (apt-get install sqlite3)" >&2; exit 2; }
[ -x "$python" ] || { echo "$python not found" >&2; exit 2; }

cd "$root"
echo "== building sqlxos-sqlite (release)"
cargo build --offline --release -p sqlxos-sqlite --lib --example function_table
target="$(cargo metadata --offline --format-version 1 --no-deps |
    "$python" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
built="$target/release/libsqlxos_sqlite.so"
table_bin="$target/release/examples/function_table"
[ -f "$built" ] || { echo "$built was not built" >&2; exit 2; }

work="$(mktemp -d "${TMPDIR:-/tmp}/sqlxos-sqlite-test.XXXXXX")"
trap 'rm -rf "$work"' EXIT
# Installed under the name users load: libsqlxos.so (entry sqlite3_sqlxos_init).
cp "$built" "$work/libsqlxos.so"
lib="$work/libsqlxos"                       # no suffix: SQLite adds .so
"$table_bin" > "$work/functions.tsv"

passed=0
failed=0

# compare NAME EXPECTED ACTUAL: one case per line.
compare() {
    local name="$1" expected="$2" actual="$3" i n e a
    local -a exp act
    mapfile -t exp < "$expected"
    mapfile -t act < "$actual"
    n=${#exp[@]}
    (( ${#act[@]} > n )) && n=${#act[@]}
    for (( i = 0; i < n; i++ )); do
        e="${exp[i]-<missing line>}"
        a="${act[i]-<missing line>}"
        if [[ "$e" == "$a" ]]; then
            passed=$((passed + 1))
        else
            failed=$((failed + 1))
            printf 'FAIL cli %s line %d\n  expected: %s\n  actual:   %s\n' "$name" $((i + 1)) "$e" "$a"
        fi
    done
}

echo "== sqlite3 CLI $(sqlite3 --version | cut -d' ' -f1)"
# .bail is off (cli_cases.sql says so): every case runs and errors go to
# stderr; the exit status is non-zero because some cases are errors.
sqlite3 -batch -cmd ".load $lib" :memory: < "$here/cli_cases.sql" \
    > "$work/cli.out" 2> "$work/cli.err.raw" || true
sed -E 's/ near line [0-9]+:/:/' "$work/cli.err.raw" > "$work/cli.err"
before=$passed
compare stdout "$here/cli_expected.out" "$work/cli.out"
compare stderr "$here/cli_expected.err" "$work/cli.err"
cli_failed=$failed
echo "cli: $((passed - before)) passed, $cli_failed failed"

echo "== python ($python)"
set +e
"$python" "$here/test_sqlite.py" "$lib" "$work/functions.tsv" | tee "$work/python.out"
py_status=${PIPESTATUS[0]}
set -e
summary="$(grep -E '^python: [0-9]+ passed, [0-9]+ failed$' "$work/python.out" | tail -n1 || true)"
if [[ -z "$summary" ]]; then
    echo "FAIL python: no summary line (exit status $py_status)"
    failed=$((failed + 1))
else
    read -r _ p _ f _ <<< "$summary"
    passed=$((passed + p))
    failed=$((failed + f))
    if (( py_status != 0 && f == 0 )); then
        echo "FAIL python: exit status $py_status"
        failed=$((failed + 1))
    fi
fi

echo "== advice and capture (test_advice.py: python and the CLI)"
set +e
"$python" "$here/test_advice.py" "$lib" "$work" | tee "$work/advice.out"
adv_status=${PIPESTATUS[0]}
set -e
summary="$(grep -E '^advice: [0-9]+ passed, [0-9]+ failed$' "$work/advice.out" | tail -n1 || true)"
if [[ -z "$summary" ]]; then
    echo "FAIL advice: no summary line (exit status $adv_status)"
    failed=$((failed + 1))
else
    read -r _ p _ f _ <<< "$summary"
    passed=$((passed + p))
    failed=$((failed + f))
    if (( adv_status != 0 && f == 0 )); then
        echo "FAIL advice: exit status $adv_status"
        failed=$((failed + 1))
    fi
fi

echo "$passed passed, $failed failed"
(( failed == 0 ))
