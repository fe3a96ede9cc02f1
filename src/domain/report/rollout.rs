//! The rollout's report (`ac adm upgrade rollout`, `docs/rollout.md`): the plan (`--dry-run`)
//! and the final document share one schema — every cluster with where it stands, the waves,
//! the counts, what stopped it, and what to do next. Text, the live table, `-o json|yaml` and
//! the Markdown of `--report` are all made from it.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::advice::rollout::View;
use crate::domain::advice::{self, Suggestion};
use crate::domain::rollout::scheduler::{
    Outcome, Rollout, Slot, State, canary_wanted, pick_canary,
};
use crate::domain::rollout::{Blocker, Role};

pub const ROLLOUT_SCHEMA: &str = "ac.alauda.io/upgrade-rollout/v1";

/// The knobs, as the report states them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LimitsReport {
    pub canary: usize,
    pub soak_seconds: i64,
    /// Clusters upgrading at once after the canary.
    pub window: usize,
    pub max_failures: usize,
    pub cluster_timeout_seconds: Option<i64>,
}

/// Where a cluster comes in the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Wave {
    /// The global tier (standby, then global).
    Tier,
    Canary,
    /// The sliding window after the canary.
    Window,
    /// Nothing to do, or not requested (done, ahead, blocked, not offered).
    None,
}

/// One cluster of the report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClusterRow {
    pub cluster: String,
    pub role: Role,
    pub from: Option<String>,
    pub to: String,
    /// `done`, `in flight`, `ready`, `not offered yet`, `not offered`, `ahead`, `blocked`,
    /// `requested`, `running`, `completed`, `failed`.
    pub state: &'static str,
    pub wave: Wave,
    pub canary: bool,
    /// Why it failed, or what blocks it.
    pub reason: Option<String>,
    /// What resolves a block (text: commands).
    pub remedy: Option<String>,
    pub percent: Option<u8>,
    pub eta_seconds: Option<i64>,
    pub requested_at: Option<String>,
    pub ended_at: Option<String>,
    /// From this run's request to its end (or to now).
    pub elapsed_seconds: Option<i64>,
}

/// `ac.alauda.io/upgrade-rollout/v1`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RolloutReport {
    pub schema: &'static str,
    pub target: String,
    pub dry_run: bool,
    /// How it ended (`null`: the plan, or still running).
    pub outcome: Option<Outcome>,
    /// Timed out (`--timeout`).
    pub timed_out: bool,
    /// Why nothing new started any more, when something stopped it.
    pub stopped: Option<String>,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub duration_seconds: Option<i64>,
    pub limits: LimitsReport,
    /// Clusters per state (selected ones).
    pub counts: BTreeMap<&'static str, usize>,
    pub failures: usize,
    /// The global tier first, then workload clusters in plan order.
    pub clusters: Vec<ClusterRow>,
    pub next_steps: Vec<Suggestion>,
}

impl RolloutReport {
    pub fn count(&self, state: &str) -> usize {
        self.counts.get(state).copied().unwrap_or(0)
    }

    /// Clusters of a state.
    pub fn of<'a>(&'a self, state: &'a str) -> impl Iterator<Item = &'a ClusterRow> + 'a {
        self.clusters.iter().filter(move |c| c.state == state)
    }
}

fn reason(slot: &Slot) -> (Option<String>, Option<String>) {
    if !slot.selected && slot.role != Role::Workload && !slot.state.at_target() {
        return (
            Some(format!(
                "not in --clusters: no workload cluster moves before it reaches the target (name {} in --clusters, or move it first)",
                slot.cluster
            )),
            None,
        );
    }
    match &slot.state {
        State::Failed { reason } => (Some(reason.clone()), None),
        State::Blocked {
            blocker:
                Blocker {
                    check,
                    detail,
                    remedy,
                },
        } => (Some(format!("{check}: {detail}")), remedy.clone()),
        State::NotOfferedYet => (
            Some("offered once the global tier reaches the target".into()),
            None,
        ),
        State::NotOffered => (Some("the target is not offered to it".into()), None),
        State::Ahead => (
            Some(format!(
                "runs {}, newer than the target",
                slot.from.as_deref().unwrap_or("a newer version")
            )),
            None,
        ),
        State::Running | State::InFlight | State::Requested => (slot.seen.trouble.clone(), None),
        _ => (None, None),
    }
}

