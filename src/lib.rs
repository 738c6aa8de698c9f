//! clientele: a static-site generator and process checker for client
//! management. The pipeline is `load -> model -> rules -> (metrics -> site
//! -> write)`; `cli` wires the commands.

pub mod cli;
pub mod diag;
pub mod load;
pub mod model;
pub mod rules;
pub mod suggest;
