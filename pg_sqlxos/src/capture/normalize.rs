//! Normalized query text: the constants PostgreSQL's query jumbling found
//! (their locations are in the `JumbleState`) replaced by `$n`, numbered
//! after the highest parameter the statement already has, as
//! `pg_stat_statements` shows them. The length of each constant is found by
//! a small lexer of SQL literals here (strings with their prefixes and
//! escapes, dollar quoting, numbers, keywords such as `true`), so no
//! PostgreSQL call that could raise an ERROR is involved.

/// The statement's text with constants at `locations` (byte offsets into
/// `source`) replaced. `stmt_location`/`stmt_len` select the statement in a
/// multi-statement string (`stmt_len` 0: to the end).
pub fn normalize(
    source: &str,
    stmt_location: i32,
    stmt_len: i32,
    locations: &[i32],
    highest_param: i32,
) -> String {
    normalize_parts(source, stmt_location, stmt_len, locations, highest_param).0
}

/// Separates the normalized text from the constants of its sample in the
/// stored text (SQL text never holds a NUL byte).
pub const SAMPLE_SEPARATOR: char = '\0';

/// The normalized text followed, when everything fits in `room` bytes, by
/// the constants this execution had, each after a [`SAMPLE_SEPARATOR`]: the
/// advisor plans with them ([`restore`]) instead of generic parameters.
pub fn with_sample(
    source: &str,
    stmt_location: i32,
    stmt_len: i32,
    locations: &[i32],
    highest_param: i32,
    room: usize,
) -> String {
    let (mut text, consts) =
        normalize_parts(source, stmt_location, stmt_len, locations, highest_param);
    let extra: usize = consts.iter().map(|c| c.len() + 1).sum();
    if !consts.is_empty() && text.len() + extra <= room {
        for c in consts {
            text.push(SAMPLE_SEPARATOR);
            text.push_str(&c);
        }
    }
    text
}

/// Splits a stored text into the normalized text and the sample's
/// constants (empty when none were kept).
pub fn split_sample(stored: &str) -> (&str, Vec<&str>) {
    let mut parts = stored.split(SAMPLE_SEPARATOR);
    let text = parts.next().unwrap_or("");
    (text, parts.collect())
}

/// The normalized `text` with its last `constants.len()` parameters (the
/// ones normalization introduced, numbered after the statement's own)
/// replaced by the sample's constants: a statement the planner can price
/// with real values. Parameters inside quoted strings and identifiers are
/// left alone.
pub fn restore(text: &str, constants: &[&str]) -> String {
    if constants.is_empty() {
        return text.to_owned();
    }
    let b = text.as_bytes();
    // Parameters outside quotes: (start, end, number).
    let mut params: Vec<(usize, usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
            }
            b'$' if i == 0 || !is_ident(b[i - 1]) => {
                let mut j = i + 1;
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                if j > i + 1 && (j == b.len() || !is_ident(b[j])) {
                    if let Ok(n) = text[i + 1..j].parse::<usize>() {
                        params.push((i, j, n));
                    }
                }
                i = j.max(i + 1);
            }
            _ => i += 1,
        }
    }
    let highest = params.iter().map(|p| p.2).max().unwrap_or(0);
    let Some(first) = highest.checked_sub(constants.len()) else {
        return text.to_owned();
    };
    let mut out = String::with_capacity(text.len() + 16 * constants.len());
    let mut pos = 0;
    for (start, end, n) in params {
        if n > first {
            out.push_str(&text[pos..start]);
            out.push_str(constants[n - first - 1]);
            pos = end;
        }
    }
    out.push_str(&text[pos..]);
    out
}

/// The normalized text and the constants it replaced, in order.
fn normalize_parts(
    source: &str,
    stmt_location: i32,
    stmt_len: i32,
    locations: &[i32],
    highest_param: i32,
) -> (String, Vec<String>) {
    let bytes = source.as_bytes();
    let start = usize::try_from(stmt_location).unwrap_or(0).min(bytes.len());
    let end = if stmt_len > 0 {
        (start + stmt_len as usize).min(bytes.len())
    } else {
        bytes.len()
    };
    let mut locs: Vec<usize> = locations
        .iter()
        .filter_map(|&l| usize::try_from(l).ok())
        .filter(|&l| l >= start && l < end)
        .collect();
    locs.sort_unstable();
    locs.dedup();

    let mut out = String::with_capacity(end - start);
    let mut consts: Vec<String> = Vec::new();
    let mut pos = start;
    let mut n = highest_param;
    for loc in locs {
        if loc < pos {
            // Inside the previous constant (e.g. a negated number).
            continue;
        }
        let len = const_len(&bytes[..end], loc);
        if len == 0 {
            continue;
        }
        push_str_lossy(&mut out, &bytes[pos..loc]);
        consts.push(String::from_utf8_lossy(&bytes[loc..loc + len]).into_owned());
        n += 1;
        out.push('$');
        out.push_str(&n.to_string());
        pos = loc + len;
    }
    push_str_lossy(&mut out, &bytes[pos..end]);
    let trimmed = out.trim();
    let text = if trimmed.len() == out.len() {
        out
    } else {
        trimmed.to_owned()
    };
    (text, consts)
}

fn push_str_lossy(out: &mut String, b: &[u8]) {
    out.push_str(&String::from_utf8_lossy(b));
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80
}

