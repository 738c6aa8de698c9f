//! Tasks given on the command line: `--follow-up "title; owner; due"` on an
//! activity and `--action "kind; title; owner; due"` on a review.

use super::refused;
use super::repo::{word, Kind, Repo};
use crate::diag::CommandError;
use crate::model::{Date, ReviewActionKind};
use crate::write::records::TaskRecord;

/// Reads one `--follow-up` (`with_kind` false) or `--action` (true).
pub(super) fn parse<'a>(
    repo: &Repo,
    flag: &str,
    text: &'a str,
    with_kind: bool,
) -> Result<TaskRecord<'a>, CommandError> {
    let fields: Vec<&str> = text.split(';').map(str::trim).collect();
    let (kind, rest) = match (with_kind, fields.as_slice()) {
        (true, [kind, rest @ ..]) => (Some(*kind), rest),
        (_, rest) => (None, rest),
    };
    let [title, owner, due] = rest else {
        let shape = if with_kind {
            "\"kind; title; owner; due\", e.g. \"escalate; Agree the FX pricing with the desk head; jdoe; 2026-12-15\""
        } else {
            "\"title; owner; due\", e.g. \"Send the FX proposal; jdoe; 2026-12-15\""
        };
        return Err(refused(format!(
            "`--{flag} {text}` does not have {} parts separated by `;`",
            if with_kind { "four" } else { "three" }
        ))
        .help(format!("write it as {shape}")));
    };
    if title.is_empty() {
        return Err(refused(format!("`--{flag}` needs a title")));
    }
    repo.known(Kind::Person, owner)?;
    let due = Date::parse(due).map_err(|e| refused(format!("`--{flag}`: {e}")))?;
    let kind = kind
        .map(|k| word::<ReviewActionKind>("a kind of review action", k))
        .transpose()?;
    Ok(TaskRecord {
        kind,
        title,
        owner,
        due,
    })
}
