//! What an import will write, decided before anything is written: one note
//! per interaction not already in the repository, at a name that is free,
//! each read back as the loader will; and the counts of what was left out.
//! Writing is all or nothing.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use super::{Directory, Found, Verdict};
use crate::model::{ActivityFile, Date, Model};
use crate::write::records::{loads_as, markdown, ActivityRecord};

/// The notes to write and what was left out.
#[derive(Default)]
pub struct Plan {
    pub notes: Vec<Planned>,
    /// Already in the repository, or twice in the input.
    pub present: usize,
    pub internal: usize,
    pub declined: usize,
    pub no_colleague: usize,
    pub cancelled: usize,
    /// For a person to sort: the interaction and why it matched nothing
    /// (its outside addresses) or too much (the clients).
    pub unmatched: Vec<(Found, Vec<String>)>,
    pub ambiguous: Vec<(Found, Vec<String>)>,
    uids: HashSet<String>,
    taken: HashSet<PathBuf>,
}

/// One note to write.
pub struct Planned {
    pub client: String,
    /// Relative to the content folder.
    pub path: PathBuf,
    pub text: String,
}

impl Plan {
    /// An empty plan that knows the UIDs the repository already holds.
    pub fn new(model: &Model) -> Plan {
        let uids = model
            .clients
            .iter()
            .flat_map(|c| c.activities.iter())
            .filter_map(|a| a.data.uid.clone())
            .collect();
        Plan {
            uids,
            ..Plan::default()
        }
    }

    /// Decides what becomes of one interaction.
    pub fn add(&mut self, root: &Path, directory: &Directory, model: &Model, found: Found) {
        if !self.uids.insert(found.uid.clone()) {
            self.present += 1;
            return;
        }
        match directory.classify(&found) {
            Verdict::Client {
                client,
                by,
                attendees,
                contacts,
            } => {
                let id = model.clients[client].id.clone();
                let front = ActivityRecord {
                    date: Date(found.date),
                    kind: found.kind,
                    by: &by,
                    title: &found.title,
                    attendees: &attendees,
                    contacts: contacts.iter().map(String::as_str).collect(),
                    outcome: None,
                    reported: None,
                    follow_ups: Vec::new(),
                    source: Some("calendar"),
                    uid: Some(&found.uid),
                };
                let text = markdown(&front, "");
                let path = self.free_name(root, &id, &found);
                self.notes.push(Planned {
                    client: id,
                    path,
                    text,
                });
            }
            Verdict::Internal => self.internal += 1,
            Verdict::Declined => self.declined += 1,
            Verdict::NoColleague => self.no_colleague += 1,
            Verdict::Unmatched(addresses) => self.unmatched.push((found, addresses)),
            Verdict::Ambiguous(clients) => self.ambiguous.push((found, clients)),
        }
    }

    /// `clients/<id>/activities/<date>-<type>[-n].md`, free on disk and
    /// in this plan.
    fn free_name(&mut self, root: &Path, client: &str, found: &Found) -> PathBuf {
        let dir = Path::new("clients").join(client).join("activities");
        let stem = format!("{}-{}", found.date, found.kind.as_str());
        let path = (1..)
            .map(|n| match n {
                1 => dir.join(format!("{stem}.md")),
                n => dir.join(format!("{stem}-{n}.md")),
            })
            .find(|p| !self.taken.contains(p) && std::fs::symlink_metadata(root.join(p)).is_err())
            .unwrap_or_default();
        self.taken.insert(path.clone());
        path
    }

    /// Notes per client id.
    pub fn per_client(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for n in &self.notes {
            *counts.entry(n.client.as_str()).or_default() += 1;
        }
        counts
    }

    /// Writes every note under `root`, or none: a note that would not load
    /// stops the import before anything is written, and a failed write
    /// removes the notes this import wrote before it.
    pub fn write(&self, root: &Path) -> Result<(), (PathBuf, String)> {
        for note in &self.notes {
            loads_as::<ActivityFile>(&note.path, &note.text)
                .map_err(|d| (note.path.clone(), d.message))?;
        }
        let mut written: Vec<PathBuf> = Vec::new();
        for note in &self.notes {
            let path = root.join(&note.path);
            let made = path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| crate::write::file::create_new(&path, note.text.as_bytes()));
            if let Err(e) = made {
                for done in &written {
                    let _ = std::fs::remove_file(done);
                }
                return Err((note.path.clone(), e.to_string()));
            }
            written.push(path);
        }
        Ok(())
    }

    /// The interactions left for a person to sort, as CSV.
    pub fn unsorted_csv(&self) -> Vec<u8> {
        let mut table = crate::write::table::Table::new(&[
            "date",
            "title",
            "uid",
            "reason",
            "addresses or clients",
        ]);
        let rows = self
            .unmatched
            .iter()
            .map(|r| (r, "unmatched"))
            .chain(self.ambiguous.iter().map(|r| (r, "ambiguous")));
        for ((found, what), reason) in rows {
            let date = found.date.to_string();
            table.row(&[&date, &found.title, &found.uid, reason, &what.join(" ")]);
        }
        table.finish()
    }
}
