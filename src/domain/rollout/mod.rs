//! `ac adm upgrade rollout`: a whole platform to one version (SPEC §"Rollout",
//! `docs/rollout.md`). Pure: the command reads the platform once and keeps it current with one
//! LIST + one WATCH; this module
//! - classifies each selected cluster from what was read ([`gate`]: done, in flight, ready,
//!   blocked, not offered, waiting for the global tier) — asking the rule types
//!   (`domain::rules`) and the pre-checks (`domain::precheck`), never a copy of them;
//! - plans the order ([`plan`]: the global tier — standby, then primary — then a canary, then
//!   the rest in a sliding window);
//! - drives it as a state machine ([`scheduler::Rollout`]: state + event → actions), so every
//!   rule (order, canary, soak, window, failure budget, resume) is unit- and property-tested
//!   without a server.

pub mod scheduler;
pub mod select;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::assess::{self, Assessment};
use crate::domain::cvsh::Cvsh;
use crate::domain::precheck::{Check, Finding, Judgement, Verdict};
use crate::domain::rules::tier::TierBlock;
use crate::domain::version;

pub use scheduler::{Action, Event, Outcome, Rollout};

/// The part of the platform a cluster is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    /// The standby global of a DR pair (moves first).
    Standby,
    /// The (primary) global cluster.
    Global,
    Workload,
}

/// What the rollout keeps of a cluster's ClusterVersionShadow: a few fields, whatever the
/// object's size (a 5,000-cluster rollout keeps 5,000 of these, not the objects).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Seen {
    pub current: Option<String>,
    /// The version requested or being moved to, while it is not the current one.
    pub pending: Option<String>,
    pub assessment: Assessment,
    /// The controller has not observed the latest spec yet.
    pub stale: bool,
    pub percent: Option<u8>,
    /// Seconds left, when status estimates it.
    pub eta_seconds: Option<i64>,
    /// Seconds the running upgrade has run (its history entry).
    pub elapsed_seconds: Option<i64>,
    /// Why it needs attention (Stalled, blocked by preflight), in a few words.
    pub trouble: Option<String>,
    /// The rollout's target is among its `availableUpdates` (the controller offers a workload
    /// cluster the target once the tier reached it: that change is news).
    pub offered: bool,
    /// `metadata.generation`: which write of the spec this read has seen.
    pub generation: Option<i64>,
}

impl Seen {
    /// What the rollout to `target` keeps of `cvsh`, read at `now`.
    pub fn of(cvsh: &Cvsh, target: &str, now: Timestamp) -> Seen {
        let assessment = assess::assess(cvsh, now);
        let progress = assess::progress(cvsh);
        Seen {
            current: cvsh.current_version().map(str::to_string),
            pending: assess::pending_target(cvsh).and_then(|t| t.version),
            stale: cvsh.is_stale(),
            percent: if assessment.in_flight() {
                progress.percent
            } else {
                None
            },
            eta_seconds: match assess::estimate(cvsh, now) {
                assess::Estimate::Remaining {
                    remaining_seconds, ..
                } => Some(remaining_seconds),
                _ => None,
            },
            elapsed_seconds: assess::elapsed(cvsh, now),
            trouble: assess::attention_reason(cvsh, assessment),
            assessment,
            offered: cvsh.available_updates.iter().any(|offer| {
                offer
                    .version
                    .as_deref()
                    .is_some_and(|v| version::same_version(v, target))
            }),
            generation: cvsh.generation,
        }
    }

    /// At `target` and at rest there (nothing pending, not failing).
    pub fn at(&self, target: &str) -> bool {
        self.current
            .as_deref()
            .is_some_and(|c| version::same_version(c, target))
            && self.pending.is_none()
            && !self.assessment.needs_attention()
    }

    /// A move to `target` was requested (and has not completed).
    pub fn moving_to(&self, target: &str) -> bool {
        self.pending
            .as_deref()
            .is_some_and(|p| version::same_version(p, target))
    }
}

