//! Tests of the SQLite plan pricing and of the EQP line parser.

use super::*;
use std::collections::HashMap;

struct Ctx {
    tables: HashMap<String, TableShape>,
    indexes: HashMap<String, IndexShape>,
}

impl PlanContext for Ctx {
    fn table(&self, b: &str) -> Option<&TableShape> {
        self.tables.get(b)
    }
    fn index(&self, n: &str) -> Option<&IndexShape> {
        self.indexes.get(n)
    }
    fn page_size(&self) -> f64 {
        4096.0
    }
}

fn eqp(lines: &[(i64, i64, &str)]) -> Vec<EqpRow> {
    lines
        .iter()
        .map(|(id, parent, d)| EqpRow {
            id: *id,
            parent: *parent,
            detail: (*d).to_owned(),
        })
        .collect()
}

fn ctx(conds: Vec<CondSel>) -> Ctx {
    let mut tables = HashMap::new();
    tables.insert(
        "t".to_owned(),
        TableShape {
            rows: 100_000.0,
            row_bytes: 60.0,
            conds,
            distinct: vec![
                ("a".into(), 50_000.0),
                ("flag".into(), 2.0),
                ("d".into(), 5_000.0),
            ],
            ..TableShape::default()
        },
    );
    let mut indexes = HashMap::new();
    indexes.insert(
        "ida".to_owned(),
        IndexShape {
            columns: vec!["d".into(), "a".into()],
            rows_per_key: vec![20.0, 1.0],
            entry_bytes: 24.0,
            ..IndexShape::default()
        },
    );
    indexes.insert(
        "ia".to_owned(),
        IndexShape {
            columns: vec!["a".into()],
            rows_per_key: vec![2.0],
            entry_bytes: 16.0,
            ..IndexShape::default()
        },
    );
    indexes.insert(
        "iflag".to_owned(),
        IndexShape {
            columns: vec!["flag".into()],
            rows_per_key: vec![50_000.0],
            entry_bytes: 16.0,
            ..IndexShape::default()
        },
    );
    Ctx { tables, indexes }
}

#[test]
fn parses_loops() {
    let l = parse_loop("SEARCH o USING COVERING INDEX ix (a=? AND b>? AND b<?)").unwrap();
    assert_eq!(l.binding, "o");
    match l.access {
        Access::Search {
            index,
            covering,
            constraints,
            ..
        } => {
            assert_eq!(index.as_deref(), Some("ix"));
            assert!(covering);
            assert_eq!(constraints.len(), 3);
            assert!(constraints[0].equality && !constraints[1].equality);
            assert_eq!(constraints[2].column, "b");
        }
        a => panic!("{a:?}"),
    }
    // The inner table of a LEFT JOIN keeps its constraints.
    let l = parse_loop("SEARCH o USING INDEX ic (c=?) LEFT-JOIN").unwrap();
    assert!(
        matches!(&l.access, Access::Search { index: Some(i), constraints, .. }
            if i == "ic" && constraints.len() == 1 && constraints[0].equality),
        "{l:?}"
    );
    let l = parse_loop("SEARCH u USING INTEGER PRIMARY KEY (rowid=?)").unwrap();
    assert!(matches!(l.access, Access::Search { primary: true, .. }));
    let l = parse_loop("SEARCH u USING AUTOMATIC COVERING INDEX (y=?)").unwrap();
    assert!(matches!(
        l.access,
        Access::Search {
            automatic: true,
            index: None,
            ..
        }
    ));
    let l = parse_loop("SCAN t USING INDEX i").unwrap();
    assert_eq!(
        l.access,
        Access::Scan {
            index: Some("i".into()),
            covering: false
        }
    );
    assert_eq!(
        parse_loop("SCAN CONSTANT ROW").unwrap().access,
        Access::Constant
    );
    assert!(parse_loop("USE TEMP B-TREE FOR ORDER BY").is_none());
}

