//! "Did you mean" suggestions for misspelt ids and field names.

/// The candidate closest to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let mut best: Option<(f64, &'a str)> = None;
    for candidate in candidates {
        let score = strsim::jaro_winkler(&word_lower, &candidate.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// `` `a`, `b` or `c` `` for a help line; long lists are cut short.
pub fn list(items: &[&str]) -> String {
    const MAX: usize = 12;
    let shown: Vec<String> = items.iter().take(MAX).map(|i| format!("`{i}`")).collect();
    let mut text = match shown.len() {
        0 => String::from("none"),
        1 => shown[0].clone(),
        n => format!("{} or {}", shown[..n - 1].join(", "), shown[n - 1]),
    };
    if items.len() > MAX {
        text.push_str(&format!(" (and {} more)", items.len() - MAX));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        let ids = ["jdoe", "asmith", "bkhan"];
        assert_eq!(did_you_mean("jdoee", ids), Some("jdoe"));
        assert_eq!(did_you_mean("asmiht", ids), Some("asmith"));
        assert_eq!(did_you_mean("zzz", ids), None);
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(list(&["a"]), "`a`");
        assert_eq!(list(&["a", "b", "c"]), "`a`, `b` or `c`");
    }
}
