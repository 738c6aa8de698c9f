//! Reading a CSV export with its [`ImportMap`]: each row an interaction,
//! matched to its client and person by what the map says the columns
//! hold. A row the map cannot read is a problem located in the export; a
//! client or person the repository does not know is left for a person
//! to sort.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime};

use super::map::{ClientKey, ImportMap};
use super::{Directory, Found, Verdict};
use crate::diag::{inputs, Diagnostic, Span};
use crate::load::csv_reader::Row;
use crate::model::{ActivityType, Model, Spanned};

/// What the export held.
#[derive(Default)]
pub struct Read {
    pub rows: Vec<(Found, Verdict)>,
    /// Rows of a type the map says to skip.
    pub skipped: usize,
    pub problems: Vec<Diagnostic>,
}

/// Reads `text`, the export named `file`, with `map` (from `map_file`),
/// through the loader's CSV reader: the same shape checks, locations and
/// bound on problems as every table of the repository.
pub fn read(
    text: &str,
    file: &Arc<str>,
    map: &ImportMap,
    map_file: &Arc<str>,
    model: &Model,
    window: &super::calendar::Window,
) -> Read {
    let matcher = Matcher::new(model, map);
    let mut out = Read::default();
    out.problems = crate::load::csv_reader::read_table(
        file,
        text,
        |header, _| missing_columns(map, header, file, map_file),
        |row| {
            match matcher.read(map, row, window)? {
                Some(pair) => out.rows.push(pair),
                None => out.skipped += 1,
            }
            Ok(())
        },
    );
    out
}

