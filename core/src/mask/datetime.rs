//! ISO 8601 dates and timestamps as text, and their truncation, for
//! `generalize` (no date library: proleptic Gregorian calendar, years 1 to
//! 9999, day arithmetic after Howard Hinnant's `days_from_civil`).
//!
//! Accepted input (surrounding whitespace ignored):
//! - a date `YYYY-MM-DD`;
//! - a timestamp `YYYY-MM-DD HH:MM[:SS[.f...]]` with a space or `T` between
//!   date and time, 1 to 9 fraction digits, and an optional UTC offset
//!   `Z`, `+HH`, `+HHMM` or `+HH:MM` (or `-`), which is kept as given.
//!
//! Output: a date for a date (`2024-05-01`), `YYYY-MM-DD HH:MM:SS` plus the
//! offset, if any, for a timestamp (the fraction is dropped by truncation).

use std::fmt;

/// A truncation unit of `generalize`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Year,
    Quarter,
    Month,
    /// ISO week: back to Monday.
    Week,
    Day,
    Hour,
    Minute,
}

impl Unit {
    /// Parses a unit name, case-insensitively, ignoring surrounding spaces.
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "year" => Unit::Year,
            "quarter" => Unit::Quarter,
            "month" => Unit::Month,
            "week" => Unit::Week,
            "day" => Unit::Day,
            "hour" => Unit::Hour,
            "minute" => Unit::Minute,
            _ => return None,
        })
    }
}

/// A parsed date or timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTime {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    /// `None` for a plain date.
    pub time: Option<Time>,
}

/// The time of day of a timestamp; the fraction is not kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Time {
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// The UTC offset exactly as written (`Z`, `+02:00`), or empty.
    pub offset: String,
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(y) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 of a civil date.
pub fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
pub fn civil_from_days(z: i64) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y as i32, m, d)
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, &b| n * 10 + u32::from(b - b'0')))
}

fn parse_offset(s: &[u8]) -> Option<()> {
    match s {
        [] | [b'Z'] => Some(()),
        [b'+' | b'-', rest @ ..] => {
            let hours_ok = |h: &[u8]| digits(h).is_some_and(|v| v <= 23);
            let minutes_ok = |m: &[u8]| digits(m).is_some_and(|v| v <= 59);
            let ok = match rest {
                [h1, h2] => hours_ok(&[*h1, *h2]),
                [h1, h2, m1, m2] | [h1, h2, b':', m1, m2] => {
                    hours_ok(&[*h1, *h2]) && minutes_ok(&[*m1, *m2])
                }
                _ => false,
            };
            ok.then_some(())
        }
        _ => None,
    }
}

impl DateTime {
    /// Parses the accepted forms (module documentation); `None` otherwise,
    /// including impossible dates such as `2023-02-29`.
    pub fn parse(s: &str) -> Option<DateTime> {
        let b = s.trim().as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let year = digits(&b[..4])? as i32;
        let month = digits(&b[5..7])?;
        let day = digits(&b[8..10])?;
        if year < 1 || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let rest = &b[10..];
        let time = if rest.is_empty() {
            None
        } else {
            if !(rest[0] == b' ' || rest[0] == b'T') || rest.len() < 6 || rest[3] != b':' {
                return None;
            }
            let hour = digits(&rest[1..3])?;
            let minute = digits(&rest[4..6])?;
            let mut i = 6;
            let mut second = 0;
            if rest.get(i) == Some(&b':') {
                second = digits(rest.get(i + 1..i + 3)?)?;
                i += 3;
                if rest.get(i) == Some(&b'.') {
                    let n = rest[i + 1..]
                        .iter()
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    if !(1..=9).contains(&n) {
                        return None;
                    }
                    i += 1 + n;
                }
            }
            if hour > 23 || minute > 59 || second > 59 {
                return None;
            }
            let offset = &rest[i..];
            parse_offset(offset)?;
            Some(Time {
                hour,
                minute,
                second,
                // ASCII by construction.
                offset: String::from_utf8_lossy(offset).into_owned(),
            })
        };
        Some(DateTime {
            year,
            month,
            day,
            time,
        })
    }

