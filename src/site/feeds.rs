//! iCalendar feeds (RFC 5545): `calendar/firm.ics` with every plan review
//! due and every open task with a due date, and `calendar/<person>.ics`
//! with the ones a person owns, for a calendar app to subscribe to.
//!
//! Every event is a whole day: `DTSTART;VALUE=DATE` and a `DTEND` on the
//! next day, since the end of a date is exclusive (§3.6.1). A UID stays
//! the same from build to build while the thing it stands for does, so a
//! subscribed calendar updates its events instead of doubling them. An
//! event links to its page only when the site's address is absolute: a
//! calendar app has no page to resolve `/portal/` against.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use icalendar::{Calendar, Component, EventLike};

use super::views::{client_url, Refs};
use super::{Out, SiteError};
use crate::model::TaskRef;

/// `PRODID`: who wrote the feed (§3.7.3).
const PRODID: &str = concat!(
    "-//clientele//clientele ",
    env!("CARGO_PKG_VERSION"),
    "//EN"
);

/// The address event links start with: `base_url` with a trailing slash
/// when it is absolute (`https://…`), else `None` and events carry no URL.
pub fn link_base(base_url: &str) -> Option<String> {
    let (scheme, rest) = base_url.split_once("://")?;
    let web = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
    if !web || rest.is_empty() || rest.starts_with('/') {
        return None;
    }
    Some(if base_url.ends_with('/') {
        base_url.to_string()
    } else {
        format!("{base_url}/")
    })
}

/// Writes the firm's feed and one per person, every person's even when it
/// has no event, so a subscription made today keeps working.
pub fn write_all(out: &Out<'_>, refs: &Refs<'_>) -> Result<(), SiteError> {
    let model = refs.model;
    let m = refs.metrics;
    let links = link_base(out.base_url());
    let stamp = m.today.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let mut firm = named(&format!("{}: reviews and tasks", model.firm.name));
    let mut personal: HashMap<&str, Vec<icalendar::Event>> = HashMap::new();
    for (i, c) in model.clients.iter().enumerate() {
        let Some(due) = m.client(i).next_review else {
            continue;
        };
        let mut event = day_event(
            &format!("review-{}@clientele", c.id),
            &format!("Plan review due: {}", c.data.name.value),
            due,
            stamp,
        );
        if let Some(base) = &links {
            event.url(&feed_uri(&format!("{base}{}", client_url(&c.id))));
        }
        let event = event.done();
        firm.push(event.clone());
        if let Some(owner) = &c.data.coverage.owner {
            personal.entry(&owner.value).or_default().push(event);
        }
    }
    let mut uids = TaskUids::default();
    for t in model.tasks() {
        // Counted before the filter, so closing one of two tasks of the
        // same title does not move the other's UID.
        let uid = uids.next(&t);
        let Some(due) = &t.task.due else { continue };
        if !t.task.status.is_open() {
            continue;
        }
        let event = task_event(&t, &uid, due.value.0, stamp, links.as_deref());
        firm.push(event.clone());
        if let Some(owner) = &t.task.owner {
            personal.entry(&owner.value).or_default().push(event);
        }
    }
    out.file("calendar/firm.ics", firm.done().to_string().as_bytes())?;
    for p in &model.people {
        let mut cal = named(&format!("{}: reviews and tasks", p.data.name));
        for event in personal.remove(p.id.as_str()).unwrap_or_default() {
            cal.push(event);
        }
        out.file(
            &format!("calendar/{}.ics", p.id),
            cal.done().to_string().as_bytes(),
        )?;
    }
    Ok(())
}

/// A task's UID, from what identifies it: the file it is written in and
/// its title, with `-2`, `-3`… for a title repeated in the same file. A
/// line added above a task leaves it alone; retitling a task makes it a
/// new event, as a calendar would show a new appointment.
#[derive(Default)]
struct TaskUids {
    seen: HashMap<(String, String), usize>,
}

impl TaskUids {
    fn next(&mut self, t: &TaskRef<'_>) -> String {
        let key = (t.src.file.to_string(), t.task.title.value.clone());
        let hash = xxhash_rust::xxh3::xxh3_64(format!("{}\0{}", key.0, key.1).as_bytes());
        let n = self.seen.entry(key).or_insert(0);
        *n += 1;
        match *n {
            1 => format!("task-{hash:016x}@clientele"),
            n => format!("task-{hash:016x}-{n}@clientele"),
        }
    }
}

/// A calendar with clientele's `PRODID` and a name (`NAME` and
/// `X-WR-CALNAME`). The icalendar crate writes the name as it is given, so
/// it is escaped here; nothing a person typed can start a line of the feed.
fn named(name: &str) -> Calendar {
    let name = escape_text(name);
    let mut cal = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", PRODID),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
        ("NAME", &name),
        ("X-WR-CALNAME", &name),
    ] {
        cal.append_property(icalendar::Property::new(key, value));
    }
    cal
}

/// An all-day event on `day`: it ends at the start of the next day.
fn day_event(uid: &str, summary: &str, day: NaiveDate, stamp: DateTime<Utc>) -> icalendar::Event {
    let mut event = icalendar::Event::new();
    event
        .uid(&feed_text(uid))
        .summary(&feed_text(summary))
        .starts(day)
        .ends(day.succ_opt().unwrap_or(day))
        .timestamp(stamp);
    event
}

/// A due date as an all-day event, linked to its client's page when the
/// site's address is absolute.
fn task_event(
    t: &TaskRef<'_>,
    uid: &str,
    due: NaiveDate,
    stamp: DateTime<Utc>,
    links: Option<&str>,
) -> icalendar::Event {
    let what = match t.client {
        Some(c) => format!("{} ({})", t.task.title.value, c.data.name.value),
        None => t.task.title.value.clone(),
    };
    let mut event = day_event(uid, &format!("Due: {what}"), due, stamp);
    event.description(&feed_text(t.place.describe()));
    if let (Some(base), Some(c)) = (links, t.client) {
        event.url(&feed_uri(&format!("{base}{}", client_url(&c.id))));
    }
    event.done()
}

/// A TEXT value as RFC 5545 §3.3.11 writes it: backslash, semicolon,
/// comma and line break escaped; carriage returns and other control
/// characters removed.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Text for a property the icalendar crate escapes itself (SUMMARY,
/// DESCRIPTION, UID): it escapes backslash, comma, semicolon and line
/// breaks but writes a carriage return or another control character raw,
/// so those are removed here.
fn feed_text(text: &str) -> String {
    text.chars()
        .filter(|&c| c == '\n' || !c.is_control())
        .collect()
}

/// A URI value, which the crate writes as it is: every character outside
/// the URL-safe set is percent-encoded.
fn feed_uri(uri: &str) -> String {
    let mut out = String::with_capacity(uri.len());
    for b in uri.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/%!$&()*+,;=:@?#[]".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::link_base;

    #[test]
    fn only_an_absolute_web_address_links_events() {
        assert_eq!(
            link_base("https://intranet.example/portal").as_deref(),
            Some("https://intranet.example/portal/")
        );
        assert_eq!(link_base("http://h/").as_deref(), Some("http://h/"));
        for relative in [
            "/",
            "/portal/",
            "",
            "portal",
            "file:///srv/site",
            "https://",
            "javascript://x",
        ] {
            assert_eq!(link_base(relative), None, "{relative}");
        }
    }
}
