//! Every command line `ac` tells the operator to run, written in one place. Names that come
//! from the server go into a command only when they are safe to paste into a shell
//! ([`shell_safe`]); callers substitute a placeholder otherwise.

use std::fmt;

/// `--cluster=NAME` or `--cluster NAME`. Both spellings are in released output: hints on
/// stderr, the summary and request outcomes write `--cluster=NAME`; the next steps of the
/// status screen write `--cluster NAME`.
#[derive(Debug, Clone, Copy)]
pub struct ClusterFlag<'a> {
    name: &'a str,
    spaced: bool,
}

impl<'a> ClusterFlag<'a> {
    /// `--cluster=NAME`.
    pub fn joined(name: &'a str) -> Self {
        ClusterFlag {
            name,
            spaced: false,
        }
    }

    /// `--cluster NAME`.
    pub fn spaced(name: &'a str) -> Self {
        ClusterFlag { name, spaced: true }
    }
}

impl fmt::Display for ClusterFlag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.spaced {
            write!(f, "--cluster {}", self.name)
        } else {
            write!(f, "--cluster={}", self.name)
        }
    }
}

/// How kubectl reaches the global cluster, where every object these commands name lives:
/// `kubectl` when the current context is the global cluster's, else `kubectl --context NAME`
/// with a context of the global cluster (the commands work whatever cluster the context is on).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Kubectl<'a> {
    context: Option<&'a str>,
}

impl<'a> Kubectl<'a> {
    pub fn through(context: Option<&'a str>) -> Self {
        Kubectl {
            context: context.filter(|c| shell_safe(c)),
        }
    }
}

impl fmt::Display for Kubectl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.context {
            Some(context) => write!(f, "kubectl --context {context}"),
            None => f.write_str("kubectl"),
        }
    }
}

/// `ac adm upgrade --cluster=NAME`: where a cluster stands and what it can move to.
pub fn upgrade(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade {cluster}")
}

/// `ac adm upgrade --cluster=NAME --to=VERSION`.
pub fn upgrade_to(cluster: ClusterFlag, version: &str) -> String {
    format!("ac adm upgrade {cluster} --to={version}")
}

/// `ac adm upgrade --cluster=NAME --to-latest`.
pub fn upgrade_to_latest(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade {cluster} --to-latest")
}

/// `ac adm upgrade --cluster=NAME --to-image=IMAGE`.
pub fn upgrade_to_image(cluster: ClusterFlag, image: &str) -> String {
    format!("ac adm upgrade {cluster} --to-image={image}")
}

/// `ac adm upgrade status --cluster=NAME`.
pub fn status(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade status {cluster}")
}

/// `ac adm upgrade status --cluster=NAME --watch`.
pub fn status_watch(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade status {cluster} --watch")
}

/// `ac adm upgrade status --cluster=NAME --verbose`.
pub fn status_verbose(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade status {cluster} --verbose")
}

/// `ac adm upgrade status --all-clusters`.
pub fn status_all_clusters() -> String {
    "ac adm upgrade status --all-clusters".into()
}

/// The status of one cluster of the fleet, the name left to the reader.
pub fn status_of_any_cluster() -> String {
    "ac adm upgrade status --cluster NAME".into()
}

/// `ac adm release import-manifest --version VERSION` (`<version>` when unknown).
pub fn import_manifest(version: &str) -> String {
    format!("ac adm release import-manifest --version {version}")
}

/// `kubectl get productmanifests NAME -o yaml`.
pub fn get_product_manifest(kubectl: Kubectl, name: &str) -> String {
    format!("{kubectl} get productmanifests {name} -o yaml")
}

/// Every ResourcePatch.
pub fn list_resource_patches(kubectl: Kubectl) -> String {
    format!("{kubectl} get resourcepatches")
}

/// `ac adm upgrade --help`.
pub fn upgrade_help() -> String {
    "ac adm upgrade --help".into()
}

/// `ac adm upgrade`, the cluster left to the context.
pub fn upgrade_here() -> String {
    "ac adm upgrade".into()
}

/// `kubectl get resourcepatches NAMES -o yaml` (names separated by spaces).
pub fn get_resource_patches(kubectl: Kubectl, names: &str) -> String {
    format!("{kubectl} get resourcepatches {names} -o yaml")
}

/// The annotation that exempts ResourcePatches from `ResourcePatchUpgradeable` for a version.
pub fn exempt_resource_patches(kubectl: Kubectl, names: &str, version: &str) -> String {
    format!(
        "{kubectl} annotate resourcepatches {names} config.cpaas.io/exempt-for-ver={version} --overwrite"
    )
}

