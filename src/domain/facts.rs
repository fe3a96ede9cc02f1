//! What is read of a platform besides one cluster's ClusterVersionShadow, as the rules, the
//! pre-checks, the guard and the screens judge it: [`Platform`] (each part a [`Fact`]: read, or
//! why not), and lenient views of the objects behind it — Cluster and Machine
//! (`platform.tkestack.io`), ResourcePatch (`config.cpaas.io`), the `cvo-config`, `admin-gates`
//! and `admin-acks` ConfigMaps, every cluster's version and offers, and the standby global under
//! DR. Every field of a server object may be missing or of another type. The one function that
//! reads all this is `access::facts::gather`.

use serde::Serialize;
use serde_json::Value;

use crate::domain::cvsh::{Cvsh, Release, str_at};

/// A fact read from the platform, or why it could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact<T> {
    Read(T),
    /// A one-line reason (the platform does not serve the resource, access denied, …).
    Unknown(String),
}

impl<T> Fact<T> {
    /// The fact when it was read.
    pub fn read(&self) -> Option<&T> {
        match self {
            Fact::Read(value) => Some(value),
            Fact::Unknown(_) => None,
        }
    }
}

/// The standby global cluster of a disaster-recovery pair.
#[derive(Debug, Clone)]
pub struct Standby {
    pub session: String,
    /// A context of the standby session, for commands that act on it.
    pub context: String,
    /// The standby platform's global cluster name.
    pub global_name: String,
    pub cvsh: Fact<Cvsh>,
    /// Its `cvo-config`'s disabled checks, when asked for (`verify`).
    pub disabled_checks: Option<Fact<Vec<String>>>,
}

/// One cluster's version and what it is offered (from the cvsh LIST): the little the
/// remedies of other clusters need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterVersion {
    pub name: String,
    pub current: Option<String>,
    /// `status.availableUpdates` as the server listed them (`rules::offers::Offers` reads them).
    pub offers: Vec<Release>,
}

impl ClusterVersion {
    pub fn of(cvsh: &Cvsh) -> ClusterVersion {
        ClusterVersion {
            name: cvsh.name.clone(),
            current: cvsh.current_version().map(str::to_string),
            offers: cvsh.available_updates.clone(),
        }
    }
}

/// What was read from the platform besides the cluster's own cvsh. `Default` is a platform
/// with nothing in the way (every list empty, no standby, nothing else read).
#[derive(Debug, Clone)]
pub struct Platform {
    pub standby: Option<Standby>,
    /// `clusters.platform.tkestack.io` (global targets: every cluster; workload targets: its own).
    pub clusters: Option<Fact<Vec<PlatformCluster>>>,
    /// The global cluster's Machines (global targets).
    pub machines: Option<Fact<Vec<Machine>>>,
    /// Every cluster's version and offers (global targets: the remedies of workload clusters).
    pub versions: Option<Fact<Vec<ClusterVersion>>>,
    pub disabled_checks: Fact<Vec<String>>,
    pub resource_patches: Fact<Vec<ResourcePatch>>,
    /// `admin-gates` data (empty when the ConfigMap does not exist).
    pub admin_gates: Fact<Vec<(String, String)>>,
    /// `admin-acks` data; `None` when the ConfigMap does not exist.
    pub admin_acks: Fact<Option<Vec<(String, String)>>>,
}

impl Default for Platform {
    fn default() -> Self {
        Platform {
            standby: None,
            clusters: None,
            machines: None,
            versions: None,
            disabled_checks: Fact::Read(Vec::new()),
            resource_patches: Fact::Read(Vec::new()),
            admin_gates: Fact::Read(Vec::new()),
            admin_acks: Fact::Read(None),
        }
    }
}

impl Platform {
    /// The version and offers of `cluster`, when every cluster's were read.
    pub fn version_of(&self, cluster: &str) -> Option<&ClusterVersion> {
        by_name(self.versions.as_ref()?.read()?, cluster, |c| &c.name)
    }
}

