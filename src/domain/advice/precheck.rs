//! The pre-checks in words: the detail of every finding and its remedy (a runnable command
//! wherever one exists), and the guard's refusal built from them. A remedy that moves another
//! cluster (the global tier, a workload cluster outside the Kubernetes range) is that
//! cluster's own `ac adm upgrade precheck`, unless the move was judged and passes: only then is
//! it the request itself.

use crate::domain::advice::{NextStep, NextStepKind, Scope};
use crate::domain::cmdline::{self, ClusterFlag, Kubectl};
use crate::domain::cvsh::Release;
use crate::domain::precheck::{
    Check, Finding, Item, Judgement, KubeOutside, KubeRemedy, StateProblem,
};
use crate::domain::rules::kubernetes::KubernetesRange;
use crate::domain::rules::path::Path;
use crate::domain::rules::tier::{TierBlock, TierClear};
use crate::output::text::plural;

/// At most this many names are spelled out in a detail (and commands in a remedy); the rest
/// are counted.
pub const NAMES_SHOWN: usize = 10;

pub(crate) fn names(list: &[String]) -> String {
    if list.len() <= NAMES_SHOWN {
        list.join(", ")
    } else {
        format!(
            "{}, and {} more",
            list[..NAMES_SHOWN].join(", "),
            list.len() - NAMES_SHOWN
        )
    }
}

/// A finding in words, and what resolves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub detail: String,
    pub remedy: Option<NextStep>,
}

pub(crate) fn said(detail: impl Into<String>) -> Explained {
    Explained {
        detail: detail.into(),
        remedy: None,
    }
}

pub(crate) fn with(detail: impl Into<String>, remedy: NextStep) -> Explained {
    Explained {
        detail: detail.into(),
        remedy: Some(remedy),
    }
}

fn step(kind: NextStepKind, text: impl Into<String>) -> NextStep {
    NextStep::new(kind, text)
}

/// "the target's version is unknown", said for the check it stops.
fn target_unknown(check: Check) -> String {
    let what = match check {
        Check::UpgradePath => "the upgrade path",
        Check::GlobalFirst => "the global-first rule",
        _ => return "the target's version is unknown".into(),
    };
    format!("the version behind the target image is unknown: {what} cannot be checked")
}

/// The pre-checks of another cluster's move: what stands in its way, each with its remedy.
/// `context`: that cluster is reached through another session (the standby global).
fn precheck_of(cluster: &str, to: &str, context: Option<&str>) -> String {
    let command = cmdline::precheck(ClusterFlag::joined(cluster), Some(to));
    match context {
        Some(context) => cmdline::in_context(context, &command),
        None => command,
    }
}

