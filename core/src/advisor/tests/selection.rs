//! Greedy selection: write penalties, budgets, slowdowns and their cures,
//! pruning, bytes that must pay for themselves, one index per key, risk, and
//! the oracle cache.

use super::*;

/// A workload of two: `q1`, a lookup by `orders2.customer_id` run
/// `lookups` times, beside `q2` (`sql`) run `calls` times.
fn lookup_beside(lookups: f64, sql: &str, calls: f64, cat: &Catalog) -> [WorkloadQuery; 2] {
    [
        wq(
            "q1",
            "SELECT * FROM orders2 WHERE customer_id = $1",
            lookups,
            cat,
        ),
        wq("q2", sql, calls, cat),
    ]
}

#[test]
fn a_write_heavy_tables_index_is_penalised() {
    let mut cat = catalog();
    let sql = "SELECT * FROM orders2 WHERE status = $1 AND region = $2";
    let w = [wq("q1", sql, 10.0, &cat)];
    assert_eq!(
        run_quiet(&w, &cat, &AdviceOptions::default()).picks.len(),
        1
    );
    let t = cat.tables.iter_mut().find(|t| t.name == "orders2").unwrap();
    t.writes = 5e7;
    let a = run_quiet(&w, &cat, &AdviceOptions::default());
    assert!(a.picks.is_empty(), "{:?}", keys(&a));
    assert!(
        a.rejected
            .iter()
            .any(|r| r.reason.contains("maintenance cost outweighs")
                && r.reason.contains("50000000 writes")),
        "{:?}",
        a.rejected
    );
    let none = AdviceOptions {
        write_penalty: 0.0,
        ..AdviceOptions::default()
    };
    assert_eq!(run_quiet(&w, &cat, &none).picks.len(), 1);
}

#[test]
fn two_candidates_for_the_same_query_give_one_pick() {
    let cat = catalog();
    let w = [wq(
        "q1",
        "SELECT * FROM orders2 WHERE customer_id = $1 AND created_at > $2",
        100.0,
        &cat,
    )];
    let c = candidates(&w, &cat, &AdviceOptions::default());
    assert!(c.len() >= 2, "{c:?}");
    let a = run_quiet(&w, &cat, &AdviceOptions::default());
    assert_eq!(a.picks.len(), 1, "{:?}", keys(&a));
    assert!(
        a.rejected.iter().any(
            |r| r.reason.contains("once the indexes picked before it exist")
                || r.reason.starts_with("improves no query")
                || r.reason.contains("shares its leading columns")
        ),
        "{:?}",
        a.rejected
    );
}

#[test]
fn budgets_are_respected() {
    let cat = catalog();
    let w = lookup_beside(
        100.0,
        "SELECT * FROM customers WHERE country = $1",
        100.0,
        &cat,
    );
    assert_eq!(
        run_quiet(&w, &cat, &AdviceOptions::default()).picks.len(),
        2
    );
    let one = AdviceOptions {
        max_indexes: 1,
        ..AdviceOptions::default()
    };
    let a = run_quiet(&w, &cat, &one);
    assert_eq!(a.picks.len(), 1);
    assert!(a
        .rejected
        .iter()
        .any(|r| r.reason == "the limit of 1 indexes was reached"));
    let small = AdviceOptions {
        max_bytes: 5_000_000,
        ..AdviceOptions::default()
    };
    let a = run_quiet(&w, &cat, &small);
    assert_eq!(keys(&a), vec![k("customers", &["country"])]);
    assert!(a.picks.iter().map(|p| p.bytes).sum::<u64>() <= 5_000_000);
    assert!(a
        .rejected
        .iter()
        .any(|r| r.reason.contains("would exceed the size budget")));
    let zero = AdviceOptions {
        max_indexes: 0,
        ..AdviceOptions::default()
    };
    assert!(run_quiet(&w, &cat, &zero).picks.is_empty());
}

