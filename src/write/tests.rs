//! Tests of the output stage: staging, swapping, linking and what is never deleted.

use super::*;
use crate::site::Sink;
use sink::MANIFEST_HEADER;

#[test]
fn sink_refuses_to_leave_the_output() {
    let dir = tempfile::tempdir().unwrap();
    let sink = DirSink::new(dir.path().to_path_buf());
    assert!(sink.write("../escape.html", b"x").is_err());
    assert!(sink.write("/etc/passwd", b"x").is_err());
    sink.write("a/b.html", b"ok").unwrap();
    assert_eq!(fs::read(dir.path().join("a/b.html")).unwrap(), b"ok");
}

#[test]
fn foreign_folders_are_refused_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("mine.txt"), b"precious").unwrap();
    assert!(matches!(
        stage(&out, dir.path().join("content").as_path()),
        Err(WriteError::NotOurs(_))
    ));
    assert_eq!(fs::read(out.join("mine.txt")).unwrap(), b"precious");
}

/// A whole build of one file into `out`, committed.
fn build(out: &Path, path: &str, bytes: &[u8]) {
    let s = stage(out, &out.with_file_name("content")).unwrap();
    let sink = s.sink();
    sink.write(path, bytes).unwrap();
    s.commit(sink).unwrap();
}

#[test]
fn a_manifest_of_another_format_links_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&out, "a.html", b"same");
    assert!(Previous::read(&out).is_some_and(|p| p.files.contains_key("a.html")));
    let manifest = fs::read_to_string(out.join(MANIFEST)).unwrap();
    let old = manifest.replacen(MANIFEST_HEADER, "clientele-files 1 siphash13-128", 1);
    fs::write(out.join(MANIFEST), old).unwrap();
    let before = inode(&out.join("a.html"));
    build(&out, "a.html", b"same");
    assert_ne!(inode(&out.join("a.html")), before, "written, not linked");
}

fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::metadata(path).unwrap().ino()
}

#[test]
fn commit_replaces_our_own_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&out, "index.html", b"one");
    build(&out, "index.html", b"two");
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
    assert!(!sibling(&out, "old").exists() && !sibling(&out, "new").exists());
}

#[test]
fn a_file_written_twice_never_writes_through_a_link() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&out, "a.html", b"same");
    let before = fs::metadata(out.join("a.html")).unwrap().ino();
    let s = stage(&out, &dir.path().join("content")).unwrap();
    let sink = s.sink();
    sink.write("a.html", b"same").unwrap();
    assert_eq!(
        fs::metadata(s.dir.join("a.html")).unwrap().ino(),
        before,
        "linked"
    );
    sink.write("a.html", b"changed").unwrap();
    assert_eq!(
        fs::read(out.join("a.html")).unwrap(),
        b"same",
        "the live site is untouched"
    );
    drop(s);
    assert_eq!(fs::read(out.join("a.html")).unwrap(), b"same");
}

#[test]
fn a_build_stopped_between_its_renames_gets_its_site_back() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    build(&out, "index.html", b"one");
    // As if a build had renamed the output away and stopped there.
    fs::rename(&out, sibling(&out, "old")).unwrap();
    let s = stage(&out, &dir.path().join("content")).unwrap();
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"one");
    drop(s);
    build(&out, "index.html", b"two");
    assert_eq!(fs::read(out.join("index.html")).unwrap(), b"two");
    assert!(!sibling(&out, "old").exists());
}
