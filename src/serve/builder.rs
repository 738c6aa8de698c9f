//! The in-memory build of `serve` and its state between edits: the loaded
//! repository, the rule findings per client, the figures of the last
//! render, and what the catch-up pass still owes.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::{base_path, changed_pages, Files, MemorySink, Options, Snapshot};
use crate::diag::{self, Diagnostic, Severity};
use crate::load::{Cache, Changes};
use crate::metrics::Metrics;
use crate::rules::{self, Context};
use crate::site::{self, Audience, Scope, Theme};

/// Builds and rebuilds the in-memory site.
///
/// An edit is shown in two passes. The first re-reads the touched files,
/// re-runs the rules for the touched clients and renders the pages that
/// show them: the client's page and its page of the client list. The
/// second, [`Builder::catch_up`], recomputes the firm-wide figures and
/// renders the firm pages, the pages of the client's people, the exports
/// and the search index; it waits while more edits come in. Open tabs
/// reload after each pass only if their page changed.
pub struct Builder {
    cache: Cache,
    theme: Option<Theme>,
    options: Options,
    /// Changed since the last successful render (kept while edits have errors).
    pending: Pending,
    /// Rule findings, kept between rebuilds.
    findings: Findings,
    /// The day the findings were computed for: serve runs across midnight.
    findings_day: NaiveDate,
    /// Figures and findings of the last render.
    last: Option<(Metrics, Vec<Diagnostic>)>,
    /// The firm pages and exports are behind the last render, and the
    /// pages of these people.
    behind: Option<Behind>,
    /// Errors and warnings at the last successful render.
    counts: Option<(usize, usize)>,
    /// Errors present at the last successful render.
    accepted: std::collections::HashSet<ErrorKey>,
    pub base_path: String,
}

/// Rule findings kept between rebuilds: an edit re-runs the rules for the
/// clients it touched, and the firm-wide part only when firm files, the
/// team or the financials change.
#[derive(Default)]
struct Findings {
    /// `None` until the first full run, and after a change to firm files.
    firm: Option<Vec<Diagnostic>>,
    clients: HashMap<String, Vec<Diagnostic>>,
}

impl Findings {
    /// Brings the findings up to date with `model` after `changes`.
    fn update(&mut self, model: &crate::model::Model, changes: &Changes, ctx: &Context) {
        use rayon::prelude::*;
        if changes.global || self.firm.is_none() {
            self.firm = Some(rules::run_firm(model, ctx));
            self.clients = model
                .clients
                .par_iter()
                .map(|c| (c.id.clone(), rules::run_client(model, c, ctx)))
                .collect();
            return;
        }
        for id in &changes.clients {
            match model.client(id) {
                Some(c) => self
                    .clients
                    .insert(id.clone(), rules::run_client(model, c, ctx)),
                None => self.clients.remove(id),
            };
        }
    }

    /// Every finding, unsorted.
    fn all(&self) -> Vec<Diagnostic> {
        let firm = self.firm.iter().flatten();
        firm.chain(self.clients.values().flatten())
            .cloned()
            .collect()
    }
}

/// What the catch-up pass still has to render.
#[derive(Default)]
struct Behind {
    /// Pages of these people.
    people: BTreeSet<String>,
    /// Every page: the error and warning counts every page's header shows
    /// have changed.
    all: bool,
}

#[derive(Default)]
struct Pending {
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

impl Outcome {
    fn failed(text: String) -> Outcome {
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
        let cache = Cache::load(&options.root)?;
        let base_url = cache.model.firm.base_url_or(options.base_url.as_deref());
        Ok(Builder {
            cache,
            theme: None,
            options,
            pending: Pending {
                all: true,
                ..Pending::default()
            },
            findings: Findings::default(),
            findings_day: NaiveDate::MIN,
            last: None,
            behind: None,
            counts: None,
            accepted: Default::default(),
            base_path: base_path(&base_url),
        })
    }

    fn today(&self) -> NaiveDate {
        self.options.today.date()
    }

