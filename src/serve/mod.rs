//! `clientele serve`: build in memory, serve over HTTP, watch the content
//! and rebuild only what an edit touched; browser tabs reload by
//! themselves, and an edit with errors keeps the last good site on screen
//! with the diagnostics as an overlay.

mod builder;
mod http;
mod listen;
mod memory;
mod packed;
mod watch;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use tokio::sync::broadcast;

use crate::diag;
pub use builder::{Builder, Outcome};
pub use http::{safe_path, Shared};
use memory::{changed_pages, MemorySink};
pub use watch::relevant;

/// Every file of the site by path.
pub type Files = HashMap<Arc<str>, bytes::Bytes>;

/// The site as served: every file's bytes, and the problems of the last
/// edit if it could not be built.
pub struct Snapshot {
    pub files: Arc<Files>,
    pub problems: Option<String>,
}

/// What open pages are told.
#[derive(Clone, Debug)]
pub enum Notice {
    /// These site paths changed (`None`: any page may have).
    Reload(Option<Vec<String>>),
    Problems(String),
}

/// Options of a serve session.
pub struct Options {
    pub root: PathBuf,
    pub today: crate::rules::Today,
    pub base_url: Option<String>,
}

/// The path part of a base URL, with slashes: `https://x/portal` -> `/portal/`.
pub fn base_path(base_url: &str) -> String {
    let path = match base_url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
        None => base_url,
    };
    let trimmed = path.trim_matches('/');
    if trimmed.is_empty() {
        String::from("/")
    } else {
        format!("/{trimmed}/")
    }
}

/// Where and for whom the server listens.
pub struct Listen {
    pub bind: String,
    pub port: u16,
    /// Host names besides the bound address and `localhost`.
    pub allowed_hosts: Vec<String>,
}

/// Runs the server until the process is stopped.
pub fn run(options: Options, on: &Listen, open: bool) -> i32 {
    let (bind, port) = (on.bind.as_str(), on.port);
    let root = options.root.clone();
    let mut builder = match Builder::new(options) {
        Ok(b) => b,
        Err(d) => {
            eprint!("{}", diag::render_human(&root, &[d], false));
            return 2;
        }
    };
    let started = Instant::now();
    let first = builder.build(&[], None);
    let Some(snapshot) = first.snapshot else {
        eprintln!("{}", first.problems.unwrap_or(first.summary));
        return 2;
    };
    if let Some(p) = &first.problems {
        eprint!("{p}");
    }
    eprintln!(
        "built {} pages in {:.0?}: {}",
        first.pages,
        started.elapsed(),
        first.summary
    );
    let (events, _) = broadcast::channel(16);
    let shared = Arc::new(Shared {
        current: RwLock::new(Arc::new(snapshot)),
        events,
        base: builder.base_path.clone(),
        hosts: listen::allowed_hosts(bind, &on.allowed_hosts),
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_io()
        .enable_time()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            diag::CommandError::new("serve", format!("cannot start the server runtime: {e}"))
                .print();
            return 2;
        }
    };
    let listener = match runtime.block_on(tokio::net::TcpListener::bind((bind, port))) {
        Ok(l) => l,
        Err(e) => {
            diag::CommandError::new("serve", format!("cannot listen on {bind}:{port}: {e}"))
                .help("pick another port with --port, or --port 0 for any free one")
                .print();
            return 2;
        }
    };
    let addr = listener
        .local_addr()
        .map_or_else(|_| format!("{bind}:{port}"), |a| a.to_string());
    let url = format!("http://{addr}{}", builder.base_path);
    eprintln!("serving {} at {url} (Ctrl-C to stop)", root.display());
    let everywhere = bind
        .parse::<std::net::IpAddr>()
        .is_ok_and(|ip| ip.is_unspecified());
    if everywhere && on.allowed_hosts.is_empty() {
        eprintln!("note: listening on {bind}: pass --allowed-host NAME for each name the portal is reached by; other names get 403");
    }
    let app = http::router(Arc::clone(&shared));
    runtime.spawn(listen::accept(listener, app));
    if open {
        watch::open_browser(&url);
    }
    watch::watch(&root, &mut builder, &shared)
}

#[cfg(test)]
mod tests {
    use super::base_path;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path("/portal"), "/portal/");
        assert_eq!(base_path("https://intranet.example/portal/"), "/portal/");
        assert_eq!(base_path("https://intranet.example"), "/");
    }
}
