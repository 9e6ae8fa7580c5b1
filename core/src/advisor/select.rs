//! Greedy selection of candidates by benefit per byte against a cost oracle.
//!
//! Baseline: every query costed without hypothetical indexes. Each round
//! prices, for every remaining candidate, the queries touching its table
//! with the indexes picked so far plus the candidate; benefit is the sum of
//! calls x cost saved, minus a write penalty (`write_penalty` x the table's
//! writes x the index's btree depth), per byte. The best positive candidate
//! that cuts some query's cost by `min_improvement_pct` is picked and costs
//! are re-taken, so a second index for the same query must earn its place
//! on top of the first. A candidate that makes any query more than 1%
//! costlier is not picked in that round, but stays in the pool: an index
//! picked later can make the query it hurt cheap another way. Costlier
//! than with the picks so far, or, with `regression_vs_unadvised`, than
//! without any advice.
//!
//! With `bytes_for_benefit`, a candidate must also cut at least the share
//! of the workload's remaining time that it adds to the size of the
//! workload's tables: a covering index a quarter the size of a big table,
//! for a query that is a few percent of the workload, is not worth it. The
//! time a candidate cuts from a query is the query's measured time times
//! the planner's relative cost reduction.
//!
//! Prices include the oracle's risk (`CostOracle::risk`): a query the
//! candidate would give a risky plan counts as costlier by that much; a
//! candidate that saves at least `RISK_COVER` times what its risky plans
//! could lose is picked anyway (and the engine says so in its reason).
//!
//! With `pair_to_cure`, the candidates refused only for slowing a query
//! that would save most (`PAIR_TRIES`) are also tried with each candidate
//! on that query's tables; a pair with no slowdown competes as one step,
//! scored on both's bytes, and both are picked.
//!
//! After the greedy, backward elimination: a pick that the later picks made
//! useless (see `prune`) is dropped.
//!
//! Never both (a) and (a, b), nor two indexes on the same key with other
//! INCLUDE columns: a candidate whose key starts with a picked index's key
//! (same table and predicate) is priced as a replacement of it, and
//! replaces it when picked; a candidate that a picked index extends (its
//! key a prefix of the picked key, its INCLUDE columns stored there too)
//! is not considered.

use super::candidates::{generate, Candidate};
use super::clock::Clock;
use super::explain;
use super::oracle::{Cached, CostOracle};
use super::{Advice, AdviceOptions, DdlStyle, IndexDef, Pick, Rejected, WorkloadQuery};
use crate::catalog::Catalog;
use crate::Result;

/// A query costlier by more than this factor counts as a regression.
const REGRESSION: f64 = 1.01;
/// A candidate whose risky plans (`CostOracle::risk`) could make some
/// queries costlier is still picked when what it saves elsewhere is at
/// least this many times what they could lose (the engine explains it).
const RISK_COVER: f64 = 10.0;
/// Bytes per btree page, for the depth estimate of the write penalty.
const PAGE: f64 = 8192.0;
/// With `pair_to_cure`: how many of the candidates refused for slowing a
/// query (those that would save most) are tried with a partner.
const PAIR_TRIES: usize = 3;

