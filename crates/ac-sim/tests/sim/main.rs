//! The simulator's own tests: its API as kube and kubectl see it, the `ac-sim` binary, and the
//! simulated controller.

mod api;
mod bin;
mod dr;
mod hostile;
mod kubectl;
mod login;
mod platform;
mod rehearsal;
mod rollout;
mod time;
mod watch_faults;
