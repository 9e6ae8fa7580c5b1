"""TPC-H index-advice benchmark for MariaDB (issue 11, Benchmarks, second item).

Driven by bench/tpch_mariadb/run.sh, which starts a throwaway mariadbd with
performance_schema on and the plugin installed. Steps:

  1. data: TPC-H CSV at SF from tpchgen-cli, once per SF, in the cache
  2. load: one schema per advisor plus the baseline (tpch, tpch_sqlxos,
     tpch_naive), each with the spec's tables, primary keys only, utf8mb4_bin,
     LOAD DATA INFILE, ANALYZE TABLE
  3. advice:
       sqlxos  reset the digest table, run the 22 queries once with
               tpch_sqlxos as the default schema, then
               CALL sqlxos.suggest_indexes('tpch_sqlxos'); build its index_ddl
       naive   one single-column index per column named in a WHERE or
               JOIN ... ON condition (sqlglot), minus primary-key leaders
     then ANALYZE TABLE; index bytes from mysql.innodb_index_stats
  4. measure, interleaved: per query a warm-up on each schema (its rows are
     hashed), then RUNS rounds of one run on each schema in turn; the median
     counts. max_statement_time interrupts a statement after TIMEOUT_S:
     counted as TIMEOUT_S, marked *.
  5. report: per advisor and per query tables; per sqlxos index, the queries
     whose EXPLAIN uses it; rows examined per schema (performance_schema).
"""

import argparse
import datetime
import decimal
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

import MySQLdb

HERE = os.path.dirname(os.path.abspath(__file__))
TIMEOUT_S = float(os.environ.get("TIMEOUT_S", "120"))
RUNS = 3
# A regression: slower by over 10% and by over REGRESSION_ABS_S.
REGRESSION_RATIO = 1.10
REGRESSION_ABS_S = float(os.environ.get("REGRESSION_ABS_S", "0.1"))
# A warm-up longer than this is not repeated: it counts (marked ~). 0: never.
LONG_S = float(os.environ.get("LONG_S", "60"))
BASE = "tpch"

# The spec's tables (clause 1.4) in MariaDB types; primary keys only.
SCHEMA = {
    "region": (["r_regionkey INT NOT NULL", "r_name VARCHAR(25) NOT NULL", "r_comment VARCHAR(152)"],
               ["r_regionkey"]),
    "nation": (["n_nationkey INT NOT NULL", "n_name VARCHAR(25) NOT NULL", "n_regionkey INT NOT NULL",
                "n_comment VARCHAR(152)"], ["n_nationkey"]),
    "part": (["p_partkey INT NOT NULL", "p_name VARCHAR(55) NOT NULL", "p_mfgr VARCHAR(25) NOT NULL",
              "p_brand VARCHAR(10) NOT NULL", "p_type VARCHAR(25) NOT NULL", "p_size INT NOT NULL",
              "p_container VARCHAR(10) NOT NULL", "p_retailprice DECIMAL(15,2) NOT NULL",
              "p_comment VARCHAR(23) NOT NULL"], ["p_partkey"]),
    "supplier": (["s_suppkey INT NOT NULL", "s_name VARCHAR(25) NOT NULL", "s_address VARCHAR(40) NOT NULL",
                  "s_nationkey INT NOT NULL", "s_phone VARCHAR(15) NOT NULL",
                  "s_acctbal DECIMAL(15,2) NOT NULL", "s_comment VARCHAR(101) NOT NULL"], ["s_suppkey"]),
    "partsupp": (["ps_partkey INT NOT NULL", "ps_suppkey INT NOT NULL", "ps_availqty INT NOT NULL",
                  "ps_supplycost DECIMAL(15,2) NOT NULL", "ps_comment VARCHAR(199) NOT NULL"],
                 ["ps_partkey", "ps_suppkey"]),
    "customer": (["c_custkey INT NOT NULL", "c_name VARCHAR(25) NOT NULL", "c_address VARCHAR(40) NOT NULL",
                  "c_nationkey INT NOT NULL", "c_phone VARCHAR(15) NOT NULL",
                  "c_acctbal DECIMAL(15,2) NOT NULL", "c_mktsegment VARCHAR(10) NOT NULL",
                  "c_comment VARCHAR(117) NOT NULL"], ["c_custkey"]),
    "orders": (["o_orderkey INT NOT NULL", "o_custkey INT NOT NULL", "o_orderstatus CHAR(1) NOT NULL",
                "o_totalprice DECIMAL(15,2) NOT NULL", "o_orderdate DATE NOT NULL",
                "o_orderpriority VARCHAR(15) NOT NULL", "o_clerk VARCHAR(15) NOT NULL",
                "o_shippriority INT NOT NULL", "o_comment VARCHAR(79) NOT NULL"], ["o_orderkey"]),
    "lineitem": (["l_orderkey INT NOT NULL", "l_partkey INT NOT NULL", "l_suppkey INT NOT NULL",
                  "l_linenumber INT NOT NULL", "l_quantity DECIMAL(15,2) NOT NULL",
                  "l_extendedprice DECIMAL(15,2) NOT NULL", "l_discount DECIMAL(15,2) NOT NULL",
                  "l_tax DECIMAL(15,2) NOT NULL", "l_returnflag CHAR(1) NOT NULL",
                  "l_linestatus CHAR(1) NOT NULL", "l_shipdate DATE NOT NULL", "l_commitdate DATE NOT NULL",
                  "l_receiptdate DATE NOT NULL", "l_shipinstruct VARCHAR(25) NOT NULL",
                  "l_shipmode VARCHAR(10) NOT NULL", "l_comment VARCHAR(44) NOT NULL"],
                 ["l_orderkey", "l_linenumber"]),
}
COLUMN_TABLE = {c.split()[0]: t for t, (cols, _) in SCHEMA.items() for c in cols}
PK_LEADING = {pk[0] for _, pk in SCHEMA.values()}