/// The item named `name`: a binary search when the list is sorted by name (as the access layer
/// keeps the fleet's lists: a fleet of thousands is judged cluster by cluster), else (a miss
/// there, or a list built unsorted) a scan. Always correct; fast when sorted.
pub fn by_name<'a, T>(items: &'a [T], name: &str, key: impl Fn(&T) -> &str) -> Option<&'a T> {
    match items.binary_search_by(|item| key(item).cmp(name)) {
        Ok(i) => Some(&items[i]),
        Err(_) => items.iter().find(|item| key(item) == name),
    }
}

/// The annotation that exempts a ResourcePatch from blocking an upgrade to a version.
pub const EXEMPT_ANNOTATION: &str = "config.cpaas.io/exempt-for-ver";

fn name_of(v: &Value) -> String {
    v.get("metadata")
        .and_then(|m| str_at(m, "name"))
        .unwrap_or_else(|| "<unnamed>".into())
}

/// `clusters.platform.tkestack.io`: an ACP cluster's Kubernetes version and phase.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlatformCluster {
    pub name: String,
    /// `status.version`, else `spec.version` (e.g. `1.32.6`).
    pub kubernetes_version: Option<String>,
    pub phase: Option<String>,
}

impl PlatformCluster {
    pub fn from_value(v: &Value) -> PlatformCluster {
        let status = v.get("status").unwrap_or(&Value::Null);
        let spec = v.get("spec").unwrap_or(&Value::Null);
        PlatformCluster {
            name: name_of(v),
            kubernetes_version: str_at(status, "version").or_else(|| str_at(spec, "version")),
            phase: str_at(status, "phase"),
        }
    }
}

/// `machines.platform.tkestack.io`: a node of the global cluster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Machine {
    pub name: String,
    pub phase: Option<String>,
}

impl Machine {
    pub fn from_value(v: &Value) -> Machine {
        Machine {
            name: name_of(v),
            phase: v.get("status").and_then(|s| str_at(s, "phase")),
        }
    }

    pub fn is_running(&self) -> bool {
        self.phase.as_deref() == Some("Running")
    }
}

/// `resourcepatches.config.cpaas.io` (RPCH) and the version it is exempt for. The schema is
/// not public: a patch that names a cluster (`spec.clusterName`) is judged for that cluster's
/// upgrades only; any other patch for every cluster's (`docs/precheck.md`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourcePatch {
    pub name: String,
    pub exempt_for: Option<String>,
    pub cluster: Option<String>,
}

impl ResourcePatch {
    /// Whether it concerns upgrades of `cluster`.
    pub fn applies_to(&self, cluster: &str) -> bool {
        self.cluster.as_deref().is_none_or(|named| named == cluster)
    }

    /// Whether it blocks `ResourcePatchUpgradeable` for an upgrade of `cluster` to `to`: it
    /// applies to the cluster and is not exempt for that version.
    pub fn blocks(&self, cluster: &str, to: &str) -> bool {
        self.applies_to(cluster)
            && !self
                .exempt_for
                .as_deref()
                .is_some_and(|v| crate::domain::version::same_version(v, to))
    }
}

impl ResourcePatch {
    pub fn from_value(v: &Value) -> ResourcePatch {
        ResourcePatch {
            name: name_of(v),
            exempt_for: v
                .pointer("/metadata/annotations")
                .and_then(|a| str_at(a, EXEMPT_ANNOTATION)),
            cluster: v.get("spec").and_then(|s| str_at(s, "clusterName")),
        }
    }
}

