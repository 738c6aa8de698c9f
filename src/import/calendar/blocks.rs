//! The events of an iCalendar text, one at a time: each VEVENT of the
//! calendar with its folded lines joined, and the line of the file each
//! of its lines starts on.

use std::sync::Arc;

use crate::diag::Span;

/// One VEVENT, unfolded, with CRLF line ends (the icalendar parser looks
/// for "\r\n" first; scanning a file without one for every property made
/// a large export quadratic).
pub struct Block {
    pub text: String,
    /// For each line of `text`, the line of the file it starts on.
    lines: Vec<u32>,
}

impl Block {
    /// Whether the event has a property called `name`.
    pub fn has(&self, name: &str) -> bool {
        self.text.split("\r\n").any(|l| is_property(l, name))
    }

    /// Where the property `name` is written, else where the event starts.
    pub fn span(&self, file: &Arc<str>, name: &str) -> Span {
        let line = self
            .text
            .split("\r\n")
            .position(|l| is_property(l, name))
            .and_then(|i| self.lines.get(i))
            .or(self.lines.first())
            .copied()
            .unwrap_or(1);
        Span::new(file, line, 1)
    }

    /// The line of the file that a parser message (`at line 3:`, counted
    /// in the event) points at.
    pub fn line_of(&self, message: &str) -> u32 {
        let at = message.find("at line ").map(|i| &message[i + 8..]);
        let digits: String = at
            .unwrap_or("")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let index = digits.parse::<usize>().unwrap_or(1).max(1) - 1;
        self.lines
            .get(index)
            .or(self.lines.first())
            .copied()
            .unwrap_or(1)
    }
}

/// `DTSTART:...` or `DTSTART;TZID=...:...` for `name` DTSTART.
fn is_property(line: &str, name: &str) -> bool {
    line.get(..name.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(name))
        && line[name.len()..].starts_with([':', ';'])
}

/// The file's lines, each with its number, line ends removed.
fn numbered(text: &str) -> impl Iterator<Item = (u32, &str)> {
    (1u32..).zip(text.lines().map(|l| l.strip_suffix('\r').unwrap_or(l)))
}

/// `Ok` if the first line that is not blank begins a VCALENDAR, else the
/// line that does not.
pub fn is_calendar(text: &str) -> Result<(), u32> {
    match numbered(text).find(|(_, l)| !l.trim().is_empty()) {
        Some((_, l)) if l.eq_ignore_ascii_case("BEGIN:VCALENDAR") => Ok(()),
        Some((n, _)) => Err(n),
        None => Err(1),
    }
}

/// Calls `each` with every VEVENT directly inside the calendar, in order.
/// Returns the line of an event that is never closed, if one is not.
pub fn events(text: &str, mut each: impl FnMut(&Block)) -> Option<u32> {
    let mut depth = 0u32;
    let mut block: Option<Block> = None;
    // Events nested in another component (none in practice) are not
    // interactions; only their depth is followed.
    let mut inner = 0u32;
    for (n, line) in numbered(text) {
        if let Some(event) = block.as_mut() {
            if let Some(rest) = line.strip_prefix([' ', '\t']) {
                event.text.truncate(event.text.len() - 2);
                event.text.push_str(rest);
                event.text.push_str("\r\n");
                continue;
            }
            event.text.push_str(line);
            event.text.push_str("\r\n");
            event.lines.push(n);
            if starts_with_ignore_case(line, "BEGIN:") {
                inner += 1;
            } else if starts_with_ignore_case(line, "END:") {
                if inner == 0 {
                    if let Some(done) = block.take() {
                        each(&done);
                    }
                } else {
                    inner -= 1;
                }
            }
            continue;
        }
        if line.eq_ignore_ascii_case("BEGIN:VEVENT") && depth == 1 {
            block = Some(Block {
                text: String::from("BEGIN:VEVENT\r\n"),
                lines: vec![n],
            });
            inner = 0;
        } else if starts_with_ignore_case(line, "BEGIN:") {
            depth += 1;
        } else if starts_with_ignore_case(line, "END:") {
            depth = depth.saturating_sub(1);
        }
    }
    block.and_then(|b| b.lines.first().copied())
}

fn starts_with_ignore_case(line: &str, prefix: &str) -> bool {
    line.get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_unfolded_one_at_a_time_with_their_lines() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:a\r\nSUMMARY:one\r\n  two\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\nBEGIN:VEVENT\nUID:b\nEND:VEVENT\nEND:VCALENDAR\n";
        let mut seen = Vec::new();
        let unclosed = events(text, |b| seen.push((b.text.clone(), b.lines.clone())));
        assert_eq!(unclosed, None);
        assert_eq!(
            seen,
            [
                (
                    String::from("BEGIN:VEVENT\r\nUID:a\r\nSUMMARY:one two\r\nBEGIN:VALARM\r\nEND:VALARM\r\nEND:VEVENT\r\n"),
                    vec![6, 7, 8, 10, 11, 12]
                ),
                (
                    String::from("BEGIN:VEVENT\r\nUID:b\r\nEND:VEVENT\r\n"),
                    vec![13, 14, 15]
                ),
            ]
        );
        let block = Block {
            text: seen[0].0.clone(),
            lines: seen[0].1.clone(),
        };
        assert!(block.has("summary") && !block.has("SUMMAR"));
        assert_eq!(block.line_of("error: at line 3:"), 8);
    }

    #[test]
    fn an_event_never_closed_is_found() {
        assert_eq!(
            events("BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n", |_| {}),
            Some(2)
        );
        assert_eq!(is_calendar("\n\nhello\n"), Err(3));
    }
}
