//! Stage 1: walk a plans repository, parse every file and build the
//! [`Model`]. Parsing runs on all cores, one client folder per task. Every
//! value a rule may complain about keeps its position; every problem found
//! here is a diagnostic, and loading goes on past it.

mod cache;
mod client;
pub mod open;
mod source;
mod table;
mod tables;
pub mod yaml;

pub use cache::{Cache, Changes};
pub use client::{load_client, MAX_DOCUMENT_BYTES};
pub use source::{decode, split_front_matter};
pub use tables::parse_table;

use std::path::Path;
use std::sync::Arc;

use crate::diag::{Diagnostic, Span};
use crate::model::{Financials, Model};
use client::read_yaml;
use table::read_rows;

/// A loaded repository: the model and every problem met while reading it.
pub struct Loaded {
    pub model: Model,
    pub diagnostics: Vec<Diagnostic>,
}

/// Loads the repository at `root`. Fails only when `root` is not a folder.
pub fn load(root: &Path) -> Result<Loaded, Diagnostic> {
    let cache = Cache::load(root)?;
    let diagnostics = cache.diagnostics();
    Ok(Loaded {
        model: cache.model,
        diagnostics,
    })
}

pub(crate) fn required_yaml<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Arc<str>,
) -> Result<T, Diagnostic> {
    if std::fs::symlink_metadata(root.join(&**rel)).is_err() {
        return Err(Diagnostic::input("missing-file", Span::file(rel), format!("`{rel}` is missing"))
            .with_help("every plans repository has firm.yaml and charter.yaml at its top; `clientele init` writes both"));
    }
    read_yaml(root, rel)
}

/// The most bytes the loader reads of `rel`: CSV tables may be large,
/// YAML and Markdown files may not.
pub fn source_limit(rel: &str) -> u64 {
    if rel.ends_with(".csv") {
        source::MAX_TABLE_BYTES
    } else {
        source::MAX_TEXT_BYTES
    }
}

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
                    "invalid-id",
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

/// Ids become URLs and file names: lower-case letters, digits, `-`, `_`, `.`.
fn check_id(id: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'))
        && id.starts_with(|c: char| c.is_ascii_alphanumeric());
    if ok {
        return Ok(());
    }
    let slug = slugify(id);
    if slug.is_empty() {
        Err(String::from(
            "rename it with lower-case letters, digits and dashes",
        ))
    } else {
        Err(format!("rename it `{slug}`: ids use lower-case letters, digits and dashes, and start with a letter or digit"))
    }
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

/// `financials/*.csv`, and the problems met reading them.
pub(crate) fn load_financials(root: &Path) -> (Financials, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut fin = Financials::default();
    let exists = |rel: &str| std::fs::symlink_metadata(root.join(rel)).is_ok();
    let (revenue, budget, costs): (Arc<str>, Arc<str>, Arc<str>) = (
        Arc::from("financials/revenue.csv"),
        Arc::from("financials/budget.csv"),
        Arc::from("financials/costs.csv"),
    );
    if exists(&revenue) {
        let rows = &mut fin.revenue;
        diags.extend(read_rows(
            root,
            &revenue,
            tables::REVENUE,
            tables::revenue_row,
            rows,
        ));
    }
    if exists(&budget) {
        let rows = &mut fin.budget;
        diags.extend(read_rows(
            root,
            &budget,
            tables::PERIODIC,
            tables::budget_row,
            rows,
        ));
    }
    if exists(&costs) {
        let rows = &mut fin.costs;
        diags.extend(read_rows(
            root,
            &costs,
            tables::PERIODIC,
            tables::cost_row,
            rows,
        ));
    }
    (fin, diags)
}
