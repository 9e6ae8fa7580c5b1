//! A covering pick that SQLite would scan in place of its table, widened to
//! every column of the table so that it no longer does.
//!
//! SQLite reads a whole table through a covering index instead of the
//! table whenever the index's row is narrower (its width estimate from the
//! declared types, `szIdxRow < szTabRow` in `whereLoopAddBtree`). The scan
//! then comes in the index's order, not the rowid's, and a loop nested in
//! it that finds another table's rows by the scanned table's key looks
//! them up in random order instead of key order. TPC-H q14 at SF 1: the
//! covering `part(p_size, p_brand, p_type, p_mfgr)` picked for q02, q08
//! and q16 holds every column q14 reads of `part`, so SQLite scans `part`
//! in `p_size` order and probes `lineitem(l_partkey, ...)` 200,000 times
//! at random: 0.78 s, against 0.52-0.57 s without advice and 0.43 s with
//! the same index holding every column of `part` (SQLite then scans `part`
//! by rowid and probes in key order; q02, q08 and q16 search the wider
//! index as before, in the same time).
//!
//! For each pick that some query's plan scans in full (`SCAN t USING
//! COVERING INDEX`) with a `SEARCH` nested in that scan, the variant
//! holding every column of `t` replaces it when it fits the size budget,
//! makes no query costlier than without advice, and lowers the workload's
//! price.

use sqlxos_core::advisor::sqlite_cost::{parse_loop, Access, EqpRow};
use sqlxos_core::advisor::CostOracle;
use sqlxos_core::advisor::{DdlStyle, IndexDef, Pick, WorkloadQuery};

use super::oracle::SqliteOracle;
use super::schema::Schema;

/// A query costlier than without advice by more than this factor is a
/// regression (as in the greedy selection).
const REGRESSION: f64 = 1.01;

/// Widens the picks as the module doc says; `max_bytes` is the size budget.
pub(crate) fn widen_scanned(
    picks: &mut [Pick],
    workload: &[WorkloadQuery],
    oracle: &mut SqliteOracle<'_>,
    schema: &Schema,
    max_bytes: u64,
) -> sqlxos_core::Result<()> {
    for i in 0..picks.len() {
        let set: Vec<IndexDef> = picks.iter().map(|p| p.index.clone()).collect();
        let mut scanned = false;
        for q in workload {
            if !q.features.tables.contains(&picks[i].index.table) {
                continue;
            }
            oracle.price(q, &set)?;
            let plan = oracle.explain(&q.text).unwrap_or_default();
            if scans_then_searches(&plan, |name| oracle.def_of(name) == Some(&set[i])) {
                scanned = true;
                break;
            }
        }
        if !scanned {
            continue;
        }
        let Some(wide) = full_width(&set[i], schema) else {
            continue;
        };
        let wide_bytes = oracle.size_bytes(&wide)?;
        let others: u64 = picks
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, p)| p.bytes)
            .fold(0, u64::saturating_add);
        if others.saturating_add(wide_bytes) > max_bytes {
            continue;
        }
        let mut wider = set.clone();
        wider[i] = wide.clone();
        let (mut now, mut then) = (0.0, 0.0);
        let mut regresses = false;
        for q in workload {
            if !q.features.tables.contains(&wide.table) {
                continue;
            }
            let before = oracle.cost(q, &set)?;
            let after = oracle.cost(q, &wider)?;
            let unadvised = oracle.cost(q, &[])?;
            if after > unadvised * REGRESSION && after > before {
                regresses = true;
                break;
            }
            now += q.calls * before;
            then += q.calls * after;
        }
        if regresses || then >= now {
            continue;
        }
        let p = &mut picks[i];
        p.reason.push_str(&format!(
            " It holds every column of {}: an index narrower than its table is what SQLite scans in place of the table, in the index's order, which would turn the lookups a join makes for each row random.",
            wide.table
        ));
        p.ddl = wide.ddl(DdlStyle::Sqlite);
        p.bytes = wide_bytes;
        p.index = wide;
    }
    Ok(())
}

/// Whether `plan` reads an index `is_it` names in full as a covering scan
/// with a `SEARCH` nested in it (a later loop of the same block).
pub(crate) fn scans_then_searches(plan: &[EqpRow], is_it: impl Fn(&str) -> bool) -> bool {
    plan.iter().enumerate().any(|(k, row)| {
        let Some(l) = parse_loop(&row.detail) else {
            return false;
        };
        let scan = matches!(
            &l.access,
            Access::Scan { index: Some(name), covering: true } if is_it(name)
        );
        scan && plan[k + 1..].iter().any(|later| {
            later.parent == row.parent
                && parse_loop(&later.detail)
                    .is_some_and(|m| matches!(m.access, Access::Search { .. }))
        })
    })
}

/// `index` with every other column of its table added to its covering
/// columns (table order; the rowid, which every entry holds, left out).
/// `None` when it already holds them all or the table is unknown.
pub(crate) fn full_width(index: &IndexDef, schema: &Schema) -> Option<IndexDef> {
    let info = schema.tables.get(&index.table)?;
    let held = index.all_columns();
    let mut include = index.include.clone();
    for (c, _) in &info.columns {
        if !held.contains(c) && !schema.is_rowid(&index.table, c) {
            include.push(c.clone());
        }
    }
    (include.len() > index.include.len()).then(|| IndexDef {
        include,
        ..index.clone()
    })
}

#[cfg(test)]
mod test {
    use super::*;

    fn row(id: i64, parent: i64, detail: &str) -> EqpRow {
        EqpRow {
            id,
            parent,
            detail: detail.to_owned(),
        }
    }

    #[test]
    fn a_covering_scan_with_a_search_nested_in_it() {
        let q14 = [
            row(2, 0, "SCAN part USING COVERING INDEX ip"),
            row(
                5,
                0,
                "SEARCH lineitem USING COVERING INDEX il (l_partkey=?)",
            ),
        ];
        assert!(scans_then_searches(&q14, |n| n == "ip"));
        assert!(!scans_then_searches(&q14, |n| n == "other"));
        // The scan alone, or a search that is not nested in it (a
        // subquery's), is no reason to widen.
        assert!(!scans_then_searches(&q14[..1], |n| n == "ip"));
        let apart = [
            row(2, 0, "SCAN part USING COVERING INDEX ip"),
            row(3, 0, "SCALAR SUBQUERY 1"),
            row(
                6,
                3,
                "SEARCH lineitem USING COVERING INDEX il (l_partkey=?)",
            ),
        ];
        assert!(!scans_then_searches(&apart, |n| n == "ip"));
        // A search of the index is not a scan of it.
        let search = [
            row(2, 0, "SEARCH part USING COVERING INDEX ip (p_size=?)"),
            row(
                5,
                0,
                "SEARCH lineitem USING COVERING INDEX il (l_partkey=?)",
            ),
        ];
        assert!(!scans_then_searches(&search, |n| n == "ip"));
    }
}
