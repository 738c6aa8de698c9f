//! `clientele check`: load, run the rules, print every problem.

use std::time::Instant;

use super::RepoArgs;
use crate::diag::{self, plural, Diagnostic, Summary};
use crate::load::Changes;
use crate::model::Audience;
use crate::pipeline::Pipeline;
use crate::rules;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print problems: `human` on stderr; `json` (one object per
    /// line), `github` (workflow commands) or `sarif` (SARIF 2.1.0) on
    /// stdout. Default: `github` when GITHUB_ACTIONS=true, else `human`.
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Print how long loading, the rules and the report took, on stderr.
    #[arg(long)]
    pub timings: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
}

impl Args {
    fn format(&self) -> Format {
        self.format.unwrap_or_else(|| {
            if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
                Format::Github
            } else {
                Format::Human
            }
        })
    }
}

/// Prints diagnostics in the chosen format.
fn print(args: &Args, diagnostics: &[Diagnostic], summary: &Summary) {
    let root = &args.repo.dir;
    let prefix = match root.to_string_lossy().trim_end_matches('/') {
        "" | "." => String::new(),
        dir => format!("{dir}/"),
    };
    match args.format() {
        Format::Human => eprint!(
            "{}",
            diag::render_human(root, diagnostics, super::stderr_color())
        ),
        Format::Json => print!("{}", diag::render_json(diagnostics)),
        Format::Github => {
            print!("{}", diag::render_github(diagnostics, &prefix));
            eprint!("{}", diag::render_human(root, diagnostics, false));
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                use std::io::Write;
                let appended = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .and_then(|mut f| {
                        f.write_all(diag::github_summary(diagnostics, summary).as_bytes())
                    });
                if let Err(e) = appended {
                    eprintln!("warning: cannot append to GITHUB_STEP_SUMMARY: {e}");
                }
            }
        }
        Format::Sarif => {
            let rules: Vec<(&str, &str, &str)> = rules::RULES
                .iter()
                .map(|r| (r.id, r.checks, r.fix))
                .collect();
            println!("{}", diag::render_sarif(diagnostics, &rules, &prefix));
        }
    }
}

pub fn run(args: &Args) -> i32 {
    let started = Instant::now();
    let mut timings = super::timings::Timings::new(args.timings);
    let root = &args.repo.dir;
    let mut pipeline = match Pipeline::load(root, Audience::Full, None) {
        Ok(pipeline) => pipeline,
        Err(d) => {
            let diagnostics = [d];
            print(args, &diagnostics, &Summary::of(&diagnostics));
            return 2;
        }
    };
    let today = args.repo.today();
    timings.end("load");
    let diagnostics = pipeline.check(&Changes::default(), today).diagnostics;
    timings.end("rules");
    let summary = Summary::of(&diagnostics);
    print(args, &diagnostics, &summary);
    timings.end("report");
    let model = pipeline.model();
    let activities: usize = model
        .clients
        .iter()
        .map(|c| c.activities.len() + c.captured.len())
        .sum();
    let what = format!(
        "{} in {} ({}, {}, {})",
        today,
        root.display(),
        plural(model.clients.len(), "client"),
        plural(model.people.len(), "person"),
        plural(activities, "activity"),
    );
    let code = summary.exit_code(args.deny_warnings);
    let counts = format!(
        "{}, {}",
        plural(summary.total_errors(), "error"),
        plural(summary.warnings, "warning")
    );
    if code == 0 {
        eprintln!("checked {what}: {counts} ({:.2?})", started.elapsed());
    } else {
        eprintln!("check failed for {what}: {counts}");
    }
    timings.print();
    super::leave_at_exit((pipeline, diagnostics));
    code
}
