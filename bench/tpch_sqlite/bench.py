"""TPC-H index-advice benchmark for SQLite (issue 11, Benchmarks, first item).

Driven by bench/tpch_sqlite/run.sh; run with Debian's /usr/bin/python3 (its
sqlite3 module can load extensions). Steps, all in one process:

  1. data: TPC-H CSV at SF from tpchgen-cli, once per SF, into the cache
  2. load: a SQLite file per SF (cached): the spec's tables with their
     primary keys only (INTEGER PRIMARY KEY for one-column keys), bulk
     import in one transaction, ANALYZE
  3. advice, each on its own copy of that file:
       sqlxos  load libsqlxos, sqlxos_capture('on'), run the 22 queries
               once, SELECT * FROM sqlxos_suggest_indexes(), build index_ddl
       expert  the sqlite3 CLI's .expert, once per query; every distinct
               CREATE INDEX it prints is built
     then ANALYZE; index count and bytes from the dbstat virtual table
  4. measure, interleaved: per query, one warm-up on each database (the
     rows of the warm-up are hashed), then RUNS rounds of one run on each
     database in turn; the median of the runs counts. A progress handler
     interrupts a statement after TIMEOUT_S: counted as TIMEOUT_S, marked *.
  5. report: per advisor and per query tables, the issue's reference beside.

Queries are our SQLite translation (bench/tpch_sqlite/queries/qNN.sql) of
the PostgreSQL-dialect queries with the spec's validation parameters.
"""

import argparse
import datetime
import hashlib
import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT_S = float(os.environ.get("TIMEOUT_S", "120"))
RUNS = 3
# A regression: slower by over 10% and by over REGRESSION_ABS_S (a 10%
# change of a 5 ms query is noise, not a regression).
REGRESSION_RATIO = 1.10
REGRESSION_ABS_S = float(os.environ.get("REGRESSION_ABS_S", "0.02"))
# A warm-up longer than this is not repeated: it counts as the figure
# (marked ~). 0: always RUNS runs.
LONG_S = float(os.environ.get("LONG_S", "60"))

# The spec's tables (clause 1.4) with SQLite storage classes: identifiers
# INTEGER, decimals REAL, dates ISO-8601 TEXT; primary keys only.
SCHEMA = {
    "region": (["r_regionkey INTEGER", "r_name TEXT", "r_comment TEXT"], ["r_regionkey"]),
    "nation": (
        ["n_nationkey INTEGER", "n_name TEXT", "n_regionkey INTEGER", "n_comment TEXT"],
        ["n_nationkey"],
    ),
    "part": (
        [
            "p_partkey INTEGER", "p_name TEXT", "p_mfgr TEXT", "p_brand TEXT", "p_type TEXT",
            "p_size INTEGER", "p_container TEXT", "p_retailprice REAL", "p_comment TEXT",
        ],
        ["p_partkey"],
    ),
    "supplier": (
        [
            "s_suppkey INTEGER", "s_name TEXT", "s_address TEXT", "s_nationkey INTEGER",
            "s_phone TEXT", "s_acctbal REAL", "s_comment TEXT",
        ],
        ["s_suppkey"],
    ),
    "partsupp": (
        [
            "ps_partkey INTEGER", "ps_suppkey INTEGER", "ps_availqty INTEGER",
            "ps_supplycost REAL", "ps_comment TEXT",
        ],
        ["ps_partkey", "ps_suppkey"],
    ),
    "customer": (
        [
            "c_custkey INTEGER", "c_name TEXT", "c_address TEXT", "c_nationkey INTEGER",
            "c_phone TEXT", "c_acctbal REAL", "c_mktsegment TEXT", "c_comment TEXT",
        ],
        ["c_custkey"],
    ),
    "orders": (
        [
            "o_orderkey INTEGER", "o_custkey INTEGER", "o_orderstatus TEXT", "o_totalprice REAL",
            "o_orderdate TEXT", "o_orderpriority TEXT", "o_clerk TEXT", "o_shippriority INTEGER",
            "o_comment TEXT",
        ],
        ["o_orderkey"],
    ),
    "lineitem": (
        [
            "l_orderkey INTEGER", "l_partkey INTEGER", "l_suppkey INTEGER", "l_linenumber INTEGER",
            "l_quantity REAL", "l_extendedprice REAL", "l_discount REAL", "l_tax REAL",
            "l_returnflag TEXT", "l_linestatus TEXT", "l_shipdate TEXT", "l_commitdate TEXT",
            "l_receiptdate TEXT", "l_shipinstruct TEXT", "l_shipmode TEXT", "l_comment TEXT",
        ],
        ["l_orderkey", "l_linenumber"],
    ),
}

