//! The form in which each database keeps a timestamp default, so that a default computed from a
//! schema and one read back from a catalog are the same text.
//!
//! A schema writes `@default("2020-01-01T10:11:12.345+02:00")`; what the database then holds
//! depends on it and on the column's type: SQLite keeps the text; PostgreSQL drops the offset of
//! a `timestamp` (without converting), converts a `timestamptz` to UTC and keeps the date of a
//! `date`; MySQL is given the instant in UTC without an offset (MariaDB rejects offsets). Both
//! codegen (from a schema) and introspection (from a catalog) pass their text through
//! [`stored_datetime`], and trailing fractional zeros are dropped (`.340` and `.34` are one
//! value, and MySQL pads to the column's precision).

use crate::Dialect;

/// `text` (a timestamp, date or time; with or without an offset; `T` or space between date and
/// time) as `dialect` keeps it in a column of `native_type`. Text that is not of that shape,
/// and every SQLite default, is returned unchanged.
pub fn stored_datetime(dialect: Dialect, native_type: &str, text: &str) -> String {
    let base = native_type.split('(').next().unwrap_or_default().trim().to_ascii_uppercase();
    let Some(parsed) = Parsed::parse(text.trim()) else { return text.to_owned() };
    let out = match (dialect, base.as_str()) {
        (Dialect::Sqlite, _) => None,
        (Dialect::Postgres, "TIMESTAMPTZ") => parsed.utc().and_then(|p| p.date_time()).map(|t| format!("{t} +00:00")),
        (Dialect::Postgres, "TIMESTAMP") => parsed.date_time(),
        (Dialect::Mysql, "DATETIME" | "TIMESTAMP") => parsed.utc().and_then(|p| p.date_time()),
        (Dialect::Postgres | Dialect::Mysql, "DATE") => parsed.date.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        (Dialect::Postgres | Dialect::Mysql, "TIME") => parsed.time(),
        (Dialect::Postgres, "TIMETZ") => {
            let (h, m) = (parsed.offset_minutes.unwrap_or(0) / 60, parsed.offset_minutes.unwrap_or(0) % 60);
            let sign = if parsed.offset_minutes.unwrap_or(0) < 0 { '-' } else { '+' };
            parsed.time().map(|t| format!("{t} {sign}{:02}:{:02}", h.abs(), m.abs()))
        }
        _ => None,
    };
    out.unwrap_or_else(|| text.to_owned())
}

/// A timestamp taken apart. Seconds keep their fraction as written.
#[derive(Debug, Clone, PartialEq)]
struct Parsed {
    date: Option<(i64, i64, i64)>,
    time: Option<(i64, i64, i64)>,
    /// Fractional-second digits, without trailing zeros.
    fraction: String,
    offset_minutes: Option<i64>,
}

impl Parsed {
    fn parse(text: &str) -> Option<Parsed> {
        let num = |t: &str| -> Option<i64> {
            if t.is_empty() || t.len() > 4 || !t.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            t.parse().ok()
        };
        let (date_part, rest) = match text.find(['T', 't', ' ']) {
            Some(i) if text[..i].contains('-') => (Some(&text[..i]), text[i + 1..].trim_start()),
            _ if text.contains(':') => (None, text),
            _ => (Some(text), ""),
        };
        let date = match date_part {
            Some(d) => {
                let mut ymd = d.split('-');
                let (y, m, day) = (num(ymd.next()?)?, num(ymd.next()?)?, num(ymd.next()?)?);
                if ymd.next().is_some() || !(1..=12).contains(&m) || !(1..=31).contains(&day) {
                    return None;
                }
                Some((y, m, day))
            }
            None => None,
        };
        if rest.is_empty() {
            return Some(Parsed { date, time: None, fraction: String::new(), offset_minutes: None });
        }
        // The clock ends where an offset (`Z`, `+hh`, `+hh:mm`, `-hhmm`) begins.
        let (clock, offset) = match rest.find(['Z', 'z', '+', '-']) {
            Some(i) => (rest[..i].trim_end(), Some(&rest[i..])),
            None => (rest, None),
        };
        let (hms, fraction) = clock.split_once('.').unwrap_or((clock, ""));
        if !fraction.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut parts = hms.split(':');
        let (h, min) = (num(parts.next()?)?, num(parts.next()?)?);
        let sec = match parts.next() {
            Some(s) => num(s)?,
            None => 0,
        };
        if parts.next().is_some() || h > 24 || min > 59 || sec > 60 {
            return None;
        }
        let offset_minutes = match offset {
            None => None,
            Some(o) if o.eq_ignore_ascii_case("z") => Some(0),
            Some(o) => {
                let sign = if o.starts_with('-') { -1 } else { 1 };
                let digits = &o[1..];
                let (oh, om) = match digits.split_once(':') {
                    Some((h, m)) => (num(h)?, num(m)?),
                    None if digits.len() == 4 => (num(digits.get(..2)?)?, num(digits.get(2..)?)?),
                    None => (num(digits)?, 0),
                };
                Some(sign * (oh * 60 + om))
            }
        };
        Some(Parsed {
            date,
            time: Some((h, min, sec)),
            fraction: fraction.trim_end_matches('0').to_owned(),
            offset_minutes,
        })
    }

