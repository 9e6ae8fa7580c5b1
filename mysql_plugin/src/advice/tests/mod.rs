//! The advice pipeline on hand-made input rows, as the procedures feed
//! them; the real-engine tests are in tests/mariadb/test_advice.py.

use super::*;
use sqlxos_core::advisor::CostOracle;

fn txt(s: &str) -> Arg {
    Arg::Text(s.into())
}

fn num(f: f64) -> Arg {
    Arg::Real(f)
}

fn row(kind: &str, t: &[Option<&str>], n: &[Option<f64>]) -> Vec<Arg> {
    let mut v = vec![txt(kind)];
    for i in 0..4 {
        v.push(t.get(i).copied().flatten().map_or(Arg::Null, txt));
    }
    for i in 0..7 {
        v.push(n.get(i).copied().flatten().map_or(Arg::Null, num));
    }
    v
}

/// A table `orders` of `rows` rows: id (PK), customer (`cust_distinct`
/// values), status (3 values), created, note TEXT.
fn shop(rows: f64, cust_distinct: f64) -> Input {
    let mut i = Input::default();
    i.add(&row("schema", &[Some("shop")], &[]));
    i.add(&row(
        "table",
        &[Some("orders")],
        &[Some(rows), Some(rows * 60.0)],
    ));
    for (n, (c, ty)) in [
        ("id", "int"),
        ("customer", "int"),
        ("status", "varchar"),
        ("created", "datetime"),
        ("note", "text"),
    ]
    .iter()
    .enumerate()
    {
        i.add(&row(
            "column",
            &[Some("orders"), Some(c), Some(ty)],
            &[Some(n as f64 + 1.0), Some(40.0)],
        ));
    }
    i.add(&row(
        "index",
        &[Some("orders"), Some("PRIMARY"), Some("id"), Some("BTREE")],
        &[Some(1.0), Some(0.0), Some(rows)],
    ));
    for (c, d) in [("customer", cust_distinct), ("status", 3.0)] {
        i.add(&row(
            "sample",
            &[Some("orders"), Some(c)],
            &[Some(rows.min(100_000.0)), Some(d), Some(0.0), Some(4.0)],
        ));
    }
    i
}

fn query(i: &mut Input, digest: &str, text: &str, calls: f64, examined: f64, sent: f64) {
    i.add(&row(
        "query",
        &[Some(digest), Some(text)],
        &[
            Some(calls),
            Some(calls * 1e9),
            Some(examined * calls),
            Some(sent * calls),
            Some(0.0),
        ],
    ));
}

fn picks(i: &Input) -> Vec<(String, String)> {
    picks_with(i, &options())
}

#[test]
fn digest_text_parses() {
    let i = shop(100_000.0, 50_000.0);
    let a = Analysis::new(&i);
    for text in [
        "SELECT * FROM `orders` WHERE `customer` = ? AND `status` IN (...) ORDER BY `created` DESC LIMIT ? ",
        "SELECT `o` . `id` FROM `shop` . `orders` AS `o` WHERE ID = ? ",
        "UPDATE `orders` SET `status` = ? WHERE `customer` = ? ",
        "DELETE FROM `orders` WHERE `created` < ? ",
        "INSERT INTO `orders` ( `customer` , `status` ) VALUES (...) /* , ... */ ",
    ] {
        let sql = digest_to_sql(text);
        features_with_catalog(&sql, Dialect::MySql, &a.catalog)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
    }
}

#[test]
fn a_selective_filter_gets_an_index_with_qualified_ddl() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "aaaa1111bbbb2222",
        "SELECT * FROM `orders` WHERE `customer` = ? ",
        100.0,
        100_000.0,
        2.0,
    );
    assert_eq!(picks(&i), vec![("orders".into(), "customer".into())]);
    let out = Analysis::new(&i).advise(&options());
    assert!(
        out.contains("CREATE INDEX sqlxos_orders_customer_idx ON shop.orders (customer) ALGORITHM=INPLACE LOCK=NONE"),
        "{out}"
    );
    assert!(out.contains("aaaa1111bbbb2222"), "{out}");
}

#[test]
fn an_unselective_filter_gets_none() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "q1",
        "SELECT * FROM `orders` WHERE `status` = ? ",
        100.0,
        100_000.0,
        33_000.0,
    );
    assert_eq!(picks(&i), vec![]);
}

#[test]
fn the_primary_key_and_text_columns_get_none() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "q1",
        "SELECT * FROM `orders` WHERE ID = ? ",
        100.0,
        1.0,
        1.0,
    );
    query(
        &mut i,
        "q2",
        "SELECT * FROM `orders` WHERE `note` = ? ",
        100.0,
        100_000.0,
        1.0,
    );
    assert_eq!(picks(&i), vec![]);
}

#[test]
fn order_by_limit_gets_a_sort_index() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "q1",
        "SELECT * FROM `orders` ORDER BY `created` DESC LIMIT ? ",
        50.0,
        100_000.0,
        10.0,
    );
    assert_eq!(picks(&i), vec![("orders".into(), "created".into())]);
}

#[test]
fn two_equalities_give_one_two_column_index() {
    let mut i = shop(100_000.0, 500.0);
    query(
        &mut i,
        "q1",
        "SELECT `id` FROM `orders` WHERE `customer` = ? AND `status` = ? ",
        100.0,
        100_000.0,
        60.0,
    );
    let p = picks(&i);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0].1.starts_with("customer, status"), "{p:?}");
}

#[test]
fn a_tiny_table_gets_none() {
    let mut i = shop(500.0, 500.0);
    query(
        &mut i,
        "q1",
        "SELECT * FROM `orders` WHERE `customer` = ? ",
        1000.0,
        500.0,
        1.0,
    );
    assert_eq!(picks(&i), vec![]);
}

