//! `clientele import calendar` as a user runs it: real-format exports
//! (Google with a VTIMEZONE, a weekly RRULE with an EXDATE, a moved and a
//! cancelled instance, a declined invitation; Outlook with a Windows zone
//! name, folded lines, a BOM and CRLF) into the base fixture, then `check`.

mod common;

use std::path::{Path, PathBuf};

use common::{check_json, fixtures, repo};

/// `clientele import calendar FILES --dir DIR --today TODAY [extra]`.
fn import_files(files: &[PathBuf], dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let mut args: Vec<&str> = vec!["calendar"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    args.extend(extra);
    common::import(&args, dir)
}

/// The Google and Outlook fixtures into `dir`.
fn import(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let files = [
        fixtures().join("import/google.ics"),
        fixtures().join("import/outlook.ics"),
    ];
    import_files(&files, dir, extra)
}

use common::snapshot as files;

const SUMMARY: &str = "imported 7 activities for 2 clients (acme 5, bolt 2); 0 already present; skipped 1 internal, 2 cancelled, 1 declined, 0 without a colleague; 1 unmatched, 1 ambiguous";

#[test]
fn meetings_become_notes_that_ask_for_their_call_report() {
    let dir = repo("");
    let (code, _, stderr) = import(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.trim(), SUMMARY);
    let acme = dir.path().join("clients/acme/activities");
    let mut notes: Vec<String> = std::fs::read_dir(&acme)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    notes.sort();
    // Weekly from 5 October: 19 October is an EXDATE, 26 October moved to
    // the 27th, 2 November cancelled; the all-day offsite on 20 November.
    assert_eq!(
        notes,
        [
            "2026-10-05-meeting.md",
            "2026-10-12-meeting.md",
            "2026-10-27-meeting.md",
            "2026-11-02-meeting.md",
            "2026-11-09-meeting.md",
            "2026-11-20-meeting.md"
        ],
        "2026-11-02-meeting.md is the fixture's own note"
    );
    // 23:30 UTC on 15 July is 00:30 on the 16th in London (BST).
    let call = std::fs::read_to_string(
        dir.path()
            .join("clients/bolt/activities/2026-07-16-call.md"),
    )
    .unwrap();
    assert_eq!(
        call,
        "---\ndate: 2026-07-16\ntype: call\nby: bob\ntitle: Pricing call with Bolt, late\ncontacts:\n  - desk@boltcapital.com\nsource: calendar\nuid: bolt-pricing-1@google.com\n---\n"
    );
    let moved = std::fs::read_to_string(acme.join("2026-10-27-meeting.md")).unwrap();
    assert!(
        moved.contains("title: Acme weekly sync (moved to Tuesday)\ncontacts:\n  - Tom Pearce\n")
            && moved.contains("uid: acme-weekly-7f3a@google.com/20261026T100000Z\n"),
        "{moved}"
    );
    let offsite = std::fs::read_to_string(acme.join("2026-11-20-meeting.md")).unwrap();
    assert!(
        offsite.contains("by: ada\ntitle: Acme offsite\nattendees:\n  - bob\n"),
        "{offsite}"
    );
    // Outlook: Windows zone name, folded summary and UID.
    let outlook = std::fs::read_to_string(
        dir.path()
            .join("clients/bolt/activities/2026-09-08-meeting.md"),
    )
    .unwrap();
    assert!(
        outlook.contains("title: \"Bolt Capital: quarterly relationship review with the new head of desk\"\n")
            && outlook.contains("uid: 040000008200E00074C5B7101A82E00800000000B0D1A9C1F5D8DC01000000000000000010000000A1B2C3D4E5F60718293A4B5C6D7E8F90\n"),
        "{outlook}"
    );
    // Capture feeds the call-report rule: acme is tiered, bolt is not.
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 1);
    let mut reported: Vec<&str> = found
        .iter()
        .filter(|f| f.rule == "call-report")
        .map(|f| f.file.as_str())
        .collect();
    reported.sort();
    assert_eq!(
        reported,
        [
            "clients/acme/activities/2026-10-05-meeting.md",
            "clients/acme/activities/2026-10-12-meeting.md",
            "clients/acme/activities/2026-10-27-meeting.md",
            "clients/acme/activities/2026-11-09-meeting.md",
            "clients/acme/activities/2026-11-20-meeting.md"
        ]
    );
    assert!(found.iter().all(|f| f.rule == "call-report"), "{found:?}");
}

