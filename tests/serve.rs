//! `clientele serve` as a user runs it: start it on a free loopback port,
//! edit files, watch the reload events and the pages, try to escape the
//! site, and stop it.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{repo, TODAY};

/// A running server, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    log: mpsc::Receiver<String>,
}

impl Server {
    fn start(dir: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clientele"))
            .arg("serve")
            .arg(dir)
            .args(["--port", "0", "--today", TODAY])
            .args(extra)
            .env("NO_COLOR", "1")
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start clientele serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let Ok(line) = log.recv_timeout(deadline.saturating_duration_since(Instant::now()))
            else {
                let _ = child.kill();
                let _ = child.wait();
                panic!("serve never said where it listens");
            };
            if let Some(at) = line.find("http://127.0.0.1:") {
                let port = line[at + 17..]
                    .split(['/', ' '])
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                return Server { child, port, log };
            }
        }
    }

    /// A raw GET: (status, body). The path is sent exactly as given.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        let body = text
            .split_once("\r\n\r\n")
            .map_or(String::new(), |(_, b)| b.to_string());
        (status, body)
    }

    /// Subscribes to the reload events; returns a channel of event names.
    fn events(&self, base: &str) -> mpsc::Receiver<String> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        write!(
            stream,
            "GET {base}__clientele/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if let Some(name) = line.strip_prefix("event: ") {
                    if tx.send(name.to_string()).is_err() {
                        return;
                    }
                }
            }
        });
        // Let the subscription reach the server before anything is edited.
        std::thread::sleep(Duration::from_millis(300));
        rx
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("serve did not stop within 5 s of being killed");
    }
}

fn wait_for(events: &mpsc::Receiver<String>, name: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        match events.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(got) if got == name => return,
            Ok(_) => continue,
            Err(_) => panic!("no `{name}` event within 20 s"),
        }
    }
}

#[test]
fn edits_reload_and_errors_show_an_overlay() {
    let dir = repo("");
    let server = Server::start(dir.path(), &[]);
    let (status, page) = server.get("/clients/acme.html");
    assert_eq!(status, 200);
    assert!(
        page.contains("EventSource"),
        "pages carry the live-reload script"
    );
    assert!(!page.contains("<div id=\"clientele-overlay\""));
    let events = server.events("/");

    // An edit to a note reloads open pages, and the page shows it.
    let note = dir
        .path()
        .join("clients/acme/activities/2026-11-02-meeting.md");
    let text = std::fs::read_to_string(&note).unwrap();
    let text = text.replace(
        "title: Quarterly meeting",
        "title: Quarterly meeting on the Larkspur tender",
    );
    std::fs::write(&note, &text).unwrap();
    wait_for(&events, "reload");
    assert!(server
        .get("/clients/acme.html")
        .1
        .contains("Larkspur tender"));

    // The exports catch up right after the pages.
    let deadline = Instant::now() + Duration::from_secs(20);
    while !server
        .get("/exports/activities.csv")
        .1
        .contains("Larkspur tender")
    {
        assert!(
            Instant::now() < deadline,
            "exports/activities.csv never caught up with the edit"
        );
        std::thread::sleep(Duration::from_millis(100));
    }

    // A broken edit keeps the last good site and shows the problem.
    let client = dir.path().join("clients/acme/client.yaml");
    let good = std::fs::read_to_string(&client).unwrap();
    std::fs::write(&client, good.replace("tier: strategic", "tier: [strategic")).unwrap();
    wait_for(&events, "problems");
    let (status, page) = server.get("/index.html");
    assert_eq!(status, 200, "the last good site is still served");
    assert!(
        page.contains("<div id=\"clientele-overlay\""),
        "overlay shown"
    );
    assert!(
        page.contains("invalid-yaml") && page.contains("clients/acme/client.yaml"),
        "with the diagnostic"
    );

    // Fixing it removes the overlay.
    std::fs::write(&client, &good).unwrap();
    wait_for(&events, "reload");
    assert!(!server
        .get("/index.html")
        .1
        .contains("<div id=\"clientele-overlay\""));

    // A new client shows up in the client list.
    let zeta = dir.path().join("clients/zeta");
    std::fs::create_dir_all(&zeta).unwrap();
    std::fs::write(
        zeta.join("client.yaml"),
        "name: Zeta Holdings\ncoverage:\n  owner: bob\n",
    )
    .unwrap();
    wait_for(&events, "reload");
    assert!(server.get("/clients.html").1.contains(">Zeta Holdings</a>"));
    assert_eq!(server.get("/clients/zeta.html").0, 200);

    // Editor leftovers do not trigger rebuilds.
    while server.log.recv_timeout(Duration::from_millis(600)).is_ok() {}
    std::fs::write(dir.path().join("clients/acme/.plan.md.swp"), "x").unwrap();
    std::fs::write(dir.path().join("clients/acme/plan.md~"), "x").unwrap();
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        server.log.try_iter().all(|l| !l.starts_with("rebuilt")),
        "a swap file caused a rebuild"
    );
}

