//! Firm-wide files: `firm.yaml`, `charter.yaml` (the service charter),
//! `strategy.yaml` (goals -> strategies -> action plans) and `team/*.yaml`.

use super::Invalid;
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ActivityType, Target, Task, Thresholds};
use super::{Date, Spanned};

/// `firm.yaml`: who the firm is and how strict `check` is.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Firm {
    /// The firm's name, shown on every page.
    pub name: String,
    /// ISO 4217 code of the currency amounts are written in, e.g. `GBP`.
    #[serde(default = "default_currency")]
    pub currency: String,
    /// Month (1-12) the fiscal year starts in; quarters count from it.
    #[serde(default = "default_fy_start")]
    #[schemars(range(min = 1, max = 12))]
    pub fiscal_year_start_month: Spanned<u32>,
    /// Where the portal is served: a path such as `/portal/`, or an
    /// `http(s)://` URL such as `https://intranet.example/portal/`.
    #[serde(default)]
    pub base_url: Option<Spanned<String>>,
    /// Per-rule severity overrides: `rule-id: error | warning | off`.
    #[serde(default)]
    pub rules: BTreeMap<Spanned<String>, Spanned<RuleLevel>>,
    /// The firm's own email domains: addresses there are colleagues, and
    /// meetings among them alone are internal.
    #[serde(default)]
    pub domains: Vec<Spanned<String>>,
    /// The firm's time zone, an IANA name such as `Europe/London`: the day
    /// an imported meeting is on is its day here. UTC when absent.
    #[serde(default)]
    pub timezone: Option<Spanned<String>>,
    /// How often the firm's goals and strategies are checked (seed 001):
    /// `monthly`, `quarterly` or `annual`. The `strategy-check` rule asks
    /// strategy.yaml for a check at that cadence; without it, none.
    #[serde(default)]
    pub strategy_checks: Option<Spanned<Cadence>>,
    /// When a client's last finished quarter is far enough from its own
    /// trend or its budget to be listed for discussion (seed 002).
    #[serde(default)]
    pub outliers: OutlierThresholds,
    /// The products and business lines the firm offers, as revenue.csv
    /// names them: what a client's product penetration is measured
    /// against. When absent, every product revenue.csv has.
    #[serde(default)]
    pub products: Vec<Spanned<String>>,
    /// Ways of segmenting the clients beyond `segment`, chosen for their
    /// use (seed 002: "investment style, investment markets, or even firm
    /// 'personality'"): each client names its value in `segments:`.
    #[serde(default)]
    pub segment_dimensions: Vec<SegmentDimension>,
    /// Third-party data about clients (seed 002): each dataset's columns,
    /// units and charts. Its rows are in `clients/<id>/data/<id>.csv`, or
    /// for every client at once in `financials/market/<id>.csv`.
    #[serde(default)]
    pub datasets: Vec<super::Dataset>,
}

/// One segment dimension and the values a client may take on it.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SegmentDimension {
    /// What clients write in `segments:`, e.g. `style`.
    pub id: Spanned<String>,
    /// What pages call it, e.g. `Investment style`.
    pub name: String,
    pub values: Vec<Spanned<String>>,
}

/// The thresholds of the dashboard's outliers: a client is listed when its
/// last finished quarter moved at least `change_percent` from the average
/// of its four quarters before (revenue or interactions), or its revenue
/// was at least `budget_percent` off that quarter's budget; moves smaller
/// than `min_revenue`, `min_interactions` or `min_depth` are not listed.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutlierThresholds {
    #[serde(default = "default_change_percent")]
    #[schemars(range(min = 0))]
    pub change_percent: Spanned<f64>,
    #[serde(default = "default_budget_percent")]
    #[schemars(range(min = 0))]
    pub budget_percent: Spanned<f64>,
    #[serde(default = "default_min_revenue")]
    #[schemars(range(min = 0))]
    pub min_revenue: Spanned<f64>,
    #[serde(default = "default_min_interactions")]
    pub min_interactions: u32,
    /// Depth: colleague–contact meetings (see the client's series).
    #[serde(default = "default_min_interactions")]
    pub min_depth: u32,
}

fn default_change_percent() -> Spanned<f64> {
    Spanned::unplaced(50.0)
}

fn default_budget_percent() -> Spanned<f64> {
    Spanned::unplaced(25.0)
}

fn default_min_revenue() -> Spanned<f64> {
    Spanned::unplaced(10_000.0)
}

fn default_min_interactions() -> u32 {
    3
}

