//! Reading one file as text and splitting Markdown front matter. Every
//! failure is a diagnostic that points into the file.

use std::path::Path;
use std::sync::Arc;

use super::open::{self, OpenError};
use crate::diag::{Diagnostic, Span};

/// Files larger than this are not plans: they are refused, not parsed.
pub const MAX_TEXT_BYTES: u64 = 4 * 1024 * 1024;

/// The largest CSV table read into memory whole: years of captured
/// interactions for one client fit many times over.
pub const MAX_TABLE_BYTES: u64 = 256 * 1024 * 1024;

/// Reads `root/rel` as UTF-8 text, without a byte-order mark.
pub fn read_text(root: &Path, rel: &Arc<str>, limit: u64) -> Result<String, Diagnostic> {
    read_listed(root, rel, limit)
}

/// Reads a file as text: one `open`, never through a link, never a FIFO
/// or a device (see [`super::open`]), and never more than `limit` bytes.
pub fn read_listed(root: &Path, rel: &Arc<str>, limit: u64) -> Result<String, Diagnostic> {
    let bytes = read_bytes(root, rel, limit)?;
    decode(bytes, rel)
}

/// The bytes of a file, with the same checks as [`read_listed`].
pub fn read_bytes(root: &Path, rel: &Arc<str>, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    open::read_limited(&root.join(&**rel), limit).map_err(|e| open_error(rel, e, limit))
}

/// The diagnostic for a file [`open::regular`] refused.
pub fn open_error(rel: &Arc<str>, err: OpenError, limit: u64) -> Diagnostic {
    match err {
        OpenError::Link => symlink(rel),
        OpenError::TooLarge(len) => too_large(rel, len, limit),
        OpenError::NotRegular(kind) => not_regular(rel, kind),
        OpenError::Io(e) => io_error(rel, &e),
    }
}

/// A FIFO, socket or device where a file belongs.
pub fn not_regular(rel: &Arc<str>, kind: &str) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::UNREADABLE_FILE,
        Span::file(rel),
        format!("`{rel}` is a {kind}, not a regular file"),
    )
    .with_help("clientele reads only regular files; remove it or replace it with a file")
}

fn too_large(rel: &Arc<str>, len: u64, limit: u64) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::FILE_TOO_LARGE,
        Span::file(rel),
        format!(
            "`{rel}` is {} MiB; clientele reads files of at most {} MiB",
            len >> 20,
            limit >> 20
        ),
    )
    .with_help("split the file, or move large attachments to the client's documents/ folder")
}

/// Checks the bytes are text: UTF-8, no NUL. Strips a byte-order mark.
pub fn decode(mut bytes: Vec<u8>, rel: &Arc<str>) -> Result<String, Diagnostic> {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        let (line, col) = line_col(&bytes, at);
        return Err(Diagnostic::input(
            crate::diag::inputs::INVALID_TEXT,
            Span::new(rel, line, col),
            format!("`{rel}` contains a NUL byte; it looks like a binary file"),
        )
        .with_help(
            "plans files are UTF-8 text; move binary files to the client's documents/ folder",
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let (line, col) = line_col(e.as_bytes(), at);
        Diagnostic::input(
            crate::diag::inputs::INVALID_TEXT,
            Span::new(rel, line, col),
            format!(
                "`{rel}` is not valid UTF-8 (byte 0x{:02X})",
                e.as_bytes()[at]
            ),
        )
        .with_help("save the file as UTF-8; editors call this \"UTF-8\" or \"Unicode\"")
    })
}

/// 1-based line and character column of byte `at`.
fn line_col(bytes: &[u8], at: usize) -> (u32, u32) {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (to_u32(line), to_u32(col))
}

pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

pub fn io_error(rel: &Arc<str>, err: &std::io::Error) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::UNREADABLE_FILE,
        Span::file(rel),
        format!("cannot read `{rel}`: {err}"),
    )
}

