//! How a watch ends (`docs/status.md` §6): succeeded, failed (with the reason), or not yet.

use serde::Serialize;

use crate::domain::assess::classify::{
    blocking_checks, failed_operations, failure_phase, pending_target, running_entry,
    trouble_conditions,
};
use crate::domain::assess::progress::progress;
use crate::domain::cvsh::{Condition, Cvsh};
use crate::output::text::one_line;

/// How a watch ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum WatchOutcome {
    /// `Ready=True` at the target with the latest generation observed: exit 0.
    Succeeded,
    /// Needs intervention (exit 5); the text says why.
    Failed(String),
}

/// `None` while the watch should go on. Stale status never ends a watch. `Failed` (checked in
/// this order, the first match gives the reason) when an operation failed, a blocking preflight
/// check failed while no work is under way, `Stalled=True`, or `Degraded=True`. `Succeeded`
/// when `Ready=True`, the current release is the target (or nothing is targeted), and no
/// history entry is running.
pub fn watch_outcome(cvsh: &Cvsh) -> Option<WatchOutcome> {
    if cvsh.is_stale() {
        return None;
    }
    if let Some((stage, operation)) = failed_operations(cvsh).first() {
        return Some(WatchOutcome::Failed(format!(
            "operation {} in stage {} failed{}",
            operation.name,
            stage.name,
            failure_phase(operation)
                .map(|phase| format!(" ({phase})"))
                .unwrap_or_default()
        )));
    }
    if !progress(cvsh).under_way()
        && let Some(check) = blocking_checks(cvsh).first()
    {
        return Some(WatchOutcome::Failed(format!(
            "preflight check {} failed{}",
            check.name,
            check
                .reason
                .as_deref()
                .map(|reason| format!(" ({reason})"))
                .unwrap_or_default()
        )));
    }
    if let Some(condition) = trouble_conditions(cvsh).first() {
        return Some(WatchOutcome::Failed(condition_text(condition)));
    }
    if cvsh.condition_true("Ready")
        && pending_target(cvsh).is_none()
        && running_entry(cvsh).is_none()
    {
        return Some(WatchOutcome::Succeeded);
    }
    None
}

/// `Stalled=True (Reason): message`, the message folded to one line.
pub fn condition_text(condition: &Condition) -> String {
    let mut text = format!("{}=True", condition.type_);
    if let Some(reason) = &condition.reason {
        text.push_str(&format!(" ({reason})"));
    }
    if let Some(message) = &condition.message {
        text.push_str(": ");
        text.push_str(&one_line(message));
    }
    text
}
