//! The running simulator: [`Sim::start`] builds the scenario, binds 127.0.0.1 and serves; the
//! handle reads and changes the platform from tests. With [`SimOptions::dr`] it also runs the
//! standby global of a DR pair: a second platform of its own ([`Sim::standby`]).

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use anyhow::Context;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::watch as channel;
use tokio::task::JoinHandle;
use tokio_rustls::TlsAcceptor;

use crate::auth::Tokens;
use crate::clock::SimClock;
use crate::controller::{self, Controller};
use crate::faults::{Fault, FaultSet};
use crate::kubeconfig::{self, KubeconfigInput, SESSION, STANDBY_SESSION};
use crate::resources::{self, NAMESPACE};
use crate::scenario::Scenario;
use crate::server;
use crate::shared::{LoggedRequest, Shared};
use crate::status::ApiError;
use crate::store::Store;
use crate::tls;

/// The fastest `speed`: a million simulated seconds (11.6 days) per real second.
pub const MAX_SPEED: f64 = 1_000_000.0;

/// The largest generated fleet (`ac-sim --clusters`, [`Scenario::fleet`]): ≈ 18 KB of memory
/// a cluster, so ≈ 360 MB at this size.
pub const MAX_FLEET: usize = 20_000;

/// How the simulator starts.
#[derive(Debug, Clone)]
pub struct SimOptions {
    pub scenario: Scenario,
    /// Simulated seconds per real second (60: a minute per second; 0: frozen), from 0 to
    /// [`MAX_SPEED`].
    pub speed: f64,
    /// Run the upgrade controller. `false`: objects stay exactly as put (golden tests).
    pub controller: bool,
    /// Listen on this port of 127.0.0.1; `None`: a random free port.
    pub port: Option<u16>,
    pub faults: Vec<Fault>,
    /// Also run the standby global of a DR pair: its own listener (random port: its own
    /// "VIP"), store, controller and tokens, with the scenario's
    /// [`Scenario::standby_scenario`]; [`Sim::standby`] is its handle, and the kubeconfig
    /// holds its session `sim-dr` next to `sim`. Faults apply to the primary only.
    pub dr: bool,
    /// Which server certificate to present (tests of certificate handling).
    pub tls: tls::TlsMode,
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
            dr: false,
            tls: tls::TlsMode::CaSigned,
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

/// What `ac login` needs to log in to a platform ([`Sim::write_login_files`]): its URL (the
/// global cluster is at `URL/kubernetes/global/`), a file with the admin's bearer token (mode
/// 0600, no trailing newline) and a file with the CA certificate (PEM).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoginFiles {
    /// The ACP session the files are for (`sim`, `sim-dr`): the `--name` of the hint.
    pub session: String,
    /// `https://127.0.0.1:PORT`
    pub url: String,
    pub token_file: PathBuf,
    pub ca_file: PathBuf,
}

impl LoginFiles {
    /// The command that logs in with these files:
    /// `ac login https://127.0.0.1:PORT --name sim --certificate-authority=CA_FILE < TOKEN_FILE`
    /// (the token on stdin, so it never shows in a process list or a shell history).
    pub fn command(&self) -> String {
        format!(
            "ac login {} --name {} --certificate-authority={} < {}",
            self.url,
            self.session,
            shell_quote(&self.ca_file.to_string_lossy()),
            shell_quote(&self.token_file.to_string_lossy())
        )
    }
}

/// A path as a POSIX shell word: as it is when it needs no quoting, else in single quotes.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:@=,%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// Write `contents` to `path` with `mode` (unix), replacing what is there, mode included.
fn write_with_mode(path: &Path, contents: &[u8], mode: u32) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(mode);
        let mut file = options.open(path)?;
        file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        file.write_all(contents)
    }
    #[cfg(not(unix))]
    {
        let _ = mode;
        options.open(path)?.write_all(contents)
    }
}

