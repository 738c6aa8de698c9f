//! Mail as `clientele import mail` reads it: mbox framing, header
//! decoding (encoded words, folding, dates) and matching the window.
#![no_main]

use std::sync::Arc;

use chrono::NaiveDate;
use clientele::import::calendar::Window;
use clientele::import::mail::{read_bytes, Read};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let window = Window {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        zone: chrono_tz::Europe::London,
    };
    let file: Arc<str> = Arc::from("fuzz.mbox");
    let mut out = Read::default();
    read_bytes(data, &file, &window, &mut out);
});