    /// Truncates to the start of its `unit`. For a plain date, `hour` and
    /// `minute` change nothing.
    pub fn truncate(&self, unit: Unit) -> DateTime {
        let mut t = self.clone();
        let (h, mi) = match &self.time {
            Some(tm) => (tm.hour, tm.minute),
            None => (0, 0),
        };
        let (hour, minute) = match unit {
            Unit::Year => {
                t.month = 1;
                t.day = 1;
                (0, 0)
            }
            Unit::Quarter => {
                t.month = (self.month - 1) / 3 * 3 + 1;
                t.day = 1;
                (0, 0)
            }
            Unit::Month => {
                t.day = 1;
                (0, 0)
            }
            Unit::Week => {
                let days = days_from_civil(self.year, self.month, self.day);
                // 1970-01-01 was a Thursday: (days + 3) mod 7 is 0 on Mondays.
                let monday = days - (days + 3).rem_euclid(7);
                (t.year, t.month, t.day) = civil_from_days(monday);
                (0, 0)
            }
            Unit::Day => (0, 0),
            Unit::Hour => (h, 0),
            Unit::Minute => (h, mi),
        };
        if let Some(tm) = &mut t.time {
            tm.hour = hour;
            tm.minute = minute;
            tm.second = 0;
        }
        t
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)?;
        if let Some(t) = &self.time {
            write!(
                f,
                " {:02}:{:02}:{:02}{}",
                t.hour, t.minute, t.second, t.offset
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Option<String> {
        DateTime::parse(s).map(|d| d.to_string())
    }

    #[test]
    fn parses_accepted_forms() {
        assert_eq!(p("2024-05-17").unwrap(), "2024-05-17");
        assert_eq!(p(" 2024-05-17 ").unwrap(), "2024-05-17");
        assert_eq!(p("2024-05-17 13:45:12").unwrap(), "2024-05-17 13:45:12");
        assert_eq!(p("2024-05-17T13:45:12").unwrap(), "2024-05-17 13:45:12");
        assert_eq!(p("2024-05-17 13:45").unwrap(), "2024-05-17 13:45:00");
        assert_eq!(
            p("2024-05-17 13:45:12.123456").unwrap(),
            "2024-05-17 13:45:12"
        );
        assert_eq!(p("2024-05-17T13:45:12.1Z").unwrap(), "2024-05-17 13:45:12Z");
        assert_eq!(
            p("2024-05-17 13:45:12+02").unwrap(),
            "2024-05-17 13:45:12+02"
        );
        assert_eq!(
            p("2024-05-17 13:45:12-0530").unwrap(),
            "2024-05-17 13:45:12-0530"
        );
        assert_eq!(
            p("2024-05-17 13:45:12+05:30").unwrap(),
            "2024-05-17 13:45:12+05:30"
        );
        assert_eq!(p("2024-02-29").unwrap(), "2024-02-29");
        assert_eq!(p("0001-01-01").unwrap(), "0001-01-01");
        assert_eq!(
            p("9999-12-31 23:59:59.999999999").unwrap(),
            "9999-12-31 23:59:59"
        );
    }

    #[test]
    fn rejects_everything_else() {
        for s in [
            "",
            "2024",
            "2024-5-17",
            "2024/05/17",
            "0000-01-01",
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-05-17 24:00:00",
            "2024-05-17 23:60:00",
            "2024-05-17 23:59:60",
            "2024-05-17 1:00:00",
            "2024-05-17x13:45:12",
            "2024-05-17 13:45:12.",
            "2024-05-17 13:45:12.1234567890",
            "2024-05-17 13:45:12+2",
            "2024-05-17 13:45:12+24:00",
            "2024-05-17 13:45:12 UTC",
            "2024-05-17\0",
            "２０２４-05-17",
            "-2024-05-17",
            "+2024-05-17",
            "2024-05-17 13:4",
            "2024-05-17 13:45:1",
        ] {
            assert_eq!(p(s), None, "{s:?}");
        }
    }

    #[test]
    fn truncation() {
        let t = |s: &str, u| DateTime::parse(s).unwrap().truncate(u).to_string();
        let ts = "2024-05-17 13:45:12.5";
        assert_eq!(t(ts, Unit::Year), "2024-01-01 00:00:00");
        assert_eq!(t(ts, Unit::Quarter), "2024-04-01 00:00:00");
        assert_eq!(t(ts, Unit::Month), "2024-05-01 00:00:00");
        assert_eq!(t(ts, Unit::Week), "2024-05-13 00:00:00");
        assert_eq!(t(ts, Unit::Day), "2024-05-17 00:00:00");
        assert_eq!(t(ts, Unit::Hour), "2024-05-17 13:00:00");
        assert_eq!(t(ts, Unit::Minute), "2024-05-17 13:45:00");
        assert_eq!(t("2024-05-17", Unit::Hour), "2024-05-17");
        assert_eq!(t("2024-05-17", Unit::Minute), "2024-05-17");
        assert_eq!(t("2024-12-31", Unit::Quarter), "2024-10-01");
        assert_eq!(t("2024-03-31", Unit::Quarter), "2024-01-01");
        // ISO weeks cross month and year boundaries.
        assert_eq!(t("2025-01-01", Unit::Week), "2024-12-30");
        assert_eq!(t("2024-03-03", Unit::Week), "2024-02-26");
        assert_eq!(t("2024-05-13", Unit::Week), "2024-05-13");
        assert_eq!(t("0001-01-07", Unit::Week), "0001-01-01");
        assert_eq!(
            t("2024-05-17T13:45:12+02:00", Unit::Day),
            "2024-05-17 00:00:00+02:00"
        );
    }

    #[test]
    fn units() {
        assert_eq!(Unit::parse("MONTH"), Some(Unit::Month));
        assert_eq!(Unit::parse(" Week "), Some(Unit::Week));
        assert_eq!(Unit::parse("weeks"), None);
        assert_eq!(Unit::parse(""), None);
    }

    #[test]
    fn day_arithmetic_anchors() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(-719_162), (1, 1, 1));
        // 0001-01-01 was a Monday in the proleptic Gregorian calendar.
        assert_eq!((days_from_civil(1, 1, 1) + 3).rem_euclid(7), 0);
    }

    proptest! {
        #[test]
        fn civil_round_trip(z in -719_162i64..2_932_897) {
            let (y, m, d) = civil_from_days(z);
            prop_assert_eq!(days_from_civil(y, m, d), z);
            prop_assert!(d >= 1 && d <= days_in_month(y, m));
        }

        #[test]
        fn week_start_is_a_monday_at_most_six_days_back(z in -719_162i64..2_932_897) {
            let (y, m, d) = civil_from_days(z);
            let s = format!("{y:04}-{m:02}-{d:02}");
            let w = DateTime::parse(&s).unwrap().truncate(Unit::Week);
            let wz = days_from_civil(w.year, w.month, w.day);
            prop_assert!(wz <= z && z - wz < 7);
            prop_assert_eq!((wz + 3).rem_euclid(7), 0);
        }
    }
}