/// Length in bytes of the literal starting at `loc`.
fn const_len(q: &[u8], loc: usize) -> usize {
    let at = |i: usize| q.get(i).copied().unwrap_or(0);
    let c = at(loc);
    match c {
        b'-' | b'+' => {
            // A signed number: the sign, blanks, then the number.
            let mut i = loc + 1;
            while at(i).is_ascii_whitespace() {
                i += 1;
            }
            match number_len(q, i) {
                0 => 1,
                n => i + n - loc,
            }
        }
        b'\'' => quoted_len(q, loc, false),
        b'$' => dollar_len(q, loc),
        b'0'..=b'9' | b'.' => number_len(q, loc).max(1),
        b'e' | b'E' if at(loc + 1) == b'\'' => 1 + quoted_len(q, loc + 1, true),
        b'b' | b'B' | b'x' | b'X' | b'n' | b'N' if at(loc + 1) == b'\'' => {
            1 + quoted_len(q, loc + 1, false)
        }
        b'u' | b'U' if at(loc + 1) == b'&' && at(loc + 2) == b'\'' => {
            2 + quoted_len(q, loc + 2, false)
        }
        _ if is_ident(c) => {
            let mut i = loc;
            while i < q.len() && is_ident(q[i]) {
                i += 1;
            }
            i - loc
        }
        _ => 1,
    }
}

/// A '...' literal from its opening quote: '' is a quote inside; with
/// `escapes`, so is \'.
fn quoted_len(q: &[u8], open: usize, escapes: bool) -> usize {
    let mut i = open + 1;
    while i < q.len() {
        match q[i] {
            b'\\' if escapes => i += 2,
            b'\'' if q.get(i + 1) == Some(&b'\'') => i += 2,
            b'\'' => return i + 1 - open,
            _ => i += 1,
        }
    }
    q.len() - open
}

/// `$tag$...$tag$` (a `$n` parameter is not a constant: length 0).
fn dollar_len(q: &[u8], loc: usize) -> usize {
    let mut i = loc + 1;
    while i < q.len()
        && q[i] != b'$'
        && (q[i].is_ascii_alphanumeric() || q[i] == b'_' || q[i] >= 0x80)
    {
        i += 1;
    }
    if q.get(i) != Some(&b'$') {
        return 0;
    }
    let tag = &q[loc..=i];
    let body = i + 1;
    let mut j = body;
    while j + tag.len() <= q.len() {
        if &q[j..j + tag.len()] == tag {
            return j + tag.len() - loc;
        }
        j += 1;
    }
    q.len() - loc
}

/// `123`, `1.5`, `.5`, `1e-3`, `1_000` (PostgreSQL 16), `0x1F`.
fn number_len(q: &[u8], loc: usize) -> usize {
    let at = |i: usize| q.get(i).copied().unwrap_or(0);
    let mut i = loc;
    if at(i) == b'0' && matches!(at(i + 1), b'x' | b'X' | b'o' | b'O' | b'b' | b'B') {
        i += 2;
        while at(i).is_ascii_hexdigit() || at(i) == b'_' {
            i += 1;
        }
        return i - loc;
    }
    while at(i).is_ascii_digit() || at(i) == b'_' {
        i += 1;
    }
    if at(i) == b'.' && at(i + 1) != b'.' {
        i += 1;
        while at(i).is_ascii_digit() || at(i) == b'_' {
            i += 1;
        }
    }
    if i > loc && matches!(at(i), b'e' | b'E') {
        let mut j = i + 1;
        if matches!(at(j), b'+' | b'-') {
            j += 1;
        }
        if at(j).is_ascii_digit() {
            while at(j).is_ascii_digit() {
                j += 1;
            }
            i = j;
        }
    }
    i - loc
}

#[cfg(test)]
mod plain_tests {
    use super::*;

    fn locs(src: &str, lits: &[&str]) -> Vec<i32> {
        lits.iter().map(|l| src.find(l).unwrap() as i32).collect()
    }

    #[test]
    fn sample_constants_round_trip() {
        let src =
            "SELECT * FROM t WHERE d < date '1995-03-15' AND k = $1 AND x = -42 AND s = 'it''s'";
        let l = locs(src, &["'1995", "-42", "'it"]);
        let stored = with_sample(src, 0, 0, &l, 1, 2048);
        let (text, consts) = split_sample(&stored);
        assert_eq!(
            text,
            "SELECT * FROM t WHERE d < date $2 AND k = $1 AND x = $3 AND s = $4"
        );
        assert_eq!(consts, vec!["'1995-03-15'", "-42", "'it''s'"]);
        assert_eq!(
            restore(text, &consts),
            "SELECT * FROM t WHERE d < date '1995-03-15' AND k = $1 AND x = -42 AND s = 'it''s'"
        );
        // No room: the normalized text alone.
        let stored = with_sample(src, 0, 0, &l, 1, 70);
        assert_eq!(split_sample(&stored).1, Vec::<&str>::new());
        // Nothing to restore, or a count that does not match: unchanged.
        assert_eq!(restore("SELECT $1", &[]), "SELECT $1");
        assert_eq!(restore("SELECT 1", &["2"]), "SELECT 1");
        assert_eq!(restore("SELECT '$1', $1", &["7"]), "SELECT '$1', 7");
        assert_eq!(restore("SELECT a$1, $1", &["7"]), "SELECT a$1, 7");
    }
}
