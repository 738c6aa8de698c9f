//! Reading iCalendar exports (Outlook, Google, Apple): every event, with
//! its recurrences expanded between two days, as [`Found`] interactions.
//!
//! The icalendar crate parses the file (folded lines, escapes, nested
//! components) and the rrule crate expands RRULE with EXDATE and RDATE, in
//! the event's own time zone; an instance moved or cancelled by a VEVENT
//! with a RECURRENCE-ID replaces the one the rule made. Times become days
//! in the firm's time zone.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use icalendar::parser::{Component, Property};

mod blocks;

use super::{Found, Participant};
use crate::diag::{inputs, Diagnostic, Span};
use crate::model::ActivityType;

/// The most instances one recurring event may have between the two days:
/// a year of daily meetings is 366; more is a feed, not a calendar.
const MAX_INSTANCES: u16 = 2000;

/// What the reader needs besides the file.
pub struct Window {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The firm's time zone, where an event's day is taken.
    pub zone: chrono_tz::Tz,
}

/// What one file held.
#[derive(Default)]
pub struct Read {
    /// Events marked cancelled (or cancelled instances).
    pub cancelled: usize,
    pub problems: Vec<Diagnostic>,
}

/// Reads one .ics file, opened by `open` (twice); `file` names it in
/// diagnostics.
///
/// One event at a time, as a stream: each VEVENT is unfolded and parsed on
/// its own and dropped once its interactions are found, so the memory a
/// calendar takes is one event's, not the file's or a tree of it. A first
/// pass parses only the events with a RECURRENCE-ID, to know which
/// instances were moved or cancelled before the recurring events are
/// expanded.
pub fn read<R: BufRead>(
    open: impl Fn() -> io::Result<R>,
    file: &Arc<str>,
    window: &Window,
    mut each: impl FnMut(Found),
) -> Read {
    let mut out = Read::default();
    // Moved or cancelled instances, by UID and original start.
    let mut overridden: HashMap<String, HashSet<DateTime<Utc>>> = HashMap::new();
    let first = open().map_err(blocks::Stop::Io).and_then(|input| {
        blocks::events(input, |block| {
            if !block.has("RECURRENCE-ID") {
                return;
            }
            let Ok(event) = parse(block) else {
                return; // reported by the second pass
            };
            if let (Some(uid), Some(rid)) = (prop(&event, "UID"), event.find_prop("RECURRENCE-ID"))
            {
                match instant(rid) {
                    Ok(when) => {
                        overridden
                            .entry(uid.to_string())
                            .or_default()
                            .insert(when.utc);
                    }
                    Err(why) => out.problems.push(bad(
                        block.span(file, "RECURRENCE-ID"),
                        "RECURRENCE-ID",
                        &why,
                    )),
                }
            }
        })
    });
    if let Err(stop) = first {
        out.problems.push(stopped(file, stop));
        return out;
    }
    let second = open().map_err(blocks::Stop::Io).and_then(|input| {
        blocks::events(input, |block| match parse(block) {
            Ok(event) => {
                if let Err((name, why)) = expand(&event, window, &overridden, &mut out, &mut each) {
                    out.problems.push(bad(block.span(file, name), name, &why));
                }
            }
            Err(message) => out
                .problems
                .push(not_a_calendar(file, block.line_of(&message))),
        })
    });
    if let Err(stop) = second {
        out.problems.push(stopped(file, stop));
    }
    out
}

/// What stopped the reading of a file, located.
fn stopped(file: &Arc<str>, stop: blocks::Stop) -> Diagnostic {
    let at = |line| Span::new(file, line, 1);
    match stop {
        blocks::Stop::NotCalendar(line) | blocks::Stop::Unclosed(line) => {
            not_a_calendar(file, line)
        }
        blocks::Stop::NotText(line) => Diagnostic::input(
            inputs::INVALID_TEXT,
            at(line),
            String::from("this line is not UTF-8 text"),
        )
        .with_help("export the calendar again as UTF-8; iCalendar files are UTF-8"),
        blocks::Stop::TooLong(line) => Diagnostic::input(
            inputs::INVALID_CALENDAR,
            at(line),
            String::from("this line, or the event it is in, is longer than clientele reads (1 MiB a line, 4 MiB an event)"),
        )
        .with_help("this is not a calendar export; export the calendar again as .ics"),
        blocks::Stop::Io(e) => Diagnostic::input(
            inputs::UNREADABLE_FILE,
            Span::file(file),
            format!("cannot read `{file}`: {e}"),
        )
        .with_help("pass an .ics file exported from the calendar"),
    }
}

