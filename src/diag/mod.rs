//! Diagnostics: one type for every problem clientele reports, whether the
//! loader found it (bad YAML, a wrong type) or a process rule did (a missing
//! review). Renderers in this module turn them into text; nothing here decides
//! what is wrong.

mod ci;
mod command;
mod human;
pub mod inputs;

pub use command::CommandError;

pub use ci::{github_summary, render_github, render_sarif, RuleText, SarifRoot};
pub use human::render_human;

use std::fmt;
use std::sync::Arc;

/// How bad a problem is. `Off` only appears in configuration: a rule set to
/// `off` in `firm.yaml` reports nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Warning,
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// A place in a file of the plans repository: 1-based line and column, and
/// the length in characters of what is pointed at (at least 1).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Path relative to the content folder, with `/` separators.
    pub file: Arc<str>,
    pub line: u32,
    pub col: u32,
    pub len: u32,
}

impl Span {
    pub fn new(file: &Arc<str>, line: u32, col: u32) -> Span {
        Span {
            file: Arc::clone(file),
            line: line.max(1),
            col: col.max(1),
            len: 1,
        }
    }

    /// The whole file, for problems that belong to no line in particular.
    pub fn file(file: &Arc<str>) -> Span {
        Span::new(file, 1, 1).with_len(0)
    }

    pub fn with_len(mut self, len: usize) -> Span {
        self.len = u32::try_from(len).unwrap_or(u32::MAX);
        self
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// Whether a problem came from reading the files or from a process rule.
/// Input problems mean part of the repository could not be modelled at all
/// (exit code 2); rule problems mean the model breaks the process (exit 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Input,
    Rule,
}

/// One problem, with everything a renderer needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable kebab-case id, e.g. `missing-review`.
    pub rule: &'static str,
    pub severity: Severity,
    pub stage: Stage,
    pub message: String,
    pub span: Option<Span>,
    /// What the caret points at, e.g. "no review since 2026-04-02".
    pub label: Option<String>,
    /// How to fix it, e.g. "did you mean `jdoe`?".
    pub help: Option<String>,
    /// What else the reader should know, e.g. which checks were skipped
    /// because of this problem.
    pub note: Option<String>,
    /// For a finding on a row of a CSV table: the column it is about.
    /// Rules know a row only by its line; the loader moves the span to
    /// the cell as written (see `load::place_cells`) and clears this.
    pub cell: Option<&'static str>,
}

impl Diagnostic {
    /// A problem found while reading files: always an error. `rule` is an
    /// id of [`inputs::INPUTS`].
    pub fn input(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        debug_assert!(
            inputs::is_input(rule),
            "unregistered input problem `{rule}`"
        );
        Diagnostic {
            rule,
            severity: Severity::Error,
            stage: Stage::Input,
            message: message.into(),
            span: Some(span),
            label: None,
            help: None,
            note: None,
            cell: None,
        }
    }

    /// A process-rule problem; its severity is set from the rule registry.
    pub fn rule(rule: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            rule,
            severity: Severity::Error,
            stage: Stage::Rule,
            message: message.into(),
            span: Some(span),
            label: None,
            help: None,
            note: None,
            cell: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    /// A finding about the cell of `column` on the span's row.
    pub fn with_cell(mut self, column: &'static str) -> Diagnostic {
        self.cell = Some(column);
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Diagnostic {
        self.help = help.or(self.help);
        self
    }

    /// The same finding at the severity the firm set for its rule.
    pub fn at(mut self, severity: Severity) -> Diagnostic {
        self.severity = severity;
        self
    }

    /// Sort key: by file, then position, then rule, so output is stable
    /// whatever order the parallel stages produced it in.
    fn sort_key(&self) -> (Option<&Span>, &'static str, &str) {
        (self.span.as_ref(), self.rule, &self.message)
    }
}

/// Findings that share one cause: the same rule, severity, message, label
/// and help at several places, such as every reference to a person who
/// left. Reports show a cause once, with the count and the first places;
/// the JSON output keeps every finding.
#[derive(Debug)]
pub struct Cause<'a> {
    pub first: &'a Diagnostic,
    /// The places of the others, in order.
    pub others: Vec<&'a Span>,
    /// How many findings, the first included.
    pub count: usize,
}

/// How many of a cause's other places a report names.
pub const PLACES_SHOWN: usize = 5;

impl Cause<'_> {
    /// "the same problem in 372 more places: clients/a/plan.md:4:3, …",
    /// each file named with `prefix` before it.
    pub fn elsewhere(&self, prefix: &str) -> String {
        let shown: Vec<String> = self
            .others
            .iter()
            .take(PLACES_SHOWN)
            .map(|s| format!("{prefix}{s}"))
            .collect();
        let more = self.count - 1;
        let mut text = format!(
            "the same problem {}",
            if more == 1 {
                String::from("in 1 more place")
            } else {
                format!("in {more} more places")
            }
        );
        if !shown.is_empty() {
            text.push_str(": ");
            text.push_str(&shown.join(", "));
            let unnamed = more - shown.len();
            if unnamed > 0 {
                text.push_str(&format!(" and {unnamed} more (`--format json` lists each)"));
            }
        }
        text
    }
}

