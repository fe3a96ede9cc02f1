//! `ac-sim`: a small but faithful local ACP platform, shared by the `ac-sim` binary and the
//! tests of `ac`. One HTTPS server (SPEC §2 API surface on `/kubernetes/<cluster>/…`), an
//! object store with watches, a simulated upgrade controller, scenarios and injected faults.
//! It plays the server: it keeps its own statement of ACP's rules ([`version`]) and shares no
//! code with the `ac` client.
//!
//! ```no_run
//! # async fn demo() -> anyhow::Result<()> {
//! use ac_sim::{Sim, SimOptions};
//! let sim = Sim::start(SimOptions::default_scenario()).await?;
//! sim.write_kubeconfig(std::path::Path::new("/tmp/sim.kubeconfig"), "global")?;
//! // … run clients against sim.cluster_url("global") …
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! Modules depend one way: [`simulator`] (the handle) → `server` (TLS and the request
//! pipeline) → `api` (routes and handlers) → `watch` → `response` / `shared` → [`store`];
//! [`scenario`] → [`controller`] → [`store`] → [`resources`].

mod api;
mod auth;
pub mod clock;
pub mod cluster_faults;
pub mod controller;
mod discovery;
mod fault_answers;
pub mod faults;
mod kubeconfig;
pub mod order;
mod patch;
mod query;
pub mod resources;
mod response;
pub mod scenario;
mod server;
mod shared;
pub mod simulator;
mod status;
pub mod store;
mod table;
mod tls;
mod validate;
pub mod version;
mod watch;

pub use clock::SimClock;
pub use cluster_faults::{ClusterFault, ClusterFaultKind};
pub use controller::{Controller, TICK};
pub use faults::{Fault, FaultKind};
pub use resources::NAMESPACE;
pub use scenario::Scenario;
pub use shared::{LoggedRequest, REQUEST_LOG_CAPACITY};
pub use simulator::{LoginFiles, MAX_FLEET, MAX_SPEED, Sim, SimOptions};
pub use status::ApiError;
pub use tls::TlsMode;
