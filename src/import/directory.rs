//! Who an address is: a colleague (a team email, or the firm's domain), a
//! client's stakeholder (their email), someone at a client (the client's
//! domain), or nobody the repository knows.

use std::collections::{BTreeSet, HashMap};

use super::Found;
use crate::model::Model;

/// The addresses of a repository.
pub struct Directory<'m> {
    model: &'m Model,
    /// Team emails, lower-case, to person ids.
    people: HashMap<String, &'m str>,
    /// Stakeholder emails, lower-case, to (client index, name).
    stakeholders: HashMap<String, (usize, &'m str)>,
    firm_domains: Vec<String>,
}

/// What an interaction is to the repository.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// One client's: who logs it, the colleagues with them, and the
    /// client's people (stakeholder names, else addresses).
    Client {
        client: usize,
        by: String,
        attendees: Vec<String>,
        contacts: Vec<String>,
    },
    /// Only colleagues took part.
    Internal,
    /// Every colleague invited declined.
    Declined,
    /// No colleague took part (someone else's calendar shared with us).
    NoColleague,
    /// Outside addresses that belong to no client.
    Unmatched(Vec<String>),
    /// Addresses of two or more clients: which one is for a person to say.
    Ambiguous(Vec<String>),
}

impl<'m> Directory<'m> {
    pub fn new(model: &'m Model) -> Directory<'m> {
        let people = model
            .people
            .iter()
            .filter_map(|p| Some((p.data.email.as_ref()?.to_ascii_lowercase(), p.id.as_str())))
            .collect();
        let mut stakeholders = HashMap::new();
        for (i, c) in model.clients.iter().enumerate() {
            let Some(plan) = &c.plan else { continue };
            for s in &plan.data.stakeholders {
                if let Some(email) = &s.email {
                    stakeholders
                        .insert(email.value.to_ascii_lowercase(), (i, s.name.value.as_str()));
                }
            }
        }
        let firm_domains = model
            .firm
            .domains
            .iter()
            .map(|d| d.value.to_ascii_lowercase())
            .collect();
        Directory {
            model,
            people,
            stakeholders,
            firm_domains,
        }
    }

    fn is_firm(&self, email: &str) -> bool {
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        self.firm_domains.iter().any(|d| d == domain)
    }

    /// The client an outside address belongs to, if exactly one.
    pub(super) fn client_of(&self, email: &str) -> Option<usize> {
        if let Some(&(i, _)) = self.stakeholders.get(email) {
            return Some(i);
        }
        let domain = email.rsplit_once('@').map_or("", |(_, d)| d);
        let mut claims = self.model.clients_of_domain(domain);
        let first = claims.next()?;
        // A domain claimed twice is an error `check` reports; it matches
        // no client here rather than the wrong one.
        claims
            .next()
            .is_none()
            .then(|| self.model.index.clients[&first.id])
    }

    /// Matches an interaction to a client.
    pub fn classify(&self, found: &Found) -> Verdict {
        let mut colleagues: Vec<&str> = Vec::new();
        let mut declined_colleagues = 0;
        let mut outside: Vec<&str> = Vec::new();
        let organizer = found.organizer.as_deref();
        let everyone = organizer.map(|o| (o, false)).into_iter().chain(
            found
                .participants
                .iter()
                .map(|p| (p.email.as_str(), p.declined)),
        );
        for (email, declined) in everyone {
            if let Some(&id) = self.people.get(email) {
                if declined {
                    declined_colleagues += 1;
                } else if !colleagues.contains(&id) {
                    colleagues.push(id);
                }
            } else if !declined && !self.is_firm(email) && !outside.contains(&email) {
                outside.push(email);
            }
        }
        if outside.is_empty() {
            return Verdict::Internal;
        }
        let Some((&by, others)) = colleagues.split_first() else {
            return if declined_colleagues > 0 {
                Verdict::Declined
            } else {
                Verdict::NoColleague
            };
        };
        // Each outside address looked up once.
        let owners: Vec<(&str, Option<usize>)> =
            outside.iter().map(|e| (*e, self.client_of(e))).collect();
        let clients: BTreeSet<usize> = owners.iter().filter_map(|(_, c)| *c).collect();
        match clients.len() {
            0 => Verdict::Unmatched(outside.iter().map(|e| e.to_string()).collect()),
            1 => {
                let client = *clients.first().unwrap_or(&0);
                let contacts = owners
                    .iter()
                    .filter(|(_, c)| *c == Some(client))
                    .map(|(e, _)| match self.stakeholders.get(*e) {
                        Some(&(_, name)) => name.to_string(),
                        None => e.to_string(),
                    })
                    .collect();
                Verdict::Client {
                    client,
                    by: by.to_string(),
                    attendees: others.iter().map(|s| s.to_string()).collect(),
                    contacts,
                }
            }
            _ => Verdict::Ambiguous(
                clients
                    .iter()
                    .map(|&i| self.model.clients[i].id.clone())
                    .collect(),
            ),
        }
    }
}
