//! `clientele serve`: build in memory, serve over HTTP, watch the content
//! and rebuild only what an edit touched; browser tabs reload by
//! themselves, and an edit with errors keeps the last good site on screen
//! with the diagnostics as an overlay.

mod http;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{mpsc, Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use tokio::sync::broadcast;

use crate::diag::{self, Diagnostic, Severity};
use crate::load::Cache;
use crate::metrics::Metrics;
use crate::rules::{self, Context};
use crate::site::{self, Audience, Scope, Sink, Theme};
pub use http::{safe_path, Shared};

/// Every file of the site by path.
pub type Files = HashMap<String, Arc<[u8]>>;

/// The site as served: every file's bytes, and the problems of the last
/// edit if it could not be built.
pub struct Snapshot {
    pub files: Arc<Files>,
    pub problems: Option<String>,
}

/// What open pages are told.
#[derive(Clone, Debug)]
pub enum Notice {
    Reload,
    Problems(String),
}

/// Collects rendered files in memory.
struct MemorySink {
    files: Mutex<Files>,
}

impl Sink for MemorySink {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.files
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .insert(path.to_string(), Arc::from(bytes));
        Ok(())
    }
}

/// Options of a serve session.
pub struct Options {
    pub root: PathBuf,
    pub today: Option<NaiveDate>,
    pub base_url: Option<String>,
}

/// Builds and rebuilds the in-memory site.
pub struct Builder {
    cache: Cache,
    theme: Option<Theme>,
    options: Options,
    /// Changed since the last successful render (kept while edits have errors).
    pending: Pending,
    /// Figures of the last incremental render, whose exports are not yet written.
    stale_exports: Option<(Metrics, Vec<Diagnostic>)>,
    /// Errors present at the last successful render.
    accepted: std::collections::HashSet<(&'static str, Option<crate::diag::Span>, String)>,
    pub base_path: String,
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
    pub summary: String,
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
            accepted: Default::default(),
            stale_exports: None,
            base_path: base_path(&base_url),
        })
    }

    fn today(&self) -> NaiveDate {
        self.options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Re-reads the changed paths and renders what they affect on top of
    /// `previous` (`None` for the first, full build).
    pub fn build(&mut self, changed: &[PathBuf], previous: Option<&Snapshot>) -> Outcome {
        let before: BTreeSet<String> = self.people_of(changed);
        let changes = if changed.is_empty() {
            Default::default()
        } else {
            self.cache.update(changed)
        };
        if changes.theme || self.theme.is_none() {
            match Theme::load(&self.options.root) {
                Ok(theme) => self.theme = Some(theme),
                Err(e) => {
                    let text = format!("error[theme]: {}: {}", e.file, e.message);
                    return Outcome {
                        snapshot: None,
                        problems: Some(text.clone()),
                        pages: 0,
                        summary: text,
                    };
                }
            }
            self.pending.all = true;
        }
        self.pending.all |= changes.global;
        self.pending.clients.extend(changes.clients.iter().cloned());
        self.pending.people.extend(before);
        self.pending.people.extend(self.people_of(changed));
        let today = self.today();
        let diagnostics = rules::check(
            self.cache.diagnostics(),
            &self.cache.model,
            &Context { today },
        );
        let errors: Vec<&Diagnostic> = diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        // Errors the repository already had at the last render are on the
        // validation page; the overlay is for what the latest edits broke.
        let key = |d: &Diagnostic| (d.rule, d.span.clone(), d.message.clone());
        let introduced: Vec<Diagnostic> = errors
            .iter()
            .filter(|d| !self.accepted.contains(&key(d)))
            .map(|d| (*d).clone())
            .collect();
        let problems = (!introduced.is_empty())
            .then(|| diag::render_human(&self.options.root, &introduced, false));
        let summary = format!(
            "{}, {}",
            diag::plural(errors.len(), "error"),
            diag::plural(diagnostics.len() - errors.len(), "warning")
        );
        if previous.is_none() {
            self.accepted = errors.iter().map(|d| key(d)).collect();
        }
        let problems = if previous.is_none() { None } else { problems };
        if problems.is_some() {
            // Keep the last good site; render once the edit is fixed.
            return Outcome {
                snapshot: None,
                problems,
                pages: 0,
                summary,
            };
        }
        let model = &self.cache.model;
        let metrics = Metrics::compute(model, &diagnostics, today);
        let scope = if self.pending.all || previous.is_none() {
            Scope::all()
        } else {
            // Exports are big (the whole model as JSON); they are brought up
            // to date right after the pages, without holding the reload.
            Scope {
                clients: Some(self.pending.clients.clone()),
                people: Some(self.pending.people.clone()),
                firm_pages: true,
                exports: false,
            }
        };
        let mut files = previous.map(|p| (*p.files).clone()).unwrap_or_default();
        if !scope.is_all() {
            // Pages of clients that no longer exist.
            for id in &self.pending.clients {
                if model.client(id).is_none() {
                    let (page, folder) = (format!("clients/{id}.html"), format!("clients/{id}/"));
                    files.retain(|k, _| *k != page && !k.starts_with(&folder));
                }
            }
        } else {
            files.clear();
        }
        match self.render_into(files, &metrics, &diagnostics, &scope) {
            Ok((files, stats)) => {
                self.pending = Pending::default();
                self.accepted = errors.iter().map(|d| key(d)).collect();
                if !scope.exports {
                    self.stale_exports = Some((metrics, diagnostics.clone()));
                }
                Outcome {
                    snapshot: Some(Snapshot {
                        files: Arc::new(files),
                        problems: problems.clone(),
                    }),
                    problems,
                    pages: stats.pages,
                    summary,
                }
            }
            Err(text) => Outcome {
                snapshot: None,
                problems: Some(text.clone()),
                pages: 0,
                summary: text,
            },
        }
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

    /// Brings the exports, feeds and search index of `current` up to date
    /// after an incremental render left them behind.
    pub fn refresh_exports(&mut self, current: &Snapshot) -> Option<Result<Snapshot, String>> {
        let (metrics, diagnostics) = self.stale_exports.take()?;
        let files = (*current.files).clone();
        Some(
            self.render_into(files, &metrics, &diagnostics, &Scope::exports_only())
                .map(|(files, _)| Snapshot {
                    files: Arc::new(files),
                    problems: current.problems.clone(),
                }),
        )
    }

    /// Renders `scope` on top of `files`, in memory.
    fn render_into(
        &self,
        files: Files,
        metrics: &Metrics,
        diagnostics: &[Diagnostic],
        scope: &Scope,
    ) -> Result<(Files, site::Stats), String> {
        let theme = self
            .theme
            .as_ref()
            .ok_or_else(|| String::from("error[theme]: no theme loaded"))?;
        let sink = MemorySink {
            files: Mutex::new(files),
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
        Ok((sink.files.into_inner().unwrap_or_default(), stats))
    }

    /// People named by the clients the paths belong to, as the model has them now.
    fn people_of(&self, changed: &[PathBuf]) -> BTreeSet<String> {
        let mut ids = BTreeSet::new();
        for path in changed {
            let rel = path.strip_prefix(&self.options.root).unwrap_or(path);
            let mut parts = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned());
            if parts.next().as_deref() == Some("clients") {
                if let Some(client) = parts.next().and_then(|id| self.cache.model.client(&id)) {
                    ids.extend(client.people().into_iter().map(str::to_string));
                }
            }
        }
        ids
    }
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

/// Whether a changed path can affect the site: not hidden, not an editor
/// temporary file.
pub fn relevant(root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().all(|c| {
        let name = c.as_os_str().to_string_lossy();
        !crate::load::is_ignored(&name) && name != "4913"
    })
}

/// Runs the server until the process is stopped.
pub fn run(options: Options, bind: &str, port: u16, open: bool) -> i32 {
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
    let app = http::router(Arc::clone(&shared));
    runtime.spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            eprintln!("error: server stopped: {e}");
        }
    });
    if open {
        open_browser(&url);
    }
    watch(&root, &mut builder, &shared)
}

