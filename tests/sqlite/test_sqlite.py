#!/usr/bin/python3
"""Tests of the sqlxos SQLite extension in a real SQLite, through Python's
sqlite3 module. Run by run.sh:

    /usr/bin/python3 test_sqlite.py <lib without .so> <function table .tsv>

Debian's /usr/bin/python3 links the system SQLite and can load extensions;
a pyenv python3 usually cannot. Standard library only.

The function table (.tsv) is printed by `sqlite_ext/examples/function_table.rs`
straight from the core, so registrations are checked against the core itself.
Every function in the table must have value cases in CASES below: a function
without them is a failure, so the tests grow with the table.

Calls that could crash the process (hostile and huge inputs, threads,
loading) run in a child process whose exit status is checked.

Prints `python: N passed, M failed` last; exits non-zero on any failure.
"""

import hmac
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
from checks import iban_ok, luhn_ok  # noqa: E402
import tempfile
import threading
import tomllib
import traceback

# SQLite function flags, as pragma function_list shows them.
SQLITE_DETERMINISTIC = 0x000000800
SQLITE_DIRECTONLY = 0x000080000
SQLITE_INNOCUOUS = 0x000200000

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
LIB = None  # path of libsqlxos without the suffix, set in main()
TABLE = []  # the core's function table, set in main()


# --------------------------------------------------------------------------
# harness


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = []

    def check(self, name, ok, detail=""):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {name}" + (f": {detail}" if detail else ""))
        return ok

    def eq(self, name, actual, expected):
        return self.check(name, actual == expected, f"expected {expected!r}, got {actual!r}")


R = Results()
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


def run_tests():
    for fn in TESTS:
        try:
            fn()
        except Exception:  # a test that raised is one failure, shown in full
            R.check(fn.__name__, False, "raised:\n" + traceback.format_exc())


# --------------------------------------------------------------------------
# SQLite helpers


def connect(path=":memory:", lib=None):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.enable_load_extension(True)
    conn.load_extension(lib or LIB)
    conn.enable_load_extension(False)
    return conn


def call(conn, fn, args):
    """SELECT sqlxos_<fn>(?, ...): the value, or raises."""
    marks = ", ".join("?" for _ in args)
    return conn.execute(f"SELECT sqlxos_{fn}({marks})", args).fetchone()[0]


class Err:
    """An expected error message, exactly."""

    def __init__(self, message):
        self.message = message

    def __repr__(self):
        return f"Err({self.message!r})"


def outcome(conn, fn, args):
    """The value of a call, or Err(message) for an OperationalError."""
    try:
        return call(conn, fn, args)
    except sqlite3.OperationalError as e:
        return Err(str(e))


def same(actual, expected):
    if isinstance(expected, Err):
        return isinstance(actual, Err) and actual.message == expected.message
    if callable(expected):
        return not isinstance(actual, Err) and bool(expected(actual))
    if isinstance(expected, float):
        return isinstance(actual, float) and actual == expected
    return type(actual) is type(expected) and actual == expected


def load_table(path):
    table = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            name, required, most, det, returns = cols[:5]
            args = [tuple(c.split(":", 1)) for c in cols[5:]]
            table.append(
                {
                    "sql": name,
                    "name": name.removeprefix("sqlxos_"),
                    "required": int(required),
                    "max": int(most),
                    "deterministic": det == "1",
                    "returns": returns,
                    "args": args,
                }
            )
    return table


def spec(name):
    return next((f for f in TABLE if f["name"] == name), None)


# A plausible value per argument kind, for generic calls.
SAMPLE = {"Text": "abc", "Int": 1, "Float": 1.5, "Number": 1, "Any": "abc"}


def default_args(f):
    """Valid arguments for f: its first value case that is not an error,
    else one sample per required argument."""
    for args, expected in CASES.get(f["name"], []):
        if not isinstance(expected, Err):
            return list(args)
    return [SAMPLE[k] for _, k in f["args"][: f["required"]]]


# --------------------------------------------------------------------------
# structural checks for generated values


def ssn_ok(s):
    m = re.fullmatch(r"(\d{3})-(\d{2})-(\d{4})", s)
    return bool(m) and 900 <= int(m.group(1)) <= 999


def us_phone_ok(s):
    return re.fullmatch(r"1-555-\d{3}-\d{4}", s) is not None


def canada_sin_ok(s):
    m = re.fullmatch(r"(\d{3})-(\d{3})-(\d{3})", s)
    return bool(m) and luhn_ok("".join(m.groups()))


def uk_nin_ok(s):
    """Two prefix letters, six digits, a suffix A-D (with or without spaces).
    The prefix is not checked against HMRC's rules: sqlxos generates QQ,
    which HMRC never issues, on purpose."""
    return re.fullmatch(r"[A-Z]{2}\d{6}[A-D]", s.replace(" ", "")) is not None


UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def uuid_ok(s):
    return UUID_RE.fullmatch(s) is not None


def grouped4(v):
    return re.fullmatch(r"[A-Z0-9]{4}( [A-Z0-9]{4})*( [A-Z0-9]{1,4})?", v) is not None


def hmac_hex(salt, value, n):
    return hmac.new(salt.encode(), value.encode(), "sha256").hexdigest()[:n]


