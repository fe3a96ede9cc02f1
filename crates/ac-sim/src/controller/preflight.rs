//! Preflight checks (SPEC §2 defaults) and how the simulator evaluates them.

use jiff::Timestamp;

use super::config::PreflightFailure;
use super::world::World;
use crate::clock::plus;
use crate::resources::EXEMPT_ANNOTATION;
use crate::version::{self, Minor};

/// The default checks, in the order they are reported.
pub const CHECKS: &[&str] = &[
    "ResourcePatchUpgradeable",
    "ClusterVersionUpgradeable",
    "AdminAckRequired",
    "VersionUpgradePath",
    "KubernetesVersionSupported",
    "DockerRuntimeUnsupported",
    "ClusterRunning",
    "ClusterModuleStable",
    "ControlPlaneStaticPodsPresent",
    "CustomEtcdBackupCronJobsAbsent",
    "CRIUpgradePodsAbsent",
    "ModuleInfoStable",
    "PlatformLicense",
];

/// Failure reasons `spec.desiredUpdate.force` does not skip: a workload cluster above the
/// global cluster's version.
pub const UNFORCEABLE: &[&str] = &["GlobalVersionNotReached", "GlobalVersionUnknown"];

/// Checks whose failure is reported but does not block (`policy: Warn`).
pub const WARN_ONLY: &[&str] = &["ClusterModuleStable", "PlatformLicense"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Retry,
    Passed,
    Failed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Retry => "Retry",
            State::Passed => "Passed",
            State::Failed => "Failed",
        }
    }
}

/// One check's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub policy: &'static str,
    pub state: State,
    pub reason: String,
    pub message: String,
}

impl Outcome {
    pub fn blocking(&self) -> bool {
        self.state == State::Failed && self.policy == "Block"
    }

    /// Whether this result stops the upgrade: a blocking failure, unless `force` is set and
    /// the failure is one force may skip. Nothing skips the global-first rule
    /// ([`UNFORCEABLE`]): the controller never moves a workload cluster past global.
    pub fn blocks(&self, force: bool) -> bool {
        self.blocking() && (!force || UNFORCEABLE.contains(&self.reason.as_str()))
    }

    pub fn pending() -> Outcome {
        Outcome {
            policy: "Block",
            state: State::Retry,
            reason: "Pending".into(),
            message: "Waiting for the check to run".into(),
        }
    }
}

/// The checks that apply to an upgrade to `target` (AdminAckRequired only for 4.4+), except
/// those an administrator disabled in `cvo-config`: those are not run and not reported.
pub fn checks_for(target: Option<&str>, world: &World) -> Vec<&'static str> {
    let ack = target
        .and_then(version::minor_of)
        .is_some_and(|m| m >= Minor::new(4, 4));
    CHECKS
        .iter()
        .copied()
        .filter(|c| *c != "AdminAckRequired" || ack)
        .filter(|c| !world.disabled.contains(*c))
        .collect()
}

/// Everything a check looks at.
pub struct CheckInput<'a> {
    pub cluster: &'a str,
    pub current: Option<&'a str>,
    pub target: Option<&'a str>,
    pub accepted_at: Timestamp,
    pub now: Timestamp,
    pub world: &'a World,
    pub failures: &'a [PreflightFailure],
}

fn passed(policy: &'static str, message: impl Into<String>) -> Outcome {
    Outcome {
        policy,
        state: State::Passed,
        reason: "AsExpected".into(),
        message: message.into(),
    }
}

fn failed(policy: &'static str, reason: &str, message: impl Into<String>) -> Outcome {
    Outcome {
        policy,
        state: State::Failed,
        reason: reason.into(),
        message: message.into(),
    }
}

/// Evaluate one check now.
pub fn evaluate(check: &str, input: &CheckInput) -> Outcome {
    let policy = if WARN_ONLY.contains(&check) {
        "Warn"
    } else {
        "Block"
    };
    if let Some(failure) = scripted_failure(check, input) {
        return failed(
            policy,
            failure.reason.as_deref().unwrap_or("CheckFailed"),
            failure
                .message
                .clone()
                .unwrap_or_else(|| format!("{check} failed (scripted by the scenario)")),
        );
    }
    match check {
        "ResourcePatchUpgradeable" => resource_patches(policy, input),
        "AdminAckRequired" => admin_acks(policy, input),
        "VersionUpgradePath" => upgrade_path(policy, input),
        "KubernetesVersionSupported" => kubernetes_versions(policy, input),
        "ClusterRunning" => cluster_running(policy, input),
        _ => passed(policy, "Check passed"),
    }
}

