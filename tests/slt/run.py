#!/usr/bin/python3
"""Cross-engine sqllogictest runner for sqlxos.

Runs every record of the given .slt files against each engine it is given
(a live PostgreSQL with sqlxos installed, a live MariaDB with the plugin
installed, SQLite with the extension loaded) and prints, for every failure,
the engine, file:line, the SQL, what was expected and what came back.

The files are written in PostgreSQL's spelling, `sqlxos.mask_inner(...)`;
for MariaDB and SQLite the runner rewrites `sqlxos.` to `sqlxos_`, which is
the whole naming contract between the engines.

Record forms (the usual sqllogictest subset):

    statement ok | statement error <regex>
    <sql>

    query <types> [rowsort|nosort]
    <sql>
    ----
    <rows, columns separated by a single space>

    onlyif <engine> / skipif <engine>   (engine: postgresql, mariadb, sqlite)

Values print as: NULL, integers as digits, floats (type R) with 3 decimals,
the empty string as (empty). Must be run with Debian's /usr/bin/python3,
which can load SQLite extensions.
"""

import argparse
import os
import re
import sqlite3
import sys
import tempfile

ENGINES = ("postgresql", "mariadb", "sqlite")


class Record:
    def __init__(self, path, line, kind, sql, arg=None, types="", sort="nosort", expected=None, only=None, skip=()):
        self.path, self.line, self.kind, self.sql = path, line, kind, sql
        self.arg, self.types, self.sort, self.expected = arg, types, sort, expected
        self.only, self.skip = only, set(skip)

    def applies(self, engine):
        return (self.only is None or engine in self.only) and engine not in self.skip


def parse(path):
    records, lines, i = [], open(path, encoding="utf-8").read().split("\n"), 0
    only, skip = None, []
    while i < len(lines):
        line = lines[i].rstrip()
        i += 1
        if not line or line.startswith("#"):
            continue
        words = line.split()
        if words[0] in ("onlyif", "skipif"):
            if words[1] not in ENGINES:
                sys.exit(f"{path}:{i}: unknown engine {words[1]!r}")
            if words[0] == "onlyif":
                only = (only or set()) | {words[1]}
            else:
                skip.append(words[1])
            continue
        start = i
        if words[0] not in ("statement", "query"):
            sys.exit(f"{path}:{i}: expected 'statement' or 'query', got {line!r}")
        body = []
        while i < len(lines) and lines[i].strip() and lines[i] != "----":
            body.append(lines[i])
            i += 1
        sql = "\n".join(body)
        if words[0] == "statement":
            if words[1] == "ok":
                rec = Record(path, start, "ok", sql)
            elif words[1] == "error":
                rec = Record(path, start, "error", sql, arg=line.split(None, 2)[2] if len(words) > 2 else "")
            else:
                sys.exit(f"{path}:{start}: statement ok|error, got {line!r}")
        else:
            types = words[1] if len(words) > 1 else ""
            sort = words[2] if len(words) > 2 else "nosort"
            expected = []
            if i < len(lines) and lines[i] == "----":
                i += 1
                while i < len(lines) and lines[i] != "":
                    expected.append(lines[i])
                    i += 1
            rec = Record(path, start, "query", sql, types=types, sort=sort, expected=expected)
        rec.only, rec.skip = only, set(skip)
        only, skip = None, []
        records.append(rec)
    return records


def parse_readme(path):
    """Turns the README's examples into records: every line of the form
    `SELECT <expr>;  -- <result>` between the markers
    `<!-- tested-examples:start -->` and `<!-- tested-examples:end -->`.
    `-- ERROR: <text>` expects that error; `-- e.g. ...` (random output) is
    only checked to run."""
    records, inside = [], False
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if "tested-examples:start" in line:
            inside = True
        elif "tested-examples:end" in line:
            inside = False
        elif inside:
            m = re.match(r"^(SELECT .*?);\s+-- (.*)$", line.rstrip())
            if not m:
                continue
            sql, result = m.group(1), m.group(2).strip()
            if result.startswith("ERROR: "):
                records.append(Record(path, n, "error", sql, arg=re.escape(result[len("ERROR: "):])))
            elif result.startswith("e.g."):
                records.append(Record(path, n, "ok", sql))
            else:
                records.append(Record(path, n, "query", sql, types="T", expected=[result]))
    if not records:
        sys.exit(f"{path}: no tested examples found between the markers")
    return records


def render(value, typ):
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (bytes, bytearray, memoryview)):
        value = bytes(value).decode("utf-8", "replace")
    if typ == "R":
        return f"{float(value):.3f}"
    if typ == "I" and not isinstance(value, str):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value)
    return "(empty)" if s == "" else s


