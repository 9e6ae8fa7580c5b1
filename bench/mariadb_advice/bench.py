#!/usr/bin/python3
"""MariaDB index advice benchmark; run by bench/mariadb_advice/run.sh.

Generates a shop schema (orders of --rows rows, customers, products, order
lines), runs a mixed workload so performance_schema has digests, then per
advisor (none, sqlxos, naive = one index per column in a WHERE clause):
builds its indexes, runs every query (one warm-up, median of 3) and checks
that every query returns the same rows as without indexes. Prints a table.
"""

import argparse
import re
import statistics
import time

import MySQLdb

DB = "bench"

QUERIES = [
    ("customer orders", "SELECT * FROM orders WHERE customer_id = {c}"),
    ("recent orders", "SELECT id, total FROM orders ORDER BY created DESC LIMIT 20"),
    ("customer recent", "SELECT id, total FROM orders WHERE customer_id = {c} ORDER BY created DESC LIMIT 5"),
    ("status count", "SELECT COUNT(*) FROM orders WHERE status = 'paid'"),
    ("status+region", "SELECT COUNT(*) FROM orders o JOIN customers c ON c.id = o.customer_id "
                      "WHERE c.region = {r} AND o.status = 'new'"),
    ("lines of product", "SELECT SUM(qty) FROM order_lines WHERE product_id = {p}"),
    ("email lookup", "SELECT id FROM customers WHERE email = 'c{c}@example.com'"),
    ("day range", "SELECT COUNT(*) FROM orders WHERE created >= '2024-03-01' AND created < '2024-03-02'"),
    ("price band", "SELECT COUNT(*) FROM products WHERE price BETWEEN 10 AND 11"),
]


def connect(socket, db=None):
    kw = dict(unix_socket=socket, user="root", charset="utf8mb4", autocommit=True)
    if db:
        kw["db"] = db
    return MySQLdb.connect(**kw)


def run(conn, sql):
    cur = conn.cursor()
    cur.execute(sql)
    rows = cur.fetchall() if cur.description else []
    while cur.nextset():
        pass
    cur.close()
    return rows


