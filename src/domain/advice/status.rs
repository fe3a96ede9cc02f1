//! The next steps of the status screen (`docs/status.md` §5 "Next steps"), most urgent first:
//! stale status, remedies for blocking checks, the failing operations or condition when
//! stalled, waiting on preflight, following a running upgrade, and the cluster's next move —
//! the request when its pre-checks pass (the guard would accept it), else its pre-checks —
//! or importing release metadata.

use crate::domain::advice::precheck::explain;
use crate::domain::advice::preflight::{self, Subject};
use crate::domain::advice::{NextStep, NextStepKind, Scope};
use crate::domain::assess::outcome::condition_text;
use crate::domain::assess::{self, Assessment, CheckState};
use crate::domain::cmdline::{self, ClusterFlag, Kubectl, safe};
use crate::domain::cvsh::Cvsh;
use crate::domain::facts::{Fact, Platform};
use crate::domain::precheck::NextMove;
use crate::domain::rules::tier::{Ahead, NextVersion};
use crate::output::text::{human_duration, plural, versions_arrow};

/// Failed operations named one by one before "N more operations failed".
const FAILED_OPERATIONS_NAMED: usize = 5;

/// The cluster's name as it goes into a command.
fn command_name(cvsh: &Cvsh) -> &str {
    safe(&cvsh.name, "<cluster>")
}

/// The version to put in commands: the target's version, else `<version>`.
fn target_version(cvsh: &Cvsh) -> String {
    assess::target(cvsh)
        .and_then(|target| target.version)
        .or_else(|| cvsh.desired.as_ref().and_then(|d| d.version.clone()))
        .unwrap_or_else(|| "<version>".into())
}

/// What to do next, most urgent first. `next` is the cluster's next move as its pre-checks
/// judged it.
pub fn next_steps(
    cvsh: &Cvsh,
    assessment: Assessment,
    scope: &Scope,
    platform: &Platform,
    next: &NextMove,
) -> Vec<NextStep> {
    let mut steps = cluster_steps(cvsh, assessment, scope, platform, next);
    steps.extend(ahead_step(cvsh, scope));
    steps.extend(reenable_step(platform, scope.kubectl));
    steps
}

/// Checks disabled in `cvo-config` are skipped by the controller until someone re-enables them.
fn reenable_step(platform: &Platform, kubectl: Kubectl) -> Option<NextStep> {
    let Fact::Read(disabled) = &platform.disabled_checks else {
        return None;
    };
    if disabled.is_empty() {
        return None;
    }
    Some(
        NextStep::new(
            NextStepKind::ReenableChecks,
            format!(
                "{} disabled in cpaas-system/cvo-config ({}): the controller skips {}. Re-enable {} once the reason is gone (after the upgrade at the latest):",
                plural(disabled.len(), "preflight check is", "preflight checks are"),
                disabled.join(", "),
                if disabled.len() == 1 { "it" } else { "them" },
                if disabled.len() == 1 { "it" } else { "them" },
            ),
        )
        .command(cmdline::reenable_preflight_checks(kubectl)),
    )
}

fn cluster_steps(
    cvsh: &Cvsh,
    assessment: Assessment,
    scope: &Scope,
    platform: &Platform,
    next: &NextMove,
) -> Vec<NextStep> {
    let name = command_name(cvsh);
    let mut steps = Vec::new();
    if cvsh.is_stale() {
        steps.push(stale_step(cvsh, name));
        if assessment == Assessment::Requested {
            return steps;
        }
    }
    let in_flight = assessment.in_flight() || assess::pending_target(cvsh).is_some();
    if in_flight && !assess::progress(cvsh).under_way() {
        let target_version = target_version(cvsh);
        let subject = Subject {
            cvsh,
            name,
            target_version: &target_version,
            scope,
            platform,
        };
        for check in assess::blocking_checks(cvsh) {
            steps.push(preflight::remedy(&subject, check));
        }
    }
    match assessment {
        Assessment::Stalled => steps.extend(stalled_steps(cvsh, name, scope.kubectl)),
        Assessment::PreflightRunning | Assessment::Requested => {
            if steps.iter().all(|s| s.kind != NextStepKind::StaleStatus) {
                steps.push(wait_step(cvsh, assessment, name));
            }
        }
        Assessment::Progressing | Assessment::ProgressingSlow => {
            steps.push(follow_step(cvsh, assessment, name));
        }
        Assessment::BlockedByPreflight => {}
        Assessment::Idle | Assessment::Completed => {
            if !cvsh.is_stale() {
                steps.extend(move_step(cvsh, scope, next));
            }
        }
    }
    steps
}

