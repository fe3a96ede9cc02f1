//! `ac config`: the sessions and clusters a kubeconfig knows, and what a switch writes.
//! Built by `access::profiles` from the kubeconfig; rendered by `render::profiles`.

use serde::Serialize;

/// One ACP platform session found in the kubeconfig.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    pub name: String,
    pub platform_url: Option<String>,
    pub username: Option<String>,
    pub clusters: usize,
    /// The current context belongs to this session.
    pub current: bool,
}

/// One cluster of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterInfo {
    pub name: String,
    pub is_global: bool,
    /// The kubeconfig cluster entry.
    pub entry: String,
    pub server: Option<String>,
    /// A context pointing at it, if any (`<session>/<cluster>` preferred).
    pub context: Option<String>,
    /// The current context points at it.
    pub current: bool,
}

/// A context to add before switching to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContext {
    pub name: String,
    pub cluster_entry: String,
    pub user_entry: String,
}

/// What a switch writes: `current-context`, and maybe a new context first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Switch {
    pub context: String,
    pub create: Option<NewContext>,
    /// The ACP cluster the context points at.
    pub cluster: String,
    pub session: String,
}
