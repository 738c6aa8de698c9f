//! A service item's `target`: what its `measure` says, in a form
//! clientele can count (seed 003: "how each point of service is going to
//! be measured and monitored").
//!
//! Five kinds, each named by its one required key:
//!
//! ```yaml
//! target: { count: [meeting], per: quarter, at_least: 1, by: owner }
//! target: { contact_every_days: 30, types: [meeting, call] }
//! target: { call_report_days: 2 }
//! target: { review_every: month }
//! target: { allies_at_least: 2 }
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ActivityType, Invalid};

/// A measurable service target, checked once per period for every client
/// the service item applies to.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "TargetFile", into = "TargetFile")]
pub enum Target {
    /// At least `at_least` interactions of `types` per period, held by
    /// `by`.
    Count {
        types: Vec<ActivityType>,
        per: Per,
        at_least: u32,
        by: By,
    },
    /// Never more than `days` without an interaction of `types` (any
    /// type when empty); judged per quarter.
    ContactEvery { days: u32, types: Vec<ActivityType> },
    /// Every meeting and call written up within `days`; judged per
    /// quarter.
    CallReports { days: u32 },
    /// At least one plan review per period.
    Reviews { per: Per },
    /// At least this many allies on the relationship map at the end of
    /// each quarter.
    Allies { at_least: u32 },
}

/// The period a target is judged over.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Per {
    Month,
    Quarter,
    Year,
}

impl Per {
    pub fn months(self) -> u32 {
        match self {
            Per::Month => 1,
            Per::Quarter => 3,
            Per::Year => 12,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Per::Month => "month",
            Per::Quarter => "quarter",
            Per::Year => "year",
        }
    }
}

/// Whose interactions count towards a `count` target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum By {
    /// The client's accountable owner, holding or attending.
    Owner,
    /// The owner, the coverage team or the support people.
    Team,
    /// Anyone in the firm.
    Anyone,
    /// A person whose `role` in `team/` is this one.
    Role(String),
}

impl By {
    fn parse(text: &str) -> By {
        match text {
            "owner" => By::Owner,
            "team" => By::Team,
            "anyone" => By::Anyone,
            role => By::Role(role.to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            By::Owner => "owner",
            By::Team => "team",
            By::Anyone => "anyone",
            By::Role(role) => role,
        }
    }
}

impl Target {
    /// The period the target is judged over.
    pub fn per(&self) -> Per {
        match self {
            Target::Count { per, .. } | Target::Reviews { per } => *per,
            _ => Per::Quarter,
        }
    }

