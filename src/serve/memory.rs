//! The in-memory site of `serve`: rendered files are collected here, and a
//! catch-up render gives way to a newer edit at its next write.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use bytes::Bytes;

use super::{Files, Snapshot};
use crate::site::Sink;

/// Collects rendered files in memory. A catch-up render stops at its next
/// write once `cancel` is set: a newer edit goes first.
pub(super) struct MemorySink<'a> {
    pub(super) files: Mutex<Vec<(String, Bytes)>>,
    pub(super) cancel: Option<&'a AtomicBool>,
}

impl MemorySink<'_> {
    /// An error once a newer edit is waiting. Not `ErrorKind::Interrupted`:
    /// `write_all` and `BufWriter` retry that kind for ever, and a catch-up
    /// writing `model.json` then spun at 100% CPU and never gave way.
    fn check(&self) -> std::io::Result<()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(std::io::Error::other("cancelled by a newer edit"));
        }
        Ok(())
    }
}

/// A writer that gives up once a newer edit is waiting.
struct Cancellable<'a, 'b> {
    bytes: Vec<u8>,
    sink: &'b MemorySink<'a>,
}

impl std::io::Write for Cancellable<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() % (1 << 20) + buf.len() >= 1 << 20 {
            self.sink.check()?;
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink for MemorySink<'_> {
    fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut out = Cancellable {
            bytes: Vec::new(),
            sink: self,
        };
        fill(&mut out)?;
        // The buffer itself is kept, not copied, but not its spare room:
        // `Bytes` holds a vector's whole capacity, up to twice what the
        // page needs after growing by doubling (search.json is 37 MB).
        let mut bytes = out.bytes;
        bytes.shrink_to_fit();
        self.keep(path, Bytes::from(bytes))
    }

    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.keep(path, Bytes::copy_from_slice(bytes))
    }
}

impl MemorySink<'_> {
    fn keep(&self, path: &str, bytes: Bytes) -> std::io::Result<()> {
        self.check()?;
        let bytes = if super::packed::is_packed(path) {
            super::packed::pack(&bytes)
        } else {
            bytes
        };
        self.files
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .push((path.to_string(), bytes));
        Ok(())
    }
}

/// The paths among `written` whose bytes differ from `before`.
pub(super) fn changed_pages(
    before: Option<&Snapshot>,
    after: &Files,
    written: Vec<String>,
) -> Vec<String> {
    written
        .into_iter()
        .filter(|path| {
            let old = before.and_then(|b| b.files.get(path.as_str()));
            old.map(|o| &o[..]) != after.get(path.as_str()).map(|n| &n[..])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::MemorySink;
    use crate::site::Sink;
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_cancelled_stream_stops_instead_of_retrying() {
        let cancel = AtomicBool::new(false);
        let sink = MemorySink {
            files: Default::default(),
            cancel: Some(&cancel),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let result = sink.write_with("exports/model.json", &mut |w| {
                    // Like serde_json writing a 4 MiB model through `write_all`.
                    for i in 0..4096 {
                        if i == 1024 {
                            cancel.store(true, Ordering::Relaxed);
                        }
                        w.write_all(&[b' '; 1024])?;
                    }
                    Ok(())
                });
                let _ = tx.send(result.is_err());
            });
            let stopped = rx.recv_timeout(std::time::Duration::from_secs(10));
            // Unstick a writer that would otherwise spin for ever.
            cancel.store(false, Ordering::Relaxed);
            assert_eq!(stopped, Ok(true), "the write gave up with an error");
        });
    }
}