#[test]
fn a_candidate_that_slows_another_query_is_rejected() {
    let cat = catalog();
    let w = lookup_beside(
        100.0,
        "SELECT sum(total) FROM orders2 WHERE status = 'open'",
        1.0,
        &cat,
    );
    let mut toy = Toy::new(&cat);
    toy.harm.push(("customer_id".into(), "q2".into(), 1.04));
    let a = run(&w, &cat, &mut toy, &AdviceOptions::default());
    assert!(
        a.picks.iter().all(|p| p.index.columns[0] != "customer_id"),
        "{:?}",
        keys(&a)
    );
    assert!(
        a.rejected.iter().any(
            |r| r.index.columns[0] == "customer_id" && r.reason == "makes query q2 4% costlier"
        ),
        "{:?}",
        a.rejected
    );
}

#[test]
fn a_candidate_that_slows_a_query_is_picked_once_another_index_cures_it() {
    let cat = catalog();
    let w = lookup_beside(
        100.0,
        "SELECT sum(total) FROM orders2 WHERE status = $1 AND region = $2",
        1.0,
        &cat,
    );
    let mut toy = Toy::new(&cat);
    toy.harm.push(("customer_id".into(), "q2".into(), 4.0));
    for cure in ["status", "region"] {
        toy.cure.push(("customer_id".into(), cure.into()));
    }
    let a = run(&w, &cat, &mut toy, &AdviceOptions::default());
    // Round 1 cannot take customer_id (it makes q2 4x costlier); the q2
    // index goes first, and with it in place customer_id hurts nothing.
    let picked = keys(&a);
    assert_eq!(picked.len(), 2, "{picked:?} {:?}", a.rejected);
    let mut first = picked[0].1.clone();
    first.sort();
    assert_eq!(first, ["region", "status"], "{picked:?}");
    assert_eq!(picked[1], k("orders2", &["customer_id"]), "{picked:?}");
}

#[test]
fn a_slowdown_below_the_unadvised_cost_is_judged_against_it_when_asked() {
    let cat = catalog();
    let w = lookup_beside(
        100.0,
        "SELECT sum(total) FROM orders2 WHERE status = $1 AND region = $2",
        1.0,
        &cat,
    );
    let mut toy = Toy::new(&cat);
    // An index leading with customer_id makes q2 4x costlier, with or
    // without q2's own index: 4x its scan at first, and once q2's index is
    // picked, 4x what that index gives it, still far below its scan.
    toy.harm.push(("customer_id".into(), "q2".into(), 4.0));
    let a = run(&w, &cat, &mut toy, &AdviceOptions::default());
    assert_eq!(keys(&a).len(), 1, "{:?}", keys(&a));
    assert!(
        a.rejected
            .iter()
            .any(|r| r.index.columns == ["customer_id"]
                && r.reason == "makes query q2 300% costlier"),
        "{:?}",
        a.rejected
    );
    let opts = AdviceOptions {
        regression_vs_unadvised: true,
        ..AdviceOptions::default()
    };
    let a = run(&w, &cat, &mut Toy::new(&cat).with_harm(&toy.harm), &opts);
    let picked = keys(&a);
    assert_eq!(picked.len(), 2, "{picked:?} {:?}", a.rejected);
    assert_eq!(picked[1], k("orders2", &["customer_id"]), "{picked:?}");
    assert!(a.workload_cost_after < a.workload_cost_before / 10.0);
    // Before q2's index exists it is refused for what it does to q2's scan.
    let mut toy = Toy::new(&cat).with_harm(&toy.harm);
    let one = [IndexDef::new("orders2", &["customer_id"])];
    assert!(toy.cost(&w[1], &one).unwrap() > 1.01 * toy.cost(&w[1], &[]).unwrap());
}

