"""TPC-H index-advice benchmark (issue 10, Benchmarks item 2).

Driven by bench/tpch/run.sh, which owns the PostgreSQL cluster; this file
does the rest, one step per subcommand, keeping what it measured in a JSON
state file so that steps can run under different locks and preloads:

  prepare   generate the data (tpchgen-cli) and the 22 queries (DuckDB's
            tpch_queries()) once into a cache directory
  load      create the database tpch_baseline: the tables with the spec's
            primary keys only, COPY the data, VACUUM ANALYZE
  advisor   copy tpch_baseline to tpch_<advisor> (naive | sqlxos), ask the
            advisor there, build its indexes for real, ANALYZE
  measure   the 22 queries on every database, interleaved (per query the
            databases in turn), comparing the rows with the baseline's
  report    print the tables

Rules (issue 10): per query one warm-up and the median of 3 runs;
statement_timeout 120 s, a timeout counts as 120 s and is marked;
max_parallel_workers_per_gather = 0. Runs with Debian's python3 in a venv
made with --system-site-packages (psycopg2 from apt; duckdb, sqlglot and
tpchgen-cli from PyPI).
"""

import argparse
import datetime
import decimal
import glob
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

import psycopg2
import psycopg2.errors
import psycopg2.extensions

TIMEOUT_S = 120.0
RUNS = 3
# A regression: slower by over 10% and by over 0.1 s.
REGRESSION_RATIO = 1.10
REGRESSION_ABS_S = 0.1
# A query whose warm-up takes longer than this is not run again: the warm-up
# counts (marked ~). At SF 0.1 q17 and q20 take about 90 s each without
# indexes, and 3 more runs of each would triple the time of a CI-sized run;
# at SF 1 only queries that time out take this long. 0: always 3 runs.
LONG_S = float(os.environ.get("LONG_S", "30"))

# The spec's tables (clause 1.4) in load order, with the spec's primary keys
# only: no foreign keys, no other index. Text columns are varchar(n), also
# the spec's fixed-length ones: PostgreSQL's B-tree deduplication does not
# apply to char(n), whose indexes on low-cardinality columns then come out
# about 7 times larger (l_shipinstruct at SF 0.1: 28.5 MB vs 4.1 MB), far
# from the issue's reference sizes.
SCHEMA = {
    "region": (
        ["r_regionkey integer", "r_name varchar(25)", "r_comment varchar(152)"],
        ["r_regionkey"],
    ),
    "nation": (
        ["n_nationkey integer", "n_name varchar(25)", "n_regionkey integer", "n_comment varchar(152)"],
        ["n_nationkey"],
    ),
    "part": (
        [
            "p_partkey integer", "p_name varchar(55)", "p_mfgr varchar(25)", "p_brand varchar(10)",
            "p_type varchar(25)", "p_size integer", "p_container varchar(10)",
            "p_retailprice decimal(15,2)", "p_comment varchar(23)",
        ],
        ["p_partkey"],
    ),
    "supplier": (
        [
            "s_suppkey integer", "s_name varchar(25)", "s_address varchar(40)", "s_nationkey integer",
            "s_phone varchar(15)", "s_acctbal decimal(15,2)", "s_comment varchar(101)",
        ],
        ["s_suppkey"],
    ),
    "partsupp": (
        [
            "ps_partkey integer", "ps_suppkey integer", "ps_availqty integer",
            "ps_supplycost decimal(15,2)", "ps_comment varchar(199)",
        ],
        ["ps_partkey", "ps_suppkey"],
    ),
    "customer": (
        [
            "c_custkey integer", "c_name varchar(25)", "c_address varchar(40)", "c_nationkey integer",
            "c_phone varchar(15)", "c_acctbal decimal(15,2)", "c_mktsegment varchar(10)",
            "c_comment varchar(117)",
        ],
        ["c_custkey"],
    ),
    "orders": (
        [
            "o_orderkey integer", "o_custkey integer", "o_orderstatus varchar(1)",
            "o_totalprice decimal(15,2)", "o_orderdate date", "o_orderpriority varchar(15)",
            "o_clerk varchar(15)", "o_shippriority integer", "o_comment varchar(79)",
        ],
        ["o_orderkey"],
    ),
    "lineitem": (
        [
            "l_orderkey integer", "l_partkey integer", "l_suppkey integer", "l_linenumber integer",
            "l_quantity decimal(15,2)", "l_extendedprice decimal(15,2)", "l_discount decimal(15,2)",
            "l_tax decimal(15,2)", "l_returnflag varchar(1)", "l_linestatus varchar(1)",
            "l_shipdate date", "l_commitdate date", "l_receiptdate date",
            "l_shipinstruct varchar(25)", "l_shipmode varchar(10)", "l_comment varchar(44)",
        ],
        ["l_orderkey", "l_linenumber"],
    ),
}
# column -> table (TPC-H column names are unique across tables)
COLUMN_TABLE = {c.split()[0]: t for t, (cols, _) in SCHEMA.items() for c in cols}
PK_LEADING = {pk[0] for _, pk in SCHEMA.values()}

