//! The conditions the controller owns (`Ready`, `Reconciling`, `Stalled`, `PreflightReady`),
//! per phase of a run, and how they are written into `status.conditions`.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::plan;
use super::preflight::State;
use super::run::{Phase, Run, Target};
use crate::clock::{Timeline, rfc3339};

/// One condition as the controller means it; `since` (simulated) becomes
/// `lastTransitionTime` (written through the timeline) when the status changes.
pub(super) struct Condition {
    kind: &'static str,
    status: &'static str,
    reason: String,
    message: String,
    since: Timestamp,
}

fn condition(
    kind: &'static str,
    status: &'static str,
    reason: &str,
    message: String,
    since: Timestamp,
) -> Condition {
    Condition {
        kind,
        status,
        reason: reason.to_string(),
        message,
        since,
    }
}

fn not_stalled(since: Timestamp) -> Condition {
    condition(
        "Stalled",
        "False",
        "AsExpected",
        "No upgrade is blocked".into(),
        since,
    )
}

/// `PreflightReady=True` once preflight passed, or was forced past the `skipped` failures.
fn preflight_passed(target: &str, skipped: &[String], since: Timestamp) -> Condition {
    if skipped.is_empty() {
        condition(
            "PreflightReady",
            "True",
            "ChecksPassed",
            format!("All preflight checks passed for {target}"),
            since,
        )
    } else {
        condition(
            "PreflightReady",
            "True",
            "Forced",
            format!(
                "Failed preflight checks skipped because force is set: {}",
                skipped.join(", ")
            ),
            since,
        )
    }
}

/// `Degraded=True` (the `degrade` cluster fault) once a run's stages started, at `since`.
pub(super) fn degraded(cluster: &str, run: &Run) -> Option<Condition> {
    let since = run.passed_at?;
    matches!(run.phase, Phase::Upgrading | Phase::Completed { .. }).then(|| {
        condition(
            "Degraded",
            "True",
            "ModuleDegraded",
            format!(
                "Module monitoring of {cluster} is degraded since the upgrade to {} started (injected fault: degrade)",
                run.target.label()
            ),
            since,
        )
    })
}

