//! Which tables of a statement cannot drive its join in MariaDB, read from
//! the digest text: the inner side of a `LEFT JOIN`, and the tables of a
//! subquery MariaDB runs per outer row (`EXISTS`, `NOT EXISTS`, a scalar
//! subquery compared with `=`, `<`, ...), unless the table also appears
//! where it could drive. `IN (SELECT ...)` subqueries can be materialized
//! and drive (semi-join), and derived tables are joins of their own, so
//! their tables count as drivers.
//!
//! The oracle's join model tries every table as the driving one; without
//! this it would drive TPC-H q13 (`customer LEFT JOIN orders`) from
//! `orders`, through customer's primary key, and never see that MariaDB
//! compares every customer with every order.

use std::collections::HashSet;

/// One parenthesis level of the digest text.
#[derive(Clone, Copy, Default)]
struct Frame {
    /// Inside a subquery run per outer row.
    inner: bool,
    /// Between FROM and the end of its table list.
    in_from: bool,
}

/// Lower-case names of the tables that appear in `digest_text` only where
/// they cannot drive the join (see the module documentation).
pub fn inner_only(digest_text: &str) -> HashSet<String> {
    let (left, per_row) = classify(digest_text);
    left.union(&per_row).cloned().collect()
}

/// Lower-case names of the tables that appear in `digest_text` only in
/// subqueries run per outer row: MariaDB reads them again for each outer
/// row (a join buffer serves joins, not these).
pub fn per_row_only(digest_text: &str) -> HashSet<String> {
    classify(digest_text).1
}

/// (tables only on the inner side of a LEFT JOIN, or also in a per-row
/// subquery; tables only in per-row subqueries), lower case, none that
/// also appears where it could drive.
fn classify(digest_text: &str) -> (HashSet<String>, HashSet<String>) {
    let toks: Vec<&str> = digest_text.split_whitespace().collect();
    let mut stack = vec![Frame::default()];
    let mut expect_table = false;
    let mut left_join = false;
    let mut inner = HashSet::new();
    let mut per_row = HashSet::new();
    let mut drivers = HashSet::new();
    let mut i = 0;
    while i < toks.len() {
        let tok = toks[i];
        let upper = tok.to_ascii_uppercase();
        let top = *stack.last().unwrap_or(&Frame::default());
        match upper.as_str() {
            "(" => {
                let sub = matches!(
                    toks.get(i + 1).map(|t| t.to_ascii_uppercase()).as_deref(),
                    Some("SELECT" | "WITH")
                );
                let prev = if i > 0 {
                    toks[i - 1].to_ascii_uppercase()
                } else {
                    String::new()
                };
                // A derived table, a CTE or an IN list may drive; any other
                // subquery is an expression evaluated per outer row.
                let per_row = sub
                    && match prev.as_str() {
                        "IN" | "FROM" | "JOIN" | "AS" => false,
                        "," => !top.in_from,
                        _ => true,
                    };
                stack.push(Frame {
                    inner: top.inner || per_row,
                    in_from: false,
                });
                expect_table = false;
            }
            ")" if stack.len() > 1 => {
                stack.pop();
            }
            "FROM" => {
                if let Some(f) = stack.last_mut() {
                    f.in_from = true;
                }
                expect_table = true;
            }
            "LEFT" => {
                left_join = matches!(
                    toks.get(i + 1).map(|t| t.to_ascii_uppercase()).as_deref(),
                    Some("JOIN" | "OUTER")
                );
            }
            "JOIN" | "STRAIGHT_JOIN" => expect_table = true,
            "," => expect_table = top.in_from,
            "WHERE" | "GROUP" | "HAVING" | "ORDER" | "LIMIT" | "ON" | "USING" | "UNION" | "SET" => {
                if let Some(f) = stack.last_mut() {
                    f.in_from = false;
                }
                expect_table = false;
            }
            _ if expect_table => {
                // `db` . `table`: the name is after the dot.
                let (name, next) = if toks.get(i + 1) == Some(&".") {
                    (toks.get(i + 2).copied().unwrap_or(tok), i + 2)
                } else {
                    (tok, i)
                };
                let name = name.trim_matches('`').to_lowercase();
                if left_join {
                    inner.insert(name);
                } else if top.inner {
                    per_row.insert(name);
                } else {
                    drivers.insert(name);
                }
                expect_table = false;
                left_join = false;
                i = next;
            }
            _ => {}
        }
        i += 1;
    }
    inner.retain(|t| !drivers.contains(t));
    per_row.retain(|t| !drivers.contains(t));
    // A table both left-joined and in a per-row subquery is not read per
    // row everywhere: it counts as left-joined.
    per_row.retain(|t| !inner.contains(t));
    (inner, per_row)
}

