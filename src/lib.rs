//! clientele: a static-site generator and process checker for client
//! management. The pipeline is `load -> model -> rules -> (metrics -> site
//! -> write)`, run in that order by [`pipeline::Pipeline`]; `cli` wires the
//! commands.
//!
//! Performance notes in comments cite what was measured on *the benchmark
//! firm*: the one `bench/run.sh 36000` generates (36,000 clients, 500,000
//! interactions, about 218,000 files, a 35 MB `revenue.csv`) on the 2-core
//! machine CI runs on. The README's Benchmarks section has its whole-run
//! figures; comments give only the figure that justified their code.

// Loader functions return `Result<_, Diagnostic>`. A diagnostic is ~130
// bytes and only built on the error path, once per bad file; boxing it
// would add an allocation and noise to every `?` for no measurable gain.
#![allow(clippy::result_large_err)]

/// The most clients one parallel task takes. Rayon cuts a range into a few
/// pieces per thread and never splits a piece a thread has begun, so with
/// clients as unequal as a strategic account and a one-line one, a thread
/// could be left alone with thousands of them: on the benchmark firm, loading
/// ended with 1.2 s on one core while the other idled.
pub const CLIENTS_PER_TASK: usize = 64;

pub mod cli;
pub mod diag;
pub mod import;
pub mod load;
pub mod metrics;
pub mod model;
pub mod pipeline;
pub mod rules;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod write;
