//! The YAML facade: the only module that knows which YAML crate we use
//! (serde-saphyr). It parses one document into a serde type and turns the
//! crate's errors into our [`Diagnostic`], with the file name and the line
//! in the real file (front-matter offsets included).

use std::sync::Arc;

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_saphyr::{Error, MessageFormatter, UserMessageFormatter};

use super::recover::{Cut, Cuts};
use crate::diag::{Diagnostic, Span};
pub use crate::model::{Date, Pos, Spanned};
use crate::suggest;

/// A [`Spanned`] value reads its position from serde-saphyr: this is the
/// one place the model's types meet the YAML crate.
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

/// Parses one YAML document into `T`. `line_offset` is the number of lines
/// before the document in its file (the front-matter opening line).
pub fn parse<T: DeserializeOwned>(
    text: &str,
    file: &Arc<str>,
    line_offset: u32,
) -> Result<T, Diagnostic> {
    parse_all(text, file, line_offset).map_err(|mut found| found.swap_remove(0))
}

/// The most problems one YAML file reports: past that, one cause (a file
/// of the wrong kind, a broken indentation) is likelier than many.
pub const MAX_PROBLEMS: usize = 50;

/// [`parse`], reporting every problem of the document that can be found:
/// after each problem the value is cut out (see `load::recover`) and the
/// text parsed again, until it parses, a problem repeats, or the cuts
/// reach a place they do not understand. What the cuts leave is never
/// returned: a document with a problem yields only its problems.
pub fn parse_all<T: DeserializeOwned>(
    text: &str,
    file: &Arc<str>,
    line_offset: u32,
) -> Result<T, Vec<Diagnostic>> {
    let first = match from_str::<T>(text) {
        Ok(value) => return Ok(value),
        Err(err) => err,
    };
    // serde reads as the parser goes: a value of the wrong shape can stop
    // it before the parser reaches a syntax error further on that is the
    // real cause (a missing `:` makes a mapping a scalar). The syntax is
    // judged on its own first.
    if let Err(syntax) = from_str::<serde::de::IgnoredAny>(text) {
        return Err(vec![to_diagnostic(&syntax, text, file, line_offset)]);
    }
    let mut found = vec![to_diagnostic(&first, text, file, line_offset)];
    let mut cuts = Cuts::new(text);
    let mut removed: Vec<(String, usize, usize)> = Vec::new();
    let mut err = first;
    // Each round cuts something out; the rounds that find nothing new (a
    // needed field's container cut) are bounded too.
    let mut rounds = 0;
    while found.len() < MAX_PROBLEMS
        && rounds < 4 * MAX_PROBLEMS
        && cut(&mut cuts, &err, &mut removed)
    {
        rounds += 1;
        let now = cuts.text();
        let Err(next) = from_str::<T>(&now) else {
            break;
        };
        if let Error::SerdeMissingField { field, .. } = next.without_snippet() {
            if removed.iter().any(|(key, ..)| key == field) {
                // The cut took a field serde needs: cut what holds it.
                err = next;
                continue;
            }
        }
        let d = to_diagnostic(&next, &now, file, line_offset);
        let repeated = found
            .iter()
            .any(|f| f.span == d.span && f.message == d.message);
        // A syntax error now is the cuts' doing, not the file's.
        if repeated || d.rule == crate::diag::inputs::INVALID_YAML {
            break;
        }
        found.push(d);
        err = next;
    }
    Err(found)
}

/// Cuts the value `err` is about out of `cuts`; whether it could.
fn cut(cuts: &mut Cuts, err: &Error, removed: &mut Vec<(String, usize, usize)>) -> bool {
    let err = err.without_snippet();
    if let Error::SerdeMissingField { field, .. } = err {
        let Some(at) = removed.iter().rposition(|(key, ..)| key == field) else {
            return false;
        };
        let (_, line, col) = removed.remove(at);
        return record(cuts.container(line, col), removed);
    }
    let Some(loc) = err.location() else {
        return false;
    };
    let (line, col) = (
        usize::try_from(loc.line()).unwrap_or(0),
        usize::try_from(loc.column()).unwrap_or(0),
    );
    match err {
        Error::SerdeUnknownField { .. } | Error::DuplicateMappingKey { .. } => {
            record(cuts.entry(line, col), removed)
        }
        Error::SerdeUnknownVariant { .. }
        | Error::SerdeInvalidType { .. }
        | Error::SerdeInvalidValue { .. }
        | Error::SerdeInvalidLength { .. }
        | Error::NullIntoString { .. }
        | Error::InvalidScalar { .. }
        | Error::InvalidBooleanStrict { .. }
        | Error::Unexpected { .. }
        | Error::Message { .. } => record(cuts.value(line, col), removed),
        _ => false,
    }
}

/// Notes an entry a cut removed; whether anything was cut.
fn record(cut: Option<Cut>, removed: &mut Vec<(String, usize, usize)>) -> bool {
    match cut {
        Some(Cut::Entry { key, line, col }) => {
            removed.push((key, line, col));
            true
        }
        Some(Cut::Item) => true,
        None => false,
    }
}

fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, Error> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
    };
    serde_saphyr::from_str_with_options(text, options)
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
        } => unknown_field(span, field, expected),
        Error::SerdeMissingField { field, .. } => Diagnostic::input(
            crate::diag::inputs::MISSING_FIELD,
            span,
            format!("missing required field `{field}`"),
        )
        .with_help(format!("add `{field}:` to this entry")),
        Error::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_variant(span, variant, expected),
        Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => Diagnostic::input(
            crate::diag::inputs::WRONG_TYPE,
            span,
            format!("expected {expected}, found {unexpected}"),
        ),
        Error::DuplicateMappingKey { key, .. } => {
            let key = key.as_deref().unwrap_or("this key");
            Diagnostic::input(
                crate::diag::inputs::DUPLICATE_KEY,
                span.with_len(key.chars().count()),
                format!("`{key}` is written twice in the same mapping"),
            )
            .with_label("second occurrence")
            .with_help("keep one of them; YAML would silently drop the other")
        }
        Error::InvalidScalar { ty, .. } => invalid_scalar(span, ty, found),
        Error::Unexpected { expected, .. } if shape(expected).is_some() => {
            let (want, how) = shape(expected).unwrap_or_default();
            Diagnostic::input(
                crate::diag::inputs::WRONG_TYPE,
                span.with_len(found.chars().count().max(1)),
                format!("expected {want} here"),
            )
            .with_label(format!("expected {want}"))
            .with_help(how)
        }
        Error::InvalidBooleanStrict { .. } => Diagnostic::input(
            crate::diag::inputs::WRONG_TYPE,
            span,
            "expected `true` or `false`",
        )
        .with_help("YAML 1.2 booleans are `true` and `false`; `yes`, `no`, `on` and `off` are not"),
        Error::Message { msg, .. }
            if msg.contains("is not a real date") || msg.contains("is not a date") =>
        {
            Diagnostic::input(
                crate::diag::inputs::INVALID_DATE,
                span.with_len(10),
                msg.clone(),
            )
            .with_help("dates are written YYYY-MM-DD and must exist in the calendar")
        }
        Error::Message { msg, .. } if msg.starts_with(crate::model::service::TARGET) => {
            Diagnostic::input(
                crate::diag::inputs::INVALID_VALUE,
                span,
                msg.trim_start_matches(crate::model::service::TARGET).to_string(),
            )
            .with_label("this target")
            .with_help("write one of `{ count: [meeting], per: quarter, at_least: 1, by: owner }`, `{ contact_every_days: 30 }`, `{ call_report_days: 2 }`, `{ review_every: month }` or `{ allies_at_least: 2 }`")
        }
        other => syntax(span, other),
    }
}

/// What a value of the wrong shape should have been, and how to write
/// it, from what serde-saphyr expected instead.
fn shape(expected: &str) -> Option<(&'static str, &'static str)> {
    match expected {
        "sequence start" => Some((
            "a list",
            "write a list as `[a, b]`, or one item per line starting with `- `",
        )),
        "mapping start" | "empty mapping start" => Some((
            "fields (`name: value`, one per line, indented below)",
            "write the fields indented below this key, each as `name: value`",
        )),
        "string scalar" | "scalar" => Some((
            "a single value",
            "write one value here, not a list or fields",
        )),
        _ => None,
    }
}

/// A field this kind of file does not have, with the closest one.
fn unknown_field(span: Span, field: &str, expected: &[&str]) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::UNKNOWN_FIELD,
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
    )
}

/// A value outside its list, with the closest allowed one.
fn unknown_variant(span: Span, variant: &str, expected: &[&str]) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::INVALID_VALUE,
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
    )
}

/// A scalar that is not of the type the field needs, quoting what was written.
fn invalid_scalar(span: Span, ty: &str, found: &str) -> Diagnostic {
    let expected = match ty {
        "f32" | "f64" | "floating point" => "a number",
        "bool" | "boolean" => "`true` or `false`",
        "char" => "a single character",
        t if t.starts_with('u') => "a whole number of zero or more",
        _ => "a whole number",
    };
    Diagnostic::input(
        crate::diag::inputs::WRONG_TYPE,
        span.with_len(found.chars().count()),
        format!("expected {expected}, found `{found}`"),
    )
    .with_label(format!("expected {expected}"))
}

/// The document itself is not usable YAML: a syntax error, or over the
/// parser's budget.
fn syntax(span: Span, err: &Error) -> Diagnostic {
    match err {
        Error::Budget { .. }
        | Error::AliasReplayLimitExceeded { .. }
        | Error::AliasExpansionLimitExceeded { .. }
        | Error::AliasReplayStackDepthExceeded { .. } => Diagnostic::input(
            crate::diag::inputs::INVALID_YAML,
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
                crate::diag::inputs::INVALID_YAML,
                span,
                "YAML is nested too deeply to be a plans file",
            )
            .with_label("nesting runs away here")
            .with_help("plans files nest a few levels; look for unbalanced `[` or `{`")
        }
        other => Diagnostic::input(
            crate::diag::inputs::INVALID_YAML,
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
    // A comma ends a value only inside `[...]` or `{...}`: `12,000` is
    // one value in a block.
    let in_flow = line_text[..start].contains(['[', '{']);
    let end = rest
        .find(" #")
        .or_else(|| in_flow.then(|| rest.find([',', ']', '}'])).flatten())
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
    fn a_number_with_a_comma_is_quoted_whole() {
        #[derive(Debug, Deserialize)]
        struct Client {
            #[allow(dead_code)]
            wallet: Spanned<f64>,
        }
        let d = parse::<Client>("wallet: 12,000 # GBP\n", &file(), 0).unwrap_err();
        assert_eq!(d.message, "expected a number, found `12,000`");
    }

    #[test]
    fn duplicate_keys_are_rejected() {
        let d = parse::<Person>("name: Ada\nname: Bob\n", &file(), 0).unwrap_err();
        assert_eq!(d.rule, "duplicate-key");
        assert_eq!(d.span.unwrap().line, 2);
    }
}
