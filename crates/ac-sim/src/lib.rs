//! `ac-sim`: a small but faithful local ACP platform, shared by the `ac-sim` binary and the
//! tests. One HTTPS server (SPEC §2 API surface on `/kubernetes/<cluster>/…`), an object store
//! with watches, a simulated upgrade controller, scenarios and injected faults.
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

mod api;
pub mod cli;
pub mod clock;
pub mod controller;
mod discovery;
pub mod faults;
mod kubeconfig;
mod patch;
mod query;
pub mod resources;
pub mod scenario;
mod server;
mod status;
pub mod store;
mod table;
mod tls;
mod validate;
pub mod version;
mod watch;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch as channel;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

pub use clock::SimClock;
pub use controller::Controller;
pub use faults::{Fault, FaultKind};
pub use scenario::Scenario;
pub use status::ApiError;

use faults::FaultSet;
use kubeconfig::KubeconfigInput;
use server::User;
use store::Store;

/// The namespace the ACP objects live in.
pub const NAMESPACE: &str = "cpaas-system";

/// How the simulator starts.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub scenario: Scenario,
    /// Simulated seconds per real second (60: a minute per second).
    pub speed: f64,
    /// Run the upgrade controller. `false`: objects stay exactly as put (golden tests).
    pub controller: bool,
    /// Listen on this port of 127.0.0.1; `None`: a random free port.
    pub port: Option<u16>,
    pub faults: Vec<Fault>,
}

impl SimOptions {
    /// No objects at all, controller off.
    pub fn empty() -> SimOptions {
        SimOptions {
            scenario: Scenario::empty(),
            speed: 60.0,
            controller: false,
            port: None,
            faults: Vec::new(),
        }
    }

    /// The built-in scenario with the controller running at speed 60.
    pub fn default_scenario() -> SimOptions {
        SimOptions {
            scenario: Scenario::builtin(),
            controller: true,
            ..SimOptions::empty()
        }
    }
}

/// One request as the server saw it. The token itself is never recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedRequest {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: Option<String>,
    pub content_type: Option<String>,
    pub accept: Option<String>,
    /// Who sent it: `admin`, `viewer`, `invalid` (a token the server does not know) or
    /// `none` (no bearer token).
    pub authorization: Option<String>,
    pub body: String,
    /// The HTTP status answered; 0 when the request was hung or dropped by a fault.
    pub status: u16,
}

/// Requests kept in the log (oldest dropped first).
pub const REQUEST_LOG_CAPACITY: usize = 100_000;

/// State shared by the server, the controller task and the [`Sim`] handle.
pub(crate) struct Shared {
    pub store: Arc<Store>,
    pub clock: Arc<SimClock>,
    pub admin_token: String,
    pub viewer_token: String,
    pub faults: FaultSet,
    pub log: Mutex<VecDeque<LoggedRequest>>,
    pub drop_watches: channel::Sender<u64>,
    pub shutdown: channel::Sender<bool>,
    pub addr: SocketAddr,
    /// The DER of the admin client certificate (mutual TLS instead of a token).
    pub admin_client_cert_der: Vec<u8>,
}

impl Shared {
    fn authenticate(&self, header: Option<&str>) -> User {
        let Some(h) = header else {
            return User::None;
        };
        let token = h
            .strip_prefix("Bearer ")
            .or_else(|| h.strip_prefix("bearer "))
            .map(str::trim);
        match token {
            Some(t) if t == self.admin_token => User::Admin,
            Some(t) if t == self.viewer_token => User::Viewer,
            _ => User::Invalid,
        }
    }

    fn log(&self, entry: LoggedRequest) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= REQUEST_LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// Whether `/kubernetes/<name>/` is a cluster of this platform.
    fn is_cluster(&self, name: &str) -> bool {
        name == "global"
            || self
                .store
                .get(&resources::CVSH, Some(NAMESPACE), name)
                .is_some()
    }

    fn host_port(&self) -> String {
        self.addr.to_string()
    }
}

/// A running simulator.
pub struct Sim {
    shared: Arc<Shared>,
    ca_pem: String,
    admin_client_cert: (String, String),
    tasks: Vec<JoinHandle<()>>,
}

/// How often the controller runs (real time).
pub const TICK: Duration = Duration::from_millis(100);