REFERENCE = [
    "reference (issue 11, SF 1, NOT measured here): .expert: 32 idx, 1.56 GB (124% of the 1.25 GB"
    " database), 531 s -> 43 s (51.4 s -> 42.4 s on the 18 queries finishing at baseline),"
    " 6 regressions (q07 6.2 s -> 15.8 s)",
    "goal (issue 11, at SF 1): sqlxos total below .expert's on the same run, <= 12 indexes,"
    " <= half .expert's bytes, 0 regressions over 10%",
]


def log(msg):
    print(f"\033[1m==> {msg}\033[0m", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data


def sf_name(sf):
    return f"sf{sf}"


def prepare(cache, sf, venv_bin):
    """TPC-H CSV (with header) at `sf` into cache/sf<SF>/, made once."""
    data = os.path.join(cache, sf_name(sf))
    if os.path.exists(os.path.join(data, "lineitem.csv")):
        return data
    gen = os.path.join(venv_bin, "tpchgen-cli")
    if not os.access(gen, os.X_OK):
        sys.exit(f"error: {gen} not found (TPCH_VENV must hold tpchgen-cli: pip install tpchgen-cli)")
    tmp = data + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    log(f"tpchgen-cli csv -s {sf} -> {data} (once)")
    subprocess.run([gen, "csv", "-s", str(sf), "-o", tmp, "--no-progress", "-q"], check=True)
    os.replace(tmp, data)
    return data


def load(cache, sf, data):
    """cache/sqlite-sf<SF>.db with the data, primary keys only, ANALYZEd;
    made once (into a temporary file, renamed when complete)."""
    db = os.path.join(cache, f"sqlite-{sf_name(sf)}.db")
    if os.path.exists(db):
        return db
    tmp = db + ".tmp"
    for suffix in ("", "-journal"):
        if os.path.exists(tmp + suffix):
            os.remove(tmp + suffix)
    script = ["PRAGMA journal_mode = OFF;", "PRAGMA synchronous = OFF;", "BEGIN;"]
    for table, (cols, pk) in SCHEMA.items():
        if len(pk) == 1:  # the rowid itself: SQLite's own form of a one-column integer key
            cols = [c + " PRIMARY KEY" if c.split()[0] == pk[0] else c for c in cols]
            script.append(f"CREATE TABLE {table} ({', '.join(cols)});")
        else:
            script.append(f"CREATE TABLE {table} ({', '.join(cols)}, PRIMARY KEY ({', '.join(pk)}));")
        script.append(f".import --csv --skip 1 {os.path.join(data, table + '.csv')} {table}")
    script += ["COMMIT;", "ANALYZE;"]
    log(f"load {data} -> {db} (once)")
    t0 = time.perf_counter()
    subprocess.run(["sqlite3", "-bail", tmp], input="\n".join(script) + "\n", text=True, check=True,
                   stdout=subprocess.DEVNULL)
    con = sqlite3.connect(tmp)
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in SCHEMA}
    con.close()
    log(f"loaded in {time.perf_counter() - t0:.1f} s: "
        + ", ".join(f"{t} {n}" for t, n in counts.items()))
    if not all(counts.values()):
        sys.exit(f"error: empty table after load: {counts}")
    os.replace(tmp, db)
    return db


def read_queries(only=None):
    out = {}
    qdir = os.path.join(HERE, "queries")
    for name in sorted(os.listdir(qdir)):
        if re.fullmatch(r"q\d\d\.sql", name) and (not only or name[:-4] in only):
            with open(os.path.join(qdir, name)) as f:
                out[name[:-4]] = f.read().strip().rstrip(";")
    if not out:
        sys.exit(f"error: no queries qNN.sql in {qdir}" + (f" among {only}" if only else ""))
    return out