#[test]
fn a_write_heavy_table_gets_none() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "q1",
        "SELECT * FROM `orders` WHERE `customer` = ? ",
        3.0,
        100_000.0,
        2.0,
    );
    assert_eq!(picks(&i).len(), 1);
    i.add(&row(
        "io",
        &[Some("orders")],
        &[Some(500_000.0), Some(300_000.0)],
    ));
    assert_eq!(picks(&i), vec![]);
    let out = Analysis::new(&i).advise(&options());
    assert!(out.contains("maintenance cost outweighs"), "{out}");
}

#[test]
fn columns_to_sample_are_the_filtered_ones() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "q1",
        "SELECT * FROM `orders` WHERE `customer` = ? AND ID > ? ",
        3.0,
        1.0,
        1.0,
    );
    let a = Analysis::new(&i);
    // id has a unique index (its count is known); note is never filtered.
    assert_eq!(
        a.columns_to_sample(&options()),
        vec![("orders".to_string(), "customer".to_string())]
    );
}

#[test]
fn bad_rows_are_an_error_and_garbage_digests_are_skipped() {
    let mut agg = AdviseIndexes::default();
    agg.add(vec![txt("bogus"); ROW_ARGS]);
    assert!(agg.result().starts_with("{\"error\":"));
    let mut i = shop(100_000.0, 50_000.0);
    query(&mut i, "q1", "SELEC garbage ...", 3.0, 1.0, 1.0);
    query(&mut i, "q2", "", 3.0, 1.0, 1.0);
    query(
        &mut i,
        "q3",
        &"SELECT * FROM `orders` WHERE `a` = ? OR ".repeat(5000),
        3.0,
        1.0,
        1.0,
    );
    let a = Analysis::new(&i);
    assert_eq!(a.skipped, 3);
    assert!(a.advise(&options()).contains("\"advice\":[]"));
}

#[test]
fn hostile_names_are_quoted_in_the_ddl() {
    let mut i = Input::default();
    i.add(&row("schema", &[Some("we`ird")], &[]));
    let a = Analysis::new(&i);
    let ddl = a.ddl(&IndexDef::new("t`b", &["Col"]));
    assert_eq!(
        ddl,
        format!(
            "CREATE INDEX {} ON `we``ird`.`t``b` (`Col`) ALGORITHM=INPLACE LOCK=NONE",
            IndexDef::new("t`b", &["Col"]).name()
        )
    );
}

#[test]
fn a_covering_variant_naming_the_primary_key_loses_the_tie() {
    let mut i = shop(100_000.0, 50_000.0);
    query(
        &mut i,
        "q1",
        "SELECT ID FROM `orders` WHERE `customer` = ? ",
        100.0,
        100_000.0,
        2.0,
    );
    assert_eq!(picks(&i), vec![("orders".into(), "customer".into())]);
}

/// `orders.customer` of `shop(rows, sampled)`, counted with an index on
/// customer of `cardinality` when given.
fn customers(rows: f64, sampled: f64, cardinality: Option<f64>) -> Option<f64> {
    let mut i = shop(rows, sampled);
    if let Some(k) = cardinality {
        i.add(&row(
            "index",
            &[
                Some("orders"),
                Some("by_customer"),
                Some("customer"),
                Some("BTREE"),
            ],
            &[Some(1.0), Some(1.0), Some(k)],
        ));
    }
    Analysis::new(&i)
        .catalog
        .table("orders")?
        .distinct("customer")
}

#[test]
fn a_column_leading_an_index_is_counted_by_the_index() {
    // The sample reads the first 100 000 rows in primary key order: 5 000
    // customers there, 400 000 by the index's cardinality over 1 M rows.
    assert_eq!(
        customers(1_000_000.0, 5_000.0, Some(400_000.0)),
        Some(400_000.0)
    );
    // Without an index the sample's count stands; a sample of the whole
    // table beats the index's estimate.
    assert_eq!(customers(1_000_000.0, 5_000.0, None), Some(5_000.0));
    assert_eq!(customers(50_000.0, 5_000.0, Some(7_000.0)), Some(5_000.0));
}

#[test]
fn stored_primary_key_columns_are_not_spelled_out() {
    // InnoDB appends the primary key to every secondary index: a covering
    // variant that stores it needs no column for it (TPC-H q18 reads
    // o_orderkey through orders(o_custkey, o_orderdate, o_totalprice)).
    let a = Analysis::new(&shop(100_000.0, 50_000.0));
    let mut index = IndexDef::new("orders", &["customer"]);
    index.include = vec!["id".into(), "created".into()];
    assert_eq!(a.columns(&index), ["customer", "created"]);
    assert!(a
        .ddl(&index)
        .contains("ON shop.orders (customer, created) ALGORITHM"));
    // A key column stays, even the primary key's.
    let index = IndexDef::new("orders", &["customer", "id"]);
    assert_eq!(a.columns(&index), ["customer", "id"]);
}

/// The advice on `a`'s workload with `opts`.
fn advice_with(a: &Analysis, opts: &AdviceOptions) -> advisor::Advice {
    let mut oracle = oracle::StatsOracle::new(&a.catalog, &a.observed);
    advisor::advise(
        &a.workload,
        &a.catalog,
        &mut oracle,
        opts,
        DdlStyle::MariaDbOnline,
        &mut |_| {},
    )
    .unwrap()
}

/// The advice's indexes as (table, columns) with `opts`.
fn picks_with(i: &Input, opts: &AdviceOptions) -> Vec<(String, String)> {
    let a = Analysis::new(i);
    let advice = advice_with(&a, opts);
    advice
        .picks
        .iter()
        .map(|p| (p.index.table.clone(), p.index.all_columns().join(", ")))
        .collect()
}

mod tpch;
