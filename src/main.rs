use clap::Parser;

/// mimalloc: the load stage makes millions of small allocations (YAML
/// values, strings, spans) from both cores at once.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = clientele::cli::Cli::parse();
    if cli.command.runs_once() {
        keep_freed_memory();
    }
    // Loading waits on the disk for each of a firm's files (218,000 in the
    // benchmark firm): two threads per core keep the cores busy while some
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

/// By default mimalloc hands freed memory back to the system after a second,
/// and a build of the benchmark firm then faults the same memory in
/// again, zeroed: 100,000 page faults, 1.5 s of a 10 s build. A command
/// that exits when done keeps it instead. `serve` runs for hours and keeps
/// the default, as does anyone who sets MIMALLOC_PURGE_DELAY.
fn keep_freed_memory() {
    // `mi_option_purge_delay` in mimalloc.h (v2 and v3); the Rust bindings
    // name the options on either side of it (14 and 16) but not this one.
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets a global option; mimalloc reads options atomically
        // and this thread is the only one running yet. The binding is an
        // `extern "C"` function, which only an unsafe block can call.
        #[allow(unsafe_code)]
        unsafe {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, -1);
        }
    }
}
