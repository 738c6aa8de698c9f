//! Writing one file the way every command does (`build`'s manifest,
//! `schema`, `init`, `new`): into a temporary file in the same folder, then
//! renamed into place, so a reader never sees half a file and a link at
//! the target is replaced, never written through.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` at `path`, replacing what is there: for a command whose
/// documented purpose is to replace its own output.
pub fn replace(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temporary(path, bytes)?;
    fs::rename(&tmp, path).inspect_err(|_| {
        let _ = fs::remove_file(&tmp);
    })
}

/// Writes `bytes` at `path` only if nothing is there (not even a link):
/// an `AlreadyExists` error otherwise, and the existing file is untouched.
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temporary(path, bytes)?;
    // A hard link fails if the name is taken, where a rename would replace.
    let linked = fs::hard_link(&tmp, path);
    let _ = fs::remove_file(&tmp);
    linked
}

/// A file written beside its target and not yet in place: what lets a
/// command that writes many files put them all in place only once every
/// one of them is written. Dropped before it is put in place, it is
/// removed.
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
}

impl Staged {
    pub fn new(path: &Path, bytes: &[u8]) -> io::Result<Staged> {
        Ok(Staged {
            tmp: temporary(path, bytes)?,
            target: path.to_path_buf(),
        })
    }

    /// Puts the file in place, replacing what is there.
    pub fn replace(self) -> io::Result<()> {
        fs::rename(&self.tmp, &self.target)
    }

    /// Puts the file in place only if nothing is there.
    pub fn create(self) -> io::Result<()> {
        fs::hard_link(&self.tmp, &self.target)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // After `replace` the temporary name is gone; after `create` it
        // is a second link to the file put in place.
        let _ = fs::remove_file(&self.tmp);
    }
}

/// A new file beside `path`, holding `bytes`.
fn temporary(path: &Path, bytes: &[u8]) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    for attempt in 0..100u32 {
        let tmp_name = format!(
            ".{}.clientele-tmp-{}-{attempt}",
            name.to_string_lossy(),
            std::process::id()
        );
        let tmp = folder.map_or_else(|| PathBuf::from(&tmp_name), |f| f.join(&tmp_name));
        let mut file = match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        };
        let written = file.write_all(bytes);
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        return Ok(tmp);
    }
    Err(io::Error::new(
        io::ErrorKind::AlreadyExists,
        "no free temporary name beside the file",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_at_the_target_is_replaced_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let precious = dir.path().join("precious.yaml");
        fs::write(&precious, "mine").unwrap();
        let target = dir.path().join("schema.json");
        std::os::unix::fs::symlink(&precious, &target).unwrap();
        replace(&target, b"{}").unwrap();
        assert_eq!(fs::read_to_string(&precious).unwrap(), "mine");
        assert_eq!(fs::read_to_string(&target).unwrap(), "{}");
        assert!(!fs::symlink_metadata(&target).unwrap().is_symlink());
    }

    #[test]
    fn create_new_never_overwrites_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("note.md");
        create_new(&path, b"one").unwrap();
        let again = create_new(&path, b"two").unwrap_err();
        assert_eq!(again.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read_to_string(&path).unwrap(), "one");
        let link = dir.path().join("link.md");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &link).unwrap();
        assert!(create_new(&link, b"x").is_err());
        assert!(!dir.path().join("nowhere").exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
