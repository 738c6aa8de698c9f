//! The history of the client folders, from git, read with gix (no `git`
//! process): what changed in each client's folder, commit by commit, for
//! the client page's "changed since the last review", and the days each
//! `plan.md` was committed, for the `plan-changed` rule. Outside a git
//! repository, or with `--no-git`, there is no history and both say
//! nothing. `changed_files` (for `check --changed-from`) still asks git
//! itself, as it needs the working tree and the untracked files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::NaiveDate;

/// The most commits read, newest first: a plans repository's history of
/// several years; an older history is said to stop there.
pub const MAX_COMMITS: usize = 5000;

/// The most changes kept per client, newest first.
const MAX_CHANGES: usize = 100;

/// The most files named per change.
const MAX_FILES: usize = 20;

static DISABLED: AtomicBool = AtomicBool::new(false);

/// `--no-git`: this process reads no history.
pub fn disable() {
    DISABLED.store(true, Ordering::Relaxed);
}

/// What git says about the client folders.
#[derive(Clone, Debug, Default)]
pub struct GitHistory {
    /// Whether a git repository with a commit holds the content folder.
    pub found: bool,
    /// A shallow clone: its history stops at the depth it was cloned with.
    pub shallow: bool,
    /// Whether the walk stopped at [`MAX_COMMITS`] before the first commit.
    pub truncated: bool,
    /// Per client id, the commits that changed its folder, newest first
    /// (merges left out, as `git log --no-merges` does).
    pub clients: HashMap<String, Vec<FolderChange>>,
    /// Per client id, the days its `plan.md` was committed, oldest first.
    pub plan_commits: HashMap<String, Vec<NaiveDate>>,
}

/// One commit's changes to one client's folder.
#[derive(Clone, Debug, PartialEq)]
pub struct FolderChange {
    /// The day it was committed, in the committer's time zone.
    pub date: NaiveDate,
    pub author: String,
    /// The first line of its message.
    pub subject: String,
    /// The files it added, changed or deleted, relative to the client's
    /// folder; twenty at most.
    pub files: Vec<String>,
    /// How many files it touched in all.
    pub touched: usize,
}

/// Reads the history of `root`'s client folders; empty outside a git
/// repository, and after [`disable`].
pub fn read(root: &Path) -> GitHistory {
    if DISABLED.load(Ordering::Relaxed) {
        return GitHistory::default();
    }
    walk(root).unwrap_or_default()
}

/// The content folder's path inside the repository's work tree.
fn inside(repo: &gix::Repository, root: &Path) -> Option<PathBuf> {
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    root.strip_prefix(&workdir).ok().map(Path::to_path_buf)
}

fn walk(root: &Path) -> Option<GitHistory> {
    let repo = gix::discover(root).ok()?;
    let clients_path = inside(&repo, root)?.join("clients");
    let mut history = GitHistory {
        found: true,
        shallow: repo.is_shallow().unwrap_or(false),
        ..GitHistory::default()
    };
    let Ok(head) = repo.head_commit() else {
        // A repository without a commit yet: nothing changed.
        return Some(history);
    };
    let walk = repo.rev_walk([head.id]).all().ok()?;
    let mut seen = 0;
    for info in walk {
        let Ok(info) = info else { break };
        seen += 1;
        if seen > MAX_COMMITS {
            history.truncated = true;
            break;
        }
        if info.parent_ids.len() > 1 {
            continue;
        }
        let Ok(commit) = info.object() else { continue };
        let folder = |id: gix::ObjectId| -> Option<gix::ObjectId> {
            let tree = repo.find_commit(id).ok()?.tree().ok()?;
            let entry = tree.lookup_entry_by_path(&clients_path).ok()??;
            entry.mode().is_tree().then(|| entry.object_id())
        };
        let new = folder(info.id);
        // The parent the commit names; at a shallow clone's boundary it is
        // not in the repository, and what the commit changed is unknown
        // (not "every file"), so it is left out.
        let old = match commit.parent_ids().next() {
            None => None,
            Some(parent) if repo.find_commit(parent.detach()).is_ok() => folder(parent.detach()),
            Some(_) => continue,
        };
        if new == old {
            continue;
        }
        let mut changed: BTreeMap<String, Vec<String>> = BTreeMap::new();
        diff(&repo, old, new, "", &mut |path| {
            if let Some((client, file)) = path.split_once('/') {
                changed
                    .entry(client.to_string())
                    .or_default()
                    .push(file.to_string());
            }
        });
        if changed.is_empty() {
            continue;
        }
        let (date, author, subject) = describe(&commit)?;
        for (client, files) in changed {
            if files.iter().any(|f| f == "plan.md") {
                history
                    .plan_commits
                    .entry(client.clone())
                    .or_default()
                    .push(date);
            }
            let list = history.clients.entry(client).or_default();
            if list.len() < MAX_CHANGES {
                list.push(FolderChange {
                    date,
                    author: author.clone(),
                    subject: subject.clone(),
                    touched: files.len(),
                    files: files.into_iter().take(MAX_FILES).collect(),
                });
            }
        }
    }
    for days in history.plan_commits.values_mut() {
        days.sort_unstable();
        days.dedup();
    }
    // The walk goes breadth first: after a merge, newest first by day.
    for changes in history.clients.values_mut() {
        changes.sort_by_key(|c| std::cmp::Reverse(c.date));
    }
    Some(history)
}

