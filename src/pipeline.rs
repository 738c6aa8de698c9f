//! The stages every command runs, in order, as one type: load the
//! repository, run the rules, compute the figures while the theme
//! compiles, render the pages into a [`Sink`]. `check` stops after the
//! rules; `build` renders once into a folder; `serve` keeps the pipeline
//! and, after an edit, re-reads and re-checks only what the edit touched.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::diag::Diagnostic;
use crate::load::{Cache, Changes};
use crate::metrics::Metrics;
use crate::model::{Audience, Model};
use crate::rules::{self, Context};
use crate::site::{self, Scope, Sink, SiteError, Stats, Theme, ThemeError};

/// A loaded repository on its way to a site.
pub struct Pipeline {
    cache: Cache,
    findings: Findings,
    /// Compiled on first use, and again after the theme changed.
    theme: Option<Theme>,
    audience: Audience,
    /// `--base-url`, which wins over `base_url` in firm.yaml.
    base_url: Option<String>,
    /// Whether renders write the analysts' tables (`exports/data/`).
    data_tables: bool,
}

/// The rules' verdict on the repository as it is now.
pub struct Checked {
    /// Input problems and rule findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// Every finding was computed afresh (first run, a firm-wide change or
    /// a new day), so every figure and page may have moved.
    pub everything: bool,
}

/// How to get the figures.
pub enum Figures<'a> {
    /// From the whole model.
    Fresh,
    /// From the last figures, recomputing only these clients' own.
    Update(Box<Metrics>, &'a BTreeSet<String>),
}

impl Pipeline {
    /// Stage 1: reads and parses the repository at `root`. Fails only when
    /// `root` is not a folder; every other problem is a diagnostic that
    /// [`Pipeline::check`] reports.
    pub fn load(
        root: &Path,
        audience: Audience,
        base_url: Option<String>,
    ) -> Result<Pipeline, Diagnostic> {
        Ok(Pipeline {
            cache: Cache::load(root)?,
            findings: Findings::default(),
            theme: None,
            audience,
            base_url,
            data_tables: true,
        })
    }

    pub fn root(&self) -> &Path {
        &self.cache.root
    }

    pub fn model(&self) -> &Model {
        &self.cache.model
    }

    /// Re-reads the files that `changed` (absolute or relative to the
    /// root) belong to, and says what that touched: the clients whose
    /// folders changed and, since a domain names one client, the clients
    /// that share an email domain with them before or after the edit.
    pub fn reread(&mut self, changed: &[PathBuf]) -> Changes {
        if changed.is_empty() {
            return Changes::default();
        }
        let mut domains = self.domains_of(changed);
        let mut changes = self.cache.update(changed);
        if changes.theme {
            self.theme = None;
        }
        let model = &self.cache.model;
        for id in &changes.clients {
            if let Some(c) = model.client(id) {
                domains.extend(c.data.domains.iter().map(|d| d.value.to_ascii_lowercase()));
            }
        }
        let sharing: Vec<String> = domains
            .iter()
            .flat_map(|d| model.clients_of_domain(d))
            .map(|c| c.id.clone())
            .collect();
        changes.clients.extend(sharing);
        changes
    }

    /// The email domains of the clients the paths belong to.
    fn domains_of(&self, paths: &[PathBuf]) -> BTreeSet<String> {
        let model = &self.cache.model;
        let root = &self.cache.root;
        paths
            .iter()
            .filter_map(|path| {
                let rel = path.strip_prefix(root).unwrap_or(path).to_string_lossy();
                let (id, _) = crate::model::client_of_path(&rel)?;
                model.client(id)
            })
            .flat_map(|c| c.data.domains.iter().map(|d| d.value.to_ascii_lowercase()))
            .collect()
    }

    /// Stage 2: runs the rules, again only for the clients `changes`
    /// touched when the firm files did not change and the day is the same.
    pub fn check(&mut self, changes: &Changes, today: NaiveDate) -> Checked {
        let everything = self
            .findings
            .update(&self.cache.model, &self.cache.root, changes, today);
        let diagnostics = rules::combine(self.cache.diagnostics(), self.findings.all());
        Checked {
            diagnostics,
            everything,
        }
    }

    /// Narrows the model to what the audience may see, and the diagnostics
    /// with it; rules have run on everything before this. Serve's
    /// incremental state is not kept: this is for a build, which renders once.
    pub fn narrow(&mut self, diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
        let visible = self.cache.model.diagnostics_for(self.audience, diagnostics);
        let model = std::mem::take(&mut self.cache.model);
        self.cache.model = model.for_audience(self.audience);
        self.findings = Findings::default();
        visible
    }

