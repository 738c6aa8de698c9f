//! Loading one client folder. A client is the unit of parallel loading and
//! of incremental rebuilds: nothing here looks outside `clients/<id>/`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::csv_reader::rows_from;
use super::source::{
    read_listed, read_text, split_front_matter, symlink, MAX_TABLE_BYTES, MAX_TEXT_BYTES,
};
use super::tables;
use super::{list_dir, yaml, Entry};
use crate::diag::{Diagnostic, Span};
use crate::model::{AccountPlan, Activity, Captured, Client, ClientFile, Document, Review, Source};
use crate::suggest;

/// Loads `clients/<id>/`; `None` when `client.yaml` itself is unusable.
pub fn load_client(
    root: &Path,
    id: &str,
    datasets: &[crate::model::Dataset],
) -> (Option<Client>, Vec<Diagnostic>) {
    let folder = Folder::list(root, id);
    let mut diags = Vec::new();
    let Some(file) = folder.listed("client.yaml", &mut diags) else {
        let rel: Arc<str> = Arc::from(format!("{}/client.yaml", folder.dir));
        if diags.is_empty() {
            diags.push(
                Diagnostic::input(crate::diag::inputs::MISSING_FILE, Span::file(&rel), format!("`{rel}` is missing"))
                    .with_help(format!("every client folder has a client.yaml; `clientele new client {id} --name ...` writes one")),
            );
        }
        let mut unread = Client::unread(id, rel);
        load_contents(root, &folder, datasets, &mut unread, &mut diags);
        return (None, diags);
    };
    let mut data = match parse_listed::<ClientFile>(root, &file) {
        Ok(data) => data,
        Err(found) => {
            // The rest of the folder is still read, for its own problems:
            // every problem is reported at once, not one per run.
            diags.extend(found);
            let mut unread = Client::unread(id, file);
            load_contents(root, &folder, datasets, &mut unread, &mut diags);
            return (None, diags);
        }
    };
    if let Some(wallet) = data
        .wallet_size
        .take_if(|w| !(w.value >= 0.0 && w.value.is_finite()))
    {
        diags.push(
            Diagnostic::input(
                crate::diag::inputs::INVALID_VALUE,
                Span::new(&file, wallet.pos.line, wallet.pos.col)
                    .with_len(wallet.value.to_string().len()),
                format!("`wallet_size` is {}: a client's spend cannot be below nothing", wallet.value),
            )
            .with_help("write the client's estimated yearly spend on what the firm sells, 0 or more; leave it out when unknown"),
        );
    }
    wallet_problems(&mut data, &file, &mut diags);
    let mut client = Client {
        id: id.to_string(),
        src: Source {
            file,
            line_offset: 0,
        },
        data,
        plan: None,
        activities: Vec::new(),
        captured: Vec::new(),
        reviews: Vec::new(),
        documents: Vec::new(),
        datasets: Vec::new(),
    };
    load_contents(root, &folder, datasets, &mut client, &mut diags);
    (Some(client), diags)
}

/// One listing of a client's folder: what exists and what is a link.
struct Folder {
    /// `clients/<id>`.
    dir: String,
    here: HashMap<String, std::fs::FileType>,
}

impl Folder {
    fn list(root: &Path, id: &str) -> Folder {
        let dir = format!("clients/{id}");
        let mut here = HashMap::new();
        if let Ok(read) = std::fs::read_dir(root.join(&dir)) {
            for entry in read.flatten() {
                if let Ok(kind) = entry.file_type() {
                    here.insert(entry.file_name().to_string_lossy().into_owned(), kind);
                }
            }
        }
        Folder { dir, here }
    }

    /// The path of `name` if the folder has it; a link is reported instead.
    fn listed(&self, name: &str, diags: &mut Vec<Diagnostic>) -> Option<Arc<str>> {
        let kind = self.here.get(name)?;
        let rel: Arc<str> = Arc::from(format!("{}/{name}", self.dir));
        if kind.is_symlink() {
            diags.push(symlink(&rel));
            return None;
        }
        Some(rel)
    }

    fn has_folder(&self, name: &str) -> bool {
        self.here.get(name).is_some_and(|k| k.is_dir())
    }
}

/// What a client folder holds: each name, and whether it is a folder.
const CLIENT_FOLDER: [(&str, bool); 7] = [
    ("client.yaml", false),
    ("plan.md", false),
    ("activities", true),
    ("activities.csv", false),
    ("reviews", true),
    ("documents", true),
    ("data", true),
];

