//! Every command line `ac` tells the operator to run, written in one place: a leaf (it imports
//! only `output::text`, to keep passwords out of URLs) that the advice layer, every screen and
//! completion use. Names and
//! versions that come from a server or a kubeconfig go into a command only when they are safe
//! to paste into a shell ([`shell_safe`]); otherwise a placeholder (`<cluster>`, `<version>`…)
//! stands in their place, so a printed command can never run something else.

use std::fmt;

/// Names that can go into a command line (and inside a quoted jsonpath filter) as they are:
/// no shell syntax, and no leading `-` (a name must not read as a flag: `--all`).
pub fn shell_safe(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('-')
        && name.chars().all(|ch| {
            ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.' | '/' | ':' | '@' | '+')
        })
}

/// `name` when it is [`shell_safe`], else `placeholder`.
pub fn safe<'a>(name: &'a str, placeholder: &'a str) -> &'a str {
    if shell_safe(name) { name } else { placeholder }
}

/// Names from the server, ready for a command line: unsafe ones become `placeholder`.
pub fn names_for_shell<'a>(names: impl IntoIterator<Item = &'a str>, placeholder: &str) -> String {
    names
        .into_iter()
        .map(|name| safe(name, placeholder))
        .collect::<Vec<_>>()
        .join(" ")
}

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
        let name = safe(self.name, "<cluster>");
        if self.spaced {
            write!(f, "--cluster {name}")
        } else {
            write!(f, "--cluster={name}")
        }
    }
}

