//! The typed model of a plans repository and its resolved graph. The model
//! is plain data: it is built by `load`, read by `rules`, `metrics` and
//! `site`, and never touches the file system.

mod activity;
mod audience;
mod client;
mod data;
mod financials;
mod firm;
pub mod service;
mod value;

pub use activity::*;
pub use audience::Audience;
pub use client::*;
pub use data::*;
pub use financials::*;
pub use firm::*;
pub use service::{By, Measure, Per, Target, TargetFile, Thresholds};
pub use value::{Date, Invalid, Pos, Spanned};

/// The client a path of the repository belongs to, and the rest of the
/// path inside its folder: `clients/acme/plan.md` -> (`acme`, `plan.md`),
/// `clients/acme` -> (`acme`, ``).
pub fn client_of_path(rel: &str) -> Option<(&str, &str)> {
    let rest = rel.strip_prefix("clients/")?;
    Some(rest.split_once('/').unwrap_or((rest, "")))
}

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diag::Span;

/// Where an entity was read from: its file (relative to the content
/// folder) and the number of lines before its YAML (front matter starts
/// one line down), so a position in the YAML maps to the real file.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Source {
    pub file: Arc<str>,
    pub line_offset: u32,
}

impl Source {
    pub fn new(file: &str, line_offset: u32) -> Source {
        Source {
            file: Arc::from(file),
            line_offset,
        }
    }

    pub fn at(&self, pos: Pos) -> Span {
        if pos.line == 0 {
            return Span::new(&self.file, 1, 1);
        }
        Span::new(&self.file, pos.line + self.line_offset, pos.col)
    }

    /// A span covering a written string value.
    pub fn span(&self, value: &Spanned<String>) -> Span {
        self.at(value.pos).with_len(value.value.chars().count())
    }

    /// A span covering any written value, by its printed length.
    pub fn span_of<T: std::fmt::Display>(&self, value: &Spanned<T>) -> Span {
        self.at(value.pos)
            .with_len(value.value.to_string().chars().count())
    }

    pub fn whole(&self) -> Span {
        Span::file(&self.file)
    }
}

/// A task: a plan action, a review action, an activity follow-up or a
/// firm action plan. Every task needs an owner and a due date.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Task {
    pub title: Spanned<String>,
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
    #[serde(default)]
    pub due: Option<Spanned<Date>>,
    #[serde(default)]
    pub status: TaskStatus,
    /// The strategy this action serves (plans and the firm strategy).
    #[serde(default)]
    pub strategy: Option<Spanned<String>>,
    /// What kind of action a review decided on.
    #[serde(default)]
    pub kind: Option<ReviewActionKind>,
    /// The day it was done, with `status: done`: whether it was done on
    /// time, for the people page's scorecard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<Spanned<Date>>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum TaskStatus {
    #[default]
    Open,
    InProgress,
    Done,
    Dropped,
}

impl TaskStatus {
    pub fn is_open(self) -> bool {
        matches!(self, TaskStatus::Open | TaskStatus::InProgress)
    }
}

/// What a review's action does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewActionKind {
    UpdatePlan,
    Congratulate,
    Escalate,
    Exploit,
    Communicate,
}

impl ReviewActionKind {
    /// As written in a review: `update-plan`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewActionKind::UpdatePlan => "update-plan",
            ReviewActionKind::Congratulate => "congratulate",
            ReviewActionKind::Escalate => "escalate",
            ReviewActionKind::Exploit => "exploit",
            ReviewActionKind::Communicate => "communicate",
        }
    }
}

/// Where a task lives, for messages and for pages that list tasks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskPlace {
    FirmStrategy,
    Plan,
    Review,
    FollowUp,
}

impl TaskPlace {
    pub fn describe(self) -> &'static str {
        match self {
            TaskPlace::FirmStrategy => "firm action plan",
            TaskPlace::Plan => "account plan action",
            TaskPlace::Review => "review action",
            TaskPlace::FollowUp => "follow-up",
        }
    }
}

/// A task with where it lives.
#[derive(Clone, Copy, Debug)]
pub struct TaskRef<'a> {
    pub task: &'a Task,
    pub place: TaskPlace,
    pub src: &'a Source,
    pub client: Option<&'a Client>,
}

/// `team/<id>.yaml`, with its id.
#[derive(Clone, Debug, Serialize)]
pub struct Person {
    pub id: String,
    #[serde(skip)]
    pub src: Source,
    #[serde(flatten)]
    pub data: PersonFile,
}

