//! The events of an iCalendar file, one at a time, read as a stream: each
//! VEVENT of the calendar with its folded lines joined, and the line of
//! the file each of its lines starts on. Only one event is held at once,
//! so a calendar of any size takes the memory of its largest event.

use std::io::BufRead;
use std::sync::Arc;

use crate::diag::Span;

/// The longest line read, and the largest event (its lines unfolded):
/// an export's longest lines are descriptions of a few KB; more is not a
/// calendar, and is not held in memory to find out.
const MAX_LINE_BYTES: usize = 1 << 20;
const MAX_EVENT_BYTES: usize = 4 << 20;

/// One VEVENT, unfolded, with CRLF line ends (the icalendar parser looks
/// for "\r\n" first; scanning a file without one for every property made
/// a large export quadratic).
pub struct Block {
    pub text: String,
    /// For each line of `text`, the line of the file it starts on.
    lines: Vec<u32>,
}

/// Why a file's events could not all be read.
#[derive(Debug)]
pub enum Stop {
    /// The first line that is not blank does not begin a VCALENDAR.
    NotCalendar(u32),
    /// An event that is never closed starts on this line.
    Unclosed(u32),
    /// This line is not UTF-8.
    NotText(u32),
    /// This line, or the event that reaches it, is longer than clientele reads.
    TooLong(u32),
    Io(std::io::Error),
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

/// Reads the next line into `line` (its end removed); `false` at the end
/// of the input.
fn next_line(
    input: &mut impl BufRead,
    bytes: &mut Vec<u8>,
    line: &mut String,
    n: u32,
) -> Result<bool, Stop> {
    bytes.clear();
    loop {
        let available = input.fill_buf().map_err(Stop::Io)?;
        if available.is_empty() {
            break;
        }
        let (used, done) = match memchr::memchr(b'\n', available) {
            Some(i) => (i + 1, true),
            None => (available.len(), false),
        };
        if bytes.len() + used > MAX_LINE_BYTES {
            return Err(Stop::TooLong(n));
        }
        bytes.extend_from_slice(&available[..used]);
        input.consume(used);
        if done {
            break;
        }
    }
    if bytes.is_empty() {
        return Ok(false);
    }
    let mut text: &[u8] = bytes;
    if n == 1 {
        text = text.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(text);
    }
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    line.clear();
    line.push_str(std::str::from_utf8(text).map_err(|_| Stop::NotText(n))?);
    Ok(true)
}

/// Calls `each` with every VEVENT directly inside the calendar, in order.
pub fn events(mut input: impl BufRead, mut each: impl FnMut(&Block)) -> Result<(), Stop> {
    let (mut bytes, mut line) = (Vec::new(), String::new());
    let mut depth = 0u32;
    let mut block: Option<Block> = None;
    // Events nested in another component (none in practice) are not
    // interactions; only their depth is followed.
    let mut inner = 0u32;
    let mut begun = false;
    for n in 1u32.. {
        if !next_line(&mut input, &mut bytes, &mut line, n)? {
            break;
        }
        if !begun {
            if line.trim().is_empty() {
                continue;
            }
            if !line.eq_ignore_ascii_case("BEGIN:VCALENDAR") {
                return Err(Stop::NotCalendar(n));
            }
            begun = true;
        }
        if let Some(event) = block.as_mut() {
            if event.text.len() + line.len() > MAX_EVENT_BYTES {
                return Err(Stop::TooLong(n));
            }
            if let Some(rest) = line.strip_prefix([' ', '\t']) {
                event.text.truncate(event.text.len() - 2);
                event.text.push_str(rest);
                event.text.push_str("\r\n");
                continue;
            }
            event.text.push_str(&line);
            event.text.push_str("\r\n");
            event.lines.push(n);
            if starts_with_ignore_case(&line, "BEGIN:") {
                inner += 1;
            } else if starts_with_ignore_case(&line, "END:") {
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
        } else if starts_with_ignore_case(&line, "BEGIN:") {
            depth += 1;
        } else if starts_with_ignore_case(&line, "END:") {
            depth = depth.saturating_sub(1);
        }
    }
    match block {
        Some(b) => Err(Stop::Unclosed(b.lines.first().copied().unwrap_or(1))),
        None if !begun => Err(Stop::NotCalendar(1)),
        None => Ok(()),
    }
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
        let read = events(text.as_bytes(), |b| {
            seen.push((b.text.clone(), b.lines.clone()))
        });
        assert!(read.is_ok());
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
    fn what_stops_the_reading_is_located() {
        let stop = |text: &[u8]| events(text, |_| {}).unwrap_err();
        assert!(matches!(
            stop(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:a\n"),
            Stop::Unclosed(2)
        ));
        assert!(matches!(stop(b"\n\nhello\n"), Stop::NotCalendar(3)));
        assert!(matches!(stop(b""), Stop::NotCalendar(1)));
        assert!(matches!(
            stop(b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:caf\xE9\n"),
            Stop::NotText(3)
        ));
        // A line without an end is not read whole to find one.
        let endless = [
            b"BEGIN:VCALENDAR\nX:".as_slice(),
            &vec![b'x'; MAX_LINE_BYTES],
        ]
        .concat();
        assert!(matches!(stop(&endless), Stop::TooLong(2)));
        // A byte-order mark is not part of the first line.
        assert!(events(
            b"\xEF\xBB\xBFBEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n".as_slice(),
            |_| {}
        )
        .is_ok());
    }
}
