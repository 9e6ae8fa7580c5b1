//! Plain-word explanations of picks and rejections.

use super::candidates::Candidate;
use super::WorkloadQuery;
use crate::catalog::TableStats;
use crate::sql::{ColumnRef, PredicateOp, QueryFeatures};

/// `45 MB`, `512 kB`, `900 bytes`.
pub(super) fn size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * 1024;
    const GB: u64 = 1024 * 1024 * 1024;
    match bytes {
        b if b >= GB => format!("{:.1} GB", b as f64 / GB as f64),
        b if b >= MB => format!("{:.0} MB", b as f64 / MB as f64),
        b if b >= KB => format!("{:.0} kB", b as f64 / KB as f64),
        b => format!("{b} bytes"),
    }
}

/// `q1, q6 and 3 more`.
pub(super) fn id_list(ids: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut s = ids
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if ids.len() > SHOWN {
        s.push_str(&format!(" and {} more", ids.len() - SHOWN));
    }
    s
}

/// `filters on l_shipdate (range)`, `joins on l_partkey`, ...: what the
/// queries in `helped` do with each key column of `c` (a column one query
/// filters on and another joins on is named for both), then what the
/// index holds for reading alone. A key column none of them is seen using
/// keeps the role of the query `c` was made for.
pub(super) fn what(c: &Candidate, workload: &[WorkloadQuery], helped: &[usize]) -> String {
    use super::candidates::Role;
    let table = c.index.table.as_str();
    let uses: Vec<Vec<Role>> = c
        .index
        .columns
        .iter()
        .enumerate()
        .map(|(k, col)| {
            let mut roles: Vec<Role> = Vec::new();
            for &i in helped {
                for r in roles_of(&workload[i].features, table, col) {
                    if !roles.contains(&r) {
                        roles.push(r);
                    }
                }
            }
            if roles.is_empty() {
                roles.extend(c.roles.get(k).copied());
            }
            roles
        })
        .collect();
    let mut parts: Vec<String> = Vec::new();
    let mut filters: Vec<String> = Vec::new();
    for (col, roles) in c.index.columns.iter().zip(&uses) {
        let words: Vec<&str> = roles
            .iter()
            .filter(|r| matches!(r, Role::Equality | Role::Range))
            .map(|r| r.word())
            .collect();
        if !words.is_empty() {
            filters.push(format!("{col} ({})", words.join(" or ")));
        }
    }
    if !filters.is_empty() {
        parts.push(format!("filters on {}", filters.join(", ")));
    }
    for (role, verb) in [
        (Role::Join, "joins on"),
        (Role::Sort, "sorts by"),
        (Role::Group, "groups by"),
    ] {
        let v: Vec<&str> = c
            .index
            .columns
            .iter()
            .zip(&uses)
            .filter(|(_, roles)| roles.contains(&role))
            .map(|(col, _)| col.as_str())
            .collect();
        if !v.is_empty() {
            parts.push(format!("{verb} {}", v.join(", ")));
        }
    }
    if !c.index.include.is_empty() {
        parts.push(format!(
            "reads {} from the index alone",
            c.index.include.join(", ")
        ));
    }
    parts.join("; ")
}

/// What one statement does with `table.column`, in the order of
/// [`Role`]: compared with a constant (equality or range), joined,
/// sorted by (an ORDER BY of that table only), grouped by.
fn roles_of(f: &QueryFeatures, table: &str, column: &str) -> Vec<super::candidates::Role> {
    use super::candidates::Role;
    let mut out = Vec::new();
    for p in f.predicates_on(table).filter(|p| p.column.column == column) {
        let r = match p.op {
            PredicateOp::Eq | PredicateOp::In | PredicateOp::IsNull => Role::Equality,
            PredicateOp::Range | PredicateOp::LikePrefix => Role::Range,
            _ => continue,
        };
        if !out.contains(&r) {
            out.push(r);
        }
    }
    if f.join_columns_on(table).iter().any(|c| c == column) {
        out.push(Role::Join);
    }
    let on = |c: &ColumnRef| c.table == table && c.column == column;
    if f.order_by.iter().all(|s| s.column.table == table)
        && f.order_by.iter().any(|s| on(&s.column))
    {
        out.push(Role::Sort);
    }
    if f.group_by.iter().any(on) {
        out.push(Role::Group);
    }
    out
}

/// The sentence about writes.
pub(super) fn writes(table: Option<&TableStats>, penalty: f64, benefit: f64) -> String {
    match table {
        Some(t) if t.writes > 0.0 && benefit > 0.0 && penalty / benefit >= 0.05 => format!(
            "the table's {:.0} writes make it cost about {:.0}% of what it saves to maintain",
            t.writes,
            100.0 * penalty / benefit
        ),
        Some(t) if t.write_ratio() < 0.1 => "the table sees few writes".into(),
        Some(t) => format!(
            "{:.0}% of the table's activity is writes",
            100.0 * t.write_ratio()
        ),
        None => "no write statistics for the table".into(),
    }
}
