//! Reading mail: `.eml` files, mbox files and Maildir folders, as
//! [`Found`] emails between two days.
//!
//! Only a message's header is read: who wrote to whom, when, and about
//! what. The mail-parser crate decodes it (RFC 2047 encoded words, folded
//! lines, the many date formats mail clients write); framing (where an
//! mbox message starts, where a header ends) is found here, line by line,
//! so that a diagnostic names the line of the input it is about and a
//! mailbox of any size is read in memory the size of one header.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use mail_parser::{Address, MessageParser};

use super::calendar::Window;
use super::{Found, Participant};
use crate::diag::{inputs, Diagnostic, Span};
use crate::model::ActivityType;

/// The largest header read: real ones are a few KiB; a longer one is not
/// a mail header.
const MAX_HEADER_BYTES: usize = 1 << 20;

/// What the files held.
#[derive(Default)]
pub struct Read {
    pub found: Vec<Found>,
    /// Newsletters and automatic mail (`List-Id`, `Auto-Submitted`,
    /// `Precedence: bulk`).
    pub bulk: usize,
    pub problems: Vec<Diagnostic>,
}

/// Reads one path: a Maildir folder (its `cur/` and `new/`, and those of
/// its Maildir++ subfolders), an mbox file or one `.eml` message.
pub fn read_path(path: &Path, window: &Window, out: &mut Read) {
    let shown: Arc<str> = Arc::from(path.to_string_lossy().as_ref());
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => maildir(path, window, out),
        Ok(_) => read_file(path, &shown, window, out),
        Err(e) => out.problems.push(unreadable(&shown, &e.to_string())),
    }
}

fn maildir(root: &Path, window: &Window, out: &mut Read) {
    let mut folders = vec![root.to_path_buf()];
    if let Ok(entries) = std::fs::read_dir(root) {
        let mut subfolders: Vec<_> = entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
            .map(|e| e.path())
            .collect();
        subfolders.sort();
        folders.extend(subfolders);
    }
    let mut any = false;
    for folder in folders {
        for part in ["cur", "new"] {
            let Ok(entries) = std::fs::read_dir(folder.join(part)) else {
                continue;
            };
            any = true;
            let mut files: Vec<_> = entries
                .filter_map(Result::ok)
                .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
                .map(|e| e.path())
                .collect();
            files.sort();
            for file in files {
                let shown: Arc<str> = Arc::from(file.to_string_lossy().as_ref());
                read_file(&file, &shown, window, out);
            }
        }
    }
    if !any {
        let shown: Arc<str> = Arc::from(root.to_string_lossy().as_ref());
        out.problems.push(unreadable(
            &shown,
            "is a folder without `cur/` or `new/`, so not a Maildir",
        ));
    }
}

fn read_file(path: &Path, shown: &Arc<str>, window: &Window, out: &mut Read) {
    let file = match crate::load::open::regular(path) {
        Ok((file, _)) => file,
        Err(e) => return out.problems.push(unreadable(shown, &e.to_string())),
    };
    let read = split(BufReader::new(file), |message| {
        message_found(&message, shown, window, out)
    });
    if let Err(e) = read {
        out.problems.push(unreadable(shown, &e.to_string()));
    }
}

/// Reads the messages of one file already in memory (an mbox or one
/// message); `file` names it in diagnostics. For tools and the fuzzer.
pub fn read_bytes(bytes: &[u8], file: &Arc<str>, window: &Window, out: &mut Read) {
    let read = split(bytes, |message| message_found(&message, file, window, out));
    if let Err(e) = read {
        out.problems.push(unreadable(file, &e.to_string()));
    }
}

/// One message's header, where it starts in its file, and the mbox
/// separator line before it.
struct Message {
    line: u32,
    separator: Option<String>,
    header: Vec<u8>,
    /// The header went on past [`MAX_HEADER_BYTES`].
    too_long: bool,
}

/// Splits a file into messages: at each `From ` line when the file starts
/// with one (mbox), else the whole file is one message. Each message's
/// header is kept, its body skipped.
fn split(mut reader: impl BufRead, mut each: impl FnMut(Message)) -> std::io::Result<()> {
    let mbox = reader.fill_buf()?.starts_with(b"From ");
    let mut line = Vec::new();
    let mut number = 0u32;
    let mut current: Option<Message> = None;
    let mut in_header = true;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        number += 1;
        if (mbox && line.starts_with(b"From ")) || number == 1 {
            if let Some(done) = current.take() {
                each(done);
            }
            let separator = mbox.then(|| String::from_utf8_lossy(&line).trim_end().to_string());
            current = Some(Message {
                line: if mbox { number + 1 } else { 1 },
                separator,
                header: Vec::new(),
                too_long: false,
            });
            in_header = true;
            if mbox {
                continue;
            }
        }
        let Some(message) = current.as_mut() else {
            continue;
        };
        if !in_header {
            continue;
        }
        if line == b"\n" || line == b"\r\n" {
            in_header = false;
        } else if message.header.len() + line.len() > MAX_HEADER_BYTES {
            message.too_long = true;
            in_header = false;
        } else {
            message.header.extend_from_slice(&line);
        }
    }
    if let Some(done) = current {
        each(done);
    }
    Ok(())
}