    /// Stages 3 and 4: the figures, computed while the theme compiles
    /// (when it is not compiled yet).
    pub fn figures(
        &mut self,
        diagnostics: &[Diagnostic],
        today: NaiveDate,
        how: Figures,
    ) -> Result<Metrics, ThemeError> {
        let model = &self.cache.model;
        let root = &self.cache.root;
        let compile = self.theme.is_none();
        let (metrics, theme) = rayon::join(
            || match how {
                Figures::Fresh => Metrics::compute(model, diagnostics, today),
                Figures::Update(mut metrics, clients) => {
                    metrics.update_clients(model, diagnostics, clients);
                    *metrics
                }
            },
            || compile.then(|| Theme::load(root)),
        );
        if let Some(theme) = theme {
            self.theme = Some(theme?);
        }
        Ok(metrics)
    }

    /// Stage 5: renders `scope` into `sink` with the theme compiled by
    /// [`Pipeline::figures`].
    pub fn render(
        &self,
        metrics: &Metrics,
        diagnostics: &[Diagnostic],
        scope: &Scope,
        sink: &dyn Sink,
    ) -> Result<Stats, SiteError> {
        let theme = self.theme.as_ref().ok_or_else(|| SiteError::Template {
            page: String::from("(any)"),
            message: String::from("the theme was not compiled before rendering"),
        })?;
        let model = &self.cache.model;
        let options = site::Options {
            content: self.cache.root.clone(),
            audience: self.audience,
            base_url: model.firm.base_url_or(self.base_url.as_deref()),
            data_tables: self.data_tables,
        };
        site::render(model, metrics, diagnostics, theme, &options, scope, sink)
    }

    /// Renders leave out the analysts' exports: `exports/model.json`,
    /// `exports/data/` and `exports/series.csv` (for `serve`).
    pub fn without_data_tables(mut self) -> Pipeline {
        self.data_tables = false;
        self
    }

    /// The base URL the site is rendered for.
    pub fn base_url(&self) -> String {
        self.cache.model.firm.base_url_or(self.base_url.as_deref())
    }

    /// Gives the loaded model away, for a command that is about to exit.
    pub fn into_model(self) -> Model {
        self.cache.model
    }
}

/// Rule findings kept between checks: an edit re-runs the rules for the
/// clients it touched, and the firm-wide part only when firm files, the
/// team or the financials change.
#[derive(Default)]
struct Findings {
    /// `None` until the first full run, and after a change to firm files.
    firm: Option<Vec<Diagnostic>>,
    /// By client id, so that every finding comes out in the order a full
    /// run of the rules gives.
    clients: BTreeMap<String, Vec<Diagnostic>>,
    /// The day they were computed for: serve runs across midnight, and
    /// most findings are relative to the day.
    day: Option<NaiveDate>,
}

impl Findings {
    /// Brings the findings up to date with `model` after `changes`; says
    /// whether every finding was computed again.
    /// Findings on CSV rows are moved to their cells as they are computed
    /// (see `load::place_cells`), so an edit re-reads only the tables of
    /// what it touched, never revenue.csv for an edited note.
    fn update(&mut self, model: &Model, root: &Path, changes: &Changes, today: NaiveDate) -> bool {
        use rayon::prelude::*;
        let ctx = Context { today };
        let placed = |mut found: Vec<Diagnostic>| {
            crate::load::place_cells(root, &mut found);
            found
        };
        if changes.global || self.firm.is_none() || self.day != Some(today) {
            self.day = Some(today);
            self.firm = Some(placed(rules::run_firm(model, &ctx)));
            self.clients = model
                .clients
                .par_iter()
                .with_max_len(crate::CLIENTS_PER_TASK)
                .map(|c| (c.id.clone(), placed(rules::run_client(model, c, &ctx))))
                .collect();
            return true;
        }
        for id in &changes.clients {
            match model.client(id) {
                Some(c) => self
                    .clients
                    .insert(id.clone(), placed(rules::run_client(model, c, &ctx))),
                None => self.clients.remove(id),
            };
        }
        false
    }

    /// Every finding, unsorted.
    fn all(&self) -> Vec<Diagnostic> {
        let firm = self.firm.iter().flatten();
        firm.chain(self.clients.values().flatten())
            .cloned()
            .collect()
    }
}
