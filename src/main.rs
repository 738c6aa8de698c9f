use clap::Parser;

fn main() {
    let cli = clientele::cli::Cli::parse();
    std::process::exit(clientele::cli::run(cli));
}
