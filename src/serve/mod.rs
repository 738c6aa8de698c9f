//! `clientele serve`: build in memory, serve over HTTP, watch the content
//! and rebuild only what an edit touched; browser tabs reload by
//! themselves, and an edit with errors keeps the last good site on screen
//! with the diagnostics as an overlay.

mod http;
mod listen;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::broadcast;

use crate::diag::{self, Diagnostic, Severity};
use crate::load::{Cache, Changes};
use crate::metrics::Metrics;
use crate::rules::{self, Context};
use crate::site::{self, Audience, Scope, Sink, Theme};
pub use http::{safe_path, Shared};

/// Every file of the site by path.
pub type Files = HashMap<Arc<str>, Arc<[u8]>>;

/// The site as served: every file's bytes, and the problems of the last
/// edit if it could not be built.
pub struct Snapshot {
    pub files: Arc<Files>,
    pub problems: Option<String>,
}

/// What open pages are told.
#[derive(Clone, Debug)]
pub enum Notice {
    /// These site paths changed (`None`: any page may have).
    Reload(Option<Vec<String>>),
    Problems(String),
}

/// Collects rendered files in memory. A catch-up render stops at its next
/// write once `cancel` is set: a newer edit goes first.
struct MemorySink<'a> {
    files: Mutex<Vec<(String, Arc<[u8]>)>>,
    cancel: Option<&'a AtomicBool>,
}

impl MemorySink<'_> {
    /// An error once a newer edit is waiting. Not `ErrorKind::Interrupted`:
    /// `write_all` and `BufWriter` retry that kind for ever, and a catch-up
    /// writing `model.json` then spun at 100% CPU and never gave way.
    fn check(&self) -> std::io::Result<()> {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(std::io::Error::other("cancelled by a newer edit"));
        }
        Ok(())
    }
}

/// A writer that gives up once a newer edit is waiting.
struct Cancellable<'a, 'b> {
    bytes: Vec<u8>,
    sink: &'b MemorySink<'a>,
}

impl std::io::Write for Cancellable<'_, '_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() % (1 << 20) + buf.len() >= 1 << 20 {
            self.sink.check()?;
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Sink for MemorySink<'_> {
    fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut out = Cancellable {
            bytes: Vec::new(),
            sink: self,
        };
        fill(&mut out)?;
        self.write(path, &out.bytes)
    }

    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.check()?;
        self.files
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .push((path.to_string(), Arc::from(bytes)));
        Ok(())
    }
}

/// The paths among `written` whose bytes differ from `before`.
fn changed_pages(before: Option<&Snapshot>, after: &Files, written: Vec<String>) -> Vec<String> {
    written
        .into_iter()
        .filter(|path| {
            let old = before.and_then(|b| b.files.get(path.as_str()));
            old.map(|o| &o[..]) != after.get(path.as_str()).map(|n| &n[..])
        })
        .collect()
}

/// Options of a serve session.
pub struct Options {
    pub root: PathBuf,
    pub today: crate::rules::Today,
    pub base_url: Option<String>,
}

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

/// The path part of a base URL, with slashes: `https://x/portal` -> `/portal/`.
pub fn base_path(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        String::from("/")
    } else {
        format!("/{trimmed}/")
    }
}

/// The paths of a batch of file events that can change the site.
fn changed_paths(
    root: &Path,
    canonical: &Path,
    batch: notify_debouncer_full::DebounceEventResult,
) -> Vec<PathBuf> {
    let Ok(events) = batch else {
        return Vec::new();
    };
    // Reads (ours included) are reported as access events: only
    // creations, modifications and removals can change the site.
    let mut paths: Vec<PathBuf> = events
        .into_iter()
        .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
        .flat_map(|e| e.event.paths)
        .map(|p| p.strip_prefix(canonical).map(|r| root.join(r)).unwrap_or(p))
        .filter(|p| relevant(root, p))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

/// Whether a changed path can affect the site: not hidden, not an editor
/// temporary file.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().all(|c| {
        let name = c.as_os_str().to_string_lossy();
        !crate::load::is_ignored(&name) && name != "4913"
    })
}

/// Where and for whom the server listens.
pub struct Listen {
    pub bind: String,
    pub port: u16,
    /// Host names besides the bound address and `localhost`.
    pub allowed_hosts: Vec<String>,
}

/// Runs the server until the process is stopped.
pub fn run(options: Options, on: &Listen, open: bool) -> i32 {
    let (bind, port) = (on.bind.as_str(), on.port);
    let root = options.root.clone();
    let mut builder = match Builder::new(options) {
        Ok(b) => b,
        Err(d) => {
            eprint!("{}", diag::render_human(&root, &[d], false));
            return 2;
        }
    };
    let started = Instant::now();
    let first = builder.build(&[], None);
    let Some(snapshot) = first.snapshot else {
        eprintln!("{}", first.problems.unwrap_or(first.summary));
        return 2;
    };
    if let Some(p) = &first.problems {
        eprint!("{p}");
    }
    eprintln!(
        "built {} pages in {:.0?}: {}",
        first.pages,
        started.elapsed(),
        first.summary
    );
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        current: RwLock::new(Arc::new(snapshot)),
        events,
        base: builder.base_path.clone(),
        hosts: listen::allowed_hosts(bind, &on.allowed_hosts),
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the server runtime: {e}");
            return 2;
        }
    };
    let listener = match runtime.block_on(tokio::net::TcpListener::bind((bind, port))) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on {bind}:{port}: {e}");
            eprintln!("  = help: pick another port with --port, or --port 0 for any free one");
            return 2;
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("{bind}:{port}"), |a| a.to_string());
    let url = format!("http://{addr}{}", builder.base_path);
    eprintln!("serving {} at {url} (Ctrl-C to stop)", root.display());
    let everywhere = bind
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_unspecified());
    if everywhere && on.allowed_hosts.is_empty() {
        eprintln!("note: listening on {bind}: pass --allowed-host NAME for each name the portal is reached by; other names get 403");
    }
    let app = http::router(Arc::clone(&shared));
    runtime.spawn(listen::accept(listener, app));
    if open {
        open_browser(&url);
    }
    watch(&root, &mut builder, &shared)
}

