//! The client page's "Changed since the last review": the commits that
//! touched the client's folder, from git (read by `load::history`), so the
//! reviewer sees what moved in the plan, the notes and the reviews since
//! the last one.

use serde::Serialize;

use super::super::super::format;
use crate::model::{Client, Model};

/// The most commits listed; the rest are counted.
const SHOWN: usize = 20;

/// Without a review yet, the latest changes shown.
const LATEST: usize = 10;

#[derive(Serialize)]
pub struct Changes {
    /// The last review's day, if there is one.
    pub since: Option<String>,
    pub rows: Vec<ChangeRow>,
    /// Changes since the review beyond the ones listed.
    pub more: usize,
    pub shallow: bool,
    pub truncated: bool,
    pub max_commits: usize,
}

#[derive(Serialize)]
pub struct ChangeRow {
    pub date: String,
    pub author: String,
    pub subject: String,
    pub files: Vec<String>,
    /// Files the commit touched beyond those named.
    pub more_files: usize,
}

/// `None` outside a git repository, with `--no-git`, and for the wide
/// audience.
pub fn changes(model: &Model, c: &Client) -> Option<Changes> {
    let git = &model.git;
    if !git.found {
        return None;
    }
    let all = git.clients.get(&c.id).map_or(&[][..], Vec::as_slice);
    let review = c.last_review().map(|r| r.data.date.value.0);
    let since: Vec<_> = match review {
        Some(day) => all.iter().filter(|ch| ch.date >= day).collect(),
        None => all.iter().take(LATEST).collect(),
    };
    let rows = since
        .iter()
        .take(SHOWN)
        .map(|ch| ChangeRow {
            date: format::date(ch.date),
            author: ch.author.clone(),
            subject: ch.subject.clone(),
            files: ch.files.clone(),
            more_files: ch.touched.saturating_sub(ch.files.len()),
        })
        .collect();
    Some(Changes {
        since: review.map(format::date),
        more: since.len().saturating_sub(SHOWN),
        rows,
        shallow: git.shallow,
        truncated: git.truncated,
        max_commits: crate::load::MAX_COMMITS,
    })
}