/// The whole repository, typed. Collections are sorted by id.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Model {
    pub firm: Firm,
    #[serde(skip)]
    pub firm_src: Source,
    /// `None` when `charter.yaml` could not be read (already reported).
    pub charter: Option<Charter>,
    #[serde(skip)]
    pub charter_src: Source,
    pub strategy: FirmStrategy,
    #[serde(skip)]
    pub strategy_src: Source,
    pub people: Vec<Person>,
    /// Ids of every `team/*.yaml`, including ones that failed to parse, so
    /// a broken file does not turn every reference to it into an error.
    #[serde(skip)]
    pub person_ids: Vec<String>,
    pub clients: Vec<Client>,
    #[serde(skip)]
    pub client_ids: Vec<String>,
    pub financials: Financials,
    #[serde(skip)]
    pub index: Index,
    /// The client folders' history from git; empty outside a git
    /// repository or with `--no-git`.
    #[serde(skip)]
    pub git: crate::load::GitHistory,
}

/// Lookups built once after loading, so no rule or page scans the model.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub people: HashMap<String, usize>,
    pub clients: HashMap<String, usize>,
    /// Client email domains, lower-cased, to the clients that claim them.
    pub domains: HashMap<String, Vec<usize>>,
}

impl Model {
    /// Builds the lookup tables; call after the collections are final.
    pub fn reindex(&mut self) {
        self.people.sort_by(|a, b| a.id.cmp(&b.id));
        self.clients.sort_by(|a, b| a.id.cmp(&b.id));
        self.index.people = self
            .people
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        self.index.clients = self
            .clients
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id.clone(), i))
            .collect();
        let mut domains: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in self.clients.iter().enumerate() {
            for d in &c.data.domains {
                let claims = domains.entry(d.value.to_ascii_lowercase()).or_default();
                if claims.last() != Some(&i) {
                    claims.push(i);
                }
            }
        }
        self.index.domains = domains;
    }

    /// Puts `client` in slot `i`, where the same client was before an
    /// edit, keeping the domain index as a fresh [`Model::reindex`] would.
    pub fn replace_client(&mut self, i: usize, client: Client) {
        for d in &self.clients[i].data.domains {
            let key = d.value.to_ascii_lowercase();
            if let Some(claims) = self.index.domains.get_mut(&key) {
                claims.retain(|&c| c != i);
                if claims.is_empty() {
                    self.index.domains.remove(&key);
                }
            }
        }
        for d in &client.data.domains {
            let claims = self
                .index
                .domains
                .entry(d.value.to_ascii_lowercase())
                .or_default();
            if let Err(at) = claims.binary_search(&i) {
                claims.insert(at, i);
            }
        }
        self.clients[i] = client;
    }

    /// The clients that claim `domain` (any case), in id order.
    pub fn clients_of_domain(&self, domain: &str) -> impl Iterator<Item = &Client> {
        self.index
            .domains
            .get(&domain.to_ascii_lowercase())
            .into_iter()
            .flatten()
            .map(|&i| &self.clients[i])
    }

    pub fn person(&self, id: &str) -> Option<&Person> {
        self.index.people.get(id).map(|&i| &self.people[i])
    }

    /// Indexes in `clients` of the clients on tier `tier`.
    pub fn clients_on(&self, tier: &str) -> Vec<usize> {
        self.clients
            .iter()
            .enumerate()
            .filter(|(_, c)| c.tier() == Some(tier))
            .map(|(i, _)| i)
            .collect()
    }

    pub fn client(&self, id: &str) -> Option<&Client> {
        self.index.clients.get(id).map(|&i| &self.clients[i])
    }

    pub fn is_person(&self, id: &str) -> bool {
        self.person_ids
            .binary_search_by(|p| p.as_str().cmp(id))
            .is_ok()
    }

    pub fn is_client(&self, id: &str) -> bool {
        self.client_ids
            .binary_search_by(|p| p.as_str().cmp(id))
            .is_ok()
    }

    pub fn tier(&self, id: &str) -> Option<&Tier> {
        self.charter
            .as_ref()?
            .tiers
            .iter()
            .find(|t| t.id.value == id)
    }

    /// Every task in the repository, with where it lives.
    pub fn tasks(&self) -> impl Iterator<Item = TaskRef<'_>> {
        self.firm_tasks()
            .chain(self.clients.iter().flat_map(|c| c.tasks()))
    }

    /// The firm strategy's action plans.
    pub fn firm_tasks(&self) -> impl Iterator<Item = TaskRef<'_>> {
        self.strategy.actions.iter().map(|task| TaskRef {
            task,
            place: TaskPlace::FirmStrategy,
            src: &self.strategy_src,
            client: None,
        })
    }

    /// The first day of the fiscal year that contains `day`.
    pub fn fiscal_year_start(&self, day: NaiveDate) -> NaiveDate {
        let month = self.firm.fiscal_year_start_month.value.clamp(1, 12);
        let year = if day.month() >= month {
            day.year()
        } else {
            day.year() - 1
        };
        NaiveDate::from_ymd_opt(year, month, 1).unwrap_or(day)
    }

    /// The fiscal year named `fy` starts in calendar year `fy` when the year
    /// starts in January, and in `fy - 1` otherwise (FY2026 = Apr 2025..Mar 2026).
    pub fn fiscal_year_bounds(&self, fy: i32) -> (NaiveDate, NaiveDate) {
        let month = self.firm.fiscal_year_start_month.value.clamp(1, 12);
        let start_year = if month == 1 { fy } else { fy - 1 };
        let start = NaiveDate::from_ymd_opt(start_year, month, 1).unwrap_or_default();
        (start, add_months(start, 12))
    }

    /// The name of the fiscal year starting on `fy_start`: the calendar
    /// year it ends in when it does not start in January (April 2025 to
    /// March 2026 is FY2026).
    pub fn fiscal_year_name(&self, fy_start: NaiveDate) -> i32 {
        if self.firm.fiscal_year_start_month.value <= 1 {
            fy_start.year()
        } else {
            fy_start.year() + 1
        }
    }

    /// The fiscal quarter `day` falls in, named by its fiscal year.
    pub fn fiscal_quarter(&self, day: NaiveDate) -> Period {
        let start = self.fiscal_year_start(day);
        let months = (day.year() - start.year()) * 12 + day.month() as i32 - start.month() as i32;
        Period {
            year: self.fiscal_year_name(start),
            quarter: u8::try_from(months / 3 + 1).ok(),
        }
    }

    /// Quarter `q` (1-4) of fiscal year `fy`, as [start, end).
    pub fn quarter_bounds(&self, fy: i32, q: u32) -> (NaiveDate, NaiveDate) {
        let (start, _) = self.fiscal_year_bounds(fy);
        let from = add_months(start, 3 * (q.clamp(1, 4) - 1));
        (from, add_months(from, 3))
    }
}

