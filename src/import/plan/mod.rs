//! What an import will write, decided before anything is written: a note
//! per meeting or call and an `activities.csv` row per other interaction,
//! for each one not already in the repository; and the counts of what was
//! left out. Writing is all or nothing.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rayon::prelude::*;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use super::{Directory, Found, Verdict};
use crate::model::{ActivityFile, ActivityType, Date, Model};
use crate::write::file::Staged;
use crate::write::records::{loads_as, markdown, ActivityRecord};

mod rows;
mod spool;

pub use rows::Appended;
pub use spool::{Slot, Spool};

/// Why an interaction was left out, in the order the summary names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Skip {
    Internal,
    Cancelled,
    Declined,
    NoColleague,
    /// Newsletters and automatic mail.
    Bulk,
    /// A type the import map says to skip.
    ByMap,
}

impl Skip {
    pub fn as_str(self) -> &'static str {
        match self {
            Skip::Internal => "internal",
            Skip::Cancelled => "cancelled",
            Skip::Declined => "declined",
            Skip::NoColleague => "without a colleague",
            Skip::Bulk => "bulk",
            Skip::ByMap => "by the map",
        }
    }
}

/// The files to write and what was left out.
pub struct Plan {
    /// What the interactions are recorded as coming from: `calendar`,
    /// `mail`, or an import map's `source`.
    source: String,
    pub notes: Vec<Planned>,
    /// Rows to append, per client id.
    pub rows: BTreeMap<String, Appended>,
    /// Already in the repository, or twice in the input.
    pub present: usize,
    pub skipped: BTreeMap<Skip, usize>,
    /// For a person to sort: the interaction and why it matched nothing
    /// (its outside addresses) or too much (the clients).
    pub unmatched: Vec<(Found, Vec<String>)>,
    pub ambiguous: Vec<(Found, Vec<String>)>,
    /// The hash of `source` NUL `uid` of every interaction in the
    /// repository or in this plan: 16 bytes each, whatever the UID.
    keys: HashSet<u128>,
    /// The hashes of the paths of `notes`.
    taken: HashSet<u128>,
    /// The ids of the clients with notes, each held once.
    ids: HashSet<Arc<str>>,
    /// The texts of `notes`.
    pub texts: Spool,
}

/// One note to write: `clients/<id>/activities/<date>-<type>[-n].md`,
/// its text in the plan's spool. A few dozen bytes, whatever the note.
pub struct Planned {
    /// The client's id, shared by the client's notes.
    pub client: Arc<str>,
    pub date: NaiveDate,
    pub kind: ActivityType,
    /// 1 for `<date>-<type>.md`, else the `-n` of the name.
    pub n: u32,
    pub text: Slot,
}

impl Planned {
    /// Relative to the content folder.
    pub fn path(&self) -> PathBuf {
        let stem = format!("{}-{}", self.date, self.kind.as_str());
        let name = match self.n {
            1 => format!("{stem}.md"),
            n => format!("{stem}-{n}.md"),
        };
        self.folder().join(name)
    }

    fn folder(&self) -> PathBuf {
        Path::new("clients").join(&*self.client).join("activities")
    }
}

impl Plan {
    /// An empty plan that knows the interactions the repository holds.
    pub fn new(model: &Model, source: &str) -> Plan {
        let mut keys = HashSet::new();
        for client in &model.clients {
            for a in &client.activities {
                if let (Some(source), Some(uid)) = (&a.data.source, &a.data.uid) {
                    keys.insert(key(source, uid));
                }
            }
            for r in &client.captured {
                if let (Some(source), Some(uid)) = (&r.source, &r.uid) {
                    keys.insert(key(source, uid));
                }
            }
        }
        Plan {
            source: source.to_string(),
            notes: Vec::new(),
            rows: BTreeMap::new(),
            present: 0,
            skipped: BTreeMap::new(),
            unmatched: Vec::new(),
            ambiguous: Vec::new(),
            keys,
            taken: HashSet::new(),
            ids: HashSet::new(),
            texts: Spool::default(),
        }
    }

    /// Counts `count` interactions left out for `why`.
    pub fn skip(&mut self, why: Skip, count: usize) {
        *self.skipped.entry(why).or_default() += count;
    }

