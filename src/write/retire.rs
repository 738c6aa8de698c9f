//! Retiring a replaced output: deleting exactly the files its manifest
//! says a build wrote, and moving everything else (a `CNAME`, a `.git`
//! folder, a page added by hand) into the output that replaces it. This is
//! the only place an output is deleted, and it never reads a folder it
//! did not list or deletes a name the manifest does not hold, so a link
//! or a file of the person's can only ever be moved, never followed or
//! lost. The deletion runs on all cores: the benchmark firm's site is
//! a folder per client, and one thread unlinking them was the build's
//! serial tail (0.2 s, the other core idle).

use std::collections::HashSet;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::sink::Previous;
use super::{MANIFEST, MARKER};

/// Deletes what clientele wrote in `old` and moves the rest into `into`.
/// Returns the paths left in `old` because `into` holds the same name; the
/// marker is then gone from `old`, so no later build deletes them either.
pub fn retire(old: &Path, into: &Path) -> io::Result<Vec<PathBuf>> {
    let meta = fs::symlink_metadata(old)?;
    if !meta.is_dir() {
        return Err(io::Error::other("not a folder"));
    }
    let files: Vec<String> = Previous::read(old)
        .map(|p| p.files.into_keys().collect())
        .unwrap_or_default();
    files
        .par_iter()
        .try_for_each(|f| gone(fs::remove_file(old.join(f))))?;
    let folders = folders_of(&files);
    remove_folders(old, &folders);
    gone(fs::remove_file(old.join(MANIFEST)))?;
    gone(fs::remove_file(old.join(MARKER)))?;
    if fs::remove_dir(old).is_ok() {
        return Ok(Vec::new());
    }
    // Something is left that no build wrote: move it across.
    let mut kept = Vec::new();
    carry_over(old, into, Path::new(""), &folders, &mut kept)?;
    remove_folders(old, &folders);
    if kept.is_empty() {
        gone(fs::remove_dir(old))?;
    }
    Ok(kept)
}

/// Every folder that holds a listed file, deepest first.
fn folders_of(files: &[String]) -> Vec<String> {
    let mut folders: HashSet<&str> = HashSet::new();
    for f in files {
        let mut path = f.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            path = parent;
        }
    }
    let mut folders: Vec<String> = folders.into_iter().map(str::to_string).collect();
    folders.sort_by_key(|f| std::cmp::Reverse(f.matches('/').count()));
    folders
}

/// Removes the listed folders that are empty, deepest first; a folder
/// holding something else stays.
fn remove_folders(old: &Path, folders: &[String]) {
    let mut at = 0;
    while at < folders.len() {
        let depth = folders[at].matches('/').count();
        let end = folders[at..]
            .iter()
            .position(|f| f.matches('/').count() != depth)
            .map_or(folders.len(), |n| at + n);
        folders[at..end].par_iter().for_each(|f| {
            let _ = fs::remove_dir(old.join(f));
        });
        at = end;
    }
}

/// Moves what is left under `old/rel` to the same place under `into`,
/// descending only into folders a build made.
fn carry_over(
    old: &Path,
    into: &Path,
    rel: &Path,
    folders: &[String],
    kept: &mut Vec<PathBuf>,
) -> io::Result<()> {
    for entry in fs::read_dir(old.join(rel))? {
        let entry = entry?;
        let path = rel.join(entry.file_name());
        let ours = entry.file_type()?.is_dir()
            && path
                .to_str()
                .is_some_and(|p| folders.iter().any(|f| f == p));
        if ours {
            carry_over(old, into, &path, folders, kept)?;
            continue;
        }
        let to = into.join(&path);
        if fs::symlink_metadata(&to).is_ok() {
            kept.push(old.join(&path));
            continue;
        }
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::rename(entry.path(), &to)?;
    }
    Ok(())
}

/// A name already gone is as good as deleted.
fn gone(result: io::Result<()>) -> io::Result<()> {
    match result {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}
