//! What a repository holds that clientele will not read, reported as
//! `unknown-file` warnings rather than silently left out: a misnamed
//! top-level file or folder (`strategy.yml`, `client/`), a table in
//! `financials/` that is none of its three, a file in `team/` that is not
//! YAML, and in `themes/` a misnamed folder or a template that overrides
//! nothing (`check` runs without compiling the theme). Client folders are
//! judged where they are read (`load/client.rs`).

use std::path::Path;
use std::sync::Arc;

use super::client::unknown_file;
use crate::diag::Diagnostic;
use crate::suggest;

/// What the top of a content folder holds: each name, and whether it is a
/// folder.
const TOP: [(&str, bool); 7] = [
    ("firm.yaml", false),
    ("charter.yaml", false),
    ("strategy.yaml", false),
    ("team", true),
    ("clients", true),
    ("financials", true),
    ("themes", true),
];

/// The entries of `root/dir` that are not hidden, sorted, with whether
/// each is a folder.
fn entries(root: &Path, dir: &str) -> Vec<(String, bool)> {
    let Ok(read) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    let mut entries: Vec<(String, bool)> = read
        .flatten()
        .filter_map(|e| {
            let kind = e.file_type().ok()?;
            Some((e.file_name().to_string_lossy().into_owned(), kind.is_dir()))
        })
        .filter(|(name, _)| !super::is_ignored(name))
        .collect();
    entries.sort();
    entries
}

/// Misnamed entries at the top of the content folder. The folder may be a
/// whole repository (README, CI files), so only names close to one
/// clientele reads are reported.
pub fn layout_problems(root: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (name, is_dir) in entries(root, ".") {
        if TOP.contains(&(name.as_str(), is_dir)) {
            continue;
        }
        // A file is compared with files, a folder with folders.
        let known = TOP.iter().filter(|(_, d)| *d == is_dir).map(|(n, _)| *n);
        let Some(best) = suggest::did_you_mean(&name, known) else {
            continue;
        };
        let shown = if is_dir {
            format!("{name}/")
        } else {
            name.clone()
        };
        let help = format!("did you mean `{best}{}`?", if is_dir { "/" } else { "" });
        found.push(unknown_file(&Arc::from(name.as_str()), &shown, help));
    }
    for (name, is_dir) in entries(root, "financials") {
        const TABLES: [&str; 3] = ["revenue.csv", "budget.csv", "costs.csv"];
        if (!is_dir && TABLES.contains(&name.as_str())) || (is_dir && name == "market") {
            continue;
        }
        let help = match suggest::did_you_mean(&name, TABLES) {
            Some(best) => format!("did you mean `{best}`?"),
            None => String::from("financials/ holds revenue.csv, budget.csv, costs.csv and the firm-wide datasets in market/"),
        };
        let shown = if is_dir {
            format!("{name}/")
        } else {
            name.clone()
        };
        found.push(unknown_file(
            &Arc::from(format!("financials/{name}")),
            &shown,
            help,
        ));
    }
    for (name, is_dir) in entries(root, "team") {
        if !is_dir && (name.ends_with(".yaml") || name.ends_with(".yml")) {
            continue;
        }
        let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
        let help = if is_dir {
            String::from("team/ holds one `<id>.yaml` per person, not folders")
        } else {
            format!("a person is a YAML file: rename it `{stem}.yaml`")
        };
        let shown = if is_dir {
            format!("{name}/")
        } else {
            name.clone()
        };
        found.push(unknown_file(
            &Arc::from(format!("team/{name}")),
            &shown,
            help,
        ));
    }
    found
}

/// A warning for every file under `themes/templates/` that overrides no
/// template, and every entry of `themes/` other than `templates/` and
/// `static/`.
pub fn theme_problems(root: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let themes = root.join("themes");
    for (name, is_dir) in entries(root, "themes") {
        if is_dir && (name == "templates" || name == "static") {
            continue;
        }
        let shown = if is_dir {
            format!("{name}/")
        } else {
            name.clone()
        };
        let help = match suggest::did_you_mean(&name, ["templates", "static"]) {
            Some(best) => format!("did you mean `{best}/`?"),
            None => String::from("a theme holds templates/ (overrides of the default templates) and static/ (style sheets, images and scripts copied as they are)"),
        };
        found.push(unknown_file(
            &Arc::from(format!("themes/{name}")),
            &shown,
            help,
        ));
    }
    let templates = themes.join("templates");
    let walk = walkdir::WalkDir::new(&templates)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !super::is_ignored(&e.file_name().to_string_lossy()));
    let known: Vec<&str> = crate::site::theme::template_names().collect();
    for entry in walk.flatten() {
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&templates) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if known.contains(&name.as_str()) {
            continue;
        }
        let help = match suggest::did_you_mean(&name, known.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? a template overrides the default one of the same name"
            ),
            None => format!(
                "it overrides none of the default templates: {}",
                suggest::list(&known)
            ),
        };
        let rel: Arc<str> = Arc::from(format!("themes/templates/{name}"));
        found.push(unknown_file(&rel, &name, help));
    }
    found
}