/// Where a slot comes in the plan.
fn wave(slot: &Slot, canary_planned: bool) -> Wave {
    match (&slot.state, slot.role) {
        (State::Done | State::Ahead | State::Blocked { .. } | State::NotOffered, _) => Wave::None,
        (_, Role::Standby | Role::Global) => Wave::Tier,
        _ if slot.canary || canary_planned => Wave::Canary,
        _ => Wave::Window,
    }
}

/// The report of a rollout as it stands (`view`: the plan before anything started, the
/// pre-checks of every cluster, or the rollout itself).
/// `resume`: the command that runs it again (the next step after a stop).
pub fn rollout_report(
    rollout: &Rollout,
    view: View,
    started_at: Timestamp,
    timed_out: bool,
    resume: &str,
) -> RolloutReport {
    let dry_run = view != View::Run;
    let now = rollout.now;
    let target = rollout.target.clone();
    // The plan's canary: the one the scheduler will choose (before it chose one).
    let planned: std::collections::HashSet<usize> =
        if dry_run && !rollout.slots.iter().any(|s| s.canary) {
            pick_canary(
                &rollout.slots,
                canary_wanted(&rollout.slots, rollout.limits.canary),
            )
            .into_iter()
            .collect()
        } else {
            Default::default()
        };
    let clusters: Vec<ClusterRow> = rollout
        .slots
        .iter()
        .enumerate()
        .filter(|(_, s)| s.selected || s.role != Role::Workload)
        .map(|(i, slot)| {
            let canary_planned = planned.contains(&i);
            let (reason, remedy) = reason(slot);
            let elapsed = slot
                .requested_at
                .map(|at| slot.ended_at.unwrap_or(now).as_second() - at.as_second());
            ClusterRow {
                cluster: slot.cluster.clone(),
                role: slot.role,
                from: slot.from.clone(),
                to: target.clone(),
                state: slot.state.label(),
                wave: wave(slot, canary_planned),
                canary: slot.canary || canary_planned,
                reason,
                remedy,
                percent: slot.state.active().then_some(slot.seen.percent).flatten(),
                eta_seconds: slot
                    .state
                    .active()
                    .then_some(slot.seen.eta_seconds)
                    .flatten(),
                requested_at: slot.requested_at.map(|t| t.to_string()),
                ended_at: slot.ended_at.map(|t| t.to_string()),
                elapsed_seconds: elapsed.or(if slot.state.active() {
                    slot.seen.elapsed_seconds
                } else {
                    None
                }),
            }
        })
        .collect();
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    for slot in rollout.slots.iter().filter(|s| s.selected) {
        *counts.entry(slot.state.label()).or_default() += 1;
    }
    let mut report = RolloutReport {
        schema: ROLLOUT_SCHEMA,
        target,
        dry_run,
        outcome: rollout.outcome,
        timed_out,
        stopped: rollout.stopping.clone(),
        started_at: started_at.to_string(),
        ended_at: rollout.outcome.map(|_| now.to_string()),
        duration_seconds: rollout
            .outcome
            .map(|_| now.as_second() - started_at.as_second()),
        limits: LimitsReport {
            canary: rollout.limits.canary,
            soak_seconds: rollout.limits.soak_seconds,
            window: rollout.limits.window,
            max_failures: rollout.limits.max_failures,
            cluster_timeout_seconds: rollout.limits.cluster_timeout_seconds,
        },
        counts,
        failures: rollout.failures,
        clusters,
        next_steps: Vec::new(),
    };
    let tally = advice::rollout::Tally {
        target: &report.target,
        view,
        timed_out: report.timed_out,
        outcome: report.outcome,
        clusters: report
            .clusters
            .iter()
            .map(|c| (c.state, c.cluster.as_str()))
            .collect(),
    };
    let next_steps = advice::rollout::next_steps(&tally, resume);
    report.next_steps = next_steps;
    report
}