impl Folder {
    /// A warning for every entry clientele does not read: a misspelt
    /// folder's notes would otherwise be silently left out.
    fn unknown(&self, diags: &mut Vec<Diagnostic>) {
        let mut names: Vec<&String> = self.here.keys().collect();
        names.sort();
        for name in names {
            let kind = self.here[name];
            if super::is_ignored(name) || kind.is_symlink() {
                continue;
            }
            let is_dir = kind.is_dir();
            if CLIENT_FOLDER.contains(&(name.as_str(), is_dir)) {
                continue;
            }
            let shown = if is_dir {
                format!("{name}/")
            } else {
                name.clone()
            };
            let known = CLIENT_FOLDER.iter().map(|(n, _)| *n);
            let help = match suggest::did_you_mean(name, known) {
                Some(best) => {
                    let folder = CLIENT_FOLDER.iter().any(|&(n, d)| n == best && d);
                    format!("did you mean `{best}{}`?", if folder { "/" } else { "" })
                }
                None => String::from("a client folder holds client.yaml, plan.md, activities/, activities.csv, reviews/, documents/ and data/; put other files in documents/ to list them on the client page"),
            };
            let rel: Arc<str> = Arc::from(format!("{}/{name}", self.dir));
            diags.push(unknown_file(&rel, &shown, help));
        }
    }
}

/// The warning for a file or folder clientele does not read.
pub(super) fn unknown_file(rel: &Arc<str>, shown: &str, help: String) -> Diagnostic {
    Diagnostic::input(
        crate::diag::inputs::UNKNOWN_FILE,
        Span::file(rel),
        format!("`{shown}` is not read: clientele does not know it"),
    )
    .at(crate::diag::Severity::Warning)
    .with_help(help)
}

/// Everything of a client beside `client.yaml`: the plan, notes, reviews,
/// captured interactions and documents.
fn load_contents(
    root: &Path,
    folder: &Folder,
    datasets: &[crate::model::Dataset],
    client: &mut Client,
    diags: &mut Vec<Diagnostic>,
) {
    let dir = &folder.dir;
    folder.unknown(diags);
    if let Some(plan_file) = folder.listed("plan.md", diags) {
        match read_markdown::<crate::model::PlanFile>(root, &plan_file) {
            Ok((data, src, body, body_line)) => {
                for goal in data.goals.iter().filter(|g| g.target.is_some()) {
                    diags.push(
                        Diagnostic::input(
                            crate::diag::inputs::INVALID_VALUE,
                            src.span(&goal.id),
                            format!("goal `{}` has a `target`, which only the firm's goals take", goal.id.value),
                        )
                        .with_label("a goal of an account plan")
                        .with_help("measure a plan's goals with its `metrics:`; `target:` belongs to goals in strategy.yaml"),
                    );
                }
                client.plan = Some(AccountPlan {
                    src,
                    data,
                    body,
                    body_line,
                })
            }
            Err(found) => diags.extend(found),
        }
    }
    if folder.has_folder("activities") {
        client.activities = notes(
            root,
            &format!("{dir}/activities"),
            diags,
            |id, src, data, body, body_line| Activity {
                id,
                src,
                data,
                body,
                body_line,
            },
        );
    }
    if folder.has_folder("reviews") {
        client.reviews = notes(
            root,
            &format!("{dir}/reviews"),
            diags,
            |id, src, data, body, body_line| Review {
                id,
                src,
                data,
                body,
                body_line,
            },
        );
    }
    if let Some(csv_file) = folder.listed("activities.csv", diags) {
        diags.extend(read_captured(root, &csv_file, &mut client.captured));
    }
    if folder.here.get("documents").is_some_and(|k| k.is_symlink()) {
        diags.push(symlink(&Arc::from(format!("{dir}/documents"))));
    } else if folder.has_folder("documents") {
        client.documents = documents(root, &format!("{dir}/documents"), diags);
    }
    if folder.has_folder("data") {
        client.datasets = super::datasets::client_data(root, dir, datasets, diags);
    }
    client
        .activities
        .sort_by(|a, b| (a.data.date.value, &a.id).cmp(&(b.data.date.value, &b.id)));
    client
        .reviews
        .sort_by(|a, b| (a.data.date.value, &a.id).cmp(&(b.data.date.value, &b.id)));
}

/// Parses a listed whole-file YAML document; every problem of it when it
/// cannot be used.
pub(super) fn parse_listed<T: DeserializeOwned>(
    root: &Path,
    rel: &Arc<str>,
) -> Result<T, Vec<Diagnostic>> {
    let text = read_listed(root, rel, MAX_TEXT_BYTES).map_err(|d| vec![d])?;
    parse_text(&text, rel)
}