/// Explain one item.
pub fn explain(item: &Item, scope: &Scope) -> Explained {
    let cl = scope.cluster;
    let g = scope.tier.primary();
    let k = scope.kubectl;
    let this = ClusterFlag::joined(cl);
    match &item.finding {
        Finding::Unreadable { why } => said(why.clone()),
        Finding::AlreadyAt { release } => {
            said(format!("cluster {cl} is already at {}", release.label()))
        }
        Finding::Offered { release } => {
            said(format!("{} is offered to cluster {cl}", release.label()))
        }
        Finding::NotOffered {
            release,
            offered,
            explicit: true,
        } => said(format!(
            "{} is not offered to cluster {cl} (offered: {offered}); requested anyway with --allow-explicit-upgrade: the controller still decides",
            release.label()
        )),
        Finding::NotOffered {
            release, offered, ..
        } => {
            let remedy = match (&release.version, scope.is_global()) {
                (Some(v), true) => step(
                    NextStepKind::ImportManifest,
                    format!("publish the release metadata of {v}"),
                )
                .command(cmdline::import_manifest(v)),
                _ => step(
                    NextStepKind::Sequencing,
                    "workload clusters are offered what the global tier reached; see the global cluster",
                )
                .command(cmdline::upgrade(ClusterFlag::joined(g))),
            };
            with(
                format!(
                    "{} is not offered to cluster {cl} (offered: {offered})",
                    release.label()
                ),
                remedy,
            )
        }
        Finding::NothingOffered => {
            let remedy = if scope.is_global() {
                step(
                    NextStepKind::ImportManifest,
                    "publish the release metadata of the version you want",
                )
                .command(cmdline::import_manifest("<version>"))
            } else {
                step(
                    NextStepKind::Sequencing,
                    "workload clusters are offered what the global tier reached; see the global cluster",
                )
                .command(cmdline::upgrade(ClusterFlag::joined(g)))
            };
            with(
                format!("nothing is offered to cluster {cl} (status.availableUpdates is empty)"),
                remedy,
            )
        }
        Finding::TargetVersionUnknown => said(target_unknown(item.check)),
        Finding::CurrentVersionUnknown => {
            said("the cluster reports no current version: the upgrade path cannot be checked")
        }
        Finding::Path {
            from,
            to,
            path,
            pre_release,
        } => {
            let mut e = path_text(from, to, path, this);
            if let Some(pre) = pre_release
                && matches!(path, Path::WithinLine { .. } | Path::Supported { .. })
            {
                e.detail.push_str(&format!(
                    "; {to} is a pre-release ({pre}): for testing, not for production clusters"
                ));
            }
            e
        }
        Finding::TierClear { to, clear } => said(match clear {
            TierClear::NoStandby => {
                format!("no standby global: the global cluster {g} moves first")
            }
            TierClear::StandbyReached { at } => match scope.tier.standby() {
                Some(s) => format!("the standby global (session {}) is at {at}", s.session),
                None => format!("the standby global is at {at}"),
            },
            TierClear::GlobalReached { at } => format!("the global cluster {g} is at {at}"),
            TierClear::BothReached { primary, standby } => format!(
                "both globals have reached {to}: primary at {primary}, standby at {standby}"
            ),
        }),
        Finding::TierBlocked { to, block, now } => tier_blocked(scope, to, block, now.as_deref()),
        Finding::StandbyUnreadable { session, why } => said(format!(
            "the standby global (session {session}) could not be read: {why}"
        )),
        Finding::NoKubernetesRange { to } => said(format!(
            "no compatible Kubernetes range is known for ACP {to} (known: 4.0 to 4.3)"
        )),
        Finding::KubernetesInside { range, count } => said(if scope.is_global() {
            match count {
                0 => format!("no workload cluster to judge: the range is {range}"),
                1 => format!("the workload cluster runs Kubernetes {range}"),
                n => format!("all {n} workload clusters run Kubernetes {range}"),
            }
        } else {
            format!("cluster {cl} runs Kubernetes inside {range}")
        }),
        Finding::KubernetesOutside {
            to,
            range,
            outside,
            unknown,
        } => {
            let detail = if scope.is_global() {
                kubernetes_outside(range, outside, unknown)
            } else {
                format!(
                    "{} is outside {}'s Kubernetes range {range}",
                    outside
                        .first()
                        .map(|o| format!("{} ({})", o.cluster, o.version))
                        .unwrap_or_default(),
                    range.release_label()
                )
            };
            let again = cmdline::precheck(this, Some(to));
            with(detail, kubernetes_remedy(scope.kubectl, outside, &again))
        }
        Finding::KubernetesUnknown {
            range,
            unknown,
            inside,
        } => said(if scope.is_global() {
            format!(
                "Kubernetes version unknown for {}; {inside} inside {range}",
                names(unknown)
            )
        } else {
            format!("the Kubernetes version of cluster {cl} is unknown")
        }),
        Finding::NoClusterObject { cluster } => said(format!(
            "no clusters.platform.tkestack.io object for cluster {cluster}"
        )),
        Finding::MachinesRunning { count } => said(match count {
            0 => "no Machine objects".to_string(),
            1 => "the Machine is Running".to_string(),
            n => format!("all {n} Machines are Running"),
        }),
        Finding::MachinesNotRunning { total, not_running } => {
            let listed: Vec<String> = not_running
                .iter()
                .map(|m| format!("{} ({})", m.name, m.phase.as_deref().unwrap_or("no phase")))
                .collect();
            let mut remedy = step(
                NextStepKind::ResolveMachines,
                format!(
                    "resolve {} first; see why with",
                    if not_running.len() == 1 { "it" } else { "them" }
                ),
            );
            for m in not_running.iter().take(NAMES_SHOWN) {
                remedy = remedy.command(cmdline::describe_machine(k, &m.name));
            }
            with(
                format!(
                    "{} of {total} Machines not Running: {}",
                    not_running.len(),
                    names(&listed)
                ),
                remedy,
            )
        }
        Finding::PatchesExempt { count, to } => said(match count {
            0 => format!("no ResourcePatch applies to cluster {cl}"),
            1 => format!("the ResourcePatch is exempt for {to}"),
            n => format!("all {n} ResourcePatches are exempt for {to}"),
        }),
        Finding::PatchesNotExempt { names: list, to } => {
            with(
                format!(
                    "{} ResourcePatch{} not exempt for {to}: {} (review each, then exempt it)",
                    list.len(),
                    if list.len() == 1 { " is" } else { "es are" },
                    names(list)
                ),
                step(NextStepKind::ExemptResourcePatch, "").command(
                    cmdline::exempt_resource_patches(k, list.iter().map(String::as_str), to),
                ),
            )
        }
        Finding::NoGates { line } => said(format!(
            "no admin gate of cpaas-system/admin-gates applies to {line}"
        )),
        Finding::GatesAcknowledged { count } => said(format!("{count} admin gate(s) acknowledged")),
        Finding::GatesNotAcknowledged { keys, acks_exist } => {
            let keys_iter = keys.iter().map(String::as_str);
            let command = if *acks_exist {
                cmdline::acknowledge_admin_gates(k, keys_iter)
            } else {
                cmdline::create_admin_acks(k, keys_iter)
            };
            with(
                format!(
                    "not acknowledged: {}; do the manual checks each gate describes in cpaas-system/admin-gates, then acknowledge",
                    names(keys)
                ),
                step(NextStepKind::AcknowledgeAdminGate, "").command(command),
            )
        }
        Finding::NoneDisabled => said("no preflight check is disabled in cpaas-system/cvo-config"),
        Finding::ChecksDisabled { names: list } => with(
            format!(
                "the controller skips {} disabled in cpaas-system/cvo-config: {}; re-enable them after the upgrade",
                plural(list.len(), "preflight check", "preflight checks"),
                list.join(", ")
            ),
            step(NextStepKind::ReenableChecks, "").command(cmdline::reenable_preflight_checks(k)),
        ),
        Finding::ClusterReady => said(format!(
            "cluster {cl} is not upgrading elsewhere, not Stalled or Degraded, and its status is current"
        )),
        Finding::ClusterBusy { problems } => busy(cl, problems),
        Finding::StatusStale { generation } => with(
            format!(
                "the status of cluster {cl} is stale (generation {generation} not yet observed by the controller)"
            ),
            step(NextStepKind::StaleStatus, "").command(cmdline::status_watch(this)),
        ),
    }
}