    /// Re-reads the changed paths and renders what they affect on top of
    /// `previous` (`None` for the first, full build).
    pub fn build(&mut self, changed: &[PathBuf], previous: Option<&Snapshot>) -> Outcome {
        let before: BTreeSet<String> = self.people_of(changed);
        let changes = if changed.is_empty() {
            Changes::default()
        } else {
            self.cache.update(changed)
        };
        if changes.theme || self.theme.is_none() {
            match Theme::load(&self.options.root) {
                Ok(theme) => self.theme = Some(theme),
                Err(e) => {
                    return Outcome::failed(format!("error[theme]: {}: {}", e.file, e.message))
                }
            }
            self.pending.all = true;
        }
        self.pending.all |= changes.global;
        self.pending.clients.extend(changes.clients.iter().cloned());
        self.pending.people.extend(before);
        self.pending.people.extend(self.people_of(changed));
        let today = self.today();
        if today != self.findings_day {
            // A new day: every date-relative finding and figure moves.
            self.findings = Findings::default();
            self.findings_day = today;
            self.pending.all = true;
        }
        self.findings
            .update(&self.cache.model, &changes, &Context { today });
        let diagnostics = rules::combine(self.cache.diagnostics(), self.findings.all());
        let errors: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let introduced = self.introduced(&errors);
        let summary = format!(
            "{}, {}",
            diag::plural(errors.len(), "error"),
            diag::plural(diagnostics.len() - errors.len(), "warning")
        );
        if previous.is_some() && !introduced.is_empty() {
            // Keep the last good site; render once the edit is fixed.
            return Outcome {
                snapshot: None,
                problems: Some(diag::render_human(&self.options.root, &introduced, false)),
                pages: 0,
                changed: None,
                summary,
            };
        }
        let accepted = errors.iter().map(|d| error_key(d)).collect();
        // Every page's header shows these counts.
        let counts = (errors.len(), diagnostics.len() - errors.len());
        let recounted = self.counts.is_some_and(|old| old != counts);
        let model = &self.cache.model;
        let full = self.pending.all || previous.is_none();
        let metrics = match self.last.take() {
            Some((mut metrics, _)) if !full => {
                metrics.update_clients(model, &diagnostics, &self.pending.clients);
                metrics
            }
            _ => Metrics::compute(model, &diagnostics, today),
        };
        let (scope, mut files) = match previous {
            // A client added or removed is a global change: the full render
            // below starts from an empty site, so no page of a removed client
            // survives it.
            Some(previous) if !full => {
                let files = (*previous.files).clone();
                let scope = Scope {
                    clients: Some(self.pending.clients.clone()),
                    people: Some(BTreeSet::new()),
                    firm_pages: false,
                    exports: false,
                };
                (scope, files)
            }
            _ => (Scope::all(), Files::new()),
        };
        let rendered = self.render_into(&mut files, &metrics, &diagnostics, &scope, None);
        self.last = Some((metrics, diagnostics));
        match rendered {
            Ok((stats, written)) => {
                let pending = std::mem::take(&mut self.pending);
                self.accepted = accepted;
                self.counts = Some(counts);
                self.behind = if scope.is_all() {
                    None
                } else {
                    let mut behind = self.behind.take().unwrap_or_default();
                    behind.people.extend(pending.people);
                    behind.all |= recounted;
                    Some(behind)
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
            Err(text) => Outcome::failed(text),
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

    fn site_options(&self) -> site::Options {
        let base_url = self
            .cache
            .model
            .firm
            .base_url_or(self.options.base_url.as_deref());
        site::Options {
            content: self.options.root.clone(),
            audience: Audience::Full,
            base_url,
        }
    }

    /// After an incremental render: recomputes the firm-wide figures and
    /// brings the firm pages, `people.html`, the exports and the search
    /// index up to date. `None` when nothing is behind.
    /// Gives up, leaving everything behind, as soon as `cancel` is set.
    pub fn catch_up(
        &mut self,
        current: &Snapshot,
        cancel: &AtomicBool,
    ) -> Option<Result<(Snapshot, Vec<String>), String>> {
        let behind = self.behind.as_ref()?;
        let scope = if behind.all {
            Scope::all()
        } else {
            Scope {
                people: Some(behind.people.clone()),
                ..Scope::firm_wide()
            }
        };
        let (_, diagnostics) = self.last.take()?;
        let metrics = Metrics::compute(&self.cache.model, &diagnostics, self.today());
        let mut files = (*current.files).clone();
        let rendered = self.render_into(&mut files, &metrics, &diagnostics, &scope, Some(cancel));
        self.last = Some((metrics, diagnostics));
        if cancel.load(Ordering::Relaxed) {
            return Some(Err(String::from("cancelled by a newer edit")));
        }
        self.behind = None;
        Some(rendered.map(|(_, written)| {
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
    ) -> Result<(site::Stats, Vec<String>), String> {
        let theme = self
            .theme
            .as_ref()
            .ok_or_else(|| String::from("error[theme]: no theme loaded"))?;
        let sink = MemorySink {
            files: Mutex::new(Vec::new()),
            cancel,
        };
        let stats = site::render(
            &self.cache.model,
            metrics,
            diagnostics,
            theme,
            &self.site_options(),
            scope,
            &sink,
        )
        .map_err(|e| format!("error[render]: {e}"))?;
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
        for path in changed {
            let rel = path.strip_prefix(&self.options.root).unwrap_or(path);
            let rel = rel.to_string_lossy();
            let client =
                crate::model::client_of_path(&rel).and_then(|(id, _)| self.cache.model.client(id));
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
