//! Index advice, engine-neutral: candidate indexes from a workload's query
//! features ([`candidates`]), greedy selection against an engine's cost
//! oracle ([`advise`]), and explanations in plain words.
//!
//! Each engine supplies a [`CostOracle`]: PostgreSQL prices queries with
//! hypothetical indexes, SQLite with an in-memory schema copy, MariaDB from
//! statistics.

mod candidates;
mod clock;
mod explain;
mod index_def;
mod oracle;
mod select;
pub mod sqlite_cost;

#[cfg(test)]
mod tests;

pub use candidates::{candidates, redundant_with};
pub use index_def::{quote_ident, DdlStyle, IndexDef, MAX_NAME_BYTES};
pub use oracle::CostOracle;
pub use select::advise;

use crate::sql::QueryFeatures;

/// One query of the workload.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkloadQuery {
    /// Stable id (query id or fingerprint hash), shown in explanations.
    pub id: String,
    /// Query text (normalized), handed to the oracle and shown to users.
    pub text: String,
    /// Executions since statistics were reset.
    pub calls: f64,
    /// Mean execution time in milliseconds.
    pub mean_ms: f64,
    /// Whether `mean_ms` is only a lower bound: most runs were stopped by
    /// a statement timeout or a cancel before they finished.
    pub timed_out: bool,
    pub features: QueryFeatures,
}

/// Knobs of [`advise`].
#[derive(Debug, Clone, PartialEq)]
pub struct AdviceOptions {
    /// Most indexes to propose.
    pub max_indexes: usize,
    /// Most bytes all proposed indexes may take together.
    pub max_bytes: u64,
    /// An index must cut at least one query's cost by this percentage.
    pub min_improvement_pct: f64,
    /// Tables with fewer rows get no index.
    pub min_table_rows: f64,
    /// Cost units charged per write to the table per btree level of the
    /// index (writes since stats reset, comparable with `calls`).
    pub write_penalty: f64,
    /// Bytes must pay for themselves: an index is picked only if it cuts
    /// at least the share of the workload's remaining time (measured time,
    /// scaled by the oracle's relative cost cut; cost when a query has no
    /// time) that it adds to the size of the workload's tables (with their
    /// indexes). Meant for when no `max_bytes` budget was given.
    pub bytes_for_benefit: bool,
    /// Judge a candidate's slowdown of a query against the query's cost
    /// without any advice instead of with the indexes picked so far. A
    /// candidate that gives back part of what an earlier pick saved a
    /// query, leaving it still cheaper than unadvised, is then not
    /// refused for it: the benefit sum already nets that loss out. For
    /// engines whose planner changes join orders with each index (SQLite:
    /// an index that one query needs can take another off the plan an
    /// earlier pick gave it, to a plan that is still better than none).
    pub regression_vs_unadvised: bool,
    /// Covering variants: most columns they add to a candidate, and the
    /// widest those columns may be together (average bytes).
    pub max_include: usize,
    pub max_include_bytes: u32,
    /// Keep covering candidates for a join that lead with the leading
    /// column of a selective existing index (such as a composite primary
    /// key), which are otherwise dropped as redundant with it. Where that existing
    /// index is a separate b-tree whose every entry costs a table lookup
    /// (SQLite's composite primary keys), an index with the same lead and
    /// the columns a query reads saves all those lookups.
    pub covering_over_selective_lead: bool,
    /// Also propose the merge of two candidates on one table whose keys
    /// are a prefix one of the other, at least one covering: the longer
    /// key with every column either reads (within `max_include`), one
    /// index where two queries would each want their own.
    pub merge_covering: bool,
    /// When a candidate that would save much is refused for slowing a
    /// query, also try it together with each candidate on that query's
    /// tables, as one step priced on both's bytes: an index that fixes
    /// one query can need another that keeps a second query on a good
    /// plan, and that one alone saves too little to be picked first
    /// (SQLite, TPC-H SF 1: orders(o_custkey) for q22 turns q07's lookups
    /// of lineitem random; a covering lineitem(l_orderkey, ...) keeps them
    /// cheap). Turned on by SQLite.
    pub pair_to_cure: bool,
    /// After backward elimination dropped picks that later picks made
    /// useless, give their slots (of `max_indexes`) to the candidates the
    /// greedy never reached, then eliminate again. Without it, an advice
    /// that filled `max_indexes` and then lost picks to pruning proposes
    /// fewer indexes than allowed while good candidates are left (MariaDB,
    /// TPC-H SF 1: 9 of 10, with orders(o_orderdate, ...) for q04 and q10
    /// left out for the limit).
    pub refill_after_prune: bool,
}

impl Default for AdviceOptions {
    fn default() -> Self {
        AdviceOptions {
            max_indexes: 10,
            max_bytes: u64::MAX,
            min_improvement_pct: 5.0,
            min_table_rows: 1000.0,
            write_penalty: 1.0,
            bytes_for_benefit: false,
            regression_vs_unadvised: false,
            max_include: 3,
            max_include_bytes: 48,
            covering_over_selective_lead: false,
            merge_covering: false,
            pair_to_cure: false,
            refill_after_prune: false,
        }
    }
}

/// The result of [`advise`].
#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    /// Chosen indexes, in the order they were picked (best first).
    pub picks: Vec<Pick>,
    /// Candidates not chosen, each with why.
    pub rejected: Vec<Rejected>,
    /// Sum over the workload of calls x cost, without and with the picks.
    pub workload_cost_before: f64,
    pub workload_cost_after: f64,
}

/// One proposed index.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    pub index: IndexDef,
    pub ddl: String,
    /// Estimated size.
    pub bytes: u64,
    /// Calls-weighted cost of the queries it helps, before and after it
    /// (with the indexes picked before it in place in both).
    pub cost_before: f64,
    pub cost_after: f64,
    pub improvement_pct: f64,
    /// Queries it helps: (id, text).
    pub queries: Vec<(String, String)>,
    pub reason: String,
    /// Queries whose plan with it the engine rates risky
    /// ([`CostOracle::risk`]) and that, counting that risk, are still
    /// costlier by over 1% than without any advice once every pick is in
    /// place: (id, % costlier then). Picked anyway because what it saves
    /// elsewhere is at least ten times what they could lose; each engine
    /// says so in its own words.
    pub risky: Vec<(String, f64)>,
}

/// A candidate that was not proposed.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejected {
    pub index: IndexDef,
    pub reason: String,
}