    /// The target in a few words, for tables: "1 meeting a quarter by the
    /// owner", "contact every 30 days".
    pub fn describe(&self) -> String {
        let types = |types: &[ActivityType]| match types {
            [] => String::from("interaction"),
            [one] => one.as_str().to_string(),
            [rest @ .., last] => {
                let rest: Vec<&str> = rest.iter().map(|t| t.as_str()).collect();
                format!("{} or {}", rest.join(", "), last.as_str())
            }
        };
        match self {
            Target::Count {
                types: kinds,
                per,
                at_least,
                by,
            } => {
                let who = match by {
                    By::Anyone => String::new(),
                    By::Owner => String::from(" by the owner"),
                    By::Team => String::from(" by the coverage team"),
                    By::Role(role) => format!(" with the {role}"),
                };
                let plural = if *at_least == 1 { "" } else { "s" };
                format!(
                    "at least {at_least} {}{plural} a {}{who}",
                    types(kinds),
                    per.as_str()
                )
            }
            Target::ContactEvery { days, types: kinds } => {
                format!(
                    "a {} at least every {}",
                    types(kinds),
                    crate::diag::plural(*days, "day")
                )
            }
            Target::CallReports { days } => {
                format!("call reports within {}", crate::diag::plural(*days, "day"))
            }
            Target::Reviews { per } => format!("a plan review every {}", per.as_str()),
            Target::Allies { at_least } => format!(
                "at least {at_least} all{} on the relationship map",
                if *at_least == 1 { "y" } else { "ies" }
            ),
        }
    }
}

/// `target:` as written in charter.yaml: exactly one of `count`,
/// `contact_every_days`, `call_report_days`, `review_every` and
/// `allies_at_least`, with the options that belong to it.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(extend("oneOf" = [
    { "required": ["count"], "properties": { "count": true } },
    { "required": ["contact_every_days"], "properties": { "contact_every_days": true } },
    { "required": ["call_report_days"], "properties": { "call_report_days": true } },
    { "required": ["review_every"], "properties": { "review_every": true } },
    { "required": ["allies_at_least"], "properties": { "allies_at_least": true } }
]))]
pub struct TargetFile {
    /// Count interactions of these types per period, e.g. `[meeting]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<Vec<ActivityType>>,
    /// With `count`: the period, `month`, `quarter` (the default) or `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<Per>,
    /// With `count`: how many a period needs (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub at_least: Option<u32>,
    /// With `count`: whose interactions count: `owner`, `team` (owner,
    /// coverage team and support), `anyone` (the default), or a role as
    /// written in team/*.yaml.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// The longest gap allowed without contact, in days; judged per quarter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub contact_every_days: Option<u32>,
    /// With `contact_every_days`: which interactions count as contact
    /// (default: any).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub types: Option<Vec<ActivityType>>,
    /// Every meeting and call has its call report within this many days;
    /// judged per quarter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_report_days: Option<u32>,
    /// A plan review at least once a `month`, `quarter` or `year`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_every: Option<Per>,
    /// At least this many allies on the plan's relationship map at the end
    /// of each quarter.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    pub allies_at_least: Option<u32>,
}

impl JsonSchema for Target {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        TargetFile::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        TargetFile::json_schema(generator)
    }
}

/// How every refusal of a target starts, so the loader can say what a
/// target is.
pub const TARGET: &str = "service target: ";

const KINDS: &str =
    "`count`, `contact_every_days`, `call_report_days`, `review_every` or `allies_at_least`";

impl TryFrom<TargetFile> for Target {
    type Error = Invalid;

    fn try_from(file: TargetFile) -> Result<Target, Invalid> {
        let TargetFile {
            count,
            per,
            at_least,
            by,
            contact_every_days,
            types,
            call_report_days,
            review_every,
            allies_at_least,
        } = file;
        let named = [
            count.is_some(),
            contact_every_days.is_some(),
            call_report_days.is_some(),
            review_every.is_some(),
            allies_at_least.is_some(),
        ]
        .iter()
        .filter(|n| **n)
        .count();
        if named != 1 {
            return Err(Invalid(format!(
                "{TARGET}a target names exactly one of {KINDS}; this one names {named}"
            )));
        }
        let stray = |key: &str, set: bool, belongs: &str| {
            if set {
                Err(Invalid(format!(
                    "{TARGET}`{key}` only goes with `{belongs}`"
                )))
            } else {
                Ok(())
            }
        };
        if let Some(kinds) = count {
            stray("types", types.is_some(), "contact_every_days")?;
            let at_least = at_least.unwrap_or(1);
            if at_least == 0 {
                return Err(Invalid(format!(
                    "{TARGET}`at_least: 0` asks for nothing; remove the target or ask for 1 or more"
                )));
            }
            if kinds.is_empty() {
                return Err(Invalid(format!(
                    "{TARGET}`count` lists the interaction types that count, e.g. `[meeting, call]`"
                )));
            }
            return Ok(Target::Count {
                types: kinds,
                per: per.unwrap_or(Per::Quarter),
                at_least,
                by: by.as_deref().map_or(By::Anyone, By::parse),
            });
        }
        stray("per", per.is_some(), "count")?;
        stray("at_least", at_least.is_some(), "count")?;
        stray("by", by.is_some(), "count")?;
        if let Some(days) = contact_every_days {
            if days == 0 {
                return Err(Invalid(format!(
                    "{TARGET}`contact_every_days` is at least 1"
                )));
            }
            return Ok(Target::ContactEvery {
                days,
                types: types.unwrap_or_default(),
            });
        }
        stray("types", types.is_some(), "contact_every_days")?;
        if let Some(days) = call_report_days {
            return Ok(Target::CallReports { days });
        }
        if let Some(per) = review_every {
            return Ok(Target::Reviews { per });
        }
        match allies_at_least {
            Some(0) | None => Err(Invalid(format!("{TARGET}`allies_at_least` is at least 1"))),
            Some(at_least) => Ok(Target::Allies { at_least }),
        }
    }
}