fn path_text(from: &str, to: &str, path: &Path, this: ClusterFlag) -> Explained {
    match path {
        Path::Same => said(format!("already at {to}")),
        Path::NotVersions => said(format!(
            "{from} → {to}: not both are versions (MAJOR.MINOR.PATCH)"
        )),
        Path::Downgrade => with(
            format!("{to} is older than the current {from}: downgrades are not supported"),
            step(NextStepKind::UpgradePath, "see what the cluster is offered")
                .command(cmdline::upgrade(this)),
        ),
        Path::WithinLine { line } => said(format!("{from} → {to}: an update within {line}")),
        Path::Supported { from_line, to_line } => said(format!(
            "{from} → {to}: {from_line} → {to_line} is a supported path"
        )),
        Path::Unsupported {
            from_line,
            to_line,
            sources,
        } => with(
            format!(
                "{from_line} → {to_line} is not a supported path: {to_line} is reached from {} only",
                sources.join(", ")
            ),
            step(
                NextStepKind::UpgradePath,
                format!(
                    "upgrade to a {} release first; see what the cluster is offered",
                    sources.last().map(String::as_str).unwrap_or_default()
                ),
            )
            .command(cmdline::upgrade(this)),
        ),
        Path::NotStated { from_line, to_line } => said(format!(
            "{from_line} → {to_line}: the guide states the paths into 4.3 only; the controller's VersionUpgradePath check decides"
        )),
    }
}

