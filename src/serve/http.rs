//! The HTTP side of `serve`: answers from the in-memory site only, so no
//! request can reach the file system; paths that try to leave the site get
//! 400. HTML pages get the live-reload script and, while the last edit has
//! errors, the error overlay.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};

use axum::body::Body;
use axum::http::{header, Method, StatusCode, Uri};
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
}

pub fn router(shared: Arc<Shared>) -> axum::Router {
    axum::Router::new().fallback(move |method: Method, uri: Uri| {
        let shared = Arc::clone(&shared);
        async move { handle(&shared, &method, &uri) }
    })
}

fn handle(shared: &Arc<Shared>, method: &Method, uri: &Uri) -> Response {
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
    let snapshot = shared
        .current
        .read()
        .map(|s| Arc::clone(&s))
        .unwrap_or_else(|p| Arc::clone(&p.into_inner()));
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
        return not_found(shared, &format!("no page `{rel}`"));
    };
    let mime = mime_of(&name);
    let body = if mime.starts_with("text/html") {
        Body::from(inject(bytes, base, snapshot.problems.as_deref()))
    } else {
        Body::from(bytes.to_vec())
    };
    Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, "no-store")
        .header("X-Content-Type-Options", "nosniff")
        .body(body)
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
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
        shared.base
    );
    let body = inject(html.as_bytes(), &shared.base, None);
    (
        StatusCode::NOT_FOUND,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
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

/// Adds the live-reload script, and the overlay while there are problems.
fn inject(html: &[u8], base: &str, problems: Option<&str>) -> Vec<u8> {
    // A tab reloads when its own page changed, for any change when all
    // pages may have (`*`), and always after a fix while it shows the overlay.
    let base_len = base.len();
    let mut extra = String::new();
    if let Some(text) = problems {
        extra.push_str(&format!(
            "<div id=\"clientele-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><strong>clientele: the last edit has errors; this is the last good site.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">{}</pre></div>",
            escape(text)
        ));
    }
    extra.push_str(&format!(
        "<script>(function(){{var es=new EventSource(\"{base}__clientele/events\");es.addEventListener(\"reload\",function(e){{var here=decodeURIComponent(location.pathname.slice({base_len}));if(here===\"\"||here.slice(-1)===\"/\")here+=\"index.html\";if(e.data===\"*\"||document.getElementById(\"clientele-overlay\")||JSON.parse(e.data).indexOf(here)>=0)location.reload();}});es.addEventListener(\"problems\",function(e){{var o=document.getElementById(\"clientele-overlay\");if(!o){{o=document.createElement(\"div\");o.id=\"clientele-overlay\";o.setAttribute(\"role\",\"alert\");o.setAttribute(\"style\",\"{OVERLAY_STYLE}\");document.body.appendChild(o);}}o.textContent=\"\";var h=document.createElement(\"strong\");h.textContent=\"clientele: the last edit has errors; this is the last good site.\";var p=document.createElement(\"pre\");p.style.whiteSpace=\"pre-wrap\";p.textContent=e.data;o.appendChild(h);o.appendChild(p);}});}})();</script>"
    ));
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
