//! Rows read out of JSON: the related records SQLite aggregates inside their parent's statement.
//!
//! On SQLite an include is a column of the parent's statement holding a JSON array of the
//! related rows, each itself an array of the child's columns in table order (then its own
//! includes' columns). A [`JsonRow`] is one such array, read by column index like any other
//! row, so the generated `from_row` functions decode it unchanged. The cells hold what SQLite
//! stores: integers for booleans and date-times (Prisma's milliseconds), text for decimals,
//! enums and JSON columns, and hex text for bytes (`load.rs` renders blobs with `hex()`, as
//! JSON can't hold them).

use chrono::{DateTime, NaiveDateTime, Utc};
use rust_decimal::Decimal;
use serde_json::Value as Json;

use crate::error::{Error, decode_error};

/// One related row: its cells, in column order.
#[derive(Debug)]
pub struct JsonRow(Vec<Json>);

impl JsonRow {
    /// The row of a JSON array; anything else is not a row.
    pub(crate) fn new(value: Json) -> Result<JsonRow, Error> {
        match value {
            Json::Array(cells) => Ok(JsonRow(cells)),
            other => Err(decode_error(0, format!("expected a row as a JSON array, found `{other}`"))),
        }
    }

    fn cell(&self, index: usize) -> Result<&Json, Error> {
        self.0.get(index).ok_or_else(|| decode_error(index, format!("the row has {} columns", self.0.len())))
    }

    pub(crate) fn get<T: FromCell>(&self, index: usize) -> Result<T, Error> {
        let cell = self.cell(index)?;
        T::from_cell(cell).ok_or_else(|| decode_error(index, format!("`{cell}` is not {}", T::EXPECTED)))
    }

    pub(crate) fn is_null(&self, index: usize) -> Result<bool, Error> {
        Ok(self.cell(index)?.is_null())
    }

    /// Decimals are selected as text; a number is read through its text form too.
    pub(crate) fn decimal(&self, index: usize) -> Result<Decimal, Error> {
        let text = match self.cell(index)? {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            other => return Err(decode_error(index, format!("`{other}` is not a decimal"))),
        };
        text.parse::<Decimal>()
            .or_else(|_| Decimal::from_scientific(&text))
            .map_err(|e| decode_error(index, format!("`{text}` is not a decimal: {e}")))
    }

    /// Date-times: integer milliseconds (what `orm` and Prisma write), or text.
    pub(crate) fn datetime(&self, index: usize) -> Result<DateTime<Utc>, Error> {
        match self.cell(index)? {
            Json::Number(n) => n
                .as_i64()
                .and_then(DateTime::from_timestamp_millis)
                .ok_or_else(|| decode_error(index, format!("{n} ms is not a date-time"))),
            Json::String(s) => {
                parse_datetime(s).ok_or_else(|| decode_error(index, format!("`{s}` is not a date-time")))
            }
            other => Err(decode_error(index, format!("`{other}` is not a date-time"))),
        }
    }

    /// Moves cell `index` out (an included relation's rows, nested in this row).
    pub(crate) fn take(&mut self, index: usize) -> Result<Json, Error> {
        self.cell(index)?;
        Ok(std::mem::take(&mut self.0[index]))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// Date-time text in the forms SQLite databases hold (those sqlx reads from a column): with or
/// without an offset, a `T` or a space, seconds and fractions optional; UTC when no offset.
fn parse_datetime(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        return Some(d.with_timezone(&Utc));
    }
    const ZONED: [&str; 4] =
        ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%d %H:%M%:z", "%Y-%m-%dT%H:%M%:z"];
    if let Some(d) = ZONED.iter().find_map(|f| DateTime::parse_from_str(s, f).ok()) {
        return Some(d.with_timezone(&Utc));
    }
    const NAIVE: [&str; 4] = ["%Y-%m-%d %H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M"];
    NAIVE.iter().find_map(|f| NaiveDateTime::parse_from_str(s, f).ok()).map(|d| d.and_utc())
}

/// A type read from one cell of a [`JsonRow`].
pub trait FromCell: Sized {
    /// What the error says the cell is not.
    const EXPECTED: &'static str;
    fn from_cell(cell: &Json) -> Option<Self>;
}

impl FromCell for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_cell(cell: &Json) -> Option<i64> {
        cell.as_i64()
    }
}

impl FromCell for i32 {
    const EXPECTED: &'static str = "a 32-bit integer";
    fn from_cell(cell: &Json) -> Option<i32> {
        cell.as_i64().and_then(|n| i32::try_from(n).ok())
    }
}

/// Floats are selected as text with 17 significant digits (exact, and infinities too).
impl FromCell for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_cell(cell: &Json) -> Option<f64> {
        match cell {
            Json::String(text) => text.trim().parse().ok(),
            other => other.as_f64(),
        }
    }
}

impl FromCell for bool {
    const EXPECTED: &'static str = "a boolean";
    fn from_cell(cell: &Json) -> Option<bool> {
        cell.as_bool().or_else(|| cell.as_i64().map(|n| n != 0))
    }
}

impl FromCell for String {
    const EXPECTED: &'static str = "text";
    fn from_cell(cell: &Json) -> Option<String> {
        cell.as_str().map(str::to_owned)
    }
}

impl FromCell for Vec<u8> {
    const EXPECTED: &'static str = "bytes as hex text";
    fn from_cell(cell: &Json) -> Option<Vec<u8>> {
        hex::decode(cell.as_str()?).ok()
    }
}

/// JSON columns are stored as text; the cell is that text.
impl FromCell for Json {
    const EXPECTED: &'static str = "JSON text";
    fn from_cell(cell: &Json) -> Option<Json> {
        match cell {
            Json::String(text) => serde_json::from_str(text).ok(),
            other => Some(other.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_decode_as_sqlite_stores_them() {
        let row = JsonRow::new(serde_json::json!([
            7,
            1,
            "12.50",
            1_700_000_000_000_i64,
            "2024-01-02 03:04:05.678",
            "00ff",
            "{\"a\":1}",
            null
        ]))
        .unwrap();
        assert_eq!(row.get::<i32>(0).unwrap(), 7);
        assert!(row.get::<bool>(1).unwrap());
        assert_eq!(row.decimal(2).unwrap().to_string(), "12.50");
        assert_eq!(row.datetime(3).unwrap().timestamp_millis(), 1_700_000_000_000);
        assert_eq!(row.datetime(4).unwrap().timestamp_subsec_millis(), 678);
        assert_eq!(row.get::<Vec<u8>>(5).unwrap(), [0, 255]);
        assert_eq!(row.get::<Json>(6).unwrap(), serde_json::json!({"a": 1}));
        assert!(row.is_null(7).unwrap());
        let more = JsonRow::new(serde_json::json!([
            "0.30000000000000004",
            "-inf",
            "2024-01-02T03:04:05",
            "2024-01-02 03:04+02:00"
        ]))
        .unwrap();
        assert_eq!(more.get::<f64>(0).unwrap(), 0.1 + 0.2);
        assert_eq!(more.get::<f64>(1).unwrap(), f64::NEG_INFINITY);
        assert_eq!(more.datetime(2).unwrap().to_rfc3339(), "2024-01-02T03:04:05+00:00");
        assert_eq!(more.datetime(3).unwrap().to_rfc3339(), "2024-01-02T01:04:00+00:00");
        assert!(matches!(row.get::<String>(0), Err(Error::Decode { .. })), "a number is not text");
        assert!(row.get::<i32>(8).is_err(), "past the last column");
    }
}
