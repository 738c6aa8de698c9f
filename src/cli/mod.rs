//! Command-line interface: argument parsing and one module per command.
//! Commands print; the stages they call do not.

mod build;
mod check;
mod import;
mod init;
mod new;
pub mod schema;
mod serve;
mod timings;

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::model::Date;

/// clientele: client strategy as code. Checks a plans repository against
/// the client-management process and renders it as an intranet portal.
#[derive(Debug, Parser)]
#[command(name = "clientele", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate the repository against the process rules.
    Check(check::Args),
    /// Check, then render the intranet portal into a folder.
    Build(build::Args),
    /// Write JSON Schemas of the YAML files, for editors.
    Schema(schema::Args),
    /// Build in memory, serve the portal and rebuild live on every edit.
    Serve(serve::Args),
    /// Create a new plans repository that passes check.
    Init(init::Args),
    /// Write a new client, person, activity or review from flags.
    New(new::Args),
    /// Bring in interactions captured elsewhere: calendars, mail, CRM exports.
    Import(import::Args),
}

impl Command {
    /// Whether the command reads the repository once and exits, rather
    /// than running until stopped like `serve`.
    pub fn runs_once(&self) -> bool {
        matches!(self, Command::Check(_) | Command::Build(_))
    }
}

/// Options shared by the commands that read a repository.
#[derive(Debug, clap::Args)]
pub struct RepoArgs {
    /// The plans repository's content folder.
    #[arg(default_value = "content")]
    pub dir: PathBuf,
    /// The day to check against, YYYY-MM-DD (default: today's date).
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

impl RepoArgs {
    pub fn today(&self) -> NaiveDate {
        crate::rules::Today::from_arg(self.today).date()
    }
}

fn parse_base_url(text: &str) -> Result<String, crate::model::Invalid> {
    crate::model::check_base_url(text).map(|()| text.to_string())
}

fn parse_day(text: &str) -> Result<NaiveDate, crate::model::Invalid> {
    Date::parse(text).map(|d| d.0)
}

/// Runs the command line; returns the process exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&args),
        Command::Import(args) => import::run(&args),
    }
}

/// Leaves `value` to the operating system instead of freeing it: for a
/// command that is about to exit. The benchmark firm's model is millions of
/// allocations, and freeing them one by one is a serial tail of 0.2-0.3 s
/// at the end of a check or a build; the process's exit releases it all at
/// once.
pub(crate) fn leave_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Whether to colour output on stderr: a terminal, and NO_COLOR unset.
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Every argument of every command, as `--help` lists it.
    fn undocumented(command: &clap::Command, path: &str, out: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let id = arg.get_id().as_str();
            if !matches!(id, "help" | "version") && arg.get_help().is_none() {
                out.push(format!("{path} {id}"));
            }
        }
        for sub in command.get_subcommands() {
            undocumented(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_argument_has_a_help_line() {
        let mut missing = Vec::new();
        undocumented(&super::Cli::command(), "clientele", &mut missing);
        assert!(missing.is_empty(), "no help line: {missing:?}");
    }
}