/// One event's component.
fn parse(block: &blocks::Block) -> Result<Component<'_>, String> {
    icalendar::parser::read_components(&block.text)?
        .into_iter()
        .next()
        .ok_or_else(|| String::from("no event"))
}

fn not_a_calendar(file: &Arc<str>, line: u32) -> Diagnostic {
    Diagnostic::input(
        inputs::INVALID_CALENDAR,
        Span::new(file, line, 1),
        String::from("this is not an iCalendar file the parser can read"),
    )
    .with_help("export the calendar again as .ics (iCalendar); the parser stopped at this line")
}

fn bad(span: Span, name: &str, why: &str) -> Diagnostic {
    Diagnostic::input(
        inputs::INVALID_CALENDAR,
        span,
        format!("the event's {name} cannot be read: {why}"),
    )
    .with_help("fix the event in the calendar and export it again, or remove it from the file")
}

/// One VEVENT as the interactions it stands for: one, or one per instance
/// of its recurrence between the two days.
fn expand(
    event: &Component,
    window: &Window,
    overridden: &HashMap<String, HashSet<DateTime<Utc>>>,
    out: &mut Read,
    each: &mut impl FnMut(Found),
) -> Result<(), (&'static str, String)> {
    let uid = prop(event, "UID").ok_or(("UID", String::from("the event has no UID")))?;
    let start = event
        .find_prop("DTSTART")
        .ok_or(("DTSTART", String::from("the event has no start")))?;
    let start = instant(start).map_err(|why| ("DTSTART", why))?;
    let cancelled = prop(event, "STATUS").is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED"));
    let base = Base::of(event);
    let rid = event.find_prop("RECURRENCE-ID");
    let Some(rule) = prop(event, "RRULE").filter(|_| rid.is_none()) else {
        // A single event, or one moved instance of a recurring one.
        let day = start.day_in(window.zone);
        if (window.from..=window.to).contains(&day) {
            if cancelled {
                out.cancelled += 1;
            } else {
                let uid = match rid.map(instant) {
                    Some(Ok(original)) => instance_uid(uid, original.utc),
                    _ => uid.to_string(),
                };
                each(base.on(day, uid));
            }
        }
        return Ok(());
    };
    if cancelled {
        out.cancelled += 1;
        return Ok(());
    }
    let instances = instances(event, &start, rule, window).map_err(|why| ("RRULE", why))?;
    let moved = overridden.get(uid);
    for at in instances {
        if moved.is_some_and(|m| m.contains(&at)) {
            continue;
        }
        let day = at.with_timezone(&window.zone).date_naive();
        each(base.on(day, instance_uid(uid, at)));
    }
    Ok(())
}

/// `UID/20260112T100000Z`: one instance of a recurring event, by its
/// original start in UTC.
fn instance_uid(uid: &str, original: DateTime<Utc>) -> String {
    format!("{uid}/{}", original.format("%Y%m%dT%H%M%SZ"))
}

