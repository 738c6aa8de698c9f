//! `clientele serve`: the portal on a local port, rebuilt on every edit.

use super::RepoArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Port to listen on; 0 picks a free one.
    #[arg(short, long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default keeps the portal on this machine.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Where the site is served, e.g. `/portal/` (default: `base_url` in
    /// firm.yaml, else `/`).
    #[arg(long, value_parser = super::parse_base_url)]
    pub base_url: Option<String>,
    /// Another host name the portal may be reached by (repeatable), e.g.
    /// `--allowed-host plans.office.lan`; requests for any other Host get
    /// 403, so a web page cannot read the portal through DNS rebinding.
    #[arg(long = "allowed-host", value_name = "HOST")]
    pub allowed_hosts: Vec<String>,
    /// Open the portal in the default browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &Args) -> i32 {
    let options = crate::serve::Options {
        root: args.repo.dir.clone(),
        today: crate::rules::Today::from_arg(args.repo.today),
        base_url: args.base_url.clone(),
    };
    let listen = crate::serve::Listen {
        bind: args.bind.clone(),
        port: args.port,
        allowed_hosts: args.allowed_hosts.clone(),
    };
    crate::serve::run(options, &listen, args.open)
}
