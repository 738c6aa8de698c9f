//! Segments that help: "segments based on investment style, investment
//! markets, or even firm 'personality' may prove more useful" (seed 002).
//! Per dimension firm.yaml declares and per value, the clients on it and
//! what they bring: revenue and growth, contribution, wallet share and
//! service compliance.

use super::service::Status;
use super::ClientFigures;
use crate::model::{Model, Per};

/// One value of a dimension, or the clients without one.
#[derive(Clone, Debug, Default)]
pub struct ValueFigures {
    /// `None` for the clients that name no value on this dimension.
    pub value: Option<String>,
    /// Indexes into `model.clients`, in the model's order.
    pub clients: Vec<usize>,
    pub revenue_ytd: f64,
    pub revenue_last_ytd: f64,
    pub contribution_ytd: f64,
    /// Four quarters' revenue and the wallets of the clients with one.
    pub revenue_4q: f64,
    pub wallet: f64,
    /// Monthly and quarterly service items decided this year, and met.
    pub service_judged: usize,
    pub service_met: usize,
}

impl ValueFigures {
    pub fn growth(&self) -> Option<f64> {
        super::against(self.revenue_ytd, self.revenue_last_ytd)
    }

    pub fn wallet_share(&self) -> Option<f64> {
        (self.wallet > 0.0).then(|| self.revenue_4q / self.wallet * 100.0)
    }

    pub fn service_compliance(&self) -> Option<f64> {
        (self.service_judged > 0)
            .then(|| self.service_met as f64 / self.service_judged as f64 * 100.0)
    }

    fn add(&mut self, i: usize, f: &ClientFigures, wallet: Option<f64>) {
        self.clients.push(i);
        self.revenue_ytd += f.revenue_ytd;
        self.revenue_last_ytd += f.revenue_last_ytd;
        self.contribution_ytd += f.profit.contribution_ytd();
        if let Some(w) = wallet.filter(|w| *w > 0.0) {
            self.wallet += w;
            self.revenue_4q += f.revenue_4q;
        }
        for j in f.judgements.iter().filter(|j| j.per != Per::Year) {
            match j.status {
                Status::Met => {
                    self.service_met += 1;
                    self.service_judged += 1;
                }
                Status::Missed => self.service_judged += 1,
                Status::InProgress => {}
            }
        }
    }
}

/// A dimension: its values in firm.yaml's order, then the clients
/// without one (when there are any).
#[derive(Clone, Debug, Default)]
pub struct Dimension {
    pub id: String,
    pub name: String,
    pub values: Vec<ValueFigures>,
}

pub fn dimensions(model: &Model, clients: &[ClientFigures]) -> Vec<Dimension> {
    model
        .firm
        .segment_dimensions
        .iter()
        .map(|d| {
            let mut values: Vec<ValueFigures> = d
                .values
                .iter()
                .map(|v| ValueFigures {
                    value: Some(v.value.clone()),
                    ..ValueFigures::default()
                })
                .collect();
            let mut none = ValueFigures::default();
            for (i, (c, f)) in model.clients.iter().zip(clients).enumerate() {
                let named = c
                    .data
                    .segments
                    .iter()
                    .find(|(k, _)| k.value == d.id.value)
                    .map(|(_, v)| v.value.as_str());
                let wallet = c.data.wallet_size.as_ref().map(|w| w.value);
                let slot =
                    named.and_then(|n| values.iter_mut().find(|v| v.value.as_deref() == Some(n)));
                match slot {
                    Some(slot) => slot.add(i, f, wallet),
                    // No value, or one firm.yaml does not declare (which
                    // check reports): counted as none.
                    None => none.add(i, f, wallet),
                }
            }
            if !none.clients.is_empty() {
                values.push(none);
            }
            Dimension {
                id: d.id.value.clone(),
                name: d.name.clone(),
                values,
            }
        })
        .collect()
}