impl Default for OutlierThresholds {
    fn default() -> OutlierThresholds {
        OutlierThresholds {
            change_percent: default_change_percent(),
            budget_percent: default_budget_percent(),
            min_revenue: default_min_revenue(),
            min_interactions: default_min_interactions(),
            min_depth: default_min_interactions(),
        }
    }
}

impl Firm {
    /// The firm's time zone; UTC when none (or an unknown one) is set.
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.timezone
            .as_ref()
            .and_then(|t| t.value.parse().ok())
            .unwrap_or(chrono_tz::UTC)
    }

    /// Where the site is served: the command line's choice, else
    /// `base_url` here, else `/`.
    pub fn base_url_or(&self, chosen: Option<&str>) -> String {
        chosen
            .map(str::to_string)
            .or_else(|| self.base_url.as_ref().map(|b| b.value.clone()))
            .unwrap_or_else(|| String::from("/"))
    }
}

/// Checks a base URL: a path starting with `/`, or an `http://` or
/// `https://` URL, made only of the characters a URL path may hold
/// unescaped (no quotes, angle brackets, backslashes, spaces or control
/// characters, no `?` or `#`). It lands in links, a script and calendar
/// feeds, so nothing else is accepted.
pub fn check_base_url(url: &str) -> Result<(), Invalid> {
    let path = match url.split_once("://") {
        Some((scheme, rest)) => {
            if scheme != "http" && scheme != "https" {
                return Err(Invalid(format!(
                    "`{scheme}:` is not a web address; use http:// or https://"
                )));
            }
            let host_end = rest.find('/').unwrap_or(rest.len());
            let host = &rest[..host_end];
            let host_ok = !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '[' | ']'));
            if !host_ok {
                return Err(Invalid(format!("`{host}` is not a host name")));
            }
            &rest[host_end..]
        }
        None if url.starts_with('/') => url,
        None => {
            return Err(Invalid(String::from(
                "a base URL is a path starting with `/` or an http(s):// address",
            )))
        }
    };
    match path
        .chars()
        .find(|&c| !(c.is_ascii_alphanumeric() || "-._~/%!$&()*+,;=:@".contains(c)))
    {
        Some(c) => Err(Invalid(format!("{c:?} cannot appear in a base URL"))),
        None => Ok(()),
    }
}

fn default_currency() -> String {
    String::from("GBP")
}

fn default_fy_start() -> Spanned<u32> {
    Spanned::unplaced(1)
}

impl Default for Firm {
    fn default() -> Firm {
        Firm {
            name: String::from("(firm.yaml could not be read)"),
            currency: default_currency(),
            fiscal_year_start_month: default_fy_start(),
            base_url: None,
            rules: BTreeMap::new(),
            domains: Vec::new(),
            timezone: None,
            strategy_checks: None,
            outliers: OutlierThresholds::default(),
            products: Vec::new(),
            segment_dimensions: Vec::new(),
            datasets: Vec::new(),
        }
    }
}

/// A severity set in `firm.yaml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuleLevel {
    Error,
    Warning,
    Off,
}

/// `charter.yaml`: the tiers of the priority list, the qualifiers, and the
/// service each kind of client gets.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Charter {
    pub tiers: Vec<Tier>,
    #[serde(default)]
    pub qualifiers: Vec<Qualifier>,
    /// The service level for accounts that are not on the priority list.
    #[serde(default)]
    pub untiered: Option<ServiceLevel>,
}

/// One tier of the priority list.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Tier {
    pub id: Spanned<String>,
    pub name: String,
    /// What gets a client onto this tier.
    #[serde(default)]
    pub entry: Vec<String>,
    /// What takes a client off it.
    #[serde(default)]
    pub exit: Vec<String>,
    /// The entry criteria as figures clientele can test: a client off
    /// this tier (or on a lower one) meeting all of them is a candidate
    /// to join.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_when: Option<Thresholds>,
    /// The exit criteria as figures: a client on this tier meeting all of
    /// them is a candidate to leave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_when: Option<Thresholds>,
    /// How often each account plan on this tier must be reviewed.
    pub review_cadence: Cadence,
    /// A call report is due within this many days of a meeting or call.
    #[serde(default)]
    pub call_report_days: Option<u32>,
    /// An event review is due within this many days of an event the
    /// client's files show: a stakeholder who left, a stance change to or
    /// from ally or to enemy, a move between tiers.
    #[serde(default)]
    pub event_review_days: Option<u32>,
    /// Minimum logged activity per quarter, by type.
    #[serde(default)]
    pub minimum_per_quarter: BTreeMap<ActivityType, u32>,
    /// The differentiated service: what, who gives it, how it is measured.
    #[serde(default)]
    pub service: Vec<ServiceItem>,
}

