//! Remedies for a failed preflight check (SPEC §2 "Known remedies", `docs/status.md` §5):
//! exempt ResourcePatches, acknowledge admin gates, the Kubernetes range, the upgrade path, and
//! a generic step for any other check. Names come from structured data (the ResourcePatches,
//! `admin-gates`/`admin-acks`, the pre-checks), never from a message's free text.

use crate::domain::advice::commands::{self, ClusterFlag, names_for_shell, shell_safe};
use crate::domain::advice::{NextStep, NextStepKind};
use crate::domain::cvsh::{Cvsh, PreflightCheck};
use crate::domain::precheck::platform::gate_applies;
use crate::domain::precheck::{Fact, Platform};
use crate::domain::sequencing::Global;
use crate::domain::version;
use crate::output::text::join_or;
use crate::output::text::one_line;

/// What a remedy needs to know about the cluster.
pub struct Subject<'a> {
    pub cvsh: &'a Cvsh,
    /// The cluster's name as it goes into a command (`<cluster>` when unsafe).
    pub name: &'a str,
    /// The version to put in commands: the target's, else `<version>`.
    pub target_version: &'a str,
    pub global: Global<'a>,
    /// What was read of the platform for the remedies (ResourcePatches, admin gates and acks).
    pub platform: &'a Platform,
}

/// `Preflight check X failed (Reason): message.`
fn check_summary(check: &PreflightCheck) -> String {
    let mut text = format!("Preflight check {} failed", check.name);
    if let Some(reason) = &check.reason {
        text.push_str(&format!(" ({reason})"));
    }
    if let Some(message) = &check.message {
        let message = one_line(message);
        if !message.is_empty() {
            text.push_str(": ");
            text.push_str(message.trim_end_matches('.'));
        }
    }
    text.push('.');
    text
}

/// The remedy for one blocking check.
pub fn remedy(subject: &Subject, check: &PreflightCheck) -> NextStep {
    let head = check_summary(check);
    let reason = check.reason.as_deref().unwrap_or("");
    if check.name == "ResourcePatchUpgradeable" || reason == "UnexemptResourcePatches" {
        return exempt_resource_patches(subject, &head);
    }
    match check.name.as_str() {
        "AdminAckRequired" => acknowledge_admin_gates(subject, &head),
        "KubernetesVersionSupported" => kubernetes_range(subject, &head),
        "VersionUpgradePath" => upgrade_path(subject, &head),
        _ => NextStep::new(
            NextStepKind::ResolveCheck,
            format!(
                "{head} Fix what it reports; the controller re-runs preflight. As a last resort an administrator can disable the check in cpaas-system/cvo-config (data.preflight: disabled)."
            ),
        )
        .command(commands::cvsh_status_entry(
            subject.global.kubectl,
            subject.name,
            "preflight.checks",
            "name",
            &check.name,
        )),
    }
}

/// What the pre-checks would print for this check: the structured list, with its command.
fn precheck_command(subject: &Subject) -> String {
    let version = (subject.target_version != "<version>").then_some(subject.target_version);
    commands::precheck(ClusterFlag::spaced(subject.name), version)
}

/// ResourcePatches not exempt for the target, read from the platform (not from the message).
fn exempt_resource_patches(subject: &Subject, head: &str) -> NextStep {
    let target_version = subject.target_version;
    let step = |text: String| NextStep::new(NextStepKind::ExemptResourcePatch, text);
    let Fact::Read(patches) = &subject.platform.resource_patches else {
        return step(format!(
            "{head} Review the ResourcePatches that are not exempt for {target_version}, then exempt them; the pre-checks list them with the exact command:"
        ))
        .command(precheck_command(subject));
    };
    let blocking: Vec<&str> = patches
        .iter()
        .filter(|patch| patch.applies_to(&subject.cvsh.name))
        .filter(|patch| {
            !patch
                .exempt_for
                .as_deref()
                .is_some_and(|v| version::same_version(v, target_version))
        })
        .map(|patch| patch.name.as_str())
        .collect();
    if blocking.is_empty() {
        return step(format!(
            "{head} Every ResourcePatch is exempt for {target_version} now; the controller re-runs preflight."
        ))
        .command(commands::status_watch(ClusterFlag::spaced(subject.name)));
    }
    let (which, them) = if blocking.len() > 1 {
        ("these ResourcePatches", "them")
    } else {
        ("the ResourcePatch", "it")
    };
    let list = names_for_shell(blocking.iter().copied(), "<rp-name>");
    step(format!(
        "{head} Review {which}, then exempt {them} for {target_version}."
    ))
    .command(commands::get_resource_patches(
        subject.global.kubectl,
        &list,
    ))
    .command(commands::exempt_resource_patches(
        subject.global.kubectl,
        &list,
        target_version,
    ))
}

