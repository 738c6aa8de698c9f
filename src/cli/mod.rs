//! Command-line interface: argument parsing and one module per command.
//! Commands print; the stages they call do not.

mod build;
mod check;
mod import;
mod init;
mod locate;
mod man;
mod new;
pub mod schema;
mod serve;
mod timings;

use std::path::PathBuf;
use std::sync::OnceLock;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::diag;
use crate::model::Date;

/// clientele: client strategy as code. Checks a plans repository against
/// the client-management process and renders it as an intranet portal.
#[derive(Debug, Parser)]
#[command(name = "clientele", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    #[command(flatten)]
    pub output: OutputArgs,
}

/// How much to print, and in colour or not: for every command.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct OutputArgs {
    /// Print problems only: no summary line, no "open ..." and no notes.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: the content folder used and how long each stage took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// Colour on stderr: `auto` (a terminal, unless NO_COLOR is set),
    /// `always` or `never`.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The output options of this run, set once by [`run`].
static OUTPUT: OnceLock<OutputArgs> = OnceLock::new();

fn output() -> OutputArgs {
    OUTPUT.get().copied().unwrap_or(OutputArgs {
        quiet: false,
        verbose: false,
        color: ColorChoice::Auto,
    })
}

/// Whether `-q` asked for problems only.
pub(crate) fn quiet() -> bool {
    output().quiet
}

/// Whether `-v` asked for more.
pub(crate) fn verbose() -> bool {
    output().verbose
}

/// A status line on stderr ("checked ...", "built ..."), unless `-q`.
macro_rules! status {
    ($($arg:tt)*) => {
        if !$crate::cli::quiet() {
            eprintln!($($arg)*);
        }
    };
}
pub(crate) use status;

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
    /// Print a shell's completion script: `clientele completions bash`.
    Completions(CompletionsArgs),
    /// Print the manual page, or write one per command with `--out`.
    Man(man::Args),
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, elvish or powershell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
    /// The plans repository's content folder (default: the nearest folder
    /// at or above this one holding firm.yaml, or whose content/ does).
    #[arg(value_name = "DIR")]
    pub positional: Option<PathBuf>,
    /// The content folder, as `DIR` gives it.
    #[arg(long = "dir", value_name = "DIR", conflicts_with = "positional")]
    pub flag: Option<PathBuf>,
    /// The content folder found from the two above: set by [`run`].
    #[arg(skip)]
    pub dir: PathBuf,
    /// The day to check against, YYYY-MM-DD (default: today's date).
    #[arg(long, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
    /// Read no git history: client pages leave out what changed since the
    /// last review, and the plan-changed rule says nothing.
    #[arg(long)]
    pub no_git: bool,
}

impl RepoArgs {
    /// Finds the content folder; see [`locate`].
    fn locate(&mut self) -> Result<(), diag::CommandError> {
        if self.no_git {
            crate::load::disable_git();
        }
        let given = self.positional.as_deref().or(self.flag.as_deref());
        self.dir = locate::content_dir_here(given)?;
        Ok(())
    }

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
pub fn run(mut cli: Cli) -> i32 {
    let _ = OUTPUT.set(cli.output);
    match locate_content(&mut cli.command) {
        Ok(Some(dir)) if verbose() => eprintln!("content folder: {}", dir.display()),
        Ok(_) => {}
        Err(e) => {
            e.print();
            return 2;
        }
    }
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Build(args) => build::run(&args),
        Command::Schema(args) => schema::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Init(args) => init::run(&args),
        Command::New(args) => new::run(&args),
        Command::Import(args) => import::run(&args),
        Command::Completions(args) => {
            use clap::CommandFactory;
            clap_complete::generate(
                args.shell,
                &mut Cli::command(),
                "clientele",
                &mut std::io::stdout(),
            );
            0
        }
        Command::Man(args) => man::run(&args),
    }
}

/// Finds the content folder of a command that reads one; returns it.
fn locate_content(command: &mut Command) -> Result<Option<PathBuf>, diag::CommandError> {
    let repo = match command {
        Command::Check(args) => &mut args.repo,
        Command::Build(args) => &mut args.repo,
        Command::Serve(args) => &mut args.repo,
        Command::New(args) => {
            args.dir = locate::content_dir_here(args.given.as_deref())?;
            return Ok(Some(args.dir.clone()));
        }
        Command::Import(args) => {
            let common = args.source.common_mut();
            common.dir = locate::content_dir_here(common.given.as_deref())?;
            return Ok(Some(common.dir.clone()));
        }
        Command::Schema(_) | Command::Init(_) | Command::Completions(_) | Command::Man(_) => {
            return Ok(None)
        }
    };
    repo.locate()?;
    Ok(Some(repo.dir.clone()))
}

/// Leaves `value` to the operating system instead of freeing it: for a
/// command that is about to exit. The benchmark firm's model is millions of
/// allocations, and freeing them one by one is a serial tail of 0.2-0.3 s
/// at the end of a check or a build; the process's exit releases it all at
/// once.
pub(crate) fn leave_at_exit<T>(value: T) {
    std::mem::forget(value);
}

/// Whether to colour output on stderr: as `--color` says; for `auto`, a
/// terminal with NO_COLOR unset.
pub fn stderr_color() -> bool {
    use std::io::IsTerminal;
    match output().color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stderr().is_terminal()
        }
    }
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