impl From<Target> for TargetFile {
    fn from(target: Target) -> TargetFile {
        match target {
            Target::Count {
                types,
                per,
                at_least,
                by,
            } => TargetFile {
                count: Some(types),
                per: Some(per),
                at_least: Some(at_least),
                by: Some(by.as_str().to_string()),
                ..TargetFile::default()
            },
            Target::ContactEvery { days, types } => TargetFile {
                contact_every_days: Some(days),
                types: (!types.is_empty()).then_some(types),
                ..TargetFile::default()
            },
            Target::CallReports { days } => TargetFile {
                call_report_days: Some(days),
                ..TargetFile::default()
            },
            Target::Reviews { per } => TargetFile {
                review_every: Some(per),
                ..TargetFile::default()
            },
            Target::Allies { at_least } => TargetFile {
                allies_at_least: Some(at_least),
                ..TargetFile::default()
            },
        }
    }
}

/// Measurable thresholds beside a tier's entry or exit criteria: every
/// one written must hold. Figures are over the last four finished
/// quarters of the fiscal calendar.
#[derive(Clone, Debug, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    /// Credited revenue over the last four finished quarters, at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_4q_at_least: Option<f64>,
    /// Credited revenue over the last four finished quarters, below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_4q_below: Option<f64>,
    /// The client's estimated `wallet_size`, at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_at_least: Option<f64>,
    /// The client's estimated `wallet_size`, below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_below: Option<f64>,
    /// Revenue over the last four quarters as a percentage of the wallet,
    /// at least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_share_at_least: Option<f64>,
    /// The same share, below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wallet_share_below: Option<f64>,
    /// Interactions of any type over the last four finished quarters, at
    /// least.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactions_4q_at_least: Option<f64>,
    /// The same count, below.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interactions_4q_below: Option<f64>,
}

/// A figure a threshold looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Measure {
    Revenue4q,
    Wallet,
    WalletShare,
    Interactions4q,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Revenue4q => "revenue over the last four quarters",
            Measure::Wallet => "wallet",
            Measure::WalletShare => "wallet share",
            Measure::Interactions4q => "interactions over the last four quarters",
        }
    }
}

impl Thresholds {
    /// Each threshold written: the measure, the bound, and whether it is
    /// a floor (`at_least`) or a ceiling (`below`).
    pub fn bounds(&self) -> Vec<(Measure, f64, bool)> {
        [
            (Measure::Revenue4q, self.revenue_4q_at_least, true),
            (Measure::Revenue4q, self.revenue_4q_below, false),
            (Measure::Wallet, self.wallet_at_least, true),
            (Measure::Wallet, self.wallet_below, false),
            (Measure::WalletShare, self.wallet_share_at_least, true),
            (Measure::WalletShare, self.wallet_share_below, false),
            (Measure::Interactions4q, self.interactions_4q_at_least, true),
            (Measure::Interactions4q, self.interactions_4q_below, false),
        ]
        .into_iter()
        .filter_map(|(m, v, floor)| v.map(|v| (m, v, floor)))
        .collect()
    }
}
