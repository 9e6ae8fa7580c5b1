//! The advisor's cost oracle for PostgreSQL: the planner itself, with the
//! candidate indexes added as hypothetical indexes (`hypo::oracle`).
//!
//! Risk: a plan the planner as configured chooses with a hypothetical index
//! that it would not choose if no more were cached than shared buffers hold
//! ([`Cache::SharedBuffersOnly`]) pays off only while its table stays
//! cached; at TPC-H SF 1 with the default 128 MB of shared buffers such
//! plans ran slower than without the index (q07: priced 45% cheaper, ran
//! 55% slower). Such a plan is assumed to lose as much as it promises.

use std::collections::HashMap;

use pgrx::pg_sys;

use sqlxos_core::advisor::{CostOracle, IndexDef, WorkloadQuery};

use crate::hypo::error::HypoError;
use crate::hypo::oracle::{estimate_bytes, plan_cost, Cache, HypoSpec};

/// Prices workload queries with PostgreSQL's planner.
pub struct PgOracle<'a> {
    /// Bare table name -> qualified name, from the catalog.
    qualified: &'a HashMap<String, String>,
    /// (query id, index set key, cache) -> (cost, used positions).
    memo: HashMap<(String, String, Cache), (f64, Vec<usize>)>,
    /// Planner calls made (for the progress report).
    pub calls: usize,
    /// Index key -> why PostgreSQL could not plan with it.
    pub failures: HashMap<String, String>,
}

impl<'a> PgOracle<'a> {
    pub fn new(qualified: &'a HashMap<String, String>) -> Self {
        PgOracle {
            qualified,
            memo: HashMap::new(),
            calls: 0,
            failures: HashMap::new(),
        }
    }

    fn spec(&self, i: &IndexDef) -> HypoSpec {
        HypoSpec {
            table: self
                .qualified
                .get(&i.table)
                .cloned()
                .unwrap_or_else(|| i.table.clone()),
            columns: i.columns.clone(),
            include: i.include.clone(),
            predicate: i.predicate.clone(),
        }
    }

    /// Plans `text` with `indexes`, as PostgreSQL would: (total cost,
    /// positions used).
    pub fn plan(
        &mut self,
        id: &str,
        text: &str,
        indexes: &[IndexDef],
    ) -> Result<(f64, Vec<usize>), HypoError> {
        self.plan_assuming(id, text, indexes, Cache::AsConfigured)
    }

    /// The positions of `indexes` the plan of `text` uses as configured but
    /// not with only shared buffers assumed cached (empty when the two
    /// settings are the same, or on an error).
    pub fn cache_dependent(&mut self, id: &str, text: &str, indexes: &[IndexDef]) -> Vec<usize> {
        // SAFETY: plain backend globals (GUC values in 8 kB pages).
        if unsafe { pg_sys::effective_cache_size <= pg_sys::NBuffers } {
            return Vec::new();
        }
        let real = self.plan(id, text, indexes);
        let lean = self.plan_assuming(id, text, indexes, Cache::SharedBuffersOnly);
        match (real, lean) {
            (Ok((_, real)), Ok((_, lean))) => {
                real.into_iter().filter(|i| !lean.contains(i)).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Plans `text` with `indexes` and `cache` assumed.
    pub fn plan_assuming(
        &mut self,
        id: &str,
        text: &str,
        indexes: &[IndexDef],
        cache: Cache,
    ) -> Result<(f64, Vec<usize>), HypoError> {
        let key = (
            id.to_owned(),
            indexes
                .iter()
                .map(|i| i.key())
                .collect::<Vec<_>>()
                .join("|"),
            cache,
        );
        if let Some(hit) = self.memo.get(&key) {
            return Ok(hit.clone());
        }
        let specs: Vec<HypoSpec> = indexes.iter().map(|i| self.spec(i)).collect();
        self.calls += 1;
        let r = plan_cost(text, &specs, cache)?;
        self.memo.insert(key, r.clone());
        Ok(r)
    }
}

impl CostOracle for PgOracle<'_> {
    /// A set PostgreSQL refuses (a column type without a btree operator
    /// class, say) is priced as the query without those indexes, so the
    /// candidate helps nothing and is rejected; the reason is kept in
    /// `failures` and shown instead of the generic one.
    fn cost(
        &mut self,
        query: &WorkloadQuery,
        hypothetical: &[IndexDef],
    ) -> sqlxos_core::Result<f64> {
        match self.plan(&query.id, &query.text, hypothetical) {
            Ok((c, _)) => Ok(c),
            Err(e) => {
                for i in hypothetical {
                    self.failures
                        .entry(i.key())
                        .or_insert_with(|| e.to_string());
                }
                Ok(self
                    .plan(&query.id, &query.text, &[])
                    .map_or(f64::MAX, |(c, _)| c))
            }
        }
    }

    /// A plan that uses hypothetical indexes only because the table is
    /// assumed cached: it may lose what it promises, (cost without those
    /// indexes - cost with them), on top of the cost without them.
    fn risk(
        &mut self,
        query: &WorkloadQuery,
        hypothetical: &[IndexDef],
    ) -> sqlxos_core::Result<f64> {
        let dependent = self.cache_dependent(&query.id, &query.text, hypothetical);
        if dependent.is_empty() {
            return Ok(0.0);
        }
        let rest: Vec<IndexDef> = hypothetical
            .iter()
            .enumerate()
            .filter(|(i, _)| !dependent.contains(i))
            .map(|(_, x)| x.clone())
            .collect();
        let with = self.plan(&query.id, &query.text, hypothetical);
        let without = self.plan(&query.id, &query.text, &rest);
        Ok(match (with, without) {
            (Ok((with, _)), Ok((without, _))) => 2.0 * (without - with).max(0.0),
            _ => 0.0,
        })
    }

    fn size_bytes(&mut self, index: &IndexDef) -> sqlxos_core::Result<u64> {
        match estimate_bytes(&self.spec(index)) {
            Ok(b) => Ok(b),
            Err(e) => {
                self.failures
                    .entry(index.key())
                    .or_insert_with(|| e.to_string());
                Ok(u64::MAX / 4)
            }
        }
    }

    fn used(
        &mut self,
        query: &WorkloadQuery,
        hypothetical: &[IndexDef],
    ) -> sqlxos_core::Result<Vec<usize>> {
        Ok(self
            .plan(&query.id, &query.text, hypothetical)
            .map(|(_, u)| u)
            .unwrap_or_default())
    }
}
