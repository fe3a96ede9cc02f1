//! `ac`'s integration tests in one binary (it links the crate once): end-to-end runs of the
//! built `ac` against the loopback HTTPS simulator, golden files of every screen, completion in
//! real shells, and the freshness of the generated assets.

#[macro_use]
mod common;
mod generate;

mod assets;
mod completion;
mod config;
mod errors;
mod fault_table;
mod faults;
mod hostile;
mod plan_golden;
mod precheck;
mod rehearsal;
mod render_golden;
mod secrets;
mod status;
mod upgrade;
