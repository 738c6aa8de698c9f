//! `clientele schema`: the committed schemas are the generated ones, and
//! they reject what the loader rejects.

mod common;

use std::path::Path;

#[test]
fn committed_schemas_are_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let out = common::clientele()
        .args(["schema", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let committed = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let mut count = 0;
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        let fresh = std::fs::read_to_string(entry.path()).unwrap();
        let old = std::fs::read_to_string(committed.join(&name)).unwrap_or_default();
        assert!(
            fresh == old,
            "schemas/{} is out of date: run `cargo run -- schema`",
            name.to_string_lossy()
        );
        count += 1;
    }
    assert_eq!(count, 9);
}

#[test]
fn schemas_are_draft_07_and_strict() {
    for (name, text) in clientele::cli::schema::schemas() {
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$schema"], "http://json-schema.org/draft-07/schema#",
            "{name}"
        );
        assert_eq!(
            schema["additionalProperties"], false,
            "{name}: unknown fields must be flagged in the editor too"
        );
    }
    let client: serde_json::Value =
        serde_json::from_str(&clientele::cli::schema::schemas()[4].1).unwrap();
    assert_eq!(client["required"], serde_json::json!(["name"]));
}

#[test]
fn the_editor_maps_the_schemas() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join(".vscode/settings.json")).unwrap())
            .unwrap();
    for (schema, _) in settings["yaml.schemas"].as_object().unwrap() {
        assert!(root.join(schema).is_file(), "{schema}");
    }
}

#[test]
fn check_refuses_what_the_schemas_bound() {
    let dir = common::repo("");
    let firm = dir.path().join("firm.yaml");
    let text = std::fs::read_to_string(&firm).unwrap();
    std::fs::write(
        &firm,
        text.replace("fiscal_year_start_month: 1", "fiscal_year_start_month: 13"),
    )
    .unwrap();
    let client = dir.path().join("clients/acme/client.yaml");
    let text = std::fs::read_to_string(&client).unwrap();
    std::fs::write(&client, format!("{text}wallet_size: -250000\n")).unwrap();
    let (code, found) = common::check_json(dir.path());
    assert_eq!(code, 2);
    let invalid: Vec<_> = found.iter().filter(|f| f.rule == "invalid-value").collect();
    assert_eq!(invalid.len(), 2, "{found:#?}");
    let month = invalid.iter().find(|f| f.file == "firm.yaml").unwrap();
    assert_eq!(
        month.message,
        "`fiscal_year_start_month` is 13: months are numbered 1 to 12"
    );
    assert_eq!((month.line, month.column), (3, 26));
    let wallet = invalid
        .iter()
        .find(|f| f.file == "clients/acme/client.yaml")
        .unwrap();
    assert_eq!(
        wallet.message,
        "`wallet_size` is -250000: a client's spend cannot be below nothing"
    );
    assert_eq!(wallet.column, 14);
}
