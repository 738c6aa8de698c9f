//! Capture: interactions recorded elsewhere (calendar exports today) come
//! into the repository as files, matched to clients by address the way
//! Salesforce's activity capture and HubSpot's logging do (seed 002, sales
//! systems: "many firms have automated the capture of client
//! interactions"). An event with a colleague and an address of exactly one
//! client becomes that client's activity note, with an empty call report
//! for the person to write; internal events are skipped; events that
//! match no client, or two, are listed for a person to sort, never
//! dropped in silence. The repository stays the only record: nothing is
//! written that is already there (by UID), and nothing is overwritten.

pub mod calendar;
mod directory;
pub mod export;
pub mod mail;
mod map;
mod plan;

use chrono::NaiveDate;

pub use directory::{Directory, Verdict};
pub use map::ImportMap;
pub use plan::{Plan, Planned, Skip};

use crate::model::ActivityType;

/// An interaction found in an outside source, before it is matched.
#[derive(Clone, Debug)]
pub struct Found {
    /// Its day in the firm's time zone.
    pub date: NaiveDate,
    pub kind: ActivityType,
    pub title: String,
    /// What identifies it in the source: an event's UID, with the
    /// original start of one instance of a recurring event.
    pub uid: String,
    /// The organiser's address, lower-case.
    pub organizer: Option<String>,
    pub participants: Vec<Participant>,
}

/// An invited address and whether they declined.
#[derive(Clone, Debug)]
pub struct Participant {
    /// Lower-case.
    pub email: String,
    pub declined: bool,
}