#[test]
fn an_index_that_needs_a_partner_is_picked_with_it_when_asked() {
    let cat = catalog();
    let w = lookup_beside(
        100.0,
        "SELECT sum(total) FROM orders2 WHERE status = $1 AND region = $2",
        1.0,
        &cat,
    );
    let harmed = || {
        let mut toy = Toy::new(&cat);
        toy.harm.push(("customer_id".into(), "q2".into(), 4.0));
        for cure in ["status", "region"] {
            toy.cure.push(("customer_id".into(), cure.into()));
        }
        toy
    };
    // q2's own index saves it 98%, under the bar: never picked alone, so
    // customer_id, which slows q2 without it, is never picked either.
    let opts = AdviceOptions {
        min_improvement_pct: 99.5,
        ..AdviceOptions::default()
    };
    let a = run(&w, &cat, &mut harmed(), &opts);
    assert!(a.picks.is_empty(), "{:?}", keys(&a));
    let opts = AdviceOptions {
        pair_to_cure: true,
        ..opts
    };
    let (a, lines) = run_logged(&w, &cat, &mut harmed(), &opts);
    let picked = keys(&a);
    assert_eq!(picked.len(), 2, "{picked:?} {lines:?}");
    assert_eq!(picked[0], k("orders2", &["customer_id"]), "{picked:?}");
    assert!(
        lines
            .iter()
            .any(|l| l.contains("which keeps it from slowing a query")),
        "{lines:?}"
    );
}

#[test]
fn a_pick_that_a_later_pick_makes_useless_is_dropped() {
    let mut cat = catalog();
    cat.tables
        .iter_mut()
        .find(|t| t.name == "orders2")
        .unwrap()
        .writes = 1000.0;
    let w = [
        wq("qa", "SELECT * FROM orders2 WHERE status = $1", 0.001, &cat),
        wq(
            "qc",
            "SELECT * FROM orders2 WHERE region = $1 AND created_at > $2",
            100.0,
            &cat,
        ),
    ];
    let mut toy = Toy::new(&cat);
    // (status) also gives qc a plan at 100k, a tenth of its scan: per byte
    // it wins round 1; (region, created_at) takes qc to about 5k in round 2,
    // and then (status) only saves qa's few calls, less than its upkeep.
    toy.serves.push(("status".into(), "qc".into(), 100_000.0));
    let (a, lines) = run_logged(&w, &cat, &mut toy, &AdviceOptions::default());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("round 1:") && l.contains("status")),
        "{lines:?}"
    );
    assert_eq!(
        keys(&a),
        [k("orders2", &["region", "created_at"])],
        "{lines:?}"
    );
    let r = a
        .rejected
        .iter()
        .find(|r| r.index.columns == ["status"])
        .unwrap_or_else(|| panic!("{:?}", a.rejected));
    assert_eq!(
        r.reason,
        "once the other proposed index exists, its maintenance cost outweighs what it saves",
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("status") && l.contains(" dropped: ")),
        "{lines:?}"
    );
}

#[test]
fn slots_that_pruning_frees_go_to_the_candidates_left_when_asked() {
    // As above, with a limit of two indexes and a third query whose own
    // index, worth less per byte, the greedy never reaches: (status) and
    // (region, created_at) fill the limit, then (status) is dropped.
    let mut cat = catalog();
    cat.tables
        .iter_mut()
        .find(|t| t.name == "orders2")
        .unwrap()
        .writes = 1000.0;
    let w = [
        wq("qa", "SELECT * FROM orders2 WHERE status = $1", 0.001, &cat),
        wq(
            "qc",
            "SELECT * FROM orders2 WHERE region = $1 AND created_at > $2",
            100.0,
            &cat,
        ),
        wq(
            "qd",
            "SELECT * FROM customers WHERE country = $1",
            1.0,
            &cat,
        ),
    ];
    let toy = || {
        let mut toy = Toy::new(&cat);
        toy.serves.push(("status".into(), "qc".into(), 100_000.0));
        toy
    };
    let two = AdviceOptions {
        max_indexes: 2,
        ..AdviceOptions::default()
    };
    let (a, lines) = run_logged(&w, &cat, &mut toy(), &two);
    assert_eq!(
        keys(&a),
        [k("orders2", &["region", "created_at"])],
        "{lines:?}"
    );
    let r = a
        .rejected
        .iter()
        .find(|r| r.index.columns == ["country"])
        .unwrap_or_else(|| panic!("{:?}", a.rejected));
    assert_eq!(r.reason, "the limit of 2 indexes was reached");
    let refill = AdviceOptions {
        refill_after_prune: true,
        ..two
    };
    let (a, lines) = run_logged(&w, &cat, &mut toy(), &refill);
    assert_eq!(
        keys(&a),
        [
            k("orders2", &["region", "created_at"]),
            k("customers", &["country"])
        ],
        "{lines:?}"
    );
    assert!(
        a.rejected.iter().any(|r| r.index.columns == ["status"]
            && r.reason
                .contains("its maintenance cost outweighs what it saves")),
        "{:?}",
        a.rejected
    );
    assert!(lines.iter().any(|l| l.starts_with("refill:")), "{lines:?}");
}