fn version(v: &str) -> &str {
    safe(v, "<version>")
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

// --- ac ---------------------------------------------------------------------------------

/// An `ac …` command run through another kubeconfig context (the standby global of a DR
/// pair): `ac --context CONTEXT …`.
pub fn in_context(context: &str, command: &str) -> String {
    match command.strip_prefix("ac ") {
        Some(rest) => format!("ac --context {} {rest}", safe(context, "<context>")),
        None => command.to_string(),
    }
}

/// `ac adm upgrade --cluster=NAME`: where a cluster stands and what it can move to.
pub fn upgrade(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade {cluster}")
}

/// `ac adm upgrade --cluster=NAME --to=VERSION`.
pub fn upgrade_to(cluster: ClusterFlag, to: &str) -> String {
    format!("ac adm upgrade {cluster} --to={}", version(to))
}

/// `ac adm upgrade --cluster=NAME --to-latest`.
pub fn upgrade_to_latest(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade {cluster} --to-latest")
}

/// `ac adm upgrade --cluster=NAME --to-image=IMAGE`.
pub fn upgrade_to_image(cluster: ClusterFlag, image: &str) -> String {
    format!(
        "ac adm upgrade {cluster} --to-image={}",
        safe(image, "<image>")
    )
}

/// `ac adm upgrade --cluster=NAME --clear`: withdraw a request.
pub fn clear(cluster: ClusterFlag) -> String {
    format!("ac adm upgrade {cluster} --clear")
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

/// `ac adm upgrade precheck --cluster=NAME [--to=VERSION]`.
pub fn precheck(cluster: ClusterFlag, to: Option<&str>) -> String {
    match to {
        Some(v) => format!("ac adm upgrade precheck {cluster} --to={}", version(v)),
        None => format!("ac adm upgrade precheck {cluster}"),
    }
}

/// `ac adm upgrade precheck --all-clusters --to=VERSION`: every cluster's pre-checks.
pub fn precheck_all(to: &str) -> String {
    format!(
        "ac adm upgrade precheck --all-clusters --to={}",
        version(to)
    )
}

/// `ac adm upgrade rollout --to=VERSION [FLAGS…]`: flags with a glob are single-quoted (the
/// shell must not expand them); a flag with anything else unsafe is left out.
pub fn rollout(to: &str, flags: &[String]) -> String {
    let mut command = format!("ac adm upgrade rollout --to={}", version(to));
    for flag in flags {
        let plain = |c: char| c.is_ascii_alphanumeric() || "-_.=/:@+%,".contains(c);
        if flag.chars().all(plain) {
            command.push(' ');
            command.push_str(flag);
        } else if flag.chars().all(|c| plain(c) || "*?[]".contains(c)) {
            command.push_str(&format!(" '{flag}'"));
        }
    }
    command
}

/// `ac adm upgrade verify [--cluster=NAME] [--to=VERSION]`: is the platform done?
pub fn verify(cluster: Option<ClusterFlag>, to: Option<&str>) -> String {
    let mut out = "ac adm upgrade verify".to_string();
    if let Some(cluster) = cluster {
        out.push_str(&format!(" {cluster}"));
    }
    if let Some(v) = to {
        out.push_str(&format!(" --to={}", version(v)));
    }
    out
}

/// `ac adm release import-manifest --version VERSION` (`<version>` when unknown).
pub fn import_manifest(v: &str) -> String {
    format!("ac adm release import-manifest --version {}", version(v))
}

/// `ac adm upgrade --help`.
pub fn upgrade_help() -> String {
    "ac adm upgrade --help".into()
}

/// `ac adm upgrade`, the cluster left to the context.
pub fn upgrade_here() -> String {
    "ac adm upgrade".into()
}

/// `ac config use-session SESSION`.
pub fn use_session(session: &str) -> String {
    format!("ac config use-session {}", safe(session, "<session>"))
}

/// `ac config get-sessions`.
pub fn get_sessions() -> String {
    "ac config get-sessions".into()
}

/// `ac login URL --name SESSION`: log a session in again (a password in the URL never shown).
pub fn login(platform_url: Option<&str>, session: &str) -> String {
    let url = platform_url
        .map(crate::output::text::redact_url)
        .filter(|url| shell_safe(url))
        .unwrap_or_else(|| "<platform-url>".into());
    format!("ac login {url} --name {}", safe(session, "<session>"))
}

// --- kubectl ----------------------------------------------------------------------------

/// `kubectl get productmanifests NAME -o yaml`.
pub fn get_product_manifest(kubectl: Kubectl, name: &str) -> String {
    format!(
        "{kubectl} get productmanifests {} -o yaml",
        safe(name, "<name>")
    )
}

/// Every ResourcePatch.
pub fn list_resource_patches(kubectl: Kubectl) -> String {
    format!("{kubectl} get resourcepatches")
}

/// `kubectl get resourcepatches NAMES -o yaml`.
pub fn get_resource_patches<'a>(
    kubectl: Kubectl,
    names: impl IntoIterator<Item = &'a str>,
) -> String {
    format!(
        "{kubectl} get resourcepatches {} -o yaml",
        names_for_shell(names, "<rp-name>")
    )
}

/// The annotation that exempts ResourcePatches from `ResourcePatchUpgradeable` for a version.
pub fn exempt_resource_patches<'a>(
    kubectl: Kubectl,
    names: impl IntoIterator<Item = &'a str>,
    to: &str,
) -> String {
    format!(
        "{kubectl} annotate resourcepatches {} config.cpaas.io/exempt-for-ver={} --overwrite",
        names_for_shell(names, "<rp-name>"),
        version(to)
    )
}

/// The gates a release declares (`AdminAckRequired`).
pub fn get_admin_gates(kubectl: Kubectl) -> String {
    format!("{kubectl} -n cpaas-system get configmap admin-gates -o yaml")
}

fn gate_keys<'a>(keys: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let keys: Vec<&str> = keys.into_iter().map(|k| safe(k, "<gate-key>")).collect();
    if keys.is_empty() {
        vec!["<gate-key>"]
    } else {
        keys
    }
}