    /// Matches an interaction by its addresses (a calendar event, a
    /// message) and adds it.
    pub fn add_by_address(
        &mut self,
        root: &Path,
        model: &Model,
        directory: &Directory<'_>,
        found: Found,
    ) {
        let verdict = directory.classify(&found);
        self.add(root, model, found, verdict);
    }

    /// Decides what becomes of one interaction, matched to `verdict`.
    pub fn add(&mut self, root: &Path, model: &Model, found: Found, verdict: Verdict) {
        if !self.keys.insert(key(&self.source, &found.uid)) {
            self.present += 1;
            return;
        }
        match verdict {
            Verdict::Client {
                client,
                by,
                attendees,
                contacts,
            } => {
                let id = &model.clients[client].id;
                if found.kind.needs_call_report() {
                    let id = match self.ids.get(id.as_str()) {
                        Some(id) => id.clone(),
                        None => {
                            let id: Arc<str> = Arc::from(id.as_str());
                            self.ids.insert(id.clone());
                            id
                        }
                    };
                    self.note(root, id, &found, &by, &attendees, &contacts);
                } else {
                    let id = id.clone();
                    let rows = self
                        .rows
                        .entry(id)
                        .or_insert_with_key(|id| Appended::open(root, model, id));
                    if !rows.push(&found, &by, &self.source) {
                        self.present += 1;
                    }
                }
            }
            Verdict::Internal => self.skip(Skip::Internal, 1),
            Verdict::Declined => self.skip(Skip::Declined, 1),
            Verdict::NoColleague => self.skip(Skip::NoColleague, 1),
            Verdict::Unmatched(addresses) => self.unmatched.push((found, addresses)),
            Verdict::Ambiguous(clients) => self.ambiguous.push((found, clients)),
        }
    }

    fn note(
        &mut self,
        root: &Path,
        client: Arc<str>,
        found: &Found,
        by: &str,
        attendees: &[String],
        contacts: &[String],
    ) {
        let front = ActivityRecord {
            date: Date(found.date),
            kind: found.kind,
            by,
            title: &found.title,
            attendees,
            contacts: contacts.iter().map(String::as_str).collect(),
            outcome: None,
            reported: None,
            follow_ups: Vec::new(),
            source: Some(&self.source),
            uid: Some(&found.uid),
        };
        let mut note = Planned {
            client,
            date: found.date,
            kind: found.kind,
            n: 1,
            text: self.texts.push(&markdown(&front, "")),
        };
        self.free_name(root, &mut note);
        self.notes.push(note);
    }

    /// Numbers `note` so that its name is free on disk and in this plan.
    fn free_name(&mut self, root: &Path, note: &mut Planned) {
        loop {
            let path = note.path();
            let hash = path_hash(&path);
            if !self.taken.contains(&hash) && std::fs::symlink_metadata(root.join(&path)).is_err() {
                self.taken.insert(hash);
                return;
            }
            note.n += 1;
        }
    }

    /// Interactions added per client id, notes and rows.
    pub fn per_client(&self) -> BTreeMap<&str, usize> {
        let mut counts = BTreeMap::new();
        for n in &self.notes {
            *counts.entry(&*n.client).or_default() += 1;
        }
        for (client, rows) in &self.rows {
            if rows.len() > 0 {
                *counts.entry(client.as_str()).or_default() += rows.len();
            }
        }
        counts
    }

    pub fn added(&self) -> usize {
        self.notes.len() + self.rows.values().map(Appended::len).sum::<usize>()
    }

    /// Writes what would be written to `out`: each note, and the rows
    /// added to each table, under a `# path` line.
    pub fn preview(&self, root: &Path, out: &mut impl Write) -> io::Result<()> {
        for note in &self.notes {
            let text = self.texts.get(note.text)?;
            writeln!(out, "# {}\n{text}", root.join(note.path()).display())?;
        }
        for rows in self.rows.values().filter(|r| r.len() > 0) {
            writeln!(
                out,
                "# {} (appended)\n{}",
                root.join(rows.path()).display(),
                rows.lines()
            )?;
        }
        out.flush()
    }

