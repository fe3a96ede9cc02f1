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
    /// The session of this platform's DR standby global, as remembered in kubeconfig
    /// (`ac config set-dr-standby`).
    pub dr_standby: Option<String>,
    /// The sessions that name this one as their DR standby.
    pub dr_standby_of: Vec<String>,
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

pub const SESSION_EDIT_SCHEMA: &str = "ac.alauda.io/session-edit/v1";
pub const DR_STANDBY_SCHEMA: &str = "ac.alauda.io/dr-standby/v1";

/// What one session's entries went through (`ac login`, `ac config sync`, `ac logout`). ACP
/// cluster names for clusters, entry names for users and contexts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionChange {
    pub session: String,
    pub platform_url: Option<String>,
    pub clusters_added: Vec<String>,
    pub clusters_updated: Vec<String>,
    pub clusters_removed: Vec<String>,
    /// Login: clusters the kubeconfig has that the platform no longer lists (`ac config sync`
    /// removes them).
    pub not_on_platform: Vec<String>,
    pub contexts_added: Vec<String>,
    pub contexts_removed: Vec<String>,
    pub users_added: Vec<String>,
    pub users_updated: Vec<String>,
    pub users_removed: Vec<String>,
}

impl SessionChange {
    pub fn new(session: &str, platform_url: Option<&str>) -> SessionChange {
        SessionChange {
            session: session.to_string(),
            platform_url: platform_url.map(str::to_string),
            ..SessionChange::default()
        }
    }

    /// Nothing added, updated or removed.
    pub fn is_empty(&self) -> bool {
        self.clusters_added.is_empty()
            && self.clusters_updated.is_empty()
            && self.clusters_removed.is_empty()
            && self.contexts_added.is_empty()
            && self.contexts_removed.is_empty()
            && self.users_added.is_empty()
            && self.users_updated.is_empty()
            && self.users_removed.is_empty()
    }
}

/// `ac.alauda.io/session-edit/v1`: what `ac login`, `ac config sync` or `ac logout` wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionEditReport {
    pub schema: &'static str,
    /// `login`, `sync` or `logout`.
    pub action: &'static str,
    pub sessions: Vec<SessionChange>,
    /// The context made current (login).
    pub current_context: Option<String>,
    /// The current context, removed with its session's entries, is cleared (never moved to
    /// another platform behind the operator's back).
    pub cleared_current_context: Option<String>,
    /// Cluster names the server listed that are not DNS-1123 names (skipped).
    pub skipped_names: Vec<String>,
    /// The files written (none when nothing changed).
    pub kubeconfig: Vec<String>,
    /// Things to know (printed as `warning:` lines in text).
    pub warnings: Vec<String>,
}

/// `ac.alauda.io/dr-standby/v1`: the DR standby remembered for a session (`ac config
/// set-dr-standby`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DrStandbyReport {
    pub schema: &'static str,
    /// The primary's session.
    pub session: String,
    /// The standby's session now (`null`: forgotten).
    pub standby: Option<String>,
    /// What was remembered before.
    pub previous: Option<String>,
    /// The cluster entry that holds it (the primary's global cluster).
    pub entry: String,
    /// The files written (none when nothing changed).
    pub kubeconfig: Vec<String>,
}
