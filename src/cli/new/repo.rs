//! The repository `new` writes into: which ids exist, the charter's tiers,
//! and creating a file that must not exist yet.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::de::DeserializeOwned;

use super::refused;
use crate::diag::CommandError;
use crate::load::slugify;
use crate::model::{Charter, ClientFile, Tier};
use crate::suggest;

/// The content folder, and the day default dates are.
pub struct Repo<'a> {
    pub content: &'a Path,
    pub today: NaiveDate,
}

/// What an id names.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Person,
    Client,
}

impl Repo<'_> {
    /// Refuses an id that no file of the repository has, with the nearest
    /// one as a suggestion.
    pub(super) fn known(&self, kind: Kind, id: &str) -> Result<(), CommandError> {
        let ids = match kind {
            Kind::Person => ids_in(&self.content.join("team"), true),
            Kind::Client => ids_in(&self.content.join("clients"), false),
        };
        if ids.iter().any(|i| i == id) {
            return Ok(());
        }
        let (name, add) = match kind {
            Kind::Person => ("person", "add them first with `clientele new person`"),
            Kind::Client => ("client", "add it first with `clientele new client`"),
        };
        let help = match suggest::did_you_mean(id, ids.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None => String::from(add),
        };
        Err(refused(format!(
            "unknown {name} `{id}` in `{}`",
            self.content.display()
        ))
        .help(help))
    }

    /// The charter, when it can be read.
    pub(super) fn charter(&self) -> Option<Charter> {
        read::<Charter>(&self.content.join("charter.yaml"))
    }

    /// The client's tier in the charter, when the client is on the
    /// priority list and both files can be read.
    pub(super) fn tier_of(&self, client: &str) -> Option<Tier> {
        let path = self
            .content
            .join("clients")
            .join(client)
            .join("client.yaml");
        let tier = read::<ClientFile>(&path)?.tier?.value;
        self.charter()?
            .tiers
            .into_iter()
            .find(|t| t.id.value == tier)
    }

    /// A free name for a note in the client's `folder`: `<date>-<kind>.md`,
    /// then `-2.md`, `-3.md`... (a link counts as taken).
    pub(super) fn free_note(
        &self,
        client: &str,
        folder: &str,
        date: NaiveDate,
        kind: &str,
    ) -> PathBuf {
        let dir = self.content.join("clients").join(client).join(folder);
        (1..)
            .map(|n| match n {
                1 => dir.join(format!("{date}-{kind}.md")),
                n => dir.join(format!("{date}-{kind}-{n}.md")),
            })
            .find(|path| std::fs::symlink_metadata(path).is_err())
            .unwrap_or_default()
    }

    /// Writes `text` at `path`, which must not exist yet, after parsing it
    /// as the loader will (`T` is the file's type in the model).
    pub(super) fn create<T: DeserializeOwned>(
        &self,
        path: PathBuf,
        text: &str,
    ) -> Result<PathBuf, CommandError> {
        crate::write::records::loads_as::<T>(&path, text).map_err(bug)?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| refused(format!("cannot create `{}`: {e}", parent.display())))?;
        }
        crate::write::file::create_new(&path, text.as_bytes()).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                refused(format!(
                    "`{}` already exists; clientele never overwrites a file",
                    path.display()
                ))
            } else {
                refused(format!("cannot write `{}`: {e}", path.display()))
            }
        })?;
        Ok(path)
    }
}

/// A YAML file of the repository as the loader reads it, if it can.
fn read<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let text = std::fs::read_to_string(path).ok()?;
    let file: std::sync::Arc<str> = std::sync::Arc::from(path.to_string_lossy().as_ref());
    crate::load::yaml::parse::<T>(&text, &file, 0).ok()
}

/// Refuses an id the loader would not accept.
pub(super) fn valid_id(id: &str) -> Result<(), CommandError> {
    if crate::load::is_valid_id(id) {
        return Ok(());
    }
    Err(refused(format!("`{id}` is not a usable id")).help(format!(
        "ids use lower-case letters, digits and dashes, e.g. `{}`",
        slugify(id)
    )))
}

/// One of the words an enum of the model is written as in a file
/// (`meeting`, `client-personnel-change`), read as the loader reads it;
/// anything else is refused with the nearest word, or the list of them.
pub(super) fn word<T: DeserializeOwned + schemars::JsonSchema>(
    what: &str,
    word: &str,
) -> Result<T, CommandError> {
    use serde::de::IntoDeserializer;
    let parsed: Result<T, serde::de::value::Error> = T::deserialize(word.into_deserializer());
    if let Ok(value) = parsed {
        return Ok(value);
    }
    let schema = schemars::SchemaGenerator::default().into_root_schema_for::<T>();
    let mut words = Vec::new();
    spelled(schema.as_value(), &mut words);
    Err(not_one_of(what, word, &words))
}

/// Refuses a word that is not one of `words`, naming the nearest.
pub(super) fn not_one_of(what: &str, word: &str, words: &[&str]) -> CommandError {
    let help = suggest::did_you_mean(word, words.iter().copied()).map_or_else(
        || format!("one of {}", suggest::list(words)),
        |b| format!("did you mean `{b}`?"),
    );
    refused(format!("`{word}` is not {what}")).help(help)
}

/// The strings a schema allows: its `enum` lists and `const` values.
fn spelled<'s>(schema: &'s serde_json::Value, out: &mut Vec<&'s str>) {
    match schema {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("enum", serde_json::Value::Array(items)) => {
                        out.extend(items.iter().filter_map(serde_json::Value::as_str));
                    }
                    ("const", serde_json::Value::String(s)) => out.push(s),
                    _ => spelled(value, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| spelled(v, out)),
        _ => {}
    }
}

fn ids_in(dir: &Path, files: bool) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_type()
                .is_ok_and(|t| if files { t.is_file() } else { t.is_dir() })
        })
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            match name.rsplit_once('.') {
                Some((stem, _)) if files => stem.to_string(),
                _ => name,
            }
        })
        .filter(|n| !n.starts_with('.'))
        .collect();
    ids.sort();
    ids
}

/// A file `new` made that does not load: a defect of clientele, reported
/// rather than written.
fn bug(d: crate::diag::Diagnostic) -> CommandError {
    refused(format!("the file would not load: {}", d.message))
        .help("this is a bug in clientele; please report it with the command you ran")
}
