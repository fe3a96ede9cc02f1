//! What a ClusterVersionShadow means: the assessment (here), built on the classification of
//! phases and checks ([`classify`]), progress ([`progress`]), time and estimates ([`timing`]);
//! and how a watch ends ([`outcome`]). Pure functions of a [`Cvsh`] and an injected "now";
//! documented in `docs/status.md` (keep the two in step). What to do about it is
//! [`crate::domain::advice`].
//!
//! # Assessment rules
//!
//! Definitions used below:
//! - *requested*: `spec.desiredUpdate` (version or image).
//! - *target*: the requested release, else `status.desired` when it differs from
//!   `status.current`.
//! - *pending*: there is a target and it is not the current release.
//! - *running entry*: the newest `status.history[]` entry without `completionTime`.
//! - *active*: pending, or a running entry exists, or a stage is `Running`, or
//!   `Reconciling=True`.
//! - *failed operation*: an operation whose phase classifies as failed (see [`phase_class`]).
//! - *blocking check*: a preflight check in state `Failed` whose `policy` does not downgrade it
//!   (see [`check_blocks`]), while the request does not set `force: true`.
//!
//! The first rule that matches wins:
//! 1. Not active: `Stalled` when `Stalled=True`, `Degraded=True` or an operation failed;
//!    `Completed` when the request names the current release, `Ready=True`, and the newest
//!    history entry is `Completed` for that release; otherwise `Idle`.
//! 2. Stale status (`metadata.generation != status.observedGeneration`) while pending:
//!    `Requested` — the controller has not seen the latest request, so nothing else in the
//!    status is about it.
//! 3. A failed operation: `Stalled`.
//! 4. A blocking check, while no work is under way (see rule 6): `Blocked by preflight`.
//! 5. `Stalled=True` or `Degraded=True`: `Stalled`.
//! 6. Work under way — a stage `Running`, an operation running, some (not all) stages or
//!    operations finished: `Progressing`, or `Progressing – slow` when the elapsed
//!    time of the running entry is more than [`SLOW_FACTOR`] × the baseline (the duration of
//!    the last completed upgrade).
//! 7. Preflight checks present and any in `Retry`: `Preflight running`.
//! 8. No preflight checks yet (no result), `PreflightReady` not `True`, and the controller is
//!    at work (`Reconciling=True` or a running history entry): `Preflight running`.
//! 9. `PreflightReady=True` (or every check passed) and `Reconciling=True` or a running
//!    history entry: `Progressing` (0 %, stages not started yet).
//! 10. Otherwise (a request the controller has not picked up): `Requested`.
//!
//! Per-stage or per-operation timing is not reported by the controller, so "slow" is judged on
//! the whole upgrade only.

pub mod classify;
pub mod outcome;
pub mod progress;
pub mod timing;

use jiff::Timestamp;
use serde::Serialize;

pub use classify::{
    CheckCounts, CheckState, PhaseClass, blocking_checks, check_blocks, check_counts, check_state,
    failed_operations, op_done, op_failed, op_running, pending_target, phase_class, running_entry,
    stages_in_order, target,
};
pub use outcome::{WatchOutcome, watch_outcome};
pub use progress::{Progress, progress};
pub use timing::{Baseline, Estimate, SLOW_FACTOR, elapsed, entry_duration, estimate, is_slow};

use crate::domain::cvsh::Cvsh;
use crate::output::text::{one_line, truncate};

/// The one-word judgement of where a cluster's upgrade stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Assessment {
    Idle,
    Requested,
    PreflightRunning,
    BlockedByPreflight,
    Progressing,
    ProgressingSlow,
    Stalled,
    Completed,
}

impl Assessment {
    /// What a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Assessment::Idle => "Idle",
            Assessment::Requested => "Requested",
            Assessment::PreflightRunning => "Preflight running",
            Assessment::BlockedByPreflight => "Blocked by preflight",
            Assessment::Progressing => "Progressing",
            Assessment::ProgressingSlow => "Progressing – slow",
            Assessment::Stalled => "Stalled",
            Assessment::Completed => "Completed",
        }
    }

    /// The serde form (`"ProgressingSlow"`), for machine output.
    pub fn key(self) -> &'static str {
        match self {
            Assessment::Idle => "Idle",
            Assessment::Requested => "Requested",
            Assessment::PreflightRunning => "PreflightRunning",
            Assessment::BlockedByPreflight => "BlockedByPreflight",
            Assessment::Progressing => "Progressing",
            Assessment::ProgressingSlow => "ProgressingSlow",
            Assessment::Stalled => "Stalled",
            Assessment::Completed => "Completed",
        }
    }

    /// Needs a person: blocked or stalled.
    pub fn needs_attention(self) -> bool {
        matches!(self, Assessment::BlockedByPreflight | Assessment::Stalled)
    }

    /// An upgrade is requested or under way (not Idle, not Completed).
    pub fn in_flight(self) -> bool {
        !matches!(self, Assessment::Idle | Assessment::Completed)
    }
}

