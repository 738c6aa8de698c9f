//! The files clientele writes into a repository (`new`, `init`, `import`),
//! as typed records serialized to YAML: the same keys, enums and dates the
//! model reads, without the empty values a person would not write by hand.
//! [`loads_as`] reads a file back as the loader will before it is written.

use serde::Serialize;

use crate::model::{ActivityType, Date, Outcome, ReviewActionKind, ReviewKind, ReviewTrigger};

/// `firm.yaml` as `init` writes it.
#[derive(Serialize)]
pub struct FirmRecord<'a> {
    pub name: &'a str,
    pub currency: &'a str,
    pub fiscal_year_start_month: u32,
}

/// `team/<id>.yaml`.
#[derive(Serialize)]
pub struct PersonRecord<'a> {
    pub name: &'a str,
    pub role: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manager: Option<&'a str>,
}

/// `clients/<id>/client.yaml`.
#[derive(Serialize)]
pub struct ClientRecord<'a> {
    pub name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub segment: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub coverage: Option<CoverageRecord<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub priority_history: Vec<PriorityRecord<'a>>,
}

#[derive(Serialize)]
pub struct CoverageRecord<'a> {
    pub owner: &'a str,
}

#[derive(Serialize)]
pub struct PriorityRecord<'a> {
    pub date: Date,
    pub tier: &'a str,
    pub reason: &'a str,
}

/// The front matter of `clients/<id>/plan.md`.
#[derive(Serialize)]
pub struct PlanRecord {
    pub fiscal_year: i32,
    pub objective: String,
}

/// The front matter of an activity note.
#[derive(Serialize)]
pub struct ActivityRecord<'a> {
    pub date: Date,
    #[serde(rename = "type")]
    pub kind: ActivityType,
    pub by: &'a str,
    pub title: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub attendees: &'a [String],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reported: Option<Date>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<TaskRecord<'a>>,
    /// Where it was captured from: `calendar`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<&'a str>,
}

/// A follow-up of an activity or an action of a review.
#[derive(Serialize)]
pub struct TaskRecord<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<ReviewActionKind>,
    pub title: &'a str,
    pub owner: &'a str,
    pub due: Date,
}

/// The front matter of a review.
#[derive(Serialize)]
pub struct ReviewRecord<'a> {
    pub date: Date,
    pub kind: ReviewKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger: Option<ReviewTrigger>,
    pub reviewers: &'a [String],
    pub findings: &'a [String],
    pub plan_changed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<TaskRecord<'a>>,
}

/// `strategy.yaml` as `init` writes it: one goal, one strategy, one action.
#[derive(Serialize)]
pub struct StrategyRecord<'a> {
    pub goals: [GoalRecord<'a>; 1],
    pub strategies: [StrategyItem<'a>; 1],
    pub actions: [ActionRecord<'a>; 1],
}

#[derive(Serialize)]
pub struct GoalRecord<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub owner: &'a str,
}

#[derive(Serialize)]
pub struct StrategyItem<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub goal: &'a str,
    pub owner: &'a str,
}

#[derive(Serialize)]
pub struct ActionRecord<'a> {
    pub title: &'a str,
    pub strategy: &'a str,
    pub owner: &'a str,
    pub due: Date,
}

/// A record as a YAML document, lists indented under their key, every
/// value on one line and dates unquoted, as the demo repository writes them.
pub fn to_yaml<T: Serialize>(record: &T) -> String {
    let options = serde_saphyr::ser_options! {
        compact_list_indent: false,
        prefer_block_scalars: false,
        // Dates unquoted, as people write them: the loader reads YAML 1.2
        // (only `true` and `false` are booleans), so 1.1's quoting is noise.
        yaml_12: true,
        no_lang_directive: true,
    };
    // Plain structs of strings, numbers, dates and enums: the serializer
    // has nothing to refuse.
    serde_saphyr::to_string_with_options(record, options).unwrap_or_default()
}

/// A Markdown file: the record as front matter, then the body.
pub fn markdown<T: Serialize>(front: &T, body: &str) -> String {
    let body = body.trim();
    let mut text = format!("---\n{}---\n", to_yaml(front));
    if !body.is_empty() {
        text.push('\n');
        text.push_str(body);
        text.push('\n');
    }
    text
}

/// Parses a file about to be written as the loader will (YAML, or
/// Markdown with front matter; `T` is its type in the model).
pub fn loads_as<T: serde::de::DeserializeOwned>(
    path: &std::path::Path,
    text: &str,
) -> Result<(), crate::diag::Diagnostic> {
    let rel: std::sync::Arc<str> = std::sync::Arc::from(path.to_string_lossy().as_ref());
    let (yaml, offset) = if path.extension().is_some_and(|e| e == "md") {
        let fm = crate::load::split_front_matter(text, &rel)?;
        (fm.yaml, fm.yaml_offset)
    } else {
        (text, 0)
    };
    crate::load::yaml::parse::<T>(yaml, &rel, offset).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_yaml_syntax_stay_strings() {
        let person = PersonRecord {
            name: "Ann: \"the\" #1\nsecond line\u{1}",
            role: "yes",
            team: Some("null"),
            email: Some("- a@b"),
            manager: Some("~"),
        };
        let text = to_yaml(&person);
        let file: std::sync::Arc<str> = std::sync::Arc::from("team/x.yaml");
        let back: crate::model::PersonFile = crate::load::yaml::parse(&text, &file, 0).unwrap();
        assert_eq!(back.name, person.name);
        assert_eq!(back.role, "yes");
        assert_eq!(back.team.as_deref(), Some("null"));
        assert_eq!(back.email.as_deref(), Some("- a@b"));
        assert_eq!(back.manager.map(|m| m.value).as_deref(), Some("~"));
    }

    #[test]
    fn dates_are_written_as_people_write_them() {
        let date = Date(chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap());
        let review = ReviewRecord {
            date,
            kind: ReviewKind::Event,
            trigger: Some(ReviewTrigger::ClientPersonnelChange),
            reviewers: &[String::from("jdoe")],
            findings: &[String::from("2026-01-01")],
            plan_changed: false,
            actions: Vec::new(),
        };
        assert_eq!(
            to_yaml(&review),
            "date: 2026-11-22\nkind: event\ntrigger: client-personnel-change\nreviewers:\n  - jdoe\nfindings:\n  - 2026-01-01\nplan_changed: false\n"
        );
    }
}
