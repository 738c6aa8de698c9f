//! Problems that stop a command and are not about what a file of the
//! repository says: the output folder, the theme, rendering, the server,
//! the values given to `new` and `init`. They render like a diagnostic:
//! what went wrong, where, and what to do about it.

use std::fmt;

use annotate_snippets::{Group, Level};

use super::Severity;

/// A problem that stops a command, or (as a warning) one it goes on past.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandError {
    pub severity: Severity,
    /// What it concerns, shown in brackets: `output`, `theme`, `render`,
    /// `serve`, `new`, `init`.
    pub kind: &'static str,
    pub message: String,
    /// The file or folder it is about, when that is not in the message.
    pub location: Option<String>,
    pub help: Option<String>,
}

impl CommandError {
    pub fn new(kind: &'static str, message: impl Into<String>) -> CommandError {
        CommandError {
            severity: Severity::Error,
            kind,
            message: message.into(),
            location: None,
            help: None,
        }
    }

    /// Something the command did that the person should know about: it
    /// goes on, and the exit code does not change.
    pub fn warning(kind: &'static str, message: impl Into<String>) -> CommandError {
        CommandError {
            severity: Severity::Warning,
            ..CommandError::new(kind, message)
        }
    }

    pub fn at(mut self, location: impl fmt::Display) -> CommandError {
        self.location = Some(location.to_string());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> CommandError {
        self.help = Some(help.into());
        self
    }

    /// As `check` prints a diagnostic, in colour when asked.
    pub fn render(&self, color: bool) -> String {
        let renderer = super::human::renderer(color);
        let title = super::human::level(self.severity)
            .primary_title(self.message.as_str())
            .id(self.kind);
        let mut group = Group::with_title(title);
        if let Some(location) = &self.location {
            group = group.element(Level::NOTE.no_name().message(format!("--> {location}")));
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let mut text = renderer.render(&[group]);
        text.push('\n');
        text
    }

    /// Prints it on stderr, coloured on a terminal.
    pub fn print(&self) {
        eprint!("{}", self.render(crate::cli::stderr_color()));
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.render(false).trim_end())
    }
}

impl std::error::Error for CommandError {}

impl From<crate::write::WriteError> for CommandError {
    fn from(e: crate::write::WriteError) -> CommandError {
        let help = e.help();
        let error = CommandError::new("output", e.to_string());
        match help {
            Some(help) => error.help(help),
            None => error,
        }
    }
}

impl From<crate::site::ThemeError> for CommandError {
    fn from(e: crate::site::ThemeError) -> CommandError {
        CommandError::new("theme", e.message).at(e.file)
    }
}

impl From<crate::site::SiteError> for CommandError {
    fn from(e: crate::site::SiteError) -> CommandError {
        CommandError::new("render", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_diagnostic() {
        let e = CommandError::new("theme", "unexpected `}}`")
            .at("themes/templates/client.html")
            .help("fix the template, or delete it to use the default theme's");
        assert_eq!(
            e.to_string(),
            "error[theme]: unexpected `}}`\n |\n = --> themes/templates/client.html\n = help: fix the template, or delete it to use the default theme's"
        );
    }
}
