//! `clientele import calendar|mail|csv`: interactions captured elsewhere
//! become activity notes (meetings and calls) and `activities.csv` rows
//! (everything else) of the clients they were with.

mod sources;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use clap::Subcommand;

use super::parse_day;
use crate::diag::{self, plural, CommandError, Diagnostic};
use crate::import::calendar::Window;
use crate::import::{Plan, Skip};
use crate::model::{Audience, Model};
use crate::pipeline::Pipeline;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub source: Source,
}

#[derive(Debug, Subcommand)]
pub enum Source {
    /// Meetings and calls from iCalendar exports (Outlook, Google, Apple).
    Calendar(sources::CalendarArgs),
    /// Emails from .eml files, mbox files and Maildir folders.
    Mail(sources::MailArgs),
    /// Activities from a CRM or phone-system CSV export, read with a map.
    Csv(sources::CsvArgs),
}

impl Source {
    /// The options every import takes, to fill in the content folder.
    pub fn common_mut(&mut self) -> &mut Common {
        match self {
            Source::Calendar(a) => &mut a.common,
            Source::Mail(a) => &mut a.common,
            Source::Csv(a) => &mut a.common,
        }
    }
}

/// What every import takes besides its input.
#[derive(Debug, clap::Args)]
pub struct Common {
    /// The plans repository's content folder (default: the nearest folder
    /// at or above this one holding firm.yaml, or whose content/ does).
    #[arg(long = "dir", value_name = "DIR")]
    pub given: Option<PathBuf>,
    /// The content folder found from `--dir` or the working folder.
    #[arg(skip)]
    pub dir: PathBuf,
    /// Print the notes and rows that would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The first day to import, YYYY-MM-DD (calendar: the start of the
    /// current fiscal year unless given; mail and CSV: no limit).
    #[arg(long, value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// The last day to import, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    /// Also write the interactions that matched no client, or two, to
    /// this CSV file, for a person to sort.
    #[arg(long)]
    pub unmatched: Option<PathBuf>,
    /// The day to take as today, YYYY-MM-DD (default: today's date).
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

/// How one kind of import reads its input into the plan.
pub trait Reader {
    fn common(&self) -> &Common;
    /// The first day imported when `--from` is not given.
    fn default_from(&self, model: &Model, today: NaiveDate) -> NaiveDate;
    /// The reasons for leaving an interaction out that this input can
    /// have, named in the summary even when none was.
    fn skips(&self) -> &'static [Skip];
    /// Reads every input into a plan; the problems found in them.
    fn read(&self, model: &Model, window: &Window) -> (Plan, Vec<Diagnostic>);
}

pub fn run(args: &Args) -> i32 {
    let result = match &args.source {
        Source::Calendar(a) => import(a),
        Source::Mail(a) => import(a),
        Source::Csv(a) => import(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            e.print();
            2
        }
    }
}

fn import(reader: &impl Reader) -> Result<i32, CommandError> {
    let args = reader.common();
    let root = &args.dir;
    let pipeline = match Pipeline::load(root, Audience::Full, None) {
        Ok(pipeline) => pipeline,
        Err(d) => {
            eprint!("{}", diag::render_human(root, &[d], super::stderr_color()));
            return Ok(2);
        }
    };
    let model = pipeline.model();
    let today = crate::rules::Today::from_arg(args.today).date();
    let window = Window {
        from: args
            .from
            .unwrap_or_else(|| reader.default_from(model, today)),
        to: args.to.unwrap_or(today),
        zone: model.firm.time_zone(),
    };
    if window.from > window.to {
        return Err(CommandError::new(
            "import",
            format!("--from {} is after --to {}", window.from, window.to),
        ));
    }
    let (plan, problems) = reader.read(model, &window);
    if !problems.is_empty() {
        eprint!(
            "{}",
            diag::render_human(Path::new(""), &problems, super::stderr_color())
        );
        eprintln!(
            "import failed: {} in the input; nothing was written",
            plural(problems.len(), "problem")
        );
        return Ok(2);
    }
    if args.dry_run {
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        plan.preview(root, &mut out)
            .map_err(|e| CommandError::new("import", format!("cannot print the preview: {e}")))?;
    } else {
        plan.write(root).map_err(|(path, why)| {
            CommandError::new(
                "import",
                format!("cannot write `{}`: {why}", root.join(path).display()),
            )
            .help("nothing was imported; fix the folder and run the import again")
        })?;
    }
    if let Some(path) = &args.unmatched {
        crate::write::file::replace(path, &plan.unsorted_csv()).map_err(|e| {
            CommandError::new("import", format!("cannot write `{}`: {e}", path.display()))
        })?;
    }
    super::status!("{}", summary(&plan, reader.skips(), args.dry_run));
    Ok(0)
}

/// The largest input file read whole (a calendar, a CSV export or an
/// import map): a year of a busy person's calendar is a few MB.
const MAX_INPUT_BYTES: u64 = 256 << 20;

/// Reads an input file as UTF-8 text (a byte-order mark dropped).
fn read_text(path: &Path, file: &Arc<str>, what: &str) -> Result<String, Diagnostic> {
    let span = crate::diag::Span::file(file);
    let bytes = crate::load::open::read_limited(path, MAX_INPUT_BYTES).map_err(|e| {
        Diagnostic::input(
            crate::diag::inputs::UNREADABLE_FILE,
            span.clone(),
            format!("cannot read `{file}`: {e}"),
        )
        .with_help(format!("pass {what}"))
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        Diagnostic::input(
            crate::diag::inputs::INVALID_TEXT,
            span,
            format!("`{file}` is not UTF-8 text"),
        )
        .with_help(format!(
            "export it again as UTF-8; clientele reads {what} as UTF-8"
        ))
    })
}

/// One line: added per client, already present, skipped, for a person to sort.
fn summary(plan: &Plan, skips: &[Skip], dry_run: bool) -> String {
    let per_client = plan.per_client();
    // The clients with the most first, five at most: one line, whatever
    // the size of the import.
    let mut most: Vec<(&str, usize)> = per_client.iter().map(|(id, n)| (*id, *n)).collect();
    most.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut clients: Vec<String> = most
        .iter()
        .take(5)
        .map(|(id, n)| format!("{id} {n}"))
        .collect();
    if most.len() > 5 {
        clients.push(format!("{} more", most.len() - 5));
    }
    let verb = if dry_run { "would import" } else { "imported" };
    let mut line = format!(
        "{verb} {} for {}",
        plural(plan.added(), "activity"),
        plural(per_client.len(), "client"),
    );
    if !clients.is_empty() {
        line.push_str(&format!(" ({})", clients.join(", ")));
    }
    let skipped: Vec<String> = skips
        .iter()
        .map(|s| {
            format!(
                "{} {}",
                plan.skipped.get(s).copied().unwrap_or(0),
                s.as_str()
            )
        })
        .collect();
    line.push_str(&format!(
        "; {} already present; skipped {}; {} unmatched, {} ambiguous",
        plan.present,
        skipped.join(", "),
        plan.unmatched.len(),
        plan.ambiguous.len()
    ));
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Planned;

    #[test]
    fn the_summary_names_five_clients_at_most() {
        let mut plan = Plan::new(&Model::default(), "calendar");
        for (client, n) in [
            ("a", 1),
            ("b", 3),
            ("c", 1),
            ("d", 2),
            ("e", 1),
            ("f", 5),
            ("g", 1),
        ] {
            for _ in 0..n {
                let text = plan.texts.push("");
                plan.notes.push(Planned {
                    client: Arc::from(client),
                    date: NaiveDate::MIN,
                    kind: crate::model::ActivityType::Meeting,
                    n: 1,
                    text,
                });
            }
        }
        plan.skip(Skip::Bulk, 1);
        assert_eq!(
            summary(&plan, &[Skip::Internal, Skip::Bulk], false),
            "imported 14 activities for 7 clients (f 5, b 3, d 2, a 1, c 1, 2 more); 0 already present; skipped 0 internal, 1 bulk; 0 unmatched, 0 ambiguous"
        );
    }
}