/// A running simulator: one platform, and the standby global's own when it runs a DR pair.
pub struct Sim {
    /// The ACP session of this platform in the kubeconfig: `sim`, or `sim-dr` (the standby).
    session: &'static str,
    standby: Option<Box<Sim>>,
    shared: Arc<Shared>,
    ca_pem: String,
    admin_client_cert: (String, String),
    tasks: Vec<JoinHandle<()>>,
}

impl Sim {
    /// Build the scenario, bind 127.0.0.1 (random port unless `opts.port`) and serve; with
    /// `opts.dr`, the standby global too. Returns once the listeners accept connections.
    pub async fn start(opts: SimOptions) -> anyhow::Result<Sim> {
        if !(opts.speed.is_finite() && (0.0..=MAX_SPEED).contains(&opts.speed)) {
            anyhow::bail!(
                "speed {} is out of range: simulated seconds per real second from 0 to {MAX_SPEED}",
                opts.speed
            );
        }
        let standby_opts = opts.dr.then(|| SimOptions {
            scenario: opts.scenario.standby_scenario(),
            port: None,
            faults: Vec::new(),
            dr: false,
            ..opts.clone()
        });
        let mut sim = Sim::start_platform(opts, SESSION).await?;
        if let Some(standby_opts) = standby_opts {
            let standby = Sim::start_platform(standby_opts, STANDBY_SESSION)
                .await
                .context("starting the DR standby")?;
            sim.standby = Some(Box::new(standby));
        }
        Ok(sim)
    }

