use clap::Parser;

/// mimalloc: the load stage makes millions of small allocations (YAML
/// values, strings, spans) from both cores at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = clientele::cli::Cli::parse();
    std::process::exit(clientele::cli::run(cli));
}
