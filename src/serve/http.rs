//! The HTTP side of `serve`: answers from the in-memory site only, so no
//! request can reach the file system; paths that try to leave the site get
//! 400. HTML pages get the live-reload script and, while the last edit has
//! errors, the error overlay.
//!
//! Only requests for the server's own host names are answered (403
//! otherwise; see [`super::listen`]), so a web page cannot read the portal
//! through a rebinding domain. Every page carries a Content-Security-Policy
//! whose only inline script is the reload script, by nonce; documents are
//! sent as downloads.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio::sync::broadcast;

use super::{Notice, Snapshot};
use crate::site::theme::escape;

/// What the server shares with the rebuild loop.
pub struct Shared {
    /// The site being served; replaced whole after each rebuild.
    pub current: RwLock<Arc<Snapshot>>,
    pub events: broadcast::Sender<Notice>,
    /// Path the site is served under: `/` or `/portal/`.
    pub base: String,
    /// Host names requests may be for, lower-case, without a port.
    pub hosts: Vec<String>,
}

impl Shared {
    /// The site being served now. A rebuild that panicked while holding
    /// the lock left the last site in place, so a poisoned lock still
    /// yields it.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .map(|s| Arc::clone(&s))
            .unwrap_or_else(|p| Arc::clone(&p.into_inner()))
    }
}

pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap| {
        let shared = Arc::clone(&shared);
        async move { handle(&shared, &method, &uri, &headers) }
    })
}

fn handle(shared: &Arc<Shared>, method: &Method, uri: &Uri, headers: &HeaderMap) -> Response {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(|h| super::listen::host_name(h).to_ascii_lowercase());
    if !host.is_some_and(|h| shared.hosts.contains(&h)) {
        return (
            StatusCode::FORBIDDEN,
            "clientele serve answers only requests for its own host names; start it with --allowed-host NAME to allow another",
        )
            .into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            "clientele serve answers GET only",
        )
            .into_response();
    }
    let raw = uri.path();
    let base = shared.base.as_str();
    if base != "/" && raw == base.trim_end_matches('/') {
        return redirect(base);
    }
    let Some(rest) = raw.strip_prefix(base) else {
        if raw == "/" {
            return redirect(base);
        }
        return not_found(shared, &format!("the site is served under {base}"));
    };
    let rel = match safe_path(rest) {
        Ok(rel) => rel,
        Err(why) => return (StatusCode::BAD_REQUEST, why).into_response(),
    };
    if rel == "__clientele/events" {
        return events(shared);
    }
    // Nothing hidden is ever published; the site has no such file, and
    // this says so even if a theme or an export ever made one.
    if crate::load::is_hidden_path(&rel) {
        return not_found(shared, &format!("no page `{rel}`"));
    }
    let snapshot = shared.snapshot();
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.clone()
    };
    let found = snapshot
        .files
        .get(key.as_str())
        .map(|b| (key.clone(), b))
        .or_else(|| {
            let index = format!("{}/index.html", key.trim_end_matches('/'));
            snapshot.files.get(index.as_str()).map(|b| (index, b))
        });
    let Some((name, bytes)) = found else {
        if crate::site::analysts_export(&rel) {
            return not_found(
                shared,
                &format!("`{rel}` is written by `clientele build`: serve keeps the site in memory and leaves the analysts' exports out"),
            );
        }
        return not_found(shared, &format!("no page `{rel}`"));
    };
    let Some(bytes) = super::packed::as_served(&name, bytes) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let bytes = &bytes;
    let mime = mime_of(&name);
    let response = Response::builder()
        .header(header::CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff");
    let response = if is_document(&name) {
        // A person's upload (an .html price list, an SVG) is a download,
        // never a page that runs on the portal's origin.
        response
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .header(header::CONTENT_DISPOSITION, "attachment")
            .header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox",
            )
            .body(Body::from(bytes.clone()))
    } else if mime.starts_with("text/html") {
        let nonce = nonce();
        response
            .header(header::CONTENT_TYPE, mime)
            .header(header::CONTENT_SECURITY_POLICY, page_policy(&nonce))
            .body(Body::from(inject(
                bytes,
                base,
                snapshot.problems.as_deref(),
                &nonce,
            )))
    } else {
        response
            .header(header::CONTENT_TYPE, mime)
            .header(
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; sandbox",
            )
            .body(Body::from(bytes.clone()))
    };
    response.unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Whether a site path is a client's uploaded document.
fn is_document(path: &str) -> bool {
    let mut parts = path.splitn(4, '/');
    parts.next() == Some("clients") && parts.nth(1) == Some("documents")
}

/// The policy of every page: scripts and styles from the site itself, and
/// no inline script but the one carrying `nonce` (the reload script).
fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
}

