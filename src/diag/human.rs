//! The human format: rustc-style reports with the source line and a caret,
//! rendered with annotate-snippets. Source text is read back from disk only
//! for files that have a problem, so a clean run keeps no text in memory,
//! and only through the loader's reader: never through a link, never a
//! FIFO or a device, and never a file larger than the loader accepts (a
//! file refused for its size gets no snippet).

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::Path;

use annotate_snippets::renderer::DecorStyle;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use std::sync::Arc;

use super::{Cause, Diagnostic, Severity, Span};

/// Renders every problem, reading each affected file under `root` once.
/// Findings of one cause (see [`super::causes`]) are drawn once, at their
/// first place, with a note that counts and names the others.
pub fn render_human(root: &Path, diagnostics: &[Diagnostic], color: bool) -> String {
    let mut sources = Sources::new(root);
    let renderer = renderer(color);
    let mut out = String::new();
    for cause in super::causes(diagnostics) {
        let d = cause.first;
        let line = d.span.as_ref().and_then(|span| sources.line(span));
        out.push_str(&render_one(&renderer, d, line.as_deref(), &cause));
        out.push_str("\n\n");
    }
    out
}

/// The lines of the files with a problem, each file read once. Files stay
/// bytes: a finding in a 35 MB revenue.csv decodes one line, not the whole
/// file, and the next finding there does not scan again.
pub(super) struct Sources<'a> {
    root: &'a Path,
    files: HashMap<Arc<str>, Option<Lines>>,
}

impl<'a> Sources<'a> {
    pub(super) fn new(root: &'a Path) -> Sources<'a> {
        Sources {
            root,
            files: HashMap::new(),
        }
    }

    /// The text of the line `span` is on, if its file can be read.
    pub(super) fn line(&mut self, span: &Span) -> Option<Cow<'_, str>> {
        let root = self.root;
        self.files
            .entry(Arc::clone(&span.file))
            .or_insert_with(|| read_source(root, &span.file).map(Lines::new))
            .as_ref()?
            .line(span.line)
    }
}

/// The bytes of a file with a problem, read as the loader read them.
fn read_source(root: &Path, file: &str) -> Option<Vec<u8>> {
    let limit = crate::load::source_limit(file);
    crate::load::open::read_limited(&root.join(file), limit).ok()
}

/// A file's bytes and where each of its lines starts.
struct Lines {
    bytes: Vec<u8>,
    starts: Vec<usize>,
}

impl Lines {
    fn new(bytes: Vec<u8>) -> Lines {
        let breaks = memchr::memchr_iter(b'\n', &bytes).map(|at| at + 1);
        let starts = std::iter::once(0).chain(breaks).collect();
        Lines { bytes, starts }
    }

    /// Line `line` (1-based), without its line break; invalid UTF-8 shows
    /// as U+FFFD.
    fn line(&self, line: u32) -> Option<Cow<'_, str>> {
        let i = usize::try_from(line.checked_sub(1)?).ok()?;
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.bytes.len(), |next| next - 1);
        let raw = &self.bytes[start..end];
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        Some(String::from_utf8_lossy(raw))
    }
}

/// How problems are drawn: ASCII decorations, coloured when asked.
pub(super) fn renderer(color: bool) -> Renderer {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.decor_style(DecorStyle::Ascii)
}

/// The renderer's level for a severity.
pub(super) fn level(severity: Severity) -> Level<'static> {
    match severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    }
}

/// One diagnostic; `source` is the text of the line its span is on, and
/// `cause` the places that share its cause.
fn render_one(
    renderer: &Renderer,
    d: &Diagnostic,
    source: Option<&str>,
    cause: &Cause<'_>,
) -> String {
    let title = level(d.severity)
        .primary_title(d.message.as_str())
        .id(d.rule);
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
    if cause.count > 1 {
        group = group.element(Level::NOTE.message(cause.elsewhere("")));
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    if let Some(note) = &d.note {
        group = group.element(Level::NOTE.message(note.as_str()));
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
        let text = Lines::new(b"a: \xC2\xA315k\r\nb: x\n".to_vec());
        let line = text.line(1).unwrap();
        assert_eq!(line, "a: £15k");
        let ex = excerpt(&line, 4, 4);
        assert_eq!(&ex.line[ex.range], "£15k");
        assert_eq!(text.line(2).unwrap(), "b: x");
        assert_eq!(text.line(3).unwrap(), "");
    }

    #[test]
    fn excerpt_past_the_end_is_clamped() {
        let ex = excerpt("short", 40, 3);
        assert_eq!(ex.range, 5..5);
        let one = Lines::new(b"one line".to_vec());
        assert_eq!(one.line(1).unwrap(), "one line");
        assert!(one.line(2).is_none());
        assert!(one.line(0).is_none());
        assert_eq!(
            Lines::new(b"caf\xE9".to_vec()).line(1).unwrap(),
            "caf\u{FFFD}"
        );
    }
}