GOAL = "goal (issue 11): sqlxos faster than naive after, with fewer indexes, no query regressing over 10%"


def log(msg):
    print(f"\033[1m==> {msg}\033[0m", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- data


def prepare(cache, sf, venv_bin):
    """TPC-H CSV (with header) at `sf` into cache/sf<SF>/, made once."""
    data = os.path.join(cache, f"sf{sf}")
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


def connect(socket, db=None):
    kw = dict(unix_socket=socket, user="root", charset="utf8mb4", autocommit=True)
    if db:
        kw["db"] = db
    return MySQLdb.connect(**kw)


def run(conn, sql, args=None):
    cur = conn.cursor()
    cur.execute(sql, args)
    rows = cur.fetchall() if cur.description else ()
    names = [d[0] for d in cur.description] if cur.description else []
    while cur.nextset():
        pass
    cur.close()
    return rows, names


def load(conn, schema, data):
    """Creates `schema` with the tables (primary keys only), loads the CSV
    with LOAD DATA INFILE, ANALYZE TABLE. Returns the row counts."""
    run(conn, f"DROP DATABASE IF EXISTS {schema}")
    run(conn, f"CREATE DATABASE {schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    counts = {}
    for table, (cols, pk) in SCHEMA.items():
        run(conn, f"CREATE TABLE {schema}.{table} ({', '.join(cols)}, PRIMARY KEY ({', '.join(pk)}))"
                  " ENGINE=InnoDB")
        path = os.path.join(data, f"{table}.csv")
        run(conn, f"LOAD DATA INFILE %s INTO TABLE {schema}.{table} CHARACTER SET utf8mb4"
                  " FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' LINES TERMINATED BY '\\n'"
                  " IGNORE 1 LINES", (path,))
        counts[table] = run(conn, f"SELECT count(*) FROM {schema}.{table}")[0][0][0]
    analyze(conn, schema)
    return counts


def analyze(conn, schema):
    run(conn, "ANALYZE TABLE " + ", ".join(f"{schema}.{t}" for t in SCHEMA))


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
    """One connection with `schema` as its default database and the timeout."""

    def __init__(self, socket, schema, label):
        self.schema, self.label = schema, label
        self.con = connect(socket, schema)
        run(self.con, f"SET SESSION max_statement_time = {TIMEOUT_S}")

    def run(self, sql):
        """(seconds, rows), or (TIMEOUT_S, None) when interrupted."""
        t0 = time.perf_counter()
        try:
            rows, _ = run(self.con, sql)
        except MySQLdb.OperationalError as e:
            if e.args[0] != 1969:  # ER_STATEMENT_TIMEOUT
                raise
            return TIMEOUT_S, None
        return time.perf_counter() - t0, rows


def normalize(v):
    """Numbers to 8 significant digits (sums differ in the last digits
    between plans), dates as ISO text."""
    if isinstance(v, (float, decimal.Decimal)):
        return f"{float(v):.8g}"
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    if isinstance(v, bytes):
        return v.decode()
    return str(v)


def rows_hash(rows):
    lines = sorted("\x1f".join(normalize(v) for v in row) for row in rows)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def measure(dbs, queries):
    """{label: {query: result}} measured interleaved: per query a warm-up on
    each schema, then RUNS rounds of one run on each."""
    out = {d.label: {} for d in dbs}
    for name, sql in queries.items():
        times = {}
        for d in dbs:
            secs, rows = d.run(sql)
            r = {"s": secs, "timeout": rows is None, "hash": None if rows is None else rows_hash(rows),
                 "rows": None if rows is None else len(rows)}
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


def sqlxos_advice(socket, schema, queries):
    """Resets the digest table, runs each query once with `schema` as the
    default database, then CALL sqlxos.suggest_indexes(schema).
    (ddl list, seconds of the CALL, rows as dicts, advice JSON)."""
    d = Db(socket, schema, "capture")
    for t in ("events_statements_summary_by_digest", "table_io_waits_summary_by_table"):
        run(d.con, f"TRUNCATE performance_schema.{t}")
    for name, sql in queries.items():
        secs, rows = d.run(sql)
        log(f"capture {name}: {secs:.3f} s{' TIMEOUT' if rows is None else ''}")
    t0 = time.perf_counter()
    rows, names = run(d.con, "CALL sqlxos.suggest_indexes(%s)", (schema,))
    secs = time.perf_counter() - t0
    picks = [dict(zip(names, (normalize(v) if isinstance(v, bytes) else v for v in r))) for r in rows]
    advice_json, _ = run(d.con, "SELECT JSON_DETAILED(@sqlxos_advice_json)")
    d.con.close()
    return [p["index_ddl"] for p in picks], secs, picks, normalize(advice_json[0][0] or b"")


def naive_advice(schema, queries):
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
        tree = sqlglot.parse_one(sql, read="mysql")
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
    return [f"CREATE INDEX naive_{c} ON {schema}.{COLUMN_TABLE[c]} ({c})" for c in picked]


def index_names(conn, schema):
    rows, _ = run(conn, "SELECT DISTINCT index_name FROM information_schema.statistics"
                        " WHERE table_schema = %s", (schema,))
    return {normalize(n) for (n,) in rows}


def build(conn, schema, ddl):
    """Runs `ddl`, ANALYZE TABLE. (created names, bytes, seconds, errors)."""
    before = index_names(conn, schema)
    errors = []
    t0 = time.perf_counter()
    for stmt in ddl:
        try:
            run(conn, stmt)
        except MySQLdb.Error as e:
            errors.append(f"{stmt}: {e}")
            log(f"FAILED {stmt}: {e}")
    analyze(conn, schema)
    secs = time.perf_counter() - t0
    created = sorted(index_names(conn, schema) - before)
    size = 0
    if created:
        marks = ", ".join(["%s"] * len(created))
        rows, _ = run(conn, "SELECT coalesce(sum(stat_value), 0) * @@innodb_page_size FROM"
                            " mysql.innodb_index_stats WHERE database_name = %s AND stat_name = 'size'"
                            f" AND index_name IN ({marks})", (schema, *created))
        size = int(rows[0][0])
    return created, size, secs, errors


def schema_bytes(conn, schema):
    rows, _ = run(conn, "SELECT sum(data_length + index_length) FROM information_schema.tables"
                        " WHERE table_schema = %s", (schema,))
    return int(rows[0][0] or 0)


def explain_uses(socket, schema, queries):
    """{index name: [queries whose EXPLAIN names it in `key`]}."""
    d = Db(socket, schema, "explain")
    used = {}
    for name, sql in queries.items():
        rows, names = run(d.con, "EXPLAIN " + sql)
        k = names.index("key")
        for r in rows:
            for idx in normalize(r[k] or "").split(","):
                if idx:
                    used.setdefault(idx, []).append(name)
    d.con.close()
    return {i: sorted(set(q)) for i, q in used.items()}


def rows_examined(conn):
    """{schema: rows examined} over the digests (the measurement runs)."""
    rows, _ = run(conn, "SELECT schema_name, sum(sum_rows_examined) FROM"
                        " performance_schema.events_statements_summary_by_digest"
                        " WHERE digest_text LIKE 'SELECT%' OR digest_text LIKE 'WITH%' GROUP BY schema_name")
    return {normalize(s): int(n) for s, n in rows if s}


# ---------------------------------------------------------------- report


def fmt_s(r):
    return f"{r['s']:.3f}{'*' if r['timeout'] else ''}{'~' if r.get('single') else ''}"


def regressed(b, a):
    return a["s"] > b["s"] * REGRESSION_RATIO and a["s"] - b["s"] > REGRESSION_ABS_S


def table(header, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]

    def line(r):
        return "  ".join(str(x).rjust(w) if i else str(x).ljust(w)
                         for i, (x, w) in enumerate(zip(r, widths))).rstrip()

    return "\n".join([line(header), "  ".join("-" * w for w in widths)] + [line(r) for r in rows])


def report(st):
    base = st["results"]["baseline"]
    timeouts = [q for q, r in base.items() if r["timeout"]]

    def mb(b):
        return b / 1024 / 1024

    print(f"\nTPC-H index advice, MariaDB {st['version']}, SF {st['sf']}"
          f" (database {mb(st['db_bytes']):.0f} MB, primary keys only), {st['started']}")
    print(f"rules: per query a warm-up then the median of {RUNS} runs, interleaved across the"
          f" schemas (~ = warm-up over {LONG_S:.0f} s: that run only);")
    print(f"       timeout {TIMEOUT_S:.0f} s (max_statement_time; * = interrupted, counted as"
          f" {TIMEOUT_S:.0f} s); regression = over {round((REGRESSION_RATIO - 1) * 100)}% and over"
          f" {REGRESSION_ABS_S} s slower")
    excl = f"excl. {','.join(timeouts)} s" if timeouts else "excl. timeouts s"
    header = ["advisor", "idx", "MB", "% of db", "total s", excl, "regressions (before -> after s)",
              "advice s", "build s", "rows examined", "same rows"]
    tb = sum(r["s"] for r in base.values())
    tb_ok = sum(r["s"] for q, r in base.items() if q not in timeouts)
    exam = st.get("examined", {})

    def examined(schema):
        return f"{exam[schema] / 1e6:.1f} M" if schema in exam else ""

    rows = [["baseline (PK only)", 0, "0", "", f"{tb:.2f}", f"{tb_ok:.2f}", "", "", "", examined(BASE), ""]]
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
                     f"{a['advice_s']:.2f}", f"{a['build_s']:.1f}", examined(a["schema"]), same])
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
    for a in st["advisors"]:
        print(f"\n{a['name']} indexes ({len(a['ddl'])}):")
        uses = a.get("explain", {})
        for d in a["ddl"]:
            m = re.search(r"INDEX\s+`?(\w+)`?", d)
            used = uses.get(m.group(1), []) if m else []
            print(f"  {d}" + (f"  -- EXPLAIN: {','.join(used)}" if used else "  -- EXPLAIN: unused"))
        for e in a["errors"]:
            print(f"  FAILED: {e}")
    print()
    print(GOAL)


