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
    let Some(p) = phase else {
        return PhaseClass::Pending;
    };
    let p = p.trim().to_ascii_lowercase();
    if p.is_empty() {
        return PhaseClass::Pending;
    }
    if matches!(
        p.as_str(),
        "succeeded" | "success" | "finished" | "completed" | "complete" | "skipped" | "done"
    ) {
        PhaseClass::Done
    } else if p.contains("fail") || p == "error" || p.ends_with("error") {
        PhaseClass::Failed
    } else if p.contains("pending") || p.contains("waiting") || p.contains("queued") {
        PhaseClass::Pending
    } else if p == "running" || p == "inprogress" || p.ends_with("ing") {
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
pub fn stages_in_order(c: &Cvsh) -> Vec<&Stage> {
    let mut v: Vec<&Stage> = c.stages.iter().collect();
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

pub fn check_state(c: &PreflightCheck) -> CheckState {
    match c.state.as_deref().map(str::trim) {
        Some(s) if s.eq_ignore_ascii_case("passed") || s.eq_ignore_ascii_case("pass") => {
            CheckState::Passed
        }
        Some(s) if s.eq_ignore_ascii_case("retry") => CheckState::Retry,
        Some(s) if s.eq_ignore_ascii_case("failed") || s.eq_ignore_ascii_case("fail") => {
            CheckState::Failed
        }
        Some(s)
            if ["skipped", "disabled", "ignored", "notapplicable"]
                .iter()
                .any(|k| s.eq_ignore_ascii_case(k)) =>
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
pub fn check_blocks(c: &PreflightCheck) -> bool {
    check_state(c) == CheckState::Failed
        && !c.policy.as_deref().is_some_and(|p| {
            NON_BLOCKING_POLICIES
                .iter()
                .any(|n| n.eq_ignore_ascii_case(p.trim()))
        })
}

/// The preflight checks reported (none when preflight has not run).
pub fn checks(c: &Cvsh) -> &[PreflightCheck] {
    c.preflight
        .as_ref()
        .map(|p| p.checks.as_slice())
        .unwrap_or(&[])
}

/// `spec.desiredUpdate.force: true`: the controller skips its safety checks.
pub fn forced(c: &Cvsh) -> bool {
    c.desired_update
        .as_ref()
        .and_then(|d| d.force)
        .unwrap_or(false)
}

/// Checks that block the upgrade now (empty when the request is forced).
pub fn blocking_checks(c: &Cvsh) -> Vec<&PreflightCheck> {
    if forced(c) {
        return Vec::new();
    }
    checks(c).iter().filter(|k| check_blocks(k)).collect()
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

pub fn check_counts(c: &Cvsh) -> CheckCounts {
    let force = forced(c);
    let mut n = CheckCounts::default();
    for k in checks(c) {
        n.total += 1;
        match check_state(k) {
            CheckState::Passed => n.passed += 1,
            CheckState::Retry => n.retry += 1,
            CheckState::Failed => {
                n.failed += 1;
                if !force && check_blocks(k) {
                    n.blocking += 1;
                }
            }
            CheckState::Skipped => n.skipped += 1,
            CheckState::Unknown => n.unknown += 1,
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// What is requested and what runs

/// The release the cluster is being moved to: the request, else `status.desired` when it
/// differs from `status.current`.
pub fn target(c: &Cvsh) -> Option<Release> {
    if let Some(r) = c.requested() {
        return Some(r);
    }
    match (&c.desired, &c.current) {
        (Some(d), Some(cur)) if !d.same_as(cur) => Some(d.clone()),
        (Some(d), None) => Some(d.clone()),
        _ => None,
    }
}

/// A target that is not the current release.
pub fn pending_target(c: &Cvsh) -> Option<Release> {
    let t = target(c)?;
    match &c.current {
        Some(cur) if cur.same_as(&t) => None,
        _ => Some(t),
    }
}

/// The newest history entry without `completionTime` (the running update).
pub fn running_entry(c: &Cvsh) -> Option<&HistoryEntry> {
    c.history.iter().find(|h| h.completion_time.is_none())
}

/// The request, when it names another release than the current one.
pub fn pending_request(c: &Cvsh) -> Option<Release> {
    let requested = c.requested()?;
    match &c.current {
        Some(current) if current.same_as(&requested) => None,
        _ => Some(requested),
    }
}

/// The release the controller is applying now, if it is busy: `status.desired` (else the
/// running entry) while `Reconciling=True`, otherwise a running history entry for another
/// release than the current one.
pub fn in_progress_towards(c: &Cvsh) -> Option<Release> {
    let running = c
        .history
        .first()
        .filter(|h| h.completion_time.is_none() && h.state.as_deref() != Some("Completed"))
        .map(HistoryEntry::release);
    if c.condition_true("Reconciling") {
        return c.desired.clone().or(running);
    }
    running
        .filter(|r| r.version.is_some() || r.image.is_some())
        .filter(|r| c.current.as_ref().is_none_or(|current| !current.same_as(r)))
}

/// Every failed operation with its stage, in server order.
pub fn failed_operations(c: &Cvsh) -> Vec<(&Stage, &Operation)> {
    c.stages
        .iter()
        .flat_map(|s| s.operations.iter().map(move |o| (s, o)))
        .filter(|(_, o)| op_failed(o))
        .collect()
}

/// Condition types that, when `True`, mean the controller needs help; in the order they are
/// reported.
pub const TROUBLE_CONDITIONS: [&str; 2] = ["Stalled", "Degraded"];

/// `Stalled=True`, then `Degraded=True`, when present.
pub fn trouble_conditions(c: &Cvsh) -> Vec<&Condition> {
    TROUBLE_CONDITIONS
        .iter()
        .filter_map(|kind| c.condition(kind).filter(|condition| condition.is_true()))
        .collect()
}
