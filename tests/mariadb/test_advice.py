#!/usr/bin/python3
"""Real-engine test of MariaDB index advice; run by tests/mariadb/run.sh.

Drives a running mariadbd with performance_schema on and the built plugin in
its plugin_dir: installs install.sql, generates a schema (utf8mb4_bin,
tables of 100k+ rows), resets performance_schema, runs a workload, then:

- sqlxos.suggest_indexes: a selective filter gets an index; an already
  indexed column, a column leading the primary key, an unselective column
  (an index would mean random reads of a third of the table), a tiny table
  and a write-heavy table get none (the same query on a read-only twin of
  the write-heavy table does); two equalities give one two-column index;
  ORDER BY ... LIMIT gets a sort index. Every suggestion is built with its
  own DDL, and EXPLAIN must show the planner using it, with fewer rows
  examined (Handler_read_* counters) than before;
- errors: NULL, empty, huge, unknown and hostile schema names; a schema
  whose name holds quotes and backquotes is advised, its DDL runs;
- sqlxos.index_health: duplicate, redundant-prefix and unused indexes with
  DROP statements that run; primary, unique and used indexes never listed;
- joins as TPC-H has them (schema advj): a LEFT JOIN and a NOT EXISTS on an
  unindexed column get an index on the inner table's column, COUNT(DISTINCT)
  digests parse, an IN subquery does not hide a selective filter.

Prints `N passed, M failed` last; exits 1 on any failure.
"""

import argparse
import json
import os
import re
import subprocess
import sys

import MySQLdb

DB = "adv"
HOSTILE_DB = "we'ird`db\"x"