def workspace_version():
    with open(os.path.join(ROOT, "Cargo.toml"), "rb") as f:
        return tomllib.load(f)["workspace"]["package"]["version"]


# --------------------------------------------------------------------------
# value cases: function -> [(args, expected)]. expected is a value (type and
# value must match), an Err (exact message), or a predicate.

CASES = {
    "mask_inner": [
        (("This is a string", 5, 1), "This XXXXXXXXXXg"),
        (("This is a string", 1, 5), "TXXXXXXXXXXtring"),
        (("This is a string", 1, 5, "*"), "T**********tring"),
        (("abc", 2, 2), "abc"),
        (("", 0, 0), ""),
        (("Zażółć gęślą jaźń", 2, 2), "Za" + "X" * 13 + "źń"),
        (("東京都千代田区", 1, 1, "＊"), "東＊＊＊＊＊区"),
        (("a\x00b\x00c", 1, 1), "aXXXc"),
        (("abc", 0, 0, "\x00"), "\x00\x00\x00"),
        ((1234567890, 2, 2), "12XXXXXX90"),
        ((b"abcdef", 1, 1), "aXXXXf"),
        (("abcdef", "1", " 2 "), "aXXXef"),
        (("abc", -1, 1), Err('mask_inner(): argument "margin1" must be >= 0, got \'-1\'')),
        (("abc", 1, -1), Err('mask_inner(): argument "margin2" must be >= 0, got \'-1\'')),
        (("abc", 0, 0, "ab"), Err('mask_inner(): argument "mask_char" must be exactly one character, got \'ab\'')),
        (("abc", "one", 0), Err('mask_inner(): argument "margin1" must be an integer, got \'one\'')),
        ((b"\xff\xfe", 0, 0), Err('mask_inner(): argument "str" must be valid UTF-8 text, got X\'FFFE\'')),
        ((b"\xc3", 0, 0), Err('mask_inner(): argument "str" must be valid UTF-8 text, got X\'C3\'')),
        (("abc", "x\x00y", 0), Err('mask_inner(): argument "margin1" must be an integer, got \'x\\u{0}y\'')),
    ],
    "mask_outer": [
        (("This is a string", 5, 1), "XXXXXis a strinX"),
        (("This is a string", 1, 5), "Xhis is a sXXXXX"),
        (("abcdef", 0, 5, "#"), "a#####"),
        (("abc", 2, 2), "XXX"),
        (("żółw", 1, 1), "XółX"),
        (("", 1, 1), ""),
        (("abc", -1, 0), Err('mask_outer(): argument "margin1" must be >= 0, got \'-1\'')),
        (("abc", 0, 0, "**"), Err('mask_outer(): argument "mask_char" must be exactly one character, got \'**\'')),
    ],
    "mask_pan": [
        (("4111111111111111",), "XXXXXXXXXXXX1111"),
        (("4111 1111 1111 1111", "*"), "**** **** **** 1111"),
        (("4111-1111-1111-1111",), "XXXX-XXXX-XXXX-1111"),
        (("41111111111111",), "XXXXXXXXXX1111"),
        (("4111--1111-1111-1111",), None),
        (("4111 1111 1111 111ż",), None),
        (("a*Z",), Err("mask_pan(): argument \"str\" must contain between 14 and 19 digits or letters, not counting separators, got 'a*Z'")),
        (("41111111111111111111",), Err("mask_pan(): argument \"str\" must contain between 14 and 19 digits or letters, not counting separators, got '41111111111111111111'")),
    ],
    "mask_pan_relaxed": [
        (("4111111111111111",), "411111XXXXXX1111"),
        (("4111 1111 1111 1111", "#"), "4111 11## #### 1111"),
    ],
    "mask_ssn": [
        (("909-63-6922",), "***-**-6922"),
        (("909636922",), "*****6922"),
        (("909 63 6922", "X"), "XXX XX 6922"),
        (("90-963-6922",), None),
        (("909",), Err("mask_ssn(): argument \"str\" must contain exactly 9 digits or letters, not counting separators, got '909'")),
    ],
    "mask_iban": [
        (("IE12 BOFI 9000 0112 3456 78",), "IE** **** **** **** **** **"),
        (("IE12BOFI90000112345678",), "IE" + "*" * 20),
        (("IE12 BOFI 9000 0112 3456 78", "X"), "IEXX XXXX XXXX XXXX XXXX XX"),
        (("IE12 BOF 9000 0112 3456 78",), None),
    ],
    "mask_uk_nin": [
        (("QQ 12 34 56 C",), "QQ ** ** ** *"),
        (("QQ123456C",), "QQ*******"),
        (("abcdefghi",), "ab*******"),
        (("abcdefghijk",), Err("mask_uk_nin(): argument \"str\" must contain exactly 9 digits or letters, not counting separators, got 'abcdefghijk'")),
    ],
    "mask_canada_sin": [
        (("046-454-286",), "XXX-XXX-XXX"),
        (("abcdefijk",), "XXXXXXXXX"),
        (("046 454 286", "#"), "### ### ###"),
        (("046-45-4286",), None),
    ],
    "mask_uuid": [
        (("123e4567-e89b-12d3-a456-426614174000",), "********-****-****-****-************"),
        (("123e4567e89b12d3a456426614174000", "x"), "x" * 32),
        (("123e4567-e89b-12d3-a456",), Err("mask_uuid(): argument \"str\" must contain exactly 32 digits or letters, not counting separators, got '123e4567-e89b-12d3-a456'")),
    ],
    "mask_email": [
        (("john.doe@example.com",), "jXXXXXXX@example.com"),
        (("jane", "*"), "j***"),
        (("",), ""),
        (("żaneta@przykład.pl",), "żXXXXX@przykład.pl"),
        (('"a@b"@example.com',), '"XXXX@example.com'),
    ],
    "mask_phone": [
        (("+1 (555) 123-4567",), "+X (XXX) XXX-4567"),
        (("+1 (555) 123-4567", 4), "+X (XXX) XXX-4567"),
        (("020 7946 0018", 2, "*"), "*** **** **18"),
        (("123", 5), "123"),
        (("٠١٢٣٤٥", 2), "XXXX٤٥"),
        (("123", -1), Err("mask_phone(): argument \"keep_last\" must be >= 0, got '-1'")),
    ],
    "pseudonymize": [
        (("value", "salt"), "aaf15d64f29e7a06f6a3e5581fa216df"),
        (("alice@example.com", "pepper"), hmac_hex("pepper", "alice@example.com", 32)),
        (("Zażółć", "sól"), hmac_hex("sól", "Zażółć", 32)),
        (("", "salt"), hmac_hex("salt", "", 32)),
        ((12345, "salt"), hmac_hex("salt", "12345", 32)),
        (("value", ""), Err("pseudonymize(): argument \"salt\" must not be empty, got ''")),
    ],
    "pseudonymize_email": [
        (("John.Doe@Example.com", "salt"), "df24d85fb2657740@example.com"),
        ((" john.doe@EXAMPLE.com ", "salt"), "df24d85fb2657740@example.com"),
        (("a@b.c", "k"), hmac_hex("k", "a@b.c", 16) + "@b.c"),
        (("nobody", "salt"), Err("pseudonymize_email(): argument \"email\" must be an email address like name@example.com, got 'nobody'")),
        (("a@b.c", ""), Err("pseudonymize_email(): argument \"salt\" must not be empty, got ''")),
    ],
    "noise": [
        ((100, 0), 100),
        ((100.0, 0.0), 100.0),
        (("100", 0), 100),
        ((100, 0.1), lambda v: isinstance(v, int) and 90 <= v <= 110),
        ((2.5, 0.5), lambda v: isinstance(v, float) and 1.25 <= v <= 3.75),
        ((100, 2), Err("noise(): argument \"ratio\" must be a number between 0 and 1, got '2'")),
        ((100, -0.5), Err("noise(): argument \"ratio\" must be a number between 0 and 1, got '-0.5'")),
    ],
    "generalize": [
        ((42, 10), 40),
        ((-1, 10), -10),
        ((3.7, 0.5), 3.5),
        (("42", 10), "40"),
        (("2024-05-17", "month"), "2024-05-01"),
        (("2024-05-17T13:45:12.5", "HOUR"), "2024-05-17 13:00:00"),
        (("2024-05-17", "year"), "2024-01-01"),
        ((42, 0), Err("generalize(): argument \"granularity\" must be a number > 0, got '0'")),
        (("2024-05-17", "fortnight"), Err("generalize(): argument \"granularity\" must be one of year, quarter, month, week, day, hour, minute, got 'fortnight'")),
    ],
    "version": [((), lambda v: v == workspace_version())],
    "gen_range": [
        ((1, 1), 1),
        ((5, 1), None),
        ((-3, 3), lambda v: isinstance(v, int) and -3 <= v <= 3),
        (("7", 7.0), 7),
        ((1, "x"), Err("gen_range(): argument \"upper\" must be an integer, got 'x'")),
    ],
    "gen_rnd_email": [
        ((), lambda v: re.fullmatch(r"[a-z]{5}\.[a-z]{7}@example\.com", v) is not None),
        ((4, 5, "mynet.com"), lambda v: re.fullmatch(r"[a-z]{4}\.[a-z]{5}@mynet\.com", v) is not None),
        ((2,), lambda v: re.fullmatch(r"[a-z]{2}\.[a-z]{7}@example\.com", v) is not None),
        ((0, 1, "x.com"), Err("gen_rnd_email(): argument \"name_size\" must be between 1 and 1024, got '0'")),
        ((1, 1, "a b"), Err("gen_rnd_email(): argument \"domain\" must be a domain name such as example.com, without '@' or spaces, got 'a b'")),
    ],
    "gen_rnd_pan": [
        ((), lambda v: len(v) == 16 and luhn_ok(v)),
        ((13,), lambda v: len(v) == 13 and luhn_ok(v)),
        ((11,), Err("gen_rnd_pan(): argument \"size\" must be between 12 and 19, got '11'")),
    ],
    "gen_rnd_iban": [
        ((), iban_ok),
        (("DE", 22), lambda v: iban_ok(v) and v.startswith("DE")),
        (("D1",), Err("gen_rnd_iban(): argument \"country\" must be a two-letter country code, got 'D1'")),
        (("ZZ", 14), Err("gen_rnd_iban(): argument \"size\" must be between 15 and 34, got '14'")),
    ],
    "gen_rnd_ssn": [((), ssn_ok)],
    "gen_rnd_us_phone": [((), us_phone_ok)],
    "gen_rnd_uk_nin": [((), uk_nin_ok)],
    "gen_rnd_canada_sin": [((), canada_sin_ok)],
    "gen_rnd_uuid": [((), uuid_ok)],
}

