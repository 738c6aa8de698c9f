//! `clientele new activity`: an activity note, with its call report when
//! the charter asks for one.

use std::path::PathBuf;

use chrono::NaiveDate;

use super::records::{markdown, ActivityRecord};
use super::repo::{free_name, one_of, Kind, Repo};
use super::{parse_day, refused};
use crate::diag::CommandError;
use crate::model::{ActivityFile, ActivityType, Date};

#[derive(Clone, Debug, clap::Args)]
pub struct ActivityArgs {
    pub client: String,
    /// call, meeting, email, im, transaction or event.
    #[arg(long = "type")]
    pub kind: String,
    /// Who logs it (person id).
    #[arg(long)]
    pub by: String,
    #[arg(long)]
    pub title: String,
    #[arg(long, value_parser = parse_day)]
    pub date: Option<NaiveDate>,
    /// The call report; `-` reads it from standard input.
    #[arg(long)]
    pub report: Option<String>,
    /// Other people of the firm who took part (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    pub attendees: Vec<String>,
    /// People at the client who took part (comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub contacts: Vec<String>,
}

impl ActivityArgs {
    /// Writes the note; returns its path.
    pub fn write(&self, repo: &Repo) -> Result<Vec<PathBuf>, CommandError> {
        repo.known(Kind::Client, &self.client)?;
        repo.known(Kind::Person, &self.by)?;
        for a in &self.attendees {
            repo.known(Kind::Person, a)?;
        }
        let kind = ActivityType::parse(&self.kind).ok_or_else(|| {
            let all = ActivityType::ALL.iter().map(|t| t.as_str());
            one_of("an activity type", &self.kind, all)
        })?;
        let date = self.date.unwrap_or(repo.today);
        let report = self.report()?;
        let report = report.trim();
        let needs_report = kind.needs_call_report() && date <= repo.today;
        if needs_report && report.is_empty() && repo.is_tiered(&self.client) {
            return Err(refused(format!(
                "a {} with tiered client `{}` needs a call report",
                self.kind, self.client
            ))
            .help("pass --report \"what was discussed and agreed\", or --report - to read it from standard input"));
        }
        let front = ActivityRecord {
            date: Date(date),
            kind,
            by: &self.by,
            title: &self.title,
            attendees: &self.attendees,
            contacts: self.contacts.iter().map(|c| c.trim()).collect(),
            reported: (kind.needs_call_report() && !report.is_empty())
                .then(|| Date(repo.today.max(date))),
        };
        let dir = repo
            .content
            .join("clients")
            .join(&self.client)
            .join("activities");
        let path = free_name(&dir, &format!("{date}-{}", kind.as_str()));
        Ok(vec![
            repo.create::<ActivityFile>(path, &markdown(&front, report))?
        ])
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
