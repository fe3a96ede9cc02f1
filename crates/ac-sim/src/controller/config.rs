//! What the controller knows besides the objects, from the scenario: its timings and the
//! failures the scenario scripts.

use std::collections::BTreeSet;

use serde::Deserialize;

/// Simulated durations (seconds).
#[derive(Debug, Clone, PartialEq)]
pub struct Timings {
    /// A new ProductManifest becomes Ready this long after its creation.
    pub manifest_ready: f64,
    /// The first preflight check finishes this long after preflight starts …
    pub check_first: f64,
    /// … and each further check this much later.
    pub check_spacing: f64,
    /// Failed blocking checks are re-evaluated this often (and whenever an input changes).
    pub recheck: f64,
    /// A Kubernetes upgrade (a new `spec.version` of a platform Cluster) takes this long.
    pub kubernetes_upgrade: f64,
}

impl Default for Timings {
    fn default() -> Timings {
        Timings {
            manifest_ready: 10.0,
            check_first: 3.0,
            check_spacing: 2.0,
            recheck: 60.0,
            kubernetes_upgrade: 120.0,
        }
    }
}

/// What the controller knows besides the objects (from the scenario).
#[derive(Debug, Clone, Default)]
pub struct ControllerConfig {
    pub preflight_failures: Vec<PreflightFailure>,
    pub operation_failures: Vec<OperationFailure>,
    /// Clusters that report `Degraded=True` once an upgrade's stages start (the `degrade`
    /// cluster fault).
    pub degraded: BTreeSet<String>,
    pub timings: Timings,
}

/// A scripted preflight check failure.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreflightFailure {
    /// The cluster (inside a cluster entry: that cluster); absent at top level = every cluster.
    #[serde(default)]
    pub cluster: Option<String>,
    pub check: String,
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Only for this target version.
    #[serde(default)]
    pub target: Option<String>,
    /// The check passes once this many simulated seconds have passed since the request.
    #[serde(default)]
    pub clears_after: Option<f64>,
}

/// A scripted operation failure during the stages.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OperationFailure {
    #[serde(default)]
    pub cluster: Option<String>,
    /// Operation name (`kube-apiserver`) or `stage/operation`.
    pub operation: String,
    #[serde(default)]
    pub message: Option<String>,
    /// Seconds after the operation starts (default: half its duration).
    #[serde(default)]
    pub after: Option<f64>,
    /// The operation recovers and carries on this many seconds after failing; absent = stays
    /// failed.
    #[serde(default)]
    pub recover_after: Option<f64>,
}