    /// Writes every file under `root`, or none. Every note and every
    /// table is first read back as the loader will and written beside
    /// its place; only then are they put in place, and a failure there
    /// takes back what this import put in place before it.
    pub fn write(&self, root: &Path) -> Result<(), (PathBuf, String)> {
        // On both cores: a large import writes a hundred thousand notes,
        // and each is three changes to a folder (a temporary file, its
        // link in place, its removal).
        let text = |note: &Planned| {
            self.texts
                .get(note.text)
                .map_err(|e| (note.path(), e.to_string()))
        };
        self.notes.par_iter().try_for_each(|note| {
            loads_as::<ActivityFile>(&note.path(), &text(note)?)
                .map_err(|d| (note.path(), d.message))
        })?;
        let tables: Vec<&Appended> = self.rows.values().filter(|r| r.len() > 0).collect();
        for rows in &tables {
            rows.loads()
                .map_err(|why| (rows.path().to_path_buf(), why))?;
        }
        let folders: BTreeSet<PathBuf> = self.notes.iter().map(Planned::folder).collect();
        for folder in folders {
            std::fs::create_dir_all(root.join(&folder)).map_err(|e| (folder, e.to_string()))?;
        }
        let staged = self
            .notes
            .par_iter()
            .map(|note| {
                Staged::new(&root.join(note.path()), text(note)?.as_bytes())
                    .map_err(|e| (note.path(), e.to_string()))
            })
            .collect::<Result<Vec<Staged>, _>>()?;
        let mut replaced = Vec::new();
        for rows in &tables {
            replaced.push(rows.stage(root)?);
        }
        let mut undo = Undo {
            root: root.to_path_buf(),
            ..Undo::default()
        };
        let placed: Vec<Result<PathBuf, (PathBuf, String)>> = staged
            .into_par_iter()
            .zip(self.notes.par_iter())
            .map(|(file, note)| {
                file.create()
                    .map(|()| root.join(note.path()))
                    .map_err(|e| (note.path(), e.to_string()))
            })
            .collect();
        let mut failed = None;
        for result in placed {
            match result {
                Ok(path) => undo.created.push(path),
                Err(e) => failed = failed.or(Some(e)),
            }
        }
        if let Some(e) = failed {
            undo.run();
            return Err(e);
        }
        for (rows, file) in tables.iter().zip(replaced) {
            if let Err(e) = rows.unchanged(root).and_then(|()| file.replace()) {
                undo.run();
                return Err((rows.path().to_path_buf(), e.to_string()));
            }
            undo.replaced.push(*rows);
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

/// What an import put in place before a failure: taken back.
#[derive(Default)]
struct Undo<'p> {
    root: PathBuf,
    created: Vec<PathBuf>,
    replaced: Vec<&'p Appended>,
}

impl Undo<'_> {
    fn run(&self) {
        for path in &self.created {
            let _ = std::fs::remove_file(path);
        }
        for rows in &self.replaced {
            rows.restore(&self.root);
        }
    }
}

fn key(source: &str, uid: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(format!("{source}\0{uid}").as_bytes())
}

fn path_hash(path: &Path) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_os_str().as_encoded_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(plan: &mut Plan, day: u32) -> Planned {
        Planned {
            client: Arc::from("acme"),
            date: NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            kind: ActivityType::Meeting,
            n: 1,
            text: plan
                .texts
                .push("---\ndate: 2026-11-02\ntype: meeting\nby: ada\ntitle: T\n---\n"),
        }
    }

    #[test]
    fn a_note_that_cannot_be_put_in_place_takes_back_the_ones_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let mut plan = Plan::new(&Model::default(), "calendar");
        for n in 1..=20 {
            let planned = note(&mut plan, n);
            plan.notes.push(planned);
        }
        // Someone writes the seventh note's name after the plan was made.
        let taken = dir
            .path()
            .join("clients/acme/activities/2026-11-07-meeting.md");
        std::fs::create_dir_all(taken.parent().unwrap()).unwrap();
        std::fs::write(&taken, "mine").unwrap();
        let (path, _) = plan.write(dir.path()).unwrap_err();
        assert_eq!(
            path,
            PathBuf::from("clients/acme/activities/2026-11-07-meeting.md")
        );
        let left: Vec<_> = std::fs::read_dir(taken.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            left,
            ["2026-11-07-meeting.md"],
            "only the user's file is left"
        );
        assert_eq!(std::fs::read_to_string(&taken).unwrap(), "mine");
    }
}
