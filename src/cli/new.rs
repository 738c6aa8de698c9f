//! `clientele new client|person|activity|review`: write one valid file from
//! flags, so logging a call takes one command. Never overwrites; checks
//! every id against the repository with a "did you mean".

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Subcommand;

use super::parse_day;
use crate::load::slugify;
use crate::suggest;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
    /// The plans repository's content folder.
    #[arg(long, global = true, default_value = "content")]
    pub dir: PathBuf,
    /// The day to use for default dates (default: today's date).
    #[arg(long, global = true, value_parser = parse_day)]
    pub today: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum What {
    /// A client: clients/<id>/client.yaml (and plan.md when tiered).
    Client {
        id: String,
        #[arg(long)]
        name: String,
        /// Tier from the charter; omit for an untiered account.
        #[arg(long)]
        tier: Option<String>,
        /// The accountable owner (person id); required for a tiered client.
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        segment: Option<String>,
        #[arg(long)]
        region: Option<String>,
        /// Why it joins the tier (recorded in its priority history).
        #[arg(long, default_value = "Added to the priority list")]
        reason: String,
    },
    /// A person: team/<id>.yaml.
    Person {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        team: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        manager: Option<String>,
    },
    /// An activity note: clients/<client>/activities/<date>-<type>.md.
    Activity {
        client: String,
        /// call, meeting, email, im, transaction or event.
        #[arg(long = "type")]
        kind: String,
        /// Who logs it (person id).
        #[arg(long)]
        by: String,
        #[arg(long)]
        title: String,
        #[arg(long, value_parser = parse_day)]
        date: Option<NaiveDate>,
        /// The call report; `-` reads it from standard input.
        #[arg(long)]
        report: Option<String>,
        /// Other people of the firm who took part (comma-separated ids).
        #[arg(long, value_delimiter = ',')]
        attendees: Vec<String>,
        /// People at the client who took part (comma-separated).
        #[arg(long, value_delimiter = ',')]
        contacts: Vec<String>,
    },
    /// A review: clients/<client>/reviews/<date>-<kind>.md.
    Review {
        client: String,
        /// monthly, quarterly, annual or event.
        #[arg(long)]
        kind: String,
        /// Reviewers (comma-separated person ids).
        #[arg(long, value_delimiter = ',', required = true)]
        reviewers: Vec<String>,
        /// A finding; repeat for several.
        #[arg(long = "finding", required = true)]
        findings: Vec<String>,
        /// What prompted an event review, e.g. client-personnel-change.
        #[arg(long)]
        trigger: Option<String>,
        #[arg(long, value_parser = parse_day)]
        date: Option<NaiveDate>,
        /// The review changed the account plan.
        #[arg(long)]
        plan_changed: bool,
    },
}

/// A problem with the command: message and help.
struct Refused(String, Option<String>);

pub fn run(args: &Args) -> i32 {
    let today = crate::rules::Today::from_arg(args.today).date();
    let result = match &args.what {
        What::Client {
            id,
            name,
            tier,
            owner,
            segment,
            region,
            reason,
        } => new_client(
            &args.dir,
            today,
            id,
            name,
            tier.as_deref(),
            owner.as_deref(),
            segment.as_deref(),
            region.as_deref(),
            reason,
        ),
        What::Person {
            id,
            name,
            role,
            team,
            email,
            manager,
        } => new_person(
            &args.dir,
            id,
            name,
            role,
            team.as_deref(),
            email.as_deref(),
            manager.as_deref(),
        ),
        What::Activity {
            client,
            kind,
            by,
            title,
            date,
            report,
            attendees,
            contacts,
        } => new_activity(
            &args.dir,
            today,
            client,
            kind,
            by,
            title,
            date.unwrap_or(today),
            report.as_deref(),
            attendees,
            contacts,
        ),
        What::Review {
            client,
            kind,
            reviewers,
            findings,
            trigger,
            date,
            plan_changed,
        } => new_review(
            &args.dir,
            client,
            kind,
            reviewers,
            findings,
            trigger.as_deref(),
            date.unwrap_or(today),
            *plan_changed,
        ),
    };
    match result {
        Ok(paths) => {
            for p in paths {
                println!("{}", p.display());
            }
            0
        }
        Err(Refused(message, help)) => {
            eprintln!("error: {message}");
            if let Some(help) = help {
                eprintln!("  = help: {help}");
            }
            2
        }
    }
}