# Generators checked structurally over many calls:
# function -> [(args, check, least distinct values in 100 calls)].
GENERATED = {
    "gen_rnd_pan": [
        ((), lambda v: len(v) == 16 and v.startswith("00") and luhn_ok(v), 90),
        ((19,), lambda v: len(v) == 19 and v.startswith("00") and luhn_ok(v), 90),
        ((12,), lambda v: len(v) == 12 and v.startswith("00") and luhn_ok(v), 90),
    ],
    "gen_rnd_canada_sin": [((), lambda v: canada_sin_ok(v) and v.startswith("8"), 90)],
    "gen_rnd_iban": [
        ((), lambda v: iban_ok(v) and v.startswith("ZZ") and len(v.replace(" ", "")) == 16 and grouped4(v), 90),
        (("de", 22), lambda v: iban_ok(v) and v.startswith("DE") and len(v.replace(" ", "")) == 22 and grouped4(v), 90),
        (("GB", 34), lambda v: iban_ok(v) and len(v.replace(" ", "")) == 34, 90),
    ],
    "gen_rnd_ssn": [((), lambda v: ssn_ok(v) and 1 <= int(v[4:6]) <= 49 and v[7:] != "0000", 90)],
    # only 100 possible values (555-0100 to 555-0199): ~63 distinct expected
    "gen_rnd_us_phone": [((), lambda v: re.fullmatch(r"1-555-555-01\d\d", v) is not None, 30)],
    "gen_rnd_uk_nin": [((), lambda v: re.fullmatch(r"QQ\d{6}[A-D]", v) is not None, 90)],
    "gen_rnd_uuid": [((), uuid_ok, 100)],
    "gen_rnd_email": [
        ((), lambda v: re.fullmatch(r"[a-z]{5}\.[a-z]{7}@example\.com", v) is not None, 90),
        ((4, 5, "mynet.com"), lambda v: re.fullmatch(r"[a-z]{4}\.[a-z]{5}@mynet\.com", v) is not None, 90),
    ],
    "gen_range": [
        ((1, 1_000_000), lambda v: isinstance(v, int) and 1 <= v <= 1_000_000, 90),
        ((-(2**63), 2**63 - 1), lambda v: isinstance(v, int), 90),
        ((-3, 3), lambda v: isinstance(v, int) and -3 <= v <= 3, 7),
    ],
    "noise": [
        ((1_000_000, 0.5), lambda v: isinstance(v, int) and 500_000 <= v <= 1_500_000, 90),
        ((100.0, 0.1), lambda v: isinstance(v, float) and 90.0 <= v <= 110.0, 90),
    ],
}


