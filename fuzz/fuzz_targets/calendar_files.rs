//! iCalendar exports as `clientele import calendar` reads them: parsing,
//! time zones and the expansion of recurring events, over a fixed window.
#![no_main]

use std::sync::Arc;

use chrono::NaiveDate;
use clientele::import::calendar::{read, Window};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let window = Window {
        from: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        zone: chrono_tz::Europe::London,
    };
    let file: Arc<str> = Arc::from("fuzz.ics");
    let _ = read(|| Ok(data), &file, &window, drop);
});