class Test:
    def __init__(self, opts):
        self.opts = opts
        self.passed = 0
        self.failed = 0
        self.conn = None

    def ok(self, label, cond, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL {label}" + (f"\n  {detail}" if detail else ""))
        return cond

    def eq(self, label, got, want):
        return self.ok(label, got == want, f"expected: {want!r}\n  actual:   {got!r}")

    def connect(self, db=None):
        kw = dict(unix_socket=self.opts.socket, user="root", charset="utf8mb4", autocommit=True)
        if db:
            kw["db"] = db
        self.conn = MySQLdb.connect(**kw)

    def execute(self, sql, params=None):
        cur = self.conn.cursor()
        cur.execute(sql, params)
        rows = cur.fetchall() if cur.description else []
        while cur.nextset():
            pass
        cur.close()
        return [tuple(decode(v) for v in r) for r in rows]

    def scalar(self, sql, params=None):
        return self.execute(sql, params)[0][0]

    def error(self, sql, params=None):
        try:
            self.execute(sql, params)
        except MySQLdb.Error as e:
            return e.args[1] if len(e.args) > 1 else str(e)
        return None

    def call(self, proc, arg):
        """Rows (as dicts) and warnings of CALL sqlxos.<proc>(arg)."""
        cur = self.conn.cursor()
        cur.execute(f"CALL sqlxos.{proc}(%s)", [arg])
        names = [d[0] for d in cur.description] if cur.description else []
        rows = [dict(zip(names, (decode(v) for v in r))) for r in cur.fetchall()] if names else []
        while cur.nextset():
            pass
        cur.execute("SHOW WARNINGS")
        warnings = [decode(r[2]) for r in cur.fetchall()]
        cur.close()
        return rows, warnings

    def handler_reads(self, sql):
        """Rows the engine read running `sql` (sum of Handler_read_*)."""
        self.execute("FLUSH STATUS")
        self.execute(sql)
        rows = self.execute("SHOW SESSION STATUS LIKE 'Handler_read%'")
        return sum(int(v) for k, v in rows if k != "Handler_read_key")

    # ------------------------------------------------------------------

    def run(self):
        self.connect()
        r = subprocess.run(["mariadb", "--no-defaults", "-S", self.opts.socket, "-uroot", "--batch"],
                           stdin=open(os.path.join(self.opts.sql_dir, "install.sql"), "rb"), capture_output=True)
        self.ok("install.sql runs cleanly", r.returncode == 0 and not r.stderr, r.stderr.decode(errors="replace"))
        self.eq("performance_schema is on", self.scalar("SELECT @@performance_schema"), 1)
        self.generate()
        self.workload()
        self.advice()
        self.errors()
        self.hostile_schema()
        self.health()
        self.joins()
        self.ok("the server is up after everything", self.scalar("SELECT 1") == 1)
        with open(self.opts.server_log, errors="replace") as f:
            panics = [line.strip() for line in f if "panicked" in line]
        self.eq("no panic in the server log", panics, [])

    def generate(self):
        self.execute(f"DROP DATABASE IF EXISTS {DB}")
        self.execute(f"CREATE DATABASE {DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.execute(f"USE {DB}")
        ddl = [
            # 200k orders: customer 20k values, status 3 values, ref indexed.
            """CREATE TABLE orders (id INT PRIMARY KEY AUTO_INCREMENT, customer INT NOT NULL,
                 status VARCHAR(10) NOT NULL, ref INT NOT NULL, created DATETIME NOT NULL,
                 total DECIMAL(10,2) NOT NULL, note TEXT, KEY ix_orders_ref (ref))""",
            """INSERT INTO orders (customer, status, ref, created, total, note)
               SELECT (seq * 7919) % 20000, ELT(1 + seq % 3, 'new', 'paid', 'sent'), seq,
                      '2024-01-01' + INTERVAL seq MINUTE, seq % 1000, 'x' FROM seq_1_to_200000""",
            # 150k order lines, primary key (order_id, line_no).
            """CREATE TABLE order_lines (order_id INT NOT NULL, line_no INT NOT NULL, qty INT NOT NULL,
                 PRIMARY KEY (order_id, line_no))""",
            "INSERT INTO order_lines SELECT 1 + seq DIV 3, seq % 3, seq % 10 FROM seq_0_to_149999",
            # 120k events: tenant 50 values, kind 40 values (2000 combinations).
            """CREATE TABLE events (id INT PRIMARY KEY AUTO_INCREMENT, tenant INT NOT NULL,
                 kind INT NOT NULL, payload VARCHAR(100))""",
            """INSERT INTO events (tenant, kind, payload)
               SELECT seq % 50, (seq DIV 50) % 40, REPEAT('p', 50) FROM seq_1_to_120000""",
            # A tiny table.
            "CREATE TABLE countries (id INT PRIMARY KEY, name VARCHAR(50) NOT NULL)",
            "INSERT INTO countries SELECT seq, CONCAT('country ', seq) FROM seq_1_to_200",
            # Twins: one will take heavy writes, the other none.
            """CREATE TABLE audit (id INT PRIMARY KEY AUTO_INCREMENT, actor INT NOT NULL,
                 at DATETIME NOT NULL, msg VARCHAR(40))""",
            """INSERT INTO audit (actor, at, msg) SELECT seq % 10000, '2024-01-01' + INTERVAL seq SECOND, 'm'
               FROM seq_1_to_100000""",
            "CREATE TABLE audit_ro LIKE audit",
            "INSERT INTO audit_ro SELECT * FROM audit",
        ]
        for sql in ddl:
            self.execute(sql)
        for t in ("orders", "order_lines", "events", "countries", "audit", "audit_ro"):
            self.execute(f"ANALYZE TABLE {t}")
        rows = self.scalar("SELECT COUNT(*) FROM orders")
        self.ok("orders has 100k+ rows", rows >= 100_000, str(rows))

    # Statements of the workload: (label, SQL with %d for a varying constant, runs).
    QUERIES = {
        "selective": ("SELECT * FROM orders WHERE customer = %d", 30),
        "indexed": ("SELECT * FROM orders WHERE ref = %d", 30),
        "pk_prefix": ("SELECT * FROM order_lines WHERE order_id = %d", 30),
        "unselective": ("SELECT * FROM orders WHERE status = 'paid'", 10),
        "two_eq": ("SELECT id, payload FROM events WHERE tenant = %d %% 50 AND kind = %d %% 40", 20),
        "order_limit": ("SELECT id, total FROM orders ORDER BY created DESC LIMIT 10", 20),
        "tiny": ("SELECT * FROM countries WHERE name = CONCAT('country ', %d)", 50),
        "write_heavy": ("SELECT * FROM audit WHERE actor = %d", 3),
        "read_only": ("SELECT * FROM audit_ro WHERE actor = %d", 3),
    }

    def sql(self, label, i):
        text, _ = self.QUERIES[label]
        return text.replace("%d", str(i)).replace("%%", "%")

    def workload(self):
        for t in ("events_statements_summary_by_digest", "table_io_waits_summary_by_table",
                  "table_io_waits_summary_by_index_usage"):
            self.execute(f"TRUNCATE performance_schema.{t}")
        for label, (_, runs) in self.QUERIES.items():
            for i in range(runs):
                self.execute(self.sql(label, i + 1))
        # 300k rows written into audit, in batches.
        for _ in range(3):
            self.execute("INSERT INTO audit (actor, at, msg) SELECT seq % 10000, NOW(), 'w' FROM seq_1_to_100000")
        n = self.scalar(f"SELECT COUNT(*) FROM performance_schema.events_statements_summary_by_digest "
                        f"WHERE SCHEMA_NAME = '{DB}'")
        self.ok("the workload left digests", n >= len(self.QUERIES), str(n))

    def advice(self):
        rows, warnings = self.call("suggest_indexes", DB)
        self.eq("suggest_indexes has no warning", warnings, [])
        want_cols = ["table_name", "columns", "index_ddl", "estimated_bytes", "cost_before", "cost_after",
                     "improvement_pct", "queries", "reason"]
        self.ok("suggest_indexes returns rows", rows, "no rows")
        if rows:
            self.eq("the columns of suggest_indexes", list(rows[0]), want_cols)
        by_table = {}
        for r in rows:
            by_table.setdefault(r["table_name"], []).append(r)
        lead = lambda t: [r["columns"].split(", ")[0] for r in by_table.get(t, [])]  # noqa: E731
        orders = lead("orders")
        self.ok("selective filter: orders gets an index leading with customer", "customer" in orders, repr(rows))
        self.ok("already indexed: nothing leading with ref", "ref" not in orders, repr(orders))
        self.ok("unselective filter: nothing leading with status", "status" not in orders, repr(orders))
        self.ok("ORDER BY LIMIT: orders gets an index leading with created", "created" in orders, repr(orders))
        self.eq("column leading the primary key: nothing on order_lines", lead("order_lines"), [])
        ev = by_table.get("events", [])
        self.ok("two-column equality: exactly one index on events", len(ev) == 1, repr(ev))
        if len(ev) == 1:
            cols = ev[0]["columns"].split(", ")
            self.eq("two-column equality: its first two columns are tenant and kind",
                    sorted(cols[:2]), ["kind", "tenant"])
        self.eq("tiny table: nothing on countries", lead("countries"), [])
        self.eq("write-heavy: nothing on audit", lead("audit"), [])
        self.eq("the read-only twin gets its index", lead("audit_ro"), ["actor"])
        doc = json.loads(self.scalar("SELECT @sqlxos_advice_json"))
        reasons = [r["reason"] for r in doc["rejected"] if r["table_name"] == "audit"]
        self.ok("write-heavy: the rejection says the writes outweigh the savings",
                any("maintenance cost outweighs" in r for r in reasons), repr(reasons))
        for r in rows:
            self.ok(f"{r['columns']}: DDL is online and qualified",
                    r["index_ddl"].startswith("CREATE INDEX sqlxos_")
                    and f" ON {DB}.{r['table_name']} (" in r["index_ddl"]
                    and r["index_ddl"].endswith("ALGORITHM=INPLACE LOCK=NONE"), r["index_ddl"])
            self.ok(f"{r['columns']}: costs fall", 0 <= r["cost_after"] < r["cost_before"], repr(r))
            self.ok(f"{r['columns']}: estimated_bytes > 0", r["estimated_bytes"] > 0, repr(r))
            qs = json.loads(r["queries"])
            self.ok(f"{r['columns']}: queries name digests and text",
                    qs and all(re.fullmatch(r"[0-9a-f]{32}", q["digest"]) and q["text"] for q in qs), r["queries"])
            self.ok(f"{r['columns']}: reason says what it speeds up", r["reason"].startswith("Speeds up"), r["reason"])
        self.verify(rows)

    def verify(self, rows):
        """Build each suggestion; the planner must use it and read fewer rows."""
        label_of = {"customer": "selective", "created": "order_limit", "tenant": "two_eq", "kind": "two_eq",
                    "actor": "read_only"}
        for r in rows:
            label = label_of.get(r["columns"].split(", ")[0])
            if not label:
                continue
            sql = self.sql(label, 7)
            if label == "read_only" and r["table_name"] != "audit_ro":
                continue
            name = r["index_ddl"].split()[2]
            before = self.handler_reads(sql)
            self.execute(r["index_ddl"])
            self.execute(f"ANALYZE TABLE {r['table_name']}")
            plan = self.execute(f"EXPLAIN {sql}")
            keys = [p[5] for p in plan]
            self.ok(f"{name}: EXPLAIN uses it for {label}", name in keys, repr(plan))
            after = self.handler_reads(sql)
            self.ok(f"{name}: rows read fall ({before} -> {after})", after < before / 10, f"{before} -> {after}")
        rows2, _ = self.call("suggest_indexes", DB)
        self.eq("built suggestions are not suggested again",
                sorted(r["index_ddl"] for r in rows2 if r["index_ddl"] in {x["index_ddl"] for x in rows}), [])

    def errors(self):
        cases = [
            (None, "argument schema_name must be the name of a schema (database), got NULL"),
            ("", "got an empty string"),
            ("x" * 65, "must be at most 64 characters (a schema name), got 65 characters"),
            ("é" * 100_000, "got 100000 characters"),
            ("nope", "no schema named 'nope' exists"),
            ("ADV", "no schema named 'ADV' exists"),
            ("adv ", "no schema named 'adv ' exists"),
            ("x'; DROP TABLE adv.orders; --", "no schema named 'x\\'; DROP TABLE adv.orders; --' exists"),
            ("a`b", "no schema named 'a`b' exists"),
            ("💥", "no schema named"),
            ("\\", "no schema named"),
            ("%", "no schema named '%' exists"),
            ("_dv", "no schema named '_dv' exists"),
        ]
        for proc in ("suggest_indexes", "index_health"):
            for arg, want in cases:
                try:
                    self.call(proc, arg)
                    msg = None
                except MySQLdb.Error as e:
                    msg = e.args[1] if len(e.args) > 1 else str(e)
                    code = e.args[0]
                self.ok(f"{proc}({shown(arg)}) fails: {want}",
                        msg is not None and msg.startswith(f"sqlxos.{proc}: argument schema_name") and want in msg
                        and code == 1644, f"actual: {msg!r}")
        self.eq("orders survived hostile names", self.scalar(f"SELECT COUNT(*) FROM {DB}.orders") >= 100_000, True)
        msg = self.error("CALL sqlxos.suggest_indexes()") or ""
        self.ok("suggest_indexes() without an argument fails", "Incorrect number of arguments" in msg, msg)
        # An existing schema without workload: no rows and a warning.
        self.execute("CREATE DATABASE IF NOT EXISTS quiet")
        rows, warnings = self.call("suggest_indexes", "quiet")
        self.eq("a schema without workload gets no advice", rows, [])
        self.ok("... and a warning saying to run the workload", any("run the workload first" in w for w in warnings),
                repr(warnings))
        # The aggregates refuse a wrong argument count, and garbage rows.
        msg = self.error("SELECT sqlxos_advise_indexes(1, 2)") or ""
        self.ok("sqlxos_advise_indexes with 2 arguments fails", "expected 12 arguments, got 2" in msg, msg)
        got = self.scalar("SELECT sqlxos_advise_indexes('garbage', X'ff', NULL, NULL, NULL, 1, 2, 3, 4, 5, 6, 7)")
        self.ok("a garbage row gives an error JSON", json.loads(got).get("error"), got)
        got = self.scalar("SELECT sqlxos_advise_indexes('query', 'd', REPEAT('SELECT (', 100000), NULL, NULL,"
                          " 1, 2, 3, 4, 5, 6, 7)")
        self.ok("a huge unparseable digest is skipped", json.loads(got).get("skipped") == 1, got[:200])

    def hostile_schema(self):
        q = "`" + HOSTILE_DB.replace("`", "``") + "`"
        self.execute(f"CREATE DATABASE {q} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.execute(f"USE {q}")
        self.execute("CREATE TABLE `t'ab``le` (id INT PRIMARY KEY, `co\"l` INT NOT NULL, pad VARCHAR(20))")
        self.execute("INSERT INTO `t'ab``le` SELECT seq, seq % 5000, 'p' FROM seq_1_to_50000")
        self.execute("ANALYZE TABLE `t'ab``le`")
        for i in range(20):
            self.execute(f"SELECT * FROM `t'ab``le` WHERE `co\"l` = {i}")
        rows, _ = self.call("suggest_indexes", HOSTILE_DB)
        self.eq("a hostile schema name: one suggestion", [r["columns"] for r in rows], ['co"l'])
        if rows:
            ddl = rows[0]["index_ddl"]
            self.ok("its DDL quotes schema, table and column", f" ON {q}.`t'ab``le` (`co\"l`)" in ddl, ddl)
            self.eq("its DDL runs", self.error(ddl), None)
        self.execute(f"USE {DB}")
        self.execute(f"DROP DATABASE {q}")

    def health(self):
        self.execute("""CREATE TABLE health (id INT PRIMARY KEY, a INT, b INT, c INT, d INT,
                          KEY ix_a (a), KEY ix_a_dup (a), KEY ix_ab (a, b), UNIQUE KEY ux_c (c), KEY ix_d (d))""")
        self.execute("INSERT INTO health SELECT seq, seq % 100, seq % 7, seq, seq % 3 FROM seq_1_to_5000")
        self.execute("TRUNCATE performance_schema.table_io_waits_summary_by_index_usage")
        for i in range(5):
            self.execute(f"SELECT * FROM health FORCE INDEX (ix_ab) WHERE a = {i} AND b = 1")
            self.execute(f"SELECT * FROM health FORCE INDEX (ix_a) WHERE a = {i}")
            self.execute(f"SELECT * FROM health FORCE INDEX (ix_a_dup) WHERE a = {i}")
            self.execute(f"SELECT * FROM health WHERE c = {i}")
        rows, warnings = self.call("index_health", DB)
        self.eq("index_health has no warning", warnings, [])
        cols = ["schema_name", "table_name", "index_name", "problem", "drop_ddl", "index_bytes", "scans",
                "stats_since", "reason"]
        if rows:
            self.eq("the columns of index_health", list(rows[0]), cols)
        got = sorted((r["index_name"], r["problem"]) for r in rows if r["table_name"] == "health")
        self.eq("index_health on health", got, [("ix_a", "redundant_prefix"), ("ix_a_dup", "duplicate"),
                                                ("ix_a_dup", "redundant_prefix"), ("ix_d", "unused")])
        never = [r for r in rows if r["index_name"] in ("PRIMARY", "ux_c")]
        self.eq("primary and unique indexes are never listed", never, [])
        for r in rows:
            if r["table_name"] == "health":
                self.eq(f"{r['index_name']} drop_ddl", r["drop_ddl"],
                        f"ALTER TABLE `{DB}`.`health` DROP INDEX `{r['index_name']}`")
                self.ok(f"{r['index_name']} has a reason", len(r["reason"]) > 10, r["reason"])
        dup = [r for r in rows if r["index_name"] == "ix_a_dup" and r["problem"] == "duplicate"]
        if dup:
            self.ok("duplicate reason names the other index", "ix_a" in dup[0]["reason"], dup[0]["reason"])
            self.ok("index_bytes is known for root", (dup[0]["index_bytes"] or 0) > 0, repr(dup[0]))
            # performance_schema counts rows read through an index, not scans.
            self.eq("scans: rows read through it", dup[0]["scans"], 250)
            self.eq("the DROP statement runs", self.error(dup[0]["drop_ddl"]), None)
        rows, _ = self.call("index_health", DB)
        self.ok("a dropped index is no longer listed", all(r["index_name"] != "ix_a_dup" for r in rows), repr(rows))

    # Shapes of TPC-H that MariaDB runs without an index as nested loops
    # comparing every outer row with every inner row (found by
    # bench/tpch_mariadb). Schema JDB; (label, SQL with %d, runs).
    JDB = "advj"
    JOIN_QUERIES = {
        # q13: the inner side of a LEFT JOIN never drives it; 2000 x 100k
        # comparisons per run (cut by max_statement_time).
        "left_join": ("SELECT a.id, COUNT(t.id) FROM accounts a LEFT JOIN tickets t ON t.account = a.id "
                      "AND t.note NOT LIKE '%%x%d%%' GROUP BY a.id", 2),
        # q22: NOT EXISTS rescans its table per outer row.
        "not_exists": ("SELECT COUNT(*) FROM accounts a WHERE a.id > %d AND NOT EXISTS "
                       "(SELECT * FROM payments p WHERE p.payer = a.id)", 2),
        # q16: MariaDB's digest spells COUNT(DISTINCT x) COUNT(DISTINCTROW x).
        "count_distinct": ("SELECT kind, COUNT(DISTINCT account) FROM labels WHERE tag = %d GROUP BY kind", 10),
        # q18: an IN subquery is a semi-join, not a list of three values.
        "in_subquery": ("SELECT * FROM shipments WHERE id IN (SELECT order_id FROM order_items WHERE qty = %d %% 10) "
                        "AND carrier = %d", 10),
        # q18: from accounts, payments is found by payer (its id is a key
        # only once order_items is joined): the index on payer must hold
        # amount too, or each payment is fetched by primary key.
        "three_way": ("SELECT a.name, p.id, p.amount, SUM(oi.qty) FROM accounts a, payments p, order_items oi "
                      "WHERE p.id IN (SELECT order_id FROM order_items GROUP BY order_id HAVING SUM(qty) > 16) "
                      "AND a.id = p.payer AND p.id = oi.order_id AND a.id > %d "
                      "GROUP BY a.name, p.id, p.amount ORDER BY p.amount DESC LIMIT 10", 5),
    }

    def joins(self):
        db = self.JDB
        self.execute(f"DROP DATABASE IF EXISTS {db}")
        self.execute(f"CREATE DATABASE {db} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
        self.execute(f"USE {db}")
        for sql in [
            "CREATE TABLE accounts (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL)",
            "INSERT INTO accounts SELECT seq, CONCAT('a', seq) FROM seq_1_to_2000",
            """CREATE TABLE tickets (id INT PRIMARY KEY, account INT NOT NULL, note VARCHAR(40) NOT NULL)""",
            "INSERT INTO tickets SELECT seq, 1 + (seq * 7919) % 2000, CONCAT('n', seq) FROM seq_1_to_100000",
            "CREATE TABLE payments (id INT PRIMARY KEY, payer INT NOT NULL, amount INT NOT NULL)",
            "INSERT INTO payments SELECT seq, 1 + (seq * 104729) % 4000, seq % 100 FROM seq_1_to_100000",
            """CREATE TABLE labels (id INT PRIMARY KEY, tag INT NOT NULL, kind INT NOT NULL,
                 account INT NOT NULL)""",
            "INSERT INTO labels SELECT seq, seq % 5000, seq % 7, seq % 300 FROM seq_1_to_100000",
            "CREATE TABLE shipments (id INT PRIMARY KEY, carrier INT NOT NULL, at DATE NOT NULL)",
            "INSERT INTO shipments SELECT seq, seq % 2000, '2024-01-01' + INTERVAL seq % 300 DAY FROM seq_1_to_100000",
            """CREATE TABLE order_items (order_id INT NOT NULL, line_no INT NOT NULL, qty INT NOT NULL,
                 PRIMARY KEY (order_id, line_no))""",
            "INSERT INTO order_items SELECT 1 + seq DIV 2, seq % 2, seq % 10 FROM seq_0_to_199999",
        ]:
            self.execute(sql)
        for t in ("accounts", "tickets", "payments", "labels", "shipments", "order_items"):
            self.execute(f"ANALYZE TABLE {t}")
        for t in ("events_statements_summary_by_digest", "table_io_waits_summary_by_table"):
            self.execute(f"TRUNCATE performance_schema.{t}")
        self.execute("SET SESSION max_statement_time = 1")
        for label, (text, runs) in self.JOIN_QUERIES.items():
            for i in range(runs):
                sql = text.replace("%d", str(i + 3)).replace("%%", "%")
                try:
                    self.execute(sql)
                except MySQLdb.OperationalError as e:
                    if e.args[0] != 1969:  # interrupted by max_statement_time: still a digest
                        raise
        self.execute("SET SESSION max_statement_time = 0")
        rows, warnings = self.call("suggest_indexes", db)
        self.eq("joins: suggest_indexes has no warning", warnings, [])
        doc = json.loads(self.scalar("SELECT @sqlxos_advice_json"))
        self.eq("joins: every digest parses (DISTINCTROW included)", doc.get("skipped"), 0)
        lead = {}
        for r in rows:
            lead.setdefault(r["table_name"], []).append(r["columns"].split(", ")[0])
        self.ok("LEFT JOIN on an unindexed column: tickets gets an index leading with account",
                "account" in lead.get("tickets", []), repr(rows))
        self.eq("LEFT JOIN: nothing on the outer side (accounts)", lead.get("accounts", []), [])
        self.ok("NOT EXISTS: payments gets an index leading with payer",
                "payer" in lead.get("payments", []), repr(rows))
        self.ok("COUNT(DISTINCT ...): labels gets an index leading with tag",
                "tag" in lead.get("labels", []), repr(rows))
        self.ok("IN (SELECT ...) is no short list: shipments gets an index leading with carrier",
                "carrier" in lead.get("shipments", []), repr(rows))
        payer = [r["columns"].split(", ") for r in rows
                 if r["table_name"] == "payments" and r["columns"].startswith("payer")]
        self.ok("three-way join: the payments index on payer also holds amount (and not the primary key)",
                any("amount" in c and "id" not in c for c in payer), repr(rows))
        left = next((r for r in rows if r["table_name"] == "tickets"), None)
        if left:
            self.execute(left["index_ddl"])
            self.execute("ANALYZE TABLE tickets")
            sql = self.JOIN_QUERIES["left_join"][0].replace("%d", "3").replace("%%", "%")
            plan = self.execute(f"EXPLAIN {sql}")
            name = left["index_ddl"].split()[2]
            self.ok(f"{name}: EXPLAIN of the LEFT JOIN uses it", name in [p[5] for p in plan], repr(plan))
            self.execute("SET SESSION max_statement_time = 30")
            self.ok("the LEFT JOIN now finishes", len(self.execute(sql)) == 2000)
            self.execute("SET SESSION max_statement_time = 0")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def shown(v):
    if v is None:
        return "NULL"
    return repr(v if len(v) < 40 else v[:20] + f"...({len(v)})")


def decode(v):
    if isinstance(v, (bytes, bytearray)):
        try:
            return bytes(v).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(v)
    if type(v).__name__ == "Decimal":
        return float(v)
    return v


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--socket", required=True)
    p.add_argument("--sql-dir", required=True)
    p.add_argument("--server-log", required=True)
    t = Test(p.parse_args())
    try:
        t.run()
    except MySQLdb.Error as e:
        t.ok("the test ran to the end", False, f"{type(e).__name__}: {e}")
    t.finish()


if __name__ == "__main__":
    main()
