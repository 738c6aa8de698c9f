//! Stage 3: the client-management process rules. Each rule is one file: a
//! pure function from the model to diagnostics. Rules never read files and
//! never mutate the model; adding a rule is one file and one line below.

mod activity_minimum;
mod call_report;
mod client_owner;
mod duplicate_id;
mod email_domain;
mod event_review;
mod missing_plan;
mod missing_review;
mod overdue_task;
mod plan_changed;
mod revenue_split;
mod review_content;
mod service_target;
mod strategy_check;
mod strategy_link;
mod task_due_date;
mod task_owner;
mod tier_history;
mod unknown_reference;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::diag::{Diagnostic, Severity};
use crate::model::Spanned;
use crate::model::{Client, Model, RuleLevel, Source, TaskRef};
use crate::suggest;

/// What a rule may know besides the model.
#[derive(Clone, Copy, Debug)]
pub struct Context {
    /// The day the repository is checked on (`--today`).
    pub today: NaiveDate,
}

/// The day the repository is judged on: the one `--today` names, or the
/// clock's date. This is the only place clientele reads the clock; `serve`
/// asks again at each rebuild, so a session left open past midnight moves
/// to the new day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Today {
    On(NaiveDate),
    Clock,
}

impl Today {
    /// `--today` if it was given, else the clock.
    pub fn from_arg(arg: Option<NaiveDate>) -> Today {
        arg.map_or(Today::Clock, Today::On)
    }

    pub fn date(self) -> NaiveDate {
        match self {
            Today::On(day) => day,
            Today::Clock => chrono::Local::now().date_naive(),
        }
    }
}

/// A process rule and its documentation.
pub struct Rule {
    /// Stable kebab-case id, used in output and in `firm.yaml`.
    pub id: &'static str,
    pub default: Severity,
    /// What it checks, one line.
    pub checks: &'static str,
    /// How to fix a violation, one line.
    pub fix: &'static str,
    /// Findings outside client folders: firm files, financials, team.
    pub firm: Option<FirmCheck>,
    /// Findings about one client, from its folder and the firm files only:
    /// `serve` re-runs this for the clients an edit touched.
    pub client: Option<ClientCheck>,
    /// A finding about one task, wherever it lives (firm action plans, plan
    /// actions, review actions, follow-ups): every task is visited once for
    /// all task rules.
    pub task: Option<TaskCheck>,
}

pub type FirmCheck = fn(&Model, &Context) -> Vec<Diagnostic>;
pub type ClientCheck = fn(&Model, &Client, &Context) -> Vec<Diagnostic>;
pub type TaskCheck = fn(TaskRef<'_>, &Context) -> Option<Diagnostic>;

/// Every rule, in the order the README documents them.
pub const RULES: &[Rule] = &[
    task_owner::RULE,
    task_due_date::RULE,
    overdue_task::RULE,
    client_owner::RULE,
    missing_plan::RULE,
    missing_review::RULE,
    event_review::RULE,
    review_content::RULE,
    plan_changed::RULE,
    tier_history::RULE,
    call_report::RULE,
    activity_minimum::RULE,
    service_target::RULE,
    strategy_link::RULE,
    strategy_check::RULE,
    unknown_reference::RULE,
    revenue_split::RULE,
    duplicate_id::RULE,
    email_domain::RULE,
];

/// Runs the rules on a loaded repository and returns every problem, input
/// problems first, sorted. Rule findings inside a client folder that had an
/// input problem are dropped: with a file unread, "never reviewed" or
/// "no call report" would be guesses, and the input error says what to fix.
pub fn check(input: Vec<Diagnostic>, model: &Model, ctx: &Context) -> Vec<Diagnostic> {
    combine(input, run(model, ctx))
}

/// Input problems and rule findings in one sorted list, without the
/// findings in client folders that have input problems.
pub fn combine(input: Vec<Diagnostic>, findings: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut input = input;
    crate::diag::sort(&mut input);
    // A set: a hostile repository may break every one of 36,000 clients.
    let mut broken: std::collections::HashSet<String> = std::collections::HashSet::new();
    for d in &mut input {
        let Some(folder) = d
            .span
            .as_ref()
            .filter(|_| d.severity == Severity::Error)
            .and_then(|s| client_folder(&s.file))
        else {
            continue;
        };
        if !broken.contains(&folder) {
            // Said once per client, on its first problem.
            d.note = Some(format!(
                "the process rules skip `{folder}` until its files can be read: its plan, notes, reviews and service are not checked meanwhile"
            ));
            broken.insert(folder);
        }
    }
    let mut all = input;
    all.extend(findings.into_iter().filter(|d| {
        let folder = d.span.as_ref().and_then(|s| client_folder(&s.file));
        folder.is_none_or(|f| !broken.contains(&f))
    }));
    crate::diag::sort(&mut all);
    all
}

/// `clients/acme/` for any file below it.
fn client_folder(file: &str) -> Option<String> {
    let (id, inside) = crate::model::client_of_path(file)?;
    (!inside.is_empty()).then(|| format!("clients/{id}/"))
}

/// Runs every rule at the severity `firm.yaml` sets for it, clients in
/// parallel.
pub fn run(model: &Model, ctx: &Context) -> Vec<Diagnostic> {
    // The firm part (revenue lines, firm tasks) runs beside the clients.
    let (mut out, clients) = rayon::join(
        || run_firm(model, ctx),
        || {
            model
                .clients
                .par_iter()
                .with_max_len(crate::CLIENTS_PER_TASK)
                .map(|c| run_client(model, c, ctx))
                .collect::<Vec<Vec<Diagnostic>>>()
        },
    );
    out.extend(clients.into_iter().flatten());
    out
}

/// The findings outside client folders, and problems of the rules setting.
pub fn run_firm(model: &Model, ctx: &Context) -> Vec<Diagnostic> {
    let mut out: Vec<Diagnostic> = config_problems(model);
    for (rule, severity) in enabled(model) {
        if let Some(firm) = rule.firm {
            out.extend(firm(model, ctx).into_iter().map(|d| d.at(severity)));
        }
    }
    tasks(model, model.firm_tasks(), ctx, &mut out);
    out
}

/// The findings about one client.
pub fn run_client(model: &Model, client: &Client, ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (rule, severity) in enabled(model) {
        if let Some(check) = rule.client {
            out.extend(
                check(model, client, ctx)
                    .into_iter()
                    .map(|d| d.at(severity)),
            );
        }
    }
    tasks(model, client.tasks(), ctx, &mut out);
    out
}

/// The task rules' findings about `tasks`.
fn tasks<'m>(
    model: &Model,
    tasks: impl Iterator<Item = TaskRef<'m>>,
    ctx: &Context,
    out: &mut Vec<Diagnostic>,
) {
    let rules: Vec<_> = enabled(model)
        .filter_map(|(rule, severity)| Some((rule.task?, severity)))
        .collect();
    for task in tasks {
        for (check, severity) in &rules {
            out.extend(check(task, ctx).map(|d| d.at(*severity)));
        }
    }
}

