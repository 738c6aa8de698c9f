//! CSV kinds (activities, revenue, budget, costs); the first byte picks.
#![no_main]

use clientele::load::parse_table;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else { return };
    let kind = ["activities", "revenue", "budget", "costs"][usize::from(kind % 4)];
    let _ = parse_table(kind, rest);
});
