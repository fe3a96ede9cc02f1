//! `ac adm upgrade verify` in words: the detail of every finding and what resolves it (commands
//! built by `cmdline`; a move of a cluster is its own pre-checks, never a request suggested
//! blind), when each post-upgrade step is due, and the verdict. The standby global's commands
//! go through its own session (`ac --context S/global …`, `kubectl --context S/global …`).

use crate::domain::advice::dr;
use crate::domain::advice::precheck::{
    Explained, NAMES_SHOWN, kubernetes_outside, kubernetes_remedy, names, said, with,
};
use crate::domain::advice::{NextStep, NextStepKind};
use crate::domain::cmdline::{self, ClusterFlag, Kubectl};
use crate::domain::rules::tier::GlobalTier;
use crate::domain::verify::{
    ClusterVerdict, ConditionSeen, Due, Finding, Item, Judgement, TargetFrom,
};
use crate::output::text::plural;

/// What advice needs besides the finding.
#[derive(Debug, Clone, Copy)]
pub struct VerifyScope<'a> {
    pub tier: &'a GlobalTier,
    /// How kubectl reaches the (primary) global cluster.
    pub kubectl: Kubectl<'a>,
}

/// How a row is named: `workload-a`, `global (DR standby, session prod-dr)`.
pub fn row_label(row: &ClusterVerdict) -> String {
    match &row.standby {
        Some(standby) => format!("{} (DR standby, session {})", row.cluster, standby.session),
        None => row.cluster.clone(),
    }
}

/// An `ac` command about the row's cluster: through the standby's own session for the standby.
fn ac_for(row: &ClusterVerdict, command: String) -> String {
    match &row.standby {
        Some(standby) => cmdline::in_context(&standby.context, &command),
        None => command,
    }
}

fn condition_text(c: &ConditionSeen) -> String {
    match &c.why {
        Some(why) => format!("{} is {}: {why}", c.condition, c.status),
        None => format!("{} is {}", c.condition, c.status),
    }
}

/// One item of a cluster's row.
pub fn explain_cluster(item: &Item, row: &ClusterVerdict, scope: &VerifyScope) -> Explained {
    let this = ClusterFlag::joined(&row.cluster);
    let see_why = || {
        NextStep::new(NextStepKind::ResolveCondition, "see why and what to do")
            .command(ac_for(row, cmdline::status(this)))
    };
    match &item.finding {
        Finding::AtTarget { version } => said(format!("at {version}")),
        Finding::NotAtTarget {
            at, beyond: true, ..
        } => {
            let to_it = ClusterFlag::joined(&row.cluster);
            with(
                format!("at {at}, beyond the version verified"),
                NextStep::new(
                    NextStepKind::CheckAgain,
                    format!("see the cluster, or verify the platform at {at}"),
                )
                .command(ac_for(row, cmdline::upgrade(to_it)))
                .command(cmdline::verify(None, Some(at))),
            )
        }
        Finding::NotAtTarget {
            at,
            to,
            requested: true,
            ..
        } => with(
            format!("at {at}, not yet at {to} (requested)"),
            NextStep::new(NextStepKind::Watch, "follow the upgrade")
                .command(ac_for(row, cmdline::status_watch(this))),
        ),
        Finding::NotAtTarget { at, to, .. } => with(
            format!("at {at}, behind {to}"),
            NextStep::new(
                NextStepKind::Sequencing,
                format!("move it to {to}; its pre-checks first"),
            )
            .command(ac_for(row, cmdline::precheck(this, Some(to)))),
        ),
        Finding::NoVersion { to, requested } => with(
            if *requested {
                format!("reports no current version (a request for {to} is there)")
            } else {
                "reports no current version".to_string()
            },
            see_why(),
        ),
        Finding::Ready => said("Ready"),
        Finding::NotReady { ready } => with(condition_text(ready), see_why()),
        Finding::NoReadyCondition => with("no Ready condition", see_why()),
        Finding::NoTrouble => said("not Stalled or Degraded"),
        Finding::Trouble { conditions } => with(
            conditions
                .iter()
                .map(condition_text)
                .collect::<Vec<_>>()
                .join("; "),
            see_why(),
        ),
        Finding::StatusCurrent {
            generation: Some(g),
        } => said(format!("status current (generation {g} observed)")),
        Finding::StatusCurrent { generation: None } => said("status current"),
        Finding::StatusStale {
            generation,
            observed,
        } => with(
            format!(
                "status stale: generation {generation} not observed by the controller (observedGeneration {})",
                observed
                    .map(|o| o.to_string())
                    .unwrap_or_else(|| "none".into())
            ),
            NextStep::new(
                NextStepKind::StaleStatus,
                "wait until the controller observes it",
            )
            .command(ac_for(row, cmdline::status_watch(this))),
        ),
        Finding::NoOtherRequest => said("no other request pending"),
        Finding::OtherRequest { request, to } => with(
            format!(
                "a request for {} is pending (spec.desiredUpdate), not {to}",
                request.label()
            ),
            NextStep::new(NextStepKind::WithdrawRequest, "follow it, or withdraw it")
                .command(ac_for(row, cmdline::status_watch(this)))
                .command(ac_for(row, cmdline::clear(this))),
        ),
        // A platform finding (an unreadable fact) on a row: said as the platform says it.
        _ => explain_platform(item, Some(scope)),
    }
}