/// A fresh nonce for one response: 128 random bits, in hex.
fn nonce() -> String {
    let mut bytes = [0u8; 16];
    if getrandom::fill(&mut bytes).is_err() {
        // No random source: a nonce nobody can guess cannot be made, so
        // the policy allows no inline script at all (the page does not
        // reload by itself, but nothing else can run either).
        return String::from("unavailable");
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes a request path and refuses anything that could name a file
/// outside the site: `..` or `.` segments (also percent-encoded), empty
/// segments (`//etc`), backslashes and NUL.
pub fn safe_path(raw: &str) -> Result<String, &'static str> {
    let decoded = percent_decode(raw).ok_or("malformed percent-encoding")?;
    if decoded.contains(['\\', '\0']) {
        return Err("backslashes and NUL are not allowed in paths");
    }
    if decoded.starts_with('/') {
        return Err("absolute paths are not allowed");
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, s) in segments.iter().enumerate() {
        if *s == ".." || *s == "." {
            return Err("paths may not contain `.` or `..`");
        }
        if s.is_empty() && i != last {
            return Err("empty path segments are not allowed");
        }
    }
    Ok(decoded)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn redirect(to: &str) -> Response {
    Response::builder()
        .status(StatusCode::FOUND)
        .header(header::LOCATION, to)
        .body(Body::empty())
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn not_found(shared: &Shared, why: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Not found</title></head><body><h1>Not found</h1><p>{}</p><p><a href=\"{}index.html\">Dashboard</a></p></body></html>",
        escape(why),
        escape(&shared.base)
    );
    let nonce = nonce();
    let body = inject(html.as_bytes(), &shared.base, None, &nonce);
    (
        StatusCode::NOT_FOUND,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8".to_string()),
            (header::CONTENT_SECURITY_POLICY, page_policy(&nonce)),
        ],
        body,
    )
        .into_response()
}

fn events(shared: &Shared) -> Response {
    let rx = shared.events.subscribe();
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(Notice::Reload(pages)) => {
                    let data = pages.map_or_else(
                        || String::from("*"),
                        |p| serde_json::to_string(&p).unwrap_or_else(|_| String::from("*")),
                    );
                    return Some((
                        Ok::<_, Infallible>(Event::default().event("reload").data(data)),
                        rx,
                    ));
                }
                Ok(Notice::Problems(text)) => {
                    return Some((Ok(Event::default().event("problems").data(text)), rx))
                }
                Err(broadcast::error::RecvError::Lagged(_)) => continue,
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

const OVERLAY_STYLE: &str = "position:fixed;left:0;right:0;bottom:0;max-height:55vh;overflow:auto;z-index:9999;margin:0;padding:1rem 1.25rem;background:#1f2933;color:#f5f7fa;font:13px/1.45 ui-monospace,Menlo,Consolas,monospace;box-shadow:0 -4px 16px rgba(0,0,0,.3)";

/// The live-reload script (src/serve/reload.js), with `__BASE__` and
/// `__STYLE__` for the site's path and the overlay's style.
const RELOAD_SCRIPT: &str = include_str!("reload.js");

/// A string as a JavaScript string literal that is safe inside `<script>`.
fn js_string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| String::from("\"\""))
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
}

/// Adds the live-reload script, and the overlay while there are problems.
fn inject(html: &[u8], base: &str, problems: Option<&str>, nonce: &str) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(text) = problems {
        extra.push_str(&format!(
            "<div id=\"clientele-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><strong>clientele: the last edit has errors; this is the last good site.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            escape(text)
        ));
    }
    let script = RELOAD_SCRIPT
        .replace("__BASE__", &js_string(base))
        .replace("__STYLE__", &js_string(OVERLAY_STYLE));
    extra.push_str(&format!("<script nonce=\"{nonce}\">{script}</script>"));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(at) => format!("{}{extra}{}", &text[..at], &text[at..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn mime_of(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "md" | "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::safe_path;

    #[test]
    fn traversal_is_refused() {
        for bad in [
            "../etc/passwd",
            "%2e%2e/etc/passwd",
            "a/%2E%2E/%2e%2e/x",
            "/etc/passwd",
            "%2fetc",
            "a//b",
            "a\\..\\b",
            "a/./b",
            "%zz",
        ] {
            assert!(safe_path(bad).is_err(), "{bad}");
        }
        assert_eq!(
            safe_path("clients/acme/index.html").unwrap(),
            "clients/acme/index.html"
        );
        assert_eq!(
            safe_path("clients/acme/documents/Price%20list.csv").unwrap(),
            "clients/acme/documents/Price list.csv"
        );
        assert_eq!(safe_path("people/").unwrap(), "people/");
    }
}