/// Groups findings by cause, in the order their first finding comes.
pub fn causes(diagnostics: &[Diagnostic]) -> Vec<Cause<'_>> {
    type Key<'a> = (
        &'static str,
        Severity,
        &'a str,
        Option<&'a str>,
        Option<&'a str>,
    );
    let mut at: std::collections::HashMap<Key<'_>, usize> = std::collections::HashMap::new();
    let mut out: Vec<Cause<'_>> = Vec::new();
    for d in diagnostics {
        let key = (
            d.rule,
            d.severity,
            d.message.as_str(),
            d.label.as_deref(),
            d.help.as_deref(),
        );
        match at.get(&key) {
            Some(&i) => {
                let cause = &mut out[i];
                cause.count += 1;
                cause.others.extend(d.span.as_ref());
            }
            None => {
                at.insert(key, out.len());
                out.push(Cause {
                    first: d,
                    others: Vec::new(),
                    count: 1,
                });
            }
        }
    }
    out
}

/// Puts the findings in `changed` files first, keeping the order within
/// each part: what a pull request broke comes before what it inherited.
pub fn changed_first(diagnostics: &mut [Diagnostic], changed: &std::collections::HashSet<String>) {
    diagnostics.sort_by_key(|d| {
        !d.span
            .as_ref()
            .is_some_and(|s| changed.contains(s.file.as_ref()))
    });
}

/// Sorts diagnostics into the order they are printed in.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}

/// Counts by severity and stage, and the exit code they call for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub input_errors: usize,
    pub errors: usize,
    pub warnings: usize,
}

impl Summary {
    pub fn of(diagnostics: &[Diagnostic]) -> Summary {
        let mut s = Summary::default();
        for d in diagnostics {
            match (d.stage, d.severity) {
                (Stage::Input, Severity::Error) => s.input_errors += 1,
                (Stage::Rule, Severity::Error) => s.errors += 1,
                (_, Severity::Warning) => s.warnings += 1,
            }
        }
        s
    }

    /// 0 clean (warnings allowed unless denied), 1 rule errors, 2 unusable input.
    pub fn exit_code(&self, deny_warnings: bool) -> i32 {
        if self.input_errors > 0 {
            2
        } else if self.errors > 0 || (deny_warnings && self.warnings > 0) {
            1
        } else {
            0
        }
    }

    pub fn total_errors(&self) -> usize {
        self.input_errors + self.errors
    }
}

/// `1 error`, `3 errors`; `1 activity`, `2 activities`; `1 day`, `2 days`;
/// `1 person`, `2 people`.
pub fn plural<N: fmt::Display + PartialEq + From<u8>>(n: N, word: &str) -> String {
    if n == N::from(1) {
        return format!("{n} {word}");
    }
    let consonant_y =
        word.ends_with('y') && !word[..word.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    match word {
        "person" => format!("{n} people"),
        w if consonant_y => format!("{n} {}ies", &w[..w.len() - 1]),
        w => format!("{n} {w}s"),
    }
}

/// One JSON object per line (JSON Lines), for tools. Fields are stable;
/// `schema_version` changes if they do.
pub fn render_json(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let span = d.span.as_ref();
        let value = serde_json::json!({
            "schema_version": 1,
            "rule": d.rule,
            "severity": d.severity.to_string(),
            "stage": match d.stage { Stage::Input => "input", Stage::Rule => "rule" },
            "message": d.message,
            "file": span.map(|s| &*s.file),
            "line": span.map(|s| s.line),
            "column": span.map(|s| s.col),
            "end_column": span.map(|s| s.col + s.len.max(1)),
            "label": d.label,
            "help": d.help,
            "note": d.note,
        });
        out.push_str(&value.to_string());
        out.push('\n');
    }
    out
}