/// The scenario's failure for this check, cluster and target, while it has not cleared.
fn scripted_failure<'a>(check: &str, input: &CheckInput<'a>) -> Option<&'a PreflightFailure> {
    input.failures.iter().find(|failure| {
        failure.check == check
            && failure
                .cluster
                .as_deref()
                .is_none_or(|cluster| cluster == input.cluster)
            && failure.target.as_deref().is_none_or(|scripted| {
                input
                    .target
                    .is_some_and(|target| version::same(scripted, target))
            })
            && failure
                .clears_after
                .is_none_or(|secs| input.now < plus(input.accepted_at, secs))
    })
}

/// `ResourcePatchUpgradeable`: every ResourcePatch of the cluster is exempted for the target.
fn resource_patches(policy: &'static str, input: &CheckInput) -> Outcome {
    let Some(target) = input.target else {
        return passed(policy, "No target version to check ResourcePatches against");
    };
    let blocking: Vec<&str> = input
        .world
        .patches_of(input.cluster)
        .iter()
        .filter(|patch| {
            !patch
                .exempt_for
                .as_deref()
                .is_some_and(|exempt| version::same(exempt, target))
        })
        .map(|patch| patch.name.as_str())
        .collect();
    match blocking.as_slice() {
        [] => passed(policy, "No unexempted ResourcePatches"),
        [one] => failed(
            policy,
            "UnexemptResourcePatches",
            format!(
                "ResourcePatch {one} is not exempted for {target}; review it, then annotate it with {EXEMPT_ANNOTATION}={target}"
            ),
        ),
        many => failed(
            policy,
            "UnexemptResourcePatches",
            format!(
                "ResourcePatches {} are not exempted for {target}; review them, then annotate each with {EXEMPT_ANNOTATION}={target}",
                many.join(", ")
            ),
        ),
    }
}

/// Whether a gate of `admin-gates` applies to an upgrade into release line `line`: a key
/// `ack-<major>.<minor>-…` applies to that release line only; any other key always applies.
pub fn gate_applies(gate: &str, line: Minor) -> bool {
    let release = gate
        .strip_prefix("ack-")
        .and_then(|rest| rest.split('-').next())
        .and_then(|text| {
            let (major, minor) = text.split_once('.')?;
            Some(Minor::new(major.parse().ok()?, minor.parse().ok()?))
        });
    release.is_none_or(|release| release == line)
}

/// `AdminAckRequired`: every applicable admin gate is acknowledged (`"true"` in admin-acks).
fn admin_acks(policy: &'static str, input: &CheckInput) -> Outcome {
    let Some(line) = input.target.and_then(version::minor_of) else {
        return passed(policy, "No admin gates apply");
    };
    let world = input.world;
    let applicable: Vec<(&String, &String)> = world
        .gates
        .iter()
        .filter(|(gate, _)| gate_applies(gate, line))
        .collect();
    let missing: Vec<(&String, &String)> = applicable
        .iter()
        .copied()
        .filter(|(gate, _)| world.acks.get(*gate).map(|ack| ack.trim()) != Some("true"))
        .collect();
    if missing.is_empty() {
        return passed(
            policy,
            format!(
                "{} admin gate(s) for {line} acknowledged in cpaas-system/admin-acks",
                applicable.len()
            ),
        );
    }
    let keys: Vec<&str> = missing.iter().map(|(gate, _)| gate.as_str()).collect();
    let described: Vec<String> = missing
        .iter()
        .map(|(gate, description)| format!("{gate}: {}", description.trim()))
        .collect();
    failed(
        policy,
        "AdminAckRequired",
        format!(
            "Admin acknowledgement required for {}; do the manual checks ({}), then set each key to \"true\" in cpaas-system/admin-acks",
            keys.join(", "),
            described.join("; ")
        ),
    )
}

