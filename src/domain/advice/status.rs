//! The next steps of the status screen (`docs/status.md` §5 "Next steps"), most urgent first:
//! stale status, remedies for blocking checks, the failing operations or condition when
//! stalled, waiting on preflight, following a running upgrade, requesting or importing an
//! update, and the sequencing of a workload cluster against global.

use crate::domain::advice::commands::{self, ClusterFlag, Kubectl, shell_safe};
use crate::domain::advice::preflight::{self, Subject};
use crate::domain::advice::{NextStep, NextStepKind};
use crate::domain::assess::outcome::condition_text;
use crate::domain::assess::{self, Assessment, CheckState};
use crate::domain::cvsh::{Cvsh, Release};
use crate::domain::precheck::{Fact, Platform};
use crate::domain::sequencing::{self, Global, MoveTo};
use crate::domain::version;
use crate::output::text::{human_duration, plural, versions_arrow};

/// Failed operations named one by one before "N more operations failed".
const FAILED_OPERATIONS_NAMED: usize = 5;

/// The cluster's name as it goes into a command.
fn command_name(cvsh: &Cvsh) -> &str {
    if shell_safe(&cvsh.name) {
        &cvsh.name
    } else {
        "<cluster>"
    }
}

/// The version to put in commands: the target's version, else `<version>`.
fn target_version(cvsh: &Cvsh) -> String {
    assess::target(cvsh)
        .and_then(|target| target.version)
        .or_else(|| cvsh.desired.as_ref().and_then(|d| d.version.clone()))
        .unwrap_or_else(|| "<version>".into())
}

/// What to do next, most urgent first. A workload cluster's sequencing step (behind global, or
/// targeting past it) replaces the generic "request the latest" one.
pub fn next_steps(
    cvsh: &Cvsh,
    assessment: Assessment,
    global: Global,
    platform: &Platform,
) -> Vec<NextStep> {
    let mut steps = cluster_steps(cvsh, assessment, global, platform);
    if let Some(step) = sequencing_step(cvsh, global) {
        steps.retain(|known| known.kind != NextStepKind::RequestUpdate);
        steps.push(step);
    }
    steps.extend(reenable_step(platform, global.kubectl));
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
        .command(commands::reenable_preflight_checks(kubectl)),
    )
}

fn cluster_steps(
    cvsh: &Cvsh,
    assessment: Assessment,
    global: Global,
    platform: &Platform,
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
            global,
            platform,
        };
        for check in assess::blocking_checks(cvsh) {
            steps.push(preflight::remedy(&subject, check));
        }
    }
    match assessment {
        Assessment::Stalled => steps.extend(stalled_steps(cvsh, name, global.kubectl)),
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
                steps.extend(offer_step(cvsh, global));
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
    .command(commands::status_watch(ClusterFlag::spaced(name)))
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
            .command(commands::cvsh_operation(
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
            .command(commands::cvsh_status_entry(
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
        .command(commands::status_watch(ClusterFlag::spaced(name)))
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
        .command(commands::status_verbose(ClusterFlag::spaced(name)))
    } else {
        NextStep::new(
            NextStepKind::Watch,
            "Nothing to do: the upgrade is progressing. Follow it:",
        )
        .command(commands::status_watch(ClusterFlag::spaced(name)))
    }
}

/// Idle/completed: request what is offered, or (on global) import release metadata.
fn offer_step(cvsh: &Cvsh, global: Global) -> Option<NextStep> {
    let name = ClusterFlag::spaced(command_name(cvsh));
    let newer: Vec<Release> = version::sort_updates(&cvsh.available_updates)
        .into_iter()
        .filter(
            |offer| match (offer.version.as_deref(), cvsh.current_version()) {
                (Some(offered), Some(current)) => {
                    version::newer_than(offered, current).unwrap_or(true)
                }
                _ => true,
            },
        )
        .collect();
    if let Some(latest) = version::latest(&newer) {
        let latest = latest.version.unwrap_or_default();
        return Some(
            NextStep::new(
                NextStepKind::RequestUpdate,
                format!("{latest} is offered. Request it:"),
            )
            .command(commands::upgrade_to_latest(name)),
        );
    }
    if let Some(image) = newer.first() {
        return Some(
            NextStep::new(
                NextStepKind::RequestUpdate,
                "An image-only update is offered. Request it:",
            )
            .command(commands::upgrade_to_image(name, &image.label())),
        );
    }
    if cvsh.available_updates.is_empty() && global.is(&cvsh.name) {
        return Some(
            NextStep::new(
                NextStepKind::ImportManifest,
                "No updates are offered. To offer a new release, publish its metadata:",
            )
            .command(commands::import_manifest("<version>")),
        );
    }
    None
}

/// A workload cluster against the global cluster's version: behind it (and what it can move
/// to), or targeting past it. `None` for global itself, or when nothing is worth saying.
pub fn sequencing_step(cvsh: &Cvsh, global: Global) -> Option<NextStep> {
    let global_version = global.version?;
    if global.is(&cvsh.name) {
        return None;
    }
    let pending = assess::pending_target(cvsh);
    if let Some(target) = pending
        .as_ref()
        .and_then(|target| target.version.as_deref())
        && version::newer_than(target, global_version) == Some(true)
    {
        return Some(NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "The target {target} is ahead of the global cluster ({global_version}): a workload cluster may only move to a version global has reached. Upgrade global first, or request {global_version}."
            ),
        ));
    }
    if pending.is_some() {
        return None;
    }
    let current = cvsh.current_version()?;
    if !sequencing::behind(Some(current), Some(global_version)) {
        return None;
    }
    Some(match sequencing::move_to(cvsh, global_version) {
        MoveTo::Offered(to) => NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "This cluster ({current}) is behind the global cluster ({global_version}); it can move to {to}."
            ),
        )
        .command(commands::upgrade_to(
            ClusterFlag::spaced(command_name(cvsh)),
            &to,
        )),
        MoveTo::NotOffered => NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "This cluster ({current}) is behind the global cluster ({global_version}), but no version up to {global_version} is offered to it yet; the controller offers it once its release metadata is published."
            ),
        ),
    })
}