/// The tier stands in the way: the move of the part that goes first (its own pre-checks), and
/// the version this cluster may take now instead, when that move passes.
fn tier_blocked(scope: &Scope, to: &str, block: &TierBlock, now: Option<&str>) -> Explained {
    let cl = scope.cluster;
    let g = scope.tier.primary();
    let standby = scope.tier.standby();
    let session = standby.map(|s| s.session.as_str()).unwrap_or("<standby>");
    let (detail, mut remedy) = match block {
        TierBlock::GlobalVersionUnknown => (
            format!(
                "the global cluster {g} reports no current version: the global-first rule cannot be checked"
            ),
            step(NextStepKind::Sequencing, "look at the global cluster")
                .command(cmdline::upgrade(ClusterFlag::joined(g))),
        ),
        TierBlock::GlobalNotReached { at } => (
            format!(
                "the global cluster {g} is at {at}; a workload cluster may only move to a version the global tier has reached"
            ),
            step(
                NextStepKind::Sequencing,
                format!("move the global cluster to {to} first; its pre-checks"),
            )
            .command(precheck_of(g, to, None)),
        ),
        TierBlock::StandbyNotReached { at } => {
            let at = at.as_deref().unwrap_or("<unknown>");
            let detail = if scope.is_global() {
                format!(
                    "the standby global (session {session}) is at {at}: upgrade the standby to {to} before the primary"
                )
            } else {
                format!(
                    "the standby global (session {session}) is at {at}; both globals must reach {to} before workload clusters"
                )
            };
            let command = match standby {
                Some(s) => precheck_of(&s.global_name, to, Some(&s.context)),
                None => precheck_of(g, to, None),
            };
            (
                detail,
                step(
                    NextStepKind::Sequencing,
                    format!("move the standby global to {to} first; its pre-checks"),
                )
                .command(command),
            )
        }
    };
    if let Some(now) = now {
        remedy = remedy.command(cmdline::upgrade_to(ClusterFlag::joined(cl), now));
        remedy.text.push_str(&format!(
            "; or move {cl} to {now} now (its pre-checks pass)"
        ));
    }
    with(detail, remedy)
}

/// `2 workload clusters are outside ACP 4.3's Kubernetes range 1.31–1.34: a (1.30.4), b
/// (1.35.0); version unknown: c`.
pub(crate) fn kubernetes_outside(
    range: &KubernetesRange,
    outside: &[KubeOutside],
    unknown: &[String],
) -> String {
    let listed: Vec<String> = outside
        .iter()
        .map(|o| format!("{} ({})", o.cluster, o.version))
        .collect();
    let unknown_note = if unknown.is_empty() {
        String::new()
    } else {
        format!("; version unknown: {}", names(unknown))
    };
    format!(
        "{} outside {}'s Kubernetes range {range}: {}{unknown_note}",
        plural(
            outside.len(),
            "workload cluster is",
            "workload clusters are"
        ),
        range.release_label(),
        names(&listed)
    )
}