/// The starts of a recurring event's instances between the two days.
fn instances(
    event: &Component,
    start: &When,
    rule: &str,
    window: &Window,
) -> Result<Vec<DateTime<Utc>>, String> {
    let tz = start.rrule_tz();
    let dt_start = tz
        .from_local_datetime(&start.wall)
        .earliest()
        .ok_or_else(|| String::from("the start does not exist in its time zone"))?;
    let rule: rrule::RRule<rrule::Unvalidated> = rule.parse().map_err(|e| format!("{e}"))?;
    let rule = rule.validate(dt_start).map_err(|e| format!("{e}"))?;
    let mut set = rrule::RRuleSet::new(dt_start).rrule(rule);
    for (name, add) in [("EXDATE", false), ("RDATE", true)] {
        for property in event.properties.iter().filter(|p| p.name.as_str() == name) {
            for value in property.val.as_str().split(',') {
                let when = parse_when(value, property)?;
                // A floating time is in the event's own zone.
                let at = match when.zone {
                    Zone::Floating => tz.from_local_datetime(&when.wall).earliest(),
                    _ => Some(tz.from_utc_datetime(&when.utc.naive_utc())),
                };
                if let Some(at) = at {
                    set = if add { set.rdate(at) } else { set.exdate(at) };
                }
            }
        }
    }
    // A day either side: the firm's day of an instance can differ from
    // its day in its own zone.
    let bound = |day: NaiveDate| {
        let utc = Utc.from_utc_datetime(&day.and_hms_opt(0, 0, 0).unwrap_or_default());
        utc.with_timezone(&tz)
    };
    let after = bound(window.from - chrono::Days::new(1));
    let before = bound(window.to + chrono::Days::new(2));
    let result = set.after(after).before(before).all(MAX_INSTANCES);
    if result.limited {
        return Err(format!(
            "it repeats more than {MAX_INSTANCES} times between {} and {}",
            window.from, window.to
        ));
    }
    Ok(result.dates.iter().map(|d| d.with_timezone(&Utc)).collect())
}

/// What every instance of an event shares.
struct Base {
    title: String,
    kind: ActivityType,
    organizer: Option<String>,
    participants: Vec<Participant>,
}

impl Base {
    fn of(event: &Component) -> Base {
        let title = prop(event, "SUMMARY").map_or_else(|| String::from("(no title)"), unescape);
        let location = prop(event, "LOCATION").map(unescape).unwrap_or_default();
        let organizer = event
            .find_prop("ORGANIZER")
            .and_then(|p| address(p.val.as_str()));
        let participants = event
            .properties
            .iter()
            .filter(|p| p.name.as_str() == "ATTENDEE")
            .filter_map(|p| {
                Some(Participant {
                    email: address(p.val.as_str())?,
                    declined: param(p, "PARTSTAT")
                        .is_some_and(|s| s.eq_ignore_ascii_case("DECLINED")),
                })
            })
            .collect();
        Base {
            kind: kind_of(&title, &location),
            title,
            organizer,
            participants,
        }
    }

    fn on(&self, date: NaiveDate, uid: String) -> Found {
        Found {
            date,
            kind: self.kind,
            title: self.title.clone(),
            uid,
            organizer: self.organizer.clone(),
            participants: self.participants.clone(),
        }
    }
}

/// A call when the event says so (its title or place names a call, a
/// phone or a dial-in), else a meeting.
fn kind_of(title: &str, location: &str) -> ActivityType {
    let text = format!("{title} {location}").to_lowercase();
    let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
    if words
        .iter()
        .any(|w| matches!(*w, "call" | "phone" | "dial" | "telephone" | "conference"))
    {
        ActivityType::Call
    } else {
        ActivityType::Meeting
    }
}

/// `mailto:Ann@X.com` -> `ann@x.com`.
fn address(value: &str) -> Option<String> {
    let value = value.trim();
    let email = value
        .strip_prefix("mailto:")
        .or_else(|| value.strip_prefix("MAILTO:"))
        .unwrap_or(value);
    email.contains('@').then(|| email.to_ascii_lowercase())
}

fn prop<'c>(event: &'c Component, name: &str) -> Option<&'c str> {
    event.find_prop(name).map(|p| p.val.as_str())
}

fn param<'p>(property: &'p Property, key: &str) -> Option<&'p str> {
    property
        .params
        .iter()
        .find(|p| p.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|p| p.val.as_ref())
        .map(|v| v.as_str())
}

/// Text values escape `,` `;` `\` and line breaks.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push(' '),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out.trim().to_string()
}

