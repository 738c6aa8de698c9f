//! A client and its folder: `client.yaml`, the account plan (`plan.md`),
//! activities, reviews and documents.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Activity, Captured, Goal, Review, Source, Strategy, Task};
use super::{Date, Spanned};

/// Everything loaded from `clients/<id>/`.
#[derive(Clone, Debug, Serialize)]
pub struct Client {
    pub id: String,
    #[serde(skip)]
    pub src: Source,
    #[serde(flatten)]
    pub data: ClientFile,
    pub plan: Option<AccountPlan>,
    pub activities: Vec<Activity>,
    pub captured: Vec<Captured>,
    pub reviews: Vec<Review>,
    pub documents: Vec<Document>,
    /// The files of `data/`: third-party data declared in firm.yaml.
    pub datasets: Vec<super::DataTable>,
}

impl Client {
    /// A client whose `client.yaml` could not be read: nothing but its
    /// id, to read the rest of its folder into for that folder's problems.
    pub fn unread(id: &str, file: std::sync::Arc<str>) -> Client {
        Client {
            id: id.to_string(),
            src: Source {
                file,
                line_offset: 0,
            },
            data: ClientFile {
                name: Spanned::unplaced(id.to_string()),
                tier: None,
                qualifiers: Vec::new(),
                segment: None,
                segments: BTreeMap::new(),
                region: None,
                coverage: Coverage::default(),
                priority_history: Vec::new(),
                wallet_size: None,
                wallet: Vec::new(),
                domains: Vec::new(),
                external_ids: BTreeMap::new(),
                restricted: false,
            },
            plan: None,
            activities: Vec::new(),
            captured: Vec::new(),
            reviews: Vec::new(),
            documents: Vec::new(),
            datasets: Vec::new(),
        }
    }

    pub fn tier(&self) -> Option<&str> {
        self.data.tier.as_ref().map(|t| t.value.as_str())
    }

    /// Whether the client names `value` on the segment dimension `dimension`.
    pub fn in_segment(&self, dimension: &str, value: &str) -> bool {
        self.data
            .segments
            .iter()
            .any(|(d, v)| d.value == dimension && v.value == value)
    }

    /// The wallet estimated on `day`: the latest of `wallet` dated on or
    /// before it (none before the first), else `wallet_size`.
    pub fn wallet_on(&self, day: chrono::NaiveDate) -> Option<f64> {
        let history = &self.data.wallet;
        if history.is_empty() {
            return self.data.wallet_size.as_ref().map(|w| w.value);
        }
        history
            .iter()
            .filter(|w| w.date.value.0 <= day)
            .max_by_key(|w| w.date.value)
            .map(|w| w.amount.value)
    }
}

/// `clients/<id>/client.yaml`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientFile {
    pub name: Spanned<String>,
    /// Tier id from the charter; absent for accounts not on the list.
    #[serde(default)]
    pub tier: Option<Spanned<String>>,
    #[serde(default)]
    pub qualifiers: Vec<Spanned<String>>,
    #[serde(default)]
    pub segment: Option<String>,
    /// The client's value on each segment dimension firm.yaml declares
    /// (`style: value-investor`), for drilling down on the segments page.
    #[serde(default)]
    pub segments: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    pub region: Option<String>,
    #[serde(default)]
    pub coverage: Coverage,
    /// How the client entered, moved on or left the list.
    #[serde(default)]
    pub priority_history: Vec<PriorityChange>,
    /// Estimated total spend of the client on what the firm sells, in the
    /// firm's currency: 0 or more.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub wallet_size: Option<Spanned<f64>>,
    /// Dated estimates of the wallet, instead of `wallet_size`, so that
    /// wallet share is computed over time: each from its date on. The
    /// latest is the client's wallet now.
    #[serde(default)]
    pub wallet: Vec<WalletEstimate>,
    /// The client's email domains (`widecombe.co.uk`): how imported
    /// meetings and mail find their client. Each belongs to one client.
    #[serde(default)]
    pub domains: Vec<Spanned<String>>,
    /// The client's ids in other systems, by system: `salesforce: 001...`.
    #[serde(default)]
    pub external_ids: BTreeMap<String, String>,
    /// Left out of builds for a wider audience.
    #[serde(default)]
    pub restricted: bool,
}

/// Who covers the client: one accountable owner, a team, and support
/// from other areas such as operations.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
    #[serde(default)]
    pub team: Vec<Spanned<String>>,
    #[serde(default)]
    pub support: Vec<Support>,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Support {
    pub person: Spanned<String>,
    pub area: String,
}

/// One move on or off the priority list.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityChange {
    pub date: Spanned<Date>,
    /// The tier from this date on; absent when the client left the list.
    #[serde(default)]
    pub tier: Option<Spanned<String>>,
    #[serde(default)]
    pub reason: Option<Spanned<String>>,
}

