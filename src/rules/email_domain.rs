//! Each email domain names one client, and no public mail service: the
//! domains and addresses in the repository are how captured meetings and
//! mail find their client (seed 002, sales systems: "many firms have
//! automated the capture of client interactions"), so a domain claimed
//! twice, or `gmail.com`, would file a colleague's or a stranger's mail
//! under the wrong account.

use super::{Context, Rule};
use crate::diag::{Diagnostic, Severity};
use crate::model::{Client, Model, Source, Spanned};

pub const RULE: Rule = Rule {
    id: "email-domain",
    default: Severity::Error,
    checks: "client and firm `domains` are domain names, each claimed by one client, none the firm's own or a public mail service; stakeholder `email`s are addresses",
    fix: "remove the domain from all but one client, or drop a public one and give the stakeholders' addresses instead",
    firm: Some(firm),
    client: Some(client),
    task: None,
};

/// Mail services anyone can have an address at: a domain of these says
/// nothing about who the sender works for.
pub const PUBLIC_MAIL_DOMAINS: &[&str] = &[
    "163.com",
    "aol.com",
    "fastmail.com",
    "gmail.com",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "googlemail.com",
    "hey.com",
    "hotmail.co.uk",
    "hotmail.com",
    "icloud.com",
    "live.com",
    "mac.com",
    "mail.com",
    "mail.ru",
    "me.com",
    "msn.com",
    "outlook.com",
    "pm.me",
    "proton.me",
    "protonmail.com",
    "qq.com",
    "t-online.de",
    "web.de",
    "yahoo.co.uk",
    "yahoo.com",
    "yandex.com",
    "yandex.ru",
    "zoho.com",
];

fn firm(model: &Model, _ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for domain in &model.firm.domains {
        if let Some(why) = unusable(&domain.value) {
            out.push(finding(
                &model.firm_src,
                domain,
                format!("`{}` cannot be the firm's domain: {why}", domain.value),
                DOMAIN_HELP,
            ));
        }
    }
    out
}

fn client(model: &Model, c: &Client, _ctx: &Context) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for domain in &c.data.domains {
        let name = domain.value.as_str();
        if let Some(why) = unusable(name) {
            out.push(finding(
                &c.src,
                domain,
                format!("`{name}` cannot be a domain of `{}`: {why}", c.id),
                DOMAIN_HELP,
            ));
            continue;
        }
        if model
            .firm
            .domains
            .iter()
            .any(|d| d.value.eq_ignore_ascii_case(name))
        {
            out.push(finding(
                &c.src,
                domain,
                format!(
                    "`{name}` is the firm's own domain (firm.yaml), not `{}`'s",
                    c.id
                ),
                "the firm's addresses are colleagues; list the client's own domains",
            ));
            continue;
        }
        let others: Vec<String> = model
            .clients_of_domain(name)
            .filter(|other| other.id != c.id)
            .map(|other| format!("`{}`", other.id))
            .collect();
        if !others.is_empty() {
            out.push(
                finding(
                    &c.src,
                    domain,
                    format!("`{name}` is claimed by `{}` and by {}", c.id, others.join(", ")),
                    "keep it on the client whose people use it; for a group, list each company's own domain on its own client",
                )
                .with_label("a domain names one client"),
            );
        }
    }
    if let Some(plan) = &c.plan {
        for person in &plan.data.stakeholders {
            let Some(email) = &person.email else { continue };
            if let Some(why) = not_an_address(&email.value) {
                out.push(finding(
                    &plan.src,
                    email,
                    format!(
                        "`{}` is not an email address for {}: {why}",
                        email.value, person.name.value
                    ),
                    "write the address as name@domain, e.g. `ann.lee@widecombe.co.uk`",
                ));
            }
        }
    }
    out
}

const DOMAIN_HELP: &str = "write a domain as it appears after the @, e.g. `widecombe.co.uk`";

fn finding(src: &Source, value: &Spanned<String>, message: String, help: &str) -> Diagnostic {
    Diagnostic::rule(RULE.id, src.span(value), message).with_help(help)
}

/// Why `domain` cannot name a company, if it cannot.
fn unusable(domain: &str) -> Option<String> {
    if let Some(why) = not_a_domain(domain) {
        return Some(why);
    }
    let lower = domain.to_ascii_lowercase();
    PUBLIC_MAIL_DOMAINS
        .contains(&lower.as_str())
        .then(|| String::from("it is a public mail service anyone can have an address at"))
}

/// Why `text` is not a domain name, if it is not: labels of letters,
/// digits and inner dashes, joined by dots, at least two of them.
fn not_a_domain(text: &str) -> Option<String> {
    if text.contains('@') {
        return Some(String::from(
            "it is an address; write only the part after the @",
        ));
    }
    let labels: Vec<&str> = text.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !l.starts_with('-')
            && !l.ends_with('-')
    };
    if labels.len() < 2 || text.len() > 253 || !labels.iter().all(label_ok) {
        return Some(String::from(
            "a domain is names of letters, digits and dashes joined by dots",
        ));
    }
    None
}

/// Why `text` is not an email address, if it is not.
fn not_an_address(text: &str) -> Option<String> {
    match text.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !local.contains(char::is_whitespace) => {
            not_a_domain(domain)
        }
        _ => Some(String::from("an address is name@domain")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_addresses() {
        assert_eq!(not_a_domain("widecombe.co.uk"), None);
        assert_eq!(not_a_domain("Widecombe.CO.uk"), None);
        assert!(not_a_domain("widecombe").is_some());
        assert!(not_a_domain("-x.com").is_some());
        assert!(not_a_domain("a..com").is_some());
        assert!(not_a_domain("ann@x.com").unwrap().contains("after the @"));
        assert!(unusable("GMail.com").unwrap().contains("public mail"));
        assert_eq!(not_an_address("ann.lee@widecombe.co.uk"), None);
        assert!(not_an_address("ann lee@widecombe.co.uk").is_some());
        assert!(not_an_address("widecombe.co.uk").is_some());
    }
}
