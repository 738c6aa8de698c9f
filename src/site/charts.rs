//! Inline SVG charts made in Rust: deterministic, no script, styled by CSS
//! classes. Each has `role="img"` and a `<title>`; pages always show the
//! same data as a table beside it.

use std::fmt::Write;

use super::theme::escape;

/// One line or bar series.
pub struct Series<'a> {
    pub name: &'a str,
    pub values: &'a [f64],
    /// CSS class: `s1`, `s2` ...
    pub class: &'a str,
}

const W: f64 = 640.0;
const H: f64 = 220.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 28.0;
const TOP: f64 = 12.0;

/// A coordinate to one decimal, as `{:.1}` writes it, through integer
/// arithmetic: the float formatter was a third of a client page's chart.
/// A value within a rounding error of a half may round the other way
/// (101.6 for 101.5499…), a tenth of a unit no chart shows.
struct Tenths(f64);

impl Tenths {
    /// The digits, written from the end of `buf`; `None` for a value too
    /// large for an integer (or not a number), left to the float formatter.
    fn digits(&self, buf: &mut [u8; 24]) -> Option<usize> {
        let tenths = (self.0 * 10.0).round();
        if !tenths.is_finite() || tenths.abs() >= 1e15 {
            return None;
        }
        let n = (tenths as i64).unsigned_abs();
        let last = buf.len() - 1;
        buf[last] = b'0' + (n % 10) as u8;
        buf[last - 1] = b'.';
        let mut at = super::format::digits_at_end(n / 10, &mut buf[..last - 1]);
        // The sign of the float, so that -0.04 gives `-0.0` as `{:.1}` does.
        if tenths.is_sign_negative() {
            at -= 1;
            buf[at] = b'-';
        }
        Some(at)
    }

    /// Into a string or a formatter, without `core::fmt` on the way.
    fn write_to(&self, out: &mut impl Write) -> std::fmt::Result {
        let mut buf = [0; 24];
        match self.digits(&mut buf) {
            Some(at) => out.write_str(std::str::from_utf8(&buf[at..]).unwrap_or_default()),
            None => write!(out, "{:.1}", self.0),
        }
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.write_to(f)
    }
}

/// The axis maximum and tick step: 3 to 5 round steps covering the data.
fn scale(series: &[Series<'_>]) -> (f64, f64) {
    let m = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .fold(0.0_f64, f64::max);
    if m <= 0.0 {
        return (4.0, 1.0);
    }
    let step = nice_ceiling(m / 4.0);
    let ticks = (m / step).ceil().max(1.0);
    (step * ticks, step)
}

/// 1, 2, 2.5 or 5 times a power of ten, at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|c| *c >= v * 0.999_999)
        .unwrap_or(10.0 * p)
}

fn open(out: &mut String, title: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg class="chart" viewBox="0 0 {W} {height}" role="img" aria-label="{t}" preserveAspectRatio="xMidYMid meet"><title>{t}</title>"#,
        t = escape(title)
    );
}

fn axes(out: &mut String, labels: &[String], (max, step): (f64, f64), fmt: &dyn Fn(f64) -> String) {
    let plot_h = H - TOP - BOTTOM;
    let ticks = (max / step).round() as u32;
    for i in 0..=ticks {
        let v = step * f64::from(i);
        let y = TOP + plot_h - plot_h * v / max;
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" y1="{y}" x2="{W}" y2="{y}"/><text class="axis" x="{x}" y="{ty}" text-anchor="end">{label}</text>"#,
            y = Tenths(y),
            x = Tenths(LEFT - 6.0),
            ty = Tenths(y + 4.0),
            label = escape(&fmt(v))
        );
    }
    let step = (W - LEFT) / labels.len().max(1) as f64;
    for (i, label) in labels.iter().enumerate() {
        let x = LEFT + step * (i as f64 + 0.5);
        let _ = write!(
            out,
            r#"<text class="axis" x="{x}" y="{y}" text-anchor="middle">{l}</text>"#,
            x = Tenths(x),
            y = Tenths(H - 8.0),
            l = escape(label)
        );
    }
}