/// A DTSTART, RECURRENCE-ID, EXDATE or RDATE value.
struct When {
    /// As written, in its own zone (midnight for a date).
    wall: NaiveDateTime,
    /// The instant (a date or a floating time taken as UTC).
    utc: DateTime<Utc>,
    zone: Zone,
}

#[derive(Clone, Copy)]
enum Zone {
    Utc,
    Named(chrono_tz::Tz),
    /// A date, a floating time or a zone we do not know: the wall time is
    /// the time, wherever the firm is.
    Floating,
}

impl When {
    fn rrule_tz(&self) -> rrule::Tz {
        match self.zone {
            Zone::Named(tz) => rrule::Tz::Tz(tz),
            Zone::Utc | Zone::Floating => rrule::Tz::UTC,
        }
    }

    /// The day it falls on in `zone`; a date or a floating time is on the
    /// day it says.
    fn day_in(&self, zone: chrono_tz::Tz) -> NaiveDate {
        match self.zone {
            Zone::Floating => self.wall.date(),
            _ => self.utc.with_timezone(&zone).date_naive(),
        }
    }
}

fn instant(property: &Property) -> Result<When, String> {
    parse_when(property.val.as_str(), property)
}

fn parse_when(value: &str, property: &Property) -> Result<When, String> {
    let value = value.trim();
    let wrong =
        || format!("`{value}` is not a date (YYYYMMDD) or a date and time (YYYYMMDDTHHMMSS)");
    if value.len() == 8 {
        let date = NaiveDate::parse_from_str(value, "%Y%m%d").map_err(|_| wrong())?;
        let wall = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        return Ok(When {
            wall,
            utc: Utc.from_utc_datetime(&wall),
            zone: Zone::Floating,
        });
    }
    let (text, utc) = match value.strip_suffix('Z') {
        Some(text) => (text, true),
        None => (value, false),
    };
    let wall = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").map_err(|_| wrong())?;
    if utc {
        return Ok(When {
            wall,
            utc: Utc.from_utc_datetime(&wall),
            zone: Zone::Utc,
        });
    }
    let named = param(property, "TZID").and_then(zone_named);
    match named {
        Some(tz) => {
            let local = tz
                .from_local_datetime(&wall)
                .earliest()
                .ok_or_else(|| format!("`{value}` does not exist in {}", tz.name()))?;
            Ok(When {
                wall,
                utc: local.with_timezone(&Utc),
                zone: Zone::Named(tz),
            })
        }
        None => Ok(When {
            wall,
            utc: Utc.from_utc_datetime(&wall),
            zone: Zone::Floating,
        }),
    }
}

/// An IANA name, or the Windows name Outlook writes for the same zone.
fn zone_named(tzid: &str) -> Option<chrono_tz::Tz> {
    let tzid = tzid.trim_matches('"');
    if let Ok(tz) = tzid.parse() {
        return Some(tz);
    }
    let iana = match tzid {
        "GMT Standard Time" => "Europe/London",
        "W. Europe Standard Time" => "Europe/Berlin",
        "Romance Standard Time" => "Europe/Paris",
        "Central Europe Standard Time" => "Europe/Budapest",
        "Central European Standard Time" => "Europe/Warsaw",
        "E. Europe Standard Time" => "Europe/Chisinau",
        "FLE Standard Time" => "Europe/Kiev",
        "GTB Standard Time" => "Europe/Bucharest",
        "Eastern Standard Time" => "America/New_York",
        "Central Standard Time" => "America/Chicago",
        "Mountain Standard Time" => "America/Denver",
        "Pacific Standard Time" => "America/Los_Angeles",
        "Arabian Standard Time" => "Asia/Dubai",
        "Singapore Standard Time" => "Asia/Singapore",
        "China Standard Time" => "Asia/Shanghai",
        "Tokyo Standard Time" => "Asia/Tokyo",
        "India Standard Time" => "Asia/Kolkata",
        "AUS Eastern Standard Time" => "Australia/Sydney",
        "UTC" | "Coordinated Universal Time" => "UTC",
        _ => return None,
    };
    iana.parse().ok()
}
