//! Markdown from many authors, rendered and sanitized: pulldown-cmark
//! passes raw HTML through by design, so ammonia removes scripts, event
//! handlers and `javascript:` links before anything reaches a page.

use std::sync::OnceLock;

use ammonia::Builder;
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn cleaner() -> &'static Builder<'static> {
    static CLEANER: OnceLock<Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = Builder::default();
        b.url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer"));
        b
    })
}

/// Safe HTML for a Markdown body shown inside a section of a page. The
/// page has its own `h1` and the section its `h2` and `h3`, so the author's
/// headings move down two levels: `# Title` becomes `h3`, `## Discussion`
/// `h4`, and the page keeps one `h1` and an outline without gaps.
pub fn render(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    let events: Vec<Event<'_>> = Parser::new_ext(markdown, options)
        .map(|event| match event {
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => Event::Start(Tag::Heading {
                level: nested(level),
                id,
                classes,
                attrs,
            }),
            Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(nested(level))),
            other => other,
        })
        .collect();
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    let needs_cleaning = events.iter().any(needs_cleaning);
    html::push_html(&mut html, events.into_iter());
    if needs_cleaning {
        cleaner().clean(&html).to_string()
    } else {
        html
    }
}

/// Whether an event can put something on the page that pulldown-cmark does
/// not escape itself: raw HTML, or a URL. Checkboxes and table alignment
/// are markup the cleaner changes, so those go through it too. Most notes
/// have none of these, and skip the cleaner's parse of the whole body.
fn needs_cleaning(event: &Event<'_>) -> bool {
    matches!(
        event,
        Event::Html(_)
            | Event::InlineHtml(_)
            | Event::TaskListMarker(_)
            | Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::Table(_))
    )
}

/// An author's heading level two levels down, at most `h6`.
fn nested(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
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
    fn text_without_html_or_links_is_escaped_by_the_renderer() {
        let html =
            render("Fish & chips \"quoted\" `<script>`\n\n```x\"><img onerror=y>\n<i>\n```\n");
        assert!(
            !html.contains("<script") && !html.contains("<img") && !html.contains("<i>"),
            "{html}"
        );
        assert!(
            html.contains("&amp;") && html.contains("&lt;script&gt;"),
            "{html}"
        );
    }

    #[test]
    fn markdown_still_renders() {
        assert!(render("**bold** and [a](https://example.com)").contains("<strong>bold</strong>"));
    }

    #[test]
    fn headings_nest_under_the_page_and_section_headings() {
        let html = render("# Plan\n\n## Discussion\n\n#### Deep\n");
        assert!(html.contains("<h3>Plan</h3>"), "{html}");
        assert!(html.contains("<h4>Discussion</h4>"), "{html}");
        assert!(html.contains("<h6>Deep</h6>"), "{html}");
        assert!(!html.contains("<h1") && !html.contains("<h2"), "{html}");
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
