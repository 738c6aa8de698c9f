//! `clientele schema`: JSON Schema (draft-07) for every YAML file kind,
//! generated from the serde types the loader uses, so an editor validates
//! while typing with the same rules as `check`.

use std::path::{Path, PathBuf};

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;

use crate::model::{
    ActivityFile, Charter, ClientFile, Firm, FirmStrategy, PersonFile, PlanFile, ReviewFile,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The folder to write `<kind>.schema.json` files into.
    #[arg(long, default_value = "schemas")]
    pub out: PathBuf,
}

/// Every schema: (file stem, what it describes, JSON text).
pub fn schemas() -> Vec<(&'static str, String)> {
    fn one<T: JsonSchema>(title: &str, description: &str) -> String {
        let mut schema = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<T>();
        schema.insert("title".into(), title.into());
        schema.insert("description".into(), description.into());
        let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
        text.push('\n');
        text
    }
    vec![
        (
            "firm",
            one::<Firm>(
                "clientele firm.yaml",
                "The firm: name, currency, fiscal year and rule severities.",
            ),
        ),
        (
            "charter",
            one::<Charter>(
                "clientele charter.yaml",
                "The service charter: tiers, qualifiers and service levels.",
            ),
        ),
        (
            "strategy",
            one::<FirmStrategy>(
                "clientele strategy.yaml",
                "Firm goals, strategies and action plans.",
            ),
        ),
        (
            "person",
            one::<PersonFile>("clientele team/<id>.yaml", "One person of the firm."),
        ),
        (
            "client",
            one::<ClientFile>(
                "clientele clients/<id>/client.yaml",
                "A client, its tier and coverage.",
            ),
        ),
        (
            "plan",
            one::<PlanFile>(
                "clientele plan.md front matter",
                "An account plan's front matter.",
            ),
        ),
        (
            "activity",
            one::<ActivityFile>(
                "clientele activity front matter",
                "One activity's front matter; the body is the call report.",
            ),
        ),
        (
            "review",
            one::<ReviewFile>(
                "clientele review front matter",
                "A review of an account plan.",
            ),
        ),
        (
            "import-map",
            one::<crate::import::ImportMap>(
                "clientele import map",
                "How `clientele import csv --map` reads one system's CSV export.",
            ),
        ),
    ]
}

/// Writes every schema into `dir`, replacing the schemas written before
/// (through a temporary file and a rename: a link at the name is replaced,
/// never written through); returns the paths written.
pub fn write_schemas(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    schemas()
        .into_iter()
        .map(|(name, text)| {
            let path = dir.join(format!("{name}.schema.json"));
            crate::write::file::replace(&path, text.as_bytes())?;
            Ok(path)
        })
        .collect()
}

pub fn run(args: &Args) -> i32 {
    match write_schemas(&args.out) {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            0
        }
        Err(e) => {
            eprintln!(
                "error: cannot write schemas to `{}`: {e}",
                args.out.display()
            );
            2
        }
    }
}