/// A ConfigMap's `data` (string values only).
pub fn configmap_data(v: &Value) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v
        .get("data")
        .and_then(Value::as_object)
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| {
                    v.as_str().map(|s| {
                        (
                            crate::output::text::printable(k),
                            crate::output::text::printable(s),
                        )
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Checks an administrator disabled in `cvo-config`: `data.preflight` is YAML
/// `disabled: [CheckName, …]`. `Err` when that text is not readable.
pub fn disabled_checks(cvo_config: &Value) -> Result<Vec<String>, String> {
    let Some(text) = cvo_config
        .pointer("/data/preflight")
        .and_then(Value::as_str)
    else {
        return Ok(Vec::new());
    };
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let doc: Value = serde_saphyr::from_str(text)
        .map_err(|_| "data.preflight of cvo-config is not valid YAML".to_string())?;
    let list = match doc.get("disabled") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err("data.preflight of cvo-config: disabled is not a list".into()),
    };
    let mut names: Vec<String> = list
        .iter()
        .filter_map(|v| v.as_str().map(str::trim).filter(|s| !s.is_empty()))
        .map(crate::output::text::printable)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The admin gates an upgrade to release line `release` needs, and which of them are not
/// acknowledged in `admin-acks` (`data["<gate-key>"] = "true"`; `acks: None`: the ConfigMap does
/// not exist).
pub fn unacknowledged_gates<'a>(
    gates: &'a [(String, String)],
    acks: Option<&[(String, String)]>,
    release: (u64, u64),
) -> (Vec<&'a str>, Vec<&'a str>) {
    let applicable: Vec<&str> = gates
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| gate_applies(key, release))
        .collect();
    let acked = |key: &str| {
        acks.is_some_and(|acks| {
            acks.iter()
                .any(|(k, value)| k == key && value.trim() == "true")
        })
    };
    let missing = applicable.iter().copied().filter(|k| !acked(k)).collect();
    (applicable, missing)
}

/// Whether a gate of `admin-gates` applies to an upgrade to `target` (`MAJOR.MINOR`): keys
/// named `ack-<major>.<minor>-…` apply to that release only; other keys always apply.
pub fn gate_applies(key: &str, target: (u64, u64)) -> bool {
    let Some(rest) = key.strip_prefix("ack-") else {
        return true;
    };
    let release = rest.split('-').next().unwrap_or_default();
    let mut parts = release.split('.');
    match (
        parts.next().and_then(|p| p.parse::<u64>().ok()),
        parts.next().and_then(|p| p.parse::<u64>().ok()),
    ) {
        (Some(major), Some(minor)) => (major, minor) == target,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn views_tolerate_anything() {
        let c = PlatformCluster::from_value(
            &json!({"metadata": {"name": "a"}, "spec": {"version": "1.30.2"}}),
        );
        assert_eq!(c.kubernetes_version.as_deref(), Some("1.30.2"));
        let c = PlatformCluster::from_value(&json!([]));
        assert_eq!(c.name, "<unnamed>");
        let m =
            Machine::from_value(&json!({"metadata": {"name": "m"}, "status": {"phase": "Failed"}}));
        assert!(!m.is_running());
        let r = ResourcePatch::from_value(
            &json!({"metadata": {"name": "rp", "annotations": {EXEMPT_ANNOTATION: "4.3.0"}}}),
        );
        assert_eq!(r.exempt_for.as_deref(), Some("4.3.0"));
    }

    #[test]
    fn disabled_checks_from_cvo_config() {
        let cm =
            json!({"data": {"preflight": "disabled:\n- PlatformLicense\n- ClusterModuleStable\n"}});
        assert_eq!(
            disabled_checks(&cm).unwrap(),
            ["ClusterModuleStable", "PlatformLicense"]
        );
        assert!(disabled_checks(&json!({"data": {}})).unwrap().is_empty());
        assert!(
            disabled_checks(&json!({"data": {"preflight": "disabled: []"}}))
                .unwrap()
                .is_empty()
        );
        assert!(disabled_checks(&json!({"data": {"preflight": "disabled: 3"}})).is_err());
        assert!(disabled_checks(&json!({"data": {"preflight": "{"}})).is_err());
    }

    #[test]
    fn gates_by_release() {
        assert!(gate_applies(
            "ack-4.4-kubernetes-1.35-kernel-update",
            (4, 4)
        ));
        assert!(!gate_applies(
            "ack-4.4-kubernetes-1.35-kernel-update",
            (4, 3)
        ));
        assert!(gate_applies("manual-backup-done", (4, 3)));
    }
}
