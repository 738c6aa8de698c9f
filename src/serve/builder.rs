//! The in-memory build of `serve` and its state between edits: the loaded
//! repository, the rule findings per client, the figures of the last
//! render, and what the catch-up pass still owes.

use std::collections::{BTreeSet, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use super::{base_path, changed_pages, Files, MemorySink, Options, Snapshot};
use crate::diag::{self, CommandError, Diagnostic, Severity};
use crate::metrics::Metrics;
use crate::pipeline::{Figures, Pipeline};
use crate::site::{self, Audience, Scope};

/// Builds and rebuilds the in-memory site.
///
/// An edit is shown in two passes. The first, [`Builder::build`], re-reads
/// the touched files, re-runs the rules for the touched clients and renders
/// the pages that show them: the client's page and its page of the client
/// list. The site is then `Site::Behind`. The second, [`Builder::catch_up`],
/// recomputes the firm-wide figures and renders the firm pages, the pages
/// of the client's people, the exports and the search index; it waits
/// while more edits come in, and leaves the site `Site::Current`. Open
/// tabs reload after each pass only if their page changed.
///
/// An edit that brings a new error renders nothing: its changes wait in
/// `pending` until the error is fixed, and the last good site
/// stays on screen under an overlay.
pub struct Builder {
    pipeline: Pipeline,
    today: crate::rules::Today,
    /// What the site in memory shows.
    site: Site,
    /// Changed since the last successful render (kept while edits have errors).
    pending: Pending,
    /// Errors present at the last successful render: the validation page
    /// shows them, so the overlay does not.
    accepted: HashSet<ErrorKey>,
    pub base_path: String,
}

/// Where the site in memory stands against the repository.
enum Site {
    /// Nothing rendered yet, or the last render failed: the next build
    /// renders every page.
    Unbuilt,
    /// Every page shows the last render.
    Current(Shown),
    /// The pages of the edited clients show the last render; the firm
    /// pages, the exports and what [`Owed`] names still show an earlier one.
    Behind(Shown, Owed),
}

/// What the last render was made from.
struct Shown {
    metrics: Metrics,
    diagnostics: Vec<Diagnostic>,
    /// Errors and warnings: every page's header shows them.
    counts: (usize, usize),
}

/// What the catch-up pass owes besides the firm pages and exports.
#[derive(Default)]
struct Owed {
    /// Pages of these people.
    people: BTreeSet<String>,
    /// Every page: the error and warning counts every page's header shows
    /// have changed.
    all: bool,
}

/// Edits not yet rendered.
#[derive(Default)]
struct Pending {
    /// Every page: a firm-wide change, a new theme, a new day.
    all: bool,
    clients: BTreeSet<String>,
    people: BTreeSet<String>,
}

/// The result of one (re)build.
pub struct Outcome {
    pub snapshot: Option<Snapshot>,
    pub problems: Option<String>,
    pub pages: usize,
    /// Site paths whose bytes changed; `None` when every page may have.
    pub changed: Option<Vec<String>>,
    pub summary: String,
}

/// Why the catch-up pass did not finish.
pub enum Unfinished {
    /// A newer edit came in: the pass runs again after it.
    Cancelled,
    Failed(CommandError),
}

impl Outcome {
    fn failed(e: &CommandError) -> Outcome {
        let text = e.render(false);
        Outcome {
            snapshot: None,
            problems: Some(text.clone()),
            pages: 0,
            changed: None,
            summary: text,
        }
    }
}

impl Builder {
    pub fn new(options: Options) -> Result<Builder, Diagnostic> {
        let pipeline =
            Pipeline::load(&options.root, Audience::Full, options.base_url)?.without_data_tables();
        let base_path = base_path(&pipeline.base_url());
        Ok(Builder {
            pipeline,
            today: options.today,
            site: Site::Unbuilt,
            pending: Pending {
                all: true,
                ..Pending::default()
            },
            accepted: HashSet::new(),
            base_path,
        })
    }

    /// Re-reads the changed paths and renders what they affect on top of
    /// `previous` (`None` for the first, full build).
    pub fn build(&mut self, changed: &[PathBuf], previous: Option<&Snapshot>) -> Outcome {
        let before = self.people_of(changed);
        let changes = self.pipeline.reread(changed);
        let today = self.today.date();
        let checked = self.pipeline.check(&changes, today);
        let after = self.people_of(changed);
        let pending = &mut self.pending;
        pending.all |= changes.global || changes.theme || checked.everything;
        pending.clients.extend(changes.clients.iter().cloned());
        pending.people.extend(before.into_iter().chain(after));
        let diagnostics = checked.diagnostics;
        let errors: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        // Every page's header shows these counts.
        let counts = (errors.len(), diagnostics.len() - errors.len());
        let summary = format!(
            "{}, {}",
            diag::plural(counts.0, "error"),
            diag::plural(counts.1, "warning")
        );
        let introduced = self.introduced(&errors);
        if previous.is_some() && !introduced.is_empty() {
            // Keep the last good site; render once the edit is fixed.
            return Outcome {
                snapshot: None,
                problems: Some(diag::render_human(self.pipeline.root(), &introduced, false)),
                pages: 0,
                changed: None,
                summary,
            };
        }
        let accepted = errors.iter().map(|d| error_key(d)).collect();
        let full = self.pending.all || previous.is_none();
        let (shown, owed) = match std::mem::replace(&mut self.site, Site::Unbuilt) {
            Site::Unbuilt => (None, Owed::default()),
            Site::Current(shown) => (Some(shown), Owed::default()),
            Site::Behind(shown, owed) => (Some(shown), owed),
        };
        let recounted = shown.as_ref().is_some_and(|s| s.counts != counts);
        let how = match shown {
            Some(shown) if !full => Figures::Update(Box::new(shown.metrics), &self.pending.clients),
            _ => Figures::Fresh,
        };
        let metrics = match self.pipeline.figures(&diagnostics, today, how) {
            Ok(metrics) => metrics,
            Err(e) => return Outcome::failed(&e.into()),
        };
        let (scope, mut files) = match previous {
            // A client added or removed is a global change: the full render
            // below starts from an empty site, so no page of a removed client
            // survives it.
            Some(previous) if !full => {
                let scope = Scope {
                    clients: Some(self.pending.clients.clone()),
                    people: Some(BTreeSet::new()),
                    firm_pages: false,
                    exports: false,
                };
                (scope, (*previous.files).clone())
            }
            _ => (Scope::all(), Files::new()),
        };
        let rendered = self.render_into(&mut files, &metrics, &diagnostics, &scope, None);
        let (stats, written) = match rendered {
            Ok(rendered) => rendered,
            // `Site::Unbuilt`: the next build renders everything.
            Err(e) => return Outcome::failed(&e),
        };
        let pending = std::mem::take(&mut self.pending);
        self.accepted = accepted;
        let shown = Shown {
            metrics,
            diagnostics,
            counts,
        };
        self.site = if scope.is_all() {
            Site::Current(shown)
        } else {
            let mut owed = owed;
            owed.people.extend(pending.people);
            owed.all |= recounted;
            Site::Behind(shown, owed)
        };
        Outcome {
            changed: (!scope.is_all()).then(|| changed_pages(previous, &files, written)),
            snapshot: Some(Snapshot {
                files: Arc::new(files),
                problems: None,
            }),
            problems: None,
            pages: stats.pages,
            summary,
        }
    }

    /// Errors the repository already had at the last render are on the
    /// validation page; the overlay is for what the latest edits broke.
    fn introduced(&self, errors: &[&Diagnostic]) -> Vec<Diagnostic> {
        errors
            .iter()
            .filter(|d| !self.accepted.contains(&error_key(d)))
            .map(|d| (*d).clone())
            .collect()
    }

    /// After an incremental render: recomputes the firm-wide figures and
    /// brings the firm pages, `people.html`, the exports and the search
    /// index up to date. `None` when nothing is behind.
    /// Gives up, leaving everything behind, as soon as `cancel` is set.
    pub fn catch_up(
        &mut self,
        current: &Snapshot,
        cancel: &AtomicBool,
    ) -> Option<Result<(Snapshot, Vec<String>), Unfinished>> {
        let Site::Behind(shown, owed) = std::mem::replace(&mut self.site, Site::Unbuilt) else {
            return None;
        };
        let scope = if owed.all {
            Scope::all()
        } else {
            Scope {
                people: Some(owed.people.clone()),
                ..Scope::firm_wide()
            }
        };
        let today = shown.metrics.today;
        let metrics = match self
            .pipeline
            .figures(&shown.diagnostics, today, Figures::Fresh)
        {
            Ok(metrics) => metrics,
            Err(e) => return Some(Err(Unfinished::Failed(e.into()))),
        };
        let shown = Shown { metrics, ..shown };
        let mut files = (*current.files).clone();
        let rendered = self.render_into(
            &mut files,
            &shown.metrics,
            &shown.diagnostics,
            &scope,
            Some(cancel),
        );
        if cancel.load(Ordering::Relaxed) {
            self.site = Site::Behind(shown, owed);
            return Some(Err(Unfinished::Cancelled));
        }
        self.site = Site::Current(shown);
        Some(rendered.map_err(Unfinished::Failed).map(|(_, written)| {
            let changed = changed_pages(Some(current), &files, written);
            let snapshot = Snapshot {
                files: Arc::new(files),
                problems: current.problems.clone(),
            };
            (snapshot, changed)
        }))
    }

    /// Renders `scope` into `files`, in memory; returns the paths written.
    fn render_into(
        &self,
        files: &mut Files,
        metrics: &Metrics,
        diagnostics: &[Diagnostic],
        scope: &Scope,
        cancel: Option<&AtomicBool>,
    ) -> Result<(site::Stats, Vec<String>), CommandError> {
        let sink = MemorySink {
            files: Mutex::new(Vec::new()),
            cancel,
        };
        let stats = self
            .pipeline
            .render(metrics, diagnostics, scope, &sink)
            .map_err(CommandError::from)?;
        let written = sink.files.into_inner().unwrap_or_default();
        let paths = written.iter().map(|(path, _)| path.clone()).collect();
        files.extend(
            written
                .into_iter()
                .map(|(path, bytes)| (Arc::from(path), bytes)),
        );
        Ok((stats, paths))
    }

    /// People named by the clients the paths belong to, as the model has them now.
    fn people_of(&self, changed: &[PathBuf]) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        let model = self.pipeline.model();
        for path in changed {
            let rel = path.strip_prefix(self.pipeline.root()).unwrap_or(path);
            let rel = rel.to_string_lossy();
            let client = crate::model::client_of_path(&rel).and_then(|(id, _)| model.client(id));
            if let Some(client) = client {
                ids.extend(client.people().into_iter().map(str::to_string));
            }
        }
        ids
    }
}

/// What makes an error the same error from one rebuild to the next.
type ErrorKey = (&'static str, Option<crate::diag::Span>, String);

fn error_key(d: &Diagnostic) -> ErrorKey {
    (d.rule, d.span.clone(), d.message.clone())
}
