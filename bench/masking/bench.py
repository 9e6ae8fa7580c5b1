#!/usr/bin/python3
"""Masking throughput: sqlxos against the engine's built-in expression.

For each engine and function, runs `SELECT sum(length(<expr>)) FROM t` over
the same generated rows, interleaving ours and the built-in form, and
reports the median of REPEAT runs as rows per second. The built-in forms
compute the same result as ours (checked on the data before timing), except
where the engine has no equivalent (marked).
"""

import argparse
import sqlite3
import statistics
import time

X50 = "X" * 200
SALT = b"bench-salt"
# HMAC-SHA256 spelled with SHA2(): H((K ^ opad) || H((K ^ ipad) || m)), the
# key zero-padded to SHA-256's 64-byte block. The same value as ours.
IPAD = bytes(b ^ 0x36 for b in SALT.ljust(64, b"\0")).hex()
OPAD = bytes(b ^ 0x5C for b in SALT.ljust(64, b"\0")).hex()

# (function, sqlxos expression, {engine: built-in expression or None})
CASES = [
    (
        "mask_inner(s, 5, 1)",
        "sqlxos.mask_inner(s, 5, 1)",
        {
            "postgresql": "CASE WHEN char_length(s) <= 6 THEN s ELSE left(s, 5) || repeat('X', char_length(s) - 6) || right(s, 1) END",
            "mariadb": "CASE WHEN CHAR_LENGTH(s) <= 6 THEN s ELSE CONCAT(LEFT(s, 5), REPEAT('X', CHAR_LENGTH(s) - 6), RIGHT(s, 1)) END",
            "sqlite": f"CASE WHEN length(s) <= 6 THEN s ELSE substr(s, 1, 5) || substr('{X50}', 1, length(s) - 6) || substr(s, -1) END",
        },
    ),
    (
        "mask_email(email)",
        "sqlxos.mask_email(email)",
        {
            "postgresql": "left(email, 1) || repeat('X', strpos(email, '@') - 2) || substr(email, strpos(email, '@'))",
            "mariadb": "CONCAT(LEFT(email, 1), REPEAT('X', LOCATE('@', email) - 2), SUBSTRING(email, LOCATE('@', email)))",
            "sqlite": f"substr(email, 1, 1) || substr('{X50}', 1, instr(email, '@') - 2) || substr(email, instr(email, '@'))",
        },
    ),
    (
        "pseudonymize(email, salt)",
        "sqlxos.pseudonymize(email, 'bench-salt')",
        {
            # pgcrypto's HMAC-SHA256: the same value as ours.
            "postgresql": "left(encode(hmac(email, 'bench-salt', 'sha256'), 'hex'), 32)",
            # MariaDB has no HMAC function: HMAC spelled out with SHA2().
            "mariadb": f"LEFT(SHA2(CONCAT(UNHEX('{OPAD}'), UNHEX(SHA2(CONCAT(UNHEX('{IPAD}'), email), 256))), 256), 32)",
            "sqlite": None,  # no built-in hash function in SQLite
        },
    ),
]

NOT_EQUIVALENT = set()  # every built-in form gives our exact result (checked)


class Engine:
    def q(self, sql):
        cur = self.conn.cursor()
        cur.execute(sql.replace("sqlxos.", self.prefix))
        rows = cur.fetchall() if cur.description else []
        cur.close()
        return rows


class Postgres(Engine):
    name, prefix = "postgresql", "sqlxos."

    def __init__(self, dsn, rows):
        import psycopg2

        self.conn = psycopg2.connect(dsn)
        self.conn.autocommit = True
        self.q("CREATE EXTENSION IF NOT EXISTS sqlxos")
        self.q("CREATE EXTENSION IF NOT EXISTS pgcrypto")
        self.q("SET max_parallel_workers_per_gather = 0")
        self.q("DROP TABLE IF EXISTS t")
        self.q(f"CREATE TABLE t AS SELECT g AS id, 'Customer name number ' || g AS s, "
               f"'user' || g || '@example' || (g % 100) || '.com' AS email FROM generate_series(1, {rows}) g")
        self.q("VACUUM ANALYZE t")


