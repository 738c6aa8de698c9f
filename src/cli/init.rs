//! `clientele init [DIR]`: a new plans repository that passes `check` from
//! the first commit: a firm, a charter, a strategy, one person, one client
//! with a plan, a call report and a review, a CI workflow, a pre-commit
//! hook and editor schemas.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::parse_day;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the repository (it must be empty or absent).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The firm's name.
    #[arg(long, default_value = "Example Partners")]
    pub firm: String,
    /// Your person id (default: from $USER).
    #[arg(long)]
    pub person: Option<String>,
    /// Your name.
    #[arg(long, default_value = "Your Name")]
    pub person_name: String,
    /// The day to date the first records (default: today's date).
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

const CHARTER: &str = "\
# The service charter: what each tier gets, who gives it, how it is measured.
tiers:
  - id: strategic
    name: Strategic
    entry: [Among the firm's largest relationships, with a senior sponsor on both sides]
    exit: [Revenue below the key-tier threshold for two quarters]
    review_cadence: monthly
    call_report_days: 2
    minimum_per_quarter: { meeting: 3, call: 6 }
    service:
      - what: Quarterly senior management meeting
        who: owner
        measure: One meeting a quarter with the owner and an executive
  - id: key
    name: Key
    entry: [A relationship the firm depends on]
    exit: [Revenue below the growth-tier threshold for a year]
    review_cadence: quarterly
    call_report_days: 3
    minimum_per_quarter: { meeting: 2, call: 3 }
    service:
      - what: Relationship meeting every six weeks
        who: owner
        measure: Two meetings a quarter
  - id: growth
    name: Growth
    entry: [A large wallet where the firm's share is small, and a named opportunity]
    exit: [No opportunity secured within four quarters]
    review_cadence: quarterly
    call_report_days: 5
    minimum_per_quarter: { meeting: 1 }
    service:
      - what: Introduction programme
        who: owner
        measure: One meeting a quarter
qualifiers:
  - id: cross-sell
    description: Uses one product line; a second is realistic this year
  - id: at-risk
    description: Revenue or relationship health has fallen two quarters running
untiered:
  name: Core coverage
  call_report_days: 10
  service:
    - what: A named contact on the sales desk
      who: Head of Sales
      measure: At least one contact a quarter
";

const GITIGNORE: &str = "/public\n/.public.clientele-*\n";

const WORKFLOW: &str = "\
name: plans
on: [pull_request, push]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      # clientele is not on crates.io: install it from where your team keeps it.
      - run: cargo install --locked --git \"${{ vars.CLIENTELE_GIT_URL }}\" clientele
      # GitHub format is chosen automatically: annotations on the pull request
      # and a table in the job summary.
      - run: clientele check content
";

const HOOK: &str = "\
#!/bin/sh
# Runs the process rules before each commit. Enable with:
#   git config core.hooksPath .githooks
exec clientele check content
";

pub fn run(args: &Args) -> i32 {
    match init(args) {
        Ok(paths) => {
            for p in &paths {
                println!("{}", p.display());
            }
            eprintln!(
                "created a plans repository in `{}`; next:",
                args.dir.display()
            );
            eprintln!(
                "  cd {} && git init && git config core.hooksPath .githooks",
                args.dir.display()
            );
            eprintln!("  clientele check content && clientele build");
            0
        }
        Err(message) => {
            eprintln!("error: {message}");
            2
        }
    }
}

fn init(args: &Args) -> Result<Vec<PathBuf>, String> {
    let root = &args.dir;
    if root.exists() {
        let entries: Vec<_> = std::fs::read_dir(root)
            .map_err(|e| format!("cannot read `{}`: {e}", root.display()))?
            .flatten()
            .filter(|e| e.file_name() != ".git")
            .collect();
        if !entries.is_empty() {
            return Err(format!(
                "`{}` is not empty; clientele init only creates new repositories",
                root.display()
            ));
        }
    }
    let today = crate::rules::Today::from_arg(args.today).date();
    let person = match &args.person {
        Some(p) => p.clone(),
        None => Some(crate::load::slugify(
            &std::env::var("USER").unwrap_or_default(),
        ))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| String::from("me")),
    };
    let content = root.join("content");
    let mut written = Vec::new();
    let mut put = |path: PathBuf, text: &str| put_file(&mut written, path, text);
    put(
        content.join("firm.yaml"),
        &format!(
            "name: {}\ncurrency: GBP\nfiscal_year_start_month: 1\n",
            super::new::yaml_str(&args.firm)
        ),
    )?;
    put(content.join("charter.yaml"), CHARTER)?;
    put(
        content.join("strategy.yaml"),
        &format!(
            "goals:\n  - id: grow-priority-revenue\n    title: Grow revenue from priority clients by 10%\n    owner: {person}\nstrategies:\n  - id: focus-coverage\n    title: Give the priority list senior coverage\n    goal: grow-priority-revenue\n    owner: {person}\nactions:\n  - title: Publish the priority list and the service charter\n    strategy: focus-coverage\n    owner: {person}\n    due: {}\n",
            crate::model::add_months(today, 1)
        ),
    )?;
    put(root.join(".gitignore"), GITIGNORE)?;
    put(root.join(".github/workflows/plans.yml"), WORKFLOW)?;
    put(root.join(".githooks/pre-commit"), HOOK)?;
    make_executable(&root.join(".githooks/pre-commit"));
    let new = |what: super::new::What| super::new::Args {
        what,
        dir: content.clone(),
        today: Some(today),
    };
    let steps = [
        new(super::new::What::Person { id: person.clone(), name: args.person_name.clone(), role: String::from("Head of Client Management"), team: None, email: None, manager: None }),
        new(super::new::What::Client {
            id: String::from("example-client"),
            name: String::from("Example Client"),
            tier: Some(String::from("key")),
            owner: Some(person.clone()),
            segment: Some(String::from("asset-manager")),
            region: None,
            reason: String::from("First client on the priority list"),
        }),
        new(super::new::What::Activity {
            client: String::from("example-client"),
            kind: String::from("meeting"),
            by: person.clone(),
            title: String::from("Introductory meeting"),
            date: Some(today),
            report: Some(String::from("Met the client's team to agree how we work together. Next step: agree the account plan.")),
            attendees: Vec::new(),
            contacts: Vec::new(),
        }),
        new(super::new::What::Review {
            client: String::from("example-client"),
            kind: String::from("quarterly"),
            reviewers: vec![person.clone()],
            findings: vec![String::from("Plan agreed with the coverage team")],
            trigger: None,
            date: Some(today),
            plan_changed: false,
        }),
    ];
    for step in &steps {
        if super::new::run(step) != 0 {
            return Err(String::from("could not write the example records"));
        }
    }
    let schemas = root.join("schemas");
    written.extend(
        super::schema::write_schemas(&schemas).map_err(|e| format!("cannot write schemas: {e}"))?,
    );
    let vscode = "{\n  \"yaml.schemas\": {\n    \"./schemas/firm.schema.json\": \"content/firm.yaml\",\n    \"./schemas/charter.schema.json\": \"content/charter.yaml\",\n    \"./schemas/strategy.schema.json\": \"content/strategy.yaml\",\n    \"./schemas/person.schema.json\": \"content/team/*.yaml\",\n    \"./schemas/client.schema.json\": \"content/clients/*/client.yaml\"\n  }\n}\n";
    put_file(&mut written, root.join(".vscode/settings.json"), vscode)?;
    Ok(written)
}

fn put_file(written: &mut Vec<PathBuf>, path: PathBuf, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    // Never over a file that is there, nor through a link.
    crate::write::file::create_new(&path, text.as_bytes())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    written.push(path);
    Ok(())
}

#[cfg(unix)]
fn make_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
}

#[cfg(not(unix))]
fn make_executable(_: &Path) {}
