//! Segment dimensions: declared in firm.yaml, named per client in
//! `segments:`, drilled down on the segments page value by value, with a
//! page per value; an unknown dimension or value is a located finding.

mod common;

use common::{check_json, edit};

fn firm() -> tempfile::TempDir {
    let dir = common::repo("");
    let root = dir.path();
    common::append(
        root,
        "firm.yaml",
        "segment_dimensions:\n  - id: style\n    name: Investment style\n    values: [value, quant]\n  - id: market\n    name: Markets\n    values: [developed, emerging]\n",
    );
    edit(root, "clients/acme/client.yaml", "segment: asset-manager\n", "segment: asset-manager\nsegments: { style: value, market: emerging }\nwallet_size: 150000\n");
    common::append(
        root,
        "clients/bolt/client.yaml",
        "segments:\n  style: quant\n",
    );
    dir
}

fn rows(html: &str, heading: &str) -> Vec<String> {
    let start = html
        .find(&format!(">{heading}</h2>"))
        .expect("the dimension's section");
    let section = &html[start..];
    let section = &section[..section.find("</section>").unwrap()];
    section
        .split("<tr>")
        .skip(2)
        .map(|r| {
            let mut text = String::new();
            let mut inside = false;
            for ch in r.chars() {
                match ch {
                    '<' => {
                        inside = true;
                        text.push('|');
                    }
                    '>' => inside = false,
                    c if !inside => text.push(c),
                    _ => {}
                }
            }
            text.split('|')
                .filter(|c| !c.trim().is_empty())
                .collect::<Vec<_>>()
                .join(" / ")
        })
        .collect()
}

#[test]
fn each_dimension_is_drilled_down_value_by_value() {
    let dir = firm();
    let (code, found) = check_json(dir.path());
    assert!(
        !found
            .iter()
            .any(|f| f.rule == "unknown-reference" || f.rule == "unknown-field"),
        "{found:?}"
    );
    assert_ne!(code, 2);
    let site = common::build_site(dir.path());
    let page = std::fs::read_to_string(site.join("segments.html")).unwrap();
    // acme's revenue to date is the base fixture's 1,500 (March); its cost
    // of 400 in Q1 counts for the 68 of 90 days the revenue data covers.
    let contribution = 1500.0 - 400.0 * 68.0 / 90.0;
    let style = rows(&page, "Investment style");
    assert_eq!(style.len(), 2, "{style:?}");
    assert_eq!(format!("{contribution:.0}"), "1198");
    assert!(
        style[0].starts_with("value / 1 / £1,500 / – / £1,198"),
        "{style:?}"
    );
    // Four quarters' revenue (1,500) of a 150,000 wallet.
    assert!(style[0].contains(" / 1% / "), "{style:?}");
    assert!(style[1].starts_with("quant / 1 / £0"), "{style:?}");
    let market = rows(&page, "Markets");
    assert_eq!(
        market
            .iter()
            .map(|r| r.split(" / ").take(2).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>(),
        ["developed 0", "emerging 1", "(none) 1"],
        "bolt names no market: {market:?}"
    );
    assert!(
        page.contains("segments/style/value.html"),
        "a page per value"
    );
    let value = std::fs::read_to_string(site.join("segments/style/value.html")).unwrap();
    assert!(value.contains("Investment style: value"));
    assert!(value.contains("Acme Asset Management") && !value.contains("Bolt Capital"));
    assert!(
        value.contains("href=\"../../clients/acme.html\""),
        "links work from two folders down"
    );
}

#[test]
fn an_unknown_dimension_or_value_is_located_with_a_suggestion() {
    let dir = firm();
    let root = dir.path();
    edit(
        root,
        "clients/acme/client.yaml",
        "segments: { style: value, market: emerging }",
        "segments: { stlye: value, market: emerjing }",
    );
    let (code, found) = check_json(root);
    assert_eq!(code, 1);
    let unknown: Vec<_> = found
        .iter()
        .filter(|f| f.rule == "unknown-reference")
        .collect();
    assert!(
        unknown
            .iter()
            .any(|f| f.message == "unknown segment dimension `stlye`"
                && f.help.contains("did you mean `style`?")
                && f.file == "clients/acme/client.yaml"
                && f.line == 5),
        "{unknown:?}"
    );
    assert!(
        unknown
            .iter()
            .any(|f| f.message == "unknown `market` segment `emerjing`"
                && f.help.contains("did you mean `emerging`?")),
        "{unknown:?}"
    );
}

#[test]
fn a_value_that_cannot_name_a_page_is_refused() {
    let dir = firm();
    edit(
        dir.path(),
        "firm.yaml",
        "values: [value, quant]",
        "values: [value, Quant Funds]",
    );
    let (code, found) = check_json(dir.path());
    assert_eq!(code, 2);
    assert!(
        found.iter().any(|f| f.rule == "invalid-id"
            && f.file == "firm.yaml"
            && f.message
                .contains("`Quant Funds` cannot name a segment page")
            && f.help.contains("`quant-funds`")),
        "{found:?}"
    );
}