/// A YAML scalar: plain when unambiguous, double-quoted otherwise.
pub fn yaml_str(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_alphabetic())
        && s.chars()
            .all(|c| c.is_alphanumeric() || " .()/&'-".contains(c))
        && !s.ends_with(' ')
        && !["yes", "no", "on", "off", "true", "false", "null", "y", "n"]
            .contains(&s.to_lowercase().as_str());
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_default()
    }
}

fn ids_in(dir: &Path, files: bool) -> Vec<String> {
    let mut ids: Vec<String> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| {
            e.file_type()
                .is_ok_and(|t| if files { t.is_file() } else { t.is_dir() })
        })
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if files {
                name.rsplit_once('.')
                    .map_or(name.clone(), |(s, _)| s.to_string())
            } else {
                name
            }
        })
        .filter(|n| !n.starts_with('.'))
        .collect();
    ids.sort();
    ids
}

fn known(content: &Path, kind: &str, id: &str) -> Result<(), Refused> {
    let ids = if kind == "person" {
        ids_in(&content.join("team"), true)
    } else {
        ids_in(&content.join("clients"), false)
    };
    if ids.iter().any(|i| i == id) {
        return Ok(());
    }
    let help = match suggest::did_you_mean(id, ids.iter().map(String::as_str)) {
        Some(best) => Some(format!("did you mean `{best}`?")),
        None if kind == "person" => {
            Some(String::from("add them first with `clientele new person`"))
        }
        None => Some(String::from("add it first with `clientele new client`")),
    };
    Err(Refused(
        format!("unknown {kind} `{id}` in `{}`", content.display()),
        help,
    ))
}

fn valid_id(id: &str) -> Result<(), Refused> {
    if crate::load::is_valid_id(id) {
        Ok(())
    } else {
        Err(Refused(
            format!("`{id}` is not a usable id"),
            Some(format!(
                "ids use lower-case letters, digits and dashes, e.g. `{}`",
                slugify(id)
            )),
        ))
    }
}

/// Creates a file that must not exist yet.
fn create(path: &Path, text: &str) -> Result<PathBuf, Refused> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Refused(format!("cannot create `{}`: {e}", parent.display()), None))?;
    }
    crate::write::file::create_new(path, text.as_bytes()).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            Refused(
                format!(
                    "`{}` already exists; clientele never overwrites a file",
                    path.display()
                ),
                None,
            )
        } else {
            Refused(format!("cannot write `{}`: {e}", path.display()), None)
        }
    })?;
    Ok(path.to_path_buf())
}

/// A free name `<stem>.md`, `<stem>-2.md`, ... in `dir`.
fn free_name(dir: &Path, stem: &str) -> PathBuf {
    let mut n = 1;
    loop {
        let name = if n == 1 {
            format!("{stem}.md")
        } else {
            format!("{stem}-{n}.md")
        };
        if std::fs::symlink_metadata(dir.join(&name)).is_err() {
            return dir.join(name);
        }
        n += 1;
    }
}

fn charter_tiers(content: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(content.join("charter.yaml")).unwrap_or_default();
    let file: std::sync::Arc<str> = std::sync::Arc::from("charter.yaml");
    crate::load::yaml::parse::<crate::model::Charter>(&text, &file, 0)
        .map(|c| c.tiers.into_iter().map(|t| t.id.value).collect())
        .unwrap_or_default()
}