/// Proposes indexes for `workload`; see the module documentation.
pub fn advise(
    workload: &[WorkloadQuery],
    catalog: &Catalog,
    oracle: &mut dyn CostOracle,
    opts: &AdviceOptions,
    style: DdlStyle,
    progress: &mut dyn FnMut(&str),
) -> Result<Advice> {
    let (mut pool, mut rejected) = generate(workload, catalog, opts);
    let mut oracle = Cached::new(oracle);
    progress(&format!(
        "{} queries, {} candidates, {} dropped before costing",
        workload.len(),
        pool.len(),
        rejected.len()
    ));
    let mut now = Vec::with_capacity(workload.len());
    for q in workload {
        now.push(oracle.cost(q, &[])?);
    }
    let weighted = |costs: &[f64]| -> f64 {
        workload
            .iter()
            .zip(costs)
            .map(|(q, c)| q.calls.max(0.0) * c)
            .sum()
    };
    let before = weighted(&now);
    let baseline = now.clone();
    // The size of the tables the workload reads, with their indexes: what
    // `bytes_for_benefit` compares an index's bytes with.
    let tables_bytes: u64 = catalog
        .tables
        .iter()
        .filter(|t| workload.iter().any(|q| q.features.tables.contains(&t.name)))
        .map(|t| t.bytes + t.indexes.iter().map(|i| i.bytes).sum::<u64>())
        .sum();
    // Each query's time at a cost, for `bytes_for_benefit` (see `clock`).
    let clock = Clock::new(workload, &baseline);
    let share_of = clock.unit();

    let mut picked: Vec<IndexDef> = Vec::new();
    let mut picks: Vec<Pick> = Vec::new();
    // The write penalty of each pick, to re-judge it in `prune`.
    let mut penalties: Vec<f64> = Vec::new();
    let mut used_bytes: u64 = 0;
    let mut why: Vec<Option<String>> = vec![None; pool.len()];
    let mut round = 0;
    let mut dropped: Vec<Rejected> = Vec::new();
    loop {
        while picks.len() < opts.max_indexes && !pool.is_empty() {
            round += 1;
            let mut best: Option<(usize, f64, Eval)> = None;
            let mut eligible = 0;
            // Candidates refused only for slowing a query: (pool index,
            // benefit, the query), for `pair_to_cure`.
            let mut blocked: Vec<(usize, f64, usize)> = Vec::new();
            let remaining: f64 = now.iter().enumerate().map(|(qi, &c)| clock.at(qi, c)).sum();
            for (ci, cand) in pool.iter().enumerate() {
                if let Some(p) = picked.iter().find(|p| extends(p, &cand.index)) {
                    why[ci] = Some(format!("{} extends it", p.name()));
                    continue;
                }
                let bytes = oracle.size(&cand.index)?;
                if used_bytes.saturating_add(bytes) > opts.max_bytes {
                    why[ci] = Some(format!(
                        "{} would exceed the size budget ({} left)",
                        explain::size(bytes),
                        explain::size(opts.max_bytes.saturating_sub(used_bytes))
                    ));
                    continue;
                }
                let e = evaluate(
                    workload,
                    (&baseline, &now),
                    &picked,
                    (cand, None),
                    bytes,
                    catalog,
                    opts,
                    &mut oracle,
                )?;
                if let Some((qi, pct)) = e.worst {
                    if opts.pair_to_cure && e.benefit > 0.0 {
                        blocked.push((ci, e.benefit, qi));
                    }
                    // Kept in the pool: once other indexes are picked, the
                    // query it hurts may no longer be hurt.
                    let than = if opts.regression_vs_unadvised {
                        " than without advice"
                    } else {
                        ""
                    };
                    why[ci] = Some(if e.worst_is_risky {
                        format!(
                        "the engine rates its plan for query {} risky: counting what that plan could lose, it makes the query {pct:.0}% costlier{than}",
                        workload[qi].id
                    )
                    } else {
                        format!("makes query {} {pct:.0}% costlier{than}", workload[qi].id)
                    });
                    continue;
                }
                eligible += 1;
                if e.best_pct < opts.min_improvement_pct {
                    why[ci] = Some(if e.best_pct > 0.0 && !picked.is_empty() {
                        format!(
                        "improves no query by {}% of its unadvised cost or more once the indexes picked before it exist (best: {:.1}%)",
                        opts.min_improvement_pct, e.best_pct
                    )
                    } else {
                        format!(
                            "improves no query by {}% of its unadvised cost or more (best: {:.1}%)",
                            opts.min_improvement_pct, e.best_pct
                        )
                    });
                    continue;
                }
                let score = (e.benefit - e.penalty) / (bytes.max(PAGE as u64) as f64);
                if score <= 0.0 {
                    why[ci] = Some(format!(
                        "its maintenance cost outweighs what it saves: {}",
                        explain::writes(catalog.table(&cand.index.table), e.penalty, e.benefit)
                    ));
                    continue;
                }
                if opts.bytes_for_benefit && tables_bytes > 0 && remaining > 0.0 {
                    // Net of the picks it would replace.
                    let replaced: u64 = picks
                        .iter()
                        .filter(|p| replaces(&cand.index, &p.index))
                        .map(|p| p.bytes)
                        .sum();
                    let added = bytes.saturating_sub(replaced);
                    let size_share = added as f64 / tables_bytes as f64;
                    let cut: f64 = e
                        .after
                        .iter()
                        .map(|&(qi, with)| clock.at(qi, now[qi]) - clock.at(qi, with))
                        .sum();
                    let cut_share = cut / remaining;
                    if cut_share < size_share {
                        why[ci] = Some(format!(
                        "it would add {} ({:.1}% of the size of the tables the workload reads) to cut only {:.1}% of the workload's remaining {share_of}",
                        explain::size(added),
                        100.0 * size_share,
                        100.0 * cut_share
                    ));
                        continue;
                    }
                }
                if best.as_ref().is_none_or(|(_, s, _)| score > *s) {
                    best = Some((ci, score, e));
                }
            }
            let mut pair: Option<(usize, usize, f64, Eval)> = None;
            if opts.pair_to_cure && picks.len() + 2 <= opts.max_indexes {
                blocked.sort_by(|a, b| b.1.total_cmp(&a.1));
                for &(xi, _, hurt) in blocked.iter().take(PAIR_TRIES) {
                    let x = &pool[xi];
                    let x_bytes = oracle.size(&x.index)?;
                    for (yi, y) in pool.iter().enumerate() {
                        let hurt_tables = &workload[hurt].features.tables;
                        if yi == xi
                            || !hurt_tables.contains(&y.index.table)
                            || picked.iter().any(|p| extends(p, &y.index))
                            || extends(&x.index, &y.index)
                            || extends(&y.index, &x.index)
                        {
                            continue;
                        }
                        let bytes = x_bytes.saturating_add(oracle.size(&y.index)?);
                        if used_bytes.saturating_add(bytes) > opts.max_bytes {
                            continue;
                        }
                        let e = evaluate(
                            workload,
                            (&baseline, &now),
                            &picked,
                            (x, Some(y)),
                            bytes,
                            catalog,
                            opts,
                            &mut oracle,
                        )?;
                        if e.worst.is_some() || e.best_pct < opts.min_improvement_pct {
                            continue;
                        }
                        let score = (e.benefit - e.penalty) / (bytes.max(PAGE as u64) as f64);
                        let better_single = best.as_ref().is_some_and(|(_, s, _)| *s >= score);
                        let better_pair = pair.as_ref().is_some_and(|(_, _, s, _)| *s >= score);
                        if score > 0.0 && !better_single && !better_pair {
                            pair = Some((xi, yi, score, e));
                        }
                    }
                }
            }
            let chosen: Vec<(Candidate, Eval)> = if let Some((xi, yi, _, e)) = pair {
                let (x, y) = (pool[xi].clone(), pool[yi].clone());
                for i in [xi.max(yi), xi.min(yi)] {
                    pool.remove(i);
                    why.remove(i);
                }
                progress(&format!(
                "round {round}: {eligible} candidates, best {} with {} (which keeps it from slowing a query) saves {:.0}% of {} queries",
                x.index.name(),
                y.index.name(),
                e.pct(),
                e.helped.len()
            ));
                let x_bytes = oracle.size(&x.index)?;
                let y_bytes = oracle.size(&y.index)?;
                let mut ex = e;
                let mut ey = ex.clone_stats();
                ex.bytes = x_bytes;
                ey.bytes = y_bytes;
                // The write penalty is shared in proportion to bytes.
                let share = x_bytes as f64 / (x_bytes + y_bytes).max(1) as f64;
                ey.penalty = ex.penalty * (1.0 - share);
                ex.penalty *= share;
                vec![(x, ex), (y, ey)]
            } else if let Some((ci, _, e)) = best {
                let cand = pool.remove(ci);
                why.remove(ci);
                progress(&format!(
                    "round {round}: {eligible} candidates, best {} saves {:.0}% of {} queries",
                    cand.index.name(),
                    e.pct(),
                    e.helped.len()
                ));
                vec![(cand, e)]
            } else {
                progress(&format!(
                    "round {round}: {eligible} candidates, none worth adding"
                ));
                break;
            };
            for (cand, e) in chosen {
                used_bytes = used_bytes.saturating_add(e.bytes);
                for (qi, c) in &e.after {
                    now[*qi] = *c;
                }
                // The picks whose key it starts with are replaced by it.
                while let Some(i) = picked.iter().position(|p| replaces(&cand.index, p)) {
                    picked.remove(i);
                    penalties.remove(i);
                    let old = picks.remove(i);
                    used_bytes = used_bytes.saturating_sub(old.bytes);
                    progress(&format!(
                        "{} replaces {}",
                        cand.index.name(),
                        old.index.name()
                    ));
                }
                picked.push(cand.index.clone());
                penalties.push(e.penalty);
                picks.push(pick(workload, catalog, &cand, &e, style));
            }
        }
        let mut kept = Set {
            picked,
            picks,
            penalties,
            now,
        };
        let pruned = prune(workload, &baseline, &mut kept, opts, &mut oracle, progress)?;
        let freed = !pruned.is_empty();
        dropped.extend(pruned);
        Set {
            picked,
            picks,
            penalties,
            now,
        } = kept;
        // With `refill_after_prune`, the slots the pruned picks held go to
        // the candidates left (the pruned ones are out of the pool, so this
        // ends).
        if !(opts.refill_after_prune && freed && picks.len() < opts.max_indexes && !pool.is_empty())
        {
            break;
        }
        used_bytes = picks.iter().map(|p| p.bytes).fold(0, u64::saturating_add);
        progress("refill: the pruned picks' slots go to the candidates left");
    }
    rejected.extend(dropped);
    for (cand, reason) in pool.into_iter().zip(why) {
        let reason = reason
            .unwrap_or_else(|| format!("the limit of {} indexes was reached", opts.max_indexes));
        rejected.push(Rejected {
            index: cand.index,
            reason,
        });
    }
    // A pick's caution (`Pick::risky`) stands only for a query still
    // costlier than without advice once every pick is in place (another
    // pick may have made up for it), at what it costs then.
    // And only on the pick that causes it: without it, the query would be
    // cheaper than it is with all of them (a later pick, priced with the
    // risky one in place, sees the same risk, but is not its cause).
    for (i, pick) in picks.iter_mut().enumerate() {
        if pick.risky.is_empty() {
            continue;
        }
        let rest: Vec<IndexDef> = picked
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, p)| p.clone())
            .collect();
        let mut kept = Vec::new();
        for (id, _) in &pick.risky {
            let Some(qi) = workload.iter().position(|q| &q.id == id) else {
                continue;
            };
            if !(baseline[qi] > 0.0 && now[qi] > baseline[qi] * REGRESSION) {
                continue;
            }
            let (cost, risk) = oracle.priced(&workload[qi], &rest)?;
            if (cost + risk) * REGRESSION < now[qi] {
                kept.push((id.clone(), 100.0 * (now[qi] - baseline[qi]) / baseline[qi]));
            }
        }
        pick.risky = kept;
    }
    Ok(Advice {
        picks,
        rejected,
        workload_cost_before: before,
        workload_cost_after: weighted(&now),
    })
}

