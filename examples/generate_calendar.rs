//! Generates a year of calendar for the people of a firm made by
//! `generate`, as one iCalendar export, for benchmarking
//! `clientele import calendar`: most events with a client's people, some
//! internal, some with strangers, some cancelled; one in ten a weekly
//! series. Deterministic for a seed.
//!
//! cargo run --release --example generate_calendar -- --clients 36000 --people 350 --events 100000 --out cal.ics

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

use clap::Parser;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 36_000)]
    clients: usize,
    #[arg(long, default_value_t = 350)]
    people: usize,
    #[arg(long, default_value_t = 100_000)]
    events: usize,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const HEAD: &str = "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nBEGIN:VTIMEZONE\r\nTZID:Europe/London\r\nBEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0000\r\nTZOFFSETTO:+0100\r\nTZNAME:BST\r\nDTSTART:19700329T010000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\nBEGIN:STANDARD\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0000\r\nTZNAME:GMT\r\nDTSTART:19701025T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n";

fn main() {
    let args = Args::parse();
    let file = std::fs::File::create(&args.out).expect("create the output file");
    let mut out = std::io::BufWriter::new(file);
    let mut r = Rng::new(args.seed, 7);
    out.write_all(HEAD.as_bytes()).expect("write");
    let mut event = String::new();
    for i in 0..args.events {
        event.clear();
        let person = format!("p{:04}@widecombe-pumps.example", r.below(args.people));
        let day = 5 + r.below(320);
        let date =
            chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(day as u64);
        let hour = 8 + r.below(10);
        let _ = write!(
            event,
            "BEGIN:VEVENT\r\nDTSTART;TZID=Europe/London:{}T{hour:02}0000\r\nDTEND;TZID=Europe/London:{}T{hour:02}4500\r\nDTSTAMP:20261121T090000Z\r\nUID:bench-{i}@example.com\r\nORGANIZER:mailto:{person}\r\n",
            date.format("%Y%m%d"),
            date.format("%Y%m%d")
        );
        let client = format!("c{:05}", r.below(args.clients));
        let (guest, title) = match r.below(20) {
            0..=13 => (
                format!("buyer{}@{client}.example.com", r.below(5)),
                "Account meeting",
            ),
            14..=16 => (
                format!("p{:04}@widecombe-pumps.example", r.below(args.people)),
                "Internal review",
            ),
            17 => (
                format!("someone{}@elsewhere.example", r.below(1000)),
                "Prospect coffee",
            ),
            _ => (
                format!("buyer{}@{client}.example.com", r.below(5)),
                "Pricing call",
            ),
        };
        let _ = write!(
            event,
            "ATTENDEE;PARTSTAT=ACCEPTED:mailto:{guest}\r\nSUMMARY:{title}\r\n"
        );
        if r.below(10) == 0 {
            let _ = write!(event, "RRULE:FREQ=WEEKLY;COUNT={}\r\n", 2 + r.below(8));
        }
        if r.below(25) == 0 {
            event.push_str("STATUS:CANCELLED\r\n");
        }
        event.push_str("END:VEVENT\r\n");
        out.write_all(event.as_bytes()).expect("write");
    }
    out.write_all(b"END:VCALENDAR\r\n").expect("write");
    out.flush().expect("flush");
}
