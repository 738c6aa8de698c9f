//! The texts of the notes an import plans, kept in an unnamed temporary
//! file instead of memory: a year's calendar plans a hundred thousand
//! notes, and the plan holds only where each text is. The file is
//! unnamed (tempfile's `O_TMPFILE` on Linux), so it goes when the process
//! does, however it ends.

use std::fs::File;
use std::io::{self, Write};
use std::os::unix::fs::FileExt;

/// How much text is gathered before it is written to the file.
const BATCH_BYTES: usize = 1 << 20;

/// Where one text is in the spool.
#[derive(Clone, Copy, Debug)]
pub struct Slot {
    at: u64,
    len: u32,
}

/// Texts appended one after another; each read back by its [`Slot`].
#[derive(Default)]
pub struct Spool {
    file: Option<File>,
    /// Bytes already in the file.
    written: u64,
    /// Texts after those, not yet written.
    batch: Vec<u8>,
    /// Why the file could not be made or written: reported when a text
    /// is read back, since by then the plan cannot be trusted whole.
    failed: Option<String>,
}

impl Spool {
    /// Keeps `text`; says where.
    pub fn push(&mut self, text: &str) -> Slot {
        let slot = Slot {
            at: self.written + self.batch.len() as u64,
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        };
        self.batch.extend_from_slice(text.as_bytes());
        if self.batch.len() >= BATCH_BYTES && self.failed.is_none() {
            self.write_batch();
        }
        slot
    }

    fn write_batch(&mut self) {
        let file = match self.file.as_mut() {
            Some(file) => file,
            None => match tempfile::tempfile() {
                Ok(file) => self.file.insert(file),
                Err(e) => {
                    self.failed = Some(format!("cannot make a temporary file: {e}"));
                    return;
                }
            },
        };
        match file.write_all(&self.batch) {
            Ok(()) => {
                self.written += self.batch.len() as u64;
                self.batch.clear();
            }
            Err(e) => self.failed = Some(format!("cannot write a temporary file: {e}")),
        }
    }

    /// The text kept at `slot`.
    pub fn get(&self, slot: Slot) -> io::Result<String> {
        if let Some(why) = &self.failed {
            return Err(io::Error::other(format!(
                "{why} (the planned notes are kept there; set TMPDIR to a folder with room)"
            )));
        }
        let mut bytes = vec![0; slot.len as usize];
        if slot.at >= self.written {
            let start = (slot.at - self.written) as usize;
            let end = start + bytes.len();
            bytes.copy_from_slice(&self.batch[start..end]);
        } else if let Some(file) = &self.file {
            file.read_exact_at(&mut bytes, slot.at)?;
        }
        String::from_utf8(bytes).map_err(io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_come_back_from_the_batch_and_from_the_file() {
        let mut spool = Spool::default();
        let big = "x".repeat(BATCH_BYTES - 3);
        let slots = [
            spool.push("first"),
            spool.push(&big),
            spool.push("third, after the file was written"),
        ];
        assert!(spool.file.is_some() && spool.written > 0);
        assert_eq!(spool.get(slots[0]).unwrap(), "first");
        assert_eq!(spool.get(slots[1]).unwrap(), big);
        assert_eq!(
            spool.get(slots[2]).unwrap(),
            "third, after the file was written"
        );
    }
}
