//! `clientele build`: check, then render the portal into a staging folder
//! and swap it in place of the output only when everything succeeded.

use std::path::PathBuf;
use std::time::Instant;

use super::RepoArgs;
use crate::diag::{self, plural, CommandError, Diagnostic, Summary};
use crate::load::Changes;
use crate::pipeline::{Figures, Pipeline};
use crate::site::{self, Audience};
use crate::write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Where to write the site. Replaced on every build; a non-empty folder
    /// that clientele did not make is refused.
    #[arg(short, long, default_value = "public")]
    pub out: PathBuf,
    /// Where the site will be served, e.g. `/portal/` (default: `base_url`
    /// in firm.yaml, else `/`). Pages link relatively, so the same build also
    /// works from file://; calendar feeds use this for their links.
    #[arg(long, value_parser = super::parse_base_url)]
    pub base_url: Option<String>,
    /// Build even when the repository has errors; the site shows them.
    #[arg(long)]
    pub allow_errors: bool,
    /// Who the site is for: `full` (everything, restricted material marked)
    /// or `wide` (restricted clients, plans, activities and reviews left out).
    #[arg(long, value_enum, default_value_t = AudienceArg::Full)]
    pub audience: AudienceArg,
    /// Print how long each stage took (load, rules, figures, pages,
    /// swap), on stderr.
    #[arg(long)]
    pub timings: bool,
}

/// `--audience`, as the command line spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AudienceArg {
    /// The client-management team and leadership: everything, with
    /// restricted material marked as such.
    Full,
    /// The whole firm: restricted clients, plans, activities and reviews
    /// are left out entirely.
    Wide,
}

impl From<AudienceArg> for Audience {
    fn from(arg: AudienceArg) -> Audience {
        match arg {
            AudienceArg::Full => Audience::Full,
            AudienceArg::Wide => Audience::Wide,
        }
    }
}

pub fn run(args: &Args) -> i32 {
    match build(args) {
        Ok(()) => 0,
        Err(Stop::Reported(code)) => code,
        Err(Stop::Failed(e)) => {
            e.print();
            2
        }
    }
}

/// Why a build stopped.
enum Stop {
    /// The repository's problems were printed; the exit code they call for.
    Reported(i32),
    /// The theme, the output or rendering failed.
    Failed(CommandError),
}

impl<E: Into<CommandError>> From<E> for Stop {
    fn from(e: E) -> Stop {
        Stop::Failed(e.into())
    }
}

/// load -> rules -> (figures beside theme and staging) -> pages -> swap.
fn build(args: &Args) -> Result<(), Stop> {
    let started = Instant::now();
    let mut timings = super::timings::Timings::new(args.timings || super::verbose());
    let root = &args.repo.dir;
    let today = args.repo.today();
    let (mut pipeline, diagnostics, summary) = check(args, today, &mut timings)?;
    // Rules ran on everything; the pages see only what the audience may.
    let diagnostics = pipeline.narrow(&diagnostics);
    // The templates compile and the output is staged (its previous
    // manifest read) while the figures are computed.
    let (metrics, staging) = rayon::join(
        || pipeline.figures(&diagnostics, today, Figures::Fresh),
        || {
            write::stage(&args.out, root).map(|s| {
                let sink = s.sink();
                (s, sink)
            })
        },
    );
    timings.end("figures");
    let metrics = metrics?;
    let (staging, sink) = staging?;
    let stats = pipeline
        .render(&metrics, &diagnostics, &site::Scope::all(), &sink)
        .map_err(|e| {
            CommandError::from(e).help(format!(
                "fix the template named above; `{}` is unchanged",
                args.out.display()
            ))
        })?;
    timings.end("pages");
    swap(staging, sink)?;
    timings.end("swap");
    super::status!(
        "built {} ({} pages, {} files) from {} in {:.2?}: {}, {}",
        args.out.display(),
        stats.pages,
        stats.files,
        root.display(),
        started.elapsed(),
        plural(summary.total_errors(), "error"),
        plural(summary.warnings, "warning"),
    );
    super::status!("open {}", args.out.join("index.html").display());
    let base_url = pipeline.base_url();
    if site::link_base(&base_url).is_none() {
        super::status!(
            "note: the calendar feeds link to no page: `{base_url}` is not an absolute address (give `--base-url https://…` or `base_url` in firm.yaml)"
        );
    }
    timings.print();
    super::leave_at_exit((pipeline, metrics, diagnostics));
    Ok(())
}

/// Loads the repository and runs the rules, printing every problem; stops
/// here when there are errors and `--allow-errors` was not given.
fn check(
    args: &Args,
    today: chrono::NaiveDate,
    timings: &mut super::timings::Timings,
) -> Result<(Pipeline, Vec<Diagnostic>, Summary), Stop> {
    let root = &args.repo.dir;
    let color = super::stderr_color();
    let audience = Audience::from(args.audience);
    let mut pipeline = Pipeline::load(root, audience, args.base_url.clone()).map_err(|d| {
        eprint!("{}", diag::render_human(root, &[d], color));
        Stop::Reported(2)
    })?;
    timings.end("load");
    let diagnostics = pipeline.check(&Changes::default(), today).diagnostics;
    timings.end("rules");
    let summary = Summary::of(&diagnostics);
    eprint!("{}", diag::render_human(root, &diagnostics, color));
    timings.end("report");
    let code = summary.exit_code(false);
    if code != 0 && !args.allow_errors {
        eprintln!(
            "build failed: {}; nothing was written (use --allow-errors to build anyway)",
            plural(summary.total_errors(), "error")
        );
        return Err(Stop::Reported(code));
    }
    Ok((pipeline, diagnostics, summary))
}

/// Puts the staged site in place of the output, and says which of the
/// person's files could not be carried over.
fn swap(staging: write::Staging, sink: write::DirSink) -> Result<(), CommandError> {
    let kept = staging.commit(sink)?;
    for path in kept {
        CommandError::warning(
            "output",
            "a file clientele did not write was where the new build writes a page; it is kept, untouched",
        )
        .at(path.display())
        .help("move it where you want it and delete the folder it is in: builds into this output stop until that folder is gone")
        .print();
    }
    Ok(())
}