/// One dated estimate of a client's wallet.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WalletEstimate {
    pub date: Spanned<Date>,
    /// Estimated yearly spend on what the firm sells, in the firm's
    /// currency: 0 or more.
    #[schemars(range(min = 0))]
    pub amount: Spanned<f64>,
    /// Where the estimate comes from: a survey, a vendor, our own sizing.
    #[serde(default)]
    pub source: Option<String>,
}

/// `plan.md`: the account plan. Front matter holds the
/// structure; the Markdown body is the narrative.
#[derive(Clone, Debug, Serialize)]
pub struct AccountPlan {
    #[serde(skip)]
    pub src: Source,
    #[serde(flatten)]
    pub data: PlanFile,
    pub body: String,
    #[serde(skip)]
    pub body_line: u32,
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub fiscal_year: Spanned<i32>,
    /// The business objective with this client.
    #[serde(default)]
    pub objective: Option<String>,
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    /// SMART objectives and actions, each with an owner and a due date.
    #[serde(default)]
    pub actions: Vec<Task>,
    #[serde(default)]
    pub metrics: Vec<QuarterlyMetric>,
    #[serde(default)]
    pub stakeholders: Vec<Stakeholder>,
    #[serde(default)]
    pub restricted: bool,
}

/// A row of the quarterly metrics table: four targets in any unit, and
/// actuals written by hand or derived from data.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuarterlyMetric {
    pub name: Spanned<String>,
    #[serde(default)]
    pub unit: Unit,
    pub targets: Spanned<Vec<MetricValue>>,
    /// Actuals by quarter, written by hand (`~` for a quarter not yet known).
    #[serde(default)]
    pub actuals: Option<Spanned<Vec<Option<MetricValue>>>>,
    /// Derive actuals from data instead.
    #[serde(default)]
    pub source: Option<Spanned<MetricSource>>,
}

/// A target or actual: a number, or text for qualitative rows.
#[derive(Clone, Debug, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum MetricValue {
    Number(f64),
    Text(String),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    #[default]
    Count,
    Money,
    Percent,
    Text,
}

/// Where a derived actual comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum MetricSource {
    /// Stakeholders who are allies at the end of the quarter.
    Allies,
    /// Change since the start of the year in enemies and protesters (negative is good).
    OpponentsChange,
    /// Meetings logged in the quarter.
    Meetings,
    /// Calls logged in the quarter.
    Calls,
    /// Income credited in the fiscal year to date, less the same period last year.
    IncomeGrowth,
}

/// A person at the client, on the relationship map.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stakeholder {
    pub name: Spanned<String>,
    #[serde(default)]
    pub role: Option<String>,
    /// Stance now.
    pub stance: Stance,
    /// Who at the firm owns the relationship.
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
    /// Their email address: imported meetings and mail name them by it.
    #[serde(default)]
    pub email: Option<Spanned<String>>,
    #[serde(default)]
    pub status: StakeholderStatus,
    /// When they joined the relationship map (first met, or joined the
    /// client); counted from that day. Always, when absent.
    #[serde(default)]
    pub since: Option<Spanned<Date>>,
    /// When they left the client, if they have.
    #[serde(default)]
    pub left: Option<Spanned<Date>>,
    /// Earlier stances: on `date` the stance changed from `from`.
    #[serde(default)]
    pub changes: Vec<StanceChange>,
}

impl Stakeholder {
    /// The stance on a given day, from the recorded changes.
    pub fn stance_on(&self, day: Date) -> Stance {
        self.changes
            .iter()
            .filter(|c| c.date.value > day)
            .min_by_key(|c| c.date.value)
            .map_or(self.stance, |c| c.from)
    }

    /// Whether they were on the relationship map on a given day: since
    /// they joined it, and before they left the client.
    pub fn present_on(&self, day: Date) -> bool {
        self.since.as_ref().is_none_or(|since| since.value <= day)
            && self.left.as_ref().is_none_or(|left| left.value > day)
    }
}

#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StanceChange {
    pub date: Spanned<Date>,
    pub from: Stance,
    #[serde(default)]
    pub note: Option<String>,
}

/// Where a stakeholder stands towards the firm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Stance {
    Ally,
    Neutral,
    Protester,
    Enemy,
}

impl Stance {
    pub fn as_str(self) -> &'static str {
        match self {
            Stance::Ally => "ally",
            Stance::Neutral => "neutral",
            Stance::Protester => "protester",
            Stance::Enemy => "enemy",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StakeholderStatus {
    #[default]
    Active,
    Left,
}

/// A file under `documents/`, copied into the site and linked.
#[derive(Clone, Debug, Serialize)]
pub struct Document {
    /// Path relative to the client's `documents/` folder.
    pub name: String,
    pub bytes: u64,
}
