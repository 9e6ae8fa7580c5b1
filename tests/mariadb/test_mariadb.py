#!/usr/bin/python3
"""Real-engine test of the sqlxos MariaDB plugin; run by tests/mariadb/run.sh.

Drives a running mariadbd (Unix socket) that has the built plugin in its
plugin_dir as sqlxos.so:

- install.sql (twice: it must be idempotent) with the mariadb CLI;
- every function and alias it creates is in mysql.func with its return
  type, and is exactly what the library exports (nm);
- every function has value cases (a function without one fails the run),
  run for its sqlxos_ name and its alias, with constant arguments and with
  arguments from a table column; NULL in any argument gives NULL;
- errors: wrong arity and bad constant arguments fail with the core's text;
  a bad argument in a table column gives NULL;
- generators, checked structurally over 100 rows (Luhn, MOD 97, ranges,
  patterns); pseudonymize of a column equals that of the literal;
- hostile input (empty, NUL bytes, invalid UTF-8, 1 MB and 2 MB strings,
  extreme numbers, SQL-ish text) in every argument of every function never
  takes the server down;
- the aggregate functions and procedures of index advice are installed;
  without performance_schema (this server's default) suggest_indexes fails
  saying how to turn it on, and index_health still lists duplicates;
- uninstall.sql removes every sqlxos function, procedure and the sqlxos
  database, and install/uninstall keep a bare MySQL Enterprise name that
  belongs to another library.

Prints `N passed, M failed` last; exits 1 on any failure.
"""

import argparse
import hashlib
import hmac
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import iban_ok, luhn_ok  # noqa: E402

import MySQLdb

RET_CODE = {"STRING": 0, "REAL": 1, "INTEGER": 2}
PREFIX = "sqlxos_"
DB = "sqlxos_test"


# ----------------------------------------------------------------------------
# Structural checks for generated values


def is_pan(size):
    def check(v):
        return isinstance(v, str) and re.fullmatch(r"[0-9]{%d}" % size, v) is not None and luhn_ok(v)

    check.__doc__ = f"{size} digits passing the Luhn check"
    return check


def is_iban(country, size):
    def check(v):
        return (
            isinstance(v, str)
            and v.startswith(country)
            and len(v.replace(" ", "")) == size
            and re.fullmatch(r"[A-Z0-9]{4}( [A-Z0-9]{4})*( [A-Z0-9]{1,3})?", v) is not None
            and iban_ok(v)
        )

    check.__doc__ = f"a {size}-character {country} IBAN in groups of four, MOD 97 = 1"
    return check


def is_ssn(v):
    """AAA-BB-CCCC with AAA 900-999, BB 01-49, CCCC 0001-9999"""
    m = isinstance(v, str) and re.fullmatch(r"([0-9]{3})-([0-9]{2})-([0-9]{4})", v)
    return bool(m) and 900 <= int(m[1]) <= 999 and 1 <= int(m[2]) <= 49 and int(m[3]) >= 1


def is_us_phone(v):
    """1-555-555-01XX (MySQL's 1-555-AAA-BBBB, in the fictional block)"""
    return isinstance(v, str) and re.fullmatch(r"1-555-555-01[0-9]{2}", v) is not None


def is_uk_nin(v):
    """QQ, six digits, A-D"""
    return isinstance(v, str) and re.fullmatch(r"QQ[0-9]{6}[A-D]", v) is not None


def is_canada_sin(v):
    """8AA-BBB-CCC passing the Luhn check"""
    return (
        isinstance(v, str)
        and re.fullmatch(r"8[0-9]{2}-[0-9]{3}-[0-9]{3}", v) is not None
        and luhn_ok(v.replace("-", ""))
    )


def is_uuid4(v):
    """a lowercase version 4 UUID"""
    return (
        isinstance(v, str)
        and re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", v)
        is not None
    )


def is_email(name, surname, domain):
    def check(v):
        pattern = r"[a-z]{%d}\.[a-z]{%d}@%s" % (name, surname, re.escape(domain))
        return isinstance(v, str) and re.fullmatch(pattern, v) is not None

    check.__doc__ = f"[a-z]{{{name}}}.[a-z]{{{surname}}}@{domain}"
    return check


def int_in(lo, hi):
    def check(v):
        return isinstance(v, int) and lo <= v <= hi

    check.__doc__ = f"an integer from {lo} to {hi}"
    return check