/// `VersionUpgradePath`: no downgrade; a workload cluster not above the global cluster's
/// version (`GlobalVersionNotReached`, SPEC §"Rollout"); and a supported path.
fn upgrade_path(policy: &'static str, input: &CheckInput) -> Outcome {
    let (Some(current), Some(target)) = (input.current, input.target) else {
        return passed(policy, "Version unknown; path not checked");
    };
    if version::is_newer(current, target) == Some(true) {
        return failed(
            policy,
            "DowngradeNotSupported",
            format!("Downgrading from {current} to {target} is not supported"),
        );
    }
    let cluster = input.cluster;
    if cluster != "global" {
        match input.world.global_version.as_deref() {
            None => {
                return failed(
                    policy,
                    "GlobalVersionUnknown",
                    format!(
                        "The global cluster's version is unknown, so {cluster} cannot be checked against it for {target}"
                    ),
                );
            }
            Some(global) if version::is_newer(target, global) == Some(true) => {
                return failed(
                    policy,
                    "GlobalVersionNotReached",
                    format!(
                        "{cluster} cannot move to {target} before the global cluster: global is at {global}; upgrade global to {target} first"
                    ),
                );
            }
            Some(_) => {}
        }
    }
    if version::upgrade_path_supported(current, target) {
        return passed(
            policy,
            format!("Upgrading from {current} to {target} is supported"),
        );
    }
    let sources = version::minor_of(target)
        .and_then(version::published_sources)
        .map(|lines| {
            let lines: Vec<String> = lines.iter().map(Minor::to_string).collect();
            lines.join(", ")
        })
        .unwrap_or_else(|| "the previous minor release".into());
    failed(
        policy,
        "UnsupportedUpgradePath",
        format!(
            "Upgrading from {current} to {target} is not supported; supported sources: {sources}"
        ),
    )
}

/// `KubernetesVersionSupported`: for global, every workload cluster's Kubernetes version (its
/// `clusters.platform.tkestack.io` object) inside the target's range; for a workload cluster,
/// its own. A cluster without a Cluster object is not judged; one without a version is outside.
fn kubernetes_versions(policy: &'static str, input: &CheckInput) -> Outcome {
    let Some(target) = input.target else {
        return passed(
            policy,
            "No target version to check Kubernetes versions against",
        );
    };
    let Some(range) = version::minor_of(target).and_then(version::kubernetes_range) else {
        return passed(
            policy,
            format!("No Kubernetes compatibility data for {target}"),
        );
    };
    let global = input.cluster == "global";
    let clusters = &input.world.clusters;
    // Global judges every workload cluster; a workload cluster only itself (one lookup: a
    // fleet has thousands).
    let judged: Vec<(&String, Option<&str>)> = if global {
        clusters
            .iter()
            .filter(|(name, _)| name.as_str() != "global")
            .map(|(name, cluster)| (name, cluster.kubernetes.as_deref()))
            .collect()
    } else {
        clusters
            .get_key_value(input.cluster)
            .map(|(name, cluster)| (name, cluster.kubernetes.as_deref()))
            .into_iter()
            .collect()
    };
    let offenders: Vec<String> = judged
        .iter()
        .filter(|(_, kubernetes)| !kubernetes.is_some_and(|k| range.contains(k)))
        .map(|(name, kubernetes)| format!("{name} ({})", kubernetes.unwrap_or("version unknown")))
        .collect();
    if offenders.is_empty() {
        let message = match (global, judged.is_empty()) {
            (true, true) => "No workload clusters to check".to_string(),
            (true, false) => format!(
                "All {} workload clusters run Kubernetes within {range} supported by {target}",
                judged.len()
            ),
            (false, true) => format!(
                "No Cluster object for {}; its Kubernetes version is not checked",
                input.cluster
            ),
            (false, false) => format!(
                "Kubernetes {} is within {range} supported by {target}",
                judged[0].1.unwrap_or("?")
            ),
        };
        return passed(policy, message);
    }
    let message = if global {
        format!(
            "Workload clusters outside Kubernetes {range} supported by {target}: {}; upgrade their Kubernetes (spec.version of clusters.platform.tkestack.io) into the range first",
            offenders.join(", ")
        )
    } else {
        format!(
            "Cluster {} is outside Kubernetes {range} supported by {target}; upgrade its Kubernetes (spec.version of clusters.platform.tkestack.io) into the range first",
            offenders.join(", ")
        )
    };
    failed(policy, "KubernetesVersionUnsupported", message)
}

