//! Values as the files hold them: a [`Date`] written `YYYY-MM-DD`, and a
//! [`Spanned`] value that remembers where it was written so a rule can
//! point at it. How a `Spanned` learns its position from the YAML parser is
//! the loader's business (`load/yaml.rs`); the model only carries it.

use std::fmt;
use std::ops::Deref;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};

/// Where a value stands in its YAML document: 1-based line and column,
/// relative to the start of the document (add the front-matter offset).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

/// A value and where it was written, so a rule can point at it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Spanned<T> {
    pub value: T,
    pub pos: Pos,
}

impl<T> Spanned<T> {
    /// A value with no source position (defaults, values built in code).
    pub fn unplaced(value: T) -> Spanned<T> {
        Spanned {
            value,
            pos: Pos::default(),
        }
    }
}

impl<T> Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Serialize> Serialize for Spanned<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(serializer)
    }
}

/// Schemas see through the span: a `Spanned<String>` is a string.
impl<T: schemars::JsonSchema> schemars::JsonSchema for Spanned<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
}

impl schemars::JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
            "description": "A calendar date, YYYY-MM-DD"
        })
    }
}

/// Why a value was refused, as a sentence a diagnostic or the command
/// line shows: "`2026-02-30` is not a real date: February 2026 has 28 days".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(pub String);

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Invalid {}

impl From<Invalid> for String {
    fn from(invalid: Invalid) -> String {
        invalid.0
    }
}

/// A calendar date written `YYYY-MM-DD`. Unlike a plain chrono date its
/// parse error says what is wrong with the date, e.g. that February 2026
/// has 28 days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Result<Date, Invalid> {
        let text = text.trim();
        // The common case, `2026-11-22`, without splitting or allocating:
        // a large firm has a million dates.
        if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() {
            let digits = [y0, y1, y2, y3, m0, m1, d0, d1];
            if digits.iter().all(u8::is_ascii_digit) {
                let n = |ds: &[u8]| ds.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0'));
                let (y, m, d) = (n(&digits[..4]), n(&digits[4..6]), n(&digits[6..]));
                if let Some(date) = i32::try_from(y)
                    .ok()
                    .and_then(|y| NaiveDate::from_ymd_opt(y, m, d))
                {
                    return Ok(Date(date));
                }
            }
        }
        let parts: Vec<&str> = text.split('-').collect();
        let numbers: Option<Vec<u32>> = match parts.as_slice() {
            [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => {
                parts.iter().map(|p| p.parse::<u32>().ok()).collect()
            }
            _ => None,
        };
        let Some([y, m, d]) = numbers.as_deref().map(|n| [n[0], n[1], n[2]]) else {
            return Err(Invalid(format!(
                "`{text}` is not a date; write dates as YYYY-MM-DD"
            )));
        };
        let year = i32::try_from(y).unwrap_or(0);
        if !(1..=12).contains(&m) {
            return Err(Invalid(format!(
                "`{text}` is not a real date: there is no month {m}"
            )));
        }
        NaiveDate::from_ymd_opt(year, m, d)
            .map(Date)
            .ok_or_else(|| {
                let days = days_in_month(year, m);
                let month = NaiveDate::from_ymd_opt(year, m, 1)
                    .map_or(String::new(), |first| first.format("%B %Y").to_string());
                Invalid(format!(
                    "`{text}` is not a real date: {month} has {days} days"
                ))
            })
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1);
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    match (first, next) {
        (Some(a), Some(b)) => u32::try_from((b - a).num_days()).unwrap_or(31),
        _ => 31,
    }
}

impl fmt::Display for Date {
    /// `YYYY-MM-DD`, from a buffer of digits: the JSON and CSV exports of a
    /// large firm write over a million dates.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike;
        let d = self.0;
        let Some(year) = u32::try_from(d.year()).ok().filter(|y| *y <= 9999) else {
            return write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        };
        let digit = |n: u32| b'0' + (n % 10) as u8;
        let (m, day) = (d.month(), d.day());
        let text = [
            digit(year / 1000),
            digit(year / 100),
            digit(year / 10),
            digit(year),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(day / 10),
            digit(day),
        ];
        f.write_str(std::str::from_utf8(&text).unwrap_or_default())
    }
}

impl Deref for Date {
    type Target = NaiveDate;
    fn deref(&self) -> &NaiveDate {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Date::parse(&text).map_err(de::Error::custom)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl From<NaiveDate> for Date {
    fn from(d: NaiveDate) -> Date {
        Date(d)
    }
}

impl Date {
    pub fn year(&self) -> i32 {
        self.0.year()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_display_as_iso_at_any_year() {
        for (y, m, d) in [
            (2026, 1, 5),
            (2026, 12, 31),
            (999, 7, 4),
            (12345, 1, 1),
            (-5, 3, 9),
        ] {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(Date(date).to_string(), format!("{y:04}-{m:02}-{d:02}"));
        }
        assert_eq!(Date::parse("2026-02-28").unwrap().to_string(), "2026-02-28");
    }

    #[test]
    fn date_parse_messages() {
        assert!(Date::parse("2026-13-01")
            .unwrap_err()
            .0
            .contains("no month 13"));
        assert!(Date::parse("26-1-1").unwrap_err().0.contains("YYYY-MM-DD"));
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }
}
