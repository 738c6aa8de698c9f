//! Test harness: lay a fixture repository out in a temporary folder and run
//! the real binary on it. A fixture is `tests/fixtures/base/` with an
//! overlay from `tests/fixtures/<case>/` copied on top; paths listed in the
//! overlay's `REMOVE` file are deleted. Each overlay holds only the files
//! its case changes, so it is plain what the case breaks.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;
use tempfile::TempDir;

pub const TODAY: &str = "2026-11-22";

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The base repository with `overlay` applied, in a fresh temp folder.
pub fn repo(overlay: &str) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_tree(&fixtures().join("base"), dir.path());
    if !overlay.is_empty() {
        let over = fixtures().join(overlay);
        assert!(over.is_dir(), "no fixture {overlay}");
        copy_tree(&over, dir.path());
        let _ = std::fs::remove_file(dir.path().join("REMOVE"));
        if let Ok(list) = std::fs::read_to_string(over.join("REMOVE")) {
            for rel in list.lines().filter(|l| !l.trim().is_empty()) {
                std::fs::remove_file(dir.path().join(rel.trim()))
                    .expect("REMOVE lists a file of the base");
            }
        }
    }
    dir
}

pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let rel = entry.path().strip_prefix(from).expect("prefix");
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

pub fn clientele() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(env!("CARGO_BIN_EXE_clientele"));
    cmd.env("NO_COLOR", "1");
    // Tests run the same under GitHub Actions as anywhere else.
    for var in [
        "GITHUB_ACTIONS",
        "GITHUB_WORKSPACE",
        "GITHUB_BASE_REF",
        "GITHUB_STEP_SUMMARY",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// `clientele check <dir> --today TODAY [extra]`.
pub fn check(dir: &Path, extra: &[&str]) -> Output {
    clientele()
        .arg("check")
        .arg(dir)
        .args(["--today", TODAY])
        .args(extra)
        .output()
        .expect("run clientele")
}

/// Adds `count` untiered clients `z000`, `z001`, ... owned by `bob` to the
/// repository at `root`; returns their folders.
pub fn add_clients(root: &Path, count: usize) -> Vec<PathBuf> {
    (0..count)
        .map(|i| {
            let folder = root.join(format!("clients/z{i:03}"));
            std::fs::create_dir_all(&folder).expect("client folder");
            std::fs::write(
                folder.join("client.yaml"),
                format!("name: Zed Client {i}\ncoverage:\n  owner: bob\n"),
            )
            .expect("client.yaml");
            folder
        })
        .collect()
}

/// `clientele build <content> --out <out> --today TODAY [extra]`.
pub fn build(content: &Path, out: &Path, extra: &[&str]) -> Output {
    clientele()
        .arg("build")
        .arg(content)
        .arg("--out")
        .arg(out)
        .args(["--today", TODAY])
        .args(extra)
        .output()
        .expect("run clientele build")
}

/// One diagnostic of `--format json`.
#[derive(Debug, Clone)]
pub struct Found {
    pub rule: String,
    pub severity: String,
    pub file: String,
    pub line: u64,
    pub column: u64,
    pub message: String,
    pub help: String,
}

/// Runs `check --format json` and returns the exit code and diagnostics.
pub fn check_json(dir: &Path) -> (i32, Vec<Found>) {
    let out = check(dir, &["--format", "json"]);
    let stdout = String::from_utf8(out.stdout).expect("utf-8 output");
    let found = stdout
        .lines()
        .map(|line| {
            let v: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("bad JSON line {line}: {e}"));
            let s = |k: &str| v[k].as_str().unwrap_or_default().to_string();
            Found {
                rule: s("rule"),
                severity: s("severity"),
                file: s("file"),
                line: v["line"].as_u64().unwrap_or(0),
                column: v["column"].as_u64().unwrap_or(0),
                message: s("message"),
                help: s("help"),
            }
        })
        .collect();
    (out.status.code().expect("exit code"), found)
}

/// `check` run from inside the repo (so paths print as `.`), human format:
/// the stable text for snapshots.
pub fn check_human(dir: &Path) -> (i32, String) {
    let out = clientele()
        .current_dir(dir)
        .args(["check", ".", "--today", TODAY])
        .output()
        .expect("run clientele");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file under `dir` with its bytes, sorted: what a command that must
/// write nothing is compared against.
pub fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect();
    all.sort();
    all
}

/// `clientele import <args> --dir DIR --today TODAY`: exit code, stdout
/// and stderr.
pub fn import(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = clientele()
        .arg("import")
        .args(args)
        .arg("--dir")
        .arg(dir)
        .args(["--today", TODAY])
        .output()
        .expect("run clientele");
    (
        out.status.code().expect("exit code"),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Replaces `from` (which must be there) with `to` in the file `rel`.
pub fn edit(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("file to edit");
    assert!(text.contains(from), "{rel} has no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
}

/// Adds `lines` at the end of the file `rel`.
pub fn append(root: &Path, rel: &str, lines: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).expect("file to append to");
    std::fs::write(&path, format!("{text}{lines}")).expect("write");
}

/// Builds `root` into `root/public` with `--allow-errors` and returns the
/// site folder; the build must succeed.
pub fn build_site(root: &Path) -> PathBuf {
    let site = root.join("public");
    let out = build(root, &site, &["--allow-errors"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    site
}

/// `git ARGS` in `dir` as a test author, dated noon UTC on `date`.
pub fn git_on(dir: &Path, date: &str, args: &[&str]) {
    let done = std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@testfirm.co.uk")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@testfirm.co.uk")
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00Z"))
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00Z"))
        .output()
        .expect("git runs");
    assert!(done.status.success(), "git {args:?}: {done:?}");
}

/// The `<td>` cells of one table row's HTML, as written (markup inside a
/// cell kept).
pub fn cells(row: &str) -> Vec<String> {
    row.split("<td")
        .skip(1)
        .map(|c| {
            let text = &c[c.find('>').expect("a cell's tag ends") + 1..];
            text[..text.find("</td>").expect("a cell ends")].to_string()
        })
        .collect()
}

/// A page's text: tags become spaces, runs of white space one space.
pub fn text(html: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for ch in html.chars() {
        match ch {
            '<' => inside = true,
            '>' => {
                inside = false;
                out.push(' ');
            }
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