/// Admin gates of the target's release without an ack, read from `admin-gates`/`admin-acks`.
fn acknowledge_admin_gates(subject: &Subject, head: &str) -> NextStep {
    let step = |keys: &[String]| {
        NextStep::new(
            NextStepKind::AcknowledgeAdminGate,
            format!(
                "{head} Read the gates the release declares, do the manual checks each one describes, then acknowledge {} in cpaas-system/admin-acks.",
                if keys.len() > 1 { "them" } else { "it" }
            ),
        )
        .command(commands::get_admin_gates(subject.global.kubectl))
    };
    let release = version::minor_of(subject.target_version);
    let (Fact::Read(gates), Fact::Read(acks), Some(release)) = (
        &subject.platform.admin_gates,
        &subject.platform.admin_acks,
        release,
    ) else {
        return step(&[]).command(precheck_command(subject));
    };
    let acked = |key: &str| {
        acks.as_ref()
            .is_some_and(|a| a.iter().any(|(k, v)| k == key && v.trim() == "true"))
    };
    let missing: Vec<String> = gates
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| gate_applies(key, release) && !acked(key))
        .map(|key| {
            if shell_safe(key) {
                key.to_string()
            } else {
                "<gate-key>".into()
            }
        })
        .collect();
    let acknowledge = if acks.is_some() {
        commands::acknowledge_admin_gates(subject.global.kubectl, &missing)
    } else {
        commands::create_admin_acks(subject.global.kubectl, &missing)
    };
    step(&missing).command(acknowledge)
}

/// The Kubernetes range of the target release: the clusters outside it are named by the
/// pre-checks from `clusters.platform.tkestack.io`.
fn kubernetes_range(subject: &Subject, head: &str) -> NextStep {
    let target_version = subject.target_version;
    let minor = version::minor_of(target_version);
    let supported = match minor.and_then(version::kubernetes_range) {
        Some((lowest, highest)) => format!("Kubernetes {lowest}–{highest}"),
        None => "the Kubernetes versions the target release supports".to_string(),
    };
    if !subject.global.is(&subject.cvsh.name) {
        return NextStep::new(
            NextStepKind::KubernetesVersion,
            format!(
                "{head} This cluster must run {supported} before it can move to {target_version}: bring its Kubernetes into that range first."
            ),
        )
        .command(commands::get_platform_cluster(
            subject.global.kubectl,
            subject.name,
        ));
    }
    let target_minor = match minor {
        Some((major, minor)) => format!("ACP {major}.{minor}"),
        None => target_version.to_string(),
    };
    NextStep::new(
        NextStepKind::KubernetesVersion,
        format!(
            "{head} Before the global cluster moves to {target_minor}, every workload cluster must run {supported}: bring the clusters outside that range into it first (the pre-checks name them), then retry."
        ),
    )
    .command(precheck_command(subject))
}

fn upgrade_path(subject: &Subject, head: &str) -> NextStep {
    let target_version = subject.target_version;
    let minor = version::minor_of(target_version);
    let current = subject
        .cvsh
        .current_version()
        .unwrap_or("an unknown version");
    let text = match (minor, minor.and_then(version::supported_sources)) {
        (Some((major, minor)), Some(sources)) => format!(
            "{head} Upgrades into {major}.{minor} are supported from {}; this cluster is at {current}. Move it to a supported version first, then request {target_version}.",
            join_or(sources)
        ),
        _ => format!(
            "{head} The controller does not support moving from {current} to {target_version} directly; choose an intermediate version it offers."
        ),
    };
    NextStep::new(NextStepKind::UpgradePath, text)
        .command(commands::upgrade(ClusterFlag::spaced(subject.name)))
}
