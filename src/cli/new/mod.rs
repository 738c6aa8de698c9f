//! `clientele new client|person|activity|review`: write one valid file from
//! flags, so logging a call takes one command. Never overwrites; checks
//! every id against the repository with a "did you mean". Files are
//! written by serializing typed records (`write::records`) and parsed back as
//! the loader would before anything is created, so no value (a quote, a
//! colon, a line break) can make a file that does not load.

mod activity;
mod client;
mod person;
mod repo;
mod review;
mod task;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;

use super::parse_day;
use crate::diag::CommandError;
pub use activity::ActivityArgs;
pub use client::ClientArgs;
pub use person::PersonArgs;
pub use repo::Repo;
pub use review::ReviewArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
    /// The plans repository's content folder (default: the nearest folder
    /// at or above this one holding firm.yaml, or whose content/ does).
    #[arg(long = "dir", value_name = "DIR", global = true)]
    pub given: Option<PathBuf>,
    /// The content folder found from `--dir` or the working folder.
    #[arg(skip)]
    pub dir: PathBuf,
    /// The day to use for default dates (default: today's date).
    #[arg(long, global = true, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum What {
    /// A client: clients/<id>/client.yaml (and plan.md when tiered).
    Client(ClientArgs),
    /// A person: team/<id>.yaml.
    Person(PersonArgs),
    /// An activity note: clients/<client>/activities/<date>-<type>.md.
    Activity(ActivityArgs),
    /// A review: clients/<client>/reviews/<date>-<kind>.md.
    Review(ReviewArgs),
}

pub fn run(args: &Args) -> i32 {
    let repo = Repo {
        content: &args.dir,
        today: crate::rules::Today::from_arg(args.today).date(),
    };
    let written = match &args.what {
        What::Client(what) => what.write(&repo),
        What::Person(what) => what.write(&repo),
        What::Activity(what) => what.write(&repo),
        What::Review(what) => what.write(&repo),
    };
    match written {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            0
        }
        Err(e) => {
            e.print();
            2
        }
    }
}

/// What `new` refuses, as `error[new]`.
fn refused(message: impl Into<String>) -> CommandError {
    CommandError::new("new", message)
}
