//! Stage 5: render the portal from the model and its figures. Pages are
//! rendered in parallel and handed to a [`Sink`] (a folder, or memory for
//! `serve`); this stage decides what each page shows, never where bytes go.

mod charts;
mod exports;
mod feeds;
pub mod format;
pub mod markdown;
mod pages;
mod tables;
pub mod theme;
mod views;

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::metrics::Metrics;
use crate::model::Model;
pub use exports::analysts_export;
pub use feeds::link_base;
pub use theme::{Theme, ThemeError};
use views::{root_for, Refs, SiteView};

/// Where rendered files go. Paths are relative, with `/` separators.
pub trait Sink: Sync {
    fn write(&self, path: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// Writes a large file through `fill` without holding it all in
    /// memory first, where the sink can (a folder can; memory cannot).
    fn write_with(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        let mut bytes = Vec::new();
        fill(&mut bytes)?;
        self.write(path, &bytes)
    }
}

pub use crate::model::Audience;

pub struct Options {
    /// The content folder, for documents.
    pub content: PathBuf,
    pub audience: Audience,
    /// Where the site is served, e.g. `/portal/` or `https://intranet/portal/`.
    /// Pages link relatively and do not need it; calendar feeds do, since a
    /// calendar app has no page to be relative to.
    pub base_url: String,
    /// Whether to write the analysts' exports, `exports/model.json`,
    /// `exports/data/*.jsonl` and `exports/series.csv`: a build does;
    /// `serve`, which holds the site in memory for the people writing the
    /// plans, leaves out their half a gigabyte at scale (twice that while
    /// it catches up after an edit).
    pub data_tables: bool,
}

#[derive(Debug)]
pub enum SiteError {
    Template { page: String, message: String },
    Io { path: String, message: String },
}

impl std::fmt::Display for SiteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SiteError::Template { page, message } => {
                write!(f, "cannot render `{page}`:\n{message}")
            }
            SiteError::Io { path, message } => write!(f, "cannot write `{path}`: {message}"),
        }
    }
}

/// Which pages to render: everything, or the pages of some clients and
/// people (with every aggregate page, export and index, which depend on
/// all clients). `serve` renders only what an edit touched.
#[derive(Clone, Debug)]
pub struct Scope {
    /// Client ids; `None` for all.
    pub clients: Option<std::collections::BTreeSet<String>>,
    /// Person ids; `None` for all.
    pub people: Option<std::collections::BTreeSet<String>>,
    /// The firm-wide pages (dashboard, lists, metrics...).
    pub firm_pages: bool,
    /// Exports, calendar feeds and the search index.
    pub exports: bool,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope {
            clients: None,
            people: None,
            firm_pages: true,
            exports: true,
        }
    }
}

impl Scope {
    pub fn all() -> Scope {
        Scope::default()
    }

    /// The firm-wide pages, exports, feeds and search index; no client or
    /// person page.
    pub fn firm_wide() -> Scope {
        Scope {
            clients: Some(Default::default()),
            people: Some(Default::default()),
            firm_pages: true,
            exports: true,
        }
    }

    pub fn is_all(&self) -> bool {
        self.clients.is_none() && self.people.is_none() && self.firm_pages && self.exports
    }

    pub fn client(&self, id: &str) -> bool {
        self.clients.as_ref().is_none_or(|s| s.contains(id))
    }

    pub fn person(&self, id: &str) -> bool {
        self.people.as_ref().is_none_or(|s| s.contains(id))
    }
}

/// What a build produced.
#[derive(Debug, Default)]
pub struct Stats {
    pub pages: usize,
    pub files: usize,
}

/// Renders every page, export and static file into `sink`.
pub fn render(
    model: &Model,
    metrics: &Metrics,
    diagnostics: &[Diagnostic],
    theme: &Theme,
    options: &Options,
    scope: &Scope,
    sink: &dyn Sink,
) -> Result<Stats, SiteError> {
    let refs = Refs::new(model, metrics);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let base = SiteView {
        firm: model.firm.name.clone(),
        root: String::new(),
        active: "",
        title: String::new(),
        today: format::date(metrics.today),
        revenue_to: format::date(metrics.revenue_to),
        fiscal_year: metrics.fiscal_year,
        errors,
        warnings: diagnostics.len() - errors,
        audience: match options.audience {
            Audience::Full => "full",
            Audience::Wide => "wide",
        },
    };
    let out = Out {
        tera: &theme.tera,
        base,
        base_url: &options.base_url,
        sink,
        pages: AtomicUsize::new(0),
        files: AtomicUsize::new(0),
    };
    // Exports are mostly serial work on big files: they run on one core
    // while the pages use the other.
    let (pages, exports) = rayon::join(
        || pages::render_all(&out, &refs, diagnostics, options, scope),
        || {
            if scope.exports {
                exports::write_all(&out, &refs, options.data_tables)
            } else {
                Ok(())
            }
        },
    );
    pages?;
    exports?;
    if scope.is_all() {
        for (name, bytes) in &theme.statics {
            out.file(name, bytes)?;
        }
    }
    Ok(Stats {
        pages: out.pages.load(Ordering::Relaxed),
        files: out.files.load(Ordering::Relaxed),
    })
}

/// Room for a typical page (a client page is 10–30 KB), so rendering does
/// not grow the buffer by copying it several times.
const PAGE_CAPACITY: usize = 32 * 1024;

/// The render target shared by the page builders.
pub(crate) struct Out<'a> {
    tera: &'a tera::Tera,
    base: SiteView,
    base_url: &'a str,
    sink: &'a dyn Sink,
    pages: AtomicUsize,
    files: AtomicUsize,
}

impl Out<'_> {
    pub fn base_url(&self) -> &str {
        self.base_url
    }

    /// Renders `template` with `page` as `page` and writes it to `path`.
    pub fn page<T: Serialize>(
        &self,
        path: &str,
        template: &str,
        active: &'static str,
        title: &str,
        page: &T,
    ) -> Result<(), SiteError> {
        let mut site = self.base.clone();
        site.root = root_for(path);
        site.active = active;
        site.title = title.to_string();
        let mut ctx = tera::Context::new();
        ctx.insert("site", &site);
        ctx.insert("page", page);
        // Into bytes, not a `String`: tera writes only `str`s, so checking
        // the page is UTF-8 again would read every byte a second time.
        let mut html = Vec::with_capacity(PAGE_CAPACITY);
        self.tera
            .render_to(template, &ctx, &mut html)
            .map_err(|e| SiteError::Template {
                page: path.to_string(),
                message: e.to_string(),
            })?;
        self.pages.fetch_add(1, Ordering::Relaxed);
        self.file(path, &html)
    }

    /// Streams a large file to the sink.
    pub fn stream(
        &self,
        path: &str,
        fill: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<(), SiteError> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.write_with(path, fill).map_err(|e| SiteError::Io {
            path: path.to_string(),
            message: e.to_string(),
        })
    }

    pub fn file(&self, path: &str, bytes: &[u8]) -> Result<(), SiteError> {
        self.files.fetch_add(1, Ordering::Relaxed);
        self.sink.write(path, bytes).map_err(|e| SiteError::Io {
            path: path.to_string(),
            message: e.to_string(),
        })
    }
}