/// `ClusterRunning`: the cluster's Cluster object is `Running`; for global, also every Machine.
/// A cluster without a Cluster object is not judged.
fn cluster_running(policy: &'static str, input: &CheckInput) -> Outcome {
    let world = input.world;
    let cluster = world.clusters.get(input.cluster);
    let cluster_phase = cluster.map(|cluster| cluster.phase.as_deref().unwrap_or("Unknown"));
    let cluster_down = cluster_phase.filter(|phase| *phase != "Running");
    let machines_down: Vec<String> = if input.cluster == "global" {
        world
            .machines
            .iter()
            .filter(|machine| machine.phase.as_deref() != Some("Running"))
            .map(|machine| {
                format!(
                    "{} ({})",
                    machine.name,
                    machine.phase.as_deref().unwrap_or("Unknown")
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut problems = Vec::new();
    if let Some(phase) = cluster_down {
        problems.push(format!("Cluster {} is {phase}, not Running", input.cluster));
    }
    if !machines_down.is_empty() {
        problems.push(format!(
            "Machines not Running: {}; resolve them before upgrading the global cluster",
            machines_down.join(", ")
        ));
    }
    if problems.is_empty() {
        let mut message = match cluster_phase {
            Some(_) => format!("Cluster {} is Running", input.cluster),
            None => format!(
                "No Cluster object for {}; its phase is not checked",
                input.cluster
            ),
        };
        if input.cluster == "global" {
            message.push_str(&format!(
                "; all {} Machines are Running",
                world.machines.len()
            ));
        }
        return passed(policy, message);
    }
    let reason = if cluster_down.is_some() {
        "ClusterNotRunning"
    } else {
        "MachinesNotRunning"
    };
    failed(policy, reason, problems.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::default_start;
    use crate::controller::world::{Machine, Patch, PlatformCluster};

    fn input<'a>(
        world: &'a World,
        failures: &'a [PreflightFailure],
        cluster: &'a str,
        target: &'a str,
    ) -> CheckInput<'a> {
        CheckInput {
            cluster,
            current: Some("4.2.1"),
            target: Some(target),
            accepted_at: default_start(),
            now: plus(default_start(), 30.0),
            world,
            failures,
        }
    }

    fn add_cluster(world: &mut World, name: &str, kubernetes: &str, phase: &str) {
        let cluster = PlatformCluster {
            kubernetes: Some(kubernetes.into()),
            phase: Some(phase.into()),
        };
        std::sync::Arc::make_mut(&mut world.clusters).insert(name.into(), cluster);
    }

    #[test]
    fn resource_patches_block_until_exempted() {
        let mut world = World::default();
        world.patches.insert(
            "workload-c".into(),
            vec![Patch {
                name: "rp-x".into(),
                cluster: Some("workload-c".into()),
                exempt_for: None,
            }],
        );
        let outcome = evaluate(
            "ResourcePatchUpgradeable",
            &input(&world, &[], "workload-c", "4.3.0"),
        );
        assert_eq!(
            (outcome.state, outcome.reason.as_str()),
            (State::Failed, "UnexemptResourcePatches")
        );
        assert!(outcome.blocking());
        assert!(outcome.message.contains("rp-x"), "{}", outcome.message);
        assert!(
            outcome
                .message
                .contains("config.cpaas.io/exempt-for-ver=4.3.0")
        );
        assert_eq!(
            evaluate(
                "ResourcePatchUpgradeable",
                &input(&world, &[], "workload-a", "4.3.0")
            )
            .state,
            State::Passed
        );
        world.patches.get_mut("workload-c").unwrap()[0].exempt_for = Some("4.3.0".into());
        assert_eq!(
            evaluate(
                "ResourcePatchUpgradeable",
                &input(&world, &[], "workload-c", "4.3.0")
            )
            .state,
            State::Passed
        );
    }

    #[test]
    fn disabled_checks_are_not_run() {
        let mut world = World::default();
        world.disabled.insert("ResourcePatchUpgradeable".into());
        world.disabled.insert("AdminAckRequired".into());
        let checks = checks_for(Some("4.4.0"), &world);
        assert!(!checks.contains(&"ResourcePatchUpgradeable"));
        assert!(!checks.contains(&"AdminAckRequired"));
        assert_eq!(checks.len(), CHECKS.len() - 2);
    }

    #[test]
    fn admin_acks_for_4_4() {
        let world = World::default();
        assert!(!checks_for(Some("4.3.0"), &world).contains(&"AdminAckRequired"));
        assert!(checks_for(Some("4.4.0"), &world).contains(&"AdminAckRequired"));
        let mut w = World::default();
        w.gates.insert(
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "Check kernels.".into(),
        );
        w.gates
            .insert("ack-4.5-something".into(), "Not for 4.4.".into());
        let o = evaluate("AdminAckRequired", &input(&w, &[], "global", "4.4.0"));
        assert_eq!(
            (o.state, o.reason.as_str()),
            (State::Failed, "AdminAckRequired")
        );
        assert!(o.message.contains("ack-4.4-kubernetes-1.35-kernel-update"));
        assert!(o.message.contains("Check kernels."));
        assert!(!o.message.contains("ack-4.5-something"), "{}", o.message);
        w.acks.insert(
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "true".into(),
        );
        assert_eq!(
            evaluate("AdminAckRequired", &input(&w, &[], "global", "4.4.0")).state,
            State::Passed
        );
        // A gate named otherwise applies to every release.
        w.gates
            .insert("storage-migration".into(), "Migrate volumes.".into());
        let o = evaluate("AdminAckRequired", &input(&w, &[], "global", "4.4.0"));
        assert_eq!(o.state, State::Failed);
        assert!(o.message.contains("storage-migration"), "{}", o.message);
        assert!(gate_applies("storage-migration", Minor::new(4, 9)));
        assert!(gate_applies("ack-4.4-x", Minor::new(4, 4)));
        assert!(!gate_applies("ack-4.4-x", Minor::new(4, 5)));
        assert!(gate_applies("ack-soon", Minor::new(4, 5)));
    }

    #[test]
    fn kubernetes_versions_of_the_platform_clusters() {
        let mut w = World::default();
        add_cluster(&mut w, "global", "1.29.1", "Running");
        add_cluster(&mut w, "workload-a", "1.32.6", "Running");
        add_cluster(&mut w, "workload-c", "1.30.14", "Running");
        let o = evaluate(
            "KubernetesVersionSupported",
            &input(&w, &[], "global", "4.3.0"),
        );
        assert_eq!(
            (o.state, o.reason.as_str()),
            (State::Failed, "KubernetesVersionUnsupported")
        );
        assert!(o.message.contains("workload-c (1.30.14)"), "{}", o.message);
        assert!(o.message.contains("1.31–1.34"), "{}", o.message);
        assert!(!o.message.contains("workload-a"), "{}", o.message);
        // 4.2 runs 1.30–1.33: nobody is outside (global's own version is not judged).
        assert_eq!(
            evaluate(
                "KubernetesVersionSupported",
                &input(&w, &[], "global", "4.2.3")
            )
            .state,
            State::Passed
        );
        // A workload cluster: its own version only.
        assert_eq!(
            evaluate(
                "KubernetesVersionSupported",
                &input(&w, &[], "workload-a", "4.3.0")
            )
            .state,
            State::Passed
        );
        let own = evaluate(
            "KubernetesVersionSupported",
            &input(&w, &[], "workload-c", "4.3.0"),
        );
        assert_eq!(own.state, State::Failed);
        assert!(
            own.message.starts_with("Cluster workload-c (1.30.14)"),
            "{}",
            own.message
        );
        assert_eq!(
            evaluate("VersionUpgradePath", &input(&w, &[], "global", "4.1.0")).reason,
            "DowngradeNotSupported"
        );
    }

    #[test]
    fn cluster_running_and_machines() {
        let mut w = World::default();
        add_cluster(&mut w, "global", "1.32.6", "Running");
        add_cluster(&mut w, "workload-b", "1.31.4", "Upgrading");
        w.machines = vec![
            Machine {
                name: "global-cp-1".into(),
                phase: Some("Running".into()),
            },
            Machine {
                name: "global-cp-2".into(),
                phase: Some("Failed".into()),
            },
        ];
        let o = evaluate("ClusterRunning", &input(&w, &[], "global", "4.3.0"));
        assert_eq!(
            (o.state, o.reason.as_str()),
            (State::Failed, "MachinesNotRunning")
        );
        assert!(o.message.contains("global-cp-2 (Failed)"), "{}", o.message);
        let o = evaluate("ClusterRunning", &input(&w, &[], "workload-b", "4.3.0"));
        assert_eq!(
            (o.state, o.reason.as_str()),
            (State::Failed, "ClusterNotRunning")
        );
        assert!(
            o.message.contains("workload-b is Upgrading"),
            "{}",
            o.message
        );
        w.machines[1].phase = Some("Running".into());
        let o = evaluate("ClusterRunning", &input(&w, &[], "global", "4.3.0"));
        assert_eq!(o.state, State::Passed, "{}", o.message);
        assert_eq!(
            evaluate("ClusterRunning", &input(&w, &[], "workload-z", "4.3.0")).state,
            State::Passed
        );
    }

    #[test]
    fn scripted_failures_clear_and_warn_policies_do_not_block() {
        let w = World::default();
        let f = vec![PreflightFailure {
            cluster: None,
            check: "PlatformLicense".into(),
            reason: Some("LicenseExpiring".into()),
            message: None,
            target: None,
            clears_after: Some(60.0),
        }];
        let o = evaluate("PlatformLicense", &input(&w, &f, "global", "4.3.0"));
        assert_eq!(
            (o.state, o.policy, o.blocking()),
            (State::Failed, "Warn", false)
        );
        let mut later = input(&w, &f, "global", "4.3.0");
        later.now = plus(default_start(), 61.0);
        assert_eq!(evaluate("PlatformLicense", &later).state, State::Passed);
    }
}