# Functions that must give the same value for the same input in every
# connection and process: function -> args.
STABLE = {
    "pseudonymize": ("alice@example.com", "pepper-4f1d"),
    "pseudonymize_email": ("Alice@Example.com", "pepper-4f1d"),
    "mask_inner": ("Zażółć gęślą jaźń", 2, 2),
    "generalize": ("2024-05-17 13:45:12", "hour"),
}


# --------------------------------------------------------------------------
# tests


@test
def registration():
    conn = connect()
    rows = conn.execute(
        "SELECT name, narg, flags, enc, type FROM pragma_function_list WHERE name LIKE 'sqlxos\\_%' ESCAPE '\\'"
    ).fetchall()
    got = {}
    for name, narg, flags, enc, typ in rows:
        got.setdefault(name, {})[narg] = (flags, enc, typ)
    table_names = {f["sql"] for f in TABLE}
    R.check("registration: table not empty", len(TABLE) > 0)
    # The SQLite adapter's own functions (workload capture), not in the
    # core's table: they change the connection's state, so DIRECTONLY.
    adapter = {"sqlxos_capture", "sqlxos_reset"}
    for name in sorted(adapter):
        R.check(f"registration: {name} registered", name in got, sorted(got))
        for narg, (flags, _, _) in got.get(name, {}).items():
            R.check(f"registration: {name}/{narg} DIRECTONLY", flags & SQLITE_DIRECTONLY != 0, hex(flags))
    R.eq("registration: no unexpected sqlxos_ names", sorted(set(got) - table_names - adapter), [])
    all_names = {r[0] for r in conn.execute("SELECT name FROM pragma_function_list")}
    for f in TABLE:
        name = f["sql"]
        regs = got.get(name, {})
        expected_nargs = set(range(f["required"], f["max"] + 1)) | {-1}
        R.eq(f"registration: {name} arities", sorted(regs), sorted(expected_nargs))
        for narg, (flags, enc, typ) in regs.items():
            where = f"registration: {name}/{narg}"
            R.eq(f"{where} enc", enc, "utf8")
            R.eq(f"{where} scalar", typ, "s")
            R.eq(f"{where} deterministic", bool(flags & SQLITE_DETERMINISTIC), f["deterministic"])
            R.check(f"{where} innocuous", bool(flags & SQLITE_INNOCUOUS), hex(flags))
            R.check(f"{where} not directonly", not flags & SQLITE_DIRECTONLY, hex(flags))
        R.check(f"registration: no bare alias {f['name']}", f["name"] not in all_names)
    conn.close()