/// The rules `firm.yaml` leaves on, with their severities.
fn enabled(model: &Model) -> impl Iterator<Item = (&'static Rule, Severity)> + '_ {
    RULES
        .iter()
        .filter_map(|rule| Some((rule, severity_of(model, rule)?)))
}

fn severity_of(model: &Model, rule: &Rule) -> Option<Severity> {
    let level = model
        .firm
        .rules
        .iter()
        .find(|(id, _)| id.value == rule.id)
        .map(|(_, level)| level.value);
    match level {
        None => Some(rule.default),
        Some(RuleLevel::Error) => Some(Severity::Error),
        Some(RuleLevel::Warning) => Some(Severity::Warning),
        Some(RuleLevel::Off) => None,
    }
}

/// Rule ids in `firm.yaml` that name no rule.
fn config_problems(model: &Model) -> Vec<Diagnostic> {
    let ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
    model
        .firm
        .rules
        .keys()
        .filter(|id| !ids.contains(&id.value.as_str()))
        .map(|id| reference(&model.firm_src, id, "rule", ids.iter().copied()))
        .collect()
}

/// The most findings one rule lists on the rows of one table.
pub const MAX_ROW_FINDINGS: usize = 200;

/// Findings of one rule on the rows of one table (`activities.csv`,
/// `financials/*.csv`): the first [`MAX_ROW_FINDINGS`] are kept and the
/// rest only counted, so a table of millions of bad rows cannot fill the
/// memory (a 256 MB activities.csv naming nobody made 6.4 million
/// findings and 7 GB).
#[derive(Default)]
pub(crate) struct RowFindings {
    list: Vec<Diagnostic>,
    more: usize,
}

impl RowFindings {
    /// Adds the finding `make` builds, or counts it past the limit.
    pub fn push_with(&mut self, make: impl FnOnce() -> Diagnostic) {
        if self.list.len() < MAX_ROW_FINDINGS {
            self.list.push(make());
        } else {
            self.more += 1;
        }
    }

    /// Adds the findings of the rows that come after these.
    pub fn append(&mut self, other: RowFindings) {
        let room = MAX_ROW_FINDINGS - self.list.len();
        self.more += other.list.len().saturating_sub(room) + other.more;
        self.list.extend(other.list.into_iter().take(room));
    }

    /// The findings, and one more that counts those not listed.
    pub fn finish(mut self, rule: &'static str, file: &std::sync::Arc<str>) -> Vec<Diagnostic> {
        if self.more > 0 {
            self.list.push(
                Diagnostic::rule(
                    rule,
                    crate::diag::Span::file(file),
                    format!(
                        "{} more `{rule}` findings in `{file}` are not listed",
                        self.more
                    ),
                )
                .with_help("fix the ones listed first; many alike usually share one cause"),
            );
        }
        self.list
    }
}

/// An `unknown-reference` diagnostic with a "did you mean" hint.
pub fn reference<'a>(
    src: &Source,
    value: &Spanned<String>,
    kind: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Diagnostic {
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let help = match suggest::did_you_mean(&value.value, candidates.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None if candidates.is_empty() => format!("no {kind} is defined yet"),
        None => format!("known {kind}s: {}", suggest::list(&candidates)),
    };
    Diagnostic::rule(
        "unknown-reference",
        src.span(value),
        format!("unknown {kind} `{}`", value.value),
    )
    .with_label(format!("no {kind} has this id"))
    .with_help(help)
}
