//! One build at a time per output folder: an advisory lock on a file beside
//! it (`.public.clientele-lock`), held from staging until the swap is done.
//! A second build waits for the first and says so, as cargo does for its
//! build directory.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::WriteError;

/// Held while a build writes an output; released when dropped.
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Takes the lock at `path` for `out`, waiting for another build.
    pub fn take(path: &Path, out: &Path) -> Result<OutputLock, WriteError> {
        use std::os::unix::fs::OpenOptionsExt;
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY)
            .open(path)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ELOOP) => WriteError::Occupied(path.to_path_buf()),
                _ => WriteError::Io(path.to_path_buf(), e),
            })?;
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            return Err(WriteError::Occupied(path.to_path_buf()));
        }
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                eprintln!(
                    "waiting for another build into `{}` to finish (lock `{}`)",
                    out.display(),
                    path.display()
                );
                file.lock()
                    .map_err(|e| WriteError::Io(path.to_path_buf(), e))?;
            }
            Err(TryLockError::Error(e)) => return Err(WriteError::Io(path.to_path_buf(), e)),
        }
        Ok(OutputLock { _file: file })
    }
}
