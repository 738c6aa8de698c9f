//! The timeline sections of a client's page: notes with their call
//! reports, captured interactions, reviews and documents.

use serde::Serialize;

use super::super::super::views::{PersonRef, Refs, TaskView};
use super::super::super::{format, markdown};
use super::sections::{ClientTasks, Labelled};
use super::url_encode_path;
use crate::model::{Captured, Client, TaskPlace};

#[derive(Serialize)]
pub(super) struct ActivityView {
    anchor: String,
    date: String,
    kind: &'static str,
    title: String,
    by: PersonRef,
    attendees: Vec<PersonRef>,
    contacts: String,
    report: String,
    restricted: bool,
    follow_ups: Vec<TaskView>,
}

#[derive(Serialize)]
pub(super) struct CapturedRow {
    date: String,
    kind: &'static str,
    by: PersonRef,
    summary: String,
    /// For transactions: `completed` or `not completed`.
    outcome: &'static str,
}

#[derive(Serialize)]
pub(super) struct ReviewView {
    anchor: String,
    date: String,
    kind: String,
    trigger: String,
    reviewers: Vec<PersonRef>,
    findings: Vec<String>,
    plan_changed: bool,
    actions: Vec<TaskView>,
    notes: String,
    restricted: bool,
}

#[derive(Serialize)]
pub(super) struct DocumentView {
    name: String,
    url: String,
    size: String,
}

/// The `n` newest captured rows, newest first. Capture tools append in
/// date order, but a file merged or written by hand need not be; of rows
/// on the same date, the one further down the file comes first.
pub(super) fn newest_captured(rows: &[Captured], n: usize) -> Vec<&Captured> {
    let mut newest: Vec<&Captured> = rows.iter().rev().collect();
    newest.sort_by_key(|r| std::cmp::Reverse(r.date));
    newest.truncate(n);
    newest
}

pub(super) fn human_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.0} KB", b as f64 / 1024.0),
        b => format!("{b} bytes"),
    }
}

/// The activity timeline with call reports, newest first.
pub(super) fn activities(
    refs: &Refs<'_>,
    c: &Client,
    tasks: &ClientTasks<'_, '_>,
) -> Vec<ActivityView> {
    c.activities
        .iter()
        .rev()
        .map(|a| ActivityView {
            anchor: format!("a-{}", a.id),
            date: format::date(a.data.date.value.0),
            kind: a.data.kind.value.as_str(),
            title: a.data.title.value.clone(),
            by: refs.person(&a.data.by.value),
            attendees: refs.people(&a.data.attendees),
            contacts: a.data.contacts.join(", "),
            report: markdown::render(&a.body),
            restricted: a.data.restricted,
            follow_ups: tasks.views(TaskPlace::FollowUp, &a.src.file),
        })
        .collect()
}

/// How many captured interactions of each type.
pub(super) fn captured_by_type(c: &Client) -> Vec<Labelled> {
    crate::model::ActivityType::ALL
        .iter()
        .filter_map(|t| {
            let rows = c.captured.iter().filter(|r| r.kind == *t);
            let n = rows.clone().count();
            let failed = rows
                .filter(|r| r.outcome == Some(crate::model::Outcome::NotCompleted))
                .count();
            (n > 0).then(|| Labelled {
                label: t.as_str().to_string(),
                text: if failed > 0 {
                    format!("{n} ({failed} not completed)")
                } else {
                    n.to_string()
                },
            })
        })
        .collect()
}

/// The captured interactions shown at first; the rest are one click away.
pub(super) const CAPTURED_SHOWN: usize = 12;

/// Every captured interaction, newest first.
pub(super) fn captured_rows(refs: &Refs<'_>, c: &Client) -> Vec<CapturedRow> {
    newest_captured(&c.captured, usize::MAX)
        .into_iter()
        .map(|r| CapturedRow {
            date: format::date(r.date.0),
            kind: r.kind.as_str(),
            by: refs.person(&r.by),
            summary: r.summary.clone(),
            outcome: match r.outcome {
                Some(crate::model::Outcome::Completed) => "completed",
                Some(crate::model::Outcome::NotCompleted) => "not completed",
                None => "",
            },
        })
        .collect()
}

/// The reviews of the plan, newest first.
pub(super) fn reviews(refs: &Refs<'_>, c: &Client, tasks: &ClientTasks<'_, '_>) -> Vec<ReviewView> {
    c.reviews
        .iter()
        .rev()
        .map(|r| ReviewView {
            anchor: format!("r-{}", r.id),
            date: format::date(r.data.date.value.0),
            kind: r.data.kind.value.as_str().to_string(),
            trigger: r
                .data
                .trigger
                .as_ref()
                .map_or(String::new(), |t| t.value.as_str().replace('-', " ")),
            reviewers: refs.people(&r.data.reviewers),
            findings: r.data.findings.clone(),
            plan_changed: r.data.plan_changed,
            actions: tasks.views(TaskPlace::Review, &r.src.file),
            notes: markdown::render(&r.body),
            restricted: r.data.restricted,
        })
        .collect()
}

/// The documents, with their links.
pub(super) fn documents(c: &Client) -> Vec<DocumentView> {
    c.documents
        .iter()
        .map(|doc| DocumentView {
            name: doc.name.clone(),
            url: format!("clients/{}/documents/{}", c.id, url_encode_path(&doc.name)),
            size: human_size(doc.bytes),
        })
        .collect()
}
