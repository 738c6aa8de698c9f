//! `--timings`: how long each stage of a check or a build took, printed on
//! stderr after the summary, so a large firm can see where its time goes
//! (like `cargo build --timings`, in a few lines).

use std::fmt::Write;
use std::time::{Duration, Instant};

/// Stage durations, measured only when asked for.
pub struct Timings {
    on: bool,
    last: Instant,
    stages: Vec<(&'static str, Duration)>,
}

impl Timings {
    pub fn new(on: bool) -> Timings {
        Timings {
            on,
            last: Instant::now(),
            stages: Vec::new(),
        }
    }

    /// Ends the stage `name`, which began when the previous one ended.
    pub fn end(&mut self, name: &'static str) {
        if self.on {
            let now = Instant::now();
            self.stages.push((name, now - self.last));
            self.last = now;
        }
    }

    /// Prints the stages and their total on stderr, if asked for.
    pub fn print(&self) {
        if self.on {
            eprint!("{}", table(&self.stages));
        }
    }
}

fn table(stages: &[(&str, Duration)]) -> String {
    let mut out = String::from("timings:\n");
    let total: Duration = stages.iter().map(|(_, d)| *d).sum();
    for (name, d) in stages.iter().chain([&("total", total)]) {
        let share = if total.is_zero() {
            0.0
        } else {
            d.as_secs_f64() / total.as_secs_f64() * 100.0
        };
        let _ = writeln!(out, "  {name:<9} {:>8.3} s {share:>5.1}%", d.as_secs_f64());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_stage_and_the_total() {
        let ms = Duration::from_millis;
        let text = table(&[("load", ms(750)), ("rules", ms(250))]);
        assert_eq!(
            text,
            "timings:\n  load         0.750 s  75.0%\n  rules        0.250 s  25.0%\n  total        1.000 s 100.0%\n"
        );
    }
}