@test
def values():
    conn = connect()
    for f in TABLE:
        cases = CASES.get(f["name"])
        if not R.check(f"values: {f['sql']} has value cases in test_sqlite.py", bool(cases)):
            continue
        for args, expected in cases:
            actual = outcome(conn, f["name"], list(args))
            R.check(f"values: {f['sql']}{tuple(args)!r}", same(actual, expected), f"expected {expected!r}, got {actual!r}")
    for name in CASES:
        if spec(name) is None:
            R.skipped.append(f"value cases of {name} (not in the table yet)")
    conn.close()


@test
def deterministic_repeat():
    """Deterministic functions: the same input gives the same output, in one
    connection and in another."""
    c1, c2 = connect(), connect()
    for f in TABLE:
        if not f["deterministic"]:
            continue
        for args, expected in CASES.get(f["name"], []):
            if isinstance(expected, Err):
                continue
            a, b, c = (outcome(c1, f["name"], list(args)), outcome(c1, f["name"], list(args)), outcome(c2, f["name"], list(args)))
            R.check(f"deterministic: {f['sql']}{tuple(args)!r}", a == b == c, f"{a!r} {b!r} {c!r}")
    c1.close()
    c2.close()


@test
def null_in_null_out():
    conn = connect()
    for f in TABLE:
        for n in range(max(f["required"], 1), f["max"] + 1):
            for pos in range(n):
                args = ["junk"] * n
                args[pos] = None
                R.eq(f"null: {f['sql']} arity {n} NULL at {pos}", outcome(conn, f["name"], args), None)
    conn.close()


def arity_message(f, n):
    if f["required"] == f["max"]:
        expected = str(f["required"])
    else:
        expected = f"{f['required']} to {f['max']}"
    return f"{f['name']}(): expected {expected} arguments, got {n}"


@test
def wrong_arity():
    conn = connect()
    for f in TABLE:
        counts = {f["max"] + 1, f["max"] + 3}
        if f["required"] > 0:
            counts |= {0, f["required"] - 1}
        for n in sorted(counts):
            actual = outcome(conn, f["name"], ["x"] * n)
            expected = Err(arity_message(f, n))
            R.check(f"arity: {f['sql']} with {n} args", same(actual, expected), f"expected {expected!r}, got {actual!r}")
    conn.close()


@test
def exceptions_are_operational_errors():
    conn = connect()
    try:
        conn.execute("SELECT sqlxos_mask_inner('abc', -1, 0)").fetchall()
        R.check("error class", False, "no error raised")
    except sqlite3.Error as e:
        R.eq("error class", type(e).__name__, "OperationalError")
    # the statement failed, the connection did not
    R.eq("connection usable after error", conn.execute("SELECT sqlxos_mask_inner('abc', 1, 1)").fetchone()[0], "aXc")
    conn.close()


@test
def table_column_and_index():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "t.db")
        conn = connect(path)
        conn.executescript(
            """
            CREATE TABLE people(id INTEGER PRIMARY KEY, name TEXT, ssn TEXT);
            INSERT INTO people(name) VALUES ('Alice Smith'), ('Bob'), (NULL), ('Łukasz Żak');
            CREATE INDEX people_masked ON people(sqlxos_mask_inner(name, 1, 1));
            """
        )
        rows = conn.execute("SELECT id, sqlxos_mask_inner(name, 1, 1) FROM people ORDER BY id").fetchall()
        R.eq("table: masked column", rows, [(1, "AXXXXXXXXXh"), (2, "BXb"), (3, None), (4, "ŁXXXXXXXXk")])
        q = "SELECT id FROM people WHERE sqlxos_mask_inner(name, 1, 1) = ?"
        plan = " ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + q, ("BXb",)))
        R.check("index: used by the planner", "USING INDEX people_masked" in plan, plan)
        R.eq("index: lookup", conn.execute(q, ("BXb",)).fetchall(), [(2,)])
        conn.execute("INSERT INTO people(name) VALUES ('Zoë Ångström')")
        R.eq("index: maintained on insert", conn.execute(q, ("ZXXXXXXXXXXm",)).fetchall(), [(5,)])
        conn.execute(
            "CREATE TABLE cards(num TEXT, tail TEXT GENERATED ALWAYS AS (sqlxos_mask_inner(num, 0, 4)) VIRTUAL,"
            " stored TEXT GENERATED ALWAYS AS (sqlxos_mask_inner(num, 0, 4, '*')) STORED)"
        )
        conn.execute("INSERT INTO cards(num) VALUES ('4111111111111111')")
        R.eq("generated columns", conn.execute("SELECT tail, stored FROM cards").fetchone(), ("X" * 12 + "1111", "*" * 12 + "1111"))
        conn.execute("CREATE VIEW masked_people AS SELECT id, sqlxos_mask_inner(name, 1, 1) AS name FROM people")
        conn.close()

        # Reopen: the index and generated columns are rebuilt and checked by
        # a fresh connection; views and the index work with
        # trusted_schema=OFF because the functions are innocuous.
        conn = connect(path)
        conn.execute("PRAGMA trusted_schema = OFF")
        R.eq("index: integrity_check after reopen", conn.execute("PRAGMA integrity_check").fetchall(), [("ok",)])
        R.eq("view with trusted_schema=OFF", conn.execute("SELECT name FROM masked_people WHERE id = 2").fetchone(), ("BXb",))
        conn.execute("REINDEX people_masked")
        R.eq("index: after REINDEX", conn.execute(q, ("BXb",)).fetchall(), [(2,)])
        conn.close()