/// The gates a release declares (`AdminAckRequired`).
pub fn get_admin_gates(kubectl: Kubectl) -> String {
    format!("{kubectl} -n cpaas-system get configmap admin-gates -o yaml")
}

/// Acknowledge admin gates in `cpaas-system/admin-acks` (`<gate-key>` when none is known).
pub fn acknowledge_admin_gates(kubectl: Kubectl, keys: &[String]) -> String {
    let data = if keys.is_empty() {
        "\"<gate-key>\":\"true\"".to_string()
    } else {
        keys.iter()
            .map(|key| format!("\"{key}\":\"true\""))
            .collect::<Vec<_>>()
            .join(",")
    };
    format!(
        "{kubectl} -n cpaas-system patch configmap admin-acks --type merge -p '{{\"data\":{{{data}}}}}'"
    )
}

/// Create `cpaas-system/admin-acks` with these gates acknowledged (it does not exist yet).
pub fn create_admin_acks(kubectl: Kubectl, keys: &[String]) -> String {
    let literals: Vec<String> = keys
        .iter()
        .map(|key| format!("--from-literal={key}=true"))
        .collect();
    format!(
        "{kubectl} -n cpaas-system create configmap admin-acks {}",
        literals.join(" ")
    )
}

/// Re-enable every preflight check disabled in `cpaas-system/cvo-config`.
pub fn reenable_preflight_checks(kubectl: Kubectl) -> String {
    format!(
        "{kubectl} -n cpaas-system patch configmap cvo-config --type merge -p '{{\"data\":{{\"preflight\":\"disabled: []\"}}}}'"
    )
}

/// `ac adm upgrade precheck --cluster=NAME [--to=VERSION]`.
pub fn precheck(cluster: ClusterFlag, version: Option<&str>) -> String {
    match version {
        Some(v) => format!("ac adm upgrade precheck {cluster} --to={v}"),
        None => format!("ac adm upgrade precheck {cluster}"),
    }
}

/// An upgrade through another session's context (the standby global of a DR pair).
pub fn upgrade_in_context(context: &str, cluster: ClusterFlag, version: &str) -> String {
    format!("ac --context {context} adm upgrade {cluster} --to={version}")
}

/// A cluster's Kubernetes version and phase (`clusters.platform.tkestack.io`).
pub fn get_platform_cluster(kubectl: Kubectl, name: &str) -> String {
    format!("{kubectl} get clusters.platform.tkestack.io {name}")
}

/// The global cluster's Machines (names separated by spaces).
pub fn get_machines(kubectl: Kubectl, names: &str) -> String {
    format!("{kubectl} get machines.platform.tkestack.io {names}")
}

/// Names from the server, ready for a command line: unsafe ones become `placeholder`.
pub fn names_for_shell<'a>(names: impl IntoIterator<Item = &'a str>, placeholder: &str) -> String {
    names
        .into_iter()
        .map(|name| if shell_safe(name) { name } else { placeholder })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `kubectl … -o jsonpath=…` reading one entry of a cvsh status list, or the whole list when the
/// name cannot be quoted safely.
pub fn cvsh_status_entry(
    kubectl: Kubectl,
    cluster: &str,
    list: &str,
    key: &str,
    name: &str,
) -> String {
    if shell_safe(name) {
        format!(
            "{kubectl} -n cpaas-system get cvsh {cluster} -o jsonpath='{{.status.{list}[?(@.{key}==\"{name}\")]}}'"
        )
    } else {
        format!("{kubectl} -n cpaas-system get cvsh {cluster} -o jsonpath='{{.status.{list}}}'")
    }
}

/// One operation of one stage, or the whole stage when a name cannot be quoted safely.
pub fn cvsh_operation(kubectl: Kubectl, cluster: &str, stage: &str, operation: &str) -> String {
    if shell_safe(stage) && shell_safe(operation) {
        format!(
            "{kubectl} -n cpaas-system get cvsh {cluster} -o jsonpath='{{.status.stages[?(@.name==\"{stage}\")].operations[?(@.name==\"{operation}\")]}}'"
        )
    } else {
        cvsh_status_entry(kubectl, cluster, "stages", "name", stage)
    }
}

/// Names that can go inside a quoted jsonpath filter of a shell command as they are.
pub fn shell_safe(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.' | '/' | ':'))
}
