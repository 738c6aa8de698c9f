//! Rows appended to a client's `activities.csv`: in the file's own column
//! order and line ending, after its last row, never touching a row that
//! is there. A new file gets every column.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::super::Found;
use crate::load::tables::{captured_row, CAPTURED};
use crate::load::MAX_TABLE_BYTES;
use crate::model::Model;

/// The rows planned for one client's `activities.csv`.
pub struct Appended {
    /// Relative to the content folder.
    path: PathBuf,
    /// The file as it was read, if there is one.
    original: Option<Vec<u8>>,
    columns: Vec<String>,
    crlf: bool,
    /// The file has `source` and `uid` columns. Without them a row
    /// already there is known by its date, type, person and summary.
    keyed: bool,
    existing: HashSet<String>,
    lines: String,
    count: usize,
    /// Why the file cannot be appended to.
    problem: Option<String>,
}

impl Appended {
    pub fn open(root: &Path, model: &Model, client: &str) -> Appended {
        let path = Path::new("clients").join(client).join("activities.csv");
        let mut rows = Appended {
            path,
            original: None,
            columns: CAPTURED
                .0
                .iter()
                .chain(CAPTURED.1)
                .map(|c| c.to_string())
                .collect(),
            crlf: false,
            keyed: true,
            existing: HashSet::new(),
            lines: String::new(),
            count: 0,
            problem: None,
        };
        let bytes = match crate::load::open::read_limited(&root.join(&rows.path), MAX_TABLE_BYTES) {
            Ok(bytes) => bytes,
            Err(crate::load::open::OpenError::Io(e))
                if e.kind() == std::io::ErrorKind::NotFound =>
            {
                return rows
            }
            Err(e) => {
                rows.problem = Some(format!("cannot read it: {e}"));
                return rows;
            }
        };
        let first = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
        rows.crlf = first.ends_with(b"\r");
        rows.columns = crate::load::csv_reader::header(&String::from_utf8_lossy(first));
        rows.keyed = ["source", "uid"]
            .iter()
            .all(|c| rows.columns.iter().any(|h| h == c));
        if !rows.keyed {
            let index = model.index.clients.get(client).copied();
            for r in index
                .map(|i| &model.clients[i].captured)
                .into_iter()
                .flatten()
            {
                rows.existing.insert(content_key(
                    &r.date.to_string(),
                    r.kind.as_str(),
                    &r.by,
                    &r.summary,
                ));
            }
        }
        rows.original = Some(bytes);
        rows
    }

    /// Plans one row; false if the file already has it.
    pub fn push(&mut self, found: &Found, by: &str, source: &str) -> bool {
        let summary: String = found
            .title
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let summary = summary.trim();
        let date = found.date.to_string();
        let kind = found.kind.as_str();
        if !self.keyed && !self.existing.insert(content_key(&date, kind, by, summary)) {
            return false;
        }
        let cells: Vec<&str> = self
            .columns
            .iter()
            .map(|c| match c.as_str() {
                "date" => date.as_str(),
                "type" => kind,
                "by" => by,
                "summary" => summary,
                "source" => source,
                "uid" => found.uid.as_str(),
                _ => "",
            })
            .collect();
        self.lines.push_str(&record(&cells, self.crlf));
        self.count += 1;
        true
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The rows as they will be appended.
    pub fn lines(&self) -> &str {
        &self.lines
    }

    /// The file with the rows appended.
    fn contents(&self) -> Vec<u8> {
        let mut out = match &self.original {
            Some(bytes) => bytes.clone(),
            None => {
                let names: Vec<&str> = self.columns.iter().map(String::as_str).collect();
                record(&names, self.crlf).into_bytes()
            }
        };
        if !out.is_empty() && !out.ends_with(b"\n") {
            out.extend_from_slice(if self.crlf { b"\r\n" } else { b"\n" });
        }
        out.extend_from_slice(self.lines.as_bytes());
        out
    }

    /// The new rows read back under the file's header as the loader
    /// reads them: the first problem, if any.
    pub fn loads(&self) -> Result<(), String> {
        if let Some(problem) = &self.problem {
            return Err(problem.clone());
        }
        let names: Vec<&str> = self.columns.iter().map(String::as_str).collect();
        let text = record(&names, self.crlf) + &self.lines;
        let rel: Arc<str> = Arc::from(self.path.to_string_lossy().as_ref());
        let problems =
            crate::load::csv_reader::read_csv_from(&rel, &text, CAPTURED.0, CAPTURED.1, |row| {
                captured_row(row).map(drop)
            });
        match problems.first() {
            Some(d) => Err(d.message.clone()),
            None => Ok(()),
        }
    }

    /// The new file, written beside the old one.
    pub fn stage(&self, root: &Path) -> Result<crate::write::file::Staged, (PathBuf, String)> {
        crate::write::file::Staged::new(&root.join(&self.path), &self.contents())
            .map_err(|e| (self.path.clone(), e.to_string()))
    }

    /// Whether the file is still as the import read it: an edit made
    /// since is never replaced.
    pub fn unchanged(&self, root: &Path) -> std::io::Result<()> {
        let now = crate::load::open::read_limited(&root.join(&self.path), MAX_TABLE_BYTES).ok();
        if now == self.original {
            Ok(())
        } else {
            Err(std::io::Error::other(
                "it changed while the import ran; run the import again",
            ))
        }
    }

    /// Puts the file back as it was read.
    pub fn restore(&self, root: &Path) {
        let path = root.join(&self.path);
        let _ = match &self.original {
            Some(bytes) => crate::write::file::replace(&path, bytes),
            None => std::fs::remove_file(&path),
        };
    }
}

fn content_key(date: &str, kind: &str, by: &str, summary: &str) -> String {
    format!("{date}\0{kind}\0{by}\0{summary}")
}

/// One CSV record with its line end, quoted where a cell needs it.
fn record(cells: &[&str], crlf: bool) -> String {
    let mut writer = csv::WriterBuilder::new()
        .terminator(if crlf {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(Vec::new());
    let _ = writer.write_record(cells);
    let bytes = writer.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}