#[test]
fn importing_twice_adds_nothing() {
    let dir = repo("");
    let (code, _, stderr) = import(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    let before = files(dir.path());
    let (code, _, stderr) = import(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.trim(),
        "imported 0 activities for 0 clients; 7 already present; skipped 1 internal, 2 cancelled, 1 declined, 0 without a colleague; 1 unmatched, 1 ambiguous"
    );
    assert!(
        files(dir.path()) == before,
        "the second import changed files"
    );
}

#[test]
fn a_dry_run_prints_what_it_would_write_and_writes_nothing() {
    let dir = repo("");
    let before = files(dir.path());
    let (code, stdout, stderr) = import(dir.path(), &["--dry-run"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.starts_with("would import 7 activities"), "{stderr}");
    assert_eq!(stdout.matches("\n---\ndate: ").count(), 7, "{stdout}");
    assert!(stdout.contains("clients/bolt/activities/2026-07-16-call.md\n---\ndate: 2026-07-16\n"));
    assert!(files(dir.path()) == before, "a dry run wrote files");
}

#[test]
fn what_matched_no_client_or_two_is_listed_for_a_person() {
    let dir = repo("");
    let out = tempfile::tempdir().unwrap();
    let csv = out.path().join("unsorted.csv");
    let (code, _, stderr) = import(dir.path(), &["--unmatched", csv.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&csv).unwrap(),
        "date,title,uid,reason,addresses or clients\n\
         2026-09-17,Coffee with a prospect,prospect-coffee@google.com,unmatched,cfo@unknown-corp.com\n\
         2026-09-18,Industry dinner,joint-dinner@google.com,ambiguous,acme bolt\n"
    );
}

#[test]
fn a_broken_calendar_is_located_and_nothing_is_written() {
    let dir = repo("");
    let before = files(dir.path());
    let input = tempfile::tempdir().unwrap();
    let ics = input.path().join("broken.ics");
    let google = std::fs::read_to_string(fixtures().join("import/google.ics")).unwrap();
    // The Bolt call's start loses its time; the file is otherwise fine.
    std::fs::write(
        &ics,
        google.replace("DTSTART:20260715T233000Z", "DTSTART:2026-07-15 23:30"),
    )
    .unwrap();
    let (code, _, stderr) = import_files(std::slice::from_ref(&ics), dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    let line = google
        .lines()
        .position(|l| l.starts_with("DTSTART:20260715T233000Z"))
        .unwrap()
        + 1;
    assert!(
        stderr.contains("error[invalid-calendar]: the event's DTSTART cannot be read: `2026-07-15 23:30` is not a date")
            && stderr.contains(&format!("broken.ics:{line}:1")),
        "{stderr}"
    );
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(files(dir.path()) == before, "a failed import wrote files");

    // Not a calendar at all.
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nthis is not a property\r\n",
    )
    .unwrap();
    let (code, _, stderr) = import_files(std::slice::from_ref(&ics), dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("error[invalid-calendar]"), "{stderr}");
    assert!(files(dir.path()) == before);
}

#[test]
fn a_line_that_is_not_utf8_is_located_and_nothing_is_written() {
    let dir = repo("");
    let before = files(dir.path());
    let input = tempfile::tempdir().unwrap();
    let ics = input.path().join("latin1.ics");
    let google = std::fs::read(fixtures().join("import/google.ics")).unwrap();
    // An exporter that wrote one summary in Latin-1: "Caf\xE9".
    let at = google.windows(8).position(|w| w == b"SUMMARY:").unwrap();
    let mut bytes = google[..at + 8].to_vec();
    bytes.extend_from_slice(b"Caf\xE9 ");
    bytes.extend_from_slice(&google[at + 8..]);
    std::fs::write(&ics, &bytes).unwrap();
    let line = google[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let (code, stdout, stderr) =
        import_files(std::slice::from_ref(&ics), dir.path(), &["--dry-run"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[invalid-text]: this line is not UTF-8 text")
            && stderr.contains(&format!("latin1.ics:{line}:1")),
        "{stderr}"
    );
    assert!(
        stdout.is_empty(),
        "a failed dry run previews nothing: {stdout}"
    );
    assert!(files(dir.path()) == before);
}

#[test]
fn a_write_that_fails_half_way_leaves_nothing_behind() {
    let dir = repo("");
    // Bolt's notes cannot be written: where their folder goes is a file.
    std::fs::write(dir.path().join("clients/bolt/activities"), "in the way").unwrap();
    let before = files(dir.path());
    let (code, _, stderr) = import(dir.path(), &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("error[import]: cannot write")
            && stderr.contains("clients/bolt/activities")
            && stderr.contains("nothing was imported"),
        "{stderr}"
    );
    // acme's notes, staged before bolt's folder failed, were removed.
    assert!(files(dir.path()) == before, "a failed import left files");
}
