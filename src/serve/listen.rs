//! Listening for `serve`: which host names it answers for, and the accept
//! loop that keeps slow or numerous clients from starving the others. A
//! connection that does not send its request headers within
//! [`HEADER_TIMEOUT`] is closed, and at most [`MAX_CONNECTIONS`] are open.

use std::sync::Arc;
use std::time::Duration;

/// How long a connection may take to send its request headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// The most connections open at once (each open tab holds one for its
/// reload events); more wait to be accepted.
pub const MAX_CONNECTIONS: usize = 128;

/// The host names a server bound to `bind` answers for: the bound address
/// (unless it is every address), `localhost` and the loopback addresses,
/// and the names the person allowed.
pub fn allowed_hosts(bind: &str, extra: &[String]) -> Vec<String> {
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
        .into_iter()
        .map(String::from)
        .collect();
    match bind.parse::<std::net::IpAddr>() {
        Ok(ip) if ip.is_unspecified() => {}
        Ok(std::net::IpAddr::V6(v6)) => hosts.push(format!("[{v6}]")),
        _ => hosts.push(bind.to_ascii_lowercase()),
    }
    hosts.extend(extra.iter().map(|h| host_name(h).to_ascii_lowercase()));
    hosts
}

/// A Host header without its port: `localhost:1111` -> `localhost`,
/// `[::1]:80` -> `[::1]`.
pub fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// Accepts connections until the runtime stops: each is served over
/// HTTP/1.1 with a timeout on reading request headers, and no more than
/// [`MAX_CONNECTIONS`] are open at once.
pub async fn accept(listener: tokio::net::TcpListener, app: axum::Router) {
    let open = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(permit) = Arc::clone(&open).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(e) => {
                eprintln!("warning: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _open = permit;
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            let _ = connection.await;
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_lose_their_port_only() {
        assert_eq!(host_name("localhost:1111"), "localhost");
        assert_eq!(host_name("[::1]:80"), "[::1]");
        assert_eq!(host_name("[::1]"), "[::1]");
        assert_eq!(host_name("plans.lan"), "plans.lan");
        let hosts = allowed_hosts("0.0.0.0", &["Plans.LAN:8080".to_string()]);
        assert_eq!(hosts, ["localhost", "127.0.0.1", "[::1]", "plans.lan"]);
        assert!(allowed_hosts("10.1.2.3", &[]).contains(&"10.1.2.3".to_string()));
    }
}