#[allow(clippy::too_many_arguments)]
fn new_client(
    content: &Path,
    today: NaiveDate,
    id: &str,
    name: &str,
    tier: Option<&str>,
    owner: Option<&str>,
    segment: Option<&str>,
    region: Option<&str>,
    reason: &str,
) -> Result<Vec<PathBuf>, Refused> {
    valid_id(id)?;
    let dir = content.join("clients").join(id);
    if dir.exists() {
        return Err(Refused(
            format!("client `{id}` already exists at `{}`", dir.display()),
            None,
        ));
    }
    if let Some(owner) = owner {
        known(content, "person", owner)?;
    }
    let mut yaml = format!("name: {}\n", yaml_str(name));
    if let Some(tier) = tier {
        let tiers = charter_tiers(content);
        if !tiers.iter().any(|t| t == tier) {
            let help = suggest::did_you_mean(tier, tiers.iter().map(String::as_str)).map_or_else(
                || {
                    format!(
                        "the charter's tiers are {}",
                        suggest::list(&tiers.iter().map(String::as_str).collect::<Vec<_>>())
                    )
                },
                |b| format!("did you mean `{b}`?"),
            );
            return Err(Refused(format!("unknown tier `{tier}`"), Some(help)));
        }
        if owner.is_none() {
            return Err(Refused(
                String::from("a tiered client needs an accountable owner"),
                Some(String::from("pass --owner <person id>")),
            ));
        }
        yaml.push_str(&format!("tier: {tier}\n"));
    }
    for (key, value) in [("segment", segment), ("region", region)] {
        if let Some(v) = value {
            yaml.push_str(&format!("{key}: {}\n", yaml_str(v)));
        }
    }
    if let Some(owner) = owner {
        yaml.push_str(&format!("coverage:\n  owner: {owner}\n"));
    }
    let mut written = Vec::new();
    if let Some(tier) = tier {
        yaml.push_str(&format!(
            "priority_history:\n  - date: {today}\n    tier: {tier}\n    reason: {}\n",
            yaml_str(reason)
        ));
        written.push(create(&dir.join("client.yaml"), &yaml)?);
        let plan = format!(
            "---\nfiscal_year: {}\nobjective: {}\n---\n\n# {name}: account plan\n\n## Where we are\n\n## What we want\n\n## How we get there\n",
            chrono::Datelike::year(&today),
            yaml_str(&format!("Agree the account plan for {name} with the coverage team")),
        );
        written.push(create(&dir.join("plan.md"), &plan)?);
    } else {
        written.push(create(&dir.join("client.yaml"), &yaml)?);
    }
    Ok(written)
}

fn new_person(
    content: &Path,
    id: &str,
    name: &str,
    role: &str,
    team: Option<&str>,
    email: Option<&str>,
    manager: Option<&str>,
) -> Result<Vec<PathBuf>, Refused> {
    valid_id(id)?;
    if let Some(m) = manager {
        known(content, "person", m)?;
    }
    let mut yaml = format!("name: {}\nrole: {}\n", yaml_str(name), yaml_str(role));
    for (key, value) in [("team", team), ("email", email), ("manager", manager)] {
        if let Some(v) = value {
            yaml.push_str(&format!("{key}: {}\n", yaml_str(v)));
        }
    }
    Ok(vec![create(
        &content.join("team").join(format!("{id}.yaml")),
        &yaml,
    )?])
}

