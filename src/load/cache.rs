//! The repository as loaded units (firm, charter, strategy, each person,
//! each client, financials), each with its own input diagnostics. A full
//! load parses every unit in parallel; `update` re-parses only the units an
//! edit touched, so `serve` rebuilds in proportion to the change.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::client::{load_client, parse_listed, read_yaml};
use super::financials::load_financials;
use super::{list_dir, required_yaml, Entry};
use crate::diag::{Diagnostic, Severity, Stage};
use crate::model::{Client, Financials, Model, Person, Source};

/// A loaded repository that can be brought up to date file by file.
pub struct Cache {
    pub root: PathBuf,
    pub model: Model,
    /// Input diagnostics by unit key: `firm`, `person/<id>`, `client/<id>`...
    units: BTreeMap<String, Vec<Diagnostic>>,
}

/// What an update touched, for deciding which pages to render again.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// Clients whose folder changed (added, edited or removed), and those
    /// whose findings depend on them (sharing an email domain).
    pub clients: BTreeSet<String>,
    /// Something every page may show changed: firm, charter, strategy,
    /// people, financials or the theme.
    pub global: bool,
    /// The theme changed: templates must be compiled again.
    pub theme: bool,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty() && !self.global && !self.theme
    }
}

impl Cache {
    /// Loads everything. Fails only when `root` is not a folder.
    pub fn load(root: &Path) -> Result<Cache, Diagnostic> {
        if !root.is_dir() {
            return Err(Diagnostic {
                rule: crate::diag::inputs::MISSING_FOLDER,
                severity: Severity::Error,
                stage: Stage::Input,
                message: format!("`{}` is not a folder", root.display()),
                span: None,
                label: None,
                help: Some(String::from("pass the folder of your plans repository, e.g. `clientele check content`; `clientele init` creates one")),
                note: None,
                cell: None,
            });
        }
        let mut cache = Cache {
            root: root.to_path_buf(),
            model: Model::default(),
            units: BTreeMap::new(),
        };
        cache.model.firm_src = Source::new("firm.yaml", 0);
        cache.model.charter_src = Source::new("charter.yaml", 0);
        cache.model.strategy_src = Source::new("strategy.yaml", 0);
        cache.reload_firm_files();
        cache.reload_team(None);
        cache
            .units
            .insert(String::from("theme"), super::unread::theme_problems(root));
        cache
            .units
            .insert(String::from("layout"), super::unread::layout_problems(root));
        // revenue.csv is one large file (35 MB in the benchmark firm): it is
        // read beside the client folders, not before or after them.
        let datasets = &cache.model.firm.datasets;
        let ((financials, git), (listing, dirs, loaded)) = rayon::join(
            || {
                rayon::join(
                    || load_financials(root, datasets),
                    || super::history::read(root),
                )
            },
            || {
                let mut listing = Vec::new();
                let dirs: Vec<Entry> = list_dir(root, "clients", &mut listing)
                    .into_iter()
                    .filter(|e| !e.is_file)
                    .collect();
                // Straight into two vectors: the benchmark firm's clients,
                // 600 bytes each, are not worth moving twice.
                let loaded: (Vec<Option<Client>>, Vec<Vec<Diagnostic>>) = dirs
                    .par_iter()
                    .with_max_len(crate::CLIENTS_PER_TASK)
                    .map(|e| load_client(root, &e.stem, datasets))
                    .unzip();
                (listing, dirs, loaded)
            },
        );
        cache.set_financials(financials);
        cache.model.git = git;
        cache.units.insert(String::from("clients"), listing);
        cache.model.client_ids = dirs.iter().map(|e| e.stem.clone()).collect();
        let (clients, diags) = loaded;
        // `filter_map` collects in place (an `Option<Client>` is the size
        // of a `Client`); `flatten` does not, and grew a new vector by
        // doubling: every client moved and its pages faulted in twice.
        #[allow(clippy::filter_map_identity)]
        let kept = clients.into_iter().filter_map(|c| c).collect();
        cache.model.clients = kept;
        // Built from sorted keys in bulk, then merged, rather than one
        // insert per client.
        let mut units: BTreeMap<String, Vec<Diagnostic>> = dirs
            .into_iter()
            .zip(diags)
            .map(|(e, diags)| (format!("client/{}", e.stem), diags))
            .collect();
        cache.units.append(&mut units);
        cache.model.client_ids.sort();
        cache.model.reindex();
        Ok(cache)
    }