impl std::fmt::Display for Assessment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// Decide the assessment; see the module documentation for the rules.
pub fn assess(cvsh: &Cvsh, now: Timestamp) -> Assessment {
    let pending = pending_target(cvsh).is_some();
    let running = running_entry(cvsh).is_some();
    let stage_running = cvsh
        .stages
        .iter()
        .any(|stage| phase_class(stage.phase.as_deref()) == PhaseClass::Running);
    let reconciling = cvsh.condition_true("Reconciling");
    let bad_condition = !classify::trouble_conditions(cvsh).is_empty();
    let op_failed_any = cvsh
        .stages
        .iter()
        .flat_map(|stage| &stage.operations)
        .any(op_failed);

    // 1. Nothing in flight.
    if !(pending || running || stage_running || reconciling) {
        if bad_condition || op_failed_any {
            return Assessment::Stalled;
        }
        let completed = cvsh.requested().is_some_and(|requested| {
            cvsh.current
                .as_ref()
                .is_some_and(|current| current.same_as(&requested))
                && cvsh.condition_true("Ready")
                && cvsh.history.first().is_some_and(|newest| {
                    newest
                        .state
                        .as_deref()
                        .is_some_and(|state| state.eq_ignore_ascii_case("completed"))
                        && newest.release().same_as(&requested)
                })
        });
        return if completed {
            Assessment::Completed
        } else {
            Assessment::Idle
        };
    }
    // 2. The controller has not seen the latest request.
    if pending && cvsh.is_stale() {
        return Assessment::Requested;
    }
    // 3. A failed operation.
    if op_failed_any {
        return Assessment::Stalled;
    }
    let work_started = stage_running || progress(cvsh).under_way();
    // 4. Preflight blocks (only before work started: a check failing mid-upgrade is reported
    //    through Stalled/Degraded by the controller).
    if !work_started && !blocking_checks(cvsh).is_empty() {
        return Assessment::BlockedByPreflight;
    }
    // 5. Controller says it is stuck.
    if bad_condition {
        return Assessment::Stalled;
    }
    // 6. Work under way.
    if work_started {
        return if is_slow(cvsh, now) {
            Assessment::ProgressingSlow
        } else {
            Assessment::Progressing
        };
    }
    let counts = check_counts(cvsh);
    // 7. Checks without a final result.
    if counts.retry > 0 || (counts.total > 0 && counts.unknown > 0 && counts.failed == 0) {
        return Assessment::PreflightRunning;
    }
    let preflight_ready = cvsh.condition_true("PreflightReady");
    let controller_at_work = reconciling || running;
    // 8. No result yet while the controller works on it.
    if counts.total == 0 && !preflight_ready && controller_at_work {
        return Assessment::PreflightRunning;
    }
    // 9. Preflight passed; stages about to start.
    let all_passed =
        counts.total > 0 && counts.passed + counts.failed + counts.skipped == counts.total;
    if (preflight_ready || all_passed) && controller_at_work {
        return if is_slow(cvsh, now) {
            Assessment::ProgressingSlow
        } else {
            Assessment::Progressing
        };
    }
    // 10.
    Assessment::Requested
}

/// Why a cluster needs attention, in a few words.
pub fn attention_reason(cvsh: &Cvsh, assessment: Assessment) -> Option<String> {
    match assessment {
        Assessment::BlockedByPreflight => {
            let blocking = blocking_checks(cvsh);
            let first = blocking.first()?;
            let mut reason = format!("preflight check {} failed", one_line(&first.name));
            if let Some(why) = &first.reason {
                reason.push_str(&format!(" ({})", one_line(why)));
            }
            if blocking.len() > 1 {
                reason.push_str(&format!(" and {} more", blocking.len() - 1));
            }
            Some(reason)
        }
        Assessment::Stalled => {
            if let Some((stage, operation)) = failed_operations(cvsh).first() {
                return Some(format!(
                    "operation {} in stage {} failed",
                    one_line(&operation.name),
                    one_line(&stage.name)
                ));
            }
            let condition = classify::trouble_conditions(cvsh).into_iter().next()?;
            let mut reason = condition.type_.clone();
            if let Some(why) = &condition.reason {
                reason.push_str(&format!(" ({})", one_line(why)));
            }
            if let Some(message) = &condition.message {
                reason.push_str(&format!(": {}", truncate(message, 80)));
            }
            Some(reason)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests;
