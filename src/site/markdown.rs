//! Markdown from many authors, rendered and sanitized: pulldown-cmark
//! passes raw HTML through by design, so ammonia removes scripts, event
//! handlers and `javascript:` links before anything reaches a page.

use std::sync::OnceLock;

use ammonia::Builder;
use pulldown_cmark::{html, Options, Parser};

fn cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = Builder::default();
        b.url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Safe HTML for a Markdown body.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    cleaner().clean(&unsafe_html).to_string()
}

/// The first paragraph's text, cut to `max` characters, for summaries.
pub fn excerpt(markdown: &str, max: usize) -> String {
    let text: String = markdown
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty() || l.starts_with('#'))
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_never_survive() {
        let html = render(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn markdown_still_renders() {
        assert!(render("**bold** and [a](https://example.com)").contains("<strong>bold</strong>"));
    }

    #[test]
    fn excerpts_skip_headings() {
        assert_eq!(
            excerpt("# Title\n\nFirst line\nsecond.\n\nMore", 100),
            "First line second."
        );
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}