#[test]
fn nothing_outside_the_site_is_served() {
    let dir = repo("");
    let secret = dir
        .path()
        .parent()
        .unwrap()
        .join(format!("secret-{}.txt", std::process::id()));
    std::fs::write(&secret, "top secret").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, dir.path().join("clients/acme/documents/link.txt"))
        .unwrap();
    let server = Server::start(dir.path(), &[]);
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/clients/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
        "//etc/passwd",
        "/clients/acme/..%2f..%2ffirm.yaml",
        "/firm.yaml",
        "/clients/acme/client.yaml",
        "/clients/acme/documents/link.txt",
    ] {
        let (status, body) = server.get(path);
        assert!(status == 400 || status == 404, "{path}: {status}");
        assert!(
            !body.contains("top secret") && !body.contains("root:"),
            "{path} leaked"
        );
    }
    assert_eq!(
        server.get("/clients/acme/documents/sla.md").0,
        200,
        "real documents are served"
    );
    let _ = std::fs::remove_file(secret);
}

#[test]
fn serve_leaves_the_analysts_tables_to_build() {
    let dir = repo("");
    let server = Server::start(dir.path(), &[]);
    assert_eq!(server.get("/exports/tasks.csv").0, 200);
    assert_eq!(server.get("/exports/data/clients.jsonl").0, 404);
    assert_eq!(server.get("/exports/series.csv").0, 404);
    let (status, page) = server.get("/exports/model.json");
    assert_eq!(status, 404);
    assert!(page.contains("is written by `clientele build`"), "{page}");
}

#[test]
fn a_sub_path_works_as_in_build() {
    let dir = repo("");
    let server = Server::start(dir.path(), &["--base-url", "/portal/"]);
    assert_eq!(server.get("/portal/index.html").0, 200);
    assert_eq!(server.get("/portal/clients/acme.html").0, 200);
    assert_eq!(server.get("/portal").0, 302);
    assert_eq!(server.get("/").0, 302);
    assert_eq!(server.get("/index.html").0, 404);
    let (_, page) = server.get("/portal/index.html");
    assert!(page.contains("var base = \"/portal/\";"), "{page}");
    let events = server.events("/portal/");
    let plan = dir.path().join("clients/acme/plan.md");
    let text = std::fs::read_to_string(&plan)
        .unwrap()
        .replace("Narrative.", "Narrative, revised.");
    std::fs::write(&plan, text).unwrap();
    wait_for(&events, "reload");
    assert!(server
        .get("/portal/clients/acme.html")
        .1
        .contains("Narrative, revised."));
}

/// The injected live-reload script and overlay removed: what `build` writes.
fn without_injection(page: &str) -> String {
    let Some(at) = page.rfind("<script nonce=") else {
        return page.to_string();
    };
    let end = page[at..]
        .find("</script>")
        .map_or(page.len(), |e| at + e + 9);
    format!("{}{}", &page[..at], &page[end..])
}