/// Watches `root` and rebuilds after each debounced batch of changes.
fn watch(root: &Path, builder: &mut Builder, shared: &Arc<Shared>) -> i32 {
    let (tx, rx) = mpsc::channel();
    let mut debouncer =
        match notify_debouncer_full::new_debouncer(Duration::from_millis(100), None, tx) {
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
    let canonical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    for batch in rx {
        let Ok(events) = batch else { continue };
        // Reads (ours included) are reported as access events: only
        // creations, modifications and removals can change the site.
        let mut paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
            .flat_map(|e| e.event.paths)
            .map(|p| {
                p.strip_prefix(&canonical)
                    .map(|r| root.join(r))
                    .unwrap_or(p)
            })
            .filter(|p| relevant(root, p))
            .collect();
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        let started = Instant::now();
        let previous = shared
            .current
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()));
        let outcome = builder.build(&paths, Some(&previous));
        let took = started.elapsed();
        match (outcome.snapshot, outcome.problems) {
            (Some(snapshot), _) => {
                if let Ok(mut current) = shared.current.write() {
                    *current = Arc::new(snapshot);
                }
                let _ = shared.events.send(Notice::Reload);
                eprintln!(
                    "rebuilt in {:.1} ms: {} pages rendered; {}",
                    took.as_secs_f64() * 1000.0,
                    outcome.pages,
                    outcome.summary
                );
                let started = Instant::now();
                let current = shared
                    .current
                    .read()
                    .map(|s| Arc::clone(&s))
                    .unwrap_or_else(|p| Arc::clone(&p.into_inner()));
                match builder.refresh_exports(&current) {
                    Some(Ok(snapshot)) => {
                        if let Ok(mut slot) = shared.current.write() {
                            *slot = Arc::new(snapshot);
                        }
                        eprintln!(
                            "exports refreshed in {:.1} ms",
                            started.elapsed().as_secs_f64() * 1000.0
                        );
                    }
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
    use super::base_path;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path("/portal"), "/portal/");
        assert_eq!(base_path("https://intranet.example/portal/"), "/portal/");
        assert_eq!(base_path("https://intranet.example"), "/");
    }
}
