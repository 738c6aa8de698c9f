//! Whole-file YAML kinds; the first byte picks the kind.
#![no_main]

use std::sync::Arc;

use clientele::load::{decode, yaml};
use clientele::model::{Charter, ClientFile, Firm, FirmStrategy, PersonFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let rel: Arc<str> = Arc::from("fuzz.yaml");
    let Ok(text) = decode(rest.to_vec(), &rel) else { return };
    match kind % 5 {
        0 => drop(yaml::parse::<Firm>(&text, &rel, 0)),
        1 => drop(yaml::parse::<Charter>(&text, &rel, 0)),
        2 => drop(yaml::parse::<FirmStrategy>(&text, &rel, 0)),
        3 => drop(yaml::parse::<PersonFile>(&text, &rel, 0)),
        _ => drop(yaml::parse::<ClientFile>(&text, &rel, 0)),
    }
});