#[test]
fn incremental_rebuilds_end_where_a_full_build_does() {
    let dir = repo("");
    let server = Server::start(dir.path(), &[]);
    let events = server.events("/");
    let acme = dir.path().join("clients/acme");

    // A note edited, a note added with an overdue follow-up (a new warning
    // for the validation page and the dashboard), and the client's wallet.
    let note = acme.join("activities/2026-11-02-meeting.md");
    let text = std::fs::read_to_string(&note).unwrap();
    std::fs::write(
        &note,
        text.replace("Met Tom.", "Met Tom at the Larkspur office."),
    )
    .unwrap();
    wait_for(&events, "reload");
    std::fs::write(
        acme.join("activities/2026-11-10-call.md"),
        "---\ndate: 2026-11-10\ntype: call\nby: bob\ntitle: Pricing call\nreported: 2026-11-10\nfollow_ups:\n  - title: Send the revised pricing\n    owner: bob\n    due: 2026-11-15\n---\n\nWent through the pricing with Tom.\n",
    )
    .unwrap();
    wait_for(&events, "reload");
    let client = acme.join("client.yaml");
    let yaml = std::fs::read_to_string(&client).unwrap();
    std::fs::write(&client, format!("{yaml}wallet_size: 2500000\n")).unwrap();
    wait_for(&events, "reload");

    // The exports and the validation page are rendered last, when serve
    // catches up: wait for them to show the last two edits.
    let deadline = Instant::now() + Duration::from_secs(30);
    // The wallet shows in the strategic tier's wallet share.
    while !(server
        .get("/benchmarks.html")
        .1
        .contains("<td class=\"num\">0.1%</td>")
        && server
            .get("/validation.html")
            .1
            .contains("Send the revised pricing"))
    {
        assert!(
            Instant::now() < deadline,
            "serve never caught up with the edits"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    common::clientele()
        .arg("build")
        .arg(dir.path())
        .args(["--today", TODAY, "--out"])
        .arg(&site)
        .assert()
        .success();
    let mut compared = 0;
    for entry in walkdir::WalkDir::new(&site) {
        let entry = entry.unwrap();
        let rel = entry
            .path()
            .strip_prefix(&site)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let text = ["html", "csv", "json", "js", "css"]
            .iter()
            .any(|ext| rel.ends_with(&format!(".{ext}")));
        // The analysts' tables are build's alone.
        let analysts = clientele::site::analysts_export(&rel);
        if !entry.file_type().is_file() || rel.starts_with('.') || !text || analysts {
            continue;
        }
        let built = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let (status, served) = server.get(&format!("/{rel}"));
        assert_eq!(status, 200, "{rel} is served");
        assert_eq!(
            without_injection(&served),
            built,
            "{rel}: serve after three edits differs from a full build"
        );
        compared += 1;
    }
    assert!(compared > 20, "only {compared} files compared");
}

impl Server {
    /// Sends `request` as it is; returns the whole response, headers included.
    fn raw(&self, request: &str) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        String::from_utf8_lossy(&response).into_owned()
    }

    fn get_for_host(&self, path: &str, host: &str) -> String {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        ))
    }
}

fn status_of(response: &str) -> u16 {
    response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The value of header `name` (lower-case) in a raw response.
fn header_of<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.eq_ignore_ascii_case(name)).then_some(v.trim())
    })
}

#[test]
fn only_its_own_host_names_are_answered() {
    let dir = repo("");
    let server = Server::start(dir.path(), &["--allowed-host", "plans.office.lan"]);
    let port = server.port;
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "plans.office.lan:1111".to_string(),
        "PLANS.office.lan".to_string(),
    ] {
        let r = server.get_for_host("/exports/tasks.csv", &host);
        assert_eq!(status_of(&r), 200, "{host}");
    }
    for host in [
        "rebind.attacker.example",
        "rebind.attacker.example:1111",
        "127.0.0.1.attacker.example",
        "localhost.attacker.example",
    ] {
        let r = server.get_for_host("/exports/tasks.csv", host);
        assert_eq!(status_of(&r), 403, "{host}");
        assert!(!r.contains("acme"), "{host}: the tasks leaked");
    }
    let none = server.raw("GET /exports/tasks.csv HTTP/1.0\r\n\r\n");
    assert_eq!(status_of(&none), 403, "no Host header");
}

#[test]
fn pages_carry_a_policy_and_documents_download() {
    let dir = repo("");
    let docs = dir.path().join("clients/acme/documents");
    std::fs::write(
        docs.join("pricing.html"),
        "<script>alert(document.domain)</script>",
    )
    .unwrap();
    std::fs::write(
        docs.join("logo.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
    )
    .unwrap();
    let server = Server::start(dir.path(), &[]);
    for doc in ["pricing.html", "logo.svg"] {
        let r = server.get_for_host(&format!("/clients/acme/documents/{doc}"), "localhost");
        assert_eq!(status_of(&r), 200, "{doc}");
        assert_eq!(
            header_of(&r, "content-disposition"),
            Some("attachment"),
            "{doc}"
        );
        assert_eq!(header_of(&r, "x-content-type-options"), Some("nosniff"));
        assert_eq!(
            header_of(&r, "content-type"),
            Some("application/octet-stream")
        );
    }
    let page = server.get_for_host("/clients/acme.html", "localhost");
    let policy = header_of(&page, "content-security-policy").expect("a CSP");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|n| n.split('\'').next())
        .expect("a nonce");
    assert!(nonce.len() >= 22, "{nonce}");
    let scripts = policy
        .split(';')
        .find(|d| d.trim().starts_with("script-src"));
    assert!(!scripts.unwrap().contains("unsafe-inline"), "{policy}");
    assert!(page.contains(&format!("<script nonce=\"{nonce}\">")));
    assert_eq!(page.matches("<script").count(), 1, "one inline script");
    let again = server.get_for_host("/clients/acme.html", "localhost");
    assert!(!again.contains(nonce), "a fresh nonce for every response");
    let missing = server.get_for_host("/nope.html", "localhost");
    assert_eq!(status_of(&missing), 404);
    assert!(header_of(&missing, "content-security-policy").is_some());
}

