//! The workload's time from planner costs: how many milliseconds a query
//! would take at a given cost, for the rule that bytes must pay for
//! themselves (`AdviceOptions::bytes_for_benefit`).
//!
//! A query that finished is assumed to keep its own speed: its measured
//! time per unit of its unadvised cost, so that `mean_ms x cost / baseline`
//! is its time at any cost (planner costs of different queries are not in
//! proportion to their times: a CPU-bound aggregate takes several times
//! longer per unit than a join).
//!
//! A query stopped by a timeout (`WorkloadQuery::timed_out`) ran at least
//! its `mean_ms`, and its own speed says little: the planner underrated its
//! plan (TPC-H q17 at SF 1: priced at 1.9 M units, about 6 s at the
//! workload's speed, it does not finish in 120 s). Its own speed would
//! rate any later plan as slow as that one (q17 with an index on its join
//! column: 3.8 s by its own speed, 0.46 s measured), and so overrate
//! what a further index saves on it. The same holds for a query that
//! finished at over [`UNDERRATED`] times the workload's typical speed (the
//! median over the queries that finished): at SF 0.1, q17 and q20 finish in
//! 20 to 100 s at hundreds of times the others' time per unit. For such a
//! query the time is its captured time at the unadvised cost, scaled down
//! with the cost while the planner sees the same kind of plan; once the
//! planner prices it below [`NEW_PLAN`] of the unadvised cost, the plan is a
//! different one, assumed to run at the typical speed, never slower than
//! its captured time.

use super::WorkloadQuery;

/// A timed-out (or underrated) query priced below this share of its
/// unadvised cost is assumed to run a new plan, at the workload's typical
/// speed.
pub(super) const NEW_PLAN: f64 = 0.5;
/// A finished query slower per cost unit than this many times the
/// workload's typical speed ran a plan the planner underrated.
pub(super) const UNDERRATED: f64 = 10.0;

/// Converts each query's cost to milliseconds of the workload (calls
/// included), or to calls-weighted cost when some query has no time.
pub(super) struct Clock {
    timed: bool,
    calls: Vec<f64>,
    mean_ms: Vec<f64>,
    baseline: Vec<f64>,
    /// Timed out, or finished far slower per unit than the typical speed.
    underrated: Vec<bool>,
    /// The median time per cost unit of the queries that finished.
    typical: Option<f64>,
}

impl Clock {
    /// `baseline`: each query's cost without advice.
    pub(super) fn new(workload: &[WorkloadQuery], baseline: &[f64]) -> Clock {
        let timed = !workload.is_empty() && workload.iter().all(|q| q.mean_ms > 0.0);
        let mut speeds: Vec<f64> = workload
            .iter()
            .zip(baseline)
            .filter(|(q, &b)| !q.timed_out && b > 0.0 && q.mean_ms > 0.0)
            .map(|(q, &b)| q.mean_ms / b)
            .filter(|s| s.is_finite())
            .collect();
        speeds.sort_by(f64::total_cmp);
        let typical = match speeds.len() {
            0 => None,
            n if n % 2 == 1 => Some(speeds[n / 2]),
            n => Some((speeds[n / 2 - 1] + speeds[n / 2]) / 2.0),
        };
        let underrated = workload
            .iter()
            .zip(baseline)
            .map(|(q, &b)| {
                q.timed_out || typical.is_some_and(|t| b > 0.0 && q.mean_ms / b > UNDERRATED * t)
            })
            .collect();
        Clock {
            timed,
            calls: workload.iter().map(|q| q.calls.max(0.0)).collect(),
            mean_ms: workload.iter().map(|q| q.mean_ms.max(0.0)).collect(),
            baseline: baseline.to_vec(),
            underrated,
            typical,
        }
    }