# ---------------------------------------------------------------- running


class Db:
    """One connection with a statement timeout (a progress handler)."""

    def __init__(self, path, label):
        self.path, self.label = path, label
        self.con = sqlite3.connect(path, isolation_level=None)
        self.deadline = None
        self.con.set_progress_handler(self._tick, 20000)

    def _tick(self):
        # interrupt() rather than returning 1: SQLite then flags the run as
        # interrupted in sqlxos_workload (a handler that only returns 1
        # stops it unflagged on SQLite 3.40).
        if self.deadline and time.perf_counter() > self.deadline:
            self.con.interrupt()
        return 0

    def run(self, sql, timeout=TIMEOUT_S):
        """(seconds, rows), or (TIMEOUT_S, None) when interrupted."""
        t0 = time.perf_counter()
        self.deadline = t0 + timeout
        try:
            rows = self.con.execute(sql).fetchall()
        except sqlite3.OperationalError as e:
            if "interrupt" not in str(e):
                raise
            return TIMEOUT_S, None
        finally:
            self.deadline = None
        return time.perf_counter() - t0, rows


def normalize(v):
    """Floats to 8 significant digits (summation order differs between plans)."""
    if isinstance(v, float):
        return f"{v:.8g}"
    return repr(v)


def rows_hash(rows):
    lines = sorted("\x1f".join(normalize(v) for v in row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def measure(dbs, queries):
    """{label: {query: result}} measured interleaved: per query a warm-up on
    each database, then RUNS rounds of one run on each."""
    out = {d.label: {} for d in dbs}
    for name, sql in queries.items():
        times = {}
        for d in dbs:
            secs, rows = d.run(sql)
            r = {"s": secs, "timeout": rows is None, "hash": None if rows is None else rows_hash(rows), "rows": None if rows is None else len(rows)}
            if rows is None or (LONG_S and secs > LONG_S):
                r["single"] = rows is not None
            else:
                times[d.label] = []
            out[d.label][name] = r
        for _ in range(RUNS):
            for d in dbs:
                if d.label in times:
                    secs, rows = d.run(sql)
                    times[d.label].append(secs)
                    if rows is None:
                        out[d.label][name]["timeout"] = True
        for label, ts in times.items():
            out[label][name]["s"] = statistics.median(ts)
        log(f"{name}: " + "  ".join(f"{d.label} {fmt_s(out[d.label][name])}" for d in dbs)
            + f"  ({out[dbs[0].label][name]['rows']} rows)")
    return out


# ---------------------------------------------------------------- advisors


def index_names(con):
    return {n for (n,) in con.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'index'")}


def sqlxos_advice(db, queries, lib):
    """Captures the workload (each query once), then asks
    sqlxos_suggest_indexes(). (ddl list, seconds of the suggest call, rows)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.enable_load_extension(True)
    con.load_extension(lib)
    con.enable_load_extension(False)
    con.execute("SELECT sqlxos_capture('on')")
    d = Db.__new__(Db)
    d.con, d.deadline, d.label = con, None, "capture"
    con.set_progress_handler(d._tick, 20000)
    for name, sql in queries.items():
        secs, rows = d.run(sql)
        log(f"capture {name}: {secs:.3f} s{' TIMEOUT' if rows is None else ''}")
    con.set_progress_handler(None, 0)
    con.execute("SELECT sqlxos_capture('off')")
    n = con.execute("SELECT count(*) FROM sqlxos_workload").fetchone()[0]
    log(f"sqlxos_workload holds {n} statements")
    t0 = time.perf_counter()
    cur = con.execute("SELECT * FROM sqlxos_suggest_indexes()")
    rows = cur.fetchall()
    secs = time.perf_counter() - t0
    names = [c[0] for c in cur.description]
    con.close()
    picks = [dict(zip(names, r)) for r in rows]
    return [p["index_ddl"] for p in picks], secs, picks


def expert_advice(db, queries):
    """The sqlite3 CLI's .expert, one per query: every distinct CREATE INDEX
    it prints, in order of first appearance. (ddl list, seconds, per query)."""
    ddl, per_query = [], {}
    t0 = time.perf_counter()
    for name, sql in queries.items():
        p = subprocess.run(["sqlite3", "-readonly", db], input=f".expert\n{sql};\n",
                           capture_output=True, text=True)
        found = [ln.strip().rstrip(";") for ln in p.stdout.splitlines()
                 if ln.strip().upper().startswith("CREATE INDEX")]
        if p.returncode != 0 or p.stderr.strip():
            log(f".expert {name}: exit {p.returncode}: {p.stderr.strip()[:300]}")
        per_query[name] = found
        for f in found:
            if f not in ddl:
                ddl.append(f)
    return ddl, time.perf_counter() - t0, per_query


def build(db, ddl):
    """Creates `ddl` in `db`, ANALYZE. (created names, bytes, seconds, errors)."""
    con = sqlite3.connect(db, isolation_level=None)
    before = index_names(con)
    errors = []
    t0 = time.perf_counter()
    for stmt in ddl:
        try:
            con.execute(stmt)
        except sqlite3.Error as e:
            errors.append(f"{stmt}: {e}")
            log(f"FAILED {stmt}: {e}")
    con.execute("ANALYZE")
    secs = time.perf_counter() - t0
    created = sorted(index_names(con) - before)
    size = 0
    if created:
        marks = ",".join("?" * len(created))
        size = con.execute(f"SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN ({marks})",
                           created).fetchone()[0]
    con.close()
    return created, size, secs, errors


def db_bytes(db):
    con = sqlite3.connect(db)
    n = con.execute("SELECT page_count * page_size FROM pragma_page_count, pragma_page_size").fetchone()[0]
    con.close()
    return n


# ---------------------------------------------------------------- report


def fmt_s(r):
    return f"{r['s']:.3f}{'*' if r['timeout'] else ''}{'~' if r.get('single') else ''}"


def regressed(b, a):
    return a["s"] > b["s"] * REGRESSION_RATIO and a["s"] - b["s"] > REGRESSION_ABS_S


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    line = lambda r: "  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                               for i, (x, w) in enumerate(zip(r, widths))).rstrip()
    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def report(st):
    base = st["results"]["baseline"]
    timeouts = [q for q, r in base.items() if r["timeout"]]
    mb = lambda b: b / 1024 / 1024
    print(f"\nTPC-H index advice, SQLite {sqlite3.sqlite_version}, SF {st['sf']}"
          f" (database {mb(st['db_bytes']):.0f} MB, primary keys only), {st['started']}")
    print(f"rules: per query a warm-up then the median of {RUNS} runs, interleaved across the"
          f" databases (~ = warm-up over {LONG_S:.0f} s: that run only);")
    print(f"       timeout {TIMEOUT_S:.0f} s (* = interrupted, counted as {TIMEOUT_S:.0f} s);"
          f" regression = over {round((REGRESSION_RATIO - 1) * 100)}% and over"
          f" {REGRESSION_ABS_S} s slower")
    excl = f"excl. {','.join(timeouts)} s" if timeouts else "excl. timeouts s"
    header = ["advisor", "idx", "MB", "% of db", "total s", excl, "regressions (before -> after s)",
              "advice s", "build s", "same rows"]
    tb = sum(r["s"] for r in base.values())
    tb_ok = sum(r["s"] for q, r in base.items() if q not in timeouts)
    rows = [["baseline (PK only)", 0, "0", "", f"{tb:.2f}", f"{tb_ok:.2f}", "", "", "", ""]]
    for a in st["advisors"]:
        after = st["results"][a["name"]]
        ta = sum(after[q]["s"] for q in base)
        ta_ok = sum(after[q]["s"] for q in base if q not in timeouts)
        reg = [f"{q} {base[q]['s']:.3f} -> {after[q]['s']:.3f}" for q in base if regressed(base[q], after[q])]
        differ = [q for q in base if base[q]["hash"] and after[q]["hash"] and base[q]["hash"] != after[q]["hash"]]
        unchecked = [q for q in base if not (base[q]["hash"] and after[q]["hash"])]
        same = "yes" if not differ else "NO: " + ",".join(differ)
        if unchecked:
            same += f" ({','.join(unchecked)} unchecked: timeout)"
        idx = f"{len(a['created'])}" + (f" ({len(a['errors'])} failed)" if a["errors"] else "")
        rows.append([a["name"], idx, f"{mb(a['bytes']):.1f}", f"{100 * a['bytes'] / st['db_bytes']:.0f}%",
                     f"{tb:.2f} -> {ta:.2f}", f"{tb_ok:.2f} -> {ta_ok:.2f}",
                     f"{len(reg)}" + (": " + ", ".join(reg) if reg else ""),
                     f"{a['advice_s']:.2f}", f"{a['build_s']:.1f}", same])
    print()
    print(table(header, rows))
    names = [a["name"] for a in st["advisors"]]
    header = ["query", "rows", "baseline s"] + [f"{n} s" for n in names]
    rows = []
    for q, r in base.items():
        row = [q, "" if r["rows"] is None else r["rows"], fmt_s(r)]
        for n in names:
            x = st["results"][n][q]
            mark = (" R" if regressed(r, x) else "") + (
                " DIFF" if r["hash"] and x["hash"] and r["hash"] != x["hash"] else "")
            row.append(fmt_s(x) + mark)
        rows.append(row)
    print()
    print(table(header, rows))
    print("(R = regression, DIFF = rows differ from baseline)")
    for q in timeouts:
        hashes = {n: st["results"][n][q]["hash"] for n in names if st["results"][n][q]["hash"]}
        if len(hashes) > 1:
            agree = "agree" if len(set(hashes.values())) == 1 else "DIFFER"
            print(f"{q} (interrupted at baseline): rows of {' and '.join(hashes)} {agree}")
    empty = [q for q, r in base.items() if r["rows"] == 0]
    if empty:
        print(f"queries returning no rows at baseline: {', '.join(empty)}")
    for a in st["advisors"]:
        print(f"\n{a['name']} indexes ({len(a['ddl'])}):")
        print("\n".join(f"  {d}" for d in a["ddl"]))
        for e in a["errors"]:
            print(f"  FAILED: {e}")
    print()
    print("\n".join(REFERENCE))


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sf", default="0.1")
    p.add_argument("--cache", required=True, help="cache directory for data and databases")
    p.add_argument("--work", required=True, help="scratch directory for the advised copies")
    p.add_argument("--lib", required=True, help="libsqlxos shared library (without or with .so)")
    p.add_argument("--venv-bin", required=True, help="bin directory holding tpchgen-cli")
    p.add_argument("--advisors", default="sqlxos,expert")
    p.add_argument("--queries", default="", help="comma-separated subset, e.g. q01,q07")
    a = p.parse_args()
    try:
        if float(a.sf) <= 0:
            raise ValueError
    except ValueError:
        sys.exit(f"error: SF must be a positive number like 0.1 or 1, got {a.sf!r}")
    advisors = [x for x in a.advisors.split(",") if x]
    for x in advisors:
        if x not in ("sqlxos", "expert"):
            sys.exit(f"error: ADVISORS: unknown advisor {x!r}, expected sqlxos and/or expert")
    queries = read_queries([q for q in a.queries.split(",") if q])
    data = prepare(a.cache, a.sf, a.venv_bin)
    base_db = load(a.cache, a.sf, data)
    st = {"sf": a.sf, "started": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
          "db_bytes": db_bytes(base_db), "advisors": []}
    os.makedirs(a.work, exist_ok=True)
    dbs = [Db(base_db, "baseline")]
    for name in advisors:
        log(f"advisor {name}")
        if name == "sqlxos":
            ddl, advice_s, _ = sqlxos_advice(base_db, queries, a.lib)
        else:
            ddl, advice_s, _ = expert_advice(base_db, queries)
        copy = os.path.join(a.work, f"{name}.db")
        shutil.copyfile(base_db, copy)
        created, size, build_s, errors = build(copy, ddl)
        log(f"{name}: {len(created)} indexes, {size / 1024 / 1024:.1f} MB, advice {advice_s:.2f} s,"
            f" build {build_s:.1f} s")
        for d in ddl:
            log(f"  {d}")
        st["advisors"].append({"name": name, "ddl": ddl, "created": created, "bytes": size,
                               "advice_s": advice_s, "build_s": build_s, "errors": errors})
        dbs.append(Db(copy, name))
    st["results"] = measure(dbs, queries)
    report(st)


if __name__ == "__main__":
    main()