fn stale_step(cvsh: &Cvsh, name: &str) -> NextStep {
    NextStep::new(
        NextStepKind::StaleStatus,
        format!(
            "The status is stale: the controller has not observed generation {} yet (it last observed {}). It normally catches up within seconds; if it does not, check that the cluster version operator is running on the global cluster.",
            cvsh.generation
                .map(|g| g.to_string())
                .unwrap_or_else(|| "?".into()),
            cvsh.observed_generation
                .map(|g| g.to_string())
                .unwrap_or_else(|| "none".into())
        ),
    )
    .command(cmdline::status_watch(ClusterFlag::spaced(name)))
}

/// The failed operations (up to five), else the Stalled/Degraded condition.
fn stalled_steps(cvsh: &Cvsh, name: &str, kubectl: Kubectl) -> Vec<NextStep> {
    let failed = assess::failed_operations(cvsh);
    let mut steps: Vec<NextStep> = failed
        .iter()
        .take(FAILED_OPERATIONS_NAMED)
        .map(|(stage, operation)| {
            NextStep::new(
                NextStepKind::FailedOperation,
                format!(
                    "Operation {} ({} {}) in stage {} failed{}. Inspect it and the component it manages; the controller retries once the cause is fixed.",
                    operation.name,
                    operation.action.as_deref().unwrap_or("change"),
                    versions_arrow(
                        operation.current_version.as_deref(),
                        operation.target_version.as_deref()
                    ),
                    stage.name,
                    assess::classify::failure_phase(operation)
                        .map(|phase| format!(" (phase {phase})"))
                        .unwrap_or_default()
                ),
            )
            .command(cmdline::cvsh_operation(
                kubectl,
                name,
                &stage.name,
                &operation.name,
            ))
        })
        .collect();
    if failed.len() > FAILED_OPERATIONS_NAMED {
        steps.push(NextStep::new(
            NextStepKind::FailedOperation,
            format!(
                "{} more operations failed; see them with --verbose.",
                failed.len() - FAILED_OPERATIONS_NAMED
            ),
        ));
    }
    if failed.is_empty()
        && assess::blocking_checks(cvsh).is_empty()
        && let Some(condition) = assess::classify::trouble_conditions(cvsh).first()
    {
        steps.push(
            NextStep::new(
                NextStepKind::ResolveCondition,
                format!(
                    "The controller reports {}. Fix what it names; it resumes on its own.",
                    condition_text(condition)
                ),
            )
            .command(cmdline::cvsh_status_entry(
                kubectl,
                name,
                "conditions",
                "type",
                &condition.type_,
            )),
        );
    }
    steps
}

fn wait_step(cvsh: &Cvsh, assessment: Assessment, name: &str) -> NextStep {
    let retry: Vec<&str> = assess::classify::checks(cvsh)
        .iter()
        .filter(|check| assess::check_state(check) == CheckState::Retry)
        .map(|check| check.name.as_str())
        .collect();
    let text = if !retry.is_empty() {
        format!(
            "Preflight has no final result yet for {} ({}): the controller retries on its own. Wait, then look again.",
            plural(retry.len(), "check", "checks"),
            retry.join(", ")
        )
    } else if assessment == Assessment::PreflightRunning {
        "Preflight is running; results appear under Preflight. Wait, then look again.".to_string()
    } else {
        "The controller has not started on the request yet. Wait, then look again.".to_string()
    };
    NextStep::new(NextStepKind::WaitForPreflight, text)
        .command(cmdline::status_watch(ClusterFlag::spaced(name)))
}

