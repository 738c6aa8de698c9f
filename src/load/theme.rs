//! What a repository's `themes/` folder holds that the build will not use:
//! a template named like none of the default theme's overrides nothing,
//! and a misnamed folder is never read. Both are reported, as `check`
//! runs without compiling the theme.

use std::path::Path;
use std::sync::Arc;

use super::client::unknown_file;
use crate::diag::Diagnostic;
use crate::suggest;

/// A warning for every file under `themes/templates/` that overrides no
/// template, and every entry of `themes/` other than `templates/` and
/// `static/`.
pub fn theme_problems(root: &Path) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let themes = root.join("themes");
    let Ok(read) = std::fs::read_dir(&themes) else {
        return found;
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
    for (name, is_dir) in entries {
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