def generate(conn, rows):
    run(conn, f"DROP DATABASE IF EXISTS {DB}")
    run(conn, f"CREATE DATABASE {DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin")
    run(conn, f"USE {DB}")
    n_cust = max(rows // 20, 1000)
    n_prod = max(rows // 100, 1000)
    for sql in [
        "CREATE TABLE customers (id INT PRIMARY KEY, email VARCHAR(60) NOT NULL, region INT NOT NULL)",
        f"INSERT INTO customers SELECT seq, CONCAT('c', seq, '@example.com'), seq % 20 FROM seq_1_to_{n_cust}",
        "CREATE TABLE products (id INT PRIMARY KEY, price DECIMAL(10,2) NOT NULL, name VARCHAR(40))",
        f"INSERT INTO products SELECT seq, (seq * 37) % 10000 / 100, CONCAT('p', seq) FROM seq_1_to_{n_prod}",
        """CREATE TABLE orders (id INT PRIMARY KEY, customer_id INT NOT NULL, status VARCHAR(8) NOT NULL,
             created DATETIME NOT NULL, total DECIMAL(10,2) NOT NULL)""",
        f"""INSERT INTO orders SELECT seq, 1 + (seq * 7919) % {n_cust}, ELT(1 + seq % 3, 'new', 'paid', 'sent'),
             '2024-01-01' + INTERVAL (seq * 60) DIV {max(rows // 200000, 1)} SECOND, seq % 500 FROM seq_1_to_{rows}""",
        """CREATE TABLE order_lines (order_id INT NOT NULL, line_no INT NOT NULL, product_id INT NOT NULL,
             qty INT NOT NULL, PRIMARY KEY (order_id, line_no))""",
        f"INSERT INTO order_lines SELECT 1 + seq DIV 2, seq % 2, 1 + (seq * 131) % {n_prod}, 1 + seq % 5 "
        f"FROM seq_0_to_{rows - 1}",
    ]:
        run(conn, sql)
    for t in ("customers", "products", "orders", "order_lines"):
        run(conn, f"ANALYZE TABLE {t}")
    return n_cust, n_prod


def instance(sql, i, n_cust, n_prod):
    return sql.format(c=1 + (i * 97) % n_cust, p=1 + (i * 13) % n_prod, r=i % 20)


def workload(conn, n_cust, n_prod, runs=5):
    for t in ("events_statements_summary_by_digest", "table_io_waits_summary_by_table"):
        run(conn, f"TRUNCATE performance_schema.{t}")
    for i in range(runs):
        for _, sql in QUERIES:
            run(conn, instance(sql, i, n_cust, n_prod))


def timed(conn, n_cust, n_prod):
    """Per query: median of 3 runs after a warm-up (ms), and its rows."""
    out = []
    for _, sql in QUERIES:
        q = instance(sql, 3, n_cust, n_prod)
        run(conn, q)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            rows = run(conn, q)
            times.append((time.perf_counter() - t) * 1000)
        out.append((statistics.median(times), rows))
    return out


def naive_indexes():
    """One index per column compared in a WHERE clause (table.column)."""
    cols = []
    for _, sql in QUERIES:
        tables = {}
        for t, alias in re.findall(r"(?:FROM|JOIN) (\w+)(?: (\w)(?=\s|$))?", sql):
            tables[alias or t] = t
        where = sql.split(" WHERE ", 1)[1] if " WHERE " in sql else ""
        for alias, col in re.findall(r"(?:(\w)\.)?(\w+) (?:=|>=|<|BETWEEN)", where):
            table = tables.get(alias) if alias else next(iter(tables.values()))
            if (table, col) not in cols:
                cols.append((table, col))
    return [f"CREATE INDEX naive_{t}_{c} ON {t} ({c})" for t, c in cols]


def index_mb(conn, names):
    if not names:
        return 0.0
    rows = run(conn, "SELECT SUM(stat_value) * @@innodb_page_size FROM mysql.innodb_index_stats "
                     f"WHERE database_name = '{DB}' AND stat_name = 'size' AND index_name IN "
                     f"({', '.join(repr(n) for n in names)})")
    return float(rows[0][0] or 0) / 1e6


def build(conn, ddls):
    names = []
    for ddl in ddls:
        run(conn, ddl)
        names.append(ddl.split()[2])
    for t in ("customers", "products", "orders", "order_lines"):
        run(conn, f"ANALYZE TABLE {t}")
    return names


def drop(conn, names):
    for n in names:
        t = run(conn, f"SELECT TABLE_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = '{DB}' "
                      f"AND INDEX_NAME = '{n}' LIMIT 1")[0][0]
        run(conn, f"DROP INDEX {n} ON {t}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=400000)
    p.add_argument("--socket", required=True)
    a = p.parse_args()
    conn = connect(a.socket)
    print(f"generating {a.rows} orders ...", flush=True)
    n_cust, n_prod = generate(conn, a.rows)
    workload(conn, n_cust, n_prod)
    base = timed(conn, n_cust, n_prod)

    t = time.perf_counter()
    cur = conn.cursor()
    cur.execute(f"CALL sqlxos.suggest_indexes('{DB}')")
    advice = cur.fetchall()
    while cur.nextset():
        pass
    cur.close()
    advice_s = time.perf_counter() - t
    sqlxos_ddl = [r[2].decode() if isinstance(r[2], bytes) else r[2] for r in advice]

    results = {}
    for name, ddls in (("sqlxos", sqlxos_ddl), ("naive", naive_indexes())):
        names = build(conn, ddls)
        res = timed(conn, n_cust, n_prod)
        results[name] = (names, index_mb(conn, names), res)
        drop(conn, names)

    w = 18
    print()
    print(f"MariaDB index advice, {a.rows} orders; per query median of 3 runs (ms) after a warm-up")
    print(f"{'query':<{w}} {'no index':>10} {'sqlxos':>10} {'naive':>10}")
    for i, (label, _) in enumerate(QUERIES):
        print(f"{label:<{w}} {base[i][0]:>10.2f} {results['sqlxos'][2][i][0]:>10.2f} {results['naive'][2][i][0]:>10.2f}")
    total = lambda res: sum(r[0] for r in res)  # noqa: E731
    print(f"{'total':<{w}} {total(base):>10.2f} {total(results['sqlxos'][2]):>10.2f} {total(results['naive'][2]):>10.2f}")
    for name in ("sqlxos", "naive"):
        names, mb, res = results[name]
        regress = sum(1 for b, r in zip(base, res) if r[0] > 1.1 * b[0] and r[0] - b[0] > 0.5)
        same = all(b[1] == r[1] for b, r in zip(base, res))
        print(f"{name:<7} indexes: {len(names):>2}  size: {mb:7.1f} MB  queries regressing >10%: {regress}  "
              f"same rows: {'yes' if same else 'NO'}")
    print(f"sqlxos advice time: {advice_s:.2f} s")
    for d in sqlxos_ddl:
        print(f"  {d}")


if __name__ == "__main__":
    main()