@test
def schema_use_per_function():
    """Every function works in a view under trusted_schema=OFF (innocuous);
    deterministic ones work in an expression index, the others are refused
    there by SQLite."""
    conn = connect()
    conn.execute("PRAGMA trusted_schema = OFF")
    for i, f in enumerate(TABLE):
        args = default_args(f)
        lits = ", ".join(sql_literal(a) for a in args)
        conn.execute(f"CREATE VIEW v{i} AS SELECT sqlxos_{f['name']}({lits}) AS x")
        try:
            conn.execute(f"SELECT x FROM v{i}").fetchall()
            ok, detail = True, ""
        except sqlite3.OperationalError as e:
            ok, detail = "unsafe use" not in str(e), str(e)
        R.check(f"schema: {f['sql']} in a view, trusted_schema=OFF", ok, detail)

        conn.execute(f"CREATE TABLE t{i}(c)")
        conn.execute(f"INSERT INTO t{i} VALUES (?)", (args[0] if args else 1,))
        expr = f"sqlxos_{f['name']}(" + ", ".join(["c"] + [sql_literal(a) for a in args[1:]]) + ")" if args else f"sqlxos_{f['name']}()"
        try:
            conn.execute(f"CREATE INDEX i{i} ON t{i}({expr})")
            err = None
        except sqlite3.OperationalError as e:
            err = str(e)
        if f["deterministic"]:
            R.check(f"schema: {f['sql']} in an expression index", err is None, err or "")
        else:
            R.eq(f"schema: {f['sql']} refused in an index", err, "non-deterministic functions prohibited in index expressions")
    conn.close()


def sql_literal(v):
    if v is None:
        return "NULL"
    if isinstance(v, bytes):
        return "X'" + v.hex() + "'"
    if isinstance(v, (int, float)):
        return repr(v)
    return "'" + str(v).replace("'", "''") + "'"


@test
def utf16_database():
    conn = connect()
    conn.execute("PRAGMA encoding = 'UTF-16le'")
    conn.execute("CREATE TABLE t(s TEXT)")
    conn.execute("INSERT INTO t VALUES ('Zażółć gęślą jaźń'), ('😀😃😄😁😆')")
    R.eq("utf16: encoding", conn.execute("PRAGMA encoding").fetchone()[0], "UTF-16le")
    R.eq(
        "utf16: masked",
        conn.execute("SELECT sqlxos_mask_inner(s, 1, 1) FROM t ORDER BY rowid").fetchall(),
        [("Z" + "X" * 15 + "ń",), ("😀XXX😆",)],
    )
    conn.close()


@test
def generators():
    conn = connect()
    for name, runs in GENERATED.items():
        if spec(name) is None:
            R.skipped.append(f"structure of {name} (not in the table yet)")
            continue
        for args, ok, least_distinct in runs:
            values = [outcome(conn, name, list(args)) for _ in range(100)]
            bad = [v for v in values if isinstance(v, Err) or not ok(v)]
            where = f"generated: {name}{tuple(args)!r} x100"
            R.check(f"{where} well-formed", not bad, f"{len(bad)} bad, e.g. {bad[:3]!r}")
            distinct = len(set(map(repr, values)))
            R.check(f"{where} at least {least_distinct} distinct", distinct >= least_distinct, f"{distinct} distinct")
    conn.close()


@test
def stable_across_connections_and_processes():
    for name, args in STABLE.items():
        if spec(name) is None:
            R.skipped.append(f"stability of {name} (not in the table yet)")
            continue
        c1, c2 = connect(), connect()
        a, b = call(c1, name, list(args)), call(c2, name, list(args))
        R.check(f"stable: {name}{tuple(args)!r} across connections", a == b and a is not None, f"{a!r} vs {b!r}")
        res = child("stable", name, json.dumps(list(args)))
        R.eq(f"stable: {name}{tuple(args)!r} in another process", res.get("value"), a)
        c1.close()
        c2.close()


# Hostile values, for every argument position of every function.
HOSTILE = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 100,
    "\x01\x02\x07\x08\x1b[31m\x7f\r\n\t",
    "'; DROP TABLE t; --",
    "1 OR 1=1",
    "' OR ''='",
    "%s%s%n%x",
    "NULL",
    "\u202e\u200b\ufeff",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 😀 e\u0301",
    "-",
    "X" * 300,
    b"",
    b"\xff\xfe",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x00\x00",
    ("text_of_blob", b"\xff"),  # invalid UTF-8 stored as TEXT
    0,
    -1,
    1,
    2**31,
    2**63 - 1,
    -(2**63),
    0.5,
    -0.0,
    1e308,
    -1e308,
    float("inf"),
    float("-inf"),
    float("nan"),
    "9" * 40,
    "1e999",
    " 12 ",
]


