//! Watching the content folder: which file events can change the site,
//! and the loop that rebuilds after each batch, in two passes.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use super::builder::Unfinished;
use super::{Builder, Notice, Shared, Snapshot};
use crate::diag::CommandError;

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

/// Watches `root` and rebuilds after each debounced batch of changes.
pub(super) fn watch(root: &Path, builder: &mut Builder, shared: &Arc<Shared>) -> i32 {
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
            Err(e) => return cannot_watch(root, &e),
        };
    if let Err(e) = debouncer.watch(root, notify::RecursiveMode::Recursive) {
        return cannot_watch(root, &e);
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
                    Some(Err(Unfinished::Failed(e))) => e.print(),
                    Some(Err(Unfinished::Cancelled)) | None => {}
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

fn cannot_watch(root: &Path, e: &notify::Error) -> i32 {
    CommandError::new("serve", format!("cannot watch `{}`: {e}", root.display()))
        .help("on Linux, raise fs.inotify.max_user_watches; or run `clientele build` instead")
        .print();
    2
}

pub(super) fn open_browser(url: &str) {
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
