//! The advisor's cost oracle for PostgreSQL: the planner itself, with the
//! candidate indexes added as hypothetical indexes (`hypo::oracle`),
//! assuming no more is cached than shared buffers hold
//! ([`Cache::SharedBuffersOnly`]).

use std::collections::HashMap;

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

    /// Plans `text` with `indexes` as the advisor prices plans: (total
    /// cost, positions used).
    pub fn plan(
        &mut self,
        id: &str,
        text: &str,
        indexes: &[IndexDef],
    ) -> Result<(f64, Vec<usize>), HypoError> {
        self.plan_assuming(id, text, indexes, Cache::SharedBuffersOnly)
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