def bind(v):
    """SQL placeholder and parameter for a hostile value."""
    if isinstance(v, tuple):
        return "CAST(? AS TEXT)", v[1]
    return "?", v


def clear_error(f, message):
    return message.startswith(f"{f['name']}(): ") and "internal error" not in message and "\x00" not in message


def hostile_calls(f):
    """(args) lists: each hostile value in each position, the other
    positions holding valid arguments; for every allowed arity."""
    base = default_args(f)
    for n in range(f["required"], f["max"] + 1):
        args = (base + [SAMPLE[k] for _, k in f["args"]])[:n]
        for pos in range(n):
            for v in HOSTILE:
                a = list(args)
                a[pos] = v
                yield a
        if n == 0:
            yield []


def run_calls(conn, f, calls, progress):
    checked, bad = 0, []
    for args in calls:
        binds = [bind(a) for a in args]
        sql = f"SELECT sqlxos_{f['name']}(" + ", ".join(b[0] for b in binds) + ")"
        params = [b[1] for b in binds]
        progress(f"{f['sql']} {[short(a) for a in args]!r}")
        try:
            conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as e:
            if not clear_error(f, str(e)):
                bad.append(f"{f['sql']}{[short(a) for a in args]!r}: unclear error {str(e)[:200]!r}")
        except Exception as e:  # anything else is a bug: note it, go on
            bad.append(f"{f['sql']}{[short(a) for a in args]!r}: {type(e).__name__}: {str(e)[:200]}")
        checked += 1
    return checked, bad


def short(v):
    if isinstance(v, (str, bytes)) and len(v) > 24:
        return f"<{type(v).__name__} of {len(v)}>"
    return v


@test
def hostile_inputs():
    res = child("hostile")
    print(f"hostile: {res.get('checked', 0)} calls")
    R.check("hostile: every call gave a value or a clear error", not res.get("bad"), "\n  " + "\n  ".join(res.get("bad", [])[:20]))
    R.check("hostile: calls made", res.get("checked", 0) > 0, repr(res))


@test
def huge_inputs():
    res = child("huge")
    print(f"huge: {len(res.get('values', {}))} value checks, {res.get('checked', 0)} calls with 1-10 MB arguments")
    for name, ok in res.get("values", {}).items():
        R.check(f"huge: {name}", ok)
    R.check("huge: every call gave a value or a clear error", not res.get("bad"), "\n  " + "\n  ".join(res.get("bad", [])[:20]))


@test
def threads():
    res = child("threads")
    print(f"threads: {res.get('calls', 0)} calls from 4 threads")
    R.check("threads: all calls succeeded", not res.get("bad"), "\n  " + "\n  ".join(res.get("bad", [])[:20]))
    R.check("threads: calls made", res.get("calls", 0) > 0, repr(res))


@test
def loading():
    res = child("loading")
    for name, (ok, detail) in res.items():
        R.check(f"loading: {name}", ok, detail)


# --------------------------------------------------------------------------
# child processes


def child(mode, *extra):
    """Runs this file in a child process in `mode`; its exit status must be
    0 and its last stdout line `RESULT <json>`."""
    progress = tempfile.NamedTemporaryFile(prefix="sqlxos-progress-", delete=False)
    progress.close()
    try:
        p = subprocess.run(
            [sys.executable, os.path.abspath(__file__), "--child", mode, LIB, TABLE_PATH, *extra],
            capture_output=True,
            text=True,
            timeout=900,
            env={**os.environ, "SQLXOS_PROGRESS": progress.name},
        )
        with open(progress.name, encoding="utf-8", errors="replace") as f:
            last = f.read()
    finally:
        os.unlink(progress.name)
    lines = p.stdout.strip().splitlines()
    ok = R.check(
        f"child {mode}: exit status 0",
        p.returncode == 0 and lines and lines[-1].startswith("RESULT "),
        f"status {p.returncode}, last call: {last}\nstderr: {p.stderr[-2000:]}",
    )
    return json.loads(lines[-1][len("RESULT "):]) if ok else {}


def progress_writer():
    path = os.environ.get("SQLXOS_PROGRESS")
    if not path:
        return lambda _msg: None
    f = open(path, "w", encoding="utf-8")

    def write(msg):
        f.seek(0)
        f.write(msg)
        f.truncate()
        f.flush()

    return write


def child_hostile():
    conn = connect()
    progress = progress_writer()
    checked, bad = 0, []
    for f in TABLE:
        c, b = run_calls(conn, f, hostile_calls(f), progress)
        checked += c
        bad += b
    return {"checked": checked, "bad": bad}


