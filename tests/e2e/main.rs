//! `ac`'s integration tests in one binary (it links the crate once): end-to-end runs of the
//! built `ac` against the loopback HTTPS simulator, golden files of every screen, completion in
//! real shells, and the freshness of the generated assets.

#[macro_use]
mod common;
mod generate;

mod advice_e2e;
mod architecture;
mod assets;
mod completion;
mod config;
mod dr_memory;
mod errors;
mod fault_table;
mod faults;
mod hostile;
mod kubeconfig_writes;
mod login;
mod next_steps;
mod plan_golden;
mod precheck;
mod rehearsal;
mod releases;
mod render_golden;
mod rollout;
mod secrets;
mod status;
mod upgrade;
mod verify;
mod watch;
