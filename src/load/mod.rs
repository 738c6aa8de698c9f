//! Stage 1: walk a plans repository, parse every file and build the
//! [`Model`]. Parsing runs on all cores, one client folder per task. Every
//! value a rule may complain about keeps its position; every problem found
//! here is a diagnostic, and loading goes on past it.

mod cache;
mod client;
pub(crate) mod csv_reader;
mod datasets;
pub use datasets::MARKET_DIR;
mod financials;
mod history;
pub use history::{changed_files, disable as disable_git, FolderChange, GitHistory, MAX_COMMITS};
mod listing;
pub mod open;
mod recover;
mod source;
pub(crate) mod tables;
mod unread;
pub mod yaml;

pub use cache::{Cache, Changes};
pub use client::{load_client, MAX_DOCUMENT_BYTES};
pub use csv_reader::place_cells;
pub(crate) use listing::{is_hidden_path, is_ignored, list_dir, Entry};
pub use listing::{is_valid_id, slugify};
pub(crate) use source::required_yaml;
pub use source::{decode, source_limit, split_front_matter, MAX_TABLE_BYTES};
pub use tables::parse_table;

use std::path::Path;

use crate::diag::Diagnostic;
use crate::model::Model;

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