/// How kubectl reaches the global whose `cvo-config` a finding is about.
fn kubectl_for<'a>(scope: Option<&VerifyScope<'a>>, standby: Option<&str>) -> Kubectl<'a> {
    match (scope, standby) {
        (Some(scope), Some(_)) => match scope.tier.standby() {
            Some(s) => Kubectl::through(Some(s.context.as_str())),
            None => scope.kubectl,
        },
        (Some(scope), None) => scope.kubectl,
        (None, _) => Kubectl::default(),
    }
}

fn on(standby: Option<&str>) -> String {
    match standby {
        Some(session) => format!(" of the standby global (session {session})"),
        None => String::new(),
    }
}

/// One platform item (`scope`: how commands reach the globals).
pub fn explain_platform<'a>(item: &Item, scope: Option<&VerifyScope<'a>>) -> Explained {
    let tier = scope.map(|s| s.tier);
    match &item.finding {
        Finding::Unreadable { why } => said(why.clone()),
        Finding::Target {
            version,
            from: TargetFrom::Flag,
        } => said(format!("{version} (--to)")),
        Finding::Target {
            version,
            from: TargetFrom::Tier,
        } => said(if tier.is_some_and(|t| t.standby().is_some()) {
            format!("{version}: the version both globals have reached (--to verifies another)")
        } else {
            format!("{version}: the global cluster's version (--to verifies another)")
        }),
        Finding::TargetUnknown => with(
            "the global cluster reports no current version: name the version to verify with --to",
            NextStep::new(NextStepKind::Sequencing, "see the global cluster").command(
                cmdline::upgrade(ClusterFlag::joined(
                    tier.map(GlobalTier::primary).unwrap_or("global"),
                )),
            ),
        ),
        Finding::NoneDisabled { standby } => said(format!(
            "cpaas-system/cvo-config{} disables no preflight check",
            on(standby.as_deref())
        )),
        Finding::ChecksDisabled {
            names: list,
            standby,
        } => with(
            format!(
                "cpaas-system/cvo-config{} still disables {}: {}; the controller skips {} on every upgrade",
                on(standby.as_deref()),
                plural(list.len(), "preflight check", "preflight checks"),
                names(list),
                if list.len() == 1 { "it" } else { "them" }
            ),
            NextStep::new(
                NextStepKind::ReenableChecks,
                if list.len() == 1 {
                    "re-enable it"
                } else {
                    "re-enable them"
                },
            )
            .command(cmdline::reenable_preflight_checks(kubectl_for(
                scope,
                standby.as_deref(),
            ))),
        ),
        Finding::GlobalVersionUnknown => {
            said("the global cluster reports no current version: its Kubernetes range is unknown")
        }
        Finding::NoKubernetesRange { release } => said(format!(
            "no compatible Kubernetes range is known for ACP {release} (known: 4.0 to 4.3): not judged"
        )),
        Finding::NoWorkloadCluster => said("no workload cluster"),
        Finding::KubernetesInside { range, count } => said(match count {
            1 => format!(
                "the workload cluster runs Kubernetes inside {}'s range {range}",
                range.release_label()
            ),
            2 => format!(
                "both workload clusters run Kubernetes inside {}'s range {range}",
                range.release_label()
            ),
            n => format!(
                "all {n} workload clusters run Kubernetes inside {}'s range {range}",
                range.release_label()
            ),
        }),
        Finding::KubernetesOutside {
            range,
            outside,
            unknown,
        } => with(
            kubernetes_outside(range, outside, unknown),
            kubernetes_remedy(
                kubectl_for(scope, None),
                outside,
                &cmdline::verify(None, None),
            ),
        ),
        Finding::KubernetesUnknown {
            range,
            unknown,
            inside,
        } => {
            let kubectl = kubectl_for(scope, None);
            let mut remedy = NextStep::new(
                NextStepKind::KubernetesVersion,
                "see their Cluster objects (status.version)",
            );
            for name in unknown.iter().take(NAMES_SHOWN) {
                remedy = remedy.command(cmdline::get_platform_cluster(kubectl, name));
            }
            with(
                format!(
                    "Kubernetes version unknown for {}; {inside} inside {range}",
                    names(unknown)
                ),
                remedy,
            )
        }
        Finding::StandbyFirst { primary, standby } => {
            said(match tier.and_then(GlobalTier::standby) {
                Some(s) => format!(
                    "the standby global (session {}) is at {standby}, the primary at {primary}: the standby went first",
                    s.session
                ),
                None => format!("the standby global is at {standby}, the primary at {primary}"),
            })
        }
        Finding::DrOrderViolated { primary, standby } => match tier.and_then(GlobalTier::standby) {
            Some(s) => {
                let (text, command) = dr::catch_up(primary, s);
                with(
                    dr::violation_quoted(primary, standby, s),
                    NextStep::new(NextStepKind::Sequencing, text).command(command),
                )
            }
            None => said(format!(
                "DR order violated: the primary global is at {primary}, ahead of the standby at {standby}"
            )),
        },
        Finding::DrVersionUnknown { primary, standby } => said(format!(
            "the order of the globals cannot be judged: the primary reports {}, the standby {}",
            primary.as_deref().unwrap_or("no version"),
            standby.as_deref().unwrap_or("no version")
        )),
        Finding::StandbyUnreadable { session, why } => said(format!(
            "the standby global (session {session}) could not be read: {why}"
        )),
        // Cluster findings do not occur on the platform.
        _ => said(String::new()),
    }
}

