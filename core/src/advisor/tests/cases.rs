//! The cases issue 10 lists: which queries get an index, and which do not.

use super::*;

#[test]
fn a_selective_filter_gets_an_index() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT * FROM orders2 WHERE customer_id = $1",
        100.0,
        &cat,
    )];
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert_eq!(keys(&a), vec![k("orders2", &["customer_id"])]);
    let p = &a.picks[0];
    assert_eq!(
        p.ddl,
        "CREATE INDEX CONCURRENTLY sqlxos_orders2_customer_id_idx ON orders2 (customer_id)"
    );
    assert!(p.improvement_pct > 99.0);
    assert_eq!(p.queries, vec![("q1".into(), w[0].text.clone())]);
    assert!(
        p.reason
            .starts_with("Speeds up 1 query (q1: filters on customer_id (equality)) by 100%"),
        "{}",
        p.reason
    );
    assert!(
        p.reason.contains("the table sees few writes"),
        "{}",
        p.reason
    );
    assert!(a.workload_cost_after < a.workload_cost_before / 100.0);
}

#[test]
fn an_already_indexed_column_gets_none() {
    let mut cat = catalog();
    let t = cat.tables.iter_mut().find(|t| t.name == "orders2").unwrap();
    let mut ix = t.indexes[0].clone();
    ix.name = "orders2_customer_id_created_at".into();
    ix.columns = vec!["customer_id".into(), "created_at".into()];
    ix.primary = false;
    t.indexes.push(ix);
    let w = [wq(
        "q1",
        "SELECT * FROM orders2 WHERE customer_id = $1",
        100.0,
        &cat,
    )];
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert!(a.picks.is_empty(), "{:?}", keys(&a));
    assert!(a.rejected.iter().any(|r| r.reason
        == "already covered by index orders2_customer_id_created_at (customer_id, created_at)"));
}

#[test]
fn a_column_leading_a_composite_primary_key_gets_none() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT l_quantity FROM lineitem WHERE l_orderkey = $1 AND l_shipmode = 'AIR'",
        100.0,
        &cat,
    )];
    let c = candidates(&w, &cat, &AdviceOptions::default());
    assert!(c.iter().all(|i| i.columns[0] != "l_orderkey"), "{c:?}");
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert!(a.picks.iter().all(|p| p.index.columns[0] != "l_orderkey"));
    assert!(a.rejected.iter().any(|r| r.reason.starts_with(
        "the primary key lineitem_pkey (l_orderkey, l_linenumber) already leads with l_orderkey"
    )));
}

#[test]
fn two_equalities_give_one_two_column_index() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT * FROM orders2 WHERE status = $1 AND region = $2",
        100.0,
        &cat,
    )];
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert_eq!(
        keys(&a),
        vec![k("orders2", &["region", "status"])],
        "most distinct first"
    );
}

#[test]
fn a_join_column_gets_an_index() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT o.total FROM orders2 o JOIN customers c ON o.customer_id = c.id WHERE c.email = $1",
        50.0,
        &cat,
    )];
    let c = candidates(&w, &cat, &AdviceOptions::default());
    assert!(
        c.contains(&IndexDef::new("orders2", &["customer_id"])),
        "{c:?}"
    );
    assert!(
        !c.iter()
            .any(|i| i.table == "customers" && i.columns == ["id"]),
        "the pk covers it"
    );
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert!(
        keys(&a)
            .iter()
            .any(|(t, cols)| t == "orders2" && cols[0] == "customer_id"),
        "{:?}",
        keys(&a)
    );
}

#[test]
fn a_correlated_subquerys_join_column_gets_an_index() {
    let cat = catalog();
    let w = [wq("q17", tpch::Q17, 1.0, &cat)];
    let c = candidates(&w, &cat, &AdviceOptions::default());
    assert!(
        c.contains(&IndexDef::new("lineitem", &["l_partkey"])),
        "{c:?}"
    );
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert!(
        keys(&a)
            .iter()
            .any(|(t, cols)| t == "lineitem" && cols[0] == "l_partkey"),
        "{:?}",
        keys(&a)
    );
    let p = a
        .picks
        .iter()
        .find(|p| p.index.table == "lineitem")
        .unwrap();
    assert!(p.reason.contains("joins on l_partkey"), "{}", p.reason);
}

#[test]
fn order_by_limit_gets_a_sort_index() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT id, total FROM orders2 ORDER BY created_at DESC LIMIT 10",
        1000.0,
        &cat,
    )];
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert_eq!(a.picks.len(), 1);
    assert_eq!(a.picks[0].index.columns, vec!["created_at"]);
    assert!(
        a.picks[0].reason.contains("sorts by created_at"),
        "{}",
        a.picks[0].reason
    );
}

#[test]
fn a_tiny_table_gets_none() {
    let cat = catalog();
    let w = [wq("q1", "SELECT * FROM tiny WHERE code = $1", 1e6, &cat)];
    let a = run_quiet(&w, &cat, &AdviceOptions::default());
    assert!(a.picks.is_empty());
    assert_eq!(a.rejected[0].reason, "table tiny has 25 rows");
}

#[test]
fn a_reason_names_what_every_helped_query_does_with_the_key() {
    // One query filters on customer_id, another joins on it: the one
    // index serves both, and its reason says both, whichever query the
    // candidate was first made for.
    let cat = catalog();
    let w = [
        wq(
            "q1",
            "SELECT o.total FROM customers c JOIN orders2 o ON o.customer_id = c.id \
             WHERE c.country = $1",
            100.0,
            &cat,
        ),
        wq(
            "q2",
            "SELECT * FROM orders2 WHERE customer_id = $1",
            100.0,
            &cat,
        ),
    ];
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    let p = a
        .picks
        .iter()
        .find(|p| p.index.table == "orders2" && p.index.columns[0] == "customer_id")
        .unwrap_or_else(|| panic!("{:?}", keys(&a)));
    let ids: Vec<&str> = p.queries.iter().map(|(id, _)| id.as_str()).collect();
    assert!(ids.contains(&"q1") && ids.contains(&"q2"), "{ids:?}");
    assert!(
        p.reason.contains("filters on customer_id (equality)"),
        "{}",
        p.reason
    );
    assert!(p.reason.contains("joins on customer_id"), "{}", p.reason);
}