#[allow(clippy::too_many_arguments)]
fn new_activity(
    content: &Path,
    today: NaiveDate,
    client: &str,
    kind: &str,
    by: &str,
    title: &str,
    date: NaiveDate,
    report: Option<&str>,
    attendees: &[String],
    contacts: &[String],
) -> Result<Vec<PathBuf>, Refused> {
    known(content, "client", client)?;
    known(content, "person", by)?;
    for a in attendees {
        known(content, "person", a)?;
    }
    let kinds: Vec<&str> = crate::model::ActivityType::ALL
        .iter()
        .map(|t| t.as_str())
        .collect();
    let Some(activity_type) = crate::model::ActivityType::parse(kind) else {
        let help = suggest::did_you_mean(kind, kinds.iter().copied()).map_or_else(
            || format!("types: {}", suggest::list(&kinds)),
            |b| format!("did you mean `{b}`?"),
        );
        return Err(Refused(
            format!("`{kind}` is not an activity type"),
            Some(help),
        ));
    };
    let report = match report {
        Some("-") => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
                Refused(
                    format!("cannot read the report from standard input: {e}"),
                    None,
                )
            })?;
            text
        }
        Some(text) => text.to_string(),
        None => String::new(),
    };
    let client_yaml =
        std::fs::read_to_string(content.join("clients").join(client).join("client.yaml"))
            .unwrap_or_default();
    let tiered = client_yaml.lines().any(|l| l.starts_with("tier:"));
    if activity_type.needs_call_report() && tiered && report.trim().is_empty() && date <= today {
        return Err(Refused(
            format!("a {kind} with tiered client `{client}` needs a call report"),
            Some(String::from("pass --report \"what was discussed and agreed\", or --report - to read it from standard input")),
        ));
    }
    let mut yaml = format!(
        "---\ndate: {date}\ntype: {kind}\nby: {by}\ntitle: {}\n",
        yaml_str(title)
    );
    if !attendees.is_empty() {
        yaml.push_str(&format!("attendees: [{}]\n", attendees.join(", ")));
    }
    if !contacts.is_empty() {
        yaml.push_str(&format!(
            "contacts: [{}]\n",
            contacts
                .iter()
                .map(|c| yaml_str(c.trim()))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if activity_type.needs_call_report() && !report.trim().is_empty() {
        yaml.push_str(&format!("reported: {}\n", today.max(date)));
    }
    yaml.push_str("---\n\n");
    yaml.push_str(report.trim());
    yaml.push('\n');
    validate::<crate::model::ActivityFile>(&yaml)?;
    let dir = content.join("clients").join(client).join("activities");
    Ok(vec![create(
        &free_name(&dir, &format!("{date}-{kind}")),
        &yaml,
    )?])
}

#[allow(clippy::too_many_arguments)]
fn new_review(
    content: &Path,
    client: &str,
    kind: &str,
    reviewers: &[String],
    findings: &[String],
    trigger: Option<&str>,
    date: NaiveDate,
    plan_changed: bool,
) -> Result<Vec<PathBuf>, Refused> {
    known(content, "client", client)?;
    for r in reviewers {
        known(content, "person", r)?;
    }
    let kinds = ["monthly", "quarterly", "annual", "event"];
    if !kinds.contains(&kind) {
        let help = suggest::did_you_mean(kind, kinds).map_or_else(
            || format!("kinds: {}", suggest::list(&kinds)),
            |b| format!("did you mean `{b}`?"),
        );
        return Err(Refused(
            format!("`{kind}` is not a review kind"),
            Some(help),
        ));
    }
    if kind == "event" && trigger.is_none() {
        return Err(Refused(
            String::from("an event review says what triggered it"),
            Some(String::from(
                "pass --trigger, e.g. client-personnel-change or merger-acquisition",
            )),
        ));
    }
    let mut yaml = format!("---\ndate: {date}\nkind: {kind}\n");
    if let Some(t) = trigger {
        yaml.push_str(&format!("trigger: {}\n", yaml_str(t)));
    }
    yaml.push_str(&format!(
        "reviewers: [{}]\nfindings:\n",
        reviewers.join(", ")
    ));
    for f in findings {
        yaml.push_str(&format!("  - {}\n", yaml_str(f)));
    }
    yaml.push_str(&format!("plan_changed: {plan_changed}\n---\n"));
    validate::<crate::model::ReviewFile>(&yaml)?;
    let dir = content.join("clients").join(client).join("reviews");
    Ok(vec![create(
        &free_name(&dir, &format!("{date}-{kind}")),
        &yaml,
    )?])
}

/// Parses the front matter about to be written, so a bad value (an unknown
/// trigger) is refused before any file exists.
fn validate<T: serde::de::DeserializeOwned>(markdown: &str) -> Result<(), Refused> {
    let rel: std::sync::Arc<str> = std::sync::Arc::from("(new file)");
    let fm =
        crate::load::split_front_matter(markdown, &rel).map_err(|d| Refused(d.message, d.help))?;
    crate::load::yaml::parse::<T>(fm.yaml, &rel, fm.yaml_offset)
        .map(|_| ())
        .map_err(|d| Refused(d.message, d.help))
}

#[cfg(test)]
mod tests {
    use super::yaml_str;

    #[test]
    fn yaml_strings_round_trip() {
        assert_eq!(yaml_str("Quarterly meeting"), "Quarterly meeting");
        assert_eq!(yaml_str("yes"), "\"yes\"");
        assert_eq!(yaml_str("Q4: review"), "\"Q4: review\"");
        assert_eq!(yaml_str("#1 \"best\""), "\"#1 \\\"best\\\"\"");
    }
}