class MariaDB(Engine):
    name, prefix = "mariadb", "sqlxos_"

    def __init__(self, socket, rows):
        import MySQLdb

        self.conn = MySQLdb.connect(unix_socket=socket, user="root", charset="utf8mb4")
        self.conn.autocommit(True)
        self.q("CREATE DATABASE IF NOT EXISTS bench CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.q("USE bench")
        self.q("DROP TABLE IF EXISTS t")
        self.q("CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(100), email VARCHAR(100)) ENGINE=InnoDB")
        self.q(f"INSERT INTO t SELECT seq, CONCAT('Customer name number ', seq), "
               f"CONCAT('user', seq, '@example', seq % 100, '.com') FROM seq_1_to_{rows}")
        self.q("ANALYZE TABLE t")


class SQLite(Engine):
    name, prefix = "sqlite", "sqlxos_"

    def __init__(self, ext, rows):
        self.conn = sqlite3.connect(":memory:")
        self.conn.enable_load_extension(True)
        self.conn.load_extension(ext)
        self.q("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT, email TEXT)")
        self.q(f"WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {rows}) "
               "INSERT INTO t SELECT i, 'Customer name number ' || i, 'user' || i || '@example' || (i % 100) || '.com' FROM g")
        self.conn.commit()


def timed(engine, expr):
    t0 = time.perf_counter()
    engine.q(f"SELECT sum(length({expr})) FROM t")
    return time.perf_counter() - t0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pg")
    ap.add_argument("--mariadb-socket")
    ap.add_argument("--sqlite-ext")
    a = ap.parse_args()

    makers = []
    if a.pg:
        makers.append(lambda: Postgres(a.pg, a.rows))
    if a.mariadb_socket:
        makers.append(lambda: MariaDB(a.mariadb_socket, a.rows))
    if a.sqlite_ext:
        makers.append(lambda: SQLite(a.sqlite_ext, a.rows))

    out = []
    for make in makers:
        engine = make()
        base = statistics.median(timed(engine, "s") for _ in range(3))  # scan + length alone
        for label, ours, builtins in CASES:
            builtin = builtins[engine.name]
            if builtin and (label, engine.name) not in NOT_EQUIVALENT:
                diff = engine.q(f"SELECT count(*) FROM t WHERE {ours} <> {builtin}")[0][0]
                if diff:
                    raise SystemExit(f"{engine.name} {label}: built-in form differs on {diff} rows")
            t_ours, t_builtin = [], []
            for _ in range(a.repeat):
                t_ours.append(timed(engine, ours))
                if builtin:
                    t_builtin.append(timed(engine, builtin))
            o = statistics.median(t_ours)
            b = statistics.median(t_builtin) if t_builtin else None
            out.append((engine.name, label, a.rows / o, a.rows / b if b else None, (b / o) if b else None, a.rows / base))
            print(f"  {engine.name} {label}: done", flush=True)

    print()
    print(f"Masking throughput, {a.rows:,} rows, median of {a.repeat} interleaved runs (rows/s, higher is better)")
    print(f"{'engine':<11} {'function':<27} {'sqlxos':>12} {'built-in':>12} {'sqlxos/built-in':>16} {'bare scan':>12}")
    for eng, label, ours, builtin, ratio, scan in out:
        b = f"{builtin:,.0f}" if builtin else "n/a"
        r = f"{ratio:.2f}x" if ratio else "-"
        print(f"{eng:<11} {label:<27} {ours:>12,.0f} {b:>12} {r:>16} {scan:>12,.0f}")
    print("Goal: sqlxos/built-in >= 2x in PostgreSQL, >= 1x elsewhere. Built-in pseudonyms: pgcrypto's hmac() in")
    print("PostgreSQL, HMAC spelled out with SHA2() in MariaDB; SQLite has no built-in hash, so nothing to compare.")


if __name__ == "__main__":
    main()
