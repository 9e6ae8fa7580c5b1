//! Covering candidates: when they are made, how wide, past which keys, and
//! merged.

use super::*;

#[test]
fn covering_variants_only_for_few_narrow_columns() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT total FROM orders2 WHERE customer_id = $1",
        1.0,
        &cat,
    )];
    let c = candidates(&w, &cat, &AdviceOptions::default());
    assert!(
        c.iter()
            .any(|i| i.columns == ["customer_id"] && i.include == ["total"]),
        "{c:?}"
    );
    let w = [wq(
        "q1",
        "SELECT * FROM orders2 WHERE customer_id = $1",
        1.0,
        &cat,
    )];
    assert!(candidates(&w, &cat, &AdviceOptions::default())
        .iter()
        .all(|i| i.include.is_empty()));
    let w = [wq(
        "q1",
        "SELECT id, status, region, created_at, total FROM orders2 WHERE customer_id = $1",
        1.0,
        &cat,
    )];
    assert!(candidates(&w, &cat, &AdviceOptions::default())
        .iter()
        .all(|i| i.include.is_empty()));
}

#[test]
fn tpch_candidates_avoid_primary_key_prefixes() {
    let cat = catalog();
    let w: Vec<WorkloadQuery> = [
        ("q1", tpch::Q1),
        ("q3", tpch::Q3),
        ("q4", tpch::Q4),
        ("q6", tpch::Q6),
        ("q14", tpch::Q14),
        ("q17", tpch::Q17),
        ("q18", tpch::Q18),
        ("q21", tpch::Q21),
        ("q22", tpch::Q22),
    ]
    .iter()
    .map(|(id, sql)| wq(id, sql, 1.0, &cat))
    .collect();
    let c = candidates(&w, &cat, &AdviceOptions::default());
    for i in &c {
        let t = cat.table(&i.table).unwrap();
        assert!(t.rows >= 1000.0, "{i:?}");
        let pk = t.primary_key().unwrap();
        assert_ne!(i.columns[0], pk.columns[0], "{i:?}");
        assert!(i.columns.len() <= 3);
    }
    assert!(c.contains(&IndexDef::new("lineitem", &["l_shipdate"])));
    assert!(c.contains(&IndexDef::new("orders", &["o_custkey"])));
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert!(!a.picks.is_empty() && a.picks.len() <= 10);
    assert!(a.workload_cost_after < a.workload_cost_before);
}

#[test]
fn a_primary_key_lead_with_dozens_of_rows_a_value_gets_no_index() {
    let mut cat = catalog();
    cat.tables.push(tpch::table(
        "pk2",
        100_000.0,
        &[("k1", 2_000.0), ("k2", 50.0), ("v", -0.5)],
        &["k1", "k2"],
    ));
    let w = [wq(
        "q1",
        "SELECT sum(v) FROM pk2 WHERE k1 = $1",
        100.0,
        &cat,
    )];
    let c = candidates(&w, &cat, &AdviceOptions::default());
    assert!(
        c.iter()
            .all(|i| i.columns.first().map(String::as_str) != Some("k1")),
        "{c:?}"
    );
}

/// TPC-H q07's use of lineitem, as SQL the toy catalog knows.
const JOIN_READS_FOUR: &str = "SELECT l_suppkey, l_shipdate, l_extendedprice, l_discount \
    FROM orders, lineitem WHERE l_orderkey = o_orderkey AND o_custkey = $1";

