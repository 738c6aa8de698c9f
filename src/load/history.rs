//! When each client's `plan.md` was committed, from git: what tells the
//! `plan-changed` rule whether a review that says it changed the plan did.
//! Outside a git repository, or without git, there is no history and the
//! rule says nothing.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;

/// Client id to the days its `plan.md` was committed, oldest first.
pub fn plan_commits(root: &Path) -> HashMap<String, Vec<NaiveDate>> {
    let mut out: HashMap<String, Vec<NaiveDate>> = HashMap::new();
    // `git log` reads no index and runs no hook; the fsmonitor is switched
    // off all the same, so a repository's config cannot run a program.
    let Ok(done) = Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "-c",
            "core.fsmonitor=false",
            "log",
            "--relative",
            "--no-renames",
            "--format=%x01%cs",
            "--name-only",
            "--",
            "clients/*/plan.md",
        ])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
    else {
        return out;
    };
    if !done.status.success() {
        return out;
    }
    let text = String::from_utf8_lossy(&done.stdout);
    let mut day = None;
    for line in text.lines() {
        if let Some(date) = line.strip_prefix('\u{1}') {
            day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
        } else if let (Some(d), Some(id)) = (
            day,
            line.strip_prefix("clients/")
                .and_then(|rest| rest.strip_suffix("/plan.md")),
        ) {
            out.entry(id.to_string()).or_default().push(d);
        }
    }
    for days in out.values_mut() {
        days.sort_unstable();
        days.dedup();
    }
    out
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