/// The picked indexes with what the greedy knows of them, and each query's
/// cost with all of them.
struct Set {
    picked: Vec<IndexDef>,
    picks: Vec<Pick>,
    penalties: Vec<f64>,
    now: Vec<f64>,
}

/// Backward elimination: the greedy judged each pick against the indexes
/// picked before it, not against those picked after. Last pick first, an
/// index is dropped when, with all the other picks in place, it no longer
/// improves any query by `min_improvement_pct` of its unadvised cost, or
/// no longer saves more than its write penalty; unless dropping it would
/// leave some query costlier than without any advice. Returns the dropped
/// indexes with why.
fn prune(
    workload: &[WorkloadQuery],
    baseline: &[f64],
    set: &mut Set,
    opts: &AdviceOptions,
    oracle: &mut Cached<'_>,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<Rejected>> {
    let mut dropped = Vec::new();
    let mut i = set.picked.len();
    while i > 0 && set.picked.len() > 1 {
        i -= 1;
        let index = set.picked[i].clone();
        let rest: Vec<IndexDef> = set
            .picked
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, p)| p.clone())
            .collect();
        let (mut saved, mut best_pct, mut hurts) = (0.0, 0.0_f64, false);
        let mut without = Vec::new();
        for (qi, q) in workload.iter().enumerate() {
            if !q.features.tables.contains(&index.table) {
                continue;
            }
            let (cost, risk) = oracle.priced(q, &rest)?;
            let c = cost + risk;
            saved += q.calls.max(0.0) * (c - set.now[qi]);
            if baseline[qi] > 0.0 {
                best_pct = best_pct.max(100.0 * (c - set.now[qi]) / baseline[qi]);
            }
            // Dropping it makes the query costlier than now and than
            // without advice (it cured what another pick does to it).
            hurts |= c > baseline[qi] * REGRESSION && c > set.now[qi] * REGRESSION;
            without.push((qi, c));
        }
        let useless = best_pct < opts.min_improvement_pct;
        let unpaid = saved - set.penalties[i] <= 0.0;
        if hurts || !(useless || unpaid) {
            continue;
        }
        let others = match set.picked.len() - 1 {
            1 => "once the other proposed index exists".to_string(),
            n => format!("once the other {n} proposed indexes exist"),
        };
        let reason = if useless {
            format!(
                "{others}, it improves no query by {}% of its unadvised cost or more (best: {best_pct:.1}%)",
                opts.min_improvement_pct
            )
        } else {
            format!("{others}, its maintenance cost outweighs what it saves")
        };
        progress(&format!("{} dropped: {reason}", index.name()));
        for (qi, c) in without {
            set.now[qi] = c;
        }
        set.picked.remove(i);
        set.penalties.remove(i);
        set.picks.remove(i);
        dropped.push(Rejected { index, reason });
    }
    Ok(dropped)
}