#[test]
fn a_selective_search_beats_a_scan() {
    let c = ctx(vec![]);
    let scan = plan_cost(&eqp(&[(2, 0, "SCAN t")]), None, &c);
    let search = plan_cost(&eqp(&[(2, 0, "SEARCH t USING INDEX ia (a=?)")]), None, &c);
    assert!(search.cost * 100.0 < scan.cost, "{search:?} {scan:?}");
    assert_eq!(search.indexes, vec!["ia"]);
}

#[test]
fn a_skip_scan_descends_once_per_value_of_the_skipped_column() {
    let l = parse_loop("SEARCH t USING INDEX ida (ANY(d) AND a=?)").unwrap();
    match &l.access {
        Access::Search { constraints, .. } => {
            assert!(constraints[0].skip && constraints[0].column == "d");
            assert!(constraints[1].equality && !constraints[1].skip);
        }
        a => panic!("{a:?}"),
    }
    let c = ctx(vec![]);
    let search = plan_cost(&eqp(&[(2, 0, "SEARCH t USING INDEX ia (a=?)")]), None, &c);
    let skip = plan_cost(
        &eqp(&[(2, 0, "SEARCH t USING INDEX ida (ANY(d) AND a=?)")]),
        None,
        &c,
    );
    // 5000 descents against one.
    assert!(skip.cost > 1000.0 * search.cost, "{skip:?} {search:?}");
}

#[test]
fn reading_half_a_table_by_index_loses_to_a_scan() {
    let c = ctx(vec![]);
    let scan = plan_cost(&eqp(&[(2, 0, "SCAN t")]), None, &c);
    let search = plan_cost(
        &eqp(&[(2, 0, "SEARCH t USING INDEX iflag (flag=?)")]),
        None,
        &c,
    );
    // The rows of `flag = ?` come in rowid order: every page of the
    // table once, like the scan, plus the index.
    assert!(search.cost > scan.cost, "{search:?} {scan:?}");
    // A measured range keeping 95% of rows, where SQLite guesses 25%:
    // in the order of `a`, a random read each.
    let c = ctx(vec![CondSel {
        column: Some("a".into()),
        sel: 0.95,
        measured: true,
    }]);
    let search = plan_cost(&eqp(&[(2, 0, "SEARCH t USING INDEX ia (a>?)")]), None, &c);
    assert!(search.cost > 5.0 * scan.cost, "{search:?} {scan:?}");
}

#[test]
fn limit_without_sort_stops_early() {
    let c = ctx(vec![]);
    let sorted = plan_cost(
        &eqp(&[(2, 0, "SCAN t"), (10, 0, "USE TEMP B-TREE FOR ORDER BY")]),
        Some(10.0),
        &c,
    );
    let ordered = plan_cost(&eqp(&[(2, 0, "SCAN t USING INDEX ia")]), Some(10.0), &c);
    assert!(ordered.cost * 100.0 < sorted.cost, "{ordered:?} {sorted:?}");
    let unlimited = plan_cost(&eqp(&[(2, 0, "SCAN t USING INDEX ia")]), None, &c);
    assert!(unlimited.cost > sorted.cost);
}

#[test]
fn nested_loops_and_subqueries_multiply() {
    let c = ctx(vec![]);
    let join = plan_cost(
        &eqp(&[(3, 0, "SCAN t"), (5, 0, "SEARCH t USING INDEX ia (a=?)")]),
        None,
        &c,
    );
    let one = plan_cost(&eqp(&[(3, 0, "SCAN t")]), None, &c);
    assert!(join.cost > 10.0 * one.cost, "{join:?} {one:?}");
    let sub = plan_cost(
        &eqp(&[
            (2, 0, "SCAN t"),
            (4, 0, "CORRELATED SCALAR SUBQUERY 1"),
            (7, 4, "SCAN t"),
        ]),
        None,
        &c,
    );
    assert!(sub.cost > 1000.0 * one.cost);
    assert!(plan_cost(&[], None, &c).cost == 0.0);
}