#[test]
fn a_base_url_that_could_run_script_is_refused() {
    let dir = repo("");
    let firm = dir.path().join("firm.yaml");
    let text = std::fs::read_to_string(&firm).unwrap();
    std::fs::write(
        &firm,
        format!("{text}base_url: \"/\\\"+alert(document.domain)+\\\"\"\n"),
    )
    .unwrap();
    let (code, found) = common::check_json(dir.path());
    assert_eq!(code, 2);
    let bad = found
        .iter()
        .find(|f| f.rule == "invalid-value")
        .expect("invalid-value");
    assert_eq!(bad.file, "firm.yaml");
    assert!(bad.line > 1 && bad.message.contains("base_url"), "{bad:?}");
    for flag in [
        "/\"+alert(1)+\"",
        "javascript:alert(1)",
        "/portal/<script>",
        "https://x/'onmouseover=alert(1)",
    ] {
        let o = common::clientele()
            .arg("serve")
            .arg(dir.path())
            .args(["--port", "0", "--base-url", flag])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag}");
        let o = common::clientele()
            .arg("build")
            .arg(dir.path())
            .args(["--base-url", flag])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{flag}");
    }
}

#[test]
fn slow_clients_are_dropped_and_cannot_lock_others_out() {
    let dir = repo("");
    let server = Server::start(dir.path(), &[]);
    // More half-sent requests than the server keeps open at once.
    let slow: Vec<TcpStream> = (0..160)
        .map(|_| {
            let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
            s.write_all(b"GET /index.html HTTP/1.1\r\nHost: local")
                .unwrap();
            s
        })
        .collect();
    let started = Instant::now();
    let r = server.get_for_host("/index.html", "localhost");
    assert_eq!(status_of(&r), 200);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "answered once the slow ones timed out: {:?}",
        started.elapsed()
    );
    // Every slow connection has been closed by the server.
    for mut s in slow {
        s.set_read_timeout(Some(Duration::from_secs(15))).unwrap();
        let mut buf = Vec::new();
        let closed = s.read_to_end(&mut buf).is_ok();
        assert!(closed, "a slow connection was left open");
    }
}

