//! Preflight checks (SPEC §2 defaults) and how the simulator evaluates them.

use std::collections::BTreeMap;

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

    pub fn pending() -> Outcome {
        Outcome {
            policy: "Block",
            state: State::Retry,
            reason: "Pending".into(),
            message: "Waiting for the check to run".into(),
        }
    }
}

/// The checks that apply to an upgrade to `target` (AdminAckRequired only for 4.4+).
pub fn checks_for(target: Option<&str>) -> Vec<&'static str> {
    let ack = target
        .and_then(version::minor_of)
        .is_some_and(|m| m >= Minor::new(4, 4));
    CHECKS
        .iter()
        .copied()
        .filter(|c| *c != "AdminAckRequired" || ack)
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
    pub kubernetes: &'a BTreeMap<String, String>,
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
    if input.world.disabled.contains(check) {
        return Outcome {
            policy: "Disabled",
            state: State::Passed,
            reason: "Disabled".into(),
            message: "Disabled in cpaas-system/cvo-config".into(),
        };
    }
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
        .patches
        .iter()
        .filter(|patch| patch.cluster.as_deref() == Some(input.cluster))
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

/// `AdminAckRequired`: every admin gate of the target's release line is acknowledged.
fn admin_acks(policy: &'static str, input: &CheckInput) -> Outcome {
    let Some(line) = input.target.and_then(version::minor_of) else {
        return passed(policy, "No admin gates apply");
    };
    let prefix = format!("ack-{line}-");
    let world = input.world;
    let missing: Vec<(&String, &String)> = world
        .gates
        .iter()
        .filter(|(gate, _)| gate.starts_with(&prefix))
        .filter(|(gate, _)| world.acks.get(*gate).map(String::as_str) != Some("true"))
        .collect();
    match missing.first() {
        None => passed(policy, "All admin gates for this release are acknowledged"),
        Some((gate, description)) => failed(
            policy,
            "AdminAckRequired",
            format!(
                "{} admin acknowledgement(s) missing; first {gate}: {description} Acknowledge with data[\"{gate}\"]=\"true\" in cpaas-system/admin-acks",
                missing.len()
            ),
        ),
    }
}

/// `VersionUpgradePath`: no downgrade, and a supported path.
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