/// A commit's day (in its committer's zone), author and subject.
fn describe(commit: &gix::Commit<'_>) -> Option<(NaiveDate, String, String)> {
    let time = commit.time().ok()?;
    let local = time.seconds + i64::from(time.offset);
    let date = chrono::DateTime::from_timestamp(local, 0)?.date_naive();
    let author = commit
        .author()
        .map(|a| a.name.to_string())
        .unwrap_or_default();
    let message = commit.message_raw_sloppy().to_string();
    let subject = message.lines().next().unwrap_or("").trim().to_string();
    Some((date, author, subject))
}

/// Calls `each` with the path (under `prefix`) of every file that differs
/// between two trees; a subtree with the same id on both sides is skipped
/// unread.
fn diff(
    repo: &gix::Repository,
    old: Option<gix::ObjectId>,
    new: Option<gix::ObjectId>,
    prefix: &str,
    each: &mut dyn FnMut(&str),
) {
    let entries = |id: Option<gix::ObjectId>| -> BTreeMap<String, (bool, gix::ObjectId)> {
        let Some(tree) = id.and_then(|id| repo.find_tree(id).ok()) else {
            return BTreeMap::new();
        };
        let Ok(decoded) = tree.decode() else {
            return BTreeMap::new();
        };
        decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_string(), (e.mode.is_tree(), e.oid.to_owned())))
            .collect()
    };
    let (before, after) = (entries(old), entries(new));
    let names: std::collections::BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for name in names {
        let (a, b) = (before.get(name), after.get(name));
        if a == b {
            continue;
        }
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}/{name}")
        };
        let tree =
            |side: Option<&(bool, gix::ObjectId)>| side.filter(|(t, _)| *t).map(|(_, id)| *id);
        let (old_tree, new_tree) = (tree(a), tree(b));
        if old_tree.is_some() || new_tree.is_some() {
            diff(repo, old_tree, new_tree, &path, each);
        }
        let file = |side: Option<&(bool, gix::ObjectId)>| side.is_some_and(|(t, _)| !t);
        if file(a) || file(b) {
            each(&path);
        }
    }
}

/// The files under `root` that differ from `rev`: changed since the commit
/// where the current branch left `rev` (committed or not), and new files
/// git does not ignore. Paths are relative to `root`, as diagnostics give
/// them. `Err` says why git could not tell.
pub fn changed_files(root: &Path, rev: &str) -> Result<HashSet<String>, String> {
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let git = |args: &[&str]| -> Result<String, String> {
        let done = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(["-c", "core.fsmonitor=false"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| format!("cannot run git: {e}"))?;
        if !done.status.success() {
            let why = String::from_utf8_lossy(&done.stderr);
            return Err(why.lines().next().unwrap_or("git failed").to_string());
        }
        Ok(String::from_utf8_lossy(&done.stdout).into_owned())
    };
    let changed = git(&[
        "diff",
        "--name-only",
        "--relative",
        "--no-renames",
        "--no-ext-diff",
        "--no-textconv",
        "--merge-base",
        rev,
        "--",
    ])?;
    let new = git(&["ls-files", "--others", "--exclude-standard"])?;
    Ok(changed
        .lines()
        .chain(new.lines())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect())
}
