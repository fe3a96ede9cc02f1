//! The state the server tasks, the controller task and the [`crate::Sim`] handle share, and
//! the request log.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use tokio::sync::watch as channel;

use crate::auth::Tokens;
use crate::clock::SimClock;
use crate::faults::FaultSet;
use crate::resources::{self, NAMESPACE};
use crate::store::Store;

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
    /// Its place in the process-wide order of requests and changes ([`crate::order`]):
    /// every change of [`crate::Sim::changes`] with a lower number happened before it arrived.
    pub seq: u64,
}

/// Requests kept in the log (oldest dropped first).
pub const REQUEST_LOG_CAPACITY: usize = 100_000;

/// State shared by the server, the controller task and the [`crate::Sim`] handle.
pub struct Shared {
    pub store: Arc<Store>,
    pub clock: Arc<SimClock>,
    pub tokens: Tokens,
    pub faults: FaultSet,
    pub log: Mutex<VecDeque<LoggedRequest>>,
    pub drop_watches: channel::Sender<u64>,
    pub shutdown: channel::Sender<bool>,
    pub addr: SocketAddr,
    /// The DER of the admin client certificate (mutual TLS instead of a token).
    pub admin_client_cert_der: Vec<u8>,
}

impl Shared {
    pub fn log(&self, entry: LoggedRequest) {
        let mut log = self.log.lock().unwrap_or_else(|e| e.into_inner());
        if log.len() >= REQUEST_LOG_CAPACITY {
            log.pop_front();
        }
        log.push_back(entry);
    }

    /// Whether `/kubernetes/<name>/` is a cluster of this platform.
    pub fn is_cluster(&self, name: &str) -> bool {
        name == "global"
            || self
                .store
                .get(&resources::CVSH, Some(NAMESPACE), name)
                .is_some()
    }

    /// The Kubernetes version a cluster runs: its `clusters.platform.tkestack.io` object's
    /// `status.version` (else `spec.version`), if it has one.
    pub fn kubernetes_version(&self, cluster: &str) -> Option<String> {
        let object = self.store.get(&resources::CLUSTERS, None, cluster)?.value();
        ["/status/version", "/spec/version"]
            .iter()
            .find_map(|pointer| object.pointer(pointer).and_then(serde_json::Value::as_str))
            .filter(|version| !version.is_empty())
            .map(str::to_owned)
    }

    pub fn host_port(&self) -> String {
        self.addr.to_string()
    }
}
