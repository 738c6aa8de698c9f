//! `clientele new person`: `team/<id>.yaml`.

use std::path::PathBuf;

use super::repo::{valid_id, Kind, Repo};
use crate::diag::CommandError;
use crate::model::PersonFile;
use crate::write::records::{to_yaml, PersonRecord};

#[derive(Clone, Debug, clap::Args)]
pub struct PersonArgs {
    /// The person's id: their file name, lower-case letters, digits and
    /// dashes, e.g. asmith.
    pub id: String,
    /// Their name as colleagues write it.
    #[arg(long)]
    pub name: String,
    /// Their role, e.g. "Relationship Manager".
    #[arg(long)]
    pub role: String,
    /// The team they belong to, e.g. "FX Sales".
    #[arg(long)]
    pub team: Option<String>,
    /// Their work email address.
    #[arg(long)]
    pub email: Option<String>,
    /// Their manager (person id).
    #[arg(long)]
    pub manager: Option<String>,
}

impl PersonArgs {
    /// Writes the person's file; returns its path.
    pub fn write(&self, repo: &Repo) -> Result<Vec<PathBuf>, CommandError> {
        valid_id(&self.id)?;
        if let Some(manager) = &self.manager {
            repo.known(Kind::Person, manager)?;
        }
        let person = PersonRecord {
            name: &self.name,
            role: &self.role,
            team: self.team.as_deref(),
            email: self.email.as_deref(),
            manager: self.manager.as_deref(),
        };
        let path = repo.content.join("team").join(format!("{}.yaml", self.id));
        Ok(vec![repo.create::<PersonFile>(path, &to_yaml(&person))?])
    }
}