REFERENCE = [
    "reference (issue 10, SF 1, NOT measured here): Supabase index_advisor 0.2.0: 20 idx, 299 MB,"
    " 272 s -> 25.1 s (32.0 s -> 23.5 s without q17, q20), 3 regressions",
    "                                                naive: 31 idx, 782 MB, 28.5 s, 3 regressions;"
    " pg_qualstats: 17 idx, 857 MB, 268 s",
    "goal at SF 1: total <= 22.5 s with <= 10 indexes and <= 150 MB, 0 regressions, advice < 60 s",
]


def log(msg):
    print(f"\033[1m==> {msg}\033[0m", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- state


def load_state(path):
    if os.path.exists(path):
        with open(path) as f:
            return json.load(f)
    return {}


def save_state(path, state):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, path)


# ---------------------------------------------------------------- prepare


def prepare(cache, sf, venv_bin):
    """Data at `sf` into cache/sf<SF>/*.csv, queries into cache/queries/qNN.sql;
    each made once (into a temporary directory, renamed when complete)."""
    data = os.path.join(cache, f"sf{sf}")
    if not os.path.exists(os.path.join(data, "lineitem.csv")):
        tmp = data + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        log(f"tpchgen-cli csv -s {sf} -> {data} (once)")
        subprocess.run(
            [os.path.join(venv_bin, "tpchgen-cli"), "csv", "-s", str(sf), "-o", tmp,
             "--no-progress", "-q"],
            check=True,
        )
        os.replace(tmp, data)
    qdir = os.path.join(cache, "queries")
    if not os.path.exists(os.path.join(qdir, "q22.sql")):
        import duckdb  # only here: the measuring steps do not need it

        ext = glob.glob(os.path.join(
            os.path.dirname(duckdb.__file__), "..", "duckdb_extension_tpch", "extensions",
            duckdb.__version__ if duckdb.__version__.startswith("v") else "v" + duckdb.__version__,
            "tpch.duckdb_extension"))
        if not ext:
            sys.exit(f"error: tpch.duckdb_extension for duckdb {duckdb.__version__} not found"
                     " (pip install duckdb-extension-tpch of the same version)")
        con = duckdb.connect(config={"allow_unsigned_extensions": "true"})
        con.execute(f"LOAD '{ext[0]}'")
        rows = con.execute("SELECT query_nr, query FROM tpch_queries() ORDER BY query_nr").fetchall()
        if len(rows) != 22:
            sys.exit(f"error: tpch_queries() returned {len(rows)} queries, expected 22")
        tmp = qdir + ".tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        for nr, q in rows:
            with open(os.path.join(tmp, f"q{nr:02d}.sql"), "w") as f:
                f.write(q.strip() + "\n")
        os.replace(tmp, qdir)
        log(f"22 queries -> {qdir}")


