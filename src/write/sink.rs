//! Writing the pages of a build into the staging folder. A page whose
//! bytes are the same as in the output being replaced is hard-linked from
//! it instead of written again; [`MANIFEST`] records what each build wrote.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use crate::site::Sink;

/// What the output folder holds: each file's size, modification time and
/// hash, so the next build links the files whose bytes did not change
/// instead of writing them again, and deletes only what it lists.
pub const MANIFEST: &str = ".clientele-files";

/// The first line of [`MANIFEST`]: its format and hash.
/// A manifest of another format (version 1 used SipHash) still says which
/// files clientele wrote, but links nothing: that build writes every file.
pub(super) const MANIFEST_HEADER: &str = "clientele-files 2 xxh3-128";

/// Writes files under a folder, refusing any path that would leave it.
pub struct DirSink {
    root: PathBuf,
    /// Folders already made, so a file costs one `open`, not a `stat` too.
    made: Mutex<HashSet<PathBuf>>,
    /// The output being replaced, whose unchanged files are linked.
    pub(super) previous: Option<Previous>,
    /// Every file written or linked, for the manifest.
    files: Mutex<Vec<(String, Stamp)>>,
    /// Held while a name is created. The kernel takes the folder's lock for
    /// every new name anyway, and threads waiting for it in the kernel spin
    /// (18% of a build's samples in perf, when ext4 was slow to find free
    /// inodes after a large delete); here they wait asleep, and the writing
    /// itself still runs in parallel.
    creating: Mutex<()>,
}

/// A file as the manifest knows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Stamp {
    len: u64,
    /// Modification time in nanoseconds: a file edited since it was written
    /// is never reused.
    mtime: i128,
    hash: u128,
}

/// The output folder a build replaces, and its manifest.
pub(super) struct Previous {
    dir: PathBuf,
    /// Every file the manifest lists, by path.
    pub(super) files: HashMap<String, Stamp>,
    /// Whether the stamps' hashes are this version's: only then are files
    /// linked.
    linkable: bool,
}

impl Previous {
    /// The manifest of `out`; `None` when there is none or it is unreadable.
    /// Paths that could leave the folder (`..`, absolute) are never listed.
    pub(super) fn read(out: &Path) -> Option<Previous> {
        let bytes = crate::load::open::read_limited(&out.join(MANIFEST), 1 << 30).ok()?;
        let text = String::from_utf8(bytes).ok()?;
        let mut lines = text.lines();
        let header = lines.next()?;
        if !header.starts_with("clientele-files ") {
            return None;
        }
        let mut files = HashMap::new();
        for line in lines {
            let mut parts = line.splitn(4, ' ');
            let (Some(hash), Some(len), Some(mtime), Some(path)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return None;
            };
            // Never a path that leaves the folder, and never a hidden one:
            // a build writes none, so a manifest that lists `.git/...` was
            // edited, and `.git` is never touched.
            if !is_relative(path) || crate::load::is_hidden_path(path) {
                continue;
            }
            let stamp = Stamp {
                hash: u128::from_str_radix(hash, 16).ok()?,
                len: len.parse().ok()?,
                mtime: mtime.parse().ok()?,
            };
            files.insert(path.to_string(), stamp);
        }
        drop_behind_links(out, &mut files);
        Some(Previous {
            dir: out.to_path_buf(),
            files,
            linkable: header == MANIFEST_HEADER,
        })
    }

    /// The previous output's file for `path` when it holds exactly these
    /// bytes, with its stamp. The size, modification time and hash of the
    /// manifest only rule files out cheaply: the file is read and hashed
    /// again, so a page edited by hand and given back its old time is
    /// written afresh.
    fn unchanged(&self, path: &str, bytes: &[u8], hash: u128) -> Option<(PathBuf, Stamp)> {
        if !self.linkable {
            return None;
        }
        let known = self.files.get(path)?;
        if known.len != bytes.len() as u64 || known.hash != hash {
            return None;
        }
        let from = self.dir.join(path);
        let (file, len) = crate::load::open::regular(&from).ok()?;
        let meta = file.metadata().ok()?;
        if len != known.len || mtime(&meta) != known.mtime {
            return None;
        }
        let mut now = Vec::with_capacity(bytes.len());
        file.take(known.len + 1).read_to_end(&mut now).ok()?;
        (now == bytes).then_some((from, *known))
    }
}