/// When a post-upgrade step is due, in words.
pub fn due(due: &Due, to: &str) -> String {
    match due {
        Due::Now => "now".into(),
        Due::AfterGlobal => format!("after the global cluster reaches {to}"),
        Due::AfterBothGlobals => format!("after both globals reach {to}"),
        Due::AfterEveryCluster { left } => {
            format!("after every cluster reaches {to} ({} not yet)", left)
        }
        Due::NotJudged => format!(
            "after every cluster reaches {to} (not judged for a single cluster: {})",
            cmdline::verify(None, Some(to))
        ),
    }
}

/// What the post-upgrade list is: the steps of `release`, or that the guide gives none for it.
pub fn post_upgrade_heading(release: &str, known: &[&str], any: bool) -> String {
    if any {
        format!(
            "Post-upgrade steps of ACP {release} (the guide's; done by hand, ac cannot check them):"
        )
    } else {
        format!(
            "The guide gives no post-upgrade steps for ACP {release} (it gives them for {}).",
            known.join(", ")
        )
    }
}

/// The cluster `--cluster` named (not its DR standby's row).
fn selected(judgement: &Judgement) -> Option<&ClusterVerdict> {
    judgement.clusters.iter().find(|row| row.standby.is_none())
}

/// The first line: what is verified, on how many clusters.
pub fn heading(judgement: &Judgement) -> String {
    let clusters = judgement.clusters.len();
    let on = if judgement.all {
        plural(clusters, "cluster", "clusters")
    } else {
        let name = selected(judgement)
            .map(|r| r.cluster.as_str())
            .unwrap_or("?");
        if clusters > 1 {
            format!("cluster {name} and its DR standby")
        } else {
            format!("cluster {name}")
        }
    };
    match &judgement.target {
        Some(to) => format!("Verify ACP {to} on {on}"),
        None => format!("Verify {on}: no version to verify"),
    }
}

/// The verdict: what was verified, or how much is open and what to run after resolving it.
pub fn verdict(judgement: &Judgement) -> (String, Option<String>) {
    let open: Vec<&Item> = judgement.open_items().collect();
    let to = judgement.target.as_deref().unwrap_or("<version>");
    if open.is_empty() {
        let what = if judgement.all {
            format!("ACP {to} on every cluster")
        } else {
            format!("ACP {to} on this cluster")
        };
        let checks = judgement
            .clusters
            .iter()
            .map(|c| c.items.len())
            .sum::<usize>()
            + judgement.platform.len();
        let steps = if judgement.post_upgrade.steps.is_empty() {
            String::new()
        } else {
            "; the guide's post-upgrade steps above are done by hand".to_string()
        };
        return (
            format!("Verified: {what}, all {checks} checks passed{steps}"),
            None,
        );
    }
    let clusters = judgement
        .clusters
        .iter()
        .filter(|c| c.verdict().is_open())
        .count();
    let platform = judgement
        .platform
        .iter()
        .filter(|i| i.verdict.is_open())
        .count();
    let mut parts = Vec::new();
    if clusters > 0 {
        parts.push(plural(clusters, "cluster", "clusters"));
    }
    if platform > 0 {
        parts.push(plural(platform, "platform check", "platform checks"));
    }
    (
        format!(
            "Not verified: {} open ({}); resolve {}, then verify again",
            plural(open.len(), "item", "items"),
            parts.join(", "),
            if open.len() == 1 { "it" } else { "them" }
        ),
        Some(cmdline::verify(
            (!judgement.all)
                .then(|| selected(judgement))
                .flatten()
                .map(|row| ClusterFlag::joined(&row.cluster)),
            judgement
                .target
                .as_deref()
                .filter(|_| judgement.target_from == TargetFrom::Flag),
        )),
    )
}

/// The `error:` line of exit 3.
pub fn refusal(judgement: &Judgement) -> String {
    let open = judgement.open_items().count();
    match &judgement.target {
        Some(to) => format!(
            "not verified at {to}: {} open",
            plural(open, "item", "items")
        ),
        None => format!("not verified: {} open", plural(open, "item", "items")),
    }
}
