//! Client-centric financial figures (seed 002, sales systems): revenue lines with split
//! credit, budgets and costs, from `financials/*.csv`.

use serde::Serialize;

use super::Date;

#[derive(Clone, Debug, Default, Serialize)]
pub struct Financials {
    pub revenue: Vec<RevenueLine>,
    pub budget: Vec<Budget>,
    pub costs: Vec<Cost>,
    /// Firm-wide datasets, `financials/market/*.csv`.
    pub market: Vec<super::MarketTable>,
}

/// One credit of a transaction. A transaction split between regions or
/// products is several lines with one `txn_id`; their shares sum to 100.
#[derive(Clone, Debug, Serialize)]
pub struct RevenueLine {
    pub date: Date,
    pub client: String,
    pub product: String,
    pub region: String,
    /// The whole transaction's amount.
    pub amount: f64,
    /// Person credited with this share.
    pub credited_to: String,
    pub txn_id: String,
    /// Percentage of the transaction credited on this line.
    pub share: f64,
    /// Units in the whole transaction (shares, contracts, licences), when
    /// revenue.csv has a `quantity` column; else derived from `price`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<f64>,
    /// The price of one unit, when revenue.csv has a `price` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    #[serde(skip)]
    pub line: u32,
}

impl RevenueLine {
    /// The amount this line credits.
    pub fn credited(&self) -> f64 {
        self.amount * self.share / 100.0
    }

    /// The transaction's units: its `quantity`, else its amount over its
    /// `price`; `None` without either.
    pub fn units(&self) -> Option<f64> {
        self.quantity
            .or_else(|| self.price.filter(|p| *p > 0.0).map(|p| self.amount / p))
    }
}

/// A fiscal year, or one quarter of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Period {
    pub year: i32,
    /// 1-4, or `None` for the whole year.
    pub quarter: Option<u8>,
}

impl Period {
    /// `2026` or `2026-Q3`.
    pub fn parse(text: &str) -> Option<Period> {
        let text = text.trim();
        let (year, quarter) = match text.split_once(['-', ' ']) {
            Some((y, q)) => {
                let q = q.trim_start_matches(['Q', 'q']).parse::<u8>().ok()?;
                if !(1..=4).contains(&q) {
                    return None;
                }
                (y, Some(q))
            }
            None => (text, None),
        };
        let year = year
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9999).contains(y))?;
        Some(Period { year, quarter })
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.quarter {
            Some(q) => write!(f, "{}-Q{q}", self.year),
            None => write!(f, "{}", self.year),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Budget {
    pub client: String,
    pub period: Period,
    pub amount: f64,
    #[serde(skip)]
    pub line: u32,
}

#[derive(Clone, Debug, Serialize)]
pub struct Cost {
    pub client: String,
    pub period: Period,
    pub amount: f64,
    /// What it was spent on, lower-case: `coverage`, `servicing`,
    /// `entertainment`, `training`, `technology`...; `None` when the table
    /// has no `category` or the cell is empty.
    pub category: Option<String>,
    #[serde(skip)]
    pub line: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods() {
        assert_eq!(
            Period::parse("2026"),
            Some(Period {
                year: 2026,
                quarter: None
            })
        );
        assert_eq!(
            Period::parse("2026-Q3"),
            Some(Period {
                year: 2026,
                quarter: Some(3)
            })
        );
        assert_eq!(Period::parse("2026-Q5"), None);
        assert_eq!(Period::parse("soon"), None);
    }
}
