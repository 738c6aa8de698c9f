//! `clientele init [DIR]`: a new plans repository that passes `check` from
//! the first commit: a firm, a charter, a strategy, one person, one client
//! with a plan, a call report and a review, a CI workflow, a pre-commit
//! hook and editor schemas.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::new::{ActivityArgs, ClientArgs, PersonArgs, Repo, ReviewArgs};
use super::parse_day;
use crate::diag::CommandError;
use crate::model::Date;
use crate::write::records::{
    to_yaml, ActionRecord, FirmRecord, GoalRecord, StrategyItem, StrategyRecord,
};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to create the repository (it must be empty or absent;
    /// default: the working folder).
    #[arg(value_name = "DIR")]
    pub positional: Option<PathBuf>,
    /// Where to create the repository, as `DIR` gives it.
    #[arg(long = "dir", value_name = "DIR", conflicts_with = "positional")]
    pub flag: Option<PathBuf>,
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

impl Args {
    /// The folder to create the repository in.
    fn dir(&self) -> &std::path::Path {
        self.positional
            .as_deref()
            .or(self.flag.as_deref())
            .unwrap_or(std::path::Path::new("."))
    }
}

const CHARTER: &str = "\
# The service charter: what each tier gets, who gives it, how it is measured.
tiers:
  - id: strategic
    name: Strategic
    entry:
      - Among the firm's largest relationships, with a senior sponsor on both sides
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
    entry:
      - A large wallet where the firm's share is small, and a named opportunity
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
            super::status!(
                "created a plans repository in `{}`; next:",
                args.dir().display()
            );
            super::status!(
                "  cd {} && git init && git config core.hooksPath .githooks",
                args.dir().display()
            );
            super::status!("  clientele check content && clientele build");
            0
        }
        Err(e) => {
            e.print();
            2
        }
    }
}

fn refused(message: String) -> CommandError {
    CommandError::new("init", message)
}

fn init(args: &Args) -> Result<Vec<PathBuf>, CommandError> {
    let root = args.dir();
    if root.exists() {
        let entries: Vec<_> = std::fs::read_dir(root)
            .map_err(|e| refused(format!("cannot read `{}`: {e}", root.display())))?
            .flatten()
            .filter(|e| e.file_name() != ".git")
            .collect();
        if !entries.is_empty() {
            return Err(refused(format!(
                "`{}` is not empty; clientele init only creates new repositories",
                root.display()
            ))
            .help("pass the path of a new folder, e.g. `clientele init plans`"));
        }
    }
    let person = match &args.person {
        Some(p) => p.clone(),
        None => Some(crate::load::slugify(
            &std::env::var("USER").unwrap_or_default(),
        ))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| String::from("me")),
    };
    if !crate::load::is_valid_id(&person) {
        return Err(
            refused(format!("`{person}` is not a usable person id")).help(format!(
                "ids use lower-case letters, digits and dashes, e.g. --person {}",
                crate::load::slugify(&person)
            )),
        );
    }
    let repo = Repo {
        content: &root.join("content"),
        today: crate::rules::Today::from_arg(args.today).date(),
    };
    let mut written = Vec::new();
    firm_files(args, &repo, &person, &mut written)?;
    examples(args, &repo, &person, &mut written)?;
    let schemas = root.join("schemas");
    written.extend(
        super::schema::write_schemas(&schemas)
            .map_err(|e| refused(format!("cannot write schemas: {e}")))?,
    );
    let vscode = "{\n  \"yaml.schemas\": {\n    \"./schemas/firm.schema.json\": \"content/firm.yaml\",\n    \"./schemas/charter.schema.json\": \"content/charter.yaml\",\n    \"./schemas/strategy.schema.json\": \"content/strategy.yaml\",\n    \"./schemas/person.schema.json\": \"content/team/*.yaml\",\n    \"./schemas/client.schema.json\": \"content/clients/*/client.yaml\"\n  }\n}\n";
    put_file(&mut written, root.join(".vscode/settings.json"), vscode)?;
    Ok(written)
}

