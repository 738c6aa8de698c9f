//! The three inputs of `clientele import`: what each takes and how it
//! reads into the plan.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::NaiveDate;

use super::{read_text, Common, Reader};
use crate::diag::Diagnostic;
use crate::import::calendar::{self, Window};
use crate::import::{export, mail, Directory, ImportMap, Plan, Skip};
use crate::model::Model;

#[derive(Debug, clap::Args)]
pub struct CalendarArgs {
    /// The .ics files to read.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct MailArgs {
    /// The .eml files, mbox files and Maildir folders to read.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub common: Common,
}

#[derive(Debug, clap::Args)]
pub struct CsvArgs {
    /// The CSV export to read.
    pub file: PathBuf,
    /// The import map: which column holds what (see examples/imports/).
    #[arg(long)]
    pub map: PathBuf,
    #[command(flatten)]
    pub common: Common,
}

fn name(path: &std::path::Path) -> Arc<str> {
    Arc::from(path.to_string_lossy().as_ref())
}

impl Reader for CalendarArgs {
    fn common(&self) -> &Common {
        &self.common
    }

    fn default_from(&self, model: &Model, today: NaiveDate) -> NaiveDate {
        model.fiscal_year_start(today)
    }

    fn skips(&self) -> &'static [Skip] {
        &[
            Skip::Internal,
            Skip::Cancelled,
            Skip::Declined,
            Skip::NoColleague,
        ]
    }

    fn read(&self, model: &Model, window: &Window) -> (Plan, Vec<Diagnostic>) {
        let mut plan = Plan::new(model, "calendar");
        let directory = Directory::new(model);
        let mut problems = Vec::new();
        for path in &self.files {
            let file = name(path);
            // Read as a stream, never whole: only its largest event is in
            // memory at once, whatever the size of the calendar.
            let open = || {
                crate::load::open::regular(path)
                    .map(|(f, _)| std::io::BufReader::with_capacity(1 << 16, f))
                    .map_err(|e| std::io::Error::other(e.to_string()))
            };
            // Each event goes into the plan as it is read: no list of a
            // year's events is kept.
            let read = calendar::read(open, &file, window, |found| {
                plan.add_by_address(&self.common.dir, model, &directory, found);
            });
            problems.extend(read.problems);
            plan.skip(Skip::Cancelled, read.cancelled);
        }
        (plan, problems)
    }
}

impl Reader for MailArgs {
    fn common(&self) -> &Common {
        &self.common
    }

    fn default_from(&self, _: &Model, _: NaiveDate) -> NaiveDate {
        NaiveDate::MIN
    }

    fn skips(&self) -> &'static [Skip] {
        &[Skip::Internal, Skip::Bulk, Skip::NoColleague]
    }

    fn read(&self, model: &Model, window: &Window) -> (Plan, Vec<Diagnostic>) {
        let mut plan = Plan::new(model, "mail");
        let mut read = mail::Read::default();
        for path in &self.paths {
            mail::read_path(path, window, &mut read);
        }
        plan.skip(Skip::Bulk, read.bulk);
        let directory = Directory::new(model);
        for found in read.found {
            plan.add_by_address(&self.common.dir, model, &directory, found);
        }
        (plan, read.problems)
    }
}

impl CsvArgs {
    /// The map, read and checked against the repository.
    fn map(&self, model: &Model) -> Result<ImportMap, Vec<Diagnostic>> {
        let file = name(&self.map);
        let text = read_text(&self.map, &file, "an import map (YAML)").map_err(|d| vec![d])?;
        let map: ImportMap = crate::load::yaml::parse(&text, &file, 0).map_err(|d| vec![d])?;
        let problems = export::check_map(&map, &file, model);
        if problems.is_empty() {
            Ok(map)
        } else {
            Err(problems)
        }
    }
}

impl Reader for CsvArgs {
    fn common(&self) -> &Common {
        &self.common
    }

    fn default_from(&self, _: &Model, _: NaiveDate) -> NaiveDate {
        NaiveDate::MIN
    }

    fn skips(&self) -> &'static [Skip] {
        &[Skip::ByMap]
    }

    fn read(&self, model: &Model, window: &Window) -> (Plan, Vec<Diagnostic>) {
        let map = match self.map(model) {
            Ok(map) => map,
            Err(problems) => return (Plan::new(model, "csv"), problems),
        };
        let mut plan = Plan::new(model, &map.source.value);
        let file = name(&self.file);
        let text = match read_text(&self.file, &file, "a CSV export") {
            Ok(text) => text,
            Err(d) => return (plan, vec![d]),
        };
        let read = export::read(&text, &file, &map, &name(&self.map), model, window);
        plan.skip(Skip::ByMap, read.skipped);
        for (found, verdict) in read.rows {
            plan.add(&self.common.dir, model, found, verdict);
        }
        (plan, read.problems)
    }
}