/// What one candidate would do on top of the picked set.
struct Eval {
    bytes: u64,
    benefit: f64,
    penalty: f64,
    best_pct: f64,
    /// (query index, new cost) for every affected query.
    after: Vec<(usize, f64)>,
    /// Queries helped by at least 1%.
    helped: Vec<usize>,
    cost_before: f64,
    cost_after: f64,
    /// The query made most costlier beyond the regression margin, with %.
    worst: Option<(usize, f64)>,
    /// Whether `worst` is costlier only by the oracle's risk.
    worst_is_risky: bool,
    /// Queries with a risky plan (`CostOracle::risk`) costlier, counting
    /// that risk, than without any advice, with %, when what it saves
    /// covers that (`RISK_COVER`).
    tolerated: Vec<(usize, f64)>,
}

impl Eval {
    /// A copy (for the second index of a pair).
    fn clone_stats(&self) -> Eval {
        Eval {
            bytes: self.bytes,
            benefit: self.benefit,
            penalty: self.penalty,
            best_pct: self.best_pct,
            after: self.after.clone(),
            helped: self.helped.clone(),
            cost_before: self.cost_before,
            cost_after: self.cost_after,
            worst: self.worst,
            worst_is_risky: self.worst_is_risky,
            tolerated: self.tolerated.clone(),
        }
    }

