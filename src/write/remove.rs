//! Deleting a staging folder that a build of clientele made and did not
//! finish, on all cores. Links are removed, never followed.

use std::fs;
use std::io;
use std::path::Path;

use rayon::prelude::*;

/// Removes `dir` and everything under it, like [`fs::remove_dir_all`]:
/// links are removed, never followed. `dir` itself must be a folder, not
/// a link to one. The entries of `dir` and of its folders go in parallel;
/// deeper trees are left to `remove_dir_all`, which opens each folder
/// relative to its parent so a folder swapped for a link cannot redirect it.
pub fn remove_tree(dir: &Path) -> io::Result<()> {
    remove_levels(dir, 2)
}

fn remove_levels(dir: &Path, levels: u32) -> io::Result<()> {
    if !fs::symlink_metadata(dir)?.is_dir() {
        return Err(io::Error::other(format!(
            "`{}` is not a folder; refusing to delete through it",
            dir.display()
        )));
    }
    if levels == 0 {
        return fs::remove_dir_all(dir);
    }
    let entries = fs::read_dir(dir)?.collect::<io::Result<Vec<_>>>()?;
    entries.par_iter().try_for_each(|entry| {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            remove_levels(&path, levels - 1)
        } else {
            fs::remove_file(&path)
        }
    })?;
    fs::remove_dir(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_a_tree_but_not_what_its_links_point_to() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join("keep");
        fs::create_dir(&keep).unwrap();
        fs::write(keep.join("page.html"), "kept").unwrap();
        let old = tmp.path().join("old");
        for i in 0..50 {
            let d = old.join(format!("clients/c{i:02}/deeper/still"));
            fs::create_dir_all(&d).unwrap();
            fs::write(d.join("index.html"), "x").unwrap();
            fs::write(old.join(format!("clients/c{i:02}/index.html")), "x").unwrap();
        }
        fs::write(old.join("index.html"), "x").unwrap();
        std::os::unix::fs::symlink(&keep, old.join("clients/link")).unwrap();
        remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(fs::read_to_string(keep.join("page.html")).unwrap(), "kept");
    }

    #[test]
    fn a_link_to_a_folder_is_refused_not_emptied() {
        let tmp = tempfile::tempdir().unwrap();
        let keep = tmp.path().join("keep");
        fs::create_dir(&keep).unwrap();
        fs::write(keep.join("page.html"), "kept").unwrap();
        let link = tmp.path().join("staged");
        std::os::unix::fs::symlink(&keep, &link).unwrap();
        assert!(remove_tree(&link).is_err());
        assert_eq!(fs::read_to_string(keep.join("page.html")).unwrap(), "kept");
    }
}
