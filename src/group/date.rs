//! Dates of documents, for trends: a record's date field read as ISO 8601
//! (`2024-03-05`, `2024-03-05T10:00:00Z`) or RFC 2822 (`Tue, 05 Mar 2024
//! 10:00:00 +0000`, RSS `pubDate`), kept as a day. The day is the one
//! written: times and zones are not converted (a day is the unit of a
//! trend, and a feed's own day is the one its readers saw).

use std::fmt;

/// A calendar day, as days since 1970-01-01 (negative before).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(pub i32);

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Day {
    /// The day `y-m-d`, when it exists (years 1000 to 9999).
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Day> {
        if !(1000..=9999).contains(&y) || !(1..=12).contains(&m) || d == 0 {
            return None;
        }
        if d > days_in_month(y, m) {
            return None;
        }
        // Days from civil (H. Hinnant's algorithm).
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = m as i32;
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i32 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Some(Day(era * 146_097 + doe - 719_468))
    }

    /// Year, month (1-based) and day (1-based).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let y = yoe + era * 400 + i32::from(m <= 2);
        (y, m, d)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn number(s: &str) -> Option<u32> {
    (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// `YYYY-MM-DD` at the start, then the end or a time (`T`, a space).
fn iso(s: &str) -> Option<Day> {
    let b = s.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    if b.len() > 10 && !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    let y = number(s.get(0..4)?)?;
    let m = number(s.get(5..7)?)?;
    let d = number(s.get(8..10)?)?;
    Day::from_ymd(y as i32, m, d)
}

/// `[Day, ]DD Mon YYYY[ time zone]`.
fn rfc2822(s: &str) -> Option<Day> {
    let s = match s.split_once(',') {
        Some((weekday, rest)) if weekday.trim().chars().all(|c| c.is_ascii_alphabetic()) => rest,
        Some(_) => return None,
        None => s,
    };
    let mut parts = s.split_whitespace();
    let d = number(parts.next()?)?;
    let month = parts.next()?.to_ascii_lowercase();
    let m = MONTHS.iter().position(|&name| month.starts_with(name))?;
    if month.len() > 3 && month != MONTH_NAMES[m] {
        return None;
    }
    let m = m as u32 + 1;
    let year = parts.next()?;
    let y = number(year)? as i32;
    // RFC 2822's obsolete two-digit years.
    let y = match year.len() {
        2 if y < 50 => 2000 + y,
        2 => 1900 + y,
        4 => y,
        _ => return None,
    };
    Day::from_ymd(y, m, d)
}

/// The day `text` names, ISO 8601 or RFC 2822; `None` for anything else.
pub fn parse(text: &str) -> Option<Day> {
    let t = text.trim();
    iso(t).or_else(|| rfc2822(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        assert_eq!(Day::from_ymd(1970, 1, 1), Some(Day(0)));
        assert_eq!(
            Day::from_ymd(2000, 3, 1).map(|d| d.to_string()).as_deref(),
            Some("2000-03-01")
        );
        for n in [-800_000, -1, 0, 59, 60, 11_016, 19_000, 2_900_000] {
            let (y, m, d) = Day(n).ymd();
            if (1000..=9999).contains(&y) {
                assert_eq!(Day::from_ymd(y, m, d), Some(Day(n)), "{n}");
            }
        }
        assert_eq!(Day::from_ymd(2023, 2, 29), None);
        assert_eq!(
            Day::from_ymd(2024, 2, 29).map(|d| d.to_string()).as_deref(),
            Some("2024-02-29")
        );
    }

    #[test]
    fn reads_iso_and_rfc_2822() {
        let day = |s: &str| parse(s).map(|d| d.to_string());
        assert_eq!(day("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(
            day(" 2024-03-05T23:10:00+09:00 ").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("2024-03-05 08:00").as_deref(), Some("2024-03-05"));
        assert_eq!(
            day("Tue, 05 Mar 2024 10:00:00 +0000").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(day("5 March 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(
            day("Sat, 1 Jan 00 00:00 GMT").as_deref(),
            Some("2000-01-01")
        );
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "2024/03/05",
            "20240305",
            "Tue, 32 Mar 2024",
            "05 Mars2 2024",
            "１２-03-05",
            "2024-03-05X",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