/// Every column the map names that the export's header lacks, each a
/// problem at its place in the map.
fn missing_columns(
    map: &ImportMap,
    header: &[String],
    file: &Arc<str>,
    map_file: &Arc<str>,
) -> Vec<Diagnostic> {
    if header.iter().all(String::is_empty) {
        return vec![row_problem(
            Span::file(file),
            String::from("the export has no header row"),
            "export the report as CSV with its column names on the first line",
        )];
    }
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    let named = [&map.date.column, &map.person.column, &map.client.column]
        .into_iter()
        .chain(&map.kind.column)
        .chain(map.subject.as_ref().and_then(|s| s.column.as_ref()))
        .chain(&map.key);
    named
        .filter(|name| !names.contains(&name.value.as_str()))
        .map(|name| {
            let columns = crate::suggest::list(&names);
            let help = match crate::suggest::did_you_mean(&name.value, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`? the export's columns are {columns}"),
                None => format!("the export's columns are {columns}"),
            };
            Diagnostic::input(
                inputs::INVALID_IMPORT_MAP,
                map_span(map_file, name),
                format!("the export has no column `{}`", name.value),
            )
            .with_help(help)
        })
        .collect()
}

pub fn map_span(map_file: &Arc<str>, value: &Spanned<String>) -> Span {
    let pos = value.pos;
    Span::new(map_file, pos.line.max(1), pos.col.max(1)).with_len(value.value.chars().count())
}

fn row_problem(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::input(inputs::INVALID_EXPORT_ROW, span, message).with_help(help)
}

/// The repository's people and clients, by what an export may hold.
struct Matcher<'m> {
    model: &'m Model,
    directory: Directory<'m>,
    /// Names, team emails and ids, lower-case, to person ids.
    people: HashMap<String, &'m str>,
    /// Client names (lower-case) or external ids, to client indexes.
    clients: HashMap<String, Vec<usize>>,
}

impl<'m> Matcher<'m> {
    fn new(model: &'m Model, map: &'m ImportMap) -> Matcher<'m> {
        let mut people: HashMap<String, &'m str> = HashMap::new();
        for p in &model.people {
            people.insert(p.data.name.to_lowercase(), &p.id);
            if let Some(email) = &p.data.email {
                people.insert(email.to_ascii_lowercase(), &p.id);
            }
            people.insert(p.id.to_lowercase(), &p.id);
        }
        for (value, id) in &map.person.names {
            people.insert(value.to_lowercase(), &id.value);
        }
        let mut clients: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in model.clients.iter().enumerate() {
            let key = match map.client.by.value {
                ClientKey::Name => Some(c.data.name.to_lowercase()),
                ClientKey::ExternalId => map
                    .client
                    .system
                    .as_ref()
                    .and_then(|s| c.data.external_ids.get(&s.value))
                    .map(|v| v.to_lowercase()),
                _ => None,
            };
            if let Some(key) = key {
                clients.entry(key).or_default().push(i);
            }
        }
        Matcher {
            model,
            directory: Directory::new(model),
            people,
            clients,
        }
    }

    /// One row as an interaction and its match; `None` for a row the map
    /// skips or one outside the days imported.
    fn read(
        &self,
        map: &ImportMap,
        row: &Row<'_>,
        window: &super::calendar::Window,
    ) -> Result<Option<(Found, Verdict)>, Diagnostic> {
        let Some(kind) = kind(map, row)? else {
            return Ok(None);
        };
        let date = date(map, row, window)?;
        if !(window.from..=window.to).contains(&date) {
            return Ok(None);
        }
        let key: Vec<&str> = map.key.iter().map(|k| row.text(k)).collect();
        if key.iter().all(|k| k.is_empty()) {
            let first = map.key.first().map_or("", |k| k.value.as_str());
            return Err(row_problem(
                row.span(first),
                String::from("this row has an empty key"),
                "every row needs the columns the map's `key` names: they are how a second import knows the row",
            ));
        }
        let written = map
            .subject
            .as_ref()
            .and_then(|s| s.column.as_ref())
            .map_or("", |c| row.text(c));
        let title = match map.subject.as_ref().and_then(|s| s.value.as_ref()) {
            _ if !written.is_empty() => written.to_string(),
            Some(value) => value.clone(),
            None => String::from("(no subject)"),
        };
        let found = Found {
            date,
            kind,
            title,
            uid: key.join("/"),
            organizer: None,
            participants: Vec::new(),
        };
        let person = row.text(&map.person.column);
        let Some(&by) = self.people.get(&person.to_lowercase()) else {
            return Ok(Some((
                found,
                Verdict::Unmatched(vec![format!("person {person}")]),
            )));
        };
        let client = row.text(&map.client.column);
        let owners = self.clients_of(map.client.by.value, client);
        let verdict = match owners.as_slice() {
            [] => Verdict::Unmatched(vec![format!("client {client}")]),
            [one] => Verdict::Client {
                client: *one,
                by: by.to_string(),
                attendees: Vec::new(),
                contacts: match map.client.by.value {
                    ClientKey::Email => vec![client.to_ascii_lowercase()],
                    _ => Vec::new(),
                },
            },
            many => Verdict::Ambiguous(
                many.iter()
                    .map(|&i| self.model.clients[i].id.clone())
                    .collect(),
            ),
        };
        Ok(Some((found, verdict)))
    }

    fn clients_of(&self, by: ClientKey, value: &str) -> Vec<usize> {
        let value = value.to_lowercase();
        match by {
            ClientKey::Id => self
                .model
                .index
                .clients
                .get(&value)
                .copied()
                .into_iter()
                .collect(),
            ClientKey::Domain => self
                .model
                .index
                .domains
                .get(&value)
                .cloned()
                .unwrap_or_default(),
            ClientKey::Email => self.directory.client_of(&value).into_iter().collect(),
            ClientKey::Name | ClientKey::ExternalId => {
                self.clients.get(&value).cloned().unwrap_or_default()
            }
        }
    }
}

/// The row's type; `None` when the map says to skip it.
fn kind(map: &ImportMap, row: &Row<'_>) -> Result<Option<ActivityType>, Diagnostic> {
    let Some(column) = map.kind.column.as_ref() else {
        let word = map.kind.value.as_ref().map_or("", |v| v.value.as_str());
        return Ok(ActivityType::parse(word));
    };
    let cell = row.text(column);
    let word = match map.kind.values.get(cell) {
        Some(word) => word.value.as_str(),
        None if ActivityType::parse(&cell.to_lowercase()).is_some() => {
            return Ok(ActivityType::parse(&cell.to_lowercase()))
        }
        None => {
            let mut known: Vec<&str> = map.kind.values.keys().map(String::as_str).collect();
            known.sort_unstable();
            return Err(row_problem(
                row.span(column),
                format!("`{cell}` is not a type the map knows"),
                &format!(
                    "add `{cell}: <type or skip>` under `type: values:` in the map; it knows {}",
                    crate::suggest::list(&known)
                ),
            ));
        }
    };
    Ok(ActivityType::parse(word))
}

/// The row's day in the firm's time zone.
fn date(
    map: &ImportMap,
    row: &Row<'_>,
    window: &super::calendar::Window,
) -> Result<NaiveDate, Diagnostic> {
    let column = &map.date.column;
    let cell = row.text(column);
    let format = map
        .date
        .format
        .as_ref()
        .map_or("%Y-%m-%d", |f| f.value.as_str());
    if let Ok(at) = DateTime::<FixedOffset>::parse_from_str(cell, format) {
        return Ok(at.with_timezone(&window.zone).date_naive());
    }
    if let Ok(at) = NaiveDateTime::parse_from_str(cell, format) {
        return Ok(at.date());
    }
    NaiveDate::parse_from_str(cell, format).map_err(|_| {
        row_problem(
            row.span(column),
            format!("`{cell}` is not a date in the format `{format}`"),
            "set `date: format:` in the map to the export's format (chrono's strftime, such as `%d/%m/%Y %H:%M`)",
        )
    })
}

/// What the map itself gets wrong, each at its place in the map: a type
/// that is not one, a person who is not in the team, an external id
/// without its system, no key.
pub fn check_map(map: &ImportMap, map_file: &Arc<str>, model: &Model) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut bad = |value: &Spanned<String>, message: String, help: String| {
        problems.push(
            Diagnostic::input(
                inputs::INVALID_IMPORT_MAP,
                map_span(map_file, value),
                message,
            )
            .with_help(help),
        );
    };
    let types: Vec<&str> = ActivityType::ALL.iter().map(|t| t.as_str()).collect();
    for word in map.kind.values.values() {
        if word.value != "skip" && ActivityType::parse(&word.value).is_none() {
            bad(
                word,
                format!("`{}` is not an activity type", word.value),
                format!("use one of {}, or `skip`", crate::suggest::list(&types)),
            );
        }
    }
    match (&map.kind.column, &map.kind.value) {
        (None, None) => bad(
            &map.source,
            String::from(
                "the map says neither which column holds the type nor what type every row is",
            ),
            String::from("add `type: { column: ... }` or `type: { value: call }`"),
        ),
        (Some(_), Some(value)) => bad(
            value,
            String::from("`type` has both a `column` and a `value`"),
            String::from("keep `column` (with `values`) or `value`, not both"),
        ),
        (None, Some(value)) if ActivityType::parse(&value.value).is_none() => bad(
            value,
            format!("`{}` is not an activity type", value.value),
            format!("use one of {}", crate::suggest::list(&types)),
        ),
        _ => {}
    }
    for id in map.person.names.values() {
        if !model.index.people.contains_key(&id.value) {
            bad(
                id,
                format!("`{}` is not a person of the team", id.value),
                String::from("`names` maps what the export holds to person ids under `team/`"),
            );
        }
    }
    if map.client.by.value == ClientKey::ExternalId && map.client.system.is_none() {
        let by = Spanned {
            value: map.client.by.value.to_string(),
            pos: map.client.by.pos,
        };
        bad(
            &by,
            String::from("`by: external-id` needs the `system` whose ids the column holds"),
            String::from("add `system: salesforce` (a key of the clients' `external_ids`)"),
        );
    }
    if map.key.is_empty() {
        bad(
            &map.source,
            String::from("the map has no `key`"),
            String::from("name the columns that identify a row, such as `key: [Activity ID]`"),
        );
    }
    let id_ok = crate::load::is_valid_id(&map.source.value);
    if !id_ok {
        bad(
            &map.source,
            format!("`{}` cannot be a source name", map.source.value),
            String::from("use lower-case letters, digits and dashes, such as `salesforce`"),
        );
    }
    problems
}
