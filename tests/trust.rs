//! What a hostile tester tried against the output folder: links and
//! look-alike folders beside it, files a person added to it, two builds at
//! once, pages edited by hand. Nothing the user wrote may be lost.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

use common::{build, clientele, repo, TODAY};

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file under `dir`, as sorted relative paths.
fn files(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    all.sort();
    all
}

#[test]
fn a_link_named_like_a_staging_folder_deletes_nothing() {
    for name in [".public.clientele-old", ".public.clientele-new"] {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        common::copy_tree(&common::fixtures().join("base"), &content);
        let before = files(&content);
        let site = dir.path().join("public");
        assert_eq!(code(&build(&content, &site, &[])), 0);
        std::os::unix::fs::symlink(&content, dir.path().join(name)).unwrap();
        let o = build(&content, &site, &[]);
        assert_eq!(code(&o), 2, "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(name), "names the path: {}", stderr(&o));
        assert_eq!(files(&content), before, "{name}: the content is intact");
        assert!(site.join("index.html").is_file(), "the old site stays");
    }
}

#[test]
fn a_folder_of_the_users_named_like_a_staging_folder_is_kept() {
    for name in [".public.clientele-old", ".public.clientele-new"] {
        let dir = repo("");
        let site = dir.path().join("public");
        let theirs = dir.path().join(name);
        fs::create_dir_all(&theirs).unwrap();
        fs::write(theirs.join("mine.txt"), "precious").unwrap();
        let o = build(dir.path(), &site, &[]);
        assert_eq!(code(&o), 2, "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains(name), "{}", stderr(&o));
        assert_eq!(
            fs::read_to_string(theirs.join("mine.txt")).unwrap(),
            "precious"
        );
    }
}

#[test]
fn files_a_person_adds_to_the_output_survive_rebuilds() {
    let dir = repo("");
    let site = dir.path().join("public");
    assert_eq!(code(&build(dir.path(), &site, &[])), 0);
    fs::write(site.join("CNAME"), "portal.example.com\n").unwrap();
    fs::create_dir_all(site.join(".git/refs")).unwrap();
    fs::write(site.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    fs::write(site.join("clients/acme/notes.txt"), "by hand").unwrap();
    for _ in 0..2 {
        let o = build(dir.path(), &site, &[]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(
            fs::read_to_string(site.join("CNAME")).unwrap(),
            "portal.example.com\n"
        );
        assert_eq!(
            fs::read_to_string(site.join(".git/HEAD")).unwrap(),
            "ref: refs/heads/gh-pages\n"
        );
        assert!(site.join(".git/refs").is_dir());
        assert_eq!(
            fs::read_to_string(site.join("clients/acme/notes.txt")).unwrap(),
            "by hand"
        );
        assert!(site.join("clients/acme.html").is_file());
    }
    // A client that goes away takes its pages, not the person's file.
    fs::remove_dir_all(dir.path().join("clients/acme")).unwrap();
    let o = build(dir.path(), &site, &["--allow-errors"]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    assert!(!site.join("clients/acme.html").exists());
    assert_eq!(
        fs::read_to_string(site.join("clients/acme/notes.txt")).unwrap(),
        "by hand"
    );
}

#[test]
fn a_second_build_waits_for_the_lock() {
    let dir = repo("");
    let site = dir.path().join("public");
    assert_eq!(code(&build(dir.path(), &site, &[])), 0);
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(dir.path().join(".public.clientele-lock"))
        .expect("the lock file beside the output");
    lock.lock().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_clientele"))
        .arg("build")
        .arg(dir.path())
        .arg("--out")
        .arg(&site)
        .args(["--today", TODAY, "--audience", "wide"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(child.try_wait().unwrap().is_none(), "the build waits");
    lock.unlock().unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("waiting for another build"), "{err}");
}

#[test]
fn two_builds_at_once_leave_one_whole_site() {
    let dir = repo("");
    let site = dir.path().join("public");
    let spawn = |audience: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_clientele"))
            .arg("build")
            .arg(dir.path())
            .arg("--out")
            .arg(&site)
            .args(["--today", TODAY, "--audience", audience])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    for _ in 0..3 {
        let (mut a, mut b) = (spawn("full"), spawn("wide"));
        assert_eq!(a.wait().unwrap().code(), Some(0));
        assert_eq!(b.wait().unwrap().code(), Some(0));
        // Whichever finished last, its manifest lists exactly what is there.
        let manifest = fs::read_to_string(site.join(".clientele-files")).unwrap();
        let mut listed: Vec<String> = manifest
            .lines()
            .skip(1)
            .map(|l| l.splitn(4, ' ').nth(3).unwrap().to_string())
            .collect();
        listed.extend([".clientele-build".into(), ".clientele-files".into()]);
        listed.sort();
        assert_eq!(files(&site), listed);
    }
}

#[test]
fn a_page_edited_by_hand_is_rewritten_even_with_its_old_time() {
    let dir = repo("");
    let site = dir.path().join("public");
    assert_eq!(code(&build(dir.path(), &site, &[])), 0);
    let page = site.join("index.html");
    let original = fs::read(&page).unwrap();
    let modified = fs::metadata(&page).unwrap().modified().unwrap();
    // Same length, other bytes, and the old modification time restored.
    let mut edited = original.clone();
    let at = edited.len() / 2;
    edited[at] = if edited[at] == b'x' { b'y' } else { b'x' };
    let file = fs::OpenOptions::new().write(true).open(&page).unwrap();
    std::io::Write::write_all(&mut &file, &edited).unwrap();
    file.set_modified(modified).unwrap();
    drop(file);
    assert_eq!(code(&build(dir.path(), &site, &[])), 0);
    assert_eq!(fs::read(&page).unwrap(), original);
}

#[test]
fn an_output_that_is_a_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_tree(&common::fixtures().join("base"), &content);
    let elsewhere = dir.path().join("elsewhere");
    fs::create_dir(&elsewhere).unwrap();
    fs::write(elsewhere.join("keep.txt"), "mine").unwrap();
    let site = dir.path().join("public");
    std::os::unix::fs::symlink(&elsewhere, &site).unwrap();
    let o = build(&content, &site, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(files(&elsewhere), ["keep.txt"]);
}

#[test]
fn commands_that_write_files_never_write_through_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let precious = dir.path().join("precious.txt");
    fs::write(&precious, "mine").unwrap();
    let schemas = dir.path().join("schemas");
    fs::create_dir(&schemas).unwrap();
    std::os::unix::fs::symlink(&precious, schemas.join("firm.schema.json")).unwrap();
    let o = clientele()
        .args(["schema", "--out"])
        .arg(&schemas)
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&precious).unwrap(), "mine");
    let schema = fs::read_to_string(schemas.join("firm.schema.json")).unwrap();
    assert!(schema.contains("\"$schema\""), "{schema}");

    // `new` takes the next free name rather than a link's.
    let repo = repo("");
    let notes = repo.path().join("clients/acme/activities");
    std::os::unix::fs::symlink(&precious, notes.join("2026-11-20-call.md")).unwrap();
    let o = clientele()
        .args(["new", "activity", "acme", "--type", "call", "--by", "ada"])
        .args([
            "--date",
            "2026-11-20",
            "--title",
            "Checked in",
            "--report",
            "Fine.",
        ])
        .arg("--dir")
        .arg(repo.path())
        .output()
        .unwrap();
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&precious).unwrap(), "mine");
    assert!(notes.join("2026-11-20-call-2.md").is_file());
}

#[test]
fn a_folder_of_the_output_swapped_for_a_link_deletes_nothing_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    common::copy_tree(&common::fixtures().join("base"), &content);
    let site = dir.path().join("public");
    assert_eq!(code(&build(&content, &site, &[])), 0);
    // The output's clients/ folder becomes a link to the content's: the
    // next build's deletion must not reach the documents through it.
    let before = files(&content);
    assert!(before
        .iter()
        .any(|f| f.starts_with("clients/acme/documents/")));
    fs::remove_dir_all(site.join("clients")).unwrap();
    std::os::unix::fs::symlink(content.join("clients"), site.join("clients")).unwrap();
    let o = build(&content, &site, &[]);
    assert_eq!(files(&content), before, "{}", stderr(&o));
}