    /// The same instant in UTC (a missing offset is read as UTC, as sqlx's sessions do).
    fn utc(&self) -> Option<Parsed> {
        let (y, m, d) = self.date?;
        let (h, min, s) = self.time.unwrap_or((0, 0, 0));
        let minutes = days_from_civil(y, m, d) * 1440 + h * 60 + min - self.offset_minutes.unwrap_or(0);
        let (days, minute_of_day) = (minutes.div_euclid(1440), minutes.rem_euclid(1440));
        Some(Parsed {
            date: Some(civil_from_days(days)),
            time: Some((minute_of_day / 60, minute_of_day % 60, s)),
            fraction: self.fraction.clone(),
            offset_minutes: Some(0),
        })
    }

    fn time(&self) -> Option<String> {
        let (h, m, s) = self.time?;
        let mut out = format!("{h:02}:{m:02}:{s:02}");
        if !self.fraction.is_empty() {
            out.push('.');
            out.push_str(&self.fraction);
        }
        Some(out)
    }

    fn date_time(&self) -> Option<String> {
        let (y, m, d) = self.date?;
        let time = if self.time.is_some() { self.time()? } else { "00:00:00".to_owned() };
        Some(format!("{y:04}-{m:02}-{d:02} {time}"))
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_keeps_timestamptz_in_utc_and_drops_the_offset_of_timestamp() {
        let written = "2020-01-01 10:11:12.340 +02:00";
        assert_eq!(stored_datetime(Dialect::Postgres, "TIMESTAMPTZ(6)", written), "2020-01-01 08:11:12.34 +00:00");
        // What the catalog prints for it:
        assert_eq!(
            stored_datetime(Dialect::Postgres, "TIMESTAMPTZ(6)", "2020-01-01 08:11:12.34+00"),
            "2020-01-01 08:11:12.34 +00:00"
        );
        assert_eq!(stored_datetime(Dialect::Postgres, "TIMESTAMP(3)", written), "2020-01-01 10:11:12.34");
        assert_eq!(stored_datetime(Dialect::Postgres, "DATE", written), "2020-01-01");
        assert_eq!(stored_datetime(Dialect::Postgres, "TIME", "10:00:00"), "10:00:00");
        assert_eq!(stored_datetime(Dialect::Postgres, "TIMETZ", "10:00:00+02"), "10:00:00 +02:00");
        assert_eq!(
            stored_datetime(Dialect::Postgres, "TIMESTAMPTZ", "2020-01-01 00:30:00-0130"),
            "2020-01-01 02:00:00 +00:00"
        );
    }

    #[test]
    fn mysql_keeps_utc_without_an_offset() {
        assert_eq!(stored_datetime(Dialect::Mysql, "DATETIME(3)", "2020-01-01 00:00:00 +00:00"), "2020-01-01 00:00:00");
        assert_eq!(stored_datetime(Dialect::Mysql, "DATETIME(3)", "2020-01-01 00:00:00.000"), "2020-01-01 00:00:00");
        assert_eq!(
            stored_datetime(Dialect::Mysql, "DATETIME(3)", "2020-01-01 10:11:12.345 +02:00"),
            "2020-01-01 08:11:12.345"
        );
        assert_eq!(
            stored_datetime(Dialect::Mysql, "TIMESTAMP(0)", "2020-01-01 01:00:00 +02:30"),
            "2019-12-31 22:30:00"
        );
        assert_eq!(stored_datetime(Dialect::Mysql, "DATETIME(3)", "2020-02-28 23:30:00 -01:00"), "2020-02-29 00:30:00");
        assert_eq!(
            stored_datetime(Dialect::Mysql, "DATETIME(3)", "1969-12-31 23:59:59.5 -00:01"),
            "1970-01-01 00:00:59.5"
        );
    }

    #[test]
    fn sqlite_and_anything_unparsable_are_kept() {
        // Never a panic, whatever the text.
        for odd in ["2020-01-01 10:00:00+a€", "2020-01-01T€", "€-01-01", "+", "2020-01-01 10:00:00 -", ""] {
            let _ = stored_datetime(Dialect::Postgres, "TIMESTAMPTZ", odd);
            let _ = stored_datetime(Dialect::Mysql, "DATETIME(3)", odd);
        }
        let written = "2020-01-01 10:11:12.345 +02:00";
        assert_eq!(stored_datetime(Dialect::Sqlite, "DATETIME", written), written);
        assert_eq!(stored_datetime(Dialect::Mysql, "DATETIME(3)", "now"), "now");
        assert_eq!(
            stored_datetime(Dialect::Mysql, "DATETIME(3)", "2020-13-01 00:00:00 +00:00"),
            "2020-13-01 00:00:00 +00:00"
        );
        assert_eq!(stored_datetime(Dialect::Postgres, "TIMESTAMP", "2020-01-01 25:00:00"), "2020-01-01 25:00:00");
    }
}
