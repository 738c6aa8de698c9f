//! `exports/data/*.jsonl`: one JSON Lines file per table of the demo firm,
//! read back line by line and by DuckDB, and compared with figures
//! recomputed here from the firm's own files.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const TABLES: [&str; 10] = [
    "clients",
    "people",
    "activities",
    "tasks",
    "reviews",
    "revenue",
    "budget",
    "costs",
    "movers",
    "outliers",
];

fn demo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn built() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let o = common::build(&demo(), &site, &[]);
    assert_eq!(o.status.code(), Some(0));
    let data = site.join("exports/data");
    (out, data)
}

fn rows(data: &Path, table: &str) -> Vec<serde_json::Map<String, Value>> {
    let text = std::fs::read_to_string(data.join(format!("{table}.jsonl"))).unwrap();
    assert!(text.ends_with('\n'), "{table}: lines end with a line break");
    text.lines()
        .map(|l| match serde_json::from_str(l) {
            Ok(Value::Object(map)) => map,
            other => panic!("{table}: not an object: {other:?}"),
        })
        .collect()
}

/// The number of data rows of a CSV file (header and blank lines aside).
fn csv_rows(path: &Path) -> usize {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.records().filter_map(Result::ok).count()
}

#[test]
fn every_table_is_one_flat_record_a_line_with_the_same_keys() {
    let (_out, data) = built();
    for table in TABLES {
        let rows = rows(&data, table);
        assert!(!rows.is_empty(), "{table}");
        let keys: BTreeSet<&String> = rows[0].keys().collect();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(
                row.keys().collect::<BTreeSet<_>>(),
                keys,
                "{table} line {}",
                i + 1
            );
            for (key, value) in row {
                let is_date = key == "date" || key == "due" || key == "done";
                if is_date && !value.is_null() {
                    let text = value.as_str().unwrap();
                    assert!(
                        chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").is_ok(),
                        "{table}.{key}: {text}"
                    );
                }
                if key == "amount" || key == "credited" || key == "share" {
                    assert!(value.is_number(), "{table}.{key}: {value}");
                }
            }
        }
    }
}

#[test]
fn the_tables_hold_what_the_files_say() {
    let (_out, data) = built();
    let content = demo();
    let clients: Vec<PathBuf> = std::fs::read_dir(content.join("clients"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(rows(&data, "clients").len(), clients.len());

    // Activities: one line per note file and per activities.csv row.
    let mut notes = 0;
    let mut captured = 0;
    for dir in &clients {
        if let Ok(read) = std::fs::read_dir(dir.join("activities")) {
            notes += read
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .path()
                        .extension()
                        .is_some_and(|x| x == "md")
                })
                .count();
        }
        if dir.join("activities.csv").is_file() {
            captured += csv_rows(&dir.join("activities.csv"));
        }
    }
    let activities = rows(&data, "activities");
    let kind = |k: &str| activities.iter().filter(|r| r["kind"] == k).count();
    assert_eq!((kind("note"), kind("captured")), (notes, captured));
    // Call reports come with their notes.
    assert!(activities
        .iter()
        .filter(|r| r["kind"] == "note")
        .all(|r| r["report"].is_string()));

    // Revenue: the credited total, from revenue.csv.
    let mut reader = csv::Reader::from_path(content.join("financials/revenue.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (amount, share) = (col("amount"), col("share"));
    let mut credited = 0.0;
    let mut lines = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let a: f64 = record[amount].parse().unwrap();
        let s: f64 = record[share].parse().unwrap();
        credited += a * s / 100.0;
        lines += 1;
    }
    let revenue = rows(&data, "revenue");
    assert_eq!(revenue.len(), lines);
    let total: f64 = revenue
        .iter()
        .map(|r| r["credited"].as_f64().unwrap())
        .sum();
    assert!(
        (total - credited).abs() < 0.01,
        "{total} against {credited}"
    );
    assert_eq!(
        rows(&data, "budget").len(),
        csv_rows(&content.join("financials/budget.csv"))
    );

    // Enum values as the files write them.
    let statuses: BTreeSet<String> = rows(&data, "tasks")
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_string())
        .collect();
    assert!(statuses.contains("in-progress"), "{statuses:?}");
    assert!(statuses.iter().all(|s| !s.contains(' ')));
    let places: BTreeSet<String> = rows(&data, "tasks")
        .iter()
        .map(|r| r["place"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        places,
        ["follow-up", "plan", "review", "strategy"]
            .map(String::from)
            .into()
    );
}

#[test]
fn duckdb_reads_every_table() {
    let probe = Command::new("python3")
        .args(["-c", "import duckdb"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        assert!(
            std::env::var_os("CLIENTELE_BROWSER_TESTS").is_none(),
            "CLIENTELE_BROWSER_TESTS is set but Python's duckdb is missing"
        );
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr().lock(),
            "\nskipped duckdb_reads_every_table: missing Python's duckdb (pip install duckdb)"
        );
        return;
    }
    let (_out, data) = built();
    // DuckDB's defaults, as an analyst would type the query.
    let script = r#"
import duckdb, json, sys
data = sys.argv[1]
con = duckdb.connect()
out = {}
for table in sys.argv[2:]:
    out[table] = con.execute(f"SELECT count(*) FROM read_json_auto('{data}/{table}.jsonl')").fetchone()[0]
out["by_type"] = dict(con.execute(f"SELECT type, count(*) FROM '{data}/activities.jsonl' GROUP BY type").fetchall())
out["credited"] = con.execute(f"SELECT sum(credited) FROM '{data}/revenue.jsonl'").fetchone()[0]
out["date_type"] = con.execute(f"SELECT typeof(date) FROM '{data}/activities.jsonl' LIMIT 1").fetchone()[0]
print(json.dumps(out))
"#;
    let run = Command::new("python3")
        .args(["-c", script])
        .arg(&data)
        .args(TABLES)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let got: Value = serde_json::from_slice(&run.stdout).unwrap();
    for table in TABLES {
        assert_eq!(
            got[table].as_u64().unwrap() as usize,
            rows(&data, table).len(),
            "{table}"
        );
    }
    let mut by_type: BTreeMap<String, u64> = BTreeMap::new();
    for row in rows(&data, "activities") {
        *by_type
            .entry(row["type"].as_str().unwrap().to_string())
            .or_default() += 1;
    }
    let duck: BTreeMap<String, u64> = serde_json::from_value(got["by_type"].clone()).unwrap();
    assert_eq!(duck, by_type);
    let ours: f64 = rows(&data, "revenue")
        .iter()
        .map(|r| r["credited"].as_f64().unwrap())
        .sum();
    assert!((got["credited"].as_f64().unwrap() - ours).abs() < 0.01);
    assert_eq!(got["date_type"], "DATE", "DuckDB reads the dates as dates");
}