/// Acknowledge admin gates in `cpaas-system/admin-acks` (`<gate-key>` when none is known).
pub fn acknowledge_admin_gates<'a>(
    kubectl: Kubectl,
    keys: impl IntoIterator<Item = &'a str>,
) -> String {
    let data = gate_keys(keys)
        .iter()
        .map(|key| format!("\"{key}\":\"true\""))
        .collect::<Vec<_>>()
        .join(",");
    format!(
        "{kubectl} -n cpaas-system patch configmap admin-acks --type merge -p '{{\"data\":{{{data}}}}}'"
    )
}

/// Create `cpaas-system/admin-acks` with these gates acknowledged (it does not exist yet).
pub fn create_admin_acks<'a>(kubectl: Kubectl, keys: impl IntoIterator<Item = &'a str>) -> String {
    let literals: Vec<String> = gate_keys(keys)
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

/// A cluster's Kubernetes version and phase (`clusters.platform.tkestack.io`).
pub fn get_platform_cluster(kubectl: Kubectl, name: &str) -> String {
    format!(
        "{kubectl} get clusters.platform.tkestack.io {}",
        safe(name, "<cluster>")
    )
}

/// Upgrade a cluster's Kubernetes to a release line through the platform's Cluster resource.
pub fn upgrade_kubernetes(kubectl: Kubectl, name: &str, line: &str) -> String {
    format!(
        "{kubectl} patch clusters.platform.tkestack.io {} --type merge -p '{{\"spec\":{{\"version\":\"{}\"}}}}'",
        safe(name, "<cluster>"),
        safe(line, "<version>")
    )
}

/// A Machine and why it is in its phase (status, conditions, events).
pub fn describe_machine(kubectl: Kubectl, name: &str) -> String {
    format!(
        "{kubectl} describe machines.platform.tkestack.io {}",
        safe(name, "<machine>")
    )
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
    let cluster = safe(cluster, "<cluster>");
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
            "{kubectl} -n cpaas-system get cvsh {} -o jsonpath='{{.status.stages[?(@.name==\"{stage}\")].operations[?(@.name==\"{operation}\")]}}'",
            safe(cluster, "<cluster>")
        )
    } else {
        cvsh_status_entry(kubectl, cluster, "stages", "name", stage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_names_never_reach_a_shell_unquoted() {
        // A name that would read as a flag: `kubectl annotate resourcepatches --all …`.
        assert_eq!(
            exempt_resource_patches(Kubectl::default(), ["--all"], "4.3.0"),
            "kubectl annotate resourcepatches <rp-name> config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
        );
        assert_eq!(
            upgrade_to(ClusterFlag::joined("a;rm -rf /"), "4.3.0$(x)"),
            "ac adm upgrade --cluster=<cluster> --to=<version>"
        );
        assert_eq!(
            in_context(
                "prod-dr/global",
                &precheck(ClusterFlag::joined("global"), Some("4.3.0"))
            ),
            "ac --context prod-dr/global adm upgrade precheck --cluster=global --to=4.3.0"
        );
        assert_eq!(
            upgrade_kubernetes(Kubectl::through(Some("sim/global")), "workload-c", "1.31"),
            "kubectl --context sim/global patch clusters.platform.tkestack.io workload-c --type merge -p '{\"spec\":{\"version\":\"1.31\"}}'"
        );
        assert_eq!(
            acknowledge_admin_gates(Kubectl::default(), ["ok-1", "bad key"]),
            "kubectl -n cpaas-system patch configmap admin-acks --type merge -p '{\"data\":{\"ok-1\":\"true\",\"<gate-key>\":\"true\"}}'"
        );
        assert_eq!(
            verify(Some(ClusterFlag::joined("w;x")), Some("4.3.0")),
            "ac adm upgrade verify --cluster=<cluster> --to=4.3.0"
        );
        assert_eq!(verify(None, None), "ac adm upgrade verify");
        assert_eq!(
            login(Some("https://x y"), "prod"),
            "ac login <platform-url> --name prod"
        );
    }
}