/// Upsert conditions, keeping `lastTransitionTime` while a condition's status is unchanged
/// and every condition type the controller does not own.
pub(super) fn set_conditions(status: &mut Value, owned: Vec<Condition>, timeline: &Timeline) {
    let old: Vec<Value> = status
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let kind_of = |written: &Value| {
        written
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let mut out: Vec<Value> = Vec::new();
    for wanted in &owned {
        let previous = old.iter().find(|written| kind_of(written) == wanted.kind);
        let since = match previous {
            Some(previous)
                if previous.get("status").and_then(Value::as_str) == Some(wanted.status) =>
            {
                previous
                    .get("lastTransitionTime")
                    .cloned()
                    .unwrap_or_else(|| rfc3339(timeline.wall(wanted.since)).into())
            }
            _ => rfc3339(timeline.wall(wanted.since)).into(),
        };
        out.push(
            json!({"type": wanted.kind, "status": wanted.status, "reason": wanted.reason,
            "message": wanted.message, "lastTransitionTime": since}),
        );
    }
    for written in old {
        let kind = kind_of(&written);
        if !owned.iter().any(|wanted| wanted.kind == kind) {
            out.push(written);
        }
    }
    status["conditions"] = Value::Array(out);
}

/// No run, or the last one completed.
pub(super) fn idle(
    status: &Value,
    now: Timestamp,
    completed: Option<(&Target, Timestamp)>,
    timeline: &Timeline,
) -> Vec<Condition> {
    let current = status
        .pointer("/current/version")
        .or_else(|| status.pointer("/current/image"))
        .and_then(Value::as_str)
        .unwrap_or("an unknown version");
    let since = completed.map_or(now, |(_, at)| at);
    let (reason, message) = match completed {
        Some((target, at)) => (
            "Completed",
            format!(
                "The upgrade to {} completed at {}",
                target.label(),
                rfc3339(timeline.wall(at))
            ),
        ),
        None => ("Idle", "No upgrade in progress".to_string()),
    };
    vec![
        condition(
            "Ready",
            "True",
            "UpToDate",
            format!("Cluster is running {current}"),
            since,
        ),
        condition("Reconciling", "False", reason, message, since),
        not_stalled(since),
    ]
}

/// A run in any phase.
pub(super) fn of_run(
    status: &Value,
    run: &Run,
    now: Timestamp,
    timeline: &Timeline,
) -> Vec<Condition> {
    let target = run.target.label();
    match &run.phase {
        Phase::Waiting {
            reason,
            message,
            since,
        } => vec![
            condition("Ready", "False", reason, message.clone(), *since),
            condition(
                "Reconciling",
                "False",
                reason,
                format!("Waiting before the upgrade to {target} can start"),
                *since,
            ),
            condition("Stalled", "True", reason, message.clone(), *since),
            condition(
                "PreflightReady",
                "Unknown",
                "NotStarted",
                format!("Preflight for {target} has not started"),
                *since,
            ),
        ],
        Phase::Preflight => preflight_running(&target, run, now),
        Phase::Blocked { since, .. } => blocked(&target, run, *since),
        Phase::Upgrading => upgrading(&target, run, now),
        Phase::Completed { at } => {
            let mut conditions = idle(status, now, Some((&run.target, *at)), timeline);
            let passed_at = run.passed_at.unwrap_or(*at);
            conditions.push(preflight_passed(&target, &run.skipped, passed_at));
            conditions
        }
    }
}

fn preflight_running(target: &str, run: &Run, now: Timestamp) -> Vec<Condition> {
    let start = run.preflight_start.unwrap_or(now);
    let done = run
        .checks
        .iter()
        .filter(|check| check.outcome.state != State::Retry)
        .count();
    let total = run.checks.len();
    vec![
        condition(
            "Ready",
            "False",
            "Preflight",
            format!("Running preflight checks for {target}"),
            start,
        ),
        condition(
            "Reconciling",
            "True",
            "Preflight",
            format!("Running preflight checks for {target}: {done} of {total} done"),
            start,
        ),
        not_stalled(start),
        condition(
            "PreflightReady",
            "Unknown",
            "Running",
            format!("Preflight checks for {target} are running ({done} of {total} done)"),
            start,
        ),
    ]
}

fn blocked(target: &str, run: &Run, since: Timestamp) -> Vec<Condition> {
    let blocking: Vec<_> = run
        .checks
        .iter()
        .filter(|check| check.outcome.blocking())
        .collect();
    let names: Vec<&str> = blocking.iter().map(|check| check.name).collect();
    let details: Vec<String> = blocking
        .iter()
        .map(|check| {
            let outcome = &check.outcome;
            format!("{} ({}: {})", check.name, outcome.reason, outcome.message)
        })
        .collect();
    vec![
        condition(
            "Ready",
            "False",
            "PreflightFailed",
            format!("Preflight checks failed for {target}: {}", names.join(", ")),
            since,
        ),
        condition(
            "Reconciling",
            "False",
            "PreflightFailed",
            format!("The upgrade to {target} waits for failed preflight checks"),
            since,
        ),
        condition(
            "Stalled",
            "True",
            "PreflightFailed",
            format!(
                "{} preflight check(s) failed for {target}: {}",
                details.len(),
                details.join("; ")
            ),
            since,
        ),
        condition(
            "PreflightReady",
            "False",
            "ChecksFailed",
            format!(
                "{} of {} checks failed: {}",
                names.len(),
                run.checks.len(),
                names.join(", ")
            ),
            since,
        ),
    ]
}

fn upgrading(target: &str, run: &Run, now: Timestamp) -> Vec<Condition> {
    let passed_at = run
        .passed_at
        .unwrap_or_else(|| run.preflight_start.unwrap_or(now));
    let preflight = preflight_passed(target, &run.skipped, passed_at);
    if let Some((stage, operation, message)) = plan::failed_at(&run.schedule, now) {
        let since = run
            .schedule
            .iter()
            .flatten()
            .filter_map(|times| times.fail_at.filter(|failed| *failed <= now))
            .max()
            .unwrap_or(now);
        return vec![
            condition(
                "Ready",
                "False",
                "OperationFailed",
                format!("The upgrade to {target} is stalled: operation {stage}/{operation} failed"),
                since,
            ),
            condition(
                "Reconciling",
                "False",
                "OperationFailed",
                format!(
                    "Operation {stage}/{operation} failed; the upgrade to {target} cannot continue"
                ),
                since,
            ),
            condition(
                "Stalled",
                "True",
                "OperationFailed",
                format!("Operation {stage}/{operation} failed: {message}"),
                since,
            ),
            preflight,
        ];
    }
    let (running, operations_done, operations) = plan::progress(&run.schedule, now);
    let stage = running.map_or("-", |index| plan::PLAN[index].name);
    let stage_number = running.map_or(0, |index| index + 1);
    vec![
        condition(
            "Ready",
            "False",
            "Upgrading",
            format!(
                "Upgrading to {target}: stage {stage} ({stage_number} of {})",
                plan::PLAN.len()
            ),
            passed_at,
        ),
        condition(
            "Reconciling",
            "True",
            "Upgrading",
            format!("Upgrading to {target}: {operations_done} of {operations} operations done"),
            passed_at,
        ),
        not_stalled(passed_at),
        preflight,
    ]
}
