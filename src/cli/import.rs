//! `clientele import calendar FILE.ics...`: meetings and calls from
//! calendar exports become activity notes of the clients they were with.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;
use clap::Subcommand;

use super::parse_day;
use crate::diag::{self, plural, CommandError, Diagnostic};
use crate::import::calendar::{self, Window};
use crate::import::{Directory, Plan};
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
    Calendar(CalendarArgs),
}

#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// The .ics files to read.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// The plans repository's content folder.
    #[arg(long, default_value = "content")]
    pub dir: PathBuf,
    /// Print the notes that would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The first day to import, YYYY-MM-DD (default: the start of the
    /// current fiscal year).
    #[arg(long, value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// The last day to import, YYYY-MM-DD (default: today).
    #[arg(long, value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    /// Also write the events that matched no client, or two, to this CSV
    /// file, for a person to sort.
    #[arg(long)]
    pub unmatched: Option<PathBuf>,
    /// The day to take as today, YYYY-MM-DD (default: today's date).
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

/// The largest calendar file read: a year of a busy person's calendar is
/// a few MB.
const MAX_CALENDAR_BYTES: u64 = 256 << 20;

pub fn run(args: &Args) -> i32 {
    match &args.source {
        Source::Calendar(calendar) => match import_calendar(calendar) {
            Ok(code) => code,
            Err(e) => {
                e.print();
                2
            }
        },
    }
}

fn import_calendar(args: &CalendarArgs) -> Result<i32, CommandError> {
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
        from: args.from.unwrap_or_else(|| model.fiscal_year_start(today)),
        to: args.to.unwrap_or(today),
        zone: model.firm.time_zone(),
    };
    if window.from > window.to {
        return Err(CommandError::new(
            "import",
            format!("--from {} is after --to {}", window.from, window.to),
        ));
    }
    let (plan, problems) = plan(args, model, &window);
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
        for note in &plan.notes {
            println!("# {}\n{}", root.join(&note.path).display(), note.text);
        }
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
    eprintln!("{}", summary(&plan, args.dry_run));
    Ok(0)
}

/// Reads every file and decides what each event becomes; the problems of
/// every file, if any.
fn plan(args: &CalendarArgs, model: &Model, window: &Window) -> (Plan, Vec<Diagnostic>) {
    let directory = Directory::new(model);
    let mut plan = Plan::new(model);
    let mut problems = Vec::new();
    for path in &args.files {
        let file: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
        let text = match read(path, &file) {
            Ok(text) => text,
            Err(d) => {
                problems.push(d);
                continue;
            }
        };
        let read = calendar::read(&text, &file, window);
        problems.extend(read.problems);
        plan.cancelled += read.cancelled;
        for found in read.found {
            plan.add(&args.dir, &directory, model, found);
        }
    }
    (plan, problems)
}

fn read(path: &Path, file: &Arc<str>) -> Result<String, Diagnostic> {
    let span = crate::diag::Span::file(file);
    let bytes = crate::load::open::read_limited(path, MAX_CALENDAR_BYTES).map_err(|e| {
        Diagnostic::input(
            crate::diag::inputs::UNREADABLE_FILE,
            span.clone(),
            format!("cannot read `{file}`: {e}"),
        )
        .with_help("pass an .ics file exported from the calendar")
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| {
        Diagnostic::input(
            crate::diag::inputs::INVALID_TEXT,
            span,
            format!("`{file}` is not UTF-8 text"),
        )
        .with_help("export the calendar again as .ics; iCalendar files are UTF-8")
    })
}

/// One line: added per client, already present, skipped, for a person to sort.
fn summary(plan: &Plan, dry_run: bool) -> String {
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
        plural(plan.notes.len(), "activity"),
        plural(per_client.len(), "client"),
    );
    if !clients.is_empty() {
        line.push_str(&format!(" ({})", clients.join(", ")));
    }
    line.push_str(&format!(
        "; {} already present; skipped {} internal, {} cancelled, {} declined, {} without a colleague; {} unmatched, {} ambiguous",
        plan.present,
        plan.internal,
        plan.cancelled,
        plan.declined,
        plan.no_colleague,
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
        let mut plan = Plan::default();
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
                plan.notes.push(Planned {
                    client: client.to_string(),
                    path: PathBuf::new(),
                    text: String::new(),
                });
            }
        }
        assert_eq!(
            summary(&plan, false),
            "imported 14 activities for 7 clients (f 5, b 3, d 2, a 1, c 1, 2 more); 0 already present; skipped 0 internal, 0 cancelled, 0 declined, 0 without a colleague; 0 unmatched, 0 ambiguous"
        );
    }
}
