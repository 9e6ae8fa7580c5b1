//! Plain-word explanations of picks and rejections.

use super::candidates::Candidate;
use crate::catalog::TableStats;

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

/// `filters on l_shipdate (range)`, `joins on l_partkey`, ...
pub(super) fn what(c: &Candidate) -> String {
    use super::candidates::Role;
    let mut parts: Vec<String> = Vec::new();
    let cols = |role: Role| -> Vec<String> {
        c.index
            .columns
            .iter()
            .zip(&c.roles)
            .filter(|(_, r)| **r == role)
            .map(|(col, _)| col.clone())
            .collect()
    };
    let mut filters: Vec<String> = Vec::new();
    for (col, role) in c.index.columns.iter().zip(&c.roles) {
        if matches!(role, Role::Equality | Role::Range) {
            filters.push(format!("{col} ({})", role.word()));
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
        let v = cols(role);
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
