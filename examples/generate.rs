//! Generates a large, valid plans repository for benchmarks, deterministic
//! from a seed: by default the firm of seed 004 (36,000 clients, 8,000 of
//! them tiered with plans, 350 staff, a year of activity).
//!
//!     cargo run --release --example generate -- --clients 36000 --tiered 8000 \
//!         --people 350 --notes 100000 --captured 400000 --out big-firm
//!
//! `--violations N` sprinkles N known rule violations (listed on stdout) so
//! that check has real work to report.
//!
//! Third-party data comes too (#19): a half-yearly survey in each tiered
//! client's `data/`, and a vendor's quarterly market share of every client
//! in `financials/market/`; revenue lines give their units (`quantity`).
//! They draw on random streams of their own, so the rest of the firm is
//! the same as without them.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::Parser;
use rayon::prelude::*;

#[derive(Parser)]
struct Args {
    #[arg(long, default_value_t = 36_000)]
    clients: usize,
    #[arg(long, default_value_t = 8_000)]
    tiered: usize,
    #[arg(long, default_value_t = 350)]
    people: usize,
    /// Activity notes with call reports, as files.
    #[arg(long, default_value_t = 100_000)]
    notes: usize,
    /// Captured interactions, in per-client activities.csv files.
    #[arg(long, default_value_t = 400_000)]
    captured: usize,
    #[arg(long, default_value_t = 0)]
    violations: usize,
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    #[arg(long)]
    out: PathBuf,
}

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const FIRST: &[&str] = &[
    "Alice", "Ben", "Chloe", "David", "Emma", "Farid", "Grace", "Hamish", "Isla", "Jonas", "Kira",
    "Liam", "Maya", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sanjay", "Tara", "Umar", "Vera",
    "Wen", "Xavier", "Yara", "Zane", "Amara", "Bruno", "Carys", "Dmitri",
];
const LAST: &[&str] = &[
    "Abbott",
    "Baker",
    "Chandra",
    "Dawson",
    "Evans",
    "Fischer",
    "Gallagher",
    "Hughes",
    "Ibrahim",
    "Jensen",
    "Kowalczyk",
    "Lambert",
    "Moreno",
    "Nakamura",
    "O'Brien",
    "Patel",
    "Quinlan",
    "Rahman",
    "Schmidt",
    "Turner",
    "Usman",
    "Vasquez",
    "Walsh",
    "Xu",
    "Young",
    "Zimmer",
];
const WORDS: &[&str] = &[
    "Harbour",
    "Summit",
    "Vale",
    "Northgate",
    "Cedar",
    "Falcon",
    "Granite",
    "Meadow",
    "Orchard",
    "Pinnacle",
    "Riverside",
    "Sterling",
    "Thistle",
    "Upland",
    "Westbrook",
    "Ashford",
    "Beacon",
    "Crown",
    "Dorset",
    "Elm",
    "Fairway",
    "Glenn",
    "Hawthorn",
    "Ironbridge",
    "Juniper",
    "Kestrel",
    "Linden",
    "Marsh",
    "Oakley",
    "Penrose",
];
const KINDS: &[&str] = &[
    "Pumps",
    "Valves",
    "Engineering",
    "Foods",
    "Logistics",
    "Plastics",
    "Components",
    "Packaging",
    "Steel",
    "Textiles",
    "Timber",
    "Controls",
    "Hydraulics",
    "Fasteners",
    "Coatings",
];
const SUFFIX: &[&str] = &[
    "Ltd",
    "plc",
    "Group",
    "Holdings",
    "& Sons",
    "Industries",
    "Manufacturing",
];
const SEGMENTS: &[&str] = &[
    "manufacturing",
    "utilities",
    "construction",
    "food-processing",
    "logistics",
    "automotive",
    "chemicals",
    "public-sector",
];
const REGIONS: &[&str] = &[
    "south-west",
    "south-east",
    "midlands",
    "north",
    "scotland",
    "wales",
    "ireland",
];
const PRODUCTS: &[&str] = &[
    "pumps",
    "valves",
    "spares",
    "service-contracts",
    "controls",
    "training",
];
const TOPICS: &[&str] = &[
    "the spring maintenance shutdown",
    "a tender for the new plant",
    "delivery delays on valves",
    "pricing for next year",
    "the service contract renewal",
    "a new procurement system",
    "energy costs at the main site",
    "a quality complaint about seals",
];
const OUTCOMES: &[&str] = &[
    "They will send the specification next week.",
    "Agreed a trial order for the spares kit.",
    "No decision until their budget is signed off.",
    "They want a site visit from our engineer.",
    "They asked for revised pricing on the service contract.",
];
/// A tier: its id, its share of the tiered clients in percent, and its
/// review cadence in months (as the generated charter states it).
type Tier = (&'static str, usize, u32);

const TIERS: &[Tier] = &[("strategic", 10, 1), ("key", 30, 3), ("growth", 60, 3)];

fn main() {
    let args = Args::parse();
    if args.out.exists() {
        eprintln!(
            "error: `{}` exists; generate into a new folder",
            args.out.display()
        );
        std::process::exit(2);
    }
    let started = std::time::Instant::now();
    let out = &args.out;
    write(
        out,
        "firm.yaml",
        &format!("name: Widecombe Pumps & Valves\ncurrency: GBP\nfiscal_year_start_month: 1\ndomains: [widecombe-pumps.example]\n{DATASETS}"),
    );
    write(out, "charter.yaml", CHARTER);
    let people: Vec<String> = (0..args.people).map(|i| format!("p{i:04}")).collect();
    for (i, id) in people.iter().enumerate() {
        let mut r = Rng::new(args.seed, 1_000_000 + i as u64);
        let name = format!("{} {}", r.pick(FIRST), r.pick(LAST));
        let manager = if i == 0 {
            String::new()
        } else {
            format!("manager: p{:04}\n", i / 12)
        };
        write(
            out,
            &format!("team/{id}.yaml"),
            &format!(
                "name: \"{name}\"\nemail: {id}@widecombe-pumps.example\nrole: {}\n{manager}",
                if i < 30 {
                    "Sales Manager"
                } else {
                    "Account Manager"
                }
            ),
        );
    }
    write(out, "strategy.yaml", &format!("goals:\n  - id: share\n    title: Recover market share lost since 2018\n    owner: {0}\nstrategies:\n  - id: drivers\n    title: Train delivery drivers in relationship management\n    goal: share\n    owner: {0}\nactions:\n  - title: Run relationship training for all 3,500 drivers\n    strategy: drivers\n    owner: {0}\n    due: 2026-12-15\n", people[0]));

    // Notes go to tiered clients; a tenth to untiered ones.
    let per_tiered = (args.notes * 9 / 10) / args.tiered.max(1);
    let untiered = args.clients - args.tiered;
    let per_untiered_note = if untiered > 0 {
        (args.notes - per_tiered * args.tiered) as f64 / untiered as f64
    } else {
        0.0
    };
    let per_captured = args.captured as f64 / args.clients.max(1) as f64;
    let results: Vec<(String, Vec<String>, Vec<&'static str>)> = (0..args.clients)
        .into_par_iter()
        .map(|i| {
            client(
                &args,
                out,
                &people,
                i,
                per_tiered,
                per_untiered_note,
                per_captured,
            )
        })
        .collect();
    let mut revenue =
        String::from("date,client,product,region,amount,credited_to,txn_id,share,quantity\n");
    let mut market = String::from("client,date,share,brokers\n");
    let mut budget = String::from("client,period,amount\n");
    let mut violations: Vec<&str> = Vec::new();
    for (i, (id, lines, v)) in results.iter().enumerate() {
        revenue.extend(lines.iter().map(String::as_str));
        market_rows(&mut market, &args, i, id);
        let total: f64 = lines
            .iter()
            .filter_map(|l| l.split(',').nth(4)?.parse::<f64>().ok())
            .sum();
        let _ = writeln!(budget, "{id},2026,{:.0}", total * 1.08);
        violations.extend(v);
    }
    write(out, "financials/revenue.csv", &revenue);
    write(out, "financials/market/market-share.csv", &market);
    write(out, "financials/budget.csv", &budget);
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for v in violations {
        *counts.entry(v).or_default() += 1;
    }
    println!(
        "generated {} clients in {} in {:.1?}",
        args.clients,
        out.display(),
        started.elapsed()
    );
    for (rule, n) in counts {
        println!("violation {rule}: {n}");
    }
}

const CHARTER: &str = "tiers:
  - id: strategic
    name: Strategic
    entry: [Annual revenue above 250k]
    exit: [Revenue below 150k for a year]
    review_cadence: monthly
    call_report_days: 3
    minimum_per_quarter: { meeting: 1 }
    service:
      - what: Quarterly site meeting
        who: owner
        measure: A meeting a quarter with the owner
        target: { count: [meeting], per: quarter, at_least: 1, by: owner }
      - what: Regular contact
        who: owner
        measure: A meeting or call at least every 45 days
        target: { contact_every_days: 45, types: [meeting, call] }
      - what: Call reports
        who: owner
        measure: Within 3 days
        target: { call_report_days: 3 }
      - what: Monthly plan review
        who: Sales Manager
        measure: A review a month
        target: { review_every: month }
      - what: A sponsor
        who: owner
        measure: An ally on the relationship map
        target: { allies_at_least: 1 }
  - id: key
    name: Key
    entry: [Annual revenue above 60k]
    exit: [Revenue below 40k for a year]
    review_cadence: quarterly
    call_report_days: 5
    minimum_per_quarter: { meeting: 1 }
    service:
      - what: Quarterly meeting
        who: owner
        measure: A meeting a quarter with the team
        target: { count: [meeting], per: quarter, at_least: 1, by: team }
      - what: Quarterly plan review
        who: owner
        measure: A review a quarter
        target: { review_every: quarter }
  - id: growth
    name: Growth
    entry: [Wallet above 100k with our share below 20%]
    exit: [No growth within four quarters]
    review_cadence: quarterly
    call_report_days: 10
qualifiers:
  - id: cross-sell
    description: Buys one product line
  - id: at-risk
    description: Revenue down two quarters running
untiered:
  name: Core
  call_report_days: 14
  service:
    - what: Desk coverage
      who: Sales Manager
      measure: Some contact at least every quarter
      target: { contact_every_days: 92 }
";

/// The datasets firm.yaml declares.
const DATASETS: &str = "datasets:
  - id: survey
    name: Client survey
    source: Half-yearly customer survey
    columns:
      - {id: score, name: Satisfaction (out of 10), unit: count}
      - {id: comment, unit: text}
  - id: market-share
    name: Market share
    source: Trade association's quarterly returns
    columns:
      - {id: share, name: Our share of their spend, unit: percent, kpi: market-share}
      - {id: brokers, name: Suppliers used, unit: count, chart: none}
";

/// A tiered client's survey: three half-years.
fn survey(out: &Path, dir: &str, args: &Args, i: usize) {
    let mut r = Rng::new(args.seed ^ 0x5u64 << 40, i as u64);
    let mut csv = String::from("date,score,comment\n");
    let mut score = 5.0 + r.below(30) as f64 / 10.0;
    for date in ["2025-06-30", "2025-12-31", "2026-06-30"] {
        score = (score + (r.below(13) as f64 - 5.0) / 10.0).clamp(1.0, 10.0);
        let comment = if score >= 7.0 {
            "responsive"
        } else {
            "slow to deliver"
        };
        let _ = writeln!(csv, "{date},{score:.1},{comment}");
    }
    write(out, &format!("{dir}/data/survey.csv"), &csv);
}

/// A client's market share at four quarter ends, as a vendor sends them.
fn market_rows(market: &mut String, args: &Args, i: usize, id: &str) {
    let mut r = Rng::new(args.seed ^ 0x6u64 << 40, i as u64);
    let mut share = 2.0 + r.below(200) as f64 / 10.0;
    let brokers = 3 + r.below(12);
    for date in ["2025-12-31", "2026-03-31", "2026-06-30", "2026-09-30"] {
        share = (share + (r.below(21) as f64 - 10.0) / 10.0).max(0.1);
        let _ = writeln!(market, "{id},{date},{share:.1},{brokers}");
    }
}

fn write(out: &Path, rel: &str, text: &str) {
    let path = out.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("create folder");
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create file"));
    f.write_all(text.as_bytes()).expect("write file");
}

fn day(r: &mut Rng, month: u32) -> String {
    format!("2026-{month:02}-{:02}", 1 + r.below(28))
}

/// A client's captured interactions: `rows` lines of activities.csv.
fn captured_csv(r: &mut Rng, rows: usize, owner: &str, helper: &str) -> String {
    let mut csv = String::from("date,type,by,summary,outcome\n");
    for _ in 0..rows {
        let kind = *r.pick(&["email", "email", "call", "transaction", "im"]);
        let outcome = if kind == "transaction" {
            "completed"
        } else {
            ""
        };
        let month = 1 + r.below(10) as u32;
        let date = day(r, month);
        let by = if r.chance(0.7) { &owner } else { &helper };
        let summary = if kind == "transaction" {
            "Order for spares"
        } else {
            "Delivery driver visit logged"
        };
        let _ = writeln!(csv, "{date},{kind},{by},{summary},{outcome}");
    }
    csv
}

/// A tiered client's reviews: monthly for strategic clients, quarterly
/// for the others; with `empty_last`, the last one records nothing.
fn reviews(
    out: &Path,
    dir: &str,
    t: &str,
    owner: &str,
    r: &mut Rng,
    empty_last: bool,
    planted: &mut Vec<&'static str>,
) {
    let months: Vec<u32> = if t == "strategic" {
        (1..=11).collect()
    } else {
        vec![2, 5, 8, 11]
    };
    for m in months {
        let date = format!("2026-{m:02}-{:02}", 1 + r.below(10));
        let findings = if empty_last && m == 11 {
            planted.push("review-content");
            String::new()
        } else {
            format!(
                "findings:\n  - {}\n",
                if r.chance(0.5) {
                    "Deliveries on time; driver feedback positive"
                } else {
                    "Pricing pressure from a competitor"
                }
            )
        };
        write(out, &format!("{dir}/reviews/{date}.md"), &format!("---\ndate: {date}\nkind: {}\nreviewers: [{owner}]\n{findings}---\n\nReview of the plan.\n", if t == "strategic" { "monthly" } else { "quarterly" }));
    }
}

/// Client `i`'s tier (the first `--tiered` clients, shared out as TIERS
/// says) and which violation, if any, is planted in it: violation `k` of
/// `--violations` lands on tiered client `k * stride`.
fn tier_and_violation(args: &Args, i: usize) -> (Option<Tier>, Option<usize>) {
    let tier = (i < args.tiered).then(|| {
        let slot = i * 100 / args.tiered.max(1);
        let mut acc = 0;
        TIERS
            .iter()
            .find(|(_, share, _)| {
                acc += share;
                slot < acc
            })
            .map_or(TIERS[2], |t| *t)
    });
    let stride = (args.tiered / args.violations.max(1)).max(1);
    let violation = (args.violations > 0
        && tier.is_some()
        && i.is_multiple_of(stride)
        && i / stride < args.violations)
        .then_some(i / stride % 5);
    (tier, violation)
}

/// Writes one client's folder; returns its id, revenue lines and the
/// violations planted in it.
fn client(
    args: &Args,
    out: &Path,
    people: &[String],
    i: usize,
    notes_tiered: usize,
    notes_untiered: f64,
    captured: f64,
) -> (String, Vec<String>, Vec<&'static str>) {
    let mut r = Rng::new(args.seed, i as u64);
    let id = format!("c{i:05}");
    let name = format!("{} {} {}", r.pick(WORDS), r.pick(KINDS), r.pick(SUFFIX));
    let owner = people[r.below(people.len())].clone();
    let helper = people[r.below(people.len())].clone();
    let (tier, violation) = tier_and_violation(args, i);
    let mut planted = Vec::new();
    let dir = format!("clients/{id}");
    let mut yaml = format!(
        "name: \"{name}\"\nsegment: {}\nregion: {}\n",
        r.pick(SEGMENTS),
        r.pick(REGIONS)
    );
    if let Some((t, _, _)) = tier {
        yaml.push_str(&format!("tier: {t}\ncoverage:\n  owner: {owner}\n  team: [{helper}]\npriority_history:\n  - date: 2025-0{}-15\n    tier: {t}\n    reason: Met the {t} entry criteria at the annual review\n", 1 + r.below(9)));
    } else {
        yaml.push_str(&format!("coverage:\n  owner: {owner}\n"));
    }
    yaml.push_str(&format!("wallet_size: {}\n", 20_000 + r.below(400) * 1000));
    // Outside the random stream, so the rest of the firm stays as it was.
    yaml.push_str(&format!("domains: [{id}.example.com]\n"));
    write(out, &format!("{dir}/client.yaml"), &yaml);

    let notes = if tier.is_some() {
        notes_tiered
    } else {
        notes_untiered.floor() as usize + usize::from(r.chance(notes_untiered.fract()))
    };
    for n in 0..notes {
        // Spread over January to mid-November; meetings first so every
        // quarter meets the charter's minimum.
        let month = 1 + (n * 11 / notes.max(1)) as u32;
        let kind = if n % 3 == 0 { "meeting" } else { "call" };
        let date = day(&mut r, month);
        let by = if r.chance(0.8) { &owner } else { &helper };
        let by = if violation == Some(1) && n == 0 {
            planted.push("unknown-reference");
            "nobody-here"
        } else {
            by.as_str()
        };
        let contact = format!("{} {}", r.pick(FIRST), r.pick(LAST));
        let mut text = format!("---\ndate: {date}\ntype: {kind}\nby: {by}\ntitle: \"{} with {contact}\"\ncontacts: [\"{contact}\"]\nreported: {date}\n---\n\n", if kind == "meeting" { "Site meeting" } else { "Call" });
        if violation == Some(2) && n == 0 {
            planted.push("call-report");
        } else {
            let topic = r.pick(TOPICS);
            let _ = write!(text, "Spoke with {contact} about {topic}. {} They mentioned that {} is on their agenda for next quarter, and that the delivery drivers' visits have been well received on site.\n\n## Next steps\n\n- {} to follow up by the end of the month.\n", r.pick(OUTCOMES), r.pick(TOPICS), by);
        }
        write(
            out,
            &format!("{dir}/activities/{date}-{kind}-{n}.md"),
            &text,
        );
    }
    let rows = captured.floor() as usize + usize::from(r.chance(captured.fract()));
    if rows > 0 {
        let csv = captured_csv(&mut r, rows, &owner, &helper);
        write(out, &format!("{dir}/activities.csv"), &csv);
    }

    if tier.is_some() {
        survey(out, &dir, args, i);
    }
    if let Some((t, _, _)) = tier {
        plan(
            out,
            &dir,
            &name,
            &owner,
            &helper,
            &mut r,
            violation == Some(0),
            &mut planted,
        );
        reviews(
            out,
            &dir,
            t,
            &owner,
            &mut r,
            violation == Some(3),
            &mut planted,
        );
    }
    let lines = revenue_lines(&mut r, &id, i, &owner, violation, &mut planted);
    (id, lines, planted)
}

/// A client's revenue lines: one or two a month to October, with units.
fn revenue_lines(
    r: &mut Rng,
    id: &str,
    i: usize,
    owner: &str,
    violation: Option<usize>,
    planted: &mut Vec<&'static str>,
) -> Vec<String> {
    let mut lines = Vec::new();
    for m in 1..=10 {
        for _ in 0..1 + r.below(2) {
            let amount = 500 + r.below(20_000);
            let share = if violation == Some(4) && lines.is_empty() {
                planted.push("revenue-split");
                90
            } else {
                100
            };
            // Units at a list price of 40 falling 1% a month: no draw on
            // the random stream.
            let quantity = (amount as f64 / (40.0 * 0.99f64.powi(m as i32))).round();
            lines.push(format!(
                "{},{id},{},{},{amount}.00,{owner},T{i}-{m}-{},{share},{quantity}\n",
                day(r, m),
                r.pick(PRODUCTS),
                r.pick(REGIONS),
                lines.len()
            ));
        }
    }
    lines
}

#[allow(clippy::too_many_arguments)]
fn plan(
    out: &Path,
    dir: &str,
    name: &str,
    owner: &str,
    helper: &str,
    r: &mut Rng,
    unowned: bool,
    planted: &mut Vec<&'static str>,
) {
    let mut text = format!("---\nfiscal_year: 2026\nobjective: \"Grow {name} by 10% and add a service contract\"\ngoals:\n  - id: growth\n    title: Grow revenue by 10%\n    owner: {owner}\nstrategies:\n  - id: service\n    title: Sell a service contract through the drivers' site visits\n    goal: growth\n    owner: {helper}\nactions:\n");
    for (k, (title, due, status)) in [
        (
            "Agree the plan with the client's buyer",
            "2026-02-27",
            "done",
        ),
        (
            "Brief the delivery drivers on the account",
            "2026-04-30",
            "done",
        ),
        ("Propose a service contract", "2026-12-11", "open"),
    ]
    .iter()
    .enumerate()
    {
        let owner_line = if unowned && k == 2 {
            planted.push("task-owner");
            String::new()
        } else {
            format!("    owner: {owner}\n")
        };
        let _ = write!(text, "  - title: {title}\n{owner_line}    due: {due}\n    status: {status}\n    strategy: service\n");
    }
    text.push_str("metrics:\n  - name: Meetings per quarter\n    targets: [1, 1, 1, 1]\n    source: meetings\n  - name: Friends and allies\n    targets: [1, 2, 3, 3]\n    source: allies\n  - name: Increase in income over last FY\n    unit: money\n    targets: [1000, 2500, 4000, 6000]\n    source: income-growth\nstakeholders:\n");
    let domain = format!("{}.example.com", dir.trim_start_matches("clients/"));
    for s in 0..4 + r.below(5) {
        let stance = *r.pick(&["ally", "ally", "neutral", "protester", "enemy"]);
        let (first, last) = (r.pick(FIRST), r.pick(LAST));
        let role = *r.pick(&["Buyer", "Plant Manager", "Engineer", "Finance Director"]);
        let email = format!(
            "{}.{}{s}@{domain}",
            first.to_lowercase(),
            last.to_lowercase()
        );
        let _ = write!(
            text,
            "  - name: \"{first} {last} {s}\"\n    email: {email}\n    role: {role}\n    stance: {stance}\n    owner: {owner}\n",
        );
    }
    text.push_str("---\n\n");
    for p in 0..5 {
        let _ = write!(text, "## {}\n\n{name} runs {} and buys mainly {}. {} Our drivers see the site every week; the plan uses those visits to hear about {} early, before a competitor does. {}\n\n", ["Where we are", "What we want", "How we get there", "Risks", "People"][p], r.pick(TOPICS), r.pick(PRODUCTS), r.pick(OUTCOMES), r.pick(TOPICS), r.pick(OUTCOMES));
    }
    write(out, &format!("{dir}/plan.md"), &text);
}
