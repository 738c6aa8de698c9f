//! Formatting for display, done in Rust so templates only place text.

use chrono::NaiveDate;

/// `£` for GBP, `$` for USD, `€` for EUR; the code followed by a space otherwise.
pub fn currency_symbol(code: &str) -> String {
    match code {
        "GBP" => String::from("£"),
        "USD" => String::from("$"),
        "EUR" => String::from("€"),
        "JPY" => String::from("¥"),
        "CHF" => String::from("CHF "),
        other => format!("{other} "),
    }
}

/// `£1,234,567`.
pub fn money(amount: f64, code: &str) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    format!(
        "{sign}{}{}",
        currency_symbol(code),
        thousands(amount.abs().round() as u64)
    )
}

/// `£15k`, `£1.2m`, `£850`: the seed's compact style.
pub fn money_short(amount: f64, code: &str) -> String {
    let sign = if amount < 0.0 { "-" } else { "" };
    let a = amount.abs();
    let sym = currency_symbol(code);
    if a >= 1_000_000.0 {
        format!("{sign}{sym}{}m", trim1(a / 1_000_000.0))
    } else if a >= 1_000.0 {
        format!("{sign}{sym}{}k", trim1(a / 1_000.0))
    } else {
        format!("{sign}{sym}{}", a.round() as u64)
    }
}

fn trim1(n: f64) -> String {
    if n >= 100.0 || (n.round() - n).abs() < 0.05 {
        format!("{}", n.round() as u64)
    } else {
        format!("{n:.1}")
    }
}

pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How far `actual` is above (+) or below (-) `budget`, in percent; none
/// without a budget.
pub fn against(actual: f64, budget: f64) -> Option<f64> {
    (budget > 0.0).then(|| (actual - budget) / budget * 100.0)
}

/// `+12.5%` / `-3.0%`.
pub fn percent_change(p: Option<f64>) -> String {
    p.map_or_else(|| String::from("–"), |v| format!("{v:+.1}%"))
}

/// `4 Mar 2026`. Written out by hand: a strftime pattern is parsed again
/// on every call, and a large firm formats millions of dates.
pub fn date(d: NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

pub fn date_opt(d: Option<NaiveDate>) -> String {
    d.map_or_else(|| String::from("–"), date)
}

/// `in 3 days`, `today`, `12 days ago`.
pub fn relative(d: NaiveDate, today: NaiveDate) -> String {
    let days = (d - today).num_days();
    match days {
        0 => String::from("today"),
        1 => String::from("tomorrow"),
        -1 => String::from("yesterday"),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_formats() {
        assert_eq!(money(1234567.4, "GBP"), "£1,234,567");
        assert_eq!(money_short(15000.0, "GBP"), "£15k");
        assert_eq!(money_short(22500.0, "GBP"), "£22.5k");
        assert_eq!(money_short(1_260_000.0, "USD"), "$1.3m");
        assert_eq!(money_short(-3000.0, "EUR"), "-€3k");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(date(d), "4 Mar 2026");
        assert_eq!(
            relative(d, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            "in 3 days"
        );
    }
}
