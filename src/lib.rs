//! clientele: a static-site generator and process checker for client
//! management. The pipeline is `load -> model -> rules -> (metrics -> site
//! -> write)`; `cli` wires the commands.

// Loader functions return `Result<_, Diagnostic>`. A diagnostic is ~130
// bytes and only built on the error path, once per bad file; boxing it
// would add an allocation and noise to every `?` for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod cli;
pub mod diag;
pub mod load;
pub mod metrics;
pub mod model;
pub mod rules;
pub mod serve;
pub mod site;
pub mod suggest;
pub mod write;