    /// Every input diagnostic, in unit order.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.units.values().flatten().cloned().collect()
    }

    /// Re-reads what the changed paths (absolute or relative to the root)
    /// belong to.
    pub fn update(&mut self, paths: &[PathBuf]) -> Changes {
        let mut changes = Changes::default();
        let mut team_files = BTreeSet::new();
        let mut firm_files = false;
        let mut financials = false;
        let mut layout = false;
        for path in paths {
            let rel = path.strip_prefix(&self.root).unwrap_or(path);
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            // What `unread::layout_problems` looks at.
            layout |= parts.len() == 1
                || (parts.len() == 2 && matches!(parts[0].as_str(), "team" | "financials"));
            match parts
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["firm.yaml" | "charter.yaml" | "strategy.yaml"] => firm_files = true,
                ["team", file, ..] => {
                    team_files.insert(
                        file.rsplit_once('.')
                            .map_or(file.to_string(), |(s, _)| s.to_string()),
                    );
                }
                ["clients", id, ..] => {
                    changes.clients.insert(id.to_string());
                }
                ["financials", ..] => financials = true,
                ["themes", ..] => changes.theme = true,
                _ => {}
            }
        }
        if layout {
            let problems = super::unread::layout_problems(&self.root);
            self.units.insert(String::from("layout"), problems);
        }
        if changes.theme {
            let problems = super::unread::theme_problems(&self.root);
            self.units.insert(String::from("theme"), problems);
        }
        if firm_files {
            let datasets = self.model.firm.datasets.clone();
            self.reload_firm_files();
            changes.global = true;
            if self.model.firm.datasets != datasets {
                // What every data file is read as changed.
                financials = true;
                changes
                    .clients
                    .extend(self.model.client_ids.iter().cloned());
            }
        }
        if !team_files.is_empty() {
            self.reload_team(Some(&team_files));
            changes.global = true;
        }
        if financials {
            self.reload_financials();
            changes.global = true;
        }
        // Clients added or removed move the others: index again.
        let mut moved = !team_files.is_empty();
        for id in &changes.clients {
            if self.reload_client(id) {
                changes.global = true;
                moved = true;
            }
        }
        if moved {
            self.model.reindex();
        }
        changes
    }

    fn reload_firm_files(&mut self) {
        let root = self.root.clone();
        match required_yaml::<crate::model::Firm>(&root, &self.model.firm_src.file.clone()) {
            Ok(mut firm) => {
                let mut diags = Vec::new();
                if let Some(base) = &firm.base_url {
                    if let Err(why) = crate::model::check_base_url(base) {
                        diags.push(
                            Diagnostic::input(
                                crate::diag::inputs::INVALID_VALUE,
                                self.model.firm_src.span(base),
                                format!("`base_url` is not usable: {why}"),
                            )
                            .with_help("write a path such as `/portal/` or an address such as `https://intranet.example/portal/`"),
                        );
                        firm.base_url = None;
                    }
                }
                let month = &firm.fiscal_year_start_month;
                if !(1..=12).contains(&month.value) {
                    diags.push(
                        Diagnostic::input(
                            crate::diag::inputs::INVALID_VALUE,
                            self.model.firm_src.span_of(month),
                            format!(
                                "`fiscal_year_start_month` is {}: months are numbered 1 to 12",
                                month.value
                            ),
                        )
                        .with_label("not a month")
                        .with_help("write 1 for a year from January, 4 for April, 10 for October; the quarters are counted from January until this is fixed"),
                    );
                    firm.fiscal_year_start_month.value = 1;
                }
                let defaults = crate::model::OutlierThresholds::default();
                for (value, default) in [
                    (&mut firm.outliers.change_percent, defaults.change_percent),
                    (&mut firm.outliers.budget_percent, defaults.budget_percent),
                    (&mut firm.outliers.min_revenue, defaults.min_revenue),
                ] {
                    if !(value.value >= 0.0 && value.value.is_finite()) {
                        diags.push(
                            Diagnostic::input(
                                crate::diag::inputs::INVALID_VALUE,
                                self.model.firm_src.span_of(value),
                                format!("an outlier threshold of {} cannot be used", value.value),
                            )
                            .with_help("outlier thresholds are 0 or more: percentages such as 50, amounts such as 10000; until fixed, the default is used"),
                        );
                        *value = default;
                    }
                }
                diags.extend(segment_problems(&mut firm, &self.model.firm_src));
                diags.extend(super::datasets::declaration_problems(
                    &mut firm,
                    &self.model.firm_src,
                ));
                if let Some(zone) = &firm.timezone {
                    if zone.value.parse::<chrono_tz::Tz>().is_err() {
                        diags.push(
                            Diagnostic::input(
                                crate::diag::inputs::INVALID_VALUE,
                                self.model.firm_src.span(zone),
                                format!("`{}` is not a time zone", zone.value),
                            )
                            .with_help("write an IANA time zone name, e.g. `Europe/London` or `America/New_York`"),
                        );
                        firm.timezone = None;
                    }
                }
                self.model.firm = firm;
                self.units.insert(String::from("firm"), diags);
            }
            Err(found) => {
                self.model.firm = Default::default();
                self.units
                    .insert(String::from("firm"), firm_defaults(found));
            }
        }
        match required_yaml(&root, &self.model.charter_src.file.clone()) {
            Ok(charter) => {
                self.model.charter = Some(charter);
                self.units.insert(String::from("charter"), Vec::new());
            }
            Err(found) => {
                self.model.charter = None;
                self.units.insert(String::from("charter"), found);
            }
        }
        let strategy_file = self.model.strategy_src.file.clone();
        let mut diags = Vec::new();
        self.model.strategy = if root.join(&*strategy_file).exists() {
            read_yaml(&root, &strategy_file).unwrap_or_else(|found| {
                diags.extend(found);
                Default::default()
            })
        } else {
            Default::default()
        };
        self.units.insert(String::from("strategy"), diags);
    }

    /// Re-lists `team/` and parses the named files (all when `None`).
    fn reload_team(&mut self, only: Option<&BTreeSet<String>>) {
        let mut listing = Vec::new();
        let team: Vec<Entry> = list_dir(&self.root, "team", &mut listing)
            .into_iter()
            .filter(|e| e.is_file && (e.rel.ends_with(".yaml") || e.rel.ends_with(".yml")))
            .collect();
        self.units.insert(String::from("team"), listing);
        self.model.person_ids = team.iter().map(|e| e.stem.clone()).collect();
        self.model.person_ids.sort();
        let wanted: Vec<&Entry> = team
            .iter()
            .filter(|e| only.is_none_or(|o| o.contains(&e.stem)))
            .collect();
        let root = &self.root;
        let parsed: Vec<(String, Result<Person, Vec<Diagnostic>>)> = wanted
            .par_iter()
            .map(|e| {
                let person = parse_listed(root, &e.rel).map(|data| Person {
                    id: e.stem.clone(),
                    src: Source {
                        file: Arc::clone(&e.rel),
                        line_offset: 0,
                    },
                    data,
                });
                (e.stem.clone(), person)
            })
            .collect();
        let ids = &self.model.person_ids;
        // Drop people whose file is gone, and the ones about to be replaced.
        let replaced: BTreeSet<&str> = parsed.iter().map(|(id, _)| id.as_str()).collect();
        self.model
            .people
            .retain(|p| ids.binary_search(&p.id).is_ok() && !replaced.contains(p.id.as_str()));
        self.units.retain(|k, _| {
            !k.starts_with("person/")
                || k.strip_prefix("person/")
                    .is_some_and(|id| ids.binary_search_by(|x| x.as_str().cmp(id)).is_ok())
        });
        for (id, result) in parsed {
            match result {
                Ok(p) => {
                    self.model.people.push(p);
                    self.units.insert(format!("person/{id}"), Vec::new());
                }
                Err(found) => {
                    self.units.insert(format!("person/{id}"), found);
                }
            }
        }
    }

    /// Reloads one client; true when it appeared or disappeared, which
    /// moves every client after it in the lists.
    fn reload_client(&mut self, id: &str) -> bool {
        // Edited in place: the client keeps its slot and the index holds.
        if let Some(&i) = self.model.index.clients.get(id) {
            if self.root.join("clients").join(id).is_dir() {
                if let (Some(client), diags) =
                    load_client(&self.root, id, &self.model.firm.datasets)
                {
                    self.model.replace_client(i, client);
                    self.units.insert(format!("client/{id}"), diags);
                    return false;
                }
            }
        }
        let was_loaded = self.model.clients.iter().any(|c| c.id == id);
        let exists = self.root.join("clients").join(id).is_dir();
        self.model.clients.retain(|c| c.id != id);
        self.units.remove(&format!("client/{id}"));
        let known = self
            .model
            .client_ids
            .binary_search_by(|x| x.as_str().cmp(id));
        let mut listing = Vec::new();
        match (exists, known) {
            (true, Ok(_)) | (false, Err(_)) => {}
            _ => {
                // Added or removed: list the folder again for ids and ignored names.
                let dirs = list_dir(&self.root, "clients", &mut listing);
                self.model.client_ids = dirs
                    .into_iter()
                    .filter(|e| !e.is_file)
                    .map(|e| e.stem)
                    .collect();
                self.model.client_ids.sort();
                self.units.insert(String::from("clients"), listing);
            }
        }
        if exists
            && self
                .model
                .client_ids
                .binary_search_by(|x| x.as_str().cmp(id))
                .is_ok()
        {
            let (client, diags) = load_client(&self.root, id, &self.model.firm.datasets);
            self.model.clients.extend(client);
            self.units.insert(format!("client/{id}"), diags);
        }
        was_loaded != self.model.clients.iter().any(|c| c.id == id)
    }

    fn reload_financials(&mut self) {
        let loaded = load_financials(&self.root, &self.model.firm.datasets);
        self.set_financials(loaded);
    }

    fn set_financials(&mut self, (financials, diags): (Financials, Vec<Diagnostic>)) {
        self.model.financials = financials;
        self.units.insert(String::from("financials"), diags);
    }
}

