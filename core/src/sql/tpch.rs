//! Test fixtures: the TPC-H schema as a catalog (SF 1 row counts, rough
//! distinct counts) and queries written after the shapes of the TPC-H
//! specification's queries, in PostgreSQL syntax.

use crate::catalog::{Catalog, ColumnStats, ExistingIndex, TableStats};

/// A table with `cols` as (name, n_distinct) and `pk` as primary key.
pub(crate) fn table(name: &str, rows: f64, cols: &[(&str, f64)], pk: &[&str]) -> TableStats {
    let mut indexes = Vec::new();
    if !pk.is_empty() {
        indexes.push(ExistingIndex {
            name: format!("{name}_pkey"),
            columns: pk.iter().map(|c| c.to_string()).collect(),
            include: vec![],
            unique: true,
            primary: true,
            partial: false,
            bytes: (rows * 20.0) as u64,
            scans: None,
        });
    }
    TableStats {
        name: name.into(),
        rows,
        bytes: (rows * 120.0) as u64,
        columns: cols
            .iter()
            .map(|(c, d)| ColumnStats {
                name: c.to_string(),
                n_distinct: *d,
                avg_width: 8,
                null_frac: 0.0,
            })
            .collect(),
        indexes,
        writes: 0.0,
        reads: 100.0,
    }
}

pub(crate) fn catalog() -> Catalog {
    Catalog {
        tables: vec![
            table(
                "lineitem",
                6_000_000.0,
                &[
                    ("l_orderkey", 1_500_000.0),
                    ("l_partkey", 200_000.0),
                    ("l_suppkey", 10_000.0),
                    ("l_linenumber", 7.0),
                    ("l_quantity", 50.0),
                    ("l_extendedprice", -0.5),
                    ("l_discount", 11.0),
                    ("l_tax", 9.0),
                    ("l_returnflag", 3.0),
                    ("l_linestatus", 2.0),
                    ("l_shipdate", 2526.0),
                    ("l_commitdate", 2466.0),
                    ("l_receiptdate", 2554.0),
                    ("l_shipinstruct", 4.0),
                    ("l_shipmode", 7.0),
                    ("l_comment", -0.5),
                ],
                &["l_orderkey", "l_linenumber"],
            ),
            table(
                "orders",
                1_500_000.0,
                &[
                    ("o_orderkey", -1.0),
                    ("o_custkey", 100_000.0),
                    ("o_orderstatus", 3.0),
                    ("o_totalprice", -0.9),
                    ("o_orderdate", 2406.0),
                    ("o_orderpriority", 5.0),
                    ("o_clerk", 1000.0),
                    ("o_shippriority", 1.0),
                    ("o_comment", -0.9),
                ],
                &["o_orderkey"],
            ),
            table(
                "customer",
                150_000.0,
                &[
                    ("c_custkey", -1.0),
                    ("c_name", -1.0),
                    ("c_address", -1.0),
                    ("c_nationkey", 25.0),
                    ("c_phone", -1.0),
                    ("c_acctbal", -0.9),
                    ("c_mktsegment", 5.0),
                    ("c_comment", -1.0),
                ],
                &["c_custkey"],
            ),
            table(
                "part",
                200_000.0,
                &[
                    ("p_partkey", -1.0),
                    ("p_name", -1.0),
                    ("p_mfgr", 5.0),
                    ("p_brand", 25.0),
                    ("p_type", 150.0),
                    ("p_size", 50.0),
                    ("p_container", 40.0),
                    ("p_retailprice", 20_000.0),
                    ("p_comment", -0.5),
                ],
                &["p_partkey"],
            ),
            table(
                "partsupp",
                800_000.0,
                &[
                    ("ps_partkey", 200_000.0),
                    ("ps_suppkey", 10_000.0),
                    ("ps_availqty", 9999.0),
                    ("ps_supplycost", 100_000.0),
                    ("ps_comment", -1.0),
                ],
                &["ps_partkey", "ps_suppkey"],
            ),
            table(
                "supplier",
                10_000.0,
                &[
                    ("s_suppkey", -1.0),
                    ("s_name", -1.0),
                    ("s_address", -1.0),
                    ("s_nationkey", 25.0),
                    ("s_phone", -1.0),
                    ("s_acctbal", -1.0),
                    ("s_comment", -1.0),
                ],
                &["s_suppkey"],
            ),
            table(
                "nation",
                25.0,
                &[
                    ("n_nationkey", -1.0),
                    ("n_name", -1.0),
                    ("n_regionkey", 5.0),
                    ("n_comment", -1.0),
                ],
                &["n_nationkey"],
            ),
            table(
                "region",
                5.0,
                &[("r_regionkey", -1.0), ("r_name", -1.0), ("r_comment", -1.0)],
                &["r_regionkey"],
            ),
        ],
    }
}