/// A pre-check that stands in the way, as the plan and the report show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Blocker {
    /// The check (`kubernetes-versions`, `resource-patches`, …).
    pub check: &'static str,
    pub detail: String,
    /// The remedy on one line (text: commands).
    pub remedy: Option<String>,
}

/// Where a cluster stands before the rollout touches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Already at the target.
    Done,
    /// The target was requested before (by an earlier run or by hand): waited on, never
    /// requested again.
    InFlight,
    /// Its pre-checks pass: it may be requested when its turn comes.
    Ready,
    /// Only the global tier stands in the way (the target is not offered yet, or not reached
    /// by the tier): ready once the tier completes the target.
    WaitsForTier,
    /// The target is not offered to it, and the global tier does not explain why.
    NotOffered,
    /// Runs a newer version than the target: nothing to do (no downgrade).
    Ahead,
    /// A pre-check blocks it (not counting the global tier).
    Blocked(Blocker),
}

/// Whether an item of a judgement is the global tier's own business: the target not offered
/// yet, or not reached by the tier — both go away once the tier completes the target.
fn waits_for_tier(check: Check, finding: &Finding, role: Role, tier_behind: bool) -> bool {
    match (role, check, finding) {
        (Role::Workload, Check::Target, Finding::NotOffered { .. } | Finding::NothingOffered) => {
            tier_behind
        }
        (Role::Workload, Check::GlobalFirst, Finding::TierBlocked { block, .. }) => {
            !matches!(block, TierBlock::GlobalVersionUnknown)
        }
        // The global cluster waits for the standby: the rollout moves the standby first.
        (
            Role::Global,
            Check::DrStandbyFirst,
            Finding::TierBlocked {
                block: TierBlock::StandbyNotReached { .. },
                ..
            },
        ) => true,
        _ => false,
    }
}

/// Classify a cluster for a rollout to `target`, from what was read of it and the judgement of
/// a request for `target` (the same pre-checks as the guard). `explain` turns a blocking item
/// into its words (the advice layer's).
pub fn gate(
    seen: &Seen,
    role: Role,
    target: &str,
    judgement: &Judgement,
    explain: impl Fn(&crate::domain::precheck::Item) -> Blocker,
) -> Gate {
    if seen.at(target) {
        return Gate::Done;
    }
    if seen.moving_to(target) {
        return Gate::InFlight;
    }
    if seen
        .current
        .as_deref()
        .is_some_and(|c| version::newer_than(c, target) == Some(true))
    {
        return Gate::Ahead;
    }
    let blocking: Vec<_> = judgement
        .items
        .iter()
        .filter(|i| i.verdict == Verdict::Block)
        .collect();
    // Not offered is the tier's business only while the tier has not reached the target.
    let tier_behind = blocking
        .iter()
        .any(|i| waits_for_tier(i.check, &i.finding, role, false));
    let own: Vec<_> = blocking
        .iter()
        .filter(|i| !waits_for_tier(i.check, &i.finding, role, tier_behind))
        .collect();
    if let Some(first) = own.first() {
        // Not offered, and nothing of the tier to explain it: the target is not for it.
        if first.check == Check::Target {
            return Gate::NotOffered;
        }
        return Gate::Blocked(explain(first));
    }
    if !blocking.is_empty() {
        return Gate::WaitsForTier;
    }
    Gate::Ready
}

/// Where a cluster starts in the rollout: its gate, except that a member of the global tier
/// waiting for the tier (the global cluster for the standby) is ready — the scheduler moves the
/// tier in its order.
pub fn initial_state(role: Role, gate: Gate) -> scheduler::State {
    match (role, gate) {
        (Role::Standby | Role::Global, Gate::WaitsForTier) => scheduler::State::Ready,
        (_, gate) => scheduler::State::from(gate),
    }
}

#[cfg(test)]
mod tests;