#[test]
fn edits_during_a_long_catch_up_are_all_served() {
    let dir = repo("");
    // Enough captured rows that exports/activities.csv is several MiB: a
    // catch-up spends a while writing it, and edits arrive meanwhile.
    let mut rows = String::from("date,type,by,summary,outcome\n");
    for day in 1..=28 {
        for kind in [
            "email", "call", "im", "email", "call", "im", "email", "call", "im", "email",
        ] {
            rows.push_str(&format!(
                "2026-10-{day:02},{kind},bob,Followed up on the quarterly research offer and the pricing,\n"
            ));
        }
    }
    for folder in common::add_clients(dir.path(), 600) {
        std::fs::write(folder.join("activities.csv"), &rows).unwrap();
    }
    let server = Server::start(dir.path(), &[]);
    let table = server.get("/exports/activities.csv").1;
    assert!(
        table.len() > 8 << 20,
        "activities.csv is {} bytes",
        table.len()
    );
    let note = dir
        .path()
        .join("clients/acme/activities/2026-11-02-meeting.md");
    let original = std::fs::read_to_string(&note).unwrap();
    // The note's title, which the exports carry.
    let titled =
        |title: &str| original.replace("title: Quarterly meeting", &format!("title: {title}"));
    // Each round: an edit, and once its first pass is on screen and the
    // catch-up has begun, another edit a little later than the round before,
    // so that one of them lands while the exports are being written.
    for round in 0..16 {
        std::fs::write(&note, titled(&format!("Edit number {round}"))).unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match server.log.recv_timeout(left) {
                Ok(line) if line.starts_with("rebuilt") => break,
                Ok(_) => {}
                Err(_) => panic!("round {round}: the edit was never rebuilt: serve is stuck"),
            }
        }
        std::thread::sleep(Duration::from_millis(90 * round));
        std::fs::write(&note, titled(&format!("Edit number {round}, again"))).unwrap();
        std::thread::sleep(Duration::from_millis(100));
    }
    std::fs::write(&note, titled("The last edit of the series.")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    for path in ["/clients/acme.html", "/exports/activities.csv"] {
        while !server.get(path).1.contains("The last edit of the series.") {
            assert!(
                Instant::now() < deadline,
                "{path} never showed the last edit: serve is stuck"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

#[test]
fn a_domain_claimed_by_an_edit_is_flagged_on_both_clients() {
    let dir = repo("");
    // As a warning, so the edit renders instead of keeping the last site.
    let firm = dir.path().join("firm.yaml");
    let yaml = std::fs::read_to_string(&firm).unwrap();
    std::fs::write(&firm, format!("{yaml}rules:\n  email-domain: warning\n")).unwrap();
    let server = Server::start(dir.path(), &[]);
    let events = server.events("/");
    let bolt = dir.path().join("clients/bolt/client.yaml");
    let yaml = std::fs::read_to_string(&bolt).unwrap();
    std::fs::write(
        &bolt,
        yaml.replace(
            "domains: [boltcapital.com]",
            "domains: [boltcapital.com, acme-am.com]",
        ),
    )
    .unwrap();
    wait_for(&events, "reload");
    // acme's folder did not change, but its finding did.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, acme) = server.get("/clients/acme.html");
        if acme.contains("is claimed by `acme` and by `bolt`") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "acme's page never showed the domain bolt claimed"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // And back: the warning leaves both pages.
    std::fs::write(&bolt, yaml).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.get("/clients/acme.html").1.contains("is claimed by") {
        assert!(
            Instant::now() < deadline,
            "acme's page kept the warning after bolt gave the domain up"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn datasets_follow_edits_to_their_files_and_declarations() {
    let dir = repo("");
    let root = dir.path();
    common::append(
        root,
        "firm.yaml",
        "datasets:\n  - id: survey\n    name: Client survey\n    columns: [{id: score, name: Score, unit: count}]\n",
    );
    let server = Server::start(root, &[]);
    let events = server.events("/");
    std::fs::create_dir_all(root.join("clients/acme/data")).unwrap();
    std::fs::write(
        root.join("clients/acme/data/survey.csv"),
        "date,score\n2026-06-30,7.5\n",
    )
    .unwrap();
    wait_for(&events, "reload");
    let deadline = Instant::now() + Duration::from_secs(30);
    server.wait_for_page(
        "/clients/acme.html",
        "<th scope=\"col\">Score</th>",
        deadline,
        "the new data file never showed",
    );
    // The declaration renamed: every data file is read again under it.
    common::edit(root, "firm.yaml", "name: Score", "name: Overall score");
    wait_for(&events, "reload");
    server.wait_for_page(
        "/clients/acme.html",
        "<th scope=\"col\">Overall score</th>",
        deadline,
        "the renamed column never showed",
    );
    // A column the file does not have: the file's problem shows over the
    // last good site, until the file follows.
    common::edit(root, "firm.yaml", "{id: score,", "{id: rating,");
    wait_for(&events, "reload");
    server.wait_for_page(
        "/clients/acme.html",
        "unknown column `score`",
        deadline,
        "the file's problem never showed",
    );
    common::edit(
        root,
        "clients/acme/data/survey.csv",
        "date,score\n2026-06-30,7.5",
        "date,rating\n2026-06-30,8",
    );
    wait_for(&events, "reload");
    server.wait_for_page(
        "/data/survey.html",
        "<td class=\"num\">8</td>",
        deadline,
        "the fixed file never showed",
    );
    std::thread::sleep(Duration::from_millis(300));
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    common::clientele()
        .arg("build")
        .arg(root)
        .args(["--today", TODAY, "--out"])
        .arg(&site)
        .assert()
        .success();
    for page in [
        "clients/acme.html",
        "data/survey.html",
        "data.html",
        "validation.html",
    ] {
        let built = std::fs::read_to_string(site.join(page)).unwrap();
        let (status, served) = server.get(&format!("/{page}"));
        assert_eq!(status, 200, "{page}");
        assert_eq!(
            without_injection(&served),
            built,
            "{page} differs from a full build"
        );
    }
}

impl Server {
    /// Waits until the page at `path` contains `needle`; fails with `what`
    /// at `deadline`.
    fn wait_for_page(&self, path: &str, needle: &str, deadline: Instant, what: &str) {
        while !self.get(path).1.contains(needle) {
            assert!(Instant::now() < deadline, "{what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}
