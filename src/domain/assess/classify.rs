//! Classification of what a ClusterVersionShadow reports: operation and stage phases, the
//! order stages run in, preflight check states and policies, what is requested and what runs.
//! Rules in `docs/status.md` §1–§3.

use std::cmp::Ordering;

use serde::Serialize;

use crate::domain::cvsh::{
    Condition, Cvsh, HistoryEntry, Operation, PreflightCheck, Release, Stage,
};

// ---------------------------------------------------------------------------------------------
// Phases and stages

/// How a free-text phase (operations and stages) reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum PhaseClass {
    /// `Succeeded`, `Finished`, `Completed`, `Complete`, `Skipped`, `Done`.
    Done,
    /// Anything containing `fail`, or `Error`.
    Failed,
    /// `Running`, `InProgress`, `Progressing`, or any word ending in `ing` (`Upgrading`).
    Running,
    /// Missing, or containing `pending`, `waiting`, `queued`.
    Pending,
    /// Anything else.
    Other,
}

/// Classify a phase. Case-insensitive; see [`PhaseClass`].
pub fn phase_class(phase: Option<&str>) -> PhaseClass {
    let Some(phase) = phase else {
        return PhaseClass::Pending;
    };
    let word = phase.trim().to_ascii_lowercase();
    if word.is_empty() {
        return PhaseClass::Pending;
    }
    if matches!(
        word.as_str(),
        "succeeded" | "success" | "finished" | "completed" | "complete" | "skipped" | "done"
    ) {
        PhaseClass::Done
    } else if word.contains("fail") || word == "error" || word.ends_with("error") {
        PhaseClass::Failed
    } else if word.contains("pending") || word.contains("waiting") || word.contains("queued") {
        PhaseClass::Pending
    } else if word == "running" || word == "inprogress" || word.ends_with("ing") {
        PhaseClass::Running
    } else {
        PhaseClass::Other
    }
}

/// A stage is done when its phase is `Finished` (or another done word).
pub fn stage_done(s: &Stage) -> bool {
    phase_class(s.phase.as_deref()) == PhaseClass::Done
}

pub fn op_done(o: &Operation) -> bool {
    phase_class(o.phase.as_deref()) == PhaseClass::Done
}

pub fn op_failed(o: &Operation) -> bool {
    phase_class(o.phase.as_deref()) == PhaseClass::Failed
}

pub fn op_running(o: &Operation) -> bool {
    phase_class(o.phase.as_deref()) == PhaseClass::Running
}

/// Stages in the order they run: ascending priority, stages without one last, ties in server
/// order.
pub fn stages_in_order(cvsh: &Cvsh) -> Vec<&Stage> {
    let mut v: Vec<&Stage> = cvsh.stages.iter().collect();
    v.sort_by(|a, b| match (a.priority, b.priority) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    });
    v
}

// ---------------------------------------------------------------------------------------------
// Preflight checks

/// State of a preflight check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum CheckState {
    Passed,
    Retry,
    Failed,
    /// `Skipped`, `Disabled`, `Ignored`, `NotApplicable`: not evaluated on purpose (e.g.
    /// disabled in `cvo-config`); neither blocks nor waits.
    Skipped,
    /// Missing or unknown state: no final result.
    Unknown,
}

pub fn check_state(check: &PreflightCheck) -> CheckState {
    match check.state.as_deref().map(str::trim) {
        Some(state)
            if state.eq_ignore_ascii_case("passed") || state.eq_ignore_ascii_case("pass") =>
        {
            CheckState::Passed
        }
        Some(state) if state.eq_ignore_ascii_case("retry") => CheckState::Retry,
        Some(state)
            if state.eq_ignore_ascii_case("failed") || state.eq_ignore_ascii_case("fail") =>
        {
            CheckState::Failed
        }
        Some(state)
            if ["skipped", "disabled", "ignored", "notapplicable"]
                .iter()
                .any(|word| state.eq_ignore_ascii_case(word)) =>
        {
            CheckState::Skipped
        }
        _ => CheckState::Unknown,
    }
}

/// Policies that make a `Failed` check advisory rather than blocking (case-insensitive).
pub const NON_BLOCKING_POLICIES: &[&str] = &[
    "Warn",
    "Warning",
    "Ignore",
    "Ignored",
    "Skip",
    "Disabled",
    "Info",
    "Informational",
    "Audit",
];

/// A check blocks when its state is `Failed` and its policy is missing or not one of
/// [`NON_BLOCKING_POLICIES`] (`Block`, `Required`, `Enforce` and unknown words block). The
/// request's `force` is handled by the callers.
pub fn check_blocks(check: &PreflightCheck) -> bool {
    check_state(check) == CheckState::Failed
        && !check.policy.as_deref().is_some_and(|policy| {
            NON_BLOCKING_POLICIES
                .iter()
                .any(|advisory| advisory.eq_ignore_ascii_case(policy.trim()))
        })
}

