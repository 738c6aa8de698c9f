//! `clientele serve`: the portal on a local port, rebuilt on every edit.

use super::RepoArgs;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub repo: RepoArgs,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default keeps the portal on this machine.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Where the site is served, e.g. `/portal/` (default: `base_url` in
    /// firm.yaml, else `/`).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Open the portal in the default browser.
    #[arg(long)]
    pub open: bool,
}

pub fn run(args: &Args) -> i32 {
    let options = crate::serve::Options {
        root: args.repo.dir.clone(),
        today: args.repo.today,
        base_url: args.base_url.clone(),
    };
    crate::serve::run(options, &args.bind, args.port, args.open)
}
