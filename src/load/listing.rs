//! Listing a folder of the repository: which entries are content, which
//! are editor leftovers or hidden, and which names can be ids.

use std::path::Path;
use std::sync::Arc;

use super::{open, source};
use crate::diag::{Diagnostic, Span};

/// One entry of a listed folder.
pub(crate) struct Entry {
    /// Path relative to the content root.
    pub rel: Arc<str>,
    /// File name without extension: the id.
    pub stem: String,
    pub is_file: bool,
}

/// Editor leftovers and hidden files that are never content: a name
/// starting with `.` or `#`, or ending in `~`, `.swp` or `.tmp`.
pub(crate) fn is_ignored(name: &str) -> bool {
    let base = name.rsplit('/').next().unwrap_or(name);
    base.starts_with('.')
        || base.starts_with('#')
        || base.ends_with('~')
        || base.ends_with(".swp")
        || base.ends_with(".tmp")
}

/// Whether any component of a `/`-separated path is ignored: nothing under
/// `.git/` or `.private/` is content, however deep.
pub(crate) fn is_hidden_path(rel: &str) -> bool {
    rel.split('/').any(is_ignored)
}

/// Lists `root/dir` sorted by name; ids are checked and symlinks refused.
pub(crate) fn list_dir(root: &Path, dir: &str, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut entries = Vec::new();
    for item in read.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        if is_ignored(&name) {
            continue;
        }
        let rel: Arc<str> = Arc::from(format!("{dir}/{name}"));
        let Ok(kind) = item.file_type() else { continue };
        if kind.is_symlink() {
            diags.push(source::symlink(&rel));
            continue;
        }
        if let Some(special) = open::special_kind(kind) {
            diags.push(source::not_regular(&rel, special));
            continue;
        }
        let stem = if kind.is_file() {
            name.rsplit_once('.')
                .map_or(name.as_str(), |(s, _)| s)
                .to_string()
        } else {
            name.clone()
        };
        if let Err(help) = check_id(&stem) {
            diags.push(
                Diagnostic::input(
                    crate::diag::inputs::INVALID_ID,
                    Span::file(&rel),
                    format!("`{name}` is not a usable id"),
                )
                .with_help(help),
            );
            continue;
        }
        entries.push(Entry {
            rel,
            stem,
            is_file: kind.is_file(),
        });
    }
    entries.sort_by(|a, b| a.rel.cmp(&b.rel));
    entries
}

/// Whether `id` can be an id. Ids become URLs and file names: lower-case
/// letters, digits, `-`, `_` and `.`, starting with a letter or digit.
pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && id.starts_with(|c: char| c.is_ascii_alphanumeric())
}

/// [`is_valid_id`], with how to rename a name that is not.
fn check_id(id: &str) -> Result<(), crate::model::Invalid> {
    if is_valid_id(id) {
        return Ok(());
    }
    let slug = slugify(id);
    Err(crate::model::Invalid(if slug.is_empty() {
        String::from("rename it with lower-case letters, digits and dashes")
    } else {
        format!("rename it `{slug}`: ids use lower-case letters, digits and dashes, and start with a letter or digit")
    }))
}

/// `Acme Asset Mgmt` -> `acme-asset-mgmt`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}
