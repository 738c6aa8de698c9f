//! CRM and phone exports as `clientele import csv` reads them: an import
//! map (YAML), then a NUL byte, then the CSV export it reads.
#![no_main]

use std::sync::Arc;

use chrono::NaiveDate;
use clientele::import::calendar::Window;
use clientele::import::{export, ImportMap};
use clientele::model::Model;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some((map, csv)) = text.split_once('\0') else { return };
    let map_file: Arc<str> = Arc::from("map.yaml");
    let Ok(map) = clientele::load::yaml::parse::<ImportMap>(map, &map_file, 0) else {
        return;
    };
    let model = Model::default();
    let _ = export::check_map(&map, &map_file, &model);
    let window = Window {
        from: NaiveDate::MIN,
        to: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        zone: chrono_tz::Europe::London,
    };
    let file: Arc<str> = Arc::from("export.csv");
    let _ = export::read(csv, &file, &map, &map_file, &model, &window);
});
