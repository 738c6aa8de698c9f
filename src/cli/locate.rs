//! Which content folder a command works on, found the way cargo finds
//! `Cargo.toml`: the folder given (`DIR` or `--dir`), else the nearest
//! folder at or above the working one that holds `firm.yaml`, or whose
//! `content/` does.

use std::path::{Path, PathBuf};

use crate::diag::CommandError;

/// The content folder: `given`, else the one found from `start` upward,
/// as a path relative to `start` (`.`, `content`, `../..`), so reports
/// name files as the user sees them.
pub fn content_dir(given: Option<&Path>, start: &Path) -> Result<PathBuf, CommandError> {
    if let Some(dir) = given {
        return Ok(dir.to_path_buf());
    }
    for (up, folder) in start.ancestors().enumerate() {
        let back = || -> PathBuf {
            if up == 0 {
                PathBuf::from(".")
            } else {
                std::iter::repeat_n("..", up).collect()
            }
        };
        if folder.join("firm.yaml").is_file() {
            return Ok(back());
        }
        if folder.join("content/firm.yaml").is_file() {
            return Ok(if up == 0 {
                PathBuf::from("content")
            } else {
                back().join("content")
            });
        }
    }
    Err(CommandError::new(
        "content",
        format!(
        "could not find `firm.yaml` in `{}` or any folder above it, nor in a `content/` folder beside them",
        start.display()
    ),
    )
    .help("run clientele inside a plans repository, give its content folder (`clientele check path/to/content` or `--dir path/to/content`), or make one with `clientele init`"))
}

/// [`content_dir`] from the working folder.
pub fn content_dir_here(given: Option<&Path>) -> Result<PathBuf, CommandError> {
    if given.is_some() {
        return content_dir(given, Path::new("."));
    }
    let here = std::env::current_dir().map_err(|e| {
        CommandError::new("content", format!("cannot read the working folder: {e}"))
    })?;
    content_dir(None, &here)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn found_at_above_or_beside() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path();
        let deep = repo.join("content/clients/acme/activities");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(repo.join("content/firm.yaml"), "name: X\n").unwrap();
        let found = |from: &Path| content_dir(None, from).unwrap();
        assert_eq!(found(repo), Path::new("content"));
        assert_eq!(found(&repo.join("content")), Path::new("."));
        assert_eq!(found(&deep), Path::new("../../.."));
        std::fs::create_dir_all(repo.join("docs")).unwrap();
        assert_eq!(found(&repo.join("docs")), Path::new("../content"));
        assert_eq!(
            content_dir(Some(Path::new("elsewhere")), repo).unwrap(),
            Path::new("elsewhere")
        );
        let none = tempfile::tempdir().unwrap();
        let err = content_dir(None, none.path()).unwrap_err();
        assert!(err.message.contains("could not find `firm.yaml`"));
    }
}