    /// One platform: store, controller, listener.
    async fn start_platform(opts: SimOptions, session: &'static str) -> anyhow::Result<Sim> {
        // Simulated time after the start runs `speed` times faster than the times written.
        let clock = Arc::new(SimClock::with_speed(opts.scenario.start_time(), opts.speed));
        let store = Arc::new(Store::new(clock.clone()));
        let mut controller = Controller::new(opts.scenario.controller_config());
        opts.scenario
            .install(&store, &mut controller)
            .context("building the scenario")?;
        let tls = tls::generate(opts.tls)?;
        let listener = TcpListener::bind(("127.0.0.1", opts.port.unwrap_or(0)))
            .await
            .with_context(|| match opts.port {
                Some(port) => format!("binding 127.0.0.1:{port}"),
                None => "binding 127.0.0.1".to_string(),
            })?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            store,
            clock,
            tokens: Tokens {
                admin: tls::random_token(24),
                viewer: tls::random_token(24),
            },
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
            session,
            standby: None,
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

    /// The platform URL (`https://127.0.0.1:PORT`), as `ac login URL` takes it: its global
    /// cluster is `URL/kubernetes/global/`, which lists the platform's clusters
    /// (`clusters.platform.tkestack.io`).
    pub fn platform_url(&self) -> String {
        self.base_url()
    }

    /// Write what `ac login` needs beside `kubeconfig`: the admin token to
    /// `<kubeconfig>.token` (mode 0600) and the CA to `<kubeconfig>.ca.crt`; for the DR
    /// standby (session `sim-dr`) `<kubeconfig>.sim-dr.token` and `<kubeconfig>.sim-dr.ca.crt`.
    /// [`LoginFiles::command`] is the command that logs in with them.
    pub fn write_login_files(&self, kubeconfig: &Path) -> std::io::Result<LoginFiles> {
        let beside = |suffix: &str| {
            let mut name = kubeconfig.as_os_str().to_os_string();
            if self.session != SESSION {
                name.push(format!(".{}", self.session));
            }
            name.push(suffix);
            PathBuf::from(name)
        };
        let files = LoginFiles {
            session: self.session.to_string(),
            url: self.platform_url(),
            token_file: beside(".token"),
            ca_file: beside(".ca.crt"),
        };
        write_with_mode(
            &files.token_file,
            self.shared.tokens.admin.as_bytes(),
            0o600,
        )?;
        write_with_mode(&files.ca_file, self.ca_pem.as_bytes(), 0o644)?;
        Ok(files)
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
        self.shared.tokens.admin.clone()
    }

    pub fn viewer_token(&self) -> String {
        self.shared.tokens.viewer.clone()
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

    /// The standby global of a DR pair ([`SimOptions::dr`]): a platform of its own (its own
    /// URL, tokens, objects, controller and request log), in the kubeconfig as session `sim-dr`.
    pub fn standby(&self) -> Option<&Sim> {
        self.standby.as_deref()
    }

    /// This platform's ACP session in the kubeconfig: `sim` (`sim-dr` for the standby).
    pub fn session(&self) -> &str {
        self.session
    }

    /// An ACP-style kubeconfig (SPEC §3): session `sim` (contexts `sim/<cluster>`, current
    /// `sim/<current_context_cluster>`), and with a DR standby its session `sim-dr` too
    /// (contexts `sim-dr/global`, `sim-dr-viewer/global`).
    pub fn kubeconfig_yaml(&self, current_context_cluster: &str) -> String {
        let mut value = self.kubeconfig_value(current_context_cluster);
        if let Some(standby) = self.standby() {
            kubeconfig::merge(&mut value, &standby.kubeconfig_value("global"));
        }
        kubeconfig::to_yaml(&value)
    }

    fn kubeconfig_value(&self, current_context_cluster: &str) -> Value {
        let base = self.base_url();
        let clusters = self.clusters();
        kubeconfig::kubeconfig_value(&KubeconfigInput {
            session: self.session,
            base_url: &base,
            ca_pem: &self.ca_pem,
            admin_token: &self.shared.tokens.admin,
            viewer_token: &self.shared.tokens.viewer,
            clusters: &clusters,
            current_context_cluster,
        })
    }

    /// Write [`Sim::kubeconfig_yaml`] to `path`, mode 0600 (it holds the tokens), as kubectl
    /// writes its kubeconfig.
    pub fn write_kubeconfig(
        &self,
        path: &Path,
        current_context_cluster: &str,
    ) -> std::io::Result<()> {
        let yaml = self.kubeconfig_yaml(current_context_cluster);
        write_with_mode(path, yaml.as_bytes(), 0o600)
    }

    /// Every request served so far (bounded to [`crate::REQUEST_LOG_CAPACITY`]).
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

    /// Every object of a type (by plural, short name or singular), in one namespace or all,
    /// by namespace and name.
    pub fn list(&self, resource: &str, namespace: Option<&str>) -> Vec<Value> {
        let Some(rt) = resources::by_name(resource) else {
            return Vec::new();
        };
        let ns = if rt.namespaced { namespace } else { None };
        let (items, _) = self.shared.store.list(rt, ns);
        items.iter().map(|stored| stored.value()).collect()
    }

    pub fn delete(&self, resource: &str, namespace: Option<&str>, name: &str) {
        if let Some(rt) = resources::by_name(resource) {
            let ns = if rt.namespaced { namespace } else { None };
            let _ = self.shared.store.delete(rt, ns, name, false);
        }
    }

    /// Every change to objects of a type since the start, oldest first, as (its place in the
    /// process-wide order of [`crate::order`], the object after the change); `None` once the
    /// store no longer keeps all of them (more than [`crate::store::EVENT_LOG_CAPACITY`]).
    pub fn changes(&self, resource: &str) -> Option<Vec<(u64, Value)>> {
        let rt = resources::by_name(resource)?;
        let events = self.shared.store.events_after(0).ok()?;
        Some(
            events
                .iter()
                .filter(|event| event.rt.plural == rt.plural)
                .map(|event| (event.seq, event.obj.value()))
                .collect(),
        )
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

    /// Now, as the simulator writes it (never ahead of the wall clock once the start is
    /// reached: see docs/sim.md, "Time").
    pub fn now(&self) -> jiff::Timestamp {
        self.shared.clock.now()
    }

    /// Stop serving and stop the controller (the standby's too).
    pub async fn shutdown(mut self) {
        self.stop();
        for t in self.tasks.drain(..) {
            let _ = t.await;
        }
        if let Some(standby) = self.standby.take() {
            Box::pin(standby.shutdown()).await;
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