pub fn symlink(rel: &Arc<str>) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::SYMLINK,
        Span::file(rel),
        format!("`{rel}` is a symbolic link; clientele does not follow links"),
    )
    .with_help("copy the file into the repository instead, so the portal cannot expose files from elsewhere")
}

/// A Markdown file split into YAML front matter and body.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatter<'a> {
    pub yaml: &'a str,
    /// Lines before the YAML in the file (the opening `---`).
    pub yaml_offset: u32,
    pub body: &'a str,
    /// 1-based line the body starts on.
    pub body_line: u32,
}

/// Splits `---\n<yaml>\n---\n<body>`. The closing line may also be `...`.
pub fn split_front_matter<'a>(
    text: &'a str,
    rel: &Arc<str>,
) -> Result<FrontMatter<'a>, Diagnostic> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    if first.trim_end() != "---" {
        return Err(Diagnostic::input(
            crate::diag::inputs::FRONT_MATTER,
            Span::new(rel, 1, 1).with_len(first.trim_end().chars().count().max(1)),
            format!("`{rel}` does not start with front matter"),
        )
        .with_label("expected `---` here")
        .with_help("start the file with a line `---`, the YAML fields, and another line `---`; the Markdown goes after"));
    }
    let yaml_start = first.len();
    let mut offset = yaml_start;
    let mut line_no: u32 = 1;
    for line in lines {
        line_no += 1;
        let trimmed = line.trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Ok(FrontMatter {
                yaml: &text[yaml_start..offset],
                yaml_offset: 1,
                body: &text[offset + line.len()..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::input(
        crate::diag::inputs::FRONT_MATTER,
        Span::new(rel, 1, 1).with_len(3),
        format!("the front matter of `{rel}` never closes"),
    )
    .with_label("opened here")
    .with_help("add a line `---` after the last YAML field"))
}

/// The most bytes the loader reads of `rel`: CSV tables may be large,
/// YAML and Markdown files may not.
pub fn source_limit(rel: &str) -> u64 {
    if rel.ends_with(".csv") {
        MAX_TABLE_BYTES
    } else {
        MAX_TEXT_BYTES
    }
}

pub(crate) fn required_yaml<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Arc<str>,
) -> Result<T, Vec<Diagnostic>> {
    if std::fs::symlink_metadata(root.join(&**rel)).is_err() {
        return Err(vec![Diagnostic::input(crate::diag::inputs::MISSING_FILE, Span::file(rel), format!("`{rel}` is missing"))
            .with_help("every plans repository has firm.yaml and charter.yaml at its top; `clientele init` writes both")]);
    }
    super::client::read_yaml(root, rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel() -> Arc<str> {
        Arc::from("clients/a/plan.md")
    }

    #[test]
    fn splits_front_matter_with_line_numbers() {
        let fm = split_front_matter("---\na: 1\nb: 2\n---\n# Body\n", &rel()).unwrap();
        assert_eq!(fm.yaml, "a: 1\nb: 2\n");
        assert_eq!(fm.body, "# Body\n");
        assert_eq!(fm.body_line, 5);
    }

    #[test]
    fn crlf_and_dots_close_front_matter() {
        let fm = split_front_matter("---\r\na: 1\r\n...\r\nbody", &rel()).unwrap();
        assert_eq!(fm.yaml, "a: 1\r\n");
        assert_eq!(fm.body, "body");
    }

    #[test]
    fn unclosed_front_matter_points_at_the_opening() {
        let d = split_front_matter("---\na: 1\n", &rel()).unwrap_err();
        assert_eq!(d.rule, "front-matter");
        assert!(d.message.contains("never closes"));
    }

    #[test]
    fn bad_utf8_is_located() {
        let d = decode(b"name: ok\nx: caf\xE9\n".to_vec(), &rel()).unwrap_err();
        assert_eq!(d.rule, "invalid-text");
        let span = d.span.unwrap();
        assert_eq!((span.line, span.col), (2, 7));
    }

    #[test]
    fn bom_is_stripped() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFa: 1".to_vec(), &rel()).unwrap(),
            "a: 1"
        );
    }
}