impl Sim {
    /// Build the scenario, bind 127.0.0.1 (random port unless `opts.port`) and serve.
    /// Returns once the listener accepts connections.
    pub async fn start(opts: SimOptions) -> anyhow::Result<Sim> {
        let clock = Arc::new(SimClock::new(opts.scenario.start_time()));
        let store = Arc::new(Store::new(clock.clone()));
        let mut controller = Controller::new(opts.scenario.controller_config());
        opts.scenario
            .install(&store, &mut controller)
            .context("building the scenario")?;
        let tls = tls::generate()?;
        let listener = TcpListener::bind(("127.0.0.1", opts.port.unwrap_or(0)))
            .await
            .with_context(|| match opts.port {
                Some(p) => format!("binding 127.0.0.1:{p}"),
                None => "binding 127.0.0.1".to_string(),
            })?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            store,
            clock,
            admin_token: tls::random_token(24),
            viewer_token: tls::random_token(24),
            faults: FaultSet::new(opts.faults),
            log: Mutex::new(VecDeque::new()),
            drop_watches: channel::channel(0).0,
            shutdown: channel::channel(false).0,
            addr,
            admin_client_cert_der: tls.admin_client_cert_der.clone(),
        });
        let mut tasks = Vec::new();
        tasks.push(tokio::spawn(server::serve(
            listener,
            TlsAcceptor::from(tls.server_config),
            shared.clone(),
            shared.shutdown.subscribe(),
        )));
        if opts.controller {
            tasks.push(tokio::spawn(controller::run(
                controller,
                shared.store.clone(),
                opts.speed,
                shared.shutdown.subscribe(),
            )));
        }
        Ok(Sim {
            shared,
            ca_pem: tls.ca_pem,
            admin_client_cert: (tls.admin_client_cert_pem, tls.admin_client_key_pem),
            tasks,
        })
    }

    /// `https://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("https://{}", self.shared.addr)
    }

    /// `https://127.0.0.1:PORT/kubernetes/<cluster>/`
    pub fn cluster_url(&self, cluster: &str) -> String {
        format!("{}/kubernetes/{cluster}/", self.base_url())
    }

    pub fn port(&self) -> u16 {
        self.shared.addr.port()
    }

    /// The CA certificate (PEM) that signed the server certificate.
    pub fn ca_pem(&self) -> String {
        self.ca_pem.clone()
    }

    /// A client certificate and PKCS#8 key (PEM) that authenticate as the admin without a token.
    pub fn admin_client_cert_pem(&self) -> (String, String) {
        self.admin_client_cert.clone()
    }

    pub fn admin_token(&self) -> String {
        self.shared.admin_token.clone()
    }

    pub fn viewer_token(&self) -> String {
        self.shared.viewer_token.clone()
    }

    /// `global` first, then every cluster with a ClusterVersionShadow, by name.
    pub fn clusters(&self) -> Vec<String> {
        let mut out = vec!["global".to_string()];
        let (items, _) = self.shared.store.list(&resources::CVSH, Some(NAMESPACE));
        out.extend(
            items
                .iter()
                .map(|o| o.name().to_string())
                .filter(|n| n != "global"),
        );
        out
    }

    /// An ACP-style kubeconfig (SPEC §3) for session `sim`.
    pub fn kubeconfig_yaml(&self, current_context_cluster: &str) -> String {
        let base = self.base_url();
        let clusters = self.clusters();
        kubeconfig::kubeconfig_yaml(&KubeconfigInput {
            base_url: &base,
            ca_pem: &self.ca_pem,
            admin_token: &self.shared.admin_token,
            viewer_token: &self.shared.viewer_token,
            clusters: &clusters,
            current_context_cluster,
        })
    }

    pub fn write_kubeconfig(
        &self,
        path: &Path,
        current_context_cluster: &str,
    ) -> std::io::Result<()> {
        std::fs::write(path, self.kubeconfig_yaml(current_context_cluster))
    }

    /// Every request served so far (bounded to [`REQUEST_LOG_CAPACITY`]).
    pub fn requests(&self) -> Vec<LoggedRequest> {
        let log = self.shared.log.lock().unwrap_or_else(|e| e.into_inner());
        log.iter().cloned().collect()
    }

    pub fn clear_requests(&self) {
        self.shared
            .log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Upsert any served object (cvsh, pdman, configmap, resourcepatch) by
    /// apiVersion/kind/namespace/name: a new resourceVersion, `generation` kept if given,
    /// watchers notified. Panics on an object the simulator does not serve (a test bug);
    /// see [`Sim::try_put`].
    pub fn put(&self, obj: Value) {
        if let Err(e) = self.try_put(obj) {
            panic!("Sim::put: {}", e.message);
        }
    }

    pub fn try_put(&self, obj: Value) -> Result<Value, ApiError> {
        self.shared.store.put(obj).map(|s| s.value())
    }

    /// An object by plural (`clusterversionshadows`), short name or singular.
    pub fn get(&self, resource: &str, namespace: Option<&str>, name: &str) -> Option<Value> {
        let rt = resources::by_name(resource)?;
        let ns = if rt.namespaced { namespace } else { None };
        self.shared.store.get(rt, ns, name).map(|s| s.value())
    }

    pub fn delete(&self, resource: &str, namespace: Option<&str>, name: &str) {
        if let Some(rt) = resources::by_name(resource) {
            let ns = if rt.namespaced { namespace } else { None };
            let _ = self.shared.store.delete(rt, ns, name, false);
        }
    }

    /// Replace the active faults (their counters restart).
    pub fn set_faults(&self, faults: Vec<Fault>) {
        self.shared.faults.set(faults);
    }

    /// Abort every open watch connection now; clients must reconnect.
    pub fn drop_watches(&self) {
        self.shared.drop_watches.send_modify(|n| *n += 1);
    }

    /// Compact history: afterwards a watch or list from any older resourceVersion answers
    /// 410 Gone (reason Expired).
    pub fn expire_history(&self) {
        self.shared.store.expire_history();
    }

    /// The simulated clock's current time.
    pub fn now(&self) -> jiff::Timestamp {
        self.shared.clock.now()
    }

    /// Stop serving and stop the controller.
    pub async fn shutdown(mut self) {
        self.stop();
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
    }

    fn stop(&self) {
        self.shared.shutdown.send_replace(true);
        for t in &self.tasks {
            t.abort();
        }
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        self.stop();
    }
}