/// Two tables of `rows` rows: `o` (rowid alias `ok`, also `oc`) and
/// `l` with its primary key index `lpk` on `lk` (= `o.ok`), stored in
/// key order; `oc_idx` indexes `o.oc`.
fn join_ctx(rows: f64) -> Ctx {
    let mut tables = HashMap::new();
    tables.insert(
        "o".to_owned(),
        TableShape {
            rows,
            row_bytes: 100.0,
            table: "o".into(),
            scan_order: vec!["ok".into()],
            joined: vec![("ok".into(), "l".into(), "lk".into())],
            ..TableShape::default()
        },
    );
    tables.insert(
        "l".to_owned(),
        TableShape {
            rows: 4.0 * rows,
            row_bytes: 100.0,
            table: "l".into(),
            joined: vec![("lk".into(), "o".into(), "ok".into())],
            ..TableShape::default()
        },
    );
    let mut indexes = HashMap::new();
    indexes.insert(
        "lpk".to_owned(),
        IndexShape {
            columns: vec!["lk".into(), "ln".into()],
            rows_per_key: vec![4.0, 1.0],
            entry_bytes: 16.0,
            table_order: true,
        },
    );
    indexes.insert(
        "oc_idx".to_owned(),
        IndexShape {
            columns: vec!["oc".into()],
            rows_per_key: vec![10.0],
            entry_bytes: 16.0,
            table_order: false,
        },
    );
    Ctx { tables, indexes }
}

#[test]
fn lookups_in_key_order_are_sequential() {
    // TPC-H q07: `orders` scanned in rowid order finds `lineitem` by
    // its key in order; scanned through an index on another column
    // (narrower, so SQLite prefers it) the same lookups are random.
    let c = join_ctx(150_000.0);
    let search = "SEARCH l USING INDEX lpk (lk=?)";
    let in_order = plan_cost(&eqp(&[(2, 0, "SCAN o"), (4, 0, search)]), None, &c);
    let random = plan_cost(
        &eqp(&[(2, 0, "SCAN o USING COVERING INDEX oc_idx"), (4, 0, search)]),
        None,
        &c,
    );
    // (Random lookups fetch the 4 rows of a key together: see
    // `rows_of_one_key_in_table_order_are_fetched_together`.)
    assert!(random.cost > 2.0 * in_order.cost, "{random:?} {in_order:?}");
    // The order passes through a correlated subquery.
    let sub = plan_cost(
        &eqp(&[
            (2, 0, "SCAN o"),
            (4, 0, "CORRELATED SCALAR SUBQUERY 1"),
            (6, 4, search),
        ]),
        None,
        &c,
    );
    assert!(sub.cost < random.cost / 2.0, "{sub:?} {random:?}");
}

#[test]
fn lookups_into_a_table_the_cache_holds_cost_little() {
    // 1,000 rows fit in SQLite's page cache: one read per page, then
    // each lookup is CPU; 1,000,000 rows do not.
    let cost = |rows: f64| {
        let c = join_ctx(rows);
        let p = plan_cost(
            &eqp(&[
                (2, 0, "SCAN l"),
                (4, 0, "SEARCH o USING INTEGER PRIMARY KEY (rowid=?)"),
            ]),
            None,
            &c,
        );
        p.cost / rows
    };
    assert!(cost(1_000_000.0) > 5.0 * cost(1_000.0));
}