    fn pct(&self) -> f64 {
        if self.cost_before > 0.0 {
            100.0 * (self.cost_before - self.cost_after) / self.cost_before
        } else {
            0.0
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn evaluate(
    workload: &[WorkloadQuery],
    (baseline, now): (&[f64], &[f64]),
    picked: &[IndexDef],
    (cand, partner): (&Candidate, Option<&Candidate>),
    bytes: u64,
    catalog: &Catalog,
    opts: &AdviceOptions,
    oracle: &mut Cached<'_>,
) -> Result<Eval> {
    let added: Vec<&IndexDef> = std::iter::once(&cand.index)
        .chain(partner.map(|p| &p.index))
        .collect();
    let mut set: Vec<IndexDef> = picked
        .iter()
        .filter(|p| !added.iter().any(|a| replaces(a, p)))
        .cloned()
        .collect();
    set.extend(added.iter().map(|a| (*a).clone()));
    let mut e = Eval {
        bytes,
        benefit: 0.0,
        penalty: 0.0,
        best_pct: 0.0,
        after: Vec::new(),
        helped: Vec::new(),
        cost_before: 0.0,
        cost_after: 0.0,
        worst: None,
        worst_is_risky: false,
        tolerated: Vec::new(),
    };
    // Benefit from plans the oracle vouches for, and what risky plans
    // (see `CostOracle::risk`) could lose: tolerated only when the first
    // is at least RISK_COVER times the second.
    let (mut safe_benefit, mut risky_loss) = (0.0, 0.0);
    let mut risky_worst: Option<(usize, f64)> = None;
    for (qi, q) in workload.iter().enumerate() {
        if !added.iter().any(|a| q.features.tables.contains(&a.table)) {
            continue;
        }
        let (cost, risk) = oracle.priced(q, &set)?;
        let with = cost + risk;
        let base = now[qi];
        e.after.push((qi, with));
        let calls = q.calls.max(0.0);
        if risk > 0.0 {
            risky_loss += calls * (with - base).max(0.0);
        } else {
            safe_benefit += calls * (base - with);
        }
        // What users will measure: slower than without any advice.
        if risk > 0.0 && with > baseline[qi] * REGRESSION && baseline[qi] > 0.0 {
            e.tolerated
                .push((qi, 100.0 * (with - baseline[qi]) / baseline[qi]));
        }
        // Slower than what? (see `AdviceOptions::regression_vs_unadvised`)
        let reference = if opts.regression_vs_unadvised {
            baseline[qi]
        } else {
            base
        };
        if with > reference * REGRESSION {
            let pct = if reference > 0.0 {
                100.0 * (with - reference) / reference
            } else {
                100.0
            };
            let worst = if risk > 0.0 {
                &mut risky_worst
            } else {
                &mut e.worst
            };
            if worst.is_none_or(|(_, p)| pct > p) {
                *worst = Some((qi, pct));
            }
        }
        e.benefit += calls * (base - with);
        if base > 0.0 && baseline[qi] > 0.0 {
            // The threshold is measured against the query's cost without
            // any advice, so shaving a query already made cheap does not
            // count as a 5% improvement.
            e.best_pct = e.best_pct.max(100.0 * (base - with) / baseline[qi]);
            if 100.0 * (base - with) / base >= 1.0 {
                e.helped.push(qi);
                e.cost_before += calls * base;
                e.cost_after += calls * with;
            }
        }
    }
    if e.worst.is_none() && safe_benefit < RISK_COVER * risky_loss {
        e.worst = risky_worst;
        e.worst_is_risky = risky_worst.is_some();
    }
    if e.worst.is_some() {
        e.tolerated.clear();
    }
    for a in &added {
        if let Some(t) = catalog.table(&a.table) {
            let depth = (1.0 + bytes as f64 / PAGE).log2().max(1.0);
            e.penalty += opts.write_penalty.max(0.0) * t.writes.max(0.0) * depth;
        }
    }
    Ok(e)
}

/// Whether `long` serves every lookup `short` serves: same table and
/// predicate, `short`'s key a prefix of `long`'s, its stored columns stored
/// in `long` too. (An index extends itself.)
fn extends(long: &IndexDef, short: &IndexDef) -> bool {
    long.table == short.table
        && long.predicate == short.predicate
        && long.columns.starts_with(&short.columns)
        && {
            let all = long.all_columns();
            short.include.iter().all(|c| all.contains(c))
        }
}

/// Whether `new` takes the place of `old` when both are proposed: same
/// table and predicate, `old`'s key a prefix of `new`'s (whatever their
/// INCLUDE columns). PostgreSQL needs one btree per leading key; a second
/// one on the same key only to carry other columns doubles the bytes.
fn replaces(new: &IndexDef, old: &IndexDef) -> bool {
    new.table == old.table
        && new.predicate == old.predicate
        && new.columns.starts_with(&old.columns)
}

fn pick(
    workload: &[WorkloadQuery],
    catalog: &Catalog,
    cand: &Candidate,
    e: &Eval,
    style: DdlStyle,
) -> Pick {
    let ids: Vec<String> = e.helped.iter().map(|&i| workload[i].id.clone()).collect();
    let n = ids.len();
    let reason = format!(
        "Speeds up {n} quer{} ({}: {}) by {:.0}% of {} estimated cost; {}; {}.",
        if n == 1 { "y" } else { "ies" },
        explain::id_list(&ids),
        explain::what(cand, workload, &e.helped),
        e.pct(),
        if n == 1 { "its" } else { "their" },
        explain::size(e.bytes),
        explain::writes(catalog.table(&cand.index.table), e.penalty, e.benefit)
    );
    Pick {
        ddl: cand.index.ddl(style),
        index: cand.index.clone(),
        bytes: e.bytes,
        cost_before: e.cost_before,
        cost_after: e.cost_after,
        improvement_pct: e.pct(),
        queries: e
            .helped
            .iter()
            .map(|&i| (workload[i].id.clone(), workload[i].text.clone()))
            .collect(),
        reason,
        risky: e
            .tolerated
            .iter()
            .map(|&(qi, pct)| (workload[qi].id.clone(), pct))
            .collect(),
    }
}