fn message_found(message: &Message, file: &Arc<str>, window: &Window, out: &mut Read) {
    let span = Span::new(file, message.line, 1);
    if message.too_long {
        return out.problems.push(
            Diagnostic::input(
                inputs::INVALID_MAIL,
                span,
                format!(
                    "this message's header is longer than {} KiB",
                    MAX_HEADER_BYTES >> 10
                ),
            )
            .with_help("a mail header is a few KiB; check that this is a mailbox"),
        );
    }
    let parsed = MessageParser::default()
        .parse_headers(&message.header)
        .filter(|m| m.from().is_some() || m.message_id().is_some());
    let Some(parsed) = parsed else {
        return out.problems.push(
            Diagnostic::input(
                inputs::INVALID_MAIL,
                span,
                String::from("this is not a mail message: it has no From or Message-ID header"),
            )
            .with_help(
                "pass .eml files, mbox files or Maildir folders exported from the mail client",
            ),
        );
    };
    if is_bulk(&parsed) {
        out.bulk += 1;
        return;
    }
    let when = parsed
        .date()
        .filter(|d| d.is_valid())
        .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0))
        .or_else(|| message.separator.as_deref().and_then(separator_date));
    let Some(when) = when else {
        return out.problems.push(
            Diagnostic::input(
                inputs::INVALID_MAIL,
                span,
                String::from("this message has no date that can be read"),
            )
            .with_help("its Date header is missing or not a date; fix or remove the message"),
        );
    };
    let date: NaiveDate = when.with_timezone(&window.zone).date_naive();
    if !(window.from..=window.to).contains(&date) {
        return;
    }
    let organizer = parsed.from().and_then(first_address);
    let participants = [parsed.to(), parsed.cc(), parsed.bcc()]
        .into_iter()
        .flatten()
        .flat_map(|list| addresses(list))
        .map(|email| Participant {
            email,
            declined: false,
        })
        .collect();
    let uid = match parsed.message_id() {
        Some(id) => id.to_string(),
        None => format!(
            "no-message-id/{:016x}",
            xxhash_rust::xxh3::xxh3_64(&message.header)
        ),
    };
    out.found.push(Found {
        date,
        kind: ActivityType::Email,
        title: parsed
            .subject()
            .map_or_else(|| String::from("(no subject)"), str::to_string),
        uid,
        organizer,
        participants,
    });
}

/// Mail no person wrote to a person: mailing lists, auto-replies,
/// bulk sends.
fn is_bulk(message: &mail_parser::Message<'_>) -> bool {
    let value = |name: &str| {
        message
            .headers()
            .iter()
            .find(|h| h.name.as_str().eq_ignore_ascii_case(name))
            .map(|h| h.value.as_text().unwrap_or("").trim().to_ascii_lowercase())
    };
    value("List-Id").is_some()
        || value("Auto-Submitted").is_some_and(|v| v != "no")
        || value("Precedence").is_some_and(|v| matches!(v.as_str(), "bulk" | "list" | "junk"))
}

fn first_address(list: &Address<'_>) -> Option<String> {
    addresses(list).into_iter().next()
}

fn addresses(list: &Address<'_>) -> Vec<String> {
    list.iter()
        .filter_map(|a| a.address())
        .map(|a| a.trim().to_ascii_lowercase())
        .filter(|a| a.contains('@'))
        .collect()
}

/// The date of an mbox separator line: `From sender Tue Mar  3 09:15:00 2026`.
fn separator_date(line: &str) -> Option<DateTime<Utc>> {
    let rest = line.strip_prefix("From ")?.split_once(' ')?.1;
    let words: Vec<&str> = rest.split_whitespace().take(5).collect();
    NaiveDateTime::parse_from_str(&words.join(" "), "%a %b %d %H:%M:%S %Y")
        .ok()
        .map(|t| t.and_utc())
}

fn unreadable(file: &Arc<str>, why: &str) -> Diagnostic {
    Diagnostic::input(
        inputs::UNREADABLE_FILE,
        Span::file(file),
        format!("cannot read `{file}`: {why}"),
    )
    .with_help("pass .eml files, mbox files or Maildir folders")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(text: &str) -> Vec<(u32, Option<String>, String)> {
        let mut out = Vec::new();
        split(text.as_bytes(), |m| {
            out.push((m.line, m.separator, String::from_utf8(m.header).unwrap()))
        })
        .unwrap();
        out
    }

    #[test]
    fn an_mbox_is_split_at_its_separators_and_only_headers_are_kept() {
        let mbox = "From a@x Tue Mar  3 09:15:00 2026\nSubject: one\n\nbody\n>From quoted\n\nFrom b@y Wed Mar  4 10:00:00 2026\nSubject: two\r\n\r\nbody\n";
        let found = messages(mbox);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].0, 2);
        assert_eq!(found[0].2, "Subject: one\n");
        assert_eq!(found[1].0, 8);
        assert_eq!(found[1].2, "Subject: two\r\n");
        assert_eq!(
            separator_date(found[1].1.as_deref().unwrap())
                .unwrap()
                .to_string(),
            "2026-03-04 10:00:00 UTC"
        );
    }

    #[test]
    fn a_single_message_is_one_message_even_with_from_lines_in_its_body() {
        let eml = "Subject: one\n\nFrom here on\n";
        let found = messages(eml);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 1);
        assert_eq!(found[0].2, "Subject: one\n");
    }
}
