//! The `SCAN` and `SEARCH` lines of SQLite's `EXPLAIN QUERY PLAN`, parsed
//! into the loop each one describes (what [`super::plan_cost`] prices).

/// How a loop reads its table.
#[derive(Debug, Clone, PartialEq)]
pub enum Access {
    /// `SCAN CONSTANT ROW` and the like.
    Constant,
    Scan {
        index: Option<String>,
        covering: bool,
    },
    Search {
        index: Option<String>,
        covering: bool,
        /// `INTEGER PRIMARY KEY` or `PRIMARY KEY`.
        primary: bool,
        automatic: bool,
        constraints: Vec<Constraint>,
    },
}

/// One constraint of a `SEARCH`: `a=?` or `b>?`.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    pub column: String,
    pub equality: bool,
    /// `ANY(a)`: a skip-scan over the distinct values of a leading column
    /// the query does not constrain (one descent per value).
    pub skip: bool,
}

/// A `SCAN` or `SEARCH` line.
#[derive(Debug, Clone, PartialEq)]
pub struct Loop {
    pub binding: String,
    pub access: Access,
}

/// Parses one `SCAN ...` / `SEARCH ...` detail; `None` for other lines.
pub fn parse_loop(detail: &str) -> Option<Loop> {
    let (search, rest) = if let Some(r) = detail.strip_prefix("SEARCH ") {
        (true, r)
    } else if let Some(r) = detail.strip_prefix("SCAN ") {
        (false, r)
    } else {
        return None;
    };
    // The inner table of an outer join: `... (a=?) LEFT-JOIN`.
    let rest = rest
        .strip_suffix(" LEFT-JOIN")
        .or_else(|| rest.strip_suffix(" RIGHT-JOIN"))
        .unwrap_or(rest);
    if !search && (rest == "CONSTANT ROW" || rest.starts_with("CONSTANT ROW")) {
        return Some(Loop {
            binding: String::new(),
            access: Access::Constant,
        });
    }
    let (binding, using) = match rest.find(" USING ") {
        Some(p) => (&rest[..p], Some(&rest[p + 7..])),
        None => (rest.trim_end_matches(" VIRTUAL TABLE"), None),
    };
    let binding = binding.to_owned();
    let Some(using) = using else {
        return Some(Loop {
            binding,
            access: if search {
                Access::Search {
                    index: None,
                    covering: false,
                    primary: false,
                    automatic: false,
                    constraints: Vec::new(),
                }
            } else {
                Access::Scan {
                    index: None,
                    covering: false,
                }
            },
        });
    };
    let (head, cons) = match (using.find(" ("), using.ends_with(')')) {
        (Some(p), true) => (&using[..p], Some(&using[p + 2..using.len() - 1])),
        _ => match using.strip_prefix('(') {
            // `USING (a=?)` is not printed by SQLite; be lenient.
            Some(c) => ("", Some(c.trim_end_matches(')'))),
            None => (using, None),
        },
    };
    let automatic = head.starts_with("AUTOMATIC ");
    let covering = head.contains("COVERING INDEX");
    let primary = head == "INTEGER PRIMARY KEY" || head == "PRIMARY KEY";
    let index = head
        .strip_prefix("COVERING INDEX ")
        .or_else(|| head.strip_prefix("INDEX "))
        .map(str::to_owned);
    if !search {
        return Some(Loop {
            binding,
            access: Access::Scan { index, covering },
        });
    }
    let constraints = cons.map(parse_constraints).unwrap_or_default();
    Some(Loop {
        binding,
        access: Access::Search {
            index,
            covering: covering || primary,
            primary,
            automatic,
            constraints,
        },
    })
}

/// `a=? AND b>? AND b<?` into constraints.
fn parse_constraints(s: &str) -> Vec<Constraint> {
    s.split(" AND ")
        .filter_map(|part| {
            let part = part.trim();
            if let Some(col) = part.strip_prefix("ANY(").and_then(|r| r.strip_suffix(')')) {
                return Some(Constraint {
                    column: col.trim().to_owned(),
                    equality: false,
                    skip: true,
                });
            }
            let p = part.find(['=', '<', '>'])?;
            let column = part[..p].trim().to_owned();
            let equality = part[p..].starts_with('=') && !part[p..].starts_with("=>");
            // `(a,b)>(?,?)` row values: keep the first column as a range.
            let column = column
                .trim_start_matches('(')
                .split(',')
                .next()
                .unwrap_or("")
                .to_owned();
            (!column.is_empty()).then_some(Constraint {
                column,
                equality,
                skip: false,
            })
        })
        .collect()
}
