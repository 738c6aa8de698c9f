//! Opening a file of the repository for reading, the one way every reader
//! does it: never through a symbolic link, never a FIFO, a device or a
//! socket (a FIFO blocks a reader forever, `/dev/zero` never ends), and
//! never more than a stated number of bytes. The type is checked on the
//! open handle, so a file swapped for something else after a directory
//! listing is still refused.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a path could not be read as a regular file.
#[derive(Debug)]
pub enum OpenError {
    /// A symbolic link: clientele never follows them.
    Link,
    /// A FIFO, socket or device; the name says which.
    NotRegular(&'static str),
    /// More bytes than the caller accepts.
    TooLarge(u64),
    Io(io::Error),
}

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OpenError::Link => f.write_str("is a symbolic link; clientele does not follow links"),
            OpenError::NotRegular(kind) => write!(f, "is a {kind}, not a regular file"),
            OpenError::TooLarge(len) => {
                write!(f, "is {} MiB, more than clientele reads", len >> 20)
            }
            OpenError::Io(e) => e.fmt(f),
        }
    }
}

/// Opens `path` for reading if it is a regular file reached without a
/// link; returns the handle and its length.
pub fn regular(path: &Path) -> Result<(File, u64), OpenError> {
    use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
    // O_NONBLOCK: opening a FIFO with no writer would otherwise wait for one.
    // It changes nothing for a regular file.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(path)
        .map_err(|e| match e.raw_os_error() {
            Some(libc::ELOOP) => OpenError::Link,
            _ => OpenError::Io(e),
        })?;
    let meta = file.metadata().map_err(OpenError::Io)?;
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok((file, meta.len()));
    }
    Err(OpenError::NotRegular(if kind.is_dir() {
        "folder"
    } else if kind.is_fifo() {
        "FIFO (named pipe)"
    } else if kind.is_socket() {
        "socket"
    } else {
        "device"
    }))
}

/// Reads a regular file of at most `limit` bytes whole.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, OpenError> {
    let (file, len) = regular(path)?;
    if len > limit {
        return Err(OpenError::TooLarge(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0) + 1);
    // Through `take`: `File::read_to_end` would ask the size again (another
    // statx per file, 200,000 of them in a large firm). A file that grew
    // since is read up to the limit and no further.
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(OpenError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(OpenError::TooLarge(bytes.len() as u64));
    }
    Ok(bytes)
}

/// What a directory entry is, when it is neither a file, a folder nor a
/// link: `Some("FIFO (named pipe)")` and the like.
pub fn special_kind(kind: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_file() || kind.is_dir() || kind.is_symlink() {
        None
    } else if kind.is_fifo() {
        Some("FIFO (named pipe)")
    } else if kind.is_socket() {
        Some("socket")
    } else {
        Some("device")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        assert!(matches!(
            read_limited(&fifo, 10),
            Err(OpenError::NotRegular(_))
        ));
        let link = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert!(matches!(read_limited(&link, 10), Err(OpenError::Link)));
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 10),
            Err(OpenError::NotRegular("device"))
        ));
        let big = dir.path().join("big");
        std::fs::write(&big, [b'x'; 100]).unwrap();
        assert!(matches!(
            read_limited(&big, 10),
            Err(OpenError::TooLarge(100))
        ));
        assert_eq!(read_limited(&big, 100).unwrap().len(), 100);
    }
}