def read_queries(cache):
    """{name: sql}; the environment's QUERIES (e.g. q03,q17) picks a subset,
    for quick looks only (the issue's figures need all 22)."""
    out = {}
    for path in sorted(glob.glob(os.path.join(cache, "queries", "q*.sql"))):
        with open(path) as f:
            out[os.path.basename(path)[:-4]] = f.read().strip().rstrip(";")
    wanted = [q for q in os.environ.get("QUERIES", "").split(",") if q]
    unknown = [q for q in wanted if q not in out]
    if unknown:
        sys.exit(f"error: QUERIES: unknown {','.join(unknown)}, expected names like q01..q22")
    return {q: sql for q, sql in out.items() if not wanted or q in wanted}


# ---------------------------------------------------------------- database


def connect(dsn):
    conn = psycopg2.connect(dsn)
    conn.autocommit = True  # CREATE INDEX CONCURRENTLY must run outside a transaction
    with conn.cursor() as cur:
        cur.execute("SET max_parallel_workers_per_gather = 0")
        cur.execute(f"SET statement_timeout = '{int(TIMEOUT_S)}s'")
    return conn


def load(dsn, cache, sf):
    """Loads the database tpch_baseline; each advisor gets a copy of it."""
    data = os.path.join(cache, f"sf{sf}")
    admin = connect(dsn)
    with admin.cursor() as cur:
        cur.execute("DROP DATABASE IF EXISTS tpch_baseline")
        cur.execute("CREATE DATABASE tpch_baseline")
    admin.close()
    conn = connect(db_dsn(dsn, "tpch_baseline"))
    cur = conn.cursor()
    cur.execute("SET statement_timeout = 0")
    for table, (cols, pk) in SCHEMA.items():
        t0 = time.perf_counter()
        cur.execute(f"DROP TABLE IF EXISTS {table}")
        cur.execute(f"CREATE TABLE {table} ({', '.join(cols)})")
        with open(os.path.join(data, f"{table}.csv")) as f:
            cur.copy_expert(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)", f)
        cur.execute(f"ALTER TABLE {table} ADD PRIMARY KEY ({', '.join(pk)})")
        log(f"loaded {table} ({time.perf_counter() - t0:.1f} s)")
    # VACUUM as well as ANALYZE: autovacuum would otherwise set the
    # visibility map of the freshly loaded tables in the middle of a
    # measurement (index-only scans change cost and speed once it has).
    cur.execute("VACUUM ANALYZE")
    conn.close()


def normalize(v):
    """A stable text form of a result value: floats to 12 significant
    digits (summation order may differ between plans); numerics as
    PostgreSQL prints them (exact)."""
    if isinstance(v, float):
        return f"{v:.12g}"
    if isinstance(v, decimal.Decimal):
        return str(v)
    return repr(v)