def child_huge():
    conn = connect()
    progress = progress_writer()
    values = {}
    one_mb = "a" * 1_000_000
    ten_mb = "ж" * 5_000_000  # 10 MB of UTF-8, 5 M characters
    progress("mask_inner 1 MB")
    r = call(conn, "mask_inner", [one_mb, 1, 1])
    values["mask_inner of 1 MB"] = r == "a" + "X" * 999_998 + "a"
    progress("mask_inner 10 MB")
    r = call(conn, "mask_inner", [ten_mb, 2, 3])
    values["mask_inner of 10 MB (5 M characters)"] = r == "жж" + "X" * 4_999_995 + "жжж"
    progress("mask_inner 20 MB result")
    values["mask_inner with a 10 M character, 20 MB result"] = len(call(conn, "mask_inner", ["a" * 10_000_000, 0, 0, "ж"])) == 10_000_000
    r = conn.execute("SELECT length(sqlxos_mask_inner(zeroblob(1000000), 0, 0))").fetchone()[0]
    values["mask_inner of a 1 MB zeroblob (NUL bytes)"] = r == 1_000_000
    progress("mask_inner over SQLITE_LIMIT_LENGTH")
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1000)
    try:
        call(conn, "mask_inner", ["a" * 600, 0, 0, "ж"])
        values["result over SQLITE_LIMIT_LENGTH is refused"] = False
    except sqlite3.DataError as e:
        values["result over SQLITE_LIMIT_LENGTH is refused"] = str(e) == "string or blob too big"
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 1_000_000_000)
    checked, bad = 0, []
    for f in TABLE:
        for big in (one_mb, ten_mb, "1" * 1_000_000):
            n = f["max"]
            args = (default_args(f) + [SAMPLE[k] for _, k in f["args"]])[:n]
            calls = []
            for pos in range(n):
                a = list(args)
                a[pos] = big
                calls.append(a)
            c, b = run_calls(conn, f, calls, progress)
            checked += c
            bad += b
    return {"values": values, "checked": checked, "bad": bad}


def child_threads():
    errors = []
    calls = [0]
    lock = threading.Lock()

    def work():
        try:
            conn = connect()
            for f in TABLE:
                args = default_args(f)
                for _ in range(100):
                    call(conn, f["name"], args)
                    with lock:
                        calls[0] += 1
            conn.close()
        except Exception as e:
            with lock:
                errors.append(f"{type(e).__name__}: {e}")

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"calls": calls[0], "bad": errors}


def child_loading():
    res = {}

    def record(name, fn):
        try:
            ok, detail = fn()
        except Exception as e:
            ok, detail = False, f"{type(e).__name__}: {e}"
        res[name] = (bool(ok), detail)

    def many_connections():
        for i in range(50):
            conn = connect()
            v = call(conn, "mask_inner", ["abc", 1, 1])
            conn.close()
            if v != "aXc":
                return False, f"connection {i}: {v!r}"
        return True, ""

    def twice():
        conn = connect()
        conn.enable_load_extension(True)
        conn.load_extension(LIB)
        return call(conn, "mask_inner", ["abc", 1, 1]) == "aXc", ""

    def sql_load(path, entry):
        conn = sqlite3.connect(":memory:")
        conn.enable_load_extension(True)
        try:
            if entry is None:
                conn.execute("SELECT load_extension(?)", (path,)).fetchall()
            else:
                conn.execute("SELECT load_extension(?, ?)", (path, entry)).fetchall()
            return conn, None
        except sqlite3.OperationalError as e:
            return None, str(e)

    with tempfile.TemporaryDirectory() as d:
        renamed = os.path.join(d, "masking.so")
        shutil.copy(LIB + ".so", renamed)

        def explicit_entry():
            conn, err = sql_load(renamed, "sqlite3_sqlxos_init")
            return conn is not None and call(conn, "mask_inner", ["abc", 1, 1]) == "aXc", err or ""

        def no_legacy_entry():
            _, err = sql_load(renamed, None)
            _, err2 = sql_load(LIB, "sqlite3_extension_init")
            return err is not None and err2 is not None, f"{err!r} / {err2!r}"

        def default_entry_sql():
            conn, err = sql_load(LIB, None)
            return conn is not None and call(conn, "mask_inner", ["abc", 1, 1]) == "aXc", err or ""

        record("50 connections, each loading and closing", many_connections)
        record("loading twice into one connection", twice)
        record("default entry point via load_extension()", default_entry_sql)
        record("renamed file with explicit entry point sqlite3_sqlxos_init", explicit_entry)
        record("no legacy sqlite3_extension_init entry point", no_legacy_entry)
    return res


def child_stable(name, args_json):
    conn = connect()
    return {"value": call(conn, name, json.loads(args_json))}


CHILDREN = {
    "hostile": child_hostile,
    "huge": child_huge,
    "threads": child_threads,
    "loading": child_loading,
    "stable": child_stable,
}


# --------------------------------------------------------------------------


def main():
    global LIB, TABLE, TABLE_PATH
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        mode = sys.argv[2]
        LIB, TABLE_PATH = sys.argv[3], sys.argv[4]
        TABLE = load_table(TABLE_PATH)
        out = CHILDREN[mode](*sys.argv[5:])
        print("RESULT " + json.dumps(out))
        return 0
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    LIB, TABLE_PATH = sys.argv[1], sys.argv[2]
    TABLE = load_table(TABLE_PATH)
    print(f"python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, {len(TABLE)} functions in the table")
    run_tests()
    for s in R.skipped:
        print(f"skipped: {s}")
    print(f"python: {R.passed} passed, {R.failed} failed")
    return 1 if R.failed else 0


TABLE_PATH = None

if __name__ == "__main__":
    sys.exit(main())