/// Lower-case names of the columns compared with `IN ( SELECT` (or `NOT
/// IN`) in `digest_text`. Digests quote most identifiers but spell those
/// that are also keywords (`ID`, `ACCOUNT`) bare and in capitals.
pub fn in_subquery(digest_text: &str) -> HashSet<String> {
    let toks: Vec<&str> = digest_text.split_whitespace().collect();
    let mut out = HashSet::new();
    for i in 1..toks.len().saturating_sub(2) {
        let sub = toks[i].eq_ignore_ascii_case("IN")
            && toks[i + 1] == "("
            && (toks[i + 2].eq_ignore_ascii_case("SELECT")
                || toks[i + 2].eq_ignore_ascii_case("WITH"));
        if !sub {
            continue;
        }
        let mut c = i - 1;
        if toks[c].eq_ignore_ascii_case("NOT") && c > 0 {
            c -= 1;
        }
        out.insert(toks[c].trim_matches('`').to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{in_subquery, inner_only, per_row_only};

    #[test]
    fn in_subquery_columns() {
        // TPC-H q18: an IN subquery, next to an IN list.
        let t = "SELECT * FROM `orders` WHERE `o_orderkey` IN ( SELECT `l_orderkey` FROM `lineitem` \
                 GROUP BY `l_orderkey` HAVING SUM ( `l_quantity` ) > ? ) AND `o_orderstatus` IN (...)";
        let v: Vec<String> = in_subquery(t).into_iter().collect();
        assert_eq!(v, ["o_orderkey"]);
        // Keywords as names are bare in digests; NOT IN counts too.
        let t = "SELECT * FROM `s` WHERE ID IN ( SELECT `x` FROM `y` ) AND `s` . `c` NOT IN ( SELECT `z` FROM `w` )";
        let mut v: Vec<String> = in_subquery(t).into_iter().collect();
        v.sort();
        assert_eq!(v, ["c", "id"]);
    }

    fn sorted(text: &str) -> Vec<String> {
        let mut v: Vec<String> = inner_only(text).into_iter().collect();
        v.sort();
        v
    }

    #[test]
    fn left_join_inner_side() {
        // TPC-H q13 as MariaDB digests it.
        let q13 = "SELECT `c_count` , COUNT ( * ) AS `custdist` FROM ( SELECT `c_custkey` , \
                   COUNT ( `o_orderkey` ) AS `c_count` FROM `customer` LEFT OUTER JOIN `orders` \
                   ON `c_custkey` = `o_custkey` AND `o_comment` NOT LIKE ? GROUP BY `c_custkey` ) \
                   AS `c_orders` GROUP BY `c_count` ORDER BY `custdist` DESC , `c_count` DESC";
        assert_eq!(sorted(q13), ["orders"]);
        // A LEFT JOIN's inner side is joined through a join buffer, not
        // read per outer row.
        assert!(per_row_only(q13).is_empty());
    }

    #[test]
    fn correlated_subqueries() {
        // TPC-H q22: NOT EXISTS, and a scalar subquery on the same table
        // as the outer query (which still drives).
        let q22 = "SELECT `cntrycode` , COUNT ( * ) AS `numcust` FROM ( SELECT SUBSTRING ( \
                   `c_phone` FROM ? FOR ? ) AS `cntrycode` , `c_acctbal` FROM `customer` WHERE \
                   SUBSTRING ( `c_phone` FROM ? FOR ? ) IN (...) AND `c_acctbal` > ( SELECT AVG ( \
                   `c_acctbal` ) FROM `customer` WHERE `c_acctbal` > ? ) AND NOT EXISTS ( SELECT * \
                   FROM `orders` WHERE `o_custkey` = `c_custkey` ) ) AS `custsale` GROUP BY `cntrycode`";
        assert_eq!(sorted(q22), ["orders"]);
        assert_eq!(
            per_row_only(q22).into_iter().collect::<Vec<_>>(),
            ["orders"]
        );
        // TPC-H q20: IN subqueries may drive (semi-join), the scalar one
        // on lineitem may not.
        let q20 =
            "SELECT `s_name` , `s_address` FROM `supplier` , `nation` WHERE `s_suppkey` IN ( \
                   SELECT `ps_suppkey` FROM `partsupp` WHERE `ps_partkey` IN ( SELECT `p_partkey` \
                   FROM `part` WHERE `p_name` LIKE ? ) AND `ps_availqty` > ( SELECT ? * SUM ( \
                   `l_quantity` ) FROM `lineitem` WHERE `l_partkey` = `ps_partkey` ) ) AND \
                   `s_nationkey` = `n_nationkey` ORDER BY `s_name`";
        assert_eq!(sorted(q20), ["lineitem"]);
    }

    #[test]
    fn plain_joins_and_qualified_names() {
        let t =
            "SELECT * FROM `shop` . `orders` `o` JOIN `shop` . `customers` `c` ON `c` . `id` = \
                 `o` . `customer_id` , `items` WHERE `o` . `id` = ?";
        assert!(inner_only(t).is_empty());
        // A table named like a keyword is bare in a digest.
        let t = "SELECT * FROM `a` LEFT JOIN STATUS ON STATUS . `id` = `a` . `s`";
        assert_eq!(sorted(t), ["status"]);
        // LEFT ( ... ) is a function, not a join.
        let t = "SELECT LEFT ( `name` , ? ) FROM `a` , `b` WHERE `a` . `x` = `b` . `x`";
        assert!(inner_only(t).is_empty());
        let t = "SELECT * FROM `a` WHERE EXISTS ( SELECT * FROM `shop` . `b` WHERE `b` . `x` = `a` . `x` )";
        assert_eq!(sorted(t), ["b"]);
    }
}
