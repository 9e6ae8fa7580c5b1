//! The access to one table under an index set: the paths its indexes
//! give, the share of rows its filters keep (as run, and as MariaDB's
//! statistics see it), and the cost of reading it or of looking it up per
//! row of a join. The join orders built from these are in the parent.

use super::*;

impl StatsOracle<'_> {
    pub(super) fn paths(&self, t: &TableStats, hypothetical: &[IndexDef]) -> Vec<Path> {
        let pk: Vec<String> = t
            .primary_key()
            .map(|p| p.columns.clone())
            .unwrap_or_default();
        let mut out: Vec<Path> = t
            .indexes
            .iter()
            .map(|i| {
                let mut holds = i.columns.clone();
                holds.extend(i.include.iter().cloned());
                Path {
                    keys: i.columns.clone(),
                    holds,
                    clustered: i.primary,
                }
            })
            .collect();
        for h in hypothetical.iter().filter(|h| h.table == t.name) {
            let keys = h.all_columns();
            let mut holds = keys.clone();
            holds.extend(pk.iter().cloned());
            out.push(Path {
                keys,
                holds,
                clustered: false,
            });
        }
        out
    }

    pub(super) fn distinct(t: &TableStats, c: &str) -> f64 {
        t.distinct(c)
            .unwrap_or(UNKNOWN_DISTINCT.min(t.rows.max(1.0)))
    }

    /// Whether MariaDB estimates a filter of `q` on column `c` of `t`: it
    /// keeps statistics for indexed columns only, and its range optimizer
    /// counts the rows of a range on an index's columns up to the first
    /// one not compared by equality (or `IN`) with a constant.
    pub(super) fn estimated(
        q: &WorkloadQuery,
        t: &TableStats,
        c: &str,
        hypothetical: &[IndexDef],
    ) -> bool {
        let op = |k: &str| {
            q.features
                .predicates_on(&t.name)
                .find(|p| p.column.column == k)
                .map(|p| p.op)
        };
        let reaches = |keys: &[String]| {
            for k in keys {
                if k == c {
                    return true;
                }
                if !matches!(
                    op(k),
                    Some(PredicateOp::Eq | PredicateOp::In | PredicateOp::IsNull)
                ) {
                    return false;
                }
            }
            false
        };
        t.indexes.iter().any(|i| reaches(&i.columns))
            || hypothetical
                .iter()
                .any(|h| h.table == t.name && reaches(&h.all_columns()))
    }

    /// Selectivity of the filters of `q` on `t` that `filters` counts.
    pub(super) fn filter_sel(
        &self,
        q: &WorkloadQuery,
        t: &TableStats,
        hypothetical: &[IndexDef],
        filters: Filters,
    ) -> f64 {
        let semi = self.observed.get(&q.id).map(|o| &o.semi);
        let mut sel = 1.0;
        for p in q.features.predicates_on(&t.name) {
            let c = &p.column.column;
            let late =
                p.op == PredicateOp::Other && semi.is_some_and(|s| s.contains(&c.to_lowercase()));
            if filters != Filters::All && late {
                continue;
            }
            if filters == Filters::Seen && !Self::estimated(q, t, c, hypothetical) {
                continue;
            }
            sel *= match p.op {
                PredicateOp::Eq | PredicateOp::IsNull => 1.0 / Self::distinct(t, c),
                PredicateOp::In => (IN_LIST / Self::distinct(t, c)).min(1.0),
                PredicateOp::Range | PredicateOp::LikePrefix => self.range_share(q),
                PredicateOp::Other => OTHER_SEL,
            };
        }
        sel
    }

    /// (cost, output rows) of reading `t` for `q` on its own, the rows
    /// counting the filters that `filters` counts.
    pub(super) fn access(
        &self,
        q: &WorkloadQuery,
        t: &TableStats,
        hypothetical: &[IndexDef],
        single: bool,
        limit: f64,
        filters: Filters,
    ) -> (f64, f64) {
        let f = &q.features;
        let n = t.rows.max(1.0);
        let all_sel = self.filter_sel(q, t, hypothetical, filters);
        let out = (n * all_sel).max(1.0);
        let reads: Vec<&str> = f.selected_on(&t.name).collect();
        let sorts = single && !f.order_by.is_empty();
        let sort_cost = |rows: f64| if sorts && !self.counting() { rows } else { 0.0 };
        let limited = single && f.has_limit;
        // Full scan; without ORDER BY a LIMIT stops it early.
        let mut best = if limited && !sorts {
            n.min(limit / all_sel.max(1e-9))
        } else {
            n + sort_cost(out)
        };
        for p in self.paths(t, hypothetical) {
            let op = |c: &str| {
                f.predicates_on(&t.name)
                    .find(|x| x.column.column == c)
                    .map(|x| x.op)
            };
            let mut sel = 1.0;
            let mut eq = 0;
            let mut matched = 0;
            for c in &p.keys {
                match op(c) {
                    Some(PredicateOp::Eq | PredicateOp::IsNull) => {
                        sel /= Self::distinct(t, c);
                        eq += 1;
                    }
                    Some(PredicateOp::In) => {
                        sel = (sel * IN_LIST / Self::distinct(t, c)).min(1.0);
                        eq += 1;
                    }
                    Some(PredicateOp::Range | PredicateOp::LikePrefix) => {
                        sel *= self.range_share(q);
                        matched += 1;
                        break;
                    }
                    _ => break,
                }
                matched += 1;
            }
            let ordered = sorts
                && f.order_by.len() + eq <= p.keys.len()
                && f.order_by
                    .iter()
                    .zip(&p.keys[eq..])
                    .all(|(s, k)| s.column.column == *k)
                && f.order_by
                    .windows(2)
                    .all(|w| w[0].descending == w[1].descending);
            if matched == 0 && !ordered {
                continue;
            }
            let covering = p.clustered
                || (!f.select_star && reads.iter().all(|c| p.holds.iter().any(|h| h == c)));
            let per_row = self.per_row(covering);
            let idx_rows = (n * sel).max(1.0);
            let residual = (all_sel / sel).clamp(1e-9, 1.0);
            let rows = if ordered && limited {
                idx_rows.min(limit / residual)
            } else {
                idx_rows
            };
            let cost = self.descent() + rows * per_row + if ordered { 0.0 } else { sort_cost(out) };
            best = best.min(cost);
        }
        (best, out)
    }

    /// Cost of finding the rows of `t` matching each of `outer` rows of
    /// the tables before it (real, and as seen) through an index on
    /// `joins`, the join columns those tables give values for with their
    /// distinct counts ([`Self::bound_by`]), through the index that is
    /// cheapest by real cost or by what the optimizer sees (`seen`);
    /// `None` without such an index.
    pub(super) fn lookup(
        &self,
        q: &WorkloadQuery,
        t: &TableStats,
        joins: &[(String, Cost)],
        hypothetical: &[IndexDef],
        outer: Cost,
        seen: bool,
    ) -> Option<Cost> {
        let f = &q.features;
        let reads: Vec<&str> = f.selected_on(&t.name).collect();
        let n = t.rows.max(1.0);
        let mut best: Option<Cost> = None;
        for p in self.paths(t, hypothetical) {
            let mut sel = Cost::both(1.0);
            let mut joined = false;
            for c in &p.keys {
                let eq = f.predicates_on(&t.name).any(|x| {
                    x.column.column == *c && matches!(x.op, PredicateOp::Eq | PredicateOp::IsNull)
                });
                if let Some((_, d)) = joins.iter().find(|(j, _)| j == c) {
                    joined = true;
                    sel.real /= d.real;
                    sel.seen /= d.seen;
                } else if eq {
                    let d = Self::distinct(t, c);
                    sel.real /= d;
                    sel.seen /= d;
                } else {
                    break;
                }
            }
            if !joined {
                continue;
            }
            let covering = p.clustered
                || (!f.select_star && reads.iter().all(|c| p.holds.iter().any(|h| h == c)));
            let per_row = self.per_row(covering);
            let cost = Cost {
                real: outer.real * (self.descent() + (n * sel.real).max(1.0) * per_row),
                seen: outer.seen * (self.descent() + (n * sel.seen).max(1.0)),
            };
            if best.is_none_or(|b| (cost.by(seen), cost.real) < (b.by(seen), b.real)) {
                best = Some(cost);
            }
        }
        best
    }
}