def rows_hash(rows):
    lines = sorted("\x1f".join(normalize(v) for v in row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def run_once(cur, sql):
    """(seconds, rows) or (TIMEOUT_S, None) when statement_timeout hit."""
    t0 = time.perf_counter()
    try:
        cur.execute(sql)
        rows = cur.fetchall()
    except psycopg2.errors.QueryCanceled:
        return TIMEOUT_S, None
    return time.perf_counter() - t0, rows


def plan_shape(cur, sql):
    """A hash of the plan PostgreSQL picks for `sql` (EXPLAIN, COSTS OFF:
    node types, indexes, join order), or None when it cannot be explained.
    A query that ran slower with the same plan as at baseline was slowed
    by something else on the machine, not by the advice."""
    try:
        cur.execute("EXPLAIN (COSTS OFF) " + sql)
        text = "\n".join(r[0] for r in cur.fetchall())
    except psycopg2.Error:
        cur.connection.rollback()
        return None
    return hashlib.sha1(text.encode()).hexdigest()


def db_dsn(dsn, db):
    """The connection string for database `db` (libpq: the last dbname wins)."""
    return f"{dsn} dbname={db}"


def measure(dsn, queries, labels, extra_settings=()):
    """{label: {query: result}} for the databases tpch_<label>, measured
    interleaved so that a change in machine load hits every label alike:
    per query, one warm-up on each database in turn (its rows are hashed),
    then RUNS rounds of one run on each database in turn; the median counts.
    A warm-up that times out is not repeated (counts TIMEOUT_S), nor one
    that takes over LONG_S (counts its own time, marked single)."""
    conns = {}
    for label in labels:
        conns[label] = connect(db_dsn(dsn, f"tpch_{label}"))
        with conns[label].cursor() as cur:
            for s in extra_settings:
                cur.execute(s)
    out = {label: {} for label in labels}
    for name, sql in queries.items():
        times, repeat = {}, []
        for label in labels:
            with conns[label].cursor() as cur:
                plan = plan_shape(cur, sql)
                secs, rows = run_once(cur, sql)
            if rows is None:
                out[label][name] = {"s": TIMEOUT_S, "timeout": True, "hash": None, "rows": None}
            elif LONG_S and secs > LONG_S:
                out[label][name] = {"s": secs, "timeout": False, "single": True,
                                    "hash": rows_hash(rows), "rows": len(rows)}
            else:
                out[label][name] = {"s": None, "timeout": False, "hash": rows_hash(rows),
                                    "rows": len(rows)}
                times[label] = []
                repeat.append(label)
            out[label][name]["plan"] = plan
        for _ in range(RUNS):
            for label in repeat:
                with conns[label].cursor() as cur:
                    t, r = run_once(cur, sql)
                times[label].append(t)
                out[label][name]["timeout"] |= r is None
        for label in repeat:
            out[label][name]["s"] = statistics.median(times[label])
        log(f"{name}: " + ", ".join(
            f"{label} {out[label][name]['s']:.3f} s{' TIMEOUT' if out[label][name]['timeout'] else ''}"
            for label in labels))
    for c in conns.values():
        c.close()
    return out


def user_indexes(cur):
    """{oid: qualified name} of the indexes in user schemas (the primary keys included)."""
    cur.execute(
        """SELECT c.oid, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
           FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relkind = 'i' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
             AND n.nspname NOT LIKE 'pg_temp%'"""
    )
    return dict(cur.fetchall())


# ---------------------------------------------------------------- advisors


def naive_advice(queries):
    """One single-column index per predicate column: every schema column
    named in a WHERE or JOIN ... ON condition (not inside a nested SELECT's
    select list; nested WHEREs count on their own), minus the columns that
    lead a primary key."""
    import sqlglot
    from sqlglot import exp

    def predicate_columns(node, found):
        for child in node.iter_expressions():
            if isinstance(child, exp.Select):
                continue  # its own WHERE is visited as a Where node
            if isinstance(child, exp.Column):
                found.add(child.name.lower())
            predicate_columns(child, found)

    cols = set()
    for sql in queries.values():
        tree = sqlglot.parse_one(sql, read="postgres")
        for where in tree.find_all(exp.Where):
            predicate_columns(where, cols)
        for join in tree.find_all(exp.Join):
            on = join.args.get("on")
            if on is not None:
                predicate_columns(on, cols)
                if isinstance(on, exp.Column):
                    cols.add(on.name.lower())
    order = {c: i for i, c in enumerate(COLUMN_TABLE)}
    picked = sorted((c for c in cols if c in COLUMN_TABLE and c not in PK_LEADING), key=order.get)
    return [f"CREATE INDEX tpch_naive_{c} ON {COLUMN_TABLE[c]} ({c})" for c in picked]


def sqlxos_advice(dsn, queries):
    """Captures the workload (each query once, as the application would run
    it), then asks sqlxos.suggest_indexes(). Returns (ddl list, None,
    seconds suggest_indexes() took) or (None, reason, None)."""
    conn = connect(dsn)
    cur = conn.cursor()
    cur.execute("CREATE EXTENSION IF NOT EXISTS sqlxos")
    cur.execute("SELECT sqlxos.reset()")
    for name, sql in queries.items():
        secs, rows = run_once(cur, sql)
        log(f"capture {name}: {secs:.3f} s{' TIMEOUT' if rows is None else ''}")
    cur.execute("SELECT count(*) FROM sqlxos.workload")
    log(f"sqlxos.workload holds {cur.fetchone()[0]} statements")
    cur.execute("SET statement_timeout = 0")
    conn.notices = []  # every progress NOTICE (psycopg2's own list keeps 50)
    t0 = time.perf_counter()
    try:
        cur.execute("SELECT * FROM sqlxos.suggest_indexes()")
    except psycopg2.errors.UndefinedFunction:
        conn.close()
        return None, "suggest_indexes() not available", None
    rows = cur.fetchall()
    advice_s = time.perf_counter() - t0
    for n in conn.notices:
        log(n.strip())
    names = [d.name for d in cur.description]
    conn.close()
    if "index_ddl" not in names:
        return None, f"suggest_indexes() has no index_ddl column (columns: {', '.join(names)})", None
    shown = [c for c in ("estimated_size", "cost_before", "cost_after", "improvement_pct", "reason")
             if c in names]
    for r in rows:
        log(f"advice: {r[names.index('index_ddl')]}")
        for c in shown:
            v = r[names.index(c)]
            log(f"    {c}: {round(v, 1) if isinstance(v, float) else v}")
    return [r[names.index("index_ddl")] for r in rows], None, advice_s


def run_advisor(dsn, queries, name, state):
    """Copies tpch_baseline to tpch_<name>, asks the advisor on the copy,
    builds its indexes there and ANALYZEs. Measured later by `measure`."""
    log(f"advisor {name}")
    entry = {"name": name}
    admin = connect(dsn)
    with admin.cursor() as cur:
        cur.execute("SET statement_timeout = 0")
        cur.execute(f"DROP DATABASE IF EXISTS tpch_{name}")
        # FILE_COPY: a checkpoint and a file copy, not the whole database
        # through the WAL.
        cur.execute(f"CREATE DATABASE tpch_{name} TEMPLATE tpch_baseline STRATEGY file_copy")
    admin.close()
    dsn = db_dsn(dsn, f"tpch_{name}")
    if name == "naive":
        t0 = time.perf_counter()
        ddl, why = naive_advice(queries), None
        entry["advice_s"] = time.perf_counter() - t0
    elif name == "sqlxos":
        # advice time is suggest_indexes() alone, not the capture pass
        try:
            ddl, why, entry["advice_s"] = sqlxos_advice(dsn, queries)
        except psycopg2.Error as e:
            ddl, why = None, f"failed: {str(e).strip()}"
    else:
        sys.exit(f"error: ADVISORS: unknown advisor {name!r}, expected naive or sqlxos")
    if ddl is None:
        entry["unavailable"] = why
        state["advisors"] = [a for a in state.get("advisors", []) if a["name"] != name] + [entry]
        return
    entry["ddl"] = ddl
    conn = connect(dsn)
    cur = conn.cursor()
    cur.execute("SET statement_timeout = 0")
    before = user_indexes(cur)
    t0 = time.perf_counter()
    errors = []
    for stmt in ddl:
        try:
            cur.execute(stmt)
            log(stmt)
        except psycopg2.Error as e:
            errors.append(f"{stmt}: {e.pgerror or e}".strip())
            log(f"FAILED {stmt}: {e}")
    cur.execute("ANALYZE")
    entry["build_s"] = time.perf_counter() - t0
    entry["errors"] = errors
    created = {oid: n for oid, n in user_indexes(cur).items() if oid not in before}
    cur.execute("SELECT oid, pg_relation_size(oid) FROM pg_class WHERE oid = ANY(%s::oid[])",
                (list(created),))
    entry["index_mb"] = {created[oid]: size / 1024 / 1024 for oid, size in cur.fetchall()}
    entry["indexes"] = len(created)
    entry["mb"] = sum(entry["index_mb"].values())
    conn.close()
    state["advisors"] = [a for a in state.get("advisors", []) if a["name"] != name] + [entry]


# ---------------------------------------------------------------- report


def fmt_s(r):
    return f"{r['s']:.2f}{'*' if r['timeout'] else ''}{'~' if r.get('single') else ''}"


def summarize(base, after):
    tb = sum(r["s"] for r in base.values())
    ta = sum(after[q]["s"] for q in base)
    ok = [q for q in base if not base[q]["timeout"]]
    tb_ok = sum(base[q]["s"] for q in ok)
    ta_ok = sum(after[q]["s"] for q in ok)
    slower = [q for q in base if is_slower(base[q], after[q])]
    # Slower with the very plan it had at baseline: the advice did not
    # touch it (noise from the machine), reported apart.
    regress = [q for q in slower if not same_plan(base[q], after[q])]
    noise = [q for q in slower if same_plan(base[q], after[q])]
    compared = [q for q in base if base[q]["hash"] and after[q]["hash"]]
    differ = [q for q in compared if base[q]["hash"] != after[q]["hash"]]
    unchecked = [q for q in base if q not in compared]
    return tb, ta, tb_ok, ta_ok, regress, noise, differ, unchecked


def is_slower(b, a):
    return a["s"] > b["s"] * REGRESSION_RATIO and a["s"] - b["s"] > REGRESSION_ABS_S


def same_plan(b, a):
    return b.get("plan") is not None and b.get("plan") == a.get("plan")


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: "  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                               for i, (x, w) in enumerate(zip(r, widths))).rstrip()
    out = [line(header), "  ".join("-" * w for w in widths)]
    out += [line(r) for r in rows]
    return "\n".join(out)


def report(state):
    base = state["baseline"]
    timeouts = [q for q, r in base.items() if r["timeout"]]
    print(f"\nTPC-H index advice, SF {state['sf']}, PostgreSQL {state.get('server_version', '?')},"
          f" {state.get('started', '')}")
    print(f"server: shared_buffers {state.get('shared_buffers', '?')},"
          f" effective_cache_size {state.get('effective_cache_size', '?')}, other settings default")
    print(f"rules: per query a warm-up on each database, then {RUNS} rounds across the databases, median"
          f" (interleaved; ~ = warm-up over {LONG_S:.0f} s: that one run only),")
    print(f"      "
          f" statement_timeout {TIMEOUT_S:.0f} s (* = timed out, counted as {TIMEOUT_S:.0f} s),")
    print(f"       max_parallel_workers_per_gather = 0; regression = over {round((REGRESSION_RATIO - 1) * 100)}% and over {REGRESSION_ABS_S} s slower, with another plan than at baseline")
    tb = sum(r["s"] for r in base.values())
    excl = f"excl. {','.join(timeouts)} s" if timeouts else "excl. timeouts s"
    header = ["advisor", "idx", "MB", "total s", excl, "regressions", "advice s", "build s",
              "same rows"]
    rows = [["baseline (PK only)", 0, "0", f"{tb:.2f}", f"{sum(r['s'] for q, r in base.items() if q not in timeouts):.2f}",
             "", "", "", ""]]
    notes = []
    for a in state.get("advisors", []):
        if a.get("unavailable"):
            notes.append(f"{a['name']}: {a['unavailable']}")
            continue
        tb, ta, tb_ok, ta_ok, regress, noise, differ, unchecked = summarize(base, a["after"])
        same = "yes" if not differ else "NO: " + ",".join(differ)
        if unchecked:
            same += f" ({','.join(unchecked)} unchecked: timeout)"
        idx = f"{a['indexes']}" + (f" ({len(a['errors'])} DDL failed)" if a.get("errors") else "")
        rows.append([
            a["name"], idx, f"{a['mb']:.0f}", f"{tb:.2f} -> {ta:.2f}", f"{tb_ok:.2f} -> {ta_ok:.2f}",
            f"{len(regress)}" + (f" ({','.join(regress)})" if regress else "")
            + (f" +{len(noise)} same plan ({','.join(noise)})" if noise else ""),
            f"{a['advice_s']:.2f}", f"{a['build_s']:.1f}", same,
        ])
    print()
    print(table(header, rows))
    for n in notes:
        print(n)
    measured = [a for a in state.get("advisors", []) if not a.get("unavailable")]
    header = ["query", "baseline s"] + [f"{a['name']} s" for a in measured]
    rows = []
    for q, r in base.items():
        row = [q, fmt_s(r)]
        for a in measured:
            x = a["after"][q]
            mark = ""
            if is_slower(r, x):
                mark += " r" if same_plan(r, x) else " R"
            if r["hash"] and x["hash"] and r["hash"] != x["hash"]:
                mark += " DIFF"
            row.append(fmt_s(x) + mark)
        rows.append(row)
    print()
    print(table(header, rows))
    print("(R = regression, r = as slow but with the plan it had at baseline: not the advice,"
          " not counted; DIFF = rows differ from baseline)")
    # Queries that time out at baseline have no rows to compare with: compare
    # the advisors that finished them with one another.
    for q in timeouts:
        hashes = {a["name"]: a["after"][q]["hash"] for a in measured if a["after"][q]["hash"]}
        if len(hashes) > 1:
            agree = "agree" if len(set(hashes.values())) == 1 else "DIFFER"
            print(f"{q} (timed out at baseline): rows of {' and '.join(hashes)} {agree}")
    for a in measured:
        if a["name"] != "naive":
            print(f"{a['name']} indexes:")
            print("\n".join(f"  {d}" for d in a["ddl"]))
    for a in measured:
        for e in a.get("errors", []):
            print(f"{a['name']}: DDL failed: {e}")
    print()
    print("\n".join(REFERENCE))


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("step", choices=["prepare", "load", "advisor", "measure", "report"])
    p.add_argument("advisor", nargs="?", help="for step advisor: naive or sqlxos")
    p.add_argument("--sf", default="0.1")
    p.add_argument("--cache", required=True, help="cache directory for data and queries")
    p.add_argument("--state", help="JSON file holding the measurements")
    p.add_argument("--dsn", help="libpq connection string")
    a = p.parse_args()
    try:
        if float(a.sf) <= 0:
            raise ValueError
    except ValueError:
        sys.exit(f"error: SF must be a positive number like 0.1 or 1, got {a.sf!r}")
    if a.step == "prepare":
        return prepare(a.cache, a.sf, os.path.dirname(sys.executable))
    state = load_state(a.state)
    queries = read_queries(a.cache)
    if a.step == "load":
        load(a.dsn, a.cache, a.sf)
        conn = connect(a.dsn)
        with conn.cursor() as cur:
            cur.execute("SHOW server_version")
            version = cur.fetchone()[0]
            cur.execute("SELECT current_setting('shared_buffers'), current_setting('effective_cache_size')")
            buffers, cache = cur.fetchone()
            state.update(sf=a.sf, server_version=version, shared_buffers=buffers,
                         effective_cache_size=cache,
                         started=datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
        conn.close()
    elif a.step == "measure":
        ready = [x["name"] for x in state.get("advisors", []) if not x.get("unavailable")]
        # With sqlxos preloaded (by run.sh when it advises), capture is off
        # for every database alike; a placeholder setting otherwise.
        out = measure(a.dsn, queries, ["baseline"] + ready, ["SET sqlxos.capture = off"])
        state["baseline"] = out["baseline"]
        for x in state.get("advisors", []):
            if x["name"] in out:
                x["after"] = out[x["name"]]
    elif a.step == "advisor":
        if not a.advisor:
            sys.exit("error: step advisor needs an advisor name: naive or sqlxos")
        run_advisor(a.dsn, queries, a.advisor, state)
    elif a.step == "report":
        report(state)
        return
    save_state(a.state, state)


if __name__ == "__main__":
    main()