/// The preflight checks reported (none when preflight has not run).
pub fn checks(cvsh: &Cvsh) -> &[PreflightCheck] {
    cvsh.preflight
        .as_ref()
        .map(|p| p.checks.as_slice())
        .unwrap_or(&[])
}

/// `spec.desiredUpdate.force: true`: the controller skips its safety checks.
pub fn forced(cvsh: &Cvsh) -> bool {
    cvsh.desired_update
        .as_ref()
        .and_then(|d| d.force)
        .unwrap_or(false)
}

/// Checks that block the upgrade now (empty when the request is forced).
pub fn blocking_checks(cvsh: &Cvsh) -> Vec<&PreflightCheck> {
    if forced(cvsh) {
        return Vec::new();
    }
    checks(cvsh).iter().filter(|k| check_blocks(k)).collect()
}

/// Counts of preflight check states.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct CheckCounts {
    pub total: usize,
    pub passed: usize,
    pub retry: usize,
    pub failed: usize,
    /// Failed checks that block (policy-aware, 0 when forced).
    pub blocking: usize,
    pub skipped: usize,
    /// Missing or unrecognized state: no final result yet.
    pub unknown: usize,
}

pub fn check_counts(cvsh: &Cvsh) -> CheckCounts {
    let force = forced(cvsh);
    let mut counts = CheckCounts::default();
    for check in checks(cvsh) {
        counts.total += 1;
        match check_state(check) {
            CheckState::Passed => counts.passed += 1,
            CheckState::Retry => counts.retry += 1,
            CheckState::Failed => {
                counts.failed += 1;
                if !force && check_blocks(check) {
                    counts.blocking += 1;
                }
            }
            CheckState::Skipped => counts.skipped += 1,
            CheckState::Unknown => counts.unknown += 1,
        }
    }
    counts
}

// ---------------------------------------------------------------------------------------------
// What is requested and what runs

/// The release the cluster is being moved to: the request, else `status.desired` when it
/// differs from `status.current`.
pub fn target(cvsh: &Cvsh) -> Option<Release> {
    if let Some(requested) = cvsh.requested() {
        return Some(requested);
    }
    match (&cvsh.desired, &cvsh.current) {
        (Some(desired), Some(current)) if !desired.same_as(current) => Some(desired.clone()),
        (Some(desired), None) => Some(desired.clone()),
        _ => None,
    }
}

/// A target that is not the current release.
pub fn pending_target(cvsh: &Cvsh) -> Option<Release> {
    let moving_to = target(cvsh)?;
    match &cvsh.current {
        Some(current) if current.same_as(&moving_to) => None,
        _ => Some(moving_to),
    }
}

/// The newest history entry without `completionTime` (the running update).
pub fn running_entry(cvsh: &Cvsh) -> Option<&HistoryEntry> {
    cvsh.history.iter().find(|h| h.completion_time.is_none())
}

/// The request, when it names another release than the current one.
pub fn pending_request(cvsh: &Cvsh) -> Option<Release> {
    let requested = cvsh.requested()?;
    match &cvsh.current {
        Some(current) if current.same_as(&requested) => None,
        _ => Some(requested),
    }
}

/// The release the controller is applying now, if it is busy: `status.desired` (else the
/// running entry) while `Reconciling=True`, otherwise a running history entry for another
/// release than the current one.
pub fn in_progress_towards(cvsh: &Cvsh) -> Option<Release> {
    let running = cvsh
        .history
        .first()
        .filter(|h| h.completion_time.is_none() && h.state.as_deref() != Some("Completed"))
        .map(HistoryEntry::release);
    if cvsh.condition_true("Reconciling") {
        return cvsh.desired.clone().or(running);
    }
    running
        .filter(|r| r.version.is_some() || r.image.is_some())
        .filter(|r| {
            cvsh.current
                .as_ref()
                .is_none_or(|current| !current.same_as(r))
        })
}

/// A failed operation's phase when it says more than `Failed` (`UpgradeFailed`, `Error`).
pub fn failure_phase(operation: &Operation) -> Option<&str> {
    operation
        .phase
        .as_deref()
        .filter(|phase| !phase.eq_ignore_ascii_case("failed"))
}

/// Every failed operation with its stage, in server order.
pub fn failed_operations(cvsh: &Cvsh) -> Vec<(&Stage, &Operation)> {
    cvsh.stages
        .iter()
        .flat_map(|s| s.operations.iter().map(move |o| (s, o)))
        .filter(|(_, o)| op_failed(o))
        .collect()
}

/// Condition types that, when `True`, mean the controller needs help; in the order they are
/// reported.
pub const TROUBLE_CONDITIONS: [&str; 2] = ["Stalled", "Degraded"];

/// `Stalled=True`, then `Degraded=True`, when present.
pub fn trouble_conditions(cvsh: &Cvsh) -> Vec<&Condition> {
    TROUBLE_CONDITIONS
        .iter()
        .filter_map(|kind| cvsh.condition(kind).filter(|condition| condition.is_true()))
        .collect()
}