/// Leaves out the files whose folder in `out` is not a real folder: one a
/// person replaced with a link (to the content, say) is never read through
/// or deleted through. One `lstat` per folder, on all cores.
fn drop_behind_links(out: &Path, files: &mut HashMap<String, Stamp>) {
    use rayon::prelude::*;
    let mut folders: HashSet<&str> = HashSet::new();
    for f in files.keys() {
        let mut path = f.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if !folders.insert(parent) {
                break;
            }
            path = parent;
        }
    }
    let folders: Vec<&str> = folders.into_iter().collect();
    let bad: HashSet<String> = folders
        .par_iter()
        .filter(|f| !fs::symlink_metadata(out.join(f)).is_ok_and(|m| m.is_dir()))
        .map(|f| f.to_string())
        .collect();
    if bad.is_empty() {
        return;
    }
    files.retain(|f, _| {
        let mut path = f.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if bad.contains(parent) {
                return false;
            }
            path = parent;
        }
        true
    });
}

/// Whether `path` is relative and stays below the folder it is joined to.
pub(super) fn is_relative(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Tells whether a file's bytes changed since the last build. Nobody
/// chooses these bytes to collide, so a fast non-cryptographic hash does:
/// XXH3 takes about a quarter of the instructions SipHash took, and the
/// benchmark firm's site has 800 MB of pages to hash.
fn hash(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

fn mtime(meta: &fs::Metadata) -> i128 {
    use std::os::unix::fs::MetadataExt;
    i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec())
}

impl DirSink {
    pub fn new(root: PathBuf) -> DirSink {
        DirSink {
            root,
            made: Default::default(),
            previous: None,
            files: Default::default(),
            creating: Mutex::new(()),
        }
    }

    /// The path under the root, after checking it stays there and making
    /// its folder.
    fn place(&self, path: &str) -> std::io::Result<PathBuf> {
        if !is_relative(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output: {path}"),
            ));
        }
        let rel = Path::new(path);
        if let Some(parent) = rel.parent().filter(|p| !p.as_os_str().is_empty()) {
            let known = self
                .made
                .lock()
                .map(|m| m.contains(parent))
                .unwrap_or(false);
            if !known {
                fs::create_dir_all(self.root.join(parent))?;
                if let Ok(mut m) = self.made.lock() {
                    m.insert(parent.to_path_buf());
                }
            }
        }
        Ok(self.root.join(rel))
    }

    /// Creates `path` afresh, one name at a time.
    fn create(&self, path: &Path) -> std::io::Result<fs::File> {
        let _one_at_a_time = self.creating.lock();
        create(path)
    }

    /// Links `from` of the previous output as `to`, one name at a time.
    fn link(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        let _one_at_a_time = self.creating.lock();
        fs::hard_link(from, to)
    }

    /// Records a file just written, with its size and time as it is now.
    fn record_written(&self, path: &str, file: &fs::File, hash: u128) -> std::io::Result<()> {
        let meta = file.metadata()?;
        let stamp = Stamp {
            len: meta.len(),
            mtime: mtime(&meta),
            hash,
        };
        self.record(path, stamp);
        Ok(())
    }

    fn record(&self, path: &str, stamp: Stamp) {
        if let Ok(mut files) = self.files.lock() {
            files.push((path.to_string(), stamp));
        }
    }

    /// The manifest of everything written, sorted by path.
    pub(super) fn manifest(&self) -> String {
        let mut files = self.files.lock().map(|f| f.clone()).unwrap_or_default();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        let mut text = format!("{MANIFEST_HEADER}\n");
        for (path, s) in files {
            // Names with a line break cannot be listed; they are written every time.
            if !path.contains('\n') {
                text.push_str(&format!("{:032x} {} {} {path}\n", s.hash, s.len, s.mtime));
            }
        }
        text
    }
}

/// Creates `path` afresh: a name linked from the previous output is
/// unlinked first, so its file (still the live site's) is never written.
fn create(path: &Path) -> std::io::Result<fs::File> {
    let open = || {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
    };
    match open() {
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            fs::remove_file(path)?;
            open()
        }
        other => other,
    }
}

impl Sink for DirSink {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        let to = self.place(path)?;
        let hash = hash(bytes);
        let unchanged = self
            .previous
            .as_ref()
            .and_then(|p| p.unchanged(path, bytes, hash));
        if let Some((from, stamp)) = unchanged {
            // A failed link (another file system, say) falls back to writing.
            if self.link(&from, &to).is_ok() {
                self.record(path, stamp);
                return Ok(());
            }
        }
        let mut file = self.create(&to)?;
        file.write_all(bytes)?;
        self.record_written(path, &file, hash)
    }

    /// Streams are written every time: their bytes are not known before.
    fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let to = self.place(path)?;
        let mut file = std::io::BufWriter::with_capacity(1 << 20, self.create(&to)?);
        fill(&mut file)?;
        std::io::Write::flush(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        // Listed so the next build knows clientele wrote it; a hash of 0
        // never matches, so it is never linked.
        self.record_written(path, &file, 0)
    }
}