/// `KubernetesVersionSupported`: for global, every workload cluster inside the target's
/// Kubernetes range; for a workload cluster, its own version.
fn kubernetes_versions(policy: &'static str, input: &CheckInput) -> Outcome {
    let Some(range) = input
        .target
        .and_then(version::minor_of)
        .and_then(version::kubernetes_range)
    else {
        return passed(policy, "No Kubernetes compatibility data for this release");
    };
    let global = input.cluster == "global";
    let offenders: Vec<String> = input
        .kubernetes
        .iter()
        .filter(|(cluster, _)| {
            if global {
                cluster.as_str() != "global"
            } else {
                cluster.as_str() == input.cluster
            }
        })
        .filter(|(_, kubernetes)| !range.contains(kubernetes))
        .map(|(cluster, kubernetes)| format!("{cluster} ({kubernetes})"))
        .collect();
    let target = input.target.unwrap_or("");
    if offenders.is_empty() {
        passed(
            policy,
            format!("Kubernetes versions are within {range} required by {target}"),
        )
    } else if global {
        failed(
            policy,
            "KubernetesVersionUnsupported",
            format!(
                "Workload clusters outside Kubernetes {range} required by {target}: {}",
                offenders.join(", ")
            ),
        )
    } else {
        let own = input.kubernetes.get(input.cluster).map(String::as_str);
        failed(
            policy,
            "KubernetesVersionUnsupported",
            format!(
                "Kubernetes {} is outside {range} required by {target}",
                own.unwrap_or("?")
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::default_start;
    use crate::controller::world::Patch;

    fn input<'a>(
        world: &'a World,
        kube: &'a BTreeMap<String, String>,
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
            kubernetes: kube,
            failures,
        }
    }

    #[test]
    fn resource_patches_block_until_exempted() {
        let mut world = World::default();
        world.patches.push(Patch {
            name: "rp-x".into(),
            cluster: Some("workload-c".into()),
            exempt_for: None,
        });
        let kubernetes = BTreeMap::new();
        let outcome = evaluate(
            "ResourcePatchUpgradeable",
            &input(&world, &kubernetes, &[], "workload-c", "4.3.0"),
        );
        assert_eq!(
            (outcome.state, outcome.reason.as_str()),
            (State::Failed, "UnexemptResourcePatches")
        );
        assert!(outcome.blocking());
        assert!(
            outcome
                .message
                .contains("config.cpaas.io/exempt-for-ver=4.3.0")
        );
        assert_eq!(
            evaluate(
                "ResourcePatchUpgradeable",
                &input(&world, &kubernetes, &[], "workload-a", "4.3.0")
            )
            .state,
            State::Passed
        );
        world.patches[0].exempt_for = Some("4.3.0".into());
        assert_eq!(
            evaluate(
                "ResourcePatchUpgradeable",
                &input(&world, &kubernetes, &[], "workload-c", "4.3.0")
            )
            .state,
            State::Passed
        );
        world.patches[0].exempt_for = None;
        world.disabled.insert("ResourcePatchUpgradeable".into());
        let outcome = evaluate(
            "ResourcePatchUpgradeable",
            &input(&world, &kubernetes, &[], "workload-c", "4.3.0"),
        );
        assert_eq!((outcome.state, outcome.policy), (State::Passed, "Disabled"));
    }

    #[test]
    fn admin_acks_for_4_4() {
        assert!(!checks_for(Some("4.3.0")).contains(&"AdminAckRequired"));
        assert!(checks_for(Some("4.4.0")).contains(&"AdminAckRequired"));
        let mut w = World::default();
        w.gates.insert(
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "Check kernels.".into(),
        );
        let k = BTreeMap::new();
        let o = evaluate("AdminAckRequired", &input(&w, &k, &[], "global", "4.4.0"));
        assert_eq!(o.state, State::Failed);
        assert!(o.message.contains("ack-4.4-kubernetes-1.35-kernel-update"));
        w.acks.insert(
            "ack-4.4-kubernetes-1.35-kernel-update".into(),
            "true".into(),
        );
        assert_eq!(
            evaluate("AdminAckRequired", &input(&w, &k, &[], "global", "4.4.0")).state,
            State::Passed
        );
    }

    #[test]
    fn paths_and_kubernetes() {
        let w = World::default();
        let k = BTreeMap::from([
            ("global".to_string(), "1.31".to_string()),
            ("old".to_string(), "1.29".to_string()),
        ]);
        let o = evaluate(
            "KubernetesVersionSupported",
            &input(&w, &k, &[], "global", "4.3.0"),
        );
        assert_eq!(o.state, State::Failed);
        assert!(o.message.contains("old (1.29)"), "{}", o.message);
        assert_eq!(
            evaluate("VersionUpgradePath", &input(&w, &k, &[], "global", "4.1.0")).reason,
            "DowngradeNotSupported"
        );
    }

    #[test]
    fn scripted_failures_clear_and_warn_policies_do_not_block() {
        let w = World::default();
        let k = BTreeMap::new();
        let f = vec![PreflightFailure {
            cluster: None,
            check: "PlatformLicense".into(),
            reason: Some("LicenseExpiring".into()),
            message: None,
            target: None,
            clears_after: Some(60.0),
        }];
        let o = evaluate("PlatformLicense", &input(&w, &k, &f, "global", "4.3.0"));
        assert_eq!(
            (o.state, o.policy, o.blocking()),
            (State::Failed, "Warn", false)
        );
        let mut later = input(&w, &k, &f, "global", "4.3.0");
        later.now = plus(default_start(), 61.0);
        assert_eq!(evaluate("PlatformLicense", &later).state, State::Passed);
    }
}
