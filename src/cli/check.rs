//! `clientele check`: load, run the rules, print every problem.

use std::path::{Path, PathBuf};
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
    /// List first the problems in files changed since REV (a branch, tag
    /// or commit; compared from where this branch left it), the way a
    /// pull request is reviewed. Default under GitHub Actions on a pull
    /// request: `origin/$GITHUB_BASE_REF`.
    #[arg(long, value_name = "REV")]
    pub changed_from: Option<String>,
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
            if under_actions() {
                Format::Github
            } else {
                Format::Human
            }
        })
    }
}

/// Whether this runs as a GitHub Actions step.
fn under_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// Where the content folder sits in its repository.
struct Placement {
    /// The content folder's path from the repository root, `/`-terminated,
    /// or empty when it is the root.
    prefix: String,
    /// The repository root, absolute: `GITHUB_WORKSPACE` under Actions,
    /// else the nearest folder above the content holding `.git`.
    root: Option<PathBuf>,
}

/// Names files as the repository does, wherever the command runs and
/// however the folder was typed (`.`, `../plans/content`, an absolute
/// path). Outside any repository, files are named as the folder was typed.
fn placement(dir: &Path) -> Placement {
    let typed = match dir.to_string_lossy().trim_end_matches('/') {
        "" | "." => String::new(),
        dir => format!("{dir}/"),
    };
    let Ok(content) = std::fs::canonicalize(dir) else {
        return Placement {
            prefix: typed,
            root: None,
        };
    };
    let workspace = std::env::var_os("GITHUB_WORKSPACE")
        .filter(|w| !w.is_empty())
        .and_then(|w| std::fs::canonicalize(w).ok())
        .filter(|w| content.starts_with(w));
    let root = workspace.or_else(|| {
        content
            .ancestors()
            .find(|a| a.join(".git").exists())
            .map(Path::to_path_buf)
    });
    let Some(root) = root else {
        return Placement {
            prefix: typed,
            root: None,
        };
    };
    let inside = content.strip_prefix(&root).unwrap_or(Path::new(""));
    let parts: Vec<String> = inside
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let prefix = if parts.is_empty() {
        String::new()
    } else {
        format!("{}/", parts.join("/"))
    };
    Placement {
        prefix,
        root: Some(root),
    }
}

/// The revision whose changes come first: `--changed-from`, else the base
/// branch of the pull request GitHub Actions is checking.
fn changed_from(args: &Args) -> Option<String> {
    args.changed_from.clone().or_else(|| {
        std::env::var("GITHUB_BASE_REF")
            .ok()
            .filter(|b| !b.is_empty())
            .map(|b| format!("origin/{b}"))
    })
}

/// Every rule and input problem as SARIF describes it.
fn rule_texts() -> Vec<diag::RuleText> {
    let rules = rules::RULES.iter().map(|r| diag::RuleText {
        id: r.id,
        short: r.checks,
        full: format!(
            "A process rule: {}. Reported as {} unless firm.yaml sets `rules: {{ {}: error | warning | off }}`; an error fails `clientele check`.",
            r.checks, r.default, r.id
        ),
        fix: r.fix,
        default: r.default,
    });
    let inputs = diag::inputs::INPUTS.iter().map(|p| diag::RuleText {
        id: p.id,
        short: p.meaning,
        full: format!(
            "An input problem: {}. The file cannot be read into the model as written, so `clientele check` exits with code 2 and the rules that need it are not run.",
            p.meaning
        ),
        fix: p.fix,
        default: diag::Severity::Error,
    });
    rules.chain(inputs).collect()
}

/// Prints diagnostics in the chosen format.
fn print(args: &Args, diagnostics: &[Diagnostic], summary: &Summary) {
    let root = &args.repo.dir;
    match args.format() {
        Format::Human => eprint!(
            "{}",
            diag::render_human(root, diagnostics, super::stderr_color())
        ),
        Format::Json => print!("{}", diag::render_json(diagnostics)),
        Format::Github => {
            let at = placement(root);
            print!("{}", diag::render_github(diagnostics, &at.prefix));
            // In a step's log the annotations are the report; elsewhere
            // (a terminal, another CI) a person reads this one.
            if !under_actions() {
                eprint!("{}", diag::render_human(root, diagnostics, false));
            }
            if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
                use std::io::Write;
                let appended = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(&path)
                    .and_then(|mut f| {
                        f.write_all(
                            diag::github_summary(diagnostics, summary, &at.prefix).as_bytes(),
                        )
                    });
                if let Err(e) = appended {
                    eprintln!("warning: cannot append to GITHUB_STEP_SUMMARY: {e}");
                }
            }
        }
        Format::Sarif => {
            let at = placement(root);
            let sarif_root = diag::SarifRoot {
                content: root,
                prefix: &at.prefix,
                root: at.root.as_deref(),
            };
            println!(
                "{}",
                diag::render_sarif(diagnostics, &rule_texts(), &sarif_root)
            );
        }
    }
}

pub fn run(args: &Args) -> i32 {
    let started = Instant::now();
    let mut timings = super::timings::Timings::new(args.timings || super::verbose());
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
    let mut diagnostics = pipeline.check(&Changes::default(), today).diagnostics;
    if let Some(rev) = changed_from(args) {
        match crate::load::changed_files(root, &rev) {
            Ok(changed) => diag::changed_first(&mut diagnostics, &changed),
            Err(why) => eprintln!(
                "warning: cannot tell which files changed since `{rev}`, so problems are in file order: {why}"
            ),
        }
    }
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
        super::status!("checked {what}: {counts} ({:.2?})", started.elapsed());
    } else {
        eprintln!("check failed for {what}: {counts}");
    }
    timings.print();
    super::leave_at_exit((pipeline, diagnostics));
    code
}