    /// What the figures are: "time", or "estimated cost" without times.
    pub(super) fn unit(&self) -> &'static str {
        if self.timed {
            "time"
        } else {
            "estimated cost"
        }
    }

    /// Query `qi`'s share of the workload (calls x time of one run) when
    /// one run costs `cost`.
    pub(super) fn at(&self, qi: usize, cost: f64) -> f64 {
        let calls = self.calls[qi];
        if !self.timed {
            return calls * cost;
        }
        let (mean, base) = (self.mean_ms[qi], self.baseline[qi]);
        if base <= 0.0 {
            return calls * mean;
        }
        let own = mean * cost / base;
        match self.typical {
            Some(typical) if self.underrated[qi] && cost < NEW_PLAN * base => {
                calls * (typical * cost).min(mean)
            }
            _ => calls * own,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{QueryFeatures, StatementKind};

    fn q(mean_ms: f64, timed_out: bool) -> WorkloadQuery {
        WorkloadQuery {
            id: "q".into(),
            text: String::new(),
            calls: 1.0,
            mean_ms,
            timed_out,
            features: QueryFeatures::empty(StatementKind::Select),
        }
    }

    #[test]
    fn finished_queries_keep_their_own_speed() {
        let w = [q(100.0, false), q(10.0, false)];
        let c = Clock::new(&w, &[1000.0, 1000.0]);
        assert_eq!(c.at(0, 1000.0), 100.0);
        assert_eq!(c.at(0, 500.0), 50.0);
        assert_eq!(c.at(1, 100.0), 1.0);
        assert_eq!(c.unit(), "time");
    }

    #[test]
    fn a_timed_out_query_with_a_new_plan_runs_at_the_typical_speed() {
        // Finished queries run at 0.01, 0.02 and 0.03 ms a unit (median
        // 0.02); the timed-out one was stopped at 120 s with a cost of
        // 1.9 M units (its own speed: 0.063 ms a unit).
        let w = [
            q(10.0, false),
            q(20.0, false),
            q(30.0, false),
            q(120_000.0, true),
        ];
        let c = Clock::new(&w, &[1000.0, 1000.0, 1000.0, 1.9e6]);
        // Unadvised: its captured time, a lower bound.
        assert_eq!(c.at(3, 1.9e6), 120_000.0);
        // Priced a little cheaper: the same plan, scaled.
        assert!((c.at(3, 1.8e6) - 120_000.0 * 1.8 / 1.9).abs() < 1e-6);
        // Priced at 60 k units: a new plan, at 0.02 ms a unit (not the
        // 3.8 s its own speed would say).
        assert!((c.at(3, 60_000.0) - 1200.0).abs() < 1e-6);
        // Never slower than what was captured.
        let slow = Clock::new(&[q(1.0, false), q(100.0, true)], &[1.0, 1e6]);
        assert_eq!(slow.at(1, 4e5), 100.0);
    }

    #[test]
    fn a_finished_query_far_slower_per_unit_than_the_rest_is_underrated() {
        // Speeds 0.01, 0.02, 0.03 and 0.9 ms a unit (median 0.025): the
        // last finished in 90 s at 36 times the typical speed.
        let w = [
            q(10.0, false),
            q(20.0, false),
            q(30.0, false),
            q(90_000.0, false),
        ];
        let c = Clock::new(&w, &[1000.0, 1000.0, 1000.0, 1e5]);
        assert_eq!(c.at(3, 1e5), 90_000.0);
        // A new plan at 10 k units: 250 ms at the typical speed, not 9 s.
        assert!((c.at(3, 10_000.0) - 250.0).abs() < 1e-6);
        // The others keep their own speed, new plan or not.
        assert_eq!(c.at(2, 100.0), 3.0);
    }

    #[test]
    fn without_finished_queries_or_times() {
        let all_out = Clock::new(&[q(100.0, true)], &[1000.0]);
        assert_eq!(all_out.at(0, 10.0), 1.0);
        let untimed = Clock::new(&[q(0.0, false), q(5.0, false)], &[10.0, 10.0]);
        assert_eq!(untimed.unit(), "estimated cost");
        assert_eq!(untimed.at(0, 7.0), 7.0);
    }
}
