//! The YAML facade: the only module that knows which YAML crate we use
//! (serde-saphyr). It parses one document into a serde type and turns the
//! crate's errors into our [`Diagnostic`], with the file name and the line
//! in the real file (front-matter offsets included).

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::de::{self, DeserializeOwned, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

use crate::diag::{Diagnostic, Span};
use crate::suggest;

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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let inner = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let to_u32 = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Spanned {
            value: inner.value,
            pos: Pos {
                line: to_u32(inner.referenced.line()),
                col: to_u32(inner.referenced.column()),
            },
        })
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

/// A calendar date written `YYYY-MM-DD`. Unlike a plain chrono date its
/// parse error says what is wrong with the date, e.g. that February 2026
/// has 28 days.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl Date {
    pub fn parse(text: &str) -> Result<Date, String> {
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
            return Err(format!("`{text}` is not a date; write dates as YYYY-MM-DD"));
        };
        let year = i32::try_from(y).unwrap_or(0);
        if !(1..=12).contains(&m) {
            return Err(format!(
                "`{text}` is not a real date: there is no month {m}"
            ));
        }
        NaiveDate::from_ymd_opt(year, m, d)
            .map(Date)
            .ok_or_else(|| {
                let days = days_in_month(year, m);
                let month = NaiveDate::from_ymd_opt(year, m, 1)
                    .map_or(String::new(), |first| first.format("%B %Y").to_string());
                format!("`{text}` is not a real date: {month} has {days} days")
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

/// Parses one YAML document into `T`. `line_offset` is the number of lines
/// before the document in its file (the front-matter opening line).
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Arc<str>,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options(text, options)
        .map_err(|err| to_diagnostic(&err, text, file, line_offset))
}

fn to_diagnostic(err: &Error, text: &str, file: &Arc<str>, line_offset: u32) -> Diagnostic {
    let err = err.without_snippet();
    let found = err
        .location()
        .map_or("", |loc| token_at(text, loc.line(), loc.column()));
    let span = match err.location() {
        Some(loc) if loc.line() > 0 => Span::new(
            file,
            u32::try_from(loc.line())
                .unwrap_or(u32::MAX)
                .saturating_add(line_offset),
            u32::try_from(loc.column()).unwrap_or(u32::MAX),
        ),
        _ => Span::new(file, 1 + line_offset, 1),
    };
    match err {
        Error::SerdeUnknownField {
            field, expected, ..
        } => Diagnostic::input(
            "unknown-field",
            span.with_len(field.chars().count()),
            format!("unknown field `{field}`"),
        )
        .with_label("not a field clientele knows")
        .with_help(
            match suggest::did_you_mean(field, expected.iter().copied()) {
                Some(best) => format!(
                    "did you mean `{best}`? the fields here are {}",
                    suggest::list(expected)
                ),
                None => format!("the fields here are {}", suggest::list(expected)),
            },
        ),
        Error::SerdeMissingField { field, .. } => Diagnostic::input(
            "missing-field",
            span,
            format!("missing required field `{field}`"),
        )
        .with_help(format!("add `{field}:` to this entry")),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => Diagnostic::input(
            "invalid-value",
            span.with_len(variant.chars().count()),
            format!("`{variant}` is not one of the allowed values"),
        )
        .with_help(
            match suggest::did_you_mean(variant, expected.iter().copied()) {
                Some(best) => format!(
                    "did you mean `{best}`? allowed: {}",
                    suggest::list(expected)
                ),
                None => format!("allowed: {}", suggest::list(expected)),
            },
        ),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => Diagnostic::input(
            "wrong-type",
            span,
            format!("expected {expected}, found {unexpected}"),
        ),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            Diagnostic::input(
                "duplicate-key",
                span.with_len(key.chars().count()),
                format!("`{key}` is written twice in the same mapping"),
            )
            .with_label("second occurrence")
            .with_help("keep one of them; YAML would silently drop the other")
        }
        Error::InvalidScalar { ty, .. } => {
            let expected = match *ty {
                "f32" | "f64" => "a number",
                "bool" => "`true` or `false`",
                "char" => "a single character",
                t if t.starts_with('u') => "a whole number of zero or more",
                _ => "a whole number",
            };
            Diagnostic::input(
                "wrong-type",
                span.with_len(found.chars().count()),
                format!("expected {expected}, found `{found}`"),
            )
            .with_label(format!("expected {expected}"))
        }
        Error::InvalidBooleanStrict { .. } => {
            Diagnostic::input("wrong-type", span, "expected `true` or `false`").with_help(
                "YAML 1.2 booleans are `true` and `false`; `yes`, `no`, `on` and `off` are not",
            )
        }
        Error::Message { msg, .. }
            if msg.contains("is not a real date") || msg.contains("is not a date") =>
        {
            Diagnostic::input("invalid-date", span.with_len(10), msg.clone())
                .with_help("dates are written YYYY-MM-DD and must exist in the calendar")
        }
        Error::Budget { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => Diagnostic::input(
            "invalid-yaml",
            span,
            format!(
                "YAML document is too large or too deeply nested: {}",
                UserMessageFormatter.format_message(err)
            ),
        )
        .with_help("plans files are small; check for runaway aliases (`*name`) or nesting"),
        other
            if UserMessageFormatter
                .format_message(other)
                .contains("recursion limit") =>
        {
            Diagnostic::input(
                "invalid-yaml",
                span,
                "YAML is nested too deeply to be a plans file",
            )
            .with_label("nesting runs away here")
            .with_help("plans files nest a few levels; look for unbalanced `[` or `{`")
        }
        other => Diagnostic::input(
            "invalid-yaml",
            span,
            UserMessageFormatter.format_message(other).into_owned(),
        )
        .with_help("check the indentation and quoting around this line"),
    }
}

/// The scalar written at a 1-based line and column: up to a comment, a
/// flow delimiter or the end of the line.
fn token_at(text: &str, line: u64, col: u64) -> &str {
    let Some(line_text) = usize::try_from(line.saturating_sub(1))
        .ok()
        .and_then(|i| text.lines().nth(i))
    else {
        return "";
    };
    let start = line_text
        .char_indices()
        .nth(usize::try_from(col.saturating_sub(1)).unwrap_or(usize::MAX))
        .map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[start..];
    let end = rest
        .find(" #")
        .or_else(|| rest.find([',', ']', '}']))
        .unwrap_or(rest.len());
    rest[..end].trim_end()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Person {
        name: Spanned<String>,
        #[serde(default)]
        active: Option<bool>,
        #[allow(dead_code)]
        born: Option<Date>,
    }

    fn file() -> Arc<str> {
        Arc::from("team/ada.yaml")
    }

    #[test]
    fn spans_point_into_the_real_file() {
        let p: Person = parse("# note\nname: Ada\n", &file(), 3).unwrap();
        assert_eq!(p.name.value, "Ada");
        assert_eq!(p.name.pos, Pos { line: 2, col: 7 });
        assert!(p.active.is_none());
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let d = parse::<Person>("name: Ada\nnmae: x\n", &file(), 1).unwrap_err();
        assert_eq!(d.rule, "unknown-field");
        assert_eq!(d.span.as_ref().map(|s| (s.line, s.col)), Some((3, 1)));
        assert!(d.help.unwrap().starts_with("did you mean `name`?"));
    }

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
    fn impossible_dates_say_why() {
        let d = parse::<Person>("name: Ada\nborn: 2026-02-30\n", &file(), 0).unwrap_err();
        assert_eq!(d.rule, "invalid-date");
        assert!(
            d.message.contains("February 2026 has 28 days"),
            "{}",
            d.message
        );
        assert_eq!(d.span.unwrap().line, 2);
    }

    #[test]
    fn yes_is_not_a_boolean() {
        let d = parse::<Person>("name: Ada\nactive: yes\n", &file(), 0).unwrap_err();
        assert_eq!(d.rule, "wrong-type");
    }

    #[test]
    fn wrong_scalars_quote_what_was_written() {
        #[derive(Debug, Deserialize)]
        struct Firm {
            #[allow(dead_code)]
            month: u32,
        }
        let d = parse::<Firm>("month: january # FY start\n", &file(), 0).unwrap_err();
        assert_eq!(d.rule, "wrong-type");
        assert_eq!(
            d.message,
            "expected a whole number of zero or more, found `january`"
        );
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let d = parse::<Person>("name: Ada\nname: Bob\n", &file(), 0).unwrap_err();
        assert_eq!(d.rule, "duplicate-key");
        assert_eq!(d.span.unwrap().line, 2);
    }

    #[test]
    fn date_parse_messages() {
        assert!(Date::parse("2026-13-01")
            .unwrap_err()
            .contains("no month 13"));
        assert!(Date::parse("26-1-1").unwrap_err().contains("YYYY-MM-DD"));
        assert_eq!(Date::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
    }
}
