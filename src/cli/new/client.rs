//! `clientele new client`: `client.yaml`, and for a tiered client its entry
//! in the priority history and an account plan to fill in.

use std::path::PathBuf;

use super::refused;
use super::repo::{not_one_of, valid_id, Kind, Repo};
use crate::diag::CommandError;
use crate::model::{ClientFile, Date, PlanFile};
use crate::write::records::{
    markdown, to_yaml, ClientRecord, CoverageRecord, PlanRecord, PriorityRecord,
};

#[derive(Clone, Debug, clap::Args)]
pub struct ClientArgs {
    /// The client's id: its folder name, lower-case letters, digits and
    /// dashes, e.g. bolt-capital.
    pub id: String,
    /// The client's name as people write it.
    #[arg(long)]
    pub name: String,
    /// Tier from the charter; omit for an untiered account.
    #[arg(long)]
    pub tier: Option<String>,
    /// The accountable owner (person id); required for a tiered client.
    #[arg(long)]
    pub owner: Option<String>,
    /// The segment it belongs to, e.g. asset-manager.
    #[arg(long)]
    pub segment: Option<String>,
    /// The region it is covered from, e.g. EMEA.
    #[arg(long)]
    pub region: Option<String>,
    /// Why it joins the tier (recorded in its priority history).
    #[arg(long, default_value = "Added to the priority list")]
    pub reason: String,
}

impl ClientArgs {
    /// Writes the client's files; returns their paths.
    pub fn write(&self, repo: &Repo) -> Result<Vec<PathBuf>, CommandError> {
        let id = self.id.as_str();
        valid_id(id)?;
        let dir = repo.content.join("clients").join(id);
        if dir.exists() {
            return Err(refused(format!(
                "client `{id}` already exists at `{}`",
                dir.display()
            )));
        }
        if let Some(owner) = &self.owner {
            repo.known(Kind::Person, owner)?;
        }
        if let Some(tier) = &self.tier {
            let charter = repo.charter().map(|c| c.tiers).unwrap_or_default();
            let tiers: Vec<&str> = charter.iter().map(|t| t.id.value.as_str()).collect();
            if !tiers.contains(&tier.as_str()) {
                return Err(not_one_of("a tier of the charter", tier, &tiers));
            }
            if self.owner.is_none() {
                return Err(refused("a tiered client needs an accountable owner")
                    .help("pass --owner <person id>"));
            }
        }
        let client = ClientRecord {
            name: &self.name,
            tier: self.tier.as_deref(),
            segment: self.segment.as_deref(),
            region: self.region.as_deref(),
            coverage: self.owner.as_deref().map(|owner| CoverageRecord { owner }),
            priority_history: self
                .tier
                .iter()
                .map(|tier| PriorityRecord {
                    date: Date(repo.today),
                    tier,
                    reason: &self.reason,
                })
                .collect(),
        };
        let mut written =
            vec![repo.create::<ClientFile>(dir.join("client.yaml"), &to_yaml(&client))?];
        if self.tier.is_some() {
            let plan = PlanRecord {
                fiscal_year: chrono::Datelike::year(&repo.today),
                objective: format!(
                    "Agree the account plan for {} with the coverage team",
                    self.name
                ),
            };
            let body = format!(
                "# {}: account plan\n\n## Where we are\n\n## What we want\n\n## How we get there",
                self.name
            );
            let text = markdown(&plan, &body);
            written.push(repo.create::<PlanFile>(dir.join("plan.md"), &text)?);
        }
        Ok(written)
    }
}
