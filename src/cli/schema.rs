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
    #[arg(short, long, default_value = "schemas")]
    pub out: PathBuf,
}

/// Every schema: (file stem, what it describes, JSON text).
pub fn schemas() -> Vec<(&'static str, String)> {
    fn one<T: JsonSchema>(name: &str, title: &str, description: &str) -> String {
        let schema = SchemaSettings::draft07()
            .into_generator()
            .into_root_schema_for::<T>();
        // What the schema is first, then the schema itself.
        let mut head = serde_json::Map::new();
        head.insert("$schema".into(), schema.get("$schema").cloned().into());
        head.insert("$id".into(), format!("urn:clientele:schema:{name}").into());
        head.insert("title".into(), title.into());
        head.insert("description".into(), description.into());
        let mut value = schema.to_value();
        if let serde_json::Value::Object(body) = &mut value {
            body.remove("$schema");
            body.remove("description");
            body.remove("title");
            head.append(body);
        }
        let mut value = serde_json::Value::Object(head);
        standard_formats_only(&mut value);
        if name == "plan" {
            firm_goals_only(&mut value);
        }
        let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
        text.push('\n');
        text
    }
    vec![
        (
            "firm",
            one::<Firm>(
                "firm",
                "clientele firm.yaml",
                "The firm: name, currency, fiscal year and rule severities.",
            ),
        ),
        (
            "charter",
            one::<Charter>(
                "charter",
                "clientele charter.yaml",
                "The service charter: tiers, qualifiers and service levels.",
            ),
        ),
        (
            "strategy",
            one::<FirmStrategy>(
                "strategy",
                "clientele strategy.yaml",
                "Firm goals, strategies and action plans.",
            ),
        ),
        (
            "person",
            one::<PersonFile>(
                "person",
                "clientele team/<id>.yaml",
                "One person of the firm.",
            ),
        ),
        (
            "client",
            one::<ClientFile>(
                "client",
                "clientele clients/<id>/client.yaml",
                "A client, its tier and coverage.",
            ),
        ),
        (
            "plan",
            one::<PlanFile>(
                "plan",
                "clientele plan.md front matter",
                "An account plan's front matter.",
            ),
        ),
        (
            "activity",
            one::<ActivityFile>(
                "activity",
                "clientele activity front matter",
                "One activity's front matter; the body is the call report.",
            ),
        ),
        (
            "review",
            one::<ReviewFile>(
                "review",
                "clientele review front matter",
                "A review of an account plan.",
            ),
        ),
        (
            "import-map",
            one::<crate::import::ImportMap>(
                "import-map",
                "clientele import map",
                "How `clientele import csv --map` reads one system's CSV export.",
            ),
        ),
    ]
}

/// The formats JSON Schema (draft-07) defines; a validator in strict mode
/// refuses any other, such as the `uint32` and `double` schemars writes
/// for Rust's number types (their bounds are kept as `minimum`).
const STANDARD_FORMATS: &[&str] = &[
    "date-time",
    "date",
    "time",
    "email",
    "idn-email",
    "hostname",
    "idn-hostname",
    "ipv4",
    "ipv6",
    "uri",
    "uri-reference",
    "iri",
    "iri-reference",
    "uri-template",
    "json-pointer",
    "relative-json-pointer",
    "regex",
];

/// Removes every `format` that is not standard, at any depth.
/// An account plan's goals share their type with the firm's, but only the
/// firm's take a `target` (check refuses one in a plan): the plan schema
/// leaves it out too.
fn firm_goals_only(value: &mut serde_json::Value) {
    if let Some(definitions) = value
        .get_mut("definitions")
        .and_then(serde_json::Value::as_object_mut)
    {
        definitions.remove("GoalTarget");
        definitions.remove("GoalMeasure");
        if let Some(properties) = definitions
            .get_mut("Goal")
            .and_then(|g| g.get_mut("properties"))
            .and_then(serde_json::Value::as_object_mut)
        {
            properties.remove("target");
        }
    }
}

fn standard_formats_only(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            let standard = map
                .get("format")
                .and_then(serde_json::Value::as_str)
                .is_none_or(|f| STANDARD_FORMATS.contains(&f));
            // A property named `format` is a schema, not a keyword.
            if !standard && !map.get("format").is_some_and(serde_json::Value::is_object) {
                map.remove("format");
            }
            map.values_mut().for_each(standard_formats_only);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(standard_formats_only),
        _ => {}
    }
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