/// Pricing summary: one range filter, GROUP BY and ORDER BY of two flags.
pub(crate) const Q1: &str = "select l_returnflag, l_linestatus, sum(l_quantity) as sum_qty, \
    sum(l_extendedprice * (1 - l_discount)) as sum_disc_price, count(*) as count_order \
    from lineitem where l_shipdate <= date '1998-12-01' - interval '90' day \
    group by l_returnflag, l_linestatus order by l_returnflag, l_linestatus";

/// Shipping priority: three-way join in WHERE, equality and ranges, LIMIT.
pub(crate) const Q3: &str =
    "select l_orderkey, sum(l_extendedprice * (1 - l_discount)) as revenue, \
    o_orderdate, o_shippriority from customer, orders, lineitem \
    where c_mktsegment = 'BUILDING' and c_custkey = o_custkey and l_orderkey = o_orderkey \
    and o_orderdate < date '1995-03-15' and l_shipdate > date '1995-03-15' \
    group by l_orderkey, o_orderdate, o_shippriority order by revenue desc, o_orderdate limit 10";

/// Order priority checking: correlated EXISTS.
pub(crate) const Q4: &str = "select o_orderpriority, count(*) as order_count from orders \
    where o_orderdate >= date '1993-07-01' and o_orderdate < date '1993-07-01' + interval '3' month \
    and exists (select * from lineitem where l_orderkey = o_orderkey and l_commitdate < l_receiptdate) \
    group by o_orderpriority order by o_orderpriority";

/// Forecasting revenue change: ranges and BETWEEN on one table.
pub(crate) const Q6: &str = "select sum(l_extendedprice * l_discount) as revenue from lineitem \
    where l_shipdate >= date '1994-01-01' and l_shipdate < date '1994-01-01' + interval '1' year \
    and l_discount between 0.06 - 0.01 and 0.06 + 0.01 and l_quantity < 24";

/// Promotion effect: explicit JOIN ... ON with a LIKE inside CASE.
pub(crate) const Q14: &str = "select 100.00 * sum(case when p.p_type like 'PROMO%' \
    then l.l_extendedprice * (1 - l.l_discount) else 0 end) / sum(l.l_extendedprice) as promo_revenue \
    from lineitem as l join part as p on l.l_partkey = p.p_partkey \
    where l.l_shipdate >= date '1995-09-01' and l.l_shipdate < date '1995-10-01'";

/// Small-quantity-order revenue: a correlated scalar subquery joining on
/// l_partkey = p_partkey.
pub(crate) const Q17: &str = "select sum(l_extendedprice) / 7.0 as avg_yearly from lineitem, part \
    where p_partkey = l_partkey and p_brand = 'Brand#23' and p_container = 'MED BOX' \
    and l_quantity < (select 0.2 * avg(l_quantity) from lineitem where l_partkey = p_partkey)";

/// Large volume customer: IN over a grouped subquery with HAVING.
pub(crate) const Q18: &str = "select c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice, sum(l_quantity) \
    from customer, orders, lineitem \
    where o_orderkey in (select l_orderkey from lineitem group by l_orderkey having sum(l_quantity) > 300) \
    and c_custkey = o_custkey and o_orderkey = l_orderkey \
    group by c_name, c_custkey, o_orderkey, o_orderdate, o_totalprice \
    order by o_totalprice desc, o_orderdate limit 100";

/// Suppliers who kept orders waiting: self-joins through EXISTS and
/// NOT EXISTS with aliases.
pub(crate) const Q21: &str = "select s_name, count(*) as numwait from supplier, lineitem l1, orders, nation \
    where s_suppkey = l1.l_suppkey and o_orderkey = l1.l_orderkey and o_orderstatus = 'F' \
    and l1.l_receiptdate > l1.l_commitdate \
    and exists (select * from lineitem l2 where l2.l_orderkey = l1.l_orderkey and l2.l_suppkey <> l1.l_suppkey) \
    and not exists (select * from lineitem l3 where l3.l_orderkey = l1.l_orderkey \
        and l3.l_suppkey <> l1.l_suppkey and l3.l_receiptdate > l3.l_commitdate) \
    and s_nationkey = n_nationkey and n_name = 'SAUDI ARABIA' \
    group by s_name order by numwait desc, s_name limit 100";

/// Global sales opportunity: a derived table, substring IN list, an
/// uncorrelated scalar subquery and a correlated NOT EXISTS.
pub(crate) const Q22: &str =
    "select cntrycode, count(*) as numcust, sum(c_acctbal) as totacctbal from ( \
    select substring(c_phone from 1 for 2) as cntrycode, c_acctbal from customer \
    where substring(c_phone from 1 for 2) in ('13', '31', '23') \
    and c_acctbal > (select avg(c_acctbal) from customer where c_acctbal > 0.00 \
        and substring(c_phone from 1 for 2) in ('13', '31', '23')) \
    and not exists (select * from orders where o_custkey = c_custkey)) as custsale \
    group by cntrycode order by cntrycode";
