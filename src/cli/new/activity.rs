//! `clientele new activity`: an activity note, with its call report when
//! the charter asks for one.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::repo::{word, Kind, Repo};
use super::{parse_day, refused, task};
use crate::diag::CommandError;
use crate::model::{ActivityFile, ActivityType, Date, Outcome};
use crate::write::records::{markdown, ActivityRecord};

#[derive(Clone, Debug, clap::Args)]
pub struct ActivityArgs {
    /// The client (its folder name under clients/).
    pub client: String,
    /// call, meeting, email, im, transaction or event.
    #[arg(long = "type")]
    pub kind: String,
    /// Who logs it (person id).
    #[arg(long)]
    pub by: String,
    /// One line saying what it was, e.g. "Q4 review".
    #[arg(long)]
    pub title: String,
    /// When it took place, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// The call report; `-` reads it from standard input.
    #[arg(long)]
    pub report: Option<String>,
    /// When the call report was written, YYYY-MM-DD (default: today). Give
    /// it when you log a report you wrote earlier.
    #[arg(long, value_parser = parse_day, requires = "report")]
    pub reported: Option<NaiveDate>,
    /// Other people of the firm who took part (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub attendees: Vec<String>,
    /// People at the client who took part (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub contacts: Vec<String>,
    /// Whether a transaction went through: completed or not-completed.
    #[arg(long)]
    pub outcome: Option<String>,
    /// A follow-up, "title; owner; due" (repeat for several), e.g.
    /// "Send the FX proposal; jdoe; 2026-12-15".
    #[arg(long = "follow-up")]
    pub follow_ups: Vec<String>,
}

impl ActivityArgs {
    /// Writes the note; returns its path.
    pub fn write(&self, repo: &Repo) -> Result<Vec<PathBuf>, CommandError> {
        repo.known(Kind::Client, &self.client)?;
        repo.known(Kind::Person, &self.by)?;
        for a in &self.attendees {
            repo.known(Kind::Person, a)?;
        }
        let kind = word::<ActivityType>("an activity type", &self.kind)?;
        let outcome = self
            .outcome
            .as_deref()
            .map(|o| word::<Outcome>("a transaction outcome", o))
            .transpose()?;
        let follow_ups = self
            .follow_ups
            .iter()
            .map(|f| task::parse(repo, "follow-up", f, false))
            .collect::<Result<Vec<_>, _>>()?;
        let date = self.date.unwrap_or(repo.today);
        let report = self.report()?;
        let report = report.trim();
        let needs_report = kind.needs_call_report() && date <= repo.today;
        let tier = repo.tier_of(&self.client);
        if needs_report && report.is_empty() && tier.is_some() {
            return Err(refused(format!(
                "a {} with tiered client `{}` needs a call report",
                self.kind, self.client
            ))
            .help("pass --report \"what was discussed and agreed\", or --report - to read it from standard input"));
        }
        let reported = (kind.needs_call_report() && !report.is_empty())
            .then(|| self.reported.unwrap_or(repo.today).max(date));
        let front = ActivityRecord {
            date: Date(date),
            kind,
            by: &self.by,
            title: &self.title,
            attendees: &self.attendees,
            contacts: self.contacts.iter().map(|c| c.trim()).collect(),
            outcome,
            reported: reported.map(Date),
            follow_ups,
            source: None,
            uid: None,
        };
        let path = repo.free_note(&self.client, "activities", date, kind.as_str());
        let path = repo.create::<ActivityFile>(path, &markdown(&front, report))?;
        if let (Some(tier), Some(reported)) = (tier, reported) {
            let late = (reported - date).num_days();
            match tier.call_report_days {
                Some(days) if late > i64::from(days) => CommandError::warning(
                    "new",
                    format!(
                        "this call report is written {} after the {}; tier `{}` asks for it within {days}, so `check` will report it",
                        crate::diag::plural(late, "day"),
                        kind.as_str(),
                        tier.id.value
                    ),
                )
                .at(path.display())
                .help("if you wrote it earlier, give that day with --reported; write the next one while it is fresh")
                .print(),
                _ => {}
            }
        }
        Ok(vec![path])
    }

    /// The call report: the flag's text, or standard input for `-`.
    fn report(&self) -> Result<String, CommandError> {
        match self.report.as_deref() {
            Some("-") => {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
                    refused(format!("cannot read the report from standard input: {e}"))
                })?;
                Ok(text)
            }
            Some(text) => Ok(text.to_string()),
            None => Ok(String::new()),
        }
    }
}