# ---------------------------------------------------------------- main


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sf", default="0.1")
    p.add_argument("--cache", required=True, help="cache directory holding the CSV per SF")
    p.add_argument("--venv-bin", required=True, help="bin directory holding tpchgen-cli")
    p.add_argument("--socket", required=True)
    p.add_argument("--advisors", default="sqlxos,naive")
    p.add_argument("--queries", default="", help="comma-separated subset, e.g. q01,q07")
    a = p.parse_args()
    try:
        if float(a.sf) <= 0:
            raise ValueError
    except ValueError:
        sys.exit(f"error: SF must be a positive number like 0.1 or 1, got {a.sf!r}")
    advisors = [x for x in a.advisors.split(",") if x]
    for x in advisors:
        if x not in ("sqlxos", "naive"):
            sys.exit(f"error: ADVISORS: unknown advisor {x!r}, expected sqlxos and/or naive")
    queries = read_queries([q for q in a.queries.split(",") if q])
    data = prepare(a.cache, a.sf, a.venv_bin)
    conn = connect(a.socket)
    st = {"sf": a.sf, "started": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), "advisors": [],
          "version": run(conn, "SELECT version()")[0][0][0]}
    for schema in [BASE] + [f"{BASE}_{x}" for x in advisors]:
        t0 = time.perf_counter()
        counts = load(conn, schema, data)
        log(f"loaded {schema} in {time.perf_counter() - t0:.1f} s: "
            + ", ".join(f"{t} {n}" for t, n in counts.items()))
        if not all(counts.values()):
            sys.exit(f"error: empty table after load: {counts}")
    st["db_bytes"] = schema_bytes(conn, BASE)
    dbs = [Db(a.socket, BASE, "baseline")]
    for name in advisors:
        schema = f"{BASE}_{name}"
        log(f"advisor {name}")
        if name == "sqlxos":
            ddl, advice_s, picks, advice_json = sqlxos_advice(a.socket, schema, queries)
            st["sqlxos_json"] = advice_json
        else:
            t0 = time.perf_counter()
            ddl = naive_advice(schema, queries)
            advice_s = time.perf_counter() - t0
        created, size, build_s, errors = build(conn, schema, ddl)
        log(f"{name}: {len(created)} indexes, {size / 1024 / 1024:.1f} MB, advice {advice_s:.2f} s,"
            f" build {build_s:.1f} s")
        for d in ddl:
            log(f"  {d}")
        st["advisors"].append({"name": name, "schema": schema, "ddl": ddl, "created": created, "bytes": size,
                               "advice_s": advice_s, "build_s": build_s, "errors": errors,
                               "explain": explain_uses(a.socket, schema, queries)})
        dbs.append(Db(a.socket, schema, name))
    run(conn, "TRUNCATE performance_schema.events_statements_summary_by_digest")
    st["results"] = measure(dbs, queries)
    st["examined"] = rows_examined(conn)
    report(st)
    if os.environ.get("SHOW_ADVICE_JSON") and st.get("sqlxos_json"):
        print("\nsqlxos advice JSON:\n" + st["sqlxos_json"])


if __name__ == "__main__":
    main()
