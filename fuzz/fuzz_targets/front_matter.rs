//! Markdown files with front matter: bytes -> text -> split -> each kind.
#![no_main]

use std::sync::Arc;

use clientele::load::{decode, split_front_matter, yaml};
use clientele::model::{ActivityFile, PlanFile, ReviewFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let rel: Arc<str> = Arc::from("clients/x/activities/fuzz.md");
    let Ok(text) = decode(data.to_vec(), &rel) else { return };
    let Ok(fm) = split_front_matter(&text, &rel) else { return };
    let _ = yaml::parse::<ActivityFile>(fm.yaml, &rel, fm.yaml_offset);
    let _ = yaml::parse::<ReviewFile>(fm.yaml, &rel, fm.yaml_offset);
    let _ = yaml::parse::<PlanFile>(fm.yaml, &rel, fm.yaml_offset);
});