#[test]
fn an_index_of_few_keys_reads_the_table_forward() {
    // TPC-H q01: GROUP BY on an index of 4 keys reads lineitem 4 times
    // forward and saves the sort; on an index of 50,000 keys (`ia`,
    // 2 rows a key) the same scan is random.
    let mut c = ctx(vec![]);
    c.indexes.insert(
        "ifew".to_owned(),
        IndexShape {
            columns: vec!["flag".into()],
            rows_per_key: vec![25_000.0],
            entry_bytes: 16.0,
            ..IndexShape::default()
        },
    );
    let sorted = plan_cost(
        &eqp(&[(2, 0, "SCAN t"), (10, 0, "USE TEMP B-TREE FOR GROUP BY")]),
        None,
        &c,
    );
    let few = plan_cost(&eqp(&[(2, 0, "SCAN t USING INDEX ifew")]), None, &c);
    let many = plan_cost(&eqp(&[(2, 0, "SCAN t USING INDEX ia")]), None, &c);
    assert!(few.cost < sorted.cost, "{few:?} {sorted:?}");
    assert!(
        many.cost > sorted.cost && many.cost > 2.0 * few.cost,
        "{many:?} {sorted:?} {few:?}"
    );
}

#[test]
fn rows_of_one_key_in_table_order_are_fetched_together() {
    // TPC-H q07 once orders(o_custkey) exists: lineitem found by its key
    // in random order. The 4 rows of an order lie together in the table
    // (its primary key is its order): one random fetch a lookup, not 4.
    let c = join_ctx(150_000.0);
    let plan = |search: &str| {
        plan_cost(
            &eqp(&[(2, 0, "SCAN o USING COVERING INDEX oc_idx"), (4, 0, search)]),
            None,
            &c,
        )
        .cost
    };
    let all = plan("SEARCH l USING INDEX lpk (lk=?)");
    let one = plan("SEARCH l USING INDEX lpk (lk=? AND ln=?)");
    assert!(all < 1.5 * one, "{all} {one}");
    // Not so through an index in another order.
    let mut c2 = join_ctx(150_000.0);
    c2.indexes.get_mut("lpk").unwrap().table_order = false;
    let scattered = plan_cost(
        &eqp(&[
            (2, 0, "SCAN o USING COVERING INDEX oc_idx"),
            (4, 0, "SEARCH l USING INDEX lpk (lk=?)"),
        ]),
        None,
        &c2,
    )
    .cost;
    assert!(scattered > 1.5 * all, "{scattered} {all}");
}

#[test]
fn a_join_value_the_inner_column_lacks_finds_nothing() {
    // TPC-H: 150,000 orders of 10,000 customers among 15,000; a customer
    // finds 10 orders on average, not the 15 an o_custkey value has.
    let mut c = join_ctx(150_000.0);
    let o = c.tables.get_mut("o").unwrap();
    o.distinct = vec![("oc".into(), 10_000.0)];
    o.joined = vec![("oc".into(), "c".into(), "ck".into())];
    c.tables.insert(
        "c".to_owned(),
        TableShape {
            rows: 15_000.0,
            row_bytes: 100.0,
            table: "c".into(),
            ..TableShape::default()
        },
    );
    c.indexes.get_mut("oc_idx").unwrap().rows_per_key = vec![15.0];
    let plan = eqp(&[
        (2, 0, "SCAN c"),
        (4, 0, "SEARCH o USING COVERING INDEX oc_idx (oc=?)"),
    ]);
    let unknown = plan_cost(&plan, None, &c);
    assert!((unknown.rows - 15.0 * 15_000.0).abs() < 1.0, "{unknown:?}");
    c.tables.get_mut("o").unwrap().join_distinct = vec![("oc".into(), 15_000.0)];
    let known = plan_cost(&plan, None, &c);
    assert!((known.rows - 150_000.0).abs() < 1.0, "{known:?}");
    // A constant on the column is not a join value.
    c.tables.get_mut("o").unwrap().conds = vec![CondSel {
        column: Some("oc".into()),
        sel: 1.0 / 10_000.0,
        measured: false,
    }];
    let constant = plan_cost(&plan, None, &c);
    assert!(constant.rows > 15.0 * 15_000.0 * 0.99, "{constant:?}");
}
