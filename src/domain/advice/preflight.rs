//! Remedies for a preflight check the controller failed (SPEC §2 "Known remedies",
//! `docs/status.md` §5): exempt ResourcePatches, acknowledge admin gates, the Kubernetes range,
//! the upgrade path (and `GlobalVersionNotReached`: the global tier first), and a generic step
//! for any other check. Names come from structured data (the ResourcePatches,
//! `admin-gates`/`admin-acks`, the pre-checks), never from a message's free text.

use crate::domain::advice::{NextStep, NextStepKind, Scope};
use crate::domain::cmdline::{self, ClusterFlag};
use crate::domain::cvsh::{Cvsh, PreflightCheck};
use crate::domain::facts::{Fact, Platform, unacknowledged_gates};
use crate::domain::rules::kubernetes::KubernetesRange;
use crate::domain::rules::path;
use crate::domain::version;
use crate::output::text::{join_or, one_line};

/// The reason `VersionUpgradePath` fails with when a workload cluster is requested above the
/// global tier's version (SPEC §"Rollout").
pub const GLOBAL_VERSION_NOT_REACHED: &str = "GlobalVersionNotReached";

/// What a remedy needs to know about the cluster.
pub struct Subject<'a> {
    pub cvsh: &'a Cvsh,
    /// The cluster's name as it goes into a command (`<cluster>` when unsafe).
    pub name: &'a str,
    /// The version to put in commands: the target's, else `<version>`.
    pub target_version: &'a str,
    pub scope: &'a Scope<'a>,
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
    if reason == GLOBAL_VERSION_NOT_REACHED {
        return global_tier_first(subject, &head);
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
        .command(cmdline::cvsh_status_entry(
            subject.scope.kubectl,
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
    cmdline::precheck(ClusterFlag::spaced(subject.name), version)
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
        .filter(|patch| patch.blocks(&subject.cvsh.name, target_version))
        .map(|patch| patch.name.as_str())
        .collect();
    if blocking.is_empty() {
        return step(format!(
            "{head} Every ResourcePatch is exempt for {target_version} now; the controller re-runs preflight."
        ))
        .command(cmdline::status_watch(ClusterFlag::spaced(subject.name)));
    }
    let (which, them) = if blocking.len() > 1 {
        ("these ResourcePatches", "them")
    } else {
        ("the ResourcePatch", "it")
    };
    step(format!(
        "{head} Review {which}, then exempt {them} for {target_version}."
    ))
    .command(cmdline::get_resource_patches(
        subject.scope.kubectl,
        blocking.iter().copied(),
    ))
    .command(cmdline::exempt_resource_patches(
        subject.scope.kubectl,
        blocking.iter().copied(),
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
        .command(cmdline::get_admin_gates(subject.scope.kubectl))
    };
    let release = version::minor_of(subject.target_version);
    let (Fact::Read(gates), Fact::Read(acks), Some(release)) = (
        &subject.platform.admin_gates,
        &subject.platform.admin_acks,
        release,
    ) else {
        return step(&[]).command(precheck_command(subject));
    };
    let (_, missing) = unacknowledged_gates(gates, acks.as_deref(), release);
    let missing: Vec<String> = missing.iter().map(|k| k.to_string()).collect();
    let keys = missing.iter().map(String::as_str);
    let acknowledge = if acks.is_some() {
        cmdline::acknowledge_admin_gates(subject.scope.kubectl, keys)
    } else {
        cmdline::create_admin_acks(subject.scope.kubectl, keys)
    };
    step(&missing).command(acknowledge)
}

/// The Kubernetes range of the target release: the clusters outside it are named by the
/// pre-checks from `clusters.platform.tkestack.io`.
fn kubernetes_range(subject: &Subject, head: &str) -> NextStep {
    let target_version = subject.target_version;
    let range = KubernetesRange::of_release(target_version);
    let supported = match &range {
        Some(range) => format!("Kubernetes {range}"),
        None => "the Kubernetes versions the target release supports".to_string(),
    };
    if !subject.scope.is_global() {
        return NextStep::new(
            NextStepKind::KubernetesVersion,
            format!(
                "{head} This cluster must run {supported} before it can move to {target_version}: bring its Kubernetes into that range first; its pre-checks give the exact command."
            ),
        )
        .command(precheck_command(subject));
    }
    let target_minor = match &range {
        Some(range) => range.release_label(),
        None => target_version.to_string(),
    };
    NextStep::new(
        NextStepKind::KubernetesVersion,
        format!(
            "{head} Before the global cluster moves to {target_minor}, every workload cluster must run {supported}: bring the clusters outside that range into it first (the pre-checks name them, each with its command), then retry."
        ),
    )
    .command(precheck_command(subject))
}

/// `VersionUpgradePath` failed with `GlobalVersionNotReached`: the controller refuses a
/// workload cluster above the global tier's version. The global tier moves first.
fn global_tier_first(subject: &Subject, head: &str) -> NextStep {
    let global = subject.scope.tier.primary();
    let target_version = subject.target_version;
    let at = subject
        .scope
        .tier
        .ceiling()
        .map(|v| format!(" (it is at {v})"))
        .unwrap_or_default();
    NextStep::new(
        NextStepKind::Sequencing,
        format!(
            "{head} The global tier has not reached {target_version}{at}: move the global tier first; its pre-checks:"
        ),
    )
    .command(cmdline::precheck(
        ClusterFlag::spaced(global),
        (target_version != "<version>").then_some(target_version),
    ))
}

fn upgrade_path(subject: &Subject, head: &str) -> NextStep {
    let target_version = subject.target_version;
    let minor = version::minor_of(target_version);
    let current = subject
        .cvsh
        .current_version()
        .unwrap_or("an unknown version");
    let text = match (minor, minor.and_then(path::sources_into)) {
        (Some((major, minor)), Some(sources)) => format!(
            "{head} Upgrades into {major}.{minor} are supported from {}; this cluster is at {current}. Move it to a supported version first, then request {target_version}.",
            join_or(sources)
        ),
        _ => format!(
            "{head} The controller does not support moving from {current} to {target_version} directly; choose an intermediate version it offers."
        ),
    };
    NextStep::new(NextStepKind::UpgradePath, text)
        .command(cmdline::upgrade(ClusterFlag::spaced(subject.name)))
}