class Engine:
    name = "?"
    rewrite = True

    def translate(self, sql):
        return re.sub(r"\bsqlxos\.", "sqlxos_", sql) if self.rewrite else sql

    def run(self, sql):
        cur = self.conn.cursor()
        cur.execute(self.translate(sql))
        rows = cur.fetchall() if cur.description else []
        cur.close()
        return rows


class Postgres(Engine):
    name, rewrite = "postgresql", False

    def __init__(self, dsn, dbname):
        import psycopg2

        self.psycopg2 = psycopg2
        admin = psycopg2.connect(dsn)
        admin.autocommit = True
        with admin.cursor() as c:
            c.execute(f'DROP DATABASE IF EXISTS "{dbname}"')
            c.execute(f'CREATE DATABASE "{dbname}"')
        admin.close()
        self.conn = psycopg2.connect(dsn + f" dbname={dbname}")
        self.conn.autocommit = True
        self.run("CREATE EXTENSION IF NOT EXISTS sqlxos")

    def error_text(self, e):
        diag = getattr(e, "diag", None)
        return (diag.message_primary if diag and diag.message_primary else str(e)).strip()


class MariaDB(Engine):
    name = "mariadb"

    def __init__(self, socket, dbname):
        import MySQLdb

        self.conn = MySQLdb.connect(unix_socket=socket, user="root", charset="utf8mb4", use_unicode=True)
        self.conn.autocommit(True)
        self.run(f"DROP DATABASE IF EXISTS `{dbname}`")
        self.run(f"CREATE DATABASE `{dbname}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.run(f"USE `{dbname}`")
        self.run("SET NAMES utf8mb4 COLLATE utf8mb4_bin")

    def error_text(self, e):
        return str(e.args[1]) if len(e.args) > 1 else str(e)


class SQLite(Engine):
    name = "sqlite"

    def __init__(self, ext, path):
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.enable_load_extension(True)
        self.conn.load_extension(ext)
        self.conn.enable_load_extension(False)

    def error_text(self, e):
        return str(e)


def run_record(engine, rec):
    """Returns None on success, else a failure message."""
    try:
        rows = engine.run(rec.sql)
    except Exception as e:  # every driver's error type
        if rec.kind == "error":
            msg = engine.error_text(e)
            if re.search(rec.arg, msg):
                return None
            return f"expected an error matching: {rec.arg}\n  actual error:             {msg}"
        return f"unexpected error: {engine.error_text(e)}"
    if rec.kind == "error":
        return f"expected an error matching: {rec.arg}\n  but the statement succeeded, rows: {rows!r}"
    if rec.kind == "ok":
        return None
    actual = []
    for row in rows:
        cols = [render(v, rec.types[j] if j < len(rec.types) else "T") for j, v in enumerate(row)]
        actual.append(" ".join(cols))
    expected = list(rec.expected)
    if rec.sort == "rowsort":
        actual.sort()
        expected.sort()
    if actual == expected:
        return None
    return "expected:\n    " + "\n    ".join(expected or ["(no rows)"]) + "\n  actual:\n    " + "\n    ".join(actual or ["(no rows)"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pg", help="libpq DSN without dbname, e.g. 'host=/tmp/x port=5433 user=postgres'")
    ap.add_argument("--mariadb-socket", help="Unix socket of a MariaDB with sql/mariadb/install.sql applied")
    ap.add_argument("--sqlite-ext", help="path of libsqlxos.so")
    ap.add_argument("files", nargs="+", help=".slt files, or README.md for its tested examples")
    args = ap.parse_args()
    if not (args.pg or args.mariadb_socket or args.sqlite_ext):
        ap.error("give at least one engine: --pg, --mariadb-socket, --sqlite-ext")

    passed = failed = 0
    tmp = tempfile.mkdtemp(prefix="sqlxos-slt-")
    for path in args.files:
        records = parse_readme(path) if path.endswith(".md") else parse(path)
        base = re.sub(r"\W", "_", os.path.splitext(os.path.basename(path))[0])
        engines = []
        if args.pg:
            engines.append(lambda: Postgres(args.pg, f"slt_{base}"))
        if args.mariadb_socket:
            engines.append(lambda: MariaDB(args.mariadb_socket, f"slt_{base}"))
        if args.sqlite_ext:
            engines.append(lambda: SQLite(args.sqlite_ext, os.path.join(tmp, base + ".db")))
        for make in engines:
            engine = make()
            for rec in records:
                if not rec.applies(engine.name):
                    continue
                problem = run_record(engine, rec)
                if problem is None:
                    passed += 1
                else:
                    failed += 1
                    print(f"FAIL [{engine.name}] {rec.path}:{rec.line}\n  {engine.translate(rec.sql)}\n  {problem}\n")
            print(f"{engine.name:10} {path}: done")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