fn parse_text<T: DeserializeOwned>(text: &str, rel: &Arc<str>) -> Result<T, Vec<Diagnostic>> {
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::input(
            crate::diag::inputs::EMPTY_FILE,
            Span::file(rel),
            format!("`{rel}` is empty"),
        )
        .with_help(
            "see the README's content format for the fields this file needs",
        )]);
    }
    yaml::parse_all(text, rel, 0)
}

/// Reads and parses a whole-file YAML document.
pub fn read_yaml<T: DeserializeOwned>(root: &Path, rel: &Arc<str>) -> Result<T, Vec<Diagnostic>> {
    let text = read_text(root, rel, MAX_TEXT_BYTES).map_err(|d| vec![d])?;
    parse_text(&text, rel)
}

/// Reads a listed Markdown file with front matter: (fields, source, body, body line).
fn read_markdown<T: DeserializeOwned>(
    root: &Path,
    rel: &Arc<str>,
) -> Result<(T, Source, String, u32), Vec<Diagnostic>> {
    let text = read_listed(root, rel, MAX_TEXT_BYTES).map_err(|d| vec![d])?;
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::input(
            crate::diag::inputs::EMPTY_FILE,
            Span::file(rel),
            format!("`{rel}` is empty"),
        )
        .with_help(
            "start it with front matter: a line `---`, the fields, and another `---`",
        )]);
    }
    let fm = split_front_matter(&text, rel).map_err(|d| vec![d])?;
    if fm.yaml.trim().is_empty() {
        return Err(vec![Diagnostic::input(
            crate::diag::inputs::EMPTY_FILE,
            Span::new(rel, 2, 1),
            format!("the front matter of `{rel}` is empty"),
        )
        .with_help(
            "see the README's content format for the fields this file needs",
        )]);
    }
    let data = yaml::parse_all(fm.yaml, rel, fm.yaml_offset)?;
    let src = Source {
        file: Arc::clone(rel),
        line_offset: fm.yaml_offset,
    };
    Ok((data, src, fm.body.to_string(), fm.body_line))
}

/// Reads every Markdown file of `folder` into `make(id, source, fields,
/// body, body line)`; problems go to `diags`.
fn notes<T: DeserializeOwned, R>(
    root: &Path,
    folder: &str,
    diags: &mut Vec<Diagnostic>,
    make: impl Fn(String, Source, T, String, u32) -> R,
) -> Vec<R> {
    let mut out = Vec::new();
    for entry in markdown_files(root, folder, diags) {
        match read_markdown(root, &entry.rel) {
            Ok((data, src, body, body_line)) => {
                out.push(make(entry.stem, src, data, body, body_line))
            }
            Err(found) => diags.extend(found),
        }
    }
    out
}

/// The notes of `dir`; anything else in it is reported as not read.
fn markdown_files(root: &Path, dir: &str, diags: &mut Vec<Diagnostic>) -> Vec<Entry> {
    let (notes, other): (Vec<Entry>, Vec<Entry>) = list_dir(root, dir, diags)
        .into_iter()
        .partition(|e| e.is_file && e.rel.ends_with(".md"));
    for entry in other {
        let name = entry.rel.rsplit('/').next().unwrap_or_default();
        let (shown, help) = if entry.is_file {
            let stem = name.rsplit_once('.').map_or(name, |(s, _)| s);
            (name.to_string(), format!("notes are Markdown files named `.md`: rename it `{stem}.md`, or move it to documents/"))
        } else {
            (
                format!("{name}/"),
                format!(
                    "notes are read from `{dir}/` itself, not from folders inside it: move them up"
                ),
            )
        };
        diags.push(unknown_file(&entry.rel, &shown, help));
    }
    notes
}

/// `activities.csv`, which the folder listing showed to be a file: read in
/// one `open` and parsed from memory (the benchmark firm has one per client).
fn read_captured(root: &Path, rel: &Arc<str>, out: &mut Vec<Captured>) -> Vec<Diagnostic> {
    let text = match read_listed(root, rel, MAX_TABLE_BYTES) {
        Ok(text) => text,
        Err(d) => return vec![d],
    };
    rows_from(rel, &text, tables::CAPTURED, tables::captured_row, out)
}