/// The problems of a firm.yaml that could not be read, the first saying
/// what the check went on with instead.
fn firm_defaults(mut found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let firm = crate::model::Firm::default();
    if let Some(first) = found.first_mut() {
        first.note = Some(format!(
            "until firm.yaml can be read, clientele uses its defaults: amounts in {}, the fiscal year from January, the time zone UTC, no firm email domains, no base_url, and every rule at its own severity",
            firm.currency
        ));
    }
    found
}

/// Segment ids and values name pages (`segments/style/value.html`): one
/// that cannot is reported and left out.
fn segment_problems(firm: &mut crate::model::Firm, src: &Source) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for dimension in &mut firm.segment_dimensions {
        let names = std::iter::once(&dimension.id).chain(&dimension.values);
        let bad: Vec<&crate::model::Spanned<String>> =
            names.filter(|n| !super::is_valid_id(&n.value)).collect();
        for name in &bad {
            diags.push(
                Diagnostic::input(
                    crate::diag::inputs::INVALID_ID,
                    src.span(name),
                    format!("`{}` cannot name a segment page", name.value),
                )
                .with_help(format!("segment dimensions and values become page names: lower-case letters, digits, `-`, `_` and `.`, such as `{}`", super::slugify(&name.value))),
            );
        }
        let any_bad = !bad.is_empty();
        if any_bad {
            dimension.values.retain(|v| super::is_valid_id(&v.value));
        }
    }
    firm.segment_dimensions
        .retain(|d| super::is_valid_id(&d.id.value));
    diags
}
