//! The theme: tera templates and static files, embedded in the binary from
//! `themes/default/`. A plans repository may override any file by placing
//! one of the same name under `<content>/themes/templates/` or
//! `<content>/themes/static/`; extra static files there are copied too.

use std::path::Path;

use tera::Tera;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// Templates, by name under `templates/`.
const TEMPLATES: &[(&str, &str)] = embed!(
    "templates/base.html",
    "templates/components.html",
    "templates/dashboard.html",
    "templates/priority.html",
    "templates/clients.html",
    "templates/client.html",
    "templates/people.html",
    "templates/person.html",
    "templates/metrics.html",
    "templates/charter.html",
    "templates/strategy.html",
    "templates/reviews.html",
    "templates/segments.html",
    "templates/segment.html",
    "templates/benchmarks.html",
    "templates/impact.html",
    "templates/profitability.html",
    "templates/data.html",
    "templates/dataset.html",
    "templates/kpis.html",
    "templates/validation.html",
    "templates/search.html",
);

/// The names of the templates a repository may override, as written under
/// `themes/templates/` (`client.html`).
pub fn template_names() -> impl Iterator<Item = &'static str> {
    TEMPLATES
        .iter()
        .map(|(path, _)| path.trim_start_matches("templates/"))
}

/// Static files, by name under `static/`.
const STATIC: &[(&str, &str)] =
    embed!("static/style.css", "static/search.js", "static/favicon.svg");

/// A compiled theme: templates ready to render, and static files to copy.
pub struct Theme {
    pub tera: Tera,
    pub statics: Vec<(String, Vec<u8>)>,
}

/// A theme file that could not be read or compiled.
#[derive(Debug)]
pub struct ThemeError {
    pub file: String,
    pub message: String,
}

impl Theme {
    /// The default theme with the repository's overrides applied.
    pub fn load(content: &Path) -> Result<Theme, ThemeError> {
        let own = content.join("themes");
        let mut sources: Vec<(String, String)> = Vec::new();
        for (path, text) in TEMPLATES {
            let name = path.trim_start_matches("templates/").to_string();
            let text = match read_override(&own, path)? {
                Some(bytes) => String::from_utf8(bytes).map_err(|_| ThemeError {
                    file: format!("themes/{path}"),
                    message: String::from("template is not valid UTF-8"),
                })?,
                None => (*text).to_string(),
            };
            sources.push((name, text));
        }
        let mut tera = Tera::new();
        tera.set_escape_fn(escape_html);
        tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
            .map_err(|e| ThemeError {
                file: String::from("themes/templates"),
                message: e.to_string(),
            })?;
        let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
        for (path, text) in STATIC {
            let bytes = read_override(&own, path)?.unwrap_or_else(|| text.as_bytes().to_vec());
            statics.push((path.to_string(), bytes));
        }
        // Extra files of the repository's own static folder (logos, fonts).
        let extra = own.join("static");
        if extra.is_dir() {
            // Hidden files (`.env`, `.git/`) at any depth are never published.
            let walk = walkdir::WalkDir::new(&extra)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !crate::load::is_ignored(&e.file_name().to_string_lossy())
                });
            for entry in walk {
                let Ok(entry) = entry else { continue };
                if !entry.file_type().is_file() {
                    continue;
                }
                let Ok(rel) = entry.path().strip_prefix(&extra) else {
                    continue;
                };
                let name = format!("static/{}", rel.to_string_lossy().replace('\\', "/"));
                if statics.iter().any(|(n, _)| *n == name) {
                    continue;
                }
                let bytes = read_theme_file(entry.path(), &name)?;
                statics.push((name, bytes));
            }
        }
        Ok(Theme { tera, statics })
    }
}

/// What `{{ value }}` writes: the five characters and entities of tera's
/// own escaping, written a run at a time. Tera's writes every byte of every
/// value through a `dyn Write` call: 6% of the instructions of a build.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    escape_into(input, out)
}

/// `text` escaped as templates escape it, for markup made in Rust (charts,
/// serve's error overlay).
pub fn escape(text: &str) -> String {
    let mut out = Vec::with_capacity(text.len());
    let _ = escape_into(text, &mut out);
    // Entities are ASCII and the input is cut only before ASCII bytes.
    String::from_utf8(out).unwrap_or_default()
}

fn escape_into(input: &str, out: &mut (impl std::io::Write + ?Sized)) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, byte) in bytes.iter().enumerate() {
        let entity: &[u8] = match byte {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

fn read_override(own: &Path, path: &str) -> Result<Option<Vec<u8>>, ThemeError> {
    let file = own.join(path);
    match std::fs::symlink_metadata(&file) {
        Err(_) => Ok(None),
        Ok(meta) if meta.file_type().is_symlink() => Err(ThemeError {
            file: format!("themes/{path}"),
            message: String::from("is a symbolic link; clientele does not follow links"),
        }),
        Ok(_) => read_theme_file(&file, path).map(Some),
    }
}

/// The largest theme file: templates and stylesheets, fonts and logos.
const MAX_THEME_BYTES: u64 = 64 * 1024 * 1024;

/// A theme file, never through a link, a FIFO or a device.
fn read_theme_file(file: &Path, name: &str) -> Result<Vec<u8>, ThemeError> {
    crate::load::open::read_limited(file, MAX_THEME_BYTES).map_err(|e| ThemeError {
        file: format!("themes/{name}"),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escaping_writes_what_tera_writes() {
        let inputs = [
            "",
            "plain text",
            "<script>alert('x')</script>",
            "Fish & \"Chips\" > 'Pie' &amp; < ",
            "&",
            "Zoë Ågren — naïve café 北京 &",
        ];
        for input in inputs {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(teras).unwrap()
            );
        }
    }
}
