use clap::Parser;

/// mimalloc: the load stage makes millions of small allocations (YAML
/// values, strings, spans) from both cores at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = clientele::cli::Cli::parse();
    // Loading waits on the disk for each of a firm's files (200,000 at
    // 36,000 clients): two threads per core keep the cores busy while some
    // wait. RAYON_NUM_THREADS still decides when it is set.
    if std::env::var_os("RAYON_NUM_THREADS").is_none() {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        // An error means a pool exists already, which is fine as it is.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(cores * 2)
            .build_global();
    }
    std::process::exit(clientele::cli::run(cli));
}