/// Lists `documents/` recursively. Links, FIFOs and devices are refused,
/// never followed or read; hidden files and folders (`.git/`, `.env`) are
/// not documents; a name that cannot be a file name on every system the
/// portal may be copied to is reported and the document left out.
fn documents(root: &Path, dir: &str, diags: &mut Vec<Diagnostic>) -> Vec<Document> {
    let base = root.join(dir);
    let mut docs = Vec::new();
    let walk = walkdir::WalkDir::new(&base)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !super::is_ignored(&e.file_name().to_string_lossy()));
    for entry in walk {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 || entry.file_type().is_dir() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&base) else {
            continue;
        };
        let shown = rel.to_string_lossy().replace('\\', "/");
        let here: Arc<str> = Arc::from(format!("{dir}/{shown}"));
        if entry.path_is_symlink() {
            diags.push(symlink(&here));
            continue;
        }
        if let Some(kind) = super::open::special_kind(entry.file_type()) {
            diags.push(super::source::not_regular(&here, kind));
            continue;
        }
        let name = match rel
            .to_str()
            .ok_or(())
            .and_then(|n| document_name(n).map_err(|_| ()))
        {
            Ok(name) => name,
            Err(()) => {
                diags.push(bad_document_name(&here, rel));
                continue;
            }
        };
        let bytes = entry.metadata().map_or(0, |m| m.len());
        if bytes > MAX_DOCUMENT_BYTES {
            diags.push(super::source::open_error(
                &here,
                super::open::OpenError::TooLarge(bytes),
                MAX_DOCUMENT_BYTES,
            ));
            continue;
        }
        docs.push(Document { name, bytes });
    }
    docs
}

/// The largest document copied into the portal.
pub const MAX_DOCUMENT_BYTES: u64 = MAX_TABLE_BYTES;

/// A document's path below `documents/` when every part of it can be a
/// file name and a URL path on Linux, macOS and Windows alike.
fn document_name(rel: &str) -> Result<String, ()> {
    const RESERVED: [&str; 22] = [
        "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
        "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
    ];
    let ok = rel.split('/').all(|part| {
        let stem = part.split('.').next().unwrap_or(part).to_ascii_lowercase();
        !part.is_empty()
            && !part.ends_with(['.', ' '])
            && !RESERVED.contains(&stem.trim_end())
            && !part.chars().any(|c| {
                c.is_control() || matches!(c, '\\' | '<' | '>' | ':' | '"' | '|' | '?' | '*')
            })
    });
    if ok {
        Ok(rel.to_string())
    } else {
        Err(())
    }
}

fn bad_document_name(here: &Arc<str>, rel: &Path) -> Diagnostic {
    let why = if rel.to_str().is_none() {
        "is not valid UTF-8"
    } else {
        "contains a character or a name that cannot be a file name everywhere"
    };
    Diagnostic::input(
        crate::diag::inputs::INVALID_FILE_NAME,
        Span::file(here),
        format!("the name of document `{here}` {why}; it is left out of the portal"),
    )
    .with_help("rename it with letters, digits, spaces, `-`, `_` and `.`; avoid \\ < > : \" | ? * and names such as CON or NUL")
}

/// A wallet history's amounts are 0 or more, and it stands instead of
/// `wallet_size`, not beside it. Its latest estimate becomes `wallet_size`,
/// the wallet now, for every figure that takes one.
fn wallet_problems(
    data: &mut crate::model::ClientFile,
    file: &Arc<str>,
    diags: &mut Vec<Diagnostic>,
) {
    let at = |pos: &crate::model::Pos, len: usize| Span::new(file, pos.line, pos.col).with_len(len);
    data.wallet.retain(|w| {
        let fine = w.amount.value >= 0.0 && w.amount.value.is_finite();
        if !fine {
            diags.push(
                Diagnostic::input(
                    crate::diag::inputs::INVALID_VALUE,
                    at(&w.amount.pos, w.amount.value.to_string().len()),
                    format!("a wallet of {} cannot be: a client's spend cannot be below nothing", w.amount.value),
                )
                .with_help("write the estimated yearly spend on what the firm sells, 0 or more; the estimate is left out until then"),
            );
        }
        fine
    });
    if data.wallet.is_empty() {
        return;
    }
    if let Some(size) = &data.wallet_size {
        diags.push(
            Diagnostic::input(
                crate::diag::inputs::INVALID_VALUE,
                at(&size.pos, size.value.to_string().len()),
                String::from("`wallet_size` and `wallet` both give the wallet"),
            )
            .with_help("keep the dated estimates in `wallet` (the latest is the wallet now) and remove `wallet_size`; until then the estimates are used"),
        );
    }
    let latest = data.wallet.iter().max_by_key(|w| w.date.value);
    data.wallet_size = latest.map(|w| w.amount.clone());
}