/// Watches `root` and rebuilds after each debounced batch of changes.
fn watch(root: &Path, builder: &mut Builder, shared: &Arc<Shared>) -> i32 {
    let (tx, rx) = mpsc::channel::<Vec<PathBuf>>();
    // Set as soon as an edit is waiting, so a catch-up render yields to it.
    let edit_waiting = Arc::new(AtomicBool::new(false));
    let handler = {
        let flag = Arc::clone(&edit_waiting);
        let root = root.to_path_buf();
        let canonical = std::fs::canonicalize(&root).unwrap_or_else(|_| root.clone());
        move |batch: notify_debouncer_full::DebounceEventResult| {
            let paths = changed_paths(&root, &canonical, batch);
            if !paths.is_empty() {
                flag.store(true, Ordering::Relaxed);
                let _ = tx.send(paths);
            }
        }
    };
    let mut debouncer =
        match notify_debouncer_full::new_debouncer(Duration::from_millis(50), None, handler) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: cannot watch `{}`: {e}", root.display());
                return 2;
            }
        };
    if let Err(e) = debouncer.watch(root, notify::RecursiveMode::Recursive) {
        eprintln!("error: cannot watch `{}`: {e}", root.display());
        return 2;
    }
    eprintln!("watching {} for changes", root.display());
    while let Ok(first) = rx.recv() {
        edit_waiting.store(false, Ordering::Relaxed);
        let mut paths: Vec<PathBuf> = first.into_iter().chain(rx.try_iter().flatten()).collect();
        paths.sort();
        paths.dedup();
        let started = Instant::now();
        let previous = shared.snapshot();
        let outcome = builder.build(&paths, Some(&previous));
        let took = started.elapsed();
        match (outcome.snapshot, outcome.problems) {
            (Some(snapshot), _) => {
                if let Ok(mut current) = shared.current.write() {
                    *current = Arc::new(snapshot);
                }
                let _ = shared.events.send(Notice::Reload(outcome.changed));
                eprintln!(
                    "rebuilt in {:.1} ms: {} pages rendered; {}",
                    took.as_secs_f64() * 1000.0,
                    outcome.pages,
                    outcome.summary
                );
                // More edits first: the firm pages catch up after them.
                if edit_waiting.load(Ordering::Relaxed) {
                    continue;
                }
                let started = Instant::now();
                let current = shared.snapshot();
                match builder.catch_up(&current, &edit_waiting) {
                    Some(Ok((snapshot, changed))) => {
                        if let Ok(mut slot) = shared.current.write() {
                            *slot = Arc::new(snapshot);
                        }
                        if !changed.is_empty() {
                            let _ = shared.events.send(Notice::Reload(Some(changed)));
                        }
                        eprintln!(
                            "firm pages and exports caught up in {:.1} ms",
                            started.elapsed().as_secs_f64() * 1000.0
                        );
                    }
                    Some(Err(_)) if edit_waiting.load(Ordering::Relaxed) => {}
                    Some(Err(e)) => eprintln!("{e}"),
                    None => {}
                }
            }
            (None, Some(text)) => {
                eprint!("{text}");
                if let Ok(mut current) = shared.current.write() {
                    *current = Arc::new(Snapshot {
                        files: Arc::clone(&current.files),
                        problems: Some(text.clone()),
                    });
                }
                let _ = shared.events.send(Notice::Problems(text));
                eprintln!(
                    "edit has errors ({:.1} ms): still serving the last good site; {}",
                    took.as_secs_f64() * 1000.0,
                    outcome.summary
                );
            }
            (None, None) => {}
        }
    }
    0
}

fn open_browser(url: &str) {
    let program = if cfg!(target_os = "macos") {
        "open"
    } else if cfg!(windows) {
        "explorer"
    } else {
        "xdg-open"
    };
    if let Err(e) = std::process::Command::new(program).arg(url).spawn() {
        eprintln!("warning: could not open a browser ({program}: {e}); open {url}");
    }
}

#[cfg(test)]
mod tests {
    use super::{base_path, MemorySink, Sink};
    use std::sync::atomic::{AtomicBool, Ordering};

    #[test]
    fn a_cancelled_stream_stops_instead_of_retrying() {
        let cancel = AtomicBool::new(false);
        let sink = MemorySink {
            files: Default::default(),
            cancel: Some(&cancel),
        };
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::scope(|s| {
            s.spawn(|| {
                let result = sink.write_with("exports/model.json", &mut |w| {
                    // Like serde_json writing a 4 MiB model through `write_all`.
                    for i in 0..4096 {
                        if i == 1024 {
                            cancel.store(true, Ordering::Relaxed);
                        }
                        w.write_all(&[b' '; 1024])?;
                    }
                    Ok(())
                });
                let _ = tx.send(result.is_err());
            });
            let stopped = rx.recv_timeout(std::time::Duration::from_secs(10));
            // Unstick a writer that would otherwise spin for ever.
            cancel.store(false, Ordering::Relaxed);
            assert_eq!(stopped, Ok(true), "the write gave up with an error");
        });
    }

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path("/portal"), "/portal/");
        assert_eq!(base_path("https://intranet.example/portal/"), "/portal/");
        assert_eq!(base_path("https://intranet.example"), "/");
    }
}