impl Client {
    /// The tasks of this client's plan, reviews and activity follow-ups.
    pub fn tasks(&self) -> impl Iterator<Item = TaskRef<'_>> {
        let plan = self.plan.iter().flat_map(move |p| {
            p.data.actions.iter().map(move |task| TaskRef {
                task,
                place: TaskPlace::Plan,
                src: &p.src,
                client: Some(self),
            })
        });
        let reviews = self.reviews.iter().flat_map(move |r| {
            r.data.actions.iter().map(move |task| TaskRef {
                task,
                place: TaskPlace::Review,
                src: &r.src,
                client: Some(self),
            })
        });
        let follow_ups = self.activities.iter().flat_map(move |a| {
            a.data.follow_ups.iter().map(move |task| TaskRef {
                task,
                place: TaskPlace::FollowUp,
                src: &a.src,
                client: Some(self),
            })
        });
        plan.chain(reviews).chain(follow_ups)
    }

    /// Every person this client's files name: coverage, authors, attendees,
    /// task owners, reviewers. Their pages show this client.
    pub fn people(&self) -> std::collections::BTreeSet<&str> {
        let d = &self.data;
        let mut ids: std::collections::BTreeSet<&str> = d
            .coverage
            .owner
            .iter()
            .chain(&d.coverage.team)
            .map(|p| p.value.as_str())
            .collect();
        ids.extend(d.coverage.support.iter().map(|s| s.person.value.as_str()));
        for a in &self.activities {
            ids.insert(&a.data.by.value);
            ids.extend(a.data.attendees.iter().map(|p| p.value.as_str()));
        }
        ids.extend(self.captured.iter().map(|c| c.by.as_str()));
        for r in &self.reviews {
            ids.extend(r.data.reviewers.iter().map(|p| p.value.as_str()));
        }
        ids.extend(
            self.tasks()
                .filter_map(|t| t.task.owner.as_ref())
                .map(|o| o.value.as_str()),
        );
        ids
    }

    /// The most recent review, if any.
    pub fn last_review(&self) -> Option<&Review> {
        self.reviews.iter().max_by_key(|r| r.data.date.value)
    }
}

/// `day` plus whole months, clamped to the end of shorter months.
pub fn add_months(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_add_months(Months::new(months)).unwrap_or(day)
}
