//! Formatting for display, done in Rust so templates only place text.
//!
//! Money, counts and dates are formatted a great many times in a build (a
//! large firm shows millions of them), so the common cases write their
//! digits straight into the returned string: no `format!`, one allocation.

use crate::model::{MetricValue, Unit};
use std::borrow::Cow;
use std::fmt::Write;

use chrono::NaiveDate;

/// `£` for GBP, `$` for USD, `€` for EUR; the code followed by a space otherwise.
pub fn currency_symbol(code: &str) -> Cow<'static, str> {
    Cow::Borrowed(match code {
        "GBP" => "£",
        "USD" => "$",
        "EUR" => "€",
        "JPY" => "¥",
        "CHF" => "CHF ",
        other => return Cow::Owned(format!("{other} ")),
    })
}

/// `£1,234,567`.
pub fn money(amount: f64, code: &str) -> String {
    let mut out = String::with_capacity(16);
    if amount < 0.0 {
        out.push('-');
    }
    out.push_str(&currency_symbol(code));
    push_thousands(&mut out, amount.abs().round() as u64);
    out
}

/// `£15k`, `£1.2m`, `£850`: the seed's compact style.
pub fn money_short(amount: f64, code: &str) -> String {
    let mut out = String::with_capacity(12);
    if amount < 0.0 {
        out.push('-');
    }
    out.push_str(&currency_symbol(code));
    let a = amount.abs();
    if a >= 1_000_000.0 {
        push_trim1(&mut out, a / 1_000_000.0);
        out.push('m');
    } else if a >= 1_000.0 {
        push_trim1(&mut out, a / 1_000.0);
        out.push('k');
    } else {
        push_digits(&mut out, a.round() as u64);
    }
    out
}

/// `12` or `12.5`: one decimal unless it rounds away.
fn push_trim1(out: &mut String, n: f64) {
    if n >= 100.0 || (n.round() - n).abs() < 0.05 {
        push_digits(out, n.round() as u64);
    } else {
        let _ = write!(out, "{n:.1}");
    }
}

pub fn thousands(n: u64) -> String {
    let mut out = String::with_capacity(8);
    push_thousands(&mut out, n);
    out
}

/// `1234567` as `1,234,567`.
fn push_thousands(out: &mut String, n: u64) {
    let mut buf = [0; 20];
    let at = digits_at_end(n, &mut buf);
    let digits = &buf[at..];
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(char::from(*d));
    }
}

fn push_digits(out: &mut String, n: u64) {
    let mut buf = [0; 20];
    let at = digits_at_end(n, &mut buf);
    for d in &buf[at..] {
        out.push(char::from(*d));
    }
}

/// Writes the decimal digits of `n` at the end of `buf` and returns where
/// they start: no `core::fmt`, which is most of the cost of formatting an
/// integer. A `u64` has at most 20 digits; a shorter `buf` keeps the
/// lowest ones.
pub(super) fn digits_at_end(mut n: u64, buf: &mut [u8]) -> usize {
    let mut at = buf.len();
    while at > 0 {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at
}

/// `42%`, or `–` without a figure.
pub fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| String::from("–"), |v| format!("{v:.0}%"))
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
    let mut out = String::with_capacity(11);
    push_digits(&mut out, u64::from(d.day()));
    out.push(' ');
    out.push_str(MONTHS[d.month0() as usize]);
    out.push(' ');
    match u64::try_from(d.year()) {
        Ok(year) => push_digits(&mut out, year),
        Err(_) => {
            let _ = write!(out, "{}", d.year());
        }
    }
    out
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
        n if n > 0 => {
            let mut out = String::from("in ");
            push_digits(&mut out, n.unsigned_abs());
            out.push_str(" days");
            out
        }
        n => {
            let mut out = String::with_capacity(14);
            push_digits(&mut out, n.unsigned_abs());
            out.push_str(" days ago");
            out
        }
    }
}

/// A target or an actual of the quarterly metrics table, in its unit.
pub fn metric_value(value: &MetricValue, unit: Unit, currency: &str) -> String {
    match value {
        MetricValue::Text(t) => t.clone(),
        MetricValue::Number(n) => match unit {
            Unit::Money => money_short(*n, currency),
            Unit::Percent => format!("{}%", trim_number(*n)),
            Unit::Count | Unit::Text => trim_number(*n),
        },
    }
}

/// A dataset's figure in its unit: `£1,250,000`, `12.5%`, `1,204`.
pub fn data_value(n: f64, unit: crate::model::DataUnit, currency: &str) -> String {
    use crate::model::DataUnit;
    match unit {
        DataUnit::Money => money(n, currency),
        DataUnit::Percent => format!("{}%", trim_number(n)),
        DataUnit::Count | DataUnit::Text if n.abs() >= 1_000.0 && n.fract() == 0.0 => {
            let mut out = String::from(if n < 0.0 { "-" } else { "" });
            push_thousands(&mut out, n.abs() as u64);
            out
        }
        DataUnit::Count | DataUnit::Text => trim_number(n),
    }
}

/// A unit's price: `£2.31`, with pence below a hundred; `£4,400` above.
pub fn unit_price(p: f64, currency: &str) -> String {
    if p.abs() < 100.0 {
        format!("{}{p:.2}", currency_symbol(currency))
    } else {
        money(p, currency)
    }
}

/// `3` not `3.0`; one decimal otherwise.
pub fn trim_number(n: f64) -> String {
    if n.fract().abs() < 1e-9 {
        format!("{}", n as i64)
    } else {
        format!("{n:.1}")
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
        assert_eq!(money_short(850.4, "JPY"), "¥850");
        assert_eq!(money_short(0.0, "SEK"), "SEK 0");
        assert_eq!(money(-999.6, "CHF"), "-CHF 1,000");
        assert_eq!(money(0.0, "USD"), "$0");
        assert_eq!(thousands(u64::MAX), "18,446,744,073,709,551,615");
        assert_eq!(thousands(100_000), "100,000");
    }

    #[test]
    fn dates() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 4).unwrap();
        assert_eq!(date(d), "4 Mar 2026");
        assert_eq!(
            relative(d, NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
            "in 3 days"
        );
        let today = NaiveDate::from_ymd_opt(2026, 3, 20).unwrap();
        assert_eq!(relative(d, today), "16 days ago");
        assert_eq!(relative(today, today), "today");
        let far = NaiveDate::from_ymd_opt(12026, 12, 31).unwrap();
        assert_eq!(date(far), "31 Dec 12026");
        let bc = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap();
        assert_eq!(date(bc), "15 Mar -44");
    }
}
