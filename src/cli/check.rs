//! `clientele check`: load, run the rules, print every problem.

use std::time::Instant;

use super::RepoArgs;
use crate::diag::{self, plural, Summary};
use crate::rules::{self, Context};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
    /// How to print problems: `human` on stderr, or `json` (one object per line) on stdout.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Human,
    Json,
}

pub fn run(args: &Args) -> i32 {
    let started = Instant::now();
    let root = &args.repo.dir;
    let loaded = match crate::load::load(root) {
        Ok(loaded) => loaded,
        Err(d) => {
            match args.format {
                Format::Human => {
                    eprint!("{}", diag::render_human(root, &[d], super::stderr_color()))
                }
                Format::Json => print!("{}", diag::render_json(&[d])),
            }
            return 2;
        }
    };
    let ctx = Context {
        today: args.repo.today(),
    };
    let diagnostics = rules::check(loaded.diagnostics, &loaded.model, &ctx);
    let summary = Summary::of(&diagnostics);
    match args.format {
        Format::Human => eprint!(
            "{}",
            diag::render_human(root, &diagnostics, super::stderr_color())
        ),
        Format::Json => print!("{}", diag::render_json(&diagnostics)),
    }
    let model = &loaded.model;
    let activities: usize = model
        .clients
        .iter()
        .map(|c| c.activities.len() + c.captured.len())
        .sum();
    let what = format!(
        "{} in {} ({}, {}, {})",
        ctx.today,
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
    code
}
