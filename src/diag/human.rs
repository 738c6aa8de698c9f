//! The human format: rustc-style reports with the source line and a caret,
//! rendered with annotate-snippets. Source text is read back from disk only
//! for files that have a problem, so a clean run keeps no text in memory.

use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::{Diagnostic, Severity};

/// Renders every diagnostic, reading each affected file under `root` once.
pub fn render_human(root: &Path, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut sources: HashMap<&str, Option<String>> = HashMap::new();
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    }
    .decor_style(DecorStyle::Ascii);
    let mut out = String::new();
    for d in diagnostics {
        let source = d.span.as_ref().and_then(|span| {
            sources
                .entry(&span.file)
                .or_insert_with(|| read_lossy(&root.join(&*span.file)))
                .as_deref()
        });
        out.push_str(&render_one(&renderer, d, source));
        out.push_str("\n\n");
    }
    out
}

fn read_lossy(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

fn render_one(renderer: &Renderer, d: &Diagnostic, source: Option<&str>) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let title = level.primary_title(d.message.as_str()).id(d.rule);
    let mut group = Group::with_title(title);
    if let Some(span) = &d.span {
        match source.and_then(|text| excerpt(text, span.line, span.col, span.len)) {
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

/// The text of line `line` and the byte range of `len` characters from
/// column `col` in it (columns count characters, not bytes).
fn excerpt(text: &str, line: u32, col: u32, len: u32) -> Option<Excerpt<'_>> {
    let raw = text.split('\n').nth(line.checked_sub(1)? as usize)?;
    let raw = raw.strip_suffix('\r').unwrap_or(raw);
    // Keep snippets readable even for a 10 MB single-line value.
    let shown = truncate_chars(raw, 400);
    let start = byte_at_char(shown, col.saturating_sub(1) as usize);
    let end = byte_at_char(shown, (col.saturating_sub(1) + len.max(1)) as usize);
    let end = end.max((start + 1).min(shown.len())).min(shown.len());
    Some(Excerpt {
        line: shown,
        range: start.min(shown.len())..end,
    })
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
        let ex = excerpt("a: £15k\nb: x\n", 1, 4, 4).unwrap();
        assert_eq!(&ex.line[ex.range], "£15k");
    }

    #[test]
    fn excerpt_past_the_end_is_clamped() {
        let ex = excerpt("short", 1, 40, 3).unwrap();
        assert_eq!(ex.range, 5..5);
        assert!(excerpt("one line", 3, 1, 1).is_none());
    }
}
