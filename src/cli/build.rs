//! `clientele build`: check, then render the portal into a staging folder
//! and swap it in place of the output only when everything succeeded.

use std::path::PathBuf;
use std::time::Instant;

use super::RepoArgs;
use crate::diag::{self, plural, Summary};
use crate::metrics::Metrics;
use crate::rules::{self, Context};
use crate::site::{self, Audience, Theme};
use crate::write;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Where to write the site. Replaced on every build; a non-empty folder
    /// that clientele did not make is refused.
    #[arg(long, default_value = "public")]
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
        Err(code) => code,
    }
}

/// load -> rules -> (figures beside theme and staging) -> pages -> swap;
/// `Err` carries the exit code once the problem has been printed.
fn build(args: &Args) -> Result<(), i32> {
    let audience = Audience::from(args.audience);
    let started = Instant::now();
    let mut timings = super::timings::Timings::new(args.timings);
    let root = &args.repo.dir;
    let today = args.repo.today();
    let (model, diagnostics, summary) = check(args, today, &mut timings)?;
    // Rules ran on everything; the pages see only what the audience may.
    let diagnostics = model.diagnostics_for(audience, &diagnostics);
    let visible = model.for_audience(audience);
    let model = &visible;
    // The templates compile and the output is staged (its previous
    // manifest read) while the figures are computed.
    let (metrics, (theme, staging)) = rayon::join(
        || Metrics::compute(model, &diagnostics, today),
        || {
            let staging = write::stage(&args.out, root).map(|s| {
                let sink = s.sink();
                (s, sink)
            });
            (Theme::load(root), staging)
        },
    );
    timings.end("figures");
    let theme = theme.map_err(|e| {
        eprintln!("error[theme]: {}: {}", e.file, e.message);
        2
    })?;
    let (staging, sink) = staging.map_err(|e| {
        eprintln!("error[output]: {e}");
        eprintln!("  = help: {}", e.help());
        2
    })?;
    let options = site::Options {
        content: root.clone(),
        audience,
        base_url: model.firm.base_url_or(args.base_url.as_deref()),
    };
    let scope = site::Scope::all();
    let stats = site::render(
        model,
        &metrics,
        &diagnostics,
        &theme,
        &options,
        &scope,
        &sink,
    )
    .map_err(|e| {
        eprintln!("error[render]: {e}");
        eprintln!("build failed; `{}` is unchanged", args.out.display());
        2
    })?;
    timings.end("pages");
    swap(staging, sink)?;
    timings.end("swap");
    eprintln!(
        "built {} ({} pages, {} files) from {} in {:.2?}: {}, {}",
        args.out.display(),
        stats.pages,
        stats.files,
        root.display(),
        started.elapsed(),
        plural(summary.total_errors(), "error"),
        plural(summary.warnings, "warning"),
    );
    eprintln!("open {}", args.out.join("index.html").display());
    timings.print();
    super::leave_at_exit((visible, metrics, diagnostics));
    Ok(())
}

/// Loads the repository and runs the rules, printing every problem; stops
/// here when there are errors and `--allow-errors` was not given.
fn check(
    args: &Args,
    today: chrono::NaiveDate,
    timings: &mut super::timings::Timings,
) -> Result<(crate::model::Model, Vec<crate::diag::Diagnostic>, Summary), i32> {
    let root = &args.repo.dir;
    let color = super::stderr_color();
    let loaded = crate::load::load(root).map_err(|d| {
        eprint!("{}", diag::render_human(root, &[d], color));
        2
    })?;
    timings.end("load");
    let diagnostics = rules::check(loaded.diagnostics, &loaded.model, &Context { today });
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
        return Err(code);
    }
    Ok((loaded.model, diagnostics, summary))
}

/// Puts the staged site in place of the output, and says which of the
/// person's files could not be carried over.
fn swap(staging: write::Staging, sink: write::DirSink) -> Result<(), i32> {
    let kept = staging.commit(sink).map_err(|e| {
        eprintln!("error[output]: {e}");
        2
    })?;
    for path in kept {
        eprintln!(
            "warning[output]: `{}` was not written by clientele and the new build writes the same path; it is kept there, untouched",
            path.display()
        );
    }
    Ok(())
}
