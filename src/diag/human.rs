//! The human format: rustc-style reports with the source line and a caret,
//! rendered with annotate-snippets. Source text is read back from disk only
//! for files that have a problem, so a clean run keeps no text in memory.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// Renders every diagnostic, reading each affected file under `root` once.
pub fn render_human(root: &Path, diagnostics: &[Diagnostic], color: bool) -> String {
    // Files stay bytes: a finding in a 35 MB revenue.csv decodes one line,
    // not the whole file.
    let mut sources: HashMap<&str, Option<Vec<u8>>> = HashMap::new();
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for d in diagnostics {
        let line = d.span.as_ref().and_then(|span| {
            let bytes = sources
                .entry(&span.file)
                .or_insert_with(|| std::fs::read(root.join(&*span.file)).ok())
                .as_deref()?;
            nth_line(bytes, span.line)
        });
        out.push_str(&render_one(&renderer, d, line.as_deref()));
        out.push_str("\n\n");
    }
    out
}

/// Line `line` (1-based) of a file, without its line break; invalid UTF-8
/// shows as U+FFFD.
fn nth_line(bytes: &[u8], line: u32) -> Option<Cow<'_, str>> {
    let skip = usize::try_from(line.checked_sub(1)?).ok()?;
    let start = match skip {
        0 => 0,
        n => memchr::memchr_iter(b'\n', bytes).nth(n - 1)? + 1,
    };
    let rest = &bytes[start..];
    let raw = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
    Some(String::from_utf8_lossy(raw))
}

/// One diagnostic; `source` is the text of the line its span is on.
fn render_one(renderer: &Renderer, d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule);
    let mut group = Group::with_title(title);
    if let Some(span) = &d.span {
        match source.map(|line| excerpt(line, span.col, span.len)) {
            Some(ex) if span.len > 0 => {
                let mut annotation = AnnotationKind::Primary.span(ex.range);
                if let Some(label) = &d.label {
                    annotation = annotation.label(label.as_str());
                }
                group = group.element(
                    Snippet::source(ex.line)
                        .line_start(span.line as usize)
                        .path(span.file.to_string())
                        .annotation(annotation),
                );
            }
            _ => {
                group = group.element(Level::NOTE.no_name().message(format!("--> {span}")));
            }
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
}

struct Excerpt<'a> {
    line: &'a str,
    range: std::ops::Range<usize>,
}

/// The line, shortened, and the byte range of `len` characters from
/// column `col` in it (columns count characters, not bytes).
fn excerpt(raw: &str, col: u32, len: u32) -> Excerpt<'_> {
    // Keep snippets readable even for a 10 MB single-line value.
    let shown = truncate_chars(raw, 400);
    let start = byte_at_char(shown, col.saturating_sub(1) as usize);
    let end = byte_at_char(shown, (col.saturating_sub(1) + len.max(1)) as usize);
    let end = end.max((start + 1).min(shown.len())).min(shown.len());
    Excerpt {
        line: shown,
        range: start.min(shown.len())..end,
    }
}

fn truncate_chars(s: &str, max: usize) -> &str {
    &s[..byte_at_char(s, max)]
}

fn byte_at_char(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map_or(s.len(), |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_counts_characters_not_bytes() {
        let text = b"a: \xC2\xA315k\r\nb: x\n";
        let line = nth_line(text, 1).unwrap();
        assert_eq!(line, "a: £15k");
        let ex = excerpt(&line, 4, 4);
        assert_eq!(&ex.line[ex.range], "£15k");
        assert_eq!(nth_line(text, 2).unwrap(), "b: x");
        assert_eq!(nth_line(text, 3).unwrap(), "");
    }

    #[test]
    fn excerpt_past_the_end_is_clamped() {
        let ex = excerpt("short", 40, 3);
        assert_eq!(ex.range, 5..5);
        assert!(nth_line(b"one line", 3).is_none());
        assert!(nth_line(b"one line", 0).is_none());
        assert_eq!(nth_line(b"caf\xE9", 1).unwrap(), "caf\u{FFFD}");
    }
}
