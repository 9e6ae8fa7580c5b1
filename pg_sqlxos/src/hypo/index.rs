//! A hypothetical btree index and its size estimate.
//!
//! The size follows how PostgreSQL 15 lays out a btree built by
//! `CREATE INDEX`: leaf tuples (8-byte `IndexTupleData` header plus the
//! aligned key and INCLUDE values, MAXALIGNed, plus a 4-byte line pointer)
//! packed to the fill factor (90 by default) of the 8152 usable bytes of a
//! page, a high key per leaf page, internal levels of key-only pivot tuples
//! packed to 70%, and one metapage. For a 100,000-row `int4` column this
//! gives 276 pages, the size of the real index.
//!
//! Deduplication (PostgreSQL 13+): a non-unique index without INCLUDE
//! columns whose key types compare equal by image (integers, dates,
//! timestamps, text...) stores each run of equal keys as posting-list
//! tuples: one key and a 6-byte heap pointer per row, at most
//! [`POSTING_TIDS`] pointers a tuple. The number of distinct keys comes
//! from the key columns' `pg_statistic` entries (their product, at most the
//! row count); without statistics the estimate stays the upper bound.

use pgrx::pg_sys;

/// One column of a hypothetical index, with everything the planner needs.
#[derive(Debug, Clone)]
pub struct HypoColumn {
    /// Column name, as in the table.
    pub name: String,
    /// Attribute number in the table.
    pub attnum: i16,
    /// Type, typmod and collation of the column.
    pub typid: pg_sys::Oid,
    pub typmod: i32,
    pub collation: pg_sys::Oid,
    /// Btree operator family and input type of the default operator class
    /// (key columns only; `InvalidOid` for INCLUDE columns).
    pub opfamily: pg_sys::Oid,
    pub opcintype: pg_sys::Oid,
    /// `DESC`, and `NULLS FIRST` (key columns only).
    pub descending: bool,
    pub nulls_first: bool,
    /// Average stored width in bytes and type alignment (`c`, `s`, `i`, `d`).
    pub width: i32,
    pub align: u8,
}

/// A hypothetical btree index, valid for the statement that built it (its
/// predicate lives in that statement's memory).
#[derive(Debug, Clone)]
pub struct HypoIndex {
    /// The fake OID the planner and EXPLAIN see (never a real relation's).
    pub oid: pg_sys::Oid,
    /// The table.
    pub relid: pg_sys::Oid,
    /// The table's name, for messages.
    pub table: String,
    /// The name from the DDL, or one made up like PostgreSQL's
    /// (`t_a_b_idx`); EXPLAIN shows it as `<sqlxos>t_a_b_idx`.
    pub name: String,
    pub keys: Vec<HypoColumn>,
    pub include: Vec<HypoColumn>,
    pub unique: bool,
    /// The partial-index predicate: an implicitly-ANDed list of clauses
    /// whose Vars have varno 1, or null.
    pub predicate: *mut pg_sys::List,
    /// The predicate's selectivity on the table (1 without a predicate).
    pub selectivity: f64,
    /// Estimated index tuples, pages (including the metapage) and height
    /// (levels above the leaves, like `_bt_getrootheight`).
    pub tuples: f64,
    pub pages: u32,
    pub tree_height: i32,
}

impl HypoIndex {
    /// The estimated size on disk in bytes.
    pub fn bytes(&self) -> u64 {
        u64::from(self.pages) * u64::from(pg_sys::BLCKSZ)
    }

    /// All columns, keys first, as the index stores them.
    pub fn columns(&self) -> impl Iterator<Item = &HypoColumn> {
        self.keys.iter().chain(self.include.iter())
    }

    /// The name EXPLAIN shows.
    pub fn display_name(&self) -> String {
        format!("<sqlxos>{}", self.name)
    }
}

const MAXIMUM_ALIGNOF: usize = 8;
/// `BLCKSZ - SizeOfPageHeaderData - MAXALIGN(sizeof(BTPageOpaqueData))`.
const BTREE_USABLE: f64 = (8192 - 24 - 16) as f64;
const ITEM_ID: usize = 4;
const INDEX_TUPLE_HEADER: usize = 8;
const NONLEAF_FILLFACTOR: f64 = 70.0;

fn align_to(off: usize, a: usize) -> usize {
    off.div_ceil(a) * a
}

fn align_bytes(align: u8) -> usize {
    match align {
        b'd' => 8,
        b'i' => 4,
        b's' => 2,
        _ => 1,
    }
}

/// Bytes one index tuple of these columns takes on a page, line pointer
/// included.
fn tuple_bytes<'a>(cols: impl Iterator<Item = &'a HypoColumn>) -> usize {
    let mut off = INDEX_TUPLE_HEADER;
    for c in cols {
        off = align_to(off, align_bytes(c.align)) + usize::try_from(c.width.max(1)).unwrap_or(1);
    }
    align_to(off, MAXIMUM_ALIGNOF) + ITEM_ID
}

/// Heap pointers in one posting-list tuple, about what fits in the largest
/// btree tuple (a third of a page) minus its key.
pub const POSTING_TIDS: f64 = 400.0;
/// Bytes of one heap pointer in a posting list.
const TID_BYTES: f64 = 6.0;

/// Estimated `(pages, tree_height)` of a btree holding `tuples` index
/// tuples with these key and INCLUDE columns, leaves filled to
/// `fillfactor` percent. `dedup_keys`: the distinct keys when the index
/// deduplicates (see the module documentation).
pub fn btree_size(
    tuples: f64,
    keys: &[HypoColumn],
    include: &[HypoColumn],
    fillfactor: u32,
    dedup_keys: Option<f64>,
) -> (u32, i32) {
    let leaf_item = tuple_bytes(keys.iter().chain(include.iter())) as f64;
    let pivot_item = tuple_bytes(keys.iter()) as f64;
    let tuples = tuples.max(0.0);
    let leaf_space = BTREE_USABLE * f64::from(fillfactor) / 100.0;
    // One item per leaf page is the high key.
    let per_leaf = ((leaf_space / leaf_item).floor() - 1.0).max(1.0);
    let per_internal = (BTREE_USABLE * NONLEAF_FILLFACTOR / 100.0 / pivot_item)
        .floor()
        .max(2.0);
    let plain_leaves = (tuples / per_leaf).ceil().max(1.0);
    let leaves = match dedup_keys {
        Some(d) if d >= 1.0 && tuples / d >= 2.0 => {
            let per_key = tuples / d;
            let postings = (per_key / POSTING_TIDS).ceil();
            // Each posting tuple: header and key, aligned, plus its
            // pointers, aligned, plus a line pointer.
            let key_part = (leaf_item - ITEM_ID as f64).max(8.0);
            let bytes = d
                * (postings * (key_part + ITEM_ID as f64)
                    + (per_key * TID_BYTES / 8.0).ceil() * 8.0);
            (bytes / (leaf_space - leaf_item))
                .ceil()
                .clamp(1.0, plain_leaves)
        }
        _ => plain_leaves,
    };
    let mut level_pages = leaves;
    let mut total = level_pages;
    let mut height = 0;
    while level_pages > 1.0 {
        level_pages = (level_pages / per_internal).ceil();
        total += level_pages;
        height += 1;
    }
    // The metapage.
    total += 1.0;
    (total.min(f64::from(u32::MAX - 1)) as u32, height)
}