#[test]
fn covering_a_primary_key_lead_when_asked() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT l_suppkey, l_discount FROM orders, lineitem \
         WHERE l_orderkey = o_orderkey AND o_custkey = $1",
        1.0,
        &cat,
    )];
    let leads_pk = |c: &[IndexDef]| {
        c.iter()
            .filter(|i| i.table == "lineitem" && i.columns[0] == "l_orderkey")
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        leads_pk(&candidates(&w, &cat, &AdviceOptions::default())),
        []
    );
    let opts = AdviceOptions {
        covering_over_selective_lead: true,
        ..AdviceOptions::default()
    };
    // The covering variant only: the plain (l_orderkey) stays redundant.
    assert_eq!(
        leads_pk(&candidates(&w, &cat, &opts)),
        [IndexDef {
            include: vec!["l_suppkey".into(), "l_discount".into()],
            ..IndexDef::new("lineitem", &["l_orderkey"])
        }]
    );
    // A constant on the key: a few rows that lie together, found once.
    let w2 = [wq(
        "q1",
        "SELECT l_suppkey, l_discount FROM lineitem WHERE l_orderkey = $1",
        1.0,
        &cat,
    )];
    assert_eq!(leads_pk(&candidates(&w2, &cat, &opts)), []);
    // A one-column unique key finds one row a value: nothing to save.
    let w1 = [wq(
        "q1",
        "SELECT o_custkey, o_orderdate FROM lineitem, orders \
         WHERE o_orderkey = l_orderkey AND l_partkey = $1",
        1.0,
        &cat,
    )];
    assert!(candidates(&w1, &cat, &opts)
        .iter()
        .all(|i| i.columns[0] != "o_orderkey"));
    // Still redundant: an index of the primary key's own columns.
    let w = [wq(
        "q1",
        "SELECT l_linenumber FROM orders, lineitem \
         WHERE l_orderkey = o_orderkey AND o_custkey = $1",
        1.0,
        &cat,
    )];
    assert_eq!(leads_pk(&candidates(&w, &cat, &opts)), []);
}

#[test]
fn covering_variants_take_as_many_columns_as_asked() {
    let cat = catalog();
    let w = [wq("q1", JOIN_READS_FOUR, 1.0, &cat)];
    let opts = AdviceOptions {
        covering_over_selective_lead: true,
        ..AdviceOptions::default()
    };
    let covering = |o: &AdviceOptions| {
        candidates(&w, &cat, o)
            .into_iter()
            .filter(|i| i.table == "lineitem" && !i.include.is_empty())
            .count()
    };
    assert_eq!(covering(&opts), 0);
    let opts = AdviceOptions {
        max_include: 4,
        ..opts
    };
    assert_eq!(covering(&opts), 1);
    let narrow = AdviceOptions {
        max_include_bytes: 31,
        ..opts
    };
    assert_eq!(covering(&narrow), 0);
}

#[test]
fn covering_candidates_merge_when_asked() {
    let cat = catalog();
    let w = [
        wq("q1", JOIN_READS_FOUR, 1.0, &cat),
        wq(
            "q2",
            "SELECT sum(l_extendedprice * (1 - l_discount)) FROM orders, lineitem \
             WHERE l_orderkey = o_orderkey AND l_returnflag = 'R' AND o_orderdate > $1",
            1.0,
            &cat,
        ),
    ];
    let opts = AdviceOptions {
        covering_over_selective_lead: true,
        max_include: 5,
        ..AdviceOptions::default()
    };
    let merged = IndexDef {
        include: ["l_extendedprice", "l_discount", "l_suppkey", "l_shipdate"]
            .map(String::from)
            .to_vec(),
        ..IndexDef::new("lineitem", &["l_orderkey", "l_returnflag"])
    };
    let c = candidates(&w, &cat, &opts);
    assert!(!c.contains(&merged), "{c:?}");
    let opts = AdviceOptions {
        merge_covering: true,
        ..opts
    };
    let c = candidates(&w, &cat, &opts);
    // q2's (l_orderkey, l_returnflag) key, with what both queries read.
    assert!(c.contains(&merged), "{c:?}");
    // Within the column limit.
    let opts = AdviceOptions {
        max_include: 3,
        ..opts
    };
    let c = candidates(&w, &cat, &opts);
    assert!(c.iter().all(|i| i.include.len() <= 3), "{c:?}");
}