fn legend(out: &mut String, series: &[Series<'_>]) {
    let mut x = LEFT;
    for s in series {
        let _ = write!(
            out,
            r#"<rect class="{c}" x="{x}" y="{y}" width="10" height="10"/><text class="legend" x="{tx}" y="{ty}">{n}</text>"#,
            c = s.class,
            x = Tenths(x),
            y = H + 6.0,
            tx = Tenths(x + 14.0),
            ty = H + 15.0,
            n = escape(s.name)
        );
        x += 24.0 + s.name.chars().count() as f64 * 7.0;
    }
}

/// Opens a chart and draws its axes: (svg so far, axis maximum, plot
/// height, width of one label's slot).
fn frame(
    title: &str,
    labels: &[String],
    series: &[Series<'_>],
    fmt: &dyn Fn(f64) -> String,
) -> (String, f64, f64, f64) {
    let mut out = String::new();
    open(&mut out, title, H + 24.0);
    let (max, step) = scale(series);
    axes(&mut out, labels, (max, step), fmt);
    (
        out,
        max,
        H - TOP - BOTTOM,
        (W - LEFT) / labels.len().max(1) as f64,
    )
}

/// A line chart of several series over the same labels.
pub fn line(
    title: &str,
    labels: &[String],
    series: &[Series<'_>],
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let (mut out, max, plot_h, step) = frame(title, labels, series, fmt);
    for s in series {
        let _ = write!(
            out,
            r#"<polyline class="line {}" fill="none" points=""#,
            s.class
        );
        for (i, v) in s.values.iter().enumerate() {
            let x = LEFT + step * (i as f64 + 0.5);
            let y = TOP + plot_h - plot_h * v / max;
            if i > 0 {
                out.push(' ');
            }
            let _ = Tenths(x).write_to(&mut out);
            out.push(',');
            let _ = Tenths(y).write_to(&mut out);
        }
        out.push_str(r#""/>"#);
    }
    legend(&mut out, series);
    out.push_str("</svg>");
    out
}

/// Grouped bars: one group per label, one bar per series.
pub fn bars(
    title: &str,
    labels: &[String],
    series: &[Series<'_>],
    fmt: &dyn Fn(f64) -> String,
) -> String {
    let (mut out, max, plot_h, step) = frame(title, labels, series, fmt);
    let bar_w = (step * 0.7) / series.len().max(1) as f64;
    for (si, s) in series.iter().enumerate() {
        for (i, v) in s.values.iter().enumerate() {
            let h = plot_h * v.max(0.0) / max;
            let x = LEFT + step * i as f64 + step * 0.15 + bar_w * si as f64;
            let _ = write!(
                out,
                r#"<rect class="bar {c}" x="{x}" y="{y}" width="{w}" height="{h}"><title>{n} {l}: {v}</title></rect>"#,
                c = s.class,
                x = Tenths(x),
                y = Tenths(TOP + plot_h - h),
                w = Tenths(bar_w - 2.0),
                h = Tenths(h),
                n = escape(s.name),
                l = escape(labels.get(i).map_or("", String::as_str)),
                v = escape(&fmt(*v))
            );
        }
    }
    legend(&mut out, series);
    out.push_str("</svg>");
    out
}

/// A small inline trend line without axes.
pub fn sparkline(title: &str, values: &[f64]) -> String {
    let (w, h) = (96.0, 24.0);
    let max = values.iter().copied().fold(0.0_f64, f64::max).max(1e-9);
    let step = w / (values.len().max(2) - 1) as f64;
    let points: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            format!(
                "{},{}",
                Tenths(step * i as f64),
                Tenths(h - 2.0 - (h - 4.0) * v / max)
            )
        })
        .collect();
    format!(
        r#"<svg class="spark" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title><polyline fill="none" points="{p}"/></svg>"#,
        t = escape(title),
        p = points.join(" ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_accessible_and_escaped() {
        let labels = vec![String::from("Q1"), String::from("Q2")];
        let svg = line(
            "Revenue <A&B>",
            &labels,
            &[Series {
                name: "FY2026",
                values: &[1.0, 2.0],
                class: "s1",
            }],
            &|v| format!("{v}"),
        );
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title>Revenue &lt;A&amp;B&gt;</title>"));
        assert!(svg.contains("<polyline"));
        let b = bars(
            "Q",
            &labels,
            &[Series {
                name: "x",
                values: &[3.0, 0.0],
                class: "s1",
            }],
            &|v| format!("{v}"),
        );
        assert_eq!(b.matches("<rect class=\"bar").count(), 2);
    }

    #[test]
    fn tenths_write_what_the_float_formatter_writes() {
        for v in [
            0.0, 1.0, 12.34, 192.0, 44.94, -3.26, 615.66, 1e-7, 99.96, -0.04,
        ] {
            assert_eq!(Tenths(v).to_string(), format!("{v:.1}"), "{v}");
        }
        assert_eq!(Tenths(f64::NAN).to_string(), "NaN");
        let mut pushed = String::from("x=");
        Tenths(-12.34).write_to(&mut pushed).unwrap();
        assert_eq!(pushed, "x=-12.3");
        assert_eq!(Tenths(1e300).to_string(), format!("{:.1}", 1e300));
    }

    #[test]
    fn nice_axis_maxima() {
        assert_eq!(nice_ceiling(730.0), 1000.0);
        assert_eq!(nice_ceiling(140.0), 200.0);
        assert_eq!(nice_ceiling(2.2), 2.5);
        let one = |v: &'static [f64]| {
            [Series {
                name: "",
                values: v,
                class: "s1",
            }]
        };
        assert_eq!(scale(&one(&[4.2e6])), (6e6, 2e6));
        assert_eq!(scale(&one(&[2.9e6])), (3e6, 1e6));
    }
}