fn follow_step(cvsh: &Cvsh, assessment: Assessment, name: &str) -> NextStep {
    if assessment == Assessment::ProgressingSlow {
        let last = assess::timing::baseline(cvsh)
            .map(|baseline| format!("; the last one took {}", human_duration(baseline.seconds)))
            .unwrap_or_default();
        NextStep::new(
            NextStepKind::Watch,
            format!(
                "This upgrade is running much longer than the last one{last}. Look for an operation of the running stage that does not move:"
            ),
        )
        .command(cmdline::status_verbose(ClusterFlag::spaced(name)))
    } else {
        NextStep::new(
            NextStepKind::Watch,
            "Nothing to do: the upgrade is progressing. Follow it:",
        )
        .command(cmdline::status_watch(ClusterFlag::spaced(name)))
    }
}

/// Idle or completed: the next move — the request when its pre-checks pass, else its
/// pre-checks — or, on the global cluster with nothing offered, importing release metadata.
fn move_step(cvsh: &Cvsh, scope: &Scope, next: &NextMove) -> Option<NextStep> {
    let flag = ClusterFlag::spaced(command_name(cvsh));
    let behind = match (&next.next, scope.tier.ceiling(), cvsh.current_version()) {
        (NextVersion::Offered(_), Some(ceiling), Some(current))
            if !scope.is_global() && scope.tier.behind(Some(current)) =>
        {
            Some(format!(
                "This cluster ({current}) is behind the global tier ({ceiling}); "
            ))
        }
        _ => None,
    };
    if let Some(target) = &next.target {
        let label = target.label();
        if let Some(judgement) = next.blocked() {
            let blocking: Vec<_> = judgement.blocking().collect();
            let first = blocking
                .first()
                .map(|item| format!(" ({}: {})", item.check.name(), explain(item, scope).detail))
                .unwrap_or_default();
            return Some(
                NextStep::new(
                    NextStepKind::CheckAgain,
                    format!(
                        "{}{label} is offered, but {} {} it{first}. Each with its remedy:",
                        behind.unwrap_or_default(),
                        plural(blocking.len(), "pre-check", "pre-checks"),
                        if blocking.len() == 1 {
                            "blocks"
                        } else {
                            "block"
                        },
                    ),
                )
                .command(cmdline::precheck(flag, target.version.as_deref())),
            );
        }
        let (kind, text) = match (behind, &target.version) {
            (Some(behind), _) => (
                NextStepKind::Sequencing,
                format!("{behind}it can move to {label}, and its pre-checks pass:"),
            ),
            (None, Some(_)) => (
                NextStepKind::RequestUpdate,
                format!("{label} is offered and its pre-checks pass. Request it:"),
            ),
            (None, None) => (
                NextStepKind::RequestUpdate,
                "An image-only update is offered and its pre-checks pass. Request it:".to_string(),
            ),
        };
        let command = match &target.version {
            Some(v) => cmdline::upgrade_to(flag, v),
            None => cmdline::upgrade_to_image(flag, target.image.as_deref().unwrap_or_default()),
        };
        return Some(NextStep::new(kind, text).command(command));
    }
    match &next.next {
        NextVersion::NothingOffered if scope.is_global() => Some(
            NextStep::new(
                NextStepKind::ImportManifest,
                "No updates are offered. To offer a new release, publish its metadata:",
            )
            .command(cmdline::import_manifest("<version>")),
        ),
        NextVersion::NotOfferedYet { ceiling } => Some(NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "This cluster ({}) is behind the global tier ({ceiling}), but no version up to {ceiling} is offered to it yet; the controller offers it once its release metadata is published.",
                cvsh.current_version().unwrap_or("<unknown>")
            ),
        )),
        _ => None,
    }
}

/// A workload cluster targeting a version beyond the global cluster's.
fn ahead_step(cvsh: &Cvsh, scope: &Scope) -> Option<NextStep> {
    if scope.is_global() {
        return None;
    }
    let global_version = scope.tier.primary_version()?;
    let pending = assess::pending_target(cvsh).and_then(|t| t.version);
    match scope.tier.ahead(None, pending.as_deref())? {
        Ahead::Targets(target) => Some(NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "The target {target} is ahead of the global cluster ({global_version}): a workload cluster may only move to a version global has reached. Upgrade global first, or request {global_version}."
            ),
        )),
        Ahead::At(_) => None,
    }
}
