//! The workload of one connection: one entry per query shape, bounded.
//!
//! Statements are keyed by their fingerprint (constants replaced by `?`,
//! [`sqlxos_core::sql::fingerprint`]); text the core cannot parse (PRAGMA,
//! SQLite-only syntax) is keyed by its whitespace-collapsed text. At most
//! [`MAX_ENTRIES`] shapes are kept: a new shape arriving when full evicts
//! the least used one (fewest calls, then least recently run). Fingerprints
//! of raw statement texts are cached ([`MAX_CACHED_TEXTS`]) so a statement
//! run in a loop is parsed once.

use std::collections::HashMap;

use sqlxos_core::sql::{fingerprint, fnv1a64, Dialect, MAX_SQL_BYTES};

/// Most distinct query shapes kept per connection.
pub(crate) const MAX_ENTRIES: usize = 1000;
/// Most raw statement texts whose fingerprint is cached.
const MAX_CACHED_TEXTS: usize = 512;
/// Longest raw text kept as the sample an entry is planned with; longer
/// statements are recorded but not advised on.
const MAX_SAMPLE_BYTES: usize = 64 * 1024;
/// Longest `query` text shown for a statement the core cannot parse.
const MAX_SHOWN_CHARS: usize = 1000;

/// One query shape.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    /// 16 hex digits of the fingerprint hash.
    pub id: String,
    /// Normalized text (constants as `?`).
    pub query: String,
    /// The first raw text seen, planned by the advisor; `None` when the core
    /// cannot parse it or it is too long.
    pub sample: Option<String>,
    pub calls: u64,
    pub total_ms: f64,
    pub rows: u64,
    /// Runs stopped by `sqlite3_interrupt` (or an error) before the end.
    pub interrupted: u64,
    last_run: u64,
}

impl Entry {
    pub(crate) fn mean_ms(&self) -> f64 {
        if self.calls == 0 {
            0.0
        } else {
            self.total_ms / self.calls as f64
        }
    }
}

/// What a raw text fingerprints to.
#[derive(Clone)]
struct Shape {
    hash: u64,
    query: String,
    parsed: bool,
}

#[derive(Default)]
pub(crate) struct Store {
    entries: HashMap<u64, Entry>,
    texts: HashMap<String, Shape>,
    tick: u64,
}

impl Store {
    /// Records one run of `sql`.
    pub(crate) fn record(&mut self, sql: &str, ms: f64, rows: u64, interrupted: bool) {
        let shape = self.shape(sql);
        self.tick += 1;
        let tick = self.tick;
        if !self.entries.contains_key(&shape.hash) && self.entries.len() >= MAX_ENTRIES {
            self.evict();
        }
        let e = self.entries.entry(shape.hash).or_insert_with(|| Entry {
            id: format!("{:016x}", shape.hash),
            query: shape.query.clone(),
            sample: (shape.parsed && sql.len() <= MAX_SAMPLE_BYTES).then(|| sql.trim().to_owned()),
            calls: 0,
            total_ms: 0.0,
            rows: 0,
            interrupted: 0,
            last_run: 0,
        });
        e.calls += 1;
        e.total_ms += ms.max(0.0);
        e.rows += rows;
        if interrupted {
            e.interrupted += 1;
        }
        e.last_run = tick;
    }

    fn shape(&mut self, sql: &str) -> Shape {
        if let Some(s) = self.texts.get(sql) {
            return s.clone();
        }
        let s = match fingerprint(sql, Dialect::Sqlite) {
            Ok(f) => Shape {
                hash: f.hash,
                query: f.normalized,
                parsed: true,
            },
            Err(_) => {
                let cut: String = sql.chars().take(MAX_SQL_BYTES).collect();
                let collapsed = cut.split_whitespace().collect::<Vec<_>>().join(" ");
                let mut query: String = collapsed.chars().take(MAX_SHOWN_CHARS).collect();
                if query.len() < collapsed.len() {
                    query.push_str("...");
                }
                Shape {
                    hash: fnv1a64(collapsed.as_bytes()),
                    query,
                    parsed: false,
                }
            }
        };
        if self.texts.len() >= MAX_CACHED_TEXTS {
            self.texts.clear();
        }
        if sql.len() <= MAX_SAMPLE_BYTES {
            self.texts.insert(sql.to_owned(), s.clone());
        }
        s
    }

    fn evict(&mut self) {
        if let Some(k) = self
            .entries
            .iter()
            .min_by_key(|(_, e)| (e.calls, e.last_run))
            .map(|(k, _)| *k)
        {
            self.entries.remove(&k);
        }
    }

    /// Entries, most total time first.
    pub(crate) fn snapshot(&self) -> Vec<Entry> {
        let mut v: Vec<Entry> = self.entries.values().cloned().collect();
        v.sort_by(|a, b| b.total_ms.total_cmp(&a.total_ms).then(a.id.cmp(&b.id)));
        v
    }

    /// Forgets everything; returns how many entries there were.
    pub(crate) fn reset(&mut self) -> usize {
        let n = self.entries.len();
        self.entries = HashMap::new();
        self.texts = HashMap::new();
        n
    }
}

#[cfg(test)]
mod test {
    use super::*;

    #[test]
    fn shapes_share_an_entry() {
        let mut s = Store::default();
        s.record("SELECT * FROM t WHERE a = 1", 2.0, 1, false);
        s.record("select * from T where a = 42", 4.0, 3, true);
        s.record("not  sql (((", 1.0, 1, false);
        let v = s.snapshot();
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].query, "SELECT * FROM t WHERE a = ?");
        assert_eq!((v[0].calls, v[0].rows, v[0].interrupted), (2, 4, 1));
        assert_eq!(v[0].mean_ms(), 3.0);
        assert_eq!(v[0].sample.as_deref(), Some("SELECT * FROM t WHERE a = 1"));
        assert_eq!(v[1].query, "not sql (((");
        assert_eq!(v[1].sample, None);
        assert_eq!(s.reset(), 2);
        assert!(s.snapshot().is_empty());
    }

    #[test]
    fn bounded_and_evicts_the_least_used() {
        let mut s = Store::default();
        s.record("SELECT 1 FROM keep", 1.0, 0, false);
        s.record("SELECT 1 FROM keep", 1.0, 0, false);
        for i in 0..MAX_ENTRIES + 50 {
            s.record(&format!("SELECT c{i} FROM t"), 1.0, 0, false);
        }
        let v = s.snapshot();
        assert_eq!(v.len(), MAX_ENTRIES);
        assert!(v.iter().any(|e| e.query == "SELECT ? FROM keep"));
        assert!(v
            .iter()
            .any(|e| e.query == format!("SELECT c{} FROM t", MAX_ENTRIES + 49)));
        assert!(s.texts.len() <= MAX_CACHED_TEXTS);
    }

    #[test]
    fn huge_text_is_cut() {
        let mut s = Store::default();
        let huge = format!("SELECT {} FROM t", "1 + ".repeat(200_000));
        s.record(&huge, 1.0, 0, false);
        let v = s.snapshot();
        assert!(v[0].query.len() <= MAX_SHOWN_CHARS + 3);
        assert_eq!(v[0].sample, None);
    }
}