def number_text_in(lo, hi, integral):
    def check(v):
        if not isinstance(v, str):
            return False
        try:
            x = int(v) if integral else float(v)
        except ValueError:
            return False
        return lo <= x <= hi

    check.__doc__ = f"text of {'an integer' if integral else 'a number'} from {lo} to {hi}"
    return check


def hmac_hex(value, salt, n=32):
    return hmac.new(salt.encode(), value.encode(), hashlib.sha256).hexdigest()[:n]


# ----------------------------------------------------------------------------
# Value cases, by base name: (arguments, expected). An expected callable is a
# predicate (random results). Arguments are Python values, sent as literals
# (constant arguments) and as columns of a one-row table (per-row
# arguments). MySQL manual examples first where the manual has them.

CASES = {
    "mask_inner": [
        (["This is a string", 5, 1], "This XXXXXXXXXXg"),
        (["This is a string", 1, 5], "TXXXXXXXXXXtring"),
        (["This is a string", 1, 5, "#"], "T##########tring"),
        (["abcdef", 1, 2, "*"], "a***ef"),
        (["かすみがうら市", 3, 1], "かすみXXX市"),
        (["ñandú", 1, 1, "█"], "ñ███ú"),
        (["abc", 2, 2], "abc"),
        (["", 1, 1], ""),
        (["a\0b\0c", 1, 1], "aXXXc"),
        (["x'); DROP TABLE sentinel; --", 1, 1], "x" + "X" * 26 + "-"),
        (["x'); DROP TABLE sentinel; --", 99, 99], "x'); DROP TABLE sentinel; --"),
        ([12345, 1, 1], "1XXX5"),
        (["abc", 9223372036854775807, 0], "abc"),
    ],
    "mask_outer": [
        (["This is a string", 5, 1], "XXXXXis a strinX"),
        (["This is a string", 1, 5], "Xhis is a sXXXXX"),
        (["This is a string", 1, 5, "#"], "#his is a s#####"),
        (["abcdef", 0, 5, "#"], "a#####"),
        (["ñandú", 1, 1], "XandX"),
        (["abc", 2, 2], "XXX"),
    ],
    "mask_pan": [
        (["4111111111111111"], "XXXXXXXXXXXX1111"),
        (["4111 1111 1111 1111", "*"], "**** **** **** 1111"),
    ],
    "mask_pan_relaxed": [
        (["4111111111111111"], "411111XXXXXX1111"),
    ],
    "mask_ssn": [
        (["909-63-6922"], "***-**-6922"),
        (["abcdefghi"], "*****fghi"),
    ],
    "mask_iban": [
        (["IE12 BOFI 9000 0112 3456 78"], "IE** **** **** **** **** **"),
        (["NL02ABNA0123456789"], "NL****************"),
    ],
    "mask_uk_nin": [
        (["QQ 12 34 56 C"], "QQ ** ** ** *"),
        (["abcdefghi"], "ab*******"),
    ],
    "mask_canada_sin": [
        (["046-454-286"], "XXX-XXX-XXX"),
        (["abcdefijk"], "XXXXXXXXX"),
    ],
    "mask_uuid": [
        (["123e4567-e89b-12d3-a456-426614174000"], "********-****-****-****-************"),
    ],
    "mask_email": [
        (["john.doe@example.com"], "jXXXXXXX@example.com"),
        (["jane", "*"], "j***"),
    ],
    "mask_phone": [
        (["+1 (555) 123-4567"], "+X (XXX) XXX-4567"),
        (["020 7946 0018", 2, "*"], "*** **** **18"),
    ],
    "gen_range": [
        ([100, 200], int_in(100, 200)),
        ([-5, -5], -5),
        ([1, 0], None),
    ],
    "gen_rnd_email": [
        ([], is_email(5, 7, "example.com")),
        ([4, 5, "mynet.com"], is_email(4, 5, "mynet.com")),
        ([1024, 1024, "example.org"], is_email(1024, 1024, "example.org")),
    ],
    "gen_rnd_pan": [
        ([], is_pan(16)),
        ([19], is_pan(19)),
        ([12], is_pan(12)),
    ],
    "gen_rnd_iban": [
        ([], is_iban("ZZ", 16)),
        (["DE", 22], is_iban("DE", 22)),
        (["gb", 34], is_iban("GB", 34)),
    ],
    "gen_rnd_ssn": [([], is_ssn)],
    "gen_rnd_us_phone": [([], is_us_phone)],
    "gen_rnd_uk_nin": [([], is_uk_nin)],
    "gen_rnd_canada_sin": [([], is_canada_sin)],
    "gen_rnd_uuid": [([], is_uuid4)],
    "pseudonymize": [
        (["value", "salt"], "aaf15d64f29e7a06f6a3e5581fa216df"),
        (["ñandú", "k"], hmac_hex("ñandú", "k")),
    ],
    "pseudonymize_email": [
        (["John.Doe@Example.com", "salt"], "df24d85fb2657740@example.com"),
    ],
    "noise": [
        ([100, 0.1], number_text_in(90, 110, integral=True)),
        ([100.0, 0.5], number_text_in(50, 150, integral=False)),
        ([42, 0], "42"),
    ],
    "generalize": [
        ([42, 10], "40"),
        ([-1, 10], "-10"),
        ([3.7, 0.5], "3.5"),
        (["2024-05-17", "month"], "2024-05-01"),
        (["2024-05-17T13:45:12.5", "HOUR"], "2024-05-17 13:00:00"),
    ],
    "version": [([], lambda v: isinstance(v, str) and re.fullmatch(r"[0-9]+\.[0-9]+\.[0-9]+.*", v))],
}