/// What moves each cluster outside the range toward it, then the check again (`again`: the
/// pre-checks, or `verify`).
pub(crate) fn kubernetes_remedy(
    kubectl: Kubectl,
    outside: &[KubeOutside],
    again: &str,
) -> NextStep {
    let mut remedy = step(
        NextStepKind::KubernetesVersion,
        "bring each cluster into the range (Kubernetes moves one minor at a time), then check again",
    );
    for o in outside.iter().take(NAMES_SHOWN) {
        let flag = ClusterFlag::joined(&o.cluster);
        match &o.remedy {
            KubeRemedy::UpgradeKubernetes { to } => {
                remedy = remedy.command(cmdline::upgrade_kubernetes(
                    kubectl,
                    &o.cluster,
                    &to.to_string(),
                ))
            }
            KubeRemedy::UpgradeCluster { to, checked: true } => {
                remedy = remedy.command(cmdline::upgrade_to(flag, to))
            }
            KubeRemedy::UpgradeCluster { to, checked: false } => {
                remedy = remedy.command(cmdline::precheck(flag, Some(to)))
            }
            KubeRemedy::CheckCluster => remedy = remedy.command(cmdline::precheck(flag, None)),
            KubeRemedy::Above => {
                remedy.text.push_str(&format!(
                    "; {} runs a newer Kubernetes than the target's range (never downgraded): the target is not for it",
                    o.cluster
                ));
                remedy = remedy.command(cmdline::get_platform_cluster(kubectl, &o.cluster))
            }
        }
    }
    if outside.len() > NAMES_SHOWN {
        remedy.text.push_str(&format!(
            " ({} more clusters: see {})",
            outside.len() - NAMES_SHOWN,
            cmdline::status_all_clusters()
        ));
    }
    remedy.command(again)
}

fn busy(cl: &str, problems: &[StateProblem]) -> Explained {
    let this = ClusterFlag::joined(cl);
    let mut remedy: Option<NextStep> = None;
    let mut said_problems = Vec::new();
    for problem in problems {
        match problem {
            StateProblem::Upgrading { to } => {
                said_problems.push(format!(
                    "cluster {cl} is already upgrading to {}; a new request would redirect it",
                    to.label()
                ));
                remedy = Some(
                    step(NextStepKind::Watch, "wait for it").command(cmdline::status_watch(this)),
                );
            }
            StateProblem::PendingUnobserved { to, generation } => {
                said_problems.push(format!(
                    "a request for {} is pending: the controller has not observed it yet (generation {generation} not observed)",
                    to.label()
                ));
                remedy = Some(
                    step(NextStepKind::WithdrawRequest, "wait for it, or withdraw it")
                        .command(cmdline::status_watch(this))
                        .command(cmdline::clear(this)),
                );
            }
            StateProblem::Condition { condition, why } => said_problems.push(format!(
                "cluster {cl} is {condition}{}",
                why.as_deref().map(|w| format!(": {w}")).unwrap_or_default()
            )),
        }
    }
    let remedy = remedy.unwrap_or_else(|| {
        step(NextStepKind::ResolveCondition, "see why and fix it first")
            .command(cmdline::status(this))
    });
    with(said_problems.join("; "), remedy)
}

/// One line per item for a refusal or a warning: `check: detail (remedy)`.
pub fn line(item: &Item, scope: &Scope) -> String {
    let e = explain(item, scope);
    match e.remedy {
        Some(remedy) => format!("{}: {} ({})", item.check.name(), e.detail, remedy.line()),
        None => format!("{}: {}", item.check.name(), e.detail),
    }
}

/// The pre-checks of a judgement, as a read-only command says them: what to run to see them.
pub fn see_prechecks(judgement: &Judgement) -> String {
    cmdline::precheck(
        ClusterFlag::joined(&judgement.cluster),
        judgement.target_version(),
    )
}

/// The request that follows a judgement that passed.
pub fn request(cluster: &str, target: &Release) -> String {
    match (&target.version, &target.image) {
        (Some(v), _) => cmdline::upgrade_to(ClusterFlag::joined(cluster), v),
        (None, Some(image)) => cmdline::upgrade_to_image(ClusterFlag::joined(cluster), image),
        (None, None) => cmdline::upgrade(ClusterFlag::joined(cluster)),
    }
}