#[test]
fn a_manifest_edited_to_list_git_files_deletes_none() {
    let dir = repo("");
    let site = dir.path().join("public");
    assert_eq!(code(&build(dir.path(), &site, &[])), 0);
    fs::create_dir_all(site.join(".git")).unwrap();
    fs::write(site.join(".git/HEAD"), "ref: refs/heads/gh-pages\n").unwrap();
    let manifest = site.join(".clientele-files");
    let mut text = fs::read_to_string(&manifest).unwrap();
    text.push_str("00000000000000000000000000000000 24 0 .git/HEAD\n");
    text.push_str("00000000000000000000000000000000 1 0 ../content-elsewhere.txt\n");
    fs::write(&manifest, text).unwrap();
    assert_eq!(code(&build(dir.path(), &site, &[])), 0);
    assert_eq!(
        fs::read_to_string(site.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
}

#[test]
fn a_file_of_the_persons_where_a_page_goes_is_kept_and_named() {
    let dir = repo("");
    let site = dir.path().join("public");
    let acme = dir.path().join("clients/acme");
    let aside = dir.path().join("acme-aside");
    fs::rename(&acme, &aside).unwrap();
    let o = build(dir.path(), &site, &["--allow-errors"]);
    assert!(code(&o) <= 1, "{}", stderr(&o));
    // Where acme's page was, the person writes a page of their own...
    fs::write(site.join("clients/acme.html"), "my notes").unwrap();
    // ...and acme comes back.
    fs::rename(&aside, &acme).unwrap();
    let o = build(dir.path(), &site, &[]);
    let err = stderr(&o);
    assert_eq!(code(&o), 0, "{err}");
    let kept = dir.path().join(".public.clientele-old/clients/acme.html");
    assert_eq!(fs::read_to_string(&kept).unwrap(), "my notes");
    assert!(
        err.contains("warning[output]: a file clientele did not write was where the new build writes a page; it is kept, untouched")
            && err.contains(&format!("--> {}", kept.display()))
            && err.contains("builds into this output stop until that folder is gone"),
        "{err}"
    );
    // And the next build stops rather than touch it.
    let o = build(dir.path(), &site, &[]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert_eq!(fs::read_to_string(&kept).unwrap(), "my notes");
}