# Bad constant arguments: (base, arguments as SQL, the core's full message).
# MariaDB shows the first 80 bytes of a UDF's message (ER_CANT_INITIALIZE_UDF
# is "Can't initialize function '%-.192s'; %-.80s"); see shown_message().
ERROR_CASES = [
    ("mask_inner", "'abc', 1", "mask_inner(): expected 3 to 4 arguments, got 2"),
    ("mask_inner", "'abc', -1, 1", "mask_inner(): argument \"margin1\" must be >= 0, got '-1'"),
    ("mask_inner", "'abc', 1, -2", "mask_inner(): argument \"margin2\" must be >= 0, got '-2'"),
    ("mask_inner", "'abc', 1.5, 1", "mask_inner(): argument \"margin1\" must be an integer, got '1.5'"),
    ("mask_inner", "'abc', 'x', 1", "mask_inner(): argument \"margin1\" must be an integer, got 'x'"),
    ("mask_inner", "'abc', 1, 1, 'ab'",
     "mask_inner(): argument \"mask_char\" must be exactly one character, got 'ab'"),
    ("mask_inner", "'abc', 1, 1, ''", "mask_inner(): argument \"mask_char\" must be exactly one character, got ''"),
    ("mask_inner", "X'ff', 1, 1", "mask_inner(): argument \"str\" must be valid UTF-8 text, got '\ufffd'"),
    ("mask_outer", "'abc', -1, 1", "mask_outer(): argument \"margin1\" must be >= 0, got '-1'"),
    ("mask_email", "X'ff'", "mask_email(): argument \"email\" must be valid UTF-8 text, got '\ufffd'"),
    ("mask_phone", "'1', -1", "mask_phone(): argument \"keep_last\" must be >= 0, got '-1'"),
    ("mask_ssn", "'909'",
     "mask_ssn(): argument \"str\" must contain exactly 9 digits or letters, not counting separators, got '909'"),
    ("mask_pan", "'a*Z'",
     "mask_pan(): argument \"str\" must contain between 14 and 19 digits or letters, not counting separators, "
     "got 'a*Z'"),
    ("gen_range", "1, 2, 3", "gen_range(): expected 2 arguments, got 3"),
    ("gen_rnd_pan", "5", "gen_rnd_pan(): argument \"size\" must be between 12 and 19, got '5'"),
    ("gen_rnd_email", "0, 5", "gen_rnd_email(): argument \"name_size\" must be between 1 and 1024, got '0'"),
    ("gen_rnd_email", "5, 7, 'a@b'",
     "gen_rnd_email(): argument \"domain\" must be a domain name such as example.com, without '@' or spaces, "
     "got 'a@b'"),
    ("gen_rnd_iban", "'Z1', 16", "gen_rnd_iban(): argument \"country\" must be a two-letter country code, got 'Z1'"),
    ("pseudonymize", "'v', ''", "pseudonymize(): argument \"salt\" must not be empty, got ''"),
    ("noise", "1, 2", "noise(): argument \"ratio\" must be a number between 0 and 1, got '2'"),
    ("generalize", "42, 0", "generalize(): argument \"granularity\" must be a number > 0, got '0'"),
    ("generalize", "'2024-05-17', 'fortnight'",
     "generalize(): argument \"granularity\" must be one of year, quarter, month, week, day, hour, minute, "
     "got 'fortnight'"),
]


