//! Effort and intelligence: activities with their call reports, captured
//! interactions from `activities.csv`, and reviews (seeds 000 and 004).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Date, Spanned};
use super::{Source, Task};

/// The kinds of client interaction the firm measures.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum ActivityType {
    Call,
    Meeting,
    Email,
    Im,
    Transaction,
    Event,
}

impl ActivityType {
    pub const ALL: [ActivityType; 6] = [
        ActivityType::Call,
        ActivityType::Meeting,
        ActivityType::Email,
        ActivityType::Im,
        ActivityType::Transaction,
        ActivityType::Event,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ActivityType::Call => "call",
            ActivityType::Meeting => "meeting",
            ActivityType::Email => "email",
            ActivityType::Im => "im",
            ActivityType::Transaction => "transaction",
            ActivityType::Event => "event",
        }
    }

    pub fn parse(text: &str) -> Option<ActivityType> {
        ActivityType::ALL.into_iter().find(|t| t.as_str() == text)
    }

    /// Meetings and calls are the interactions that need a call report.
    pub fn needs_call_report(self) -> bool {
        matches!(self, ActivityType::Meeting | ActivityType::Call)
    }
}

/// Whether a transaction went through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Completed,
    NotCompleted,
}

/// `activities/<name>.md`: one interaction; the body is the call report.
#[derive(Clone, Debug, Serialize)]
pub struct Activity {
    /// File stem, unique within the client.
    pub id: String,
    #[serde(skip)]
    pub src: Source,
    #[serde(flatten)]
    pub data: ActivityFile,
    /// The call report, Markdown.
    pub body: String,
    #[serde(skip)]
    pub body_line: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityFile {
    pub date: Spanned<Date>,
    #[serde(rename = "type")]
    pub kind: Spanned<ActivityType>,
    /// Who logged it (person id).
    pub by: Spanned<String>,
    pub title: Spanned<String>,
    /// Other people of the firm who took part (person ids).
    #[serde(default)]
    pub attendees: Vec<Spanned<String>>,
    /// People at the client who took part.
    #[serde(default)]
    pub contacts: Vec<String>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// When the call report was written; the activity date if absent.
    #[serde(default)]
    pub reported: Option<Spanned<Date>>,
    #[serde(default)]
    pub follow_ups: Vec<Task>,
    /// Where it was captured from, when not written by hand: `calendar`.
    #[serde(default)]
    pub source: Option<String>,
    /// Its id in that source (a calendar event's UID and RECURRENCE-ID):
    /// what makes importing the same calendar twice add nothing.
    #[serde(default)]
    pub uid: Option<String>,
    #[serde(default)]
    pub restricted: bool,
}

/// One row of `activities.csv`: an interaction captured in bulk, often
/// automatically (phone lines, calendars, email).
#[derive(Clone, Debug, Serialize)]
pub struct Captured {
    pub date: Date,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub by: String,
    pub summary: String,
    pub outcome: Option<Outcome>,
    /// Where it was captured from (`mail`, or an import map's `source`),
    /// and its id there (a message id, a CRM activity id): what makes
    /// importing the same mailbox twice add nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    #[serde(skip)]
    pub line: u32,
}

/// `reviews/<name>.md`: a review of the account plan.
#[derive(Clone, Debug, Serialize)]
pub struct Review {
    pub id: String,
    #[serde(skip)]
    pub src: Source,
    #[serde(flatten)]
    pub data: ReviewFile,
    pub body: String,
    #[serde(skip)]
    pub body_line: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewFile {
    pub date: Spanned<Date>,
    pub kind: Spanned<ReviewKind>,
    /// What prompted an event review.
    #[serde(default)]
    pub trigger: Option<Spanned<ReviewTrigger>>,
    #[serde(default)]
    pub reviewers: Vec<Spanned<String>>,
    #[serde(default)]
    pub findings: Vec<String>,
    /// Whether the review changed the account plan.
    #[serde(default)]
    pub plan_changed: bool,
    /// What the review decided: congratulate, escalate, exploit...
    #[serde(default)]
    pub actions: Vec<Task>,
    #[serde(default)]
    pub restricted: bool,
}

/// Calendar-driven or event-driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewKind {
    Monthly,
    Quarterly,
    Annual,
    Event,
}

impl ReviewKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::Monthly => "monthly",
            ReviewKind::Quarterly => "quarterly",
            ReviewKind::Annual => "annual",
            ReviewKind::Event => "event",
        }
    }
}

/// The client- and internally-driven events that call for a review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewTrigger {
    ClientPersonnelChange,
    ClientStrategyChange,
    CompetitorMove,
    MergerAcquisition,
    SupplyChainChange,
    InternalProcessChange,
    InternalObjectiveChange,
    InternalInitiative,
    InternalPersonnelChange,
    ObjectiveAchieved,
    MarketDevelopment,
}

impl ReviewTrigger {
    /// As written in a review: `client-personnel-change`.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewTrigger::ClientPersonnelChange => "client-personnel-change",
            ReviewTrigger::ClientStrategyChange => "client-strategy-change",
            ReviewTrigger::CompetitorMove => "competitor-move",
            ReviewTrigger::MergerAcquisition => "merger-acquisition",
            ReviewTrigger::SupplyChainChange => "supply-chain-change",
            ReviewTrigger::InternalProcessChange => "internal-process-change",
            ReviewTrigger::InternalObjectiveChange => "internal-objective-change",
            ReviewTrigger::InternalInitiative => "internal-initiative",
            ReviewTrigger::InternalPersonnelChange => "internal-personnel-change",
            ReviewTrigger::ObjectiveAchieved => "objective-achieved",
            ReviewTrigger::MarketDevelopment => "market-development",
        }
    }
}