/// The firm, its charter and strategy, and the files around the content:
/// `.gitignore`, the CI workflow and the pre-commit hook.
fn firm_files(
    args: &Args,
    repo: &Repo,
    person: &str,
    written: &mut Vec<PathBuf>,
) -> Result<(), CommandError> {
    let root = args.dir();
    let content = repo.content;
    let firm = FirmRecord {
        name: &args.firm,
        currency: "GBP",
        fiscal_year_start_month: 1,
    };
    put_file(written, content.join("firm.yaml"), &to_yaml(&firm))?;
    put_file(written, content.join("charter.yaml"), CHARTER)?;
    let strategy = strategy(person, crate::model::add_months(repo.today, 1));
    put_file(written, content.join("strategy.yaml"), &to_yaml(&strategy))?;
    put_file(written, root.join(".gitignore"), GITIGNORE)?;
    put_file(written, root.join(".github/workflows/plans.yml"), WORKFLOW)?;
    put_file(written, root.join(".githooks/pre-commit"), HOOK)?;
    make_executable(&root.join(".githooks/pre-commit"));
    Ok(())
}

/// One goal, one strategy and one action, owned by the person.
fn strategy(person: &str, due: chrono::NaiveDate) -> StrategyRecord<'_> {
    StrategyRecord {
        goals: [GoalRecord {
            id: "grow-priority-revenue",
            title: "Grow revenue from priority clients by 10%",
            owner: person,
        }],
        strategies: [StrategyItem {
            id: "focus-coverage",
            title: "Give the priority list senior coverage",
            goal: "grow-priority-revenue",
            owner: person,
        }],
        actions: [ActionRecord {
            title: "Publish the priority list and the service charter",
            strategy: "focus-coverage",
            owner: person,
            due: Date(due),
        }],
    }
}

/// The person, and one client with a call report and a review, written as
/// `clientele new` writes them.
fn examples(
    args: &Args,
    repo: &Repo,
    person: &str,
    written: &mut Vec<PathBuf>,
) -> Result<(), CommandError> {
    let person = person.to_string();
    let client = String::from("example-client");
    let me = PersonArgs {
        id: person.clone(),
        name: args.person_name.clone(),
        role: String::from("Head of Client Management"),
        team: None,
        email: None,
        manager: None,
    };
    written.extend(me.write(repo)?);
    let example = ClientArgs {
        id: client.clone(),
        name: String::from("Example Client"),
        tier: Some(String::from("key")),
        owner: Some(person.clone()),
        segment: Some(String::from("asset-manager")),
        region: None,
        reason: String::from("First client on the priority list"),
    };
    written.extend(example.write(repo)?);
    let meeting = ActivityArgs {
        client: client.clone(),
        kind: String::from("meeting"),
        by: person.clone(),
        title: String::from("Introductory meeting"),
        date: Some(repo.today),
        report: Some(String::from("Met the client's team to agree how we work together. Next step: agree the account plan.")),
        reported: None,
        attendees: Vec::new(),
        contacts: Vec::new(),
        outcome: None,
        follow_ups: Vec::new(),
    };
    written.extend(meeting.write(repo)?);
    let review = ReviewArgs {
        client,
        kind: String::from("quarterly"),
        reviewers: vec![person],
        findings: vec![String::from("Plan agreed with the coverage team")],
        trigger: None,
        date: Some(repo.today),
        plan_changed: false,
        actions: Vec::new(),
    };
    written.extend(review.write(repo)?);
    Ok(())
}

fn put_file(written: &mut Vec<PathBuf>, path: PathBuf, text: &str) -> Result<(), CommandError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| refused(format!("cannot create `{}`: {e}", parent.display())))?;
    }
    // Never over a file that is there, nor through a link.
    crate::write::file::create_new(&path, text.as_bytes())
        .map_err(|e| refused(format!("cannot write `{}`: {e}", path.display())))?;
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