def shown_message(name, message):
    """What MariaDB reports for a UDF whose _init failed with `message`: at
    most 80 bytes of it, cut at a character boundary."""
    cut = message.encode()[:80].decode(errors="ignore")
    return f"Can't initialize function '{name}'; {cut}"


# ----------------------------------------------------------------------------


class Test:
    def __init__(self, opts):
        self.opts = opts
        self.passed = 0
        self.failed = 0
        self.conn = None

    # -- reporting ------------------------------------------------------------

    def ok(self, label, cond, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {label}" + (f"\n  {detail}" if detail else ""))
        return cond

    def eq(self, label, got, want):
        return self.ok(label, got == want, f"expected: {want!r}\n  actual:   {short(got)!r}")

    # -- server access -----------------------------------------------------------

    def connect(self, db=None):
        kw = dict(unix_socket=self.opts.socket, user="root", charset="utf8mb4", autocommit=True)
        if db:
            kw["db"] = db
        self.conn = MySQLdb.connect(**kw)
        self.execute("SET NAMES utf8mb4 COLLATE utf8mb4_bin")

    def execute(self, sql, params=None):
        cur = self.conn.cursor()
        cur.execute(sql, params)
        rows = cur.fetchall() if cur.description else []
        cur.close()
        return [tuple(decode(v) for v in row) for row in rows]

    def scalar(self, sql, params=None):
        return self.execute(sql, params)[0][0]

    def error(self, sql, params=None):
        """The error message of `sql`, or None if it succeeds."""
        try:
            self.execute(sql, params)
        except MySQLdb.Error as e:
            return e.args[1] if len(e.args) > 1 else str(e)
        return None

    def alive(self):
        try:
            return self.scalar("SELECT 1") == 1
        except MySQLdb.Error:
            try:
                self.connect(DB)
                return self.scalar("SELECT 1") == 1
            except MySQLdb.Error:
                return False

    def cli(self, script):
        with open(os.path.join(self.opts.sql_dir, script), "rb") as f:
            return subprocess.run(
                ["mariadb", "--no-defaults", "-S", self.opts.socket, "-uroot", "--batch"],
                stdin=f,
                capture_output=True,
            )

    def literal(self, v):
        if v is None:
            return "NULL"
        if isinstance(v, bool):
            raise TypeError(v)
        if isinstance(v, (int, float)):
            return repr(v)
        return self.conn.literal(v).decode()

    # -- the test -------------------------------------------------------------

    def run(self):
        self.connect()
        self.execute(f"DROP DATABASE IF EXISTS {DB}")
        self.execute(f"CREATE DATABASE {DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.conn.close()
        self.connect(DB)
        self.execute("CREATE TABLE sentinel (id INT PRIMARY KEY)")

        self.install()
        self.registered()
        self.exports()
        self.values()
        self.nulls()
        self.errors()
        self.per_row()
        self.generators()
        self.pseudonymize_column()
        self.large()
        self.hostile()
        self.advice_without_performance_schema()
        self.ok("the server is up after everything", self.alive())
        with open(self.opts.server_log, errors="replace") as f:
            panics = [line.strip() for line in f if "panicked" in line]
        self.eq("no panic in the server log", panics, [])
        self.ok("sentinel table intact", self.scalar(f"SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '{DB}' AND table_name = 'sentinel'") == 1)
        self.uninstall()
        self.foreign_alias()
        self.execute(f"DROP DATABASE IF EXISTS {DB}")

    def install(self):
        text = open(os.path.join(self.opts.sql_dir, "install.sql"), encoding="utf-8").read()
        self.functions = dict(re.findall(
            r"CREATE OR REPLACE FUNCTION (\w+) RETURNS (STRING|INTEGER|REAL) SONAME '{1,2}sqlxos\.so'", text))
        self.ok("install.sql creates functions", len(self.functions) > 0)
        self.aggregates = re.findall(r"CREATE OR REPLACE AGGREGATE FUNCTION (\w+) RETURNS STRING SONAME", text)
        self.ok("install.sql creates aggregate functions", len(self.aggregates) > 0)
        self.procedures = re.findall(r"CREATE OR REPLACE PROCEDURE sqlxos\.(\w+)", text)
        self.eq("install.sql creates the procedures", sorted(self.procedures), ["index_health", "suggest_indexes"])
        self.prefixed = sorted(n for n in self.functions if n.startswith(PREFIX))
        self.aliases = sorted(n for n in self.functions if not n.startswith(PREFIX))
        self.names_of = {}  # base name -> SQL names
        for n in self.functions:
            self.names_of.setdefault(base(n), []).append(n)
        for n in self.aliases:
            self.ok(f"alias {n} has {PREFIX}{n} with the same type",
                    self.functions.get(PREFIX + n) == self.functions[n])
        for attempt in ("first", "second"):
            r = self.cli("install.sql")
            self.ok(f"install.sql runs cleanly ({attempt} time)", r.returncode == 0 and not r.stderr,
                    r.stderr.decode(errors="replace"))
            self.ok(f"install.sql prints no note ({attempt} time)", b"sqlxos_note" not in r.stdout,
                    r.stdout.decode(errors="replace"))

    def registered(self):
        rows = self.execute("SELECT name, ret, dl, type FROM mysql.func")
        got = {r[0]: r for r in rows}
        for name, ret in sorted(self.functions.items()):
            self.eq(f"mysql.func has {name}", got.get(name), (name, RET_CODE[ret], "sqlxos.so", "function"))
        for name in self.aggregates:
            self.eq(f"mysql.func has aggregate {name}", got.get(name), (name, 0, "sqlxos.so", "aggregate"))
        extra = sorted(n for n, r in got.items()
                       if r[2] == "sqlxos.so" and n not in self.functions and n not in self.aggregates)
        self.eq("mysql.func has no other sqlxos.so function", extra, [])

    def exports(self):
        r = subprocess.run(["nm", "-D", "--defined-only", self.opts.plugin], capture_output=True, text=True)
        if not self.ok("nm lists the plugin's symbols", r.returncode == 0, r.stderr):
            return
        syms = {line.split()[-1] for line in r.stdout.splitlines() if line.strip()}
        udfs = {s[: -len("_init")] for s in syms if s.endswith("_init")}
        for n in sorted(udfs):
            self.ok(f"{n} exports {n}, {n}_init and {n}_deinit", {n, n + "_init", n + "_deinit"} <= syms)
        for n in self.aggregates:
            self.ok(f"aggregate {n} exports {n}_clear and {n}_add", {n + "_clear", n + "_add"} <= syms)
        self.eq("the plugin exports exactly the functions of install.sql", sorted(udfs),
                sorted(list(self.functions) + self.aggregates))

    def call_sql(self, name, args):
        return f"SELECT {name}({', '.join(self.literal(a) for a in args)})"

    def check_value(self, label, got, want):
        if callable(want):
            return self.ok(label, bool(want(got)), f"expected: {want.__doc__ or want}\n  actual:   {short(got)!r}")
        return self.eq(label, got, want)

    def values(self):
        for b in sorted(self.names_of):
            cases = CASES.get(b)
            if not self.ok(f"{b} has value cases in test_mariadb.py", cases):
                continue
            for name in sorted(self.names_of[b]):
                for args, want in cases:
                    sql = self.call_sql(name, args)
                    try:
                        got = self.scalar(sql)
                    except MySQLdb.Error as e:
                        self.ok(sql, False, f"error: {e}")
                        continue
                    self.check_value(sql, got, want)
                    if args:
                        self.per_row_value(name, args, want)

    def per_row_value(self, name, args, want):
        """The same call with the arguments in the columns of a table."""
        cols = ", ".join(f"{self.literal(a)} AS a{i}" for i, a in enumerate(args))
        self.execute(f"CREATE OR REPLACE TEMPORARY TABLE case_args AS SELECT {cols}")
        sql = f"SELECT {name}({', '.join(f'a{i}' for i in range(len(args)))}) FROM case_args"
        try:
            got = self.scalar(sql)
        except MySQLdb.Error as e:
            self.ok(f"{sql} with {args!r}", False, f"error: {e}")
            return
        self.check_value(f"{sql} with {args!r}", got, want)

    def nulls(self):
        for b in sorted(self.names_of):
            name = PREFIX + b
            for args, _ in CASES.get(b, [])[:1]:
                for i in range(len(args)):
                    a = list(args)
                    a[i] = None
                    sql = self.call_sql(name, a)
                    self.eq(f"NULL in gives NULL: {sql}", self.scalar(sql), None)

    def errors(self):
        for name in sorted(self.functions):
            args = ", ".join(["1"] * 9)
            msg = self.error(f"SELECT {name}({args})")
            pattern = r"Can't initialize function '%s'; %s\(\): expected [0-9]+( to [0-9]+)? arguments, got 9" % (
                re.escape(name), re.escape(base(name)))
            self.ok(f"{name} with 9 arguments fails with the arity message", msg and re.fullmatch(pattern, msg),
                    f"actual: {msg!r}")
        for b, args, want in ERROR_CASES:
            if b not in self.names_of:
                continue
            for name in sorted(self.names_of[b]):
                sql = f"SELECT {name}({args})"
                self.eq(f"{sql} fails", self.error(sql), shown_message(name, want))

    def per_row(self):
        self.execute("CREATE TABLE rows_t (id INT PRIMARY KEY, s VARCHAR(50), m INT, b VARBINARY(10))")
        self.execute("INSERT INTO rows_t VALUES (1, 'hello', 1, 'ok'), (2, 'world', -1, 'ok'), (3, 'again', 1, 'ok'),"
                     " (4, 'x', 1, X'ff')")
        got = self.execute("SELECT id, sqlxos_mask_inner(s, m, 1) FROM rows_t WHERE id <= 3 ORDER BY id")
        self.eq("per-row: rows before a bad argument are masked", got[0], (1, "hXXXo"))
        self.eq("per-row: a bad argument in a column gives NULL", got[1], (2, None))
        # Only the bad row is NULL: the error flag, which would make MariaDB
        # stop calling the UDF for the rest of the statement, is not set.
        self.eq("per-row: later rows of that statement are still masked", got[2], (3, "aXXXn"))
        got = self.execute("SELECT id, sqlxos_mask_inner(s, m, 1) FROM rows_t WHERE id IN (1, 3) ORDER BY id")
        self.eq("per-row: the next statement works again", got, [(1, "hXXXo"), (3, "aXXXn")])
        got = self.execute("SELECT sqlxos_mask_inner(b, 0, 0) FROM rows_t WHERE id = 4")
        self.eq("per-row: invalid UTF-8 in a column gives NULL", got, [(None,)])
        got = self.execute("SELECT sqlxos_mask_inner(b, 1, 1) FROM rows_t WHERE id = 1")
        self.eq("per-row: a VARBINARY column holding UTF-8 is text", got, [("ok",)])
        # A result longer than the declared width of its inputs is not cut
        # when MariaDB stores it (CREATE TABLE ... AS SELECT, temp tables).
        self.execute("CREATE TABLE ctas AS SELECT sqlxos_mask_inner(REPEAT('a', 300), 1, 1, '█') AS m")
        self.eq("CREATE TABLE AS SELECT keeps the whole result", self.scalar("SELECT LENGTH(m) FROM ctas"),
                1 + 298 * 3 + 1)
        got = self.execute("SELECT CHAR_LENGTH(CONVERT(sqlxos_mask_inner('かすみがうら市', 3, 1) USING utf8mb4))")
        self.eq("CONVERT(... USING utf8mb4) counts characters", got, [(7,)])

    def generators(self):
        for b in sorted(self.names_of):
            if not (b.startswith("gen_") or b == "noise"):
                continue
            for args, want in CASES.get(b, []):
                if not callable(want):
                    continue
                name = PREFIX + b
                call = f"{name}({', '.join(self.literal(a) for a in args)})"
                rows = self.execute(f"SELECT {call} FROM seq_1_to_100")
                bad = [r[0] for r in rows if not want(r[0])]
                self.ok(f"{call} over 100 rows: {want.__doc__}", len(rows) == 100 and not bad,
                        f"bad: {[short(v) for v in bad[:3]]!r}")
                distinct = len({r[0] for r in rows})
                self.ok(f"{call} over 100 rows gives different values", distinct > 1,
                        f"{distinct} distinct value(s)")
                # A constant (UDF_INIT.const_item) in ORDER BY is dropped by
                # the optimizer; a generator must stay (and be sorted on).
                plan = self.execute(f"EXPLAIN SELECT seq FROM seq_1_to_10 ORDER BY {call}")
                self.ok(f"{call} is not a constant (ORDER BY {call} sorts)",
                        "filesort" in str(plan[0][-1]), f"EXPLAIN: {plan!r}")
        if "mask_inner" in self.names_of:
            plan = self.execute("EXPLAIN SELECT seq FROM seq_1_to_10 ORDER BY sqlxos_mask_inner('abc', 1, 1)")
            self.ok("a deterministic function of constants is a constant (ORDER BY it is dropped)",
                    "filesort" not in str(plan[0][-1]), f"EXPLAIN: {plan!r}")

    def pseudonymize_column(self):
        if "pseudonymize" not in self.names_of:
            return
        self.execute("CREATE TABLE people (id INT PRIMARY KEY, email VARCHAR(100))")
        self.execute("INSERT INTO people VALUES (1, 'john.doe@example.com'), (2, 'ñandú@ejemplo.es')")
        for pid, email in self.execute("SELECT id, email FROM people ORDER BY id"):
            col = self.scalar(f"SELECT sqlxos_pseudonymize(email, 'pepper') FROM people WHERE id = {pid}")
            lit = self.scalar(self.call_sql("sqlxos_pseudonymize", [email, "pepper"]))
            self.eq(f"pseudonymize of column = of literal ({email})", col, lit)
            self.eq(f"pseudonymize({email!r}, 'pepper') is HMAC-SHA256", col, hmac_hex(email, "pepper"))

    def large(self):
        mb = 1 << 20
        got = self.scalar(f"SELECT sqlxos_mask_inner(REPEAT('a', {mb}), 1, 1)")
        self.eq("1 MB string masked", got, "a" + "X" * (mb - 2) + "a")
        big = "é" * mb  # 2 MB sent by the client
        got = self.scalar("SELECT sqlxos_mask_inner(%s, 2, 3)", [big])
        self.eq("1 M characters (2 MB) from the client, counted as characters", got,
                "éé" + "X" * (mb - 5) + "ééé")
        got = self.execute(f"SELECT LENGTH(sqlxos_mask_inner(REPEAT('ab', {mb}), 0, 0)) FROM seq_1_to_3")
        self.eq("2 MB results on three rows", got, [(2 * mb,)] * 3)

    def hostile(self):
        values = [
            "''", "NULL", "X'ff'", "X'00'", "X'610062'", "X'c3'", "REPEAT('é', 1048576)", "REPEAT(X'ff', 1000)",
            "0", "-1", "9223372036854775807", "-9223372036854775808", "18446744073709551615",
            "1e308", "-1e-308", "0.5", "99999999999999999999999999999999999.5",
            "'💥'", "'NaN'", "'inf'", "'  12  '", "CAST('2024-01-15' AS DATE)", "NOW(6)",
            "'x''); DROP TABLE sentinel; --'", "'%s%s%s%n'", "REPEAT('9', 400)",
        ]
        for b in sorted(self.names_of):
            name = PREFIX + b
            benign = [self.literal(a) for a in CASES.get(b, [([], None)])[0][0]]
            crashed = False
            for n in range(0, 5):
                base_args = (benign + ["'x'"] * 5)[:n]
                for i in range(n):
                    for v in values:
                        a = list(base_args)
                        a[i] = v
                        sql = f"SELECT {name}({', '.join(a)})"
                        try:
                            self.execute(sql)
                        except MySQLdb.OperationalError as e:
                            if e.args and e.args[0] in (2006, 2013):  # server gone / lost connection
                                crashed = True
                                self.ok(f"hostile: {sql[:200]}", False, f"server connection lost: {e}")
                                break
                        except MySQLdb.Error as e:
                            # A clean error is fine; a caught panic is a bug.
                            if "internal error" in str(e):
                                self.ok(f"hostile: {sql[:200]}", False, f"a panic: {e}")
                    if crashed:
                        break
                if crashed:
                    break
            self.ok(f"hostile input to {name}: the server is still up", not crashed and self.alive())
            if crashed and not self.alive():
                self.server_gone()

    def advice_without_performance_schema(self):
        self.eq("this server runs without performance_schema", self.scalar("SELECT @@performance_schema"), 0)
        msg = self.error(f"CALL sqlxos.suggest_indexes('{DB}')") or ""
        self.ok("suggest_indexes without performance_schema fails saying how to turn it on",
                "performance_schema is OFF" in msg and "performance_schema=ON" in msg and "restart" in msg,
                f"actual: {msg!r}")
        # Argument errors come first, whatever the server's settings.
        msg = self.error("CALL sqlxos.suggest_indexes(NULL)") or ""
        self.ok("suggest_indexes(NULL) names the argument", "argument schema_name" in msg and "NULL" in msg, msg)
        self.execute("CREATE TABLE dup_t (id INT PRIMARY KEY, a INT, KEY ix1 (a), KEY ix2 (a))")
        cur = self.conn.cursor()
        cur.execute(f"CALL sqlxos.index_health('{DB}')")
        rows = [tuple(decode(v) for v in r) for r in cur.fetchall()]
        while cur.nextset():
            pass
        cur.execute("SHOW WARNINGS")
        warnings = [decode(r[2]) for r in cur.fetchall()]
        cur.close()
        self.eq("index_health without performance_schema still finds a duplicate",
                [(r[2], r[3]) for r in rows if r[1] == "dup_t"], [("ix2", "duplicate")])
        self.ok("index_health without performance_schema warns that unused indexes are not found",
                any("unused indexes cannot be found" in w for w in warnings), f"warnings: {warnings!r}")

    def server_gone(self):
        print("the server is gone; the end of its log:")
        try:
            with open(self.opts.server_log, errors="replace") as f:
                print("".join(f.readlines()[-60:]))
        except OSError as e:
            print(e)
        self.finish()

    def uninstall(self):
        r = self.cli("uninstall.sql")
        self.ok("uninstall.sql runs cleanly", r.returncode == 0 and not r.stderr, r.stderr.decode(errors="replace"))
        left = self.execute("SELECT name FROM mysql.func WHERE dl = 'sqlxos.so' OR name LIKE 'sqlxos%'")
        self.eq("no sqlxos function left in mysql.func", left, [])
        self.eq("no sqlxos procedure left",
                self.execute("SELECT ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sqlxos'"), [])
        self.eq("database sqlxos is gone",
                self.execute("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'sqlxos'"), [])
        for name in sorted(self.functions):
            msg = self.error(f"SELECT {name}()") or ""
            self.ok(f"{name} is gone", "does not exist" in msg or "FUNCTION" in msg, f"actual: {msg!r}")
        r = self.cli("uninstall.sql")
        self.ok("uninstall.sql runs cleanly a second time", r.returncode == 0 and not r.stderr,
                r.stderr.decode(errors="replace"))

    def foreign_alias(self):
        """A bare name owned by another library survives install and uninstall."""
        if not self.aliases:
            return
        alias = self.aliases[0]
        # A row as another plugin's CREATE FUNCTION would leave it (not loaded
        # in memory: the server reads mysql.func at startup).
        self.execute("INSERT INTO mysql.func VALUES (%s, %s, 'other_masking.so', 'function')",
                     [alias, RET_CODE[self.functions[alias]]])
        r = self.cli("install.sql")
        self.ok("install.sql with a foreign alias runs cleanly", r.returncode == 0 and not r.stderr,
                r.stderr.decode(errors="replace"))
        self.ok(f"install.sql says it kept the foreign {alias}",
                f"kept {alias}() of other_masking.so".encode() in r.stdout, r.stdout.decode(errors="replace"))
        self.eq(f"the foreign {alias} is kept", self.execute("SELECT dl FROM mysql.func WHERE name = %s", [alias]),
                [("other_masking.so",)])
        self.eq(f"{PREFIX}{alias} is installed beside it",
                self.scalar("SELECT dl FROM mysql.func WHERE name = %s", [PREFIX + alias]), "sqlxos.so")
        r = self.cli("uninstall.sql")
        self.ok("uninstall.sql with a foreign alias runs cleanly", r.returncode == 0 and not r.stderr,
                r.stderr.decode(errors="replace"))
        self.eq(f"uninstall.sql leaves the foreign {alias}",
                self.execute("SELECT dl FROM mysql.func WHERE name = %s", [alias]), [("other_masking.so",)])
        self.eq("uninstall.sql drops every sqlxos.so function",
                self.execute("SELECT name FROM mysql.func WHERE dl = 'sqlxos.so'"), [])
        self.execute("DELETE FROM mysql.func WHERE name = %s AND dl = 'other_masking.so'", [alias])

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def base(name):
    return name[len(PREFIX):] if name.startswith(PREFIX) else name


def decode(v):
    """UDF string results are binary strings: show them as UTF-8 text."""
    if isinstance(v, (bytes, bytearray)):
        try:
            return bytes(v).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(v)
    return v


def short(v):
    if isinstance(v, (str, bytes)) and len(v) > 120:
        return v[:60] + (("...(%d)..." % len(v)) if isinstance(v, str) else b"...") + v[-20:]
    return v


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--socket", required=True)
    p.add_argument("--sql-dir", required=True)
    p.add_argument("--plugin", required=True, help="the installed sqlxos.so")
    p.add_argument("--server-log", required=True)
    t = Test(p.parse_args())
    try:
        t.run()
    except MySQLdb.Error as e:
        t.ok("the test ran to the end", False, f"{type(e).__name__}: {e}")
        if not t.alive():
            t.server_gone()
    t.finish()


if __name__ == "__main__":
    main()
