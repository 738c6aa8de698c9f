//! `clientele new review`: a review of a client's account plan.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::repo::{word, Kind, Repo};
use super::{parse_day, refused, task};
use crate::diag::CommandError;
use crate::model::{Date, ReviewFile, ReviewKind, ReviewTrigger};
use crate::write::records::{markdown, ReviewRecord};

#[derive(Clone, Debug, clap::Args)]
pub struct ReviewArgs {
    /// The client (its folder name under clients/).
    pub client: String,
    /// monthly, quarterly, annual or event.
    #[arg(long)]
    pub kind: String,
    /// Reviewers (comma-separated person ids).
    #[arg(long, value_delimiter = ',', required = true)]
    pub reviewers: Vec<String>,
    /// A finding; repeat for several.
    #[arg(long = "finding", required = true)]
    pub findings: Vec<String>,
    /// What prompted an event review, e.g. client-personnel-change.
    #[arg(long)]
    pub trigger: Option<String>,
    /// When the review took place, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// The review changed the account plan.
    #[arg(long)]
    pub plan_changed: bool,
    /// An action the review decided, "kind; title; owner; due" (repeat for
    /// several); kinds: update-plan, congratulate, escalate, exploit,
    /// communicate.
    #[arg(long = "action")]
    pub actions: Vec<String>,
}

impl ReviewArgs {
    /// Writes the review; returns its path.
    pub fn write(&self, repo: &Repo) -> Result<Vec<PathBuf>, CommandError> {
        repo.known(Kind::Client, &self.client)?;
        for r in &self.reviewers {
            repo.known(Kind::Person, r)?;
        }
        let kind = word::<ReviewKind>("a review kind", &self.kind)?;
        let trigger = match self.trigger.as_deref() {
            Some(trigger) => Some(word::<ReviewTrigger>("a review trigger", trigger)?),
            None if kind == ReviewKind::Event => {
                return Err(refused("an event review says what triggered it")
                    .help("pass --trigger, e.g. client-personnel-change or merger-acquisition"));
            }
            None => None,
        };
        let actions = self
            .actions
            .iter()
            .map(|a| task::parse(repo, "action", a, true))
            .collect::<Result<Vec<_>, _>>()?;
        let date = self.date.unwrap_or(repo.today);
        let front = ReviewRecord {
            date: Date(date),
            kind,
            trigger,
            reviewers: &self.reviewers,
            findings: &self.findings,
            plan_changed: self.plan_changed,
            actions,
        };
        let path = repo.free_note(&self.client, "reviews", date, kind.as_str());
        Ok(vec![repo.create::<ReviewFile>(path, &markdown(&front, ""))?])
    }
}
