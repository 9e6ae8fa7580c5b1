//! The engine's side of advice: what a query would cost with extra
//! indexes, and a cache in front of it.

use std::collections::HashMap;

use super::{IndexDef, WorkloadQuery};
use crate::Result;

/// Prices queries with hypothetical indexes. Implemented per engine.
pub trait CostOracle {
    /// Planner cost of `query` if `hypothetical` indexes existed (in addition
    /// to the real ones).
    fn cost(&mut self, query: &WorkloadQuery, hypothetical: &[IndexDef]) -> Result<f64>;
    /// Extra cost to assume for `query` with `hypothetical`: the engine
    /// would choose a plan whose advantage the estimate cannot vouch for
    /// (PostgreSQL: a plan that pays off only while its table stays
    /// cached). 0, the default, when there is none.
    fn risk(&mut self, query: &WorkloadQuery, hypothetical: &[IndexDef]) -> Result<f64> {
        let _ = (query, hypothetical);
        Ok(0.0)
    }
    /// Estimated size of the index in bytes.
    fn size_bytes(&mut self, index: &IndexDef) -> Result<u64>;
    /// Which of `hypothetical` the plan for `query` uses (for explanations);
    /// default: all.
    fn used(&mut self, query: &WorkloadQuery, hypothetical: &[IndexDef]) -> Result<Vec<usize>> {
        let _ = query;
        Ok((0..hypothetical.len()).collect())
    }
}

/// Caches oracle answers by (query id, sorted index set) and by index.
pub(super) struct Cached<'a> {
    inner: &'a mut dyn CostOracle,
    costs: HashMap<(String, Vec<String>), f64>,
    risks: HashMap<(String, Vec<String>), f64>,
    sizes: HashMap<String, u64>,
}

fn set_key(q: &WorkloadQuery, set: &[IndexDef]) -> ((String, Vec<String>), Vec<IndexDef>) {
    let mut sorted: Vec<&IndexDef> = set.iter().collect();
    sorted.sort_by_key(|i| i.key());
    let key = (q.id.clone(), sorted.iter().map(|i| i.key()).collect());
    (key, sorted.into_iter().cloned().collect())
}

impl<'a> Cached<'a> {
    pub(super) fn new(inner: &'a mut dyn CostOracle) -> Self {
        Cached {
            inner,
            costs: HashMap::new(),
            risks: HashMap::new(),
            sizes: HashMap::new(),
        }
    }

    /// The cost with the set's risk on top (see [`CostOracle::risk`]).
    pub(super) fn priced(&mut self, q: &WorkloadQuery, set: &[IndexDef]) -> Result<(f64, f64)> {
        let c = self.cost(q, set)?;
        if set.is_empty() {
            return Ok((c, 0.0));
        }
        let (key, owned) = set_key(q, set);
        let r = match self.risks.get(&key) {
            Some(r) => *r,
            None => {
                let r = self.inner.risk(q, &owned)?;
                let r = if r.is_finite() && r > 0.0 { r } else { 0.0 };
                self.risks.insert(key, r);
                r
            }
        };
        Ok((c, r))
    }

    pub(super) fn cost(&mut self, q: &WorkloadQuery, set: &[IndexDef]) -> Result<f64> {
        let (key, owned) = set_key(q, set);
        if let Some(c) = self.costs.get(&key) {
            return Ok(*c);
        }
        let c = self.inner.cost(q, &owned)?;
        let c = if c.is_finite() && c >= 0.0 {
            c
        } else {
            f64::MAX
        };
        self.costs.insert(key, c);
        Ok(c)
    }

    pub(super) fn size(&mut self, i: &IndexDef) -> Result<u64> {
        if let Some(s) = self.sizes.get(&i.key()) {
            return Ok(*s);
        }
        let s = self.inner.size_bytes(i)?;
        self.sizes.insert(i.key(), s);
        Ok(s)
    }
}