#[test]
fn bytes_must_pay_for_themselves_when_asked() {
    let cat = catalog();
    let w = lookup_beside(
        1000.0,
        "SELECT * FROM orders2 WHERE status = $1 AND region = $2",
        0.001,
        &cat,
    );
    // Without the rule, q2's index is picked: it cuts q2 by 98%.
    let free = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert_eq!(free.picks.len(), 2, "{:?}", keys(&free));
    // With it: once q1 is served, q2 is ~2% of the remaining cost, and its
    // 32 MB index would be ~20% of the 164 MB of orders2 and its indexes.
    let opts = AdviceOptions {
        bytes_for_benefit: true,
        ..AdviceOptions::default()
    };
    let a = run(&w, &cat, &mut Toy::new(&cat), &opts);
    assert_eq!(keys(&a), [k("orders2", &["customer_id"])]);
    let r = a
        .rejected
        .iter()
        .find(|r| r.index.columns.contains(&"status".to_string()))
        .unwrap_or_else(|| panic!("{:?}", a.rejected));
    assert!(
        r.reason.starts_with("it would add 31 MB (")
            && r.reason
                .contains("% of the size of the tables the workload reads) to cut only 2.")
            && r.reason.ends_with("% of the workload's remaining time"),
        "{}",
        r.reason
    );
    // Shares follow measured time, not cost: if q2 is slow (here its 0.001
    // calls take as long as q1's 1000 calls before advice), its index is
    // worth the bytes.
    let mut slow = w.clone();
    slow[1].mean_ms = 1e7;
    let a = run(&slow, &cat, &mut Toy::new(&cat), &opts);
    assert_eq!(a.picks.len(), 2, "{:?}", a.rejected);
}

#[test]
fn one_index_per_key_whatever_it_includes() {
    let cat = catalog();
    let w = [
        wq(
            "q1",
            "SELECT total FROM orders2 WHERE customer_id = $1",
            100.0,
            &cat,
        ),
        wq(
            "q2",
            "SELECT status FROM orders2 WHERE customer_id = $1",
            100.0,
            &cat,
        ),
    ];
    let mut toy = Toy::new(&cat);
    toy.index_only = 0.01;
    // Any gain counts: (customer_id) first, then a covering variant of it
    // for one query (an extension: it replaces the plain index); the
    // variant for the other query would be a second index on the same key,
    // so it is priced as a replacement too, which would undo the first
    // query's gain, and is not picked.
    let opts = AdviceOptions {
        min_improvement_pct: 0.0,
        ..AdviceOptions::default()
    };
    let (a, lines) = run_logged(&w, &cat, &mut toy, &opts);
    assert_eq!(a.picks.len(), 1, "{:?} {lines:?}", keys(&a));
    assert_eq!(a.picks[0].index.columns, ["customer_id"]);
    assert_eq!(a.picks[0].index.include.len(), 1, "{:?}", a.picks[0].index);
    assert!(
        a.rejected
            .iter()
            .any(|r| r.index.include.len() == 1 && r.reason.contains("costlier")),
        "{:?}",
        a.rejected
    );
}