/// The service for untiered accounts.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceLevel {
    pub name: String,
    #[serde(default)]
    pub call_report_days: Option<u32>,
    #[serde(default)]
    pub service: Vec<ServiceItem>,
}

/// One line of the service charter.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceItem {
    pub what: String,
    /// A role, or `owner` for the client's accountable owner.
    pub who: String,
    pub measure: String,
    /// The measure in a form clientele counts, judged per period for
    /// every client on the tier: see [`Target`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Spanned<Target>>,
}

/// A qualifier says what kind of account a client is and which service
/// model applies.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Qualifier {
    pub id: Spanned<String>,
    pub description: String,
    #[serde(default)]
    pub service_model: Option<String>,
}

/// How often a plan is reviewed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Cadence {
    Monthly,
    Quarterly,
    Annual,
}

impl Cadence {
    pub fn months(self) -> u32 {
        match self {
            Cadence::Monthly => 1,
            Cadence::Quarterly => 3,
            Cadence::Annual => 12,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
            Cadence::Annual => "annual",
        }
    }
}

/// `strategy.yaml`: firm goals -> strategies -> action plans.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FirmStrategy {
    #[serde(default)]
    pub goals: Vec<Goal>,
    #[serde(default)]
    pub strategies: Vec<Strategy>,
    #[serde(default)]
    pub actions: Vec<Task>,
    /// Strategy checks (seed 001): whether each goal and strategy is still
    /// achievable, and still relevant. The `strategy-check` rule asks for
    /// one at the cadence `strategy_checks` in firm.yaml sets.
    #[serde(default)]
    pub checks: Vec<StrategyCheck>,
}

/// One strategy check: who checked, when, and their verdict on each goal
/// and strategy, by id.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyCheck {
    pub date: Spanned<Date>,
    #[serde(default)]
    pub reviewers: Vec<Spanned<String>>,
    #[serde(default)]
    pub goals: BTreeMap<Spanned<String>, Verdict>,
    #[serde(default)]
    pub strategies: BTreeMap<Spanned<String>, Verdict>,
}

impl StrategyCheck {
    /// The verdict on the goal or strategy `id`, if this check gave one.
    pub fn verdict(&self, id: &str, goal: bool) -> Option<&Verdict> {
        let map = if goal { &self.goals } else { &self.strategies };
        map.iter().find(|(k, _)| k.value == id).map(|(_, v)| v)
    }
}

/// Whether a goal or strategy is still achievable and still relevant.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Verdict {
    pub achievable: bool,
    pub relevant: bool,
    #[serde(default)]
    pub note: Option<String>,
}

/// An external impact the firm or a plan wants, e.g. "Increase client
/// revenue by 10%".
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
    /// How achievement is measured.
    #[serde(default)]
    pub measure: Option<String>,
    /// A measure the data computes, and the figure to reach: the strategy
    /// page shows the goal's progress quarter by quarter.
    #[serde(default)]
    pub target: Option<GoalTarget>,
}

/// `target: { measure: revenue_growth, clients: tiered, at_least: 10 }`.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GoalTarget {
    pub measure: GoalMeasure,
    /// Whose figures: `all` (the default), `tiered`, `untiered`, or a
    /// tier's id.
    #[serde(default)]
    pub clients: Option<Spanned<String>>,
    /// The figure to reach, in percent.
    pub at_least: f64,
}

/// What a goal's target measures, in percent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalMeasure {
    /// Credited revenue against the same quarter a year earlier.
    RevenueGrowth,
    /// The share of judged service items met (the charter's targets).
    ServiceCompliance,
}

impl GoalMeasure {
    pub fn describe(self) -> &'static str {
        match self {
            GoalMeasure::RevenueGrowth => "revenue growth against the same quarter a year earlier",
            GoalMeasure::ServiceCompliance => "the share of service items met",
        }
    }
}

impl GoalTarget {
    /// Whose figures, as written (`all` when absent).
    pub fn group(&self) -> &str {
        self.clients.as_ref().map_or("all", |c| c.value.as_str())
    }
}

/// An internal change that serves a goal, e.g. "Increase cross-selling".
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub goal: Option<Spanned<String>>,
    #[serde(default)]
    pub owner: Option<Spanned<String>>,
}

/// `team/<id>.yaml`: one person.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonFile {
    pub name: String,
    pub role: String,
    #[serde(default)]
    pub team: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// The person's manager, by id.
    #[serde(default)]
    pub manager: Option<Spanned<String>>,
}
