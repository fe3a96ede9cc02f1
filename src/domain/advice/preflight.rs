//! Remedies for a failed preflight check (SPEC §2 "Known remedies", `docs/status.md` §5):
//! exempt ResourcePatches, acknowledge admin gates, the Kubernetes range, the upgrade path, and
//! a generic step for any other check.

use crate::domain::advice::commands::{self, ClusterFlag};
use crate::domain::advice::scrape::{admin_gate_keys, cluster_names, resource_patch_names};
use crate::domain::advice::{NextStep, NextStepKind};
use crate::domain::cvsh::{Cvsh, PreflightCheck};
use crate::domain::sequencing::Global;
use crate::domain::version;
use crate::domain::words::join_or;
use crate::error::one_line;

/// What a remedy needs to know about the cluster.
pub struct Subject<'a> {
    pub cvsh: &'a Cvsh,
    /// The cluster's name as it goes into a command (`<cluster>` when unsafe).
    pub name: &'a str,
    /// The version to put in commands: the target's, else `<version>`.
    pub target_version: &'a str,
    pub global: Global<'a>,
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
    let message = check.message.as_deref().unwrap_or("");
    let head = check_summary(check);
    let reason = check.reason.as_deref().unwrap_or("");
    if check.name == "ResourcePatchUpgradeable" || reason == "UnexemptResourcePatches" {
        return exempt_resource_patches(subject, &head, message);
    }
    match check.name.as_str() {
        "AdminAckRequired" => acknowledge_admin_gates(&head, message),
        "KubernetesVersionSupported" => kubernetes_range(subject, &head, message),
        "VersionUpgradePath" => upgrade_path(subject, &head),
        _ => NextStep::new(
            NextStepKind::ResolveCheck,
            format!(
                "{head} Fix what it reports; the controller re-runs preflight. As a last resort an administrator can disable the check in cpaas-system/cvo-config (data.preflight: disabled)."
            ),
        )
        .command(commands::cvsh_status_entry(
            subject.name,
            "preflight.checks",
            "name",
            &check.name,
        )),
    }
}

fn exempt_resource_patches(subject: &Subject, head: &str, message: &str) -> NextStep {
    let names = resource_patch_names(message);
    let list = if names.is_empty() {
        "<rp-name>".to_string()
    } else {
        names.join(" ")
    };
    let (which, them) = if names.len() > 1 {
        ("these ResourcePatches", "them")
    } else {
        ("the ResourcePatch", "it")
    };
    let target_version = subject.target_version;
    let mut text = format!("{head} Review {which}, then exempt {them} for {target_version}.");
    if names.is_empty() {
        text.push_str(&format!(
            " The message names no ResourcePatch: find it with `{}`.",
            commands::list_resource_patches()
        ));
    }
    NextStep::new(NextStepKind::ExemptResourcePatch, text)
        .command(commands::get_resource_patches(&list))
        .command(commands::exempt_resource_patches(&list, target_version))
}

fn acknowledge_admin_gates(head: &str, message: &str) -> NextStep {
    let keys = admin_gate_keys(message);
    NextStep::new(
        NextStepKind::AcknowledgeAdminGate,
        format!(
            "{head} Read the gates the release declares, do the manual checks each one describes, then acknowledge {} in cpaas-system/admin-acks.",
            if keys.len() > 1 { "them" } else { "it" }
        ),
    )
    .command(commands::get_admin_gates())
    .command(commands::acknowledge_admin_gates(&keys))
}

fn kubernetes_range(subject: &Subject, head: &str, message: &str) -> NextStep {
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
                "{head} This cluster must run {supported} before it can move to {target_version}: bring its Kubernetes into that range first (see what it can move to now):"
            ),
        )
        .command(commands::upgrade(ClusterFlag::spaced(subject.name)));
    }
    let named: Vec<String> = cluster_names(message)
        .into_iter()
        .filter(|name| !subject.global.is(name))
        .collect();
    let target_minor = match minor {
        Some((major, minor)) => format!("ACP {major}.{minor}"),
        None => target_version.to_string(),
    };
    let which = if named.is_empty() {
        String::new()
    } else {
        format!(" ({})", named.join(", "))
    };
    let mut step = NextStep::new(
        NextStepKind::KubernetesVersion,
        format!(
            "{head} Before the global cluster moves to {target_minor}, every workload cluster must run {supported}: upgrade the workload clusters outside that range first{which}, then retry."
        ),
    );
    if named.is_empty() {
        step = step.command(commands::status_all_clusters());
    }
    for name in named {
        step = step.command(commands::upgrade(ClusterFlag::spaced(&name)));
    }
    step
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