#[test]
fn a_risky_plan_is_tolerated_only_for_ten_times_the_gain() {
    let cat = catalog();
    let w = lookup_beside(
        1.0,
        "SELECT sum(total) FROM orders2 WHERE status = $1 AND region = $2",
        1.0,
        &cat,
    );
    // (customer_id) saves q1 ~1M; the risky plan it gives q2 could cost
    // 50k more than q2 costs now: 20 times covered, picked.
    let mut toy = Toy::new(&cat);
    toy.risky
        .push(("customer_id".into(), "q2".into(), 50_000.0));
    let a = run(&w, &cat, &mut toy, &AdviceOptions::default());
    assert!(
        keys(&a).contains(&k("orders2", &["customer_id"])),
        "{:?} {:?}",
        keys(&a),
        a.rejected
    );
    // q2's own index leaves it cheaper than without advice, risk
    // counted: no caution (see the next test).
    assert!(a.picks.iter().all(|p| p.risky.is_empty()), "{:?}", a.picks);
    // Risking 200k (under 10 times covered): not picked while it does.
    let mut toy = Toy::new(&cat);
    toy.risky
        .push(("customer_id".into(), "q2".into(), 200_000.0));
    let a = run(&w, &cat, &mut toy, &AdviceOptions::default());
    assert!(
        !keys(&a).iter().any(|(_, c)| c[0] == "customer_id"),
        "{:?}",
        keys(&a)
    );
    let r = a
        .rejected
        .iter()
        .find(|r| r.index.columns == ["customer_id"])
        .unwrap_or_else(|| panic!("{:?}", a.rejected));
    assert!(
        r.reason
            .starts_with("the engine rates its plan for query q2 risky: counting what that plan could lose, it makes the query ")
            && r.reason.ends_with("% costlier"),
        "{}",
        r.reason
    );
}

#[test]
fn a_tolerated_risk_is_named_while_the_query_stays_costlier() {
    // q2 scans orders2 whatever is built; (customer_id) saves q1 far more
    // than the risky plan it gives q2 could lose, so it is picked, and the
    // pick names q2 with how much costlier it may be with the advice.
    let cat = catalog();
    let w = lookup_beside(1.0, "SELECT sum(total) FROM orders2", 1.0, &cat);
    let mut toy = Toy::new(&cat);
    toy.risky
        .push(("customer_id".into(), "q2".into(), 50_000.0));
    let a = run(&w, &cat, &mut toy, &AdviceOptions::default());
    let p = a
        .picks
        .iter()
        .find(|p| p.index.columns == ["customer_id"])
        .unwrap_or_else(|| panic!("{:?} {:?}", keys(&a), a.rejected));
    assert_eq!(p.risky.len(), 1, "{:?}", p.risky);
    assert_eq!(p.risky[0].0, "q2");
    assert!(p.risky[0].1 > 1.0, "{:?}", p.risky);
    // Without the risk, nothing to say.
    let a = run(&w, &cat, &mut Toy::new(&cat), &AdviceOptions::default());
    assert!(a.picks.iter().all(|p| p.risky.is_empty()), "{:?}", a.picks);
}

#[test]
fn oracle_calls_are_cached() {
    let cat = catalog();
    let w = [
        wq(
            "q1",
            "SELECT * FROM orders2 WHERE customer_id = $1 AND created_at > $2",
            100.0,
            &cat,
        ),
        wq(
            "q2",
            "SELECT * FROM orders2 WHERE status = $1 AND region = $2",
            100.0,
            &cat,
        ),
    ];
    let mut toy = Toy::new(&cat);
    let n = candidates(&w, &cat, &AdviceOptions::default()).len();
    advise(
        &w,
        &cat,
        &mut toy,
        &AdviceOptions::default(),
        DdlStyle::Sqlite,
        &mut |_| {},
    )
    .unwrap();
    // Baseline + per round at most one new set per candidate and query.
    assert!(
        toy.calls <= 2 + 2 * n * 3,
        "{} calls for {n} candidates",
        toy.calls
    );
}
