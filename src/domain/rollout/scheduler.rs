//! The rollout as a state machine: a state (every selected cluster and what it last reported)
//! and an event (a fresh read of a cluster, a request's answer, time passing, Ctrl-C) give
//! the next actions (start this cluster, re-read the canaries, a state change to report, the
//! end). No I/O and no clock: the command feeds events (with "now") and carries out actions.
//!
//! The rules it keeps (`docs/rollout.md`):
//! 1. The global tier first: the standby (DR), then the global cluster, one at a time; no
//!    workload cluster starts before the whole tier reached the target.
//! 2. Then the canary: the first N workload clusters (those already moving count), all of which
//!    must complete and then stay healthy for the soak (re-read at its end) before any other
//!    workload cluster starts. A canary that fails stops every new start.
//! 3. Then a sliding window: at most `window` clusters running at once, the next starting as
//!    soon as one ends.
//! 4. The failure budget: a cluster Stalled/Degraded, failing its preflight after the request,
//!    or running longer than `--cluster-timeout` counts as failed; once failures exceed
//!    `max_failures` nothing new starts; running clusters are still followed to the end.
//! 5. Resume: clusters already at the target are done, those already moving to it are waited
//!    on (never requested again), every other one is requested exactly once.
//! 6. Ctrl-C: nothing new starts; the rollout ends at once (what runs goes on server-side).

use std::collections::HashSet;

use jiff::Timestamp;
use serde::Serialize;

use super::{Blocker, Gate, Role, Seen};

/// The knobs of a rollout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Workload clusters in the canary.
    pub canary: usize,
    /// Seconds the canary stays healthy before the rest start.
    pub soak_seconds: i64,
    /// Clusters running at once after the canary (at least 1).
    pub window: usize,
    /// Failures tolerated before nothing new starts.
    pub max_failures: usize,
    /// A cluster running longer counts as failed.
    pub cluster_timeout_seconds: Option<i64>,
}

/// Where one cluster is in the rollout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(
    tag = "state",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum State {
    /// At the target before the rollout touched it.
    Done,
    /// Moving to the target before this run (waited on, never requested again).
    InFlight,
    /// May be requested when its turn comes.
    Ready,
    /// Waits for the global tier to complete the target (then it is offered and allowed).
    NotOfferedYet,
    /// Not offered, and not for the global tier to fix.
    NotOffered,
    /// Runs a newer version than the target (nothing to do, no downgrade).
    Ahead,
    /// A pre-check blocks it; not requested.
    Blocked { blocker: Blocker },
    /// Requested by this run; the controller has not taken it up yet.
    Requested,
    /// Upgrading to the target.
    Running,
    /// Reached the target during this run.
    Completed,
    /// Stalled, Degraded, failed its preflight after the request, timed out, or could not be
    /// written.
    Failed { reason: String },
}

impl State {
    /// A short label (a line off a terminal, the live table).
    pub fn label(&self) -> &'static str {
        match self {
            State::Done => "done",
            State::InFlight => "in flight",
            State::Ready => "ready",
            State::NotOfferedYet => "not offered yet",
            State::NotOffered => "not offered",
            State::Ahead => "ahead",
            State::Blocked { .. } => "blocked",
            State::Requested => "requested",
            State::Running => "running",
            State::Completed => "completed",
            State::Failed { .. } => "failed",
        }
    }

    /// Moving now: requested, running, or in flight.
    pub fn active(&self) -> bool {
        matches!(self, State::Requested | State::Running | State::InFlight)
    }

    /// At the target (before or during the rollout).
    pub fn at_target(&self) -> bool {
        matches!(self, State::Done | State::Completed)
    }
}

impl From<Gate> for State {
    fn from(gate: Gate) -> State {
        match gate {
            Gate::Done => State::Done,
            Gate::InFlight => State::InFlight,
            Gate::Ready => State::Ready,
            Gate::WaitsForTier => State::NotOfferedYet,
            Gate::NotOffered => State::NotOffered,
            Gate::Ahead => State::Ahead,
            Gate::Blocked(blocker) => State::Blocked { blocker },
        }
    }
}

/// One cluster of the rollout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Slot {
    pub cluster: String,
    pub role: Role,
    /// Its version when the rollout began.
    pub from: Option<String>,
    #[serde(flatten)]
    pub state: State,
    /// One of the canary.
    pub canary: bool,
    /// What it last reported.
    #[serde(skip)]
    pub seen: Seen,
    /// Selected (a tier member may be followed without being selected: its version gates
    /// the workload clusters).
    #[serde(skip)]
    pub selected: bool,
    /// When this run requested it.
    pub requested_at: Option<Timestamp>,
    /// When it reached the target or failed (during this run).
    pub ended_at: Option<Timestamp>,
}

/// What the command does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Judge `cluster` again (its pre-checks, as the guard does) and, when they pass, write
    /// the request; answer with [`Event::Requested`], [`Event::Refused`],
    /// [`Event::NotOfferedYet`] or [`Event::WriteFailed`]. At most one per step: the next is
    /// decided on the answer.
    Start(String),
    /// The soak is over: re-read these clusters and answer with [`Event::Reread`].
    Reread(Vec<String>),
    /// A cluster changed state.
    Changed {
        cluster: String,
        from: &'static str,
        to: &'static str,
    },
    /// Nothing more will happen.
    Finish(Outcome),
}

/// What happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// A fresh read of a cluster (a watch event, a re-read).
    Seen { cluster: String, seen: Seen },
    /// The request for `cluster` was written; `generation`: the object's `metadata.generation`
    /// after the write (a later read that has observed it and no longer moves to the target
    /// means the request was withdrawn or replaced).
    Requested {
        cluster: String,
        generation: Option<i64>,
    },
    /// Just before writing, its pre-checks blocked it (not the global tier's doing).
    Refused { cluster: String, blocker: Blocker },
    /// Just before writing, the target was not offered to it yet (the controller offers it
    /// a little after the global tier reached it): tried again on its next change.
    NotOfferedYet { cluster: String },
    /// Writing failed.
    WriteFailed { cluster: String, why: String },
    /// A start asked for was not carried out (the rollout stopped meanwhile).
    NotStarted { cluster: String },
    /// The re-read [`Action::Reread`] asked for.
    Reread { seen: Vec<(String, Seen)> },
    /// Time passes (the soak, `--cluster-timeout`).
    Tick,
    /// Ctrl-C.
    Interrupt,
}

/// How a rollout ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Outcome {
    /// Every selected cluster is at the target (exit 0).
    AllAtTarget,
    /// Nothing failed, but some clusters are blocked, not offered, or wait for a global tier
    /// that cannot move (exit 3).
    Incomplete,
    /// At least one cluster failed (exit 5).
    Failed,
    /// Ctrl-C (exit 130).
    Interrupted,
}

/// Why a cluster needs attention, from what it reports.
fn trouble(seen: &Seen) -> String {
    seen.trouble
        .clone()
        .unwrap_or_else(|| seen.assessment.label().to_string())
}

/// After the global tier completed the target, how long a workload cluster may wait for the
/// controller to offer it before it counts as not offered.
pub const OFFER_GRACE_SECONDS: i64 = 300;

/// After a re-read of the canary that could not read every canary, the next one comes this
/// much later (a failing read is not retried in a loop).
pub const REREAD_AGAIN_SECONDS: i64 = 5;

/// The rollout.
#[derive(Debug, Clone)]
pub struct Rollout {
    pub target: String,
    pub limits: Limits,
    /// Tier members first (standby, global), then workload clusters in plan order.
    pub slots: Vec<Slot>,
    pub now: Timestamp,
    /// Failures so far.
    pub failures: usize,
    /// Nothing new starts (failure budget spent, a canary failed, Ctrl-C).
    pub stopping: Option<String>,
    /// The canary was chosen (once the tier completed): how many it should have.
    canary_want: Option<usize>,
    /// When the tier was seen complete.
    tier_done_at: Option<Timestamp>,
    /// When the soak ends (after the canary completed).
    soak_until: Option<Timestamp>,
    /// Waiting for the re-read of the canary.
    rereading: bool,
    /// The canary completed and stayed healthy through the soak (or there is none).
    soaked: bool,
    pub outcome: Option<Outcome>,
    /// Slots started by this run (each at most once).
    started: HashSet<usize>,
    /// Slots started and not answered yet (at most one: each start is decided on everything
    /// the previous one changed).
    awaiting: HashSet<usize>,
    /// The generation each of this run's requests was written at.
    written: std::collections::HashMap<usize, i64>,
    /// Slots moving now (kept by [`Rollout::set`], the one place a state changes).
    active: usize,
    /// The second time limits were last checked (`--cluster-timeout`, the offer's grace).
    timed_at: Option<i64>,
    /// Slot of each cluster.
    index: std::collections::HashMap<String, usize>,
    /// The first step judged what every slot last reported (a cluster already failing).
    settled: bool,
}

impl Rollout {
    /// A rollout of `slots` (tier members first, in order: standby, global; then workload
    /// clusters in plan order) to `target`.
    /// Workload clusters outside the selection are not part of it (they take no window slot
    /// and spend no budget); tier members always are (their completion gates the rest).
    pub fn new(target: &str, limits: Limits, slots: Vec<Slot>, now: Timestamp) -> Rollout {
        let slots: Vec<Slot> = slots
            .into_iter()
            .filter(|s| s.selected || s.role != Role::Workload)
            .collect();
        let active = slots.iter().filter(|s| s.state.active()).count();
        let index = slots
            .iter()
            .enumerate()
            .map(|(i, s)| (s.cluster.clone(), i))
            .collect();
        Rollout {
            index,
            settled: false,
            target: target.to_string(),
            limits: Limits {
                window: limits.window.max(1),
                ..limits
            },
            slots,
            now,
            failures: 0,
            stopping: None,
            canary_want: None,
            tier_done_at: None,
            soak_until: None,
            rereading: false,
            soaked: false,
            outcome: None,
            started: HashSet::new(),
            awaiting: HashSet::new(),
            written: std::collections::HashMap::new(),
            active,
            timed_at: None,
        }
    }

    fn slot(&self, cluster: &str) -> Option<usize> {
        self.index.get(cluster).copied()
    }

    /// Whether `seen` says something new about `cluster` (a fresh read that changes nothing
    /// need not be an event).
    pub fn news(&self, cluster: &str, seen: &Seen) -> bool {
        self.slot(cluster)
            .is_some_and(|i| self.slots[i].seen != *seen)
    }

    /// The slot of `cluster`.
    pub fn get(&self, cluster: &str) -> Option<&Slot> {
        self.slot(cluster).map(|i| &self.slots[i])
    }

    /// Move slot `i` to `state`, reporting the change.
    fn set(&mut self, i: usize, state: State, actions: &mut Vec<Action>) {
        let from = self.slots[i].state.label();
        let ends = matches!(state, State::Completed | State::Failed { .. });
        if let State::Failed { .. } = state
            && !matches!(self.slots[i].state, State::Failed { .. })
        {
            self.failures += 1;
            if self.slots[i].canary {
                self.stop("a canary cluster failed");
            } else if self.failures > self.limits.max_failures {
                self.stop("the failure budget (--max-failures) is spent");
            }
        }
        if ends {
            self.slots[i].ended_at = Some(self.now);
        }
        let changed = self.slots[i].state.label() != state.label();
        match (self.slots[i].state.active(), state.active()) {
            (false, true) => self.active += 1,
            (true, false) => self.active -= 1,
            _ => {}
        }
        if state != State::Ready {
            self.awaiting.remove(&i);
        }
        self.slots[i].state = state;
        if changed {
            actions.push(Action::Changed {
                cluster: self.slots[i].cluster.clone(),
                from,
                to: self.slots[i].state.label(),
            });
        }
    }

    fn stop(&mut self, why: &str) {
        if self.stopping.is_none() {
            self.stopping = Some(why.to_string());
        }
    }

    /// Every tier member (followed or selected) has reached the target.
    pub fn tier_done(&self) -> bool {
        // Tier members come first.
        self.slots
            .iter()
            .take_while(|s| s.role != Role::Workload)
            .all(|s| s.state.at_target() || s.seen.at(&self.target))
    }

    /// Clusters moving now.
    pub fn active(&self) -> usize {
        self.active
    }

    /// A fresh read of a cluster: follow what it reports.
    fn seen(&mut self, i: usize, seen: Seen, actions: &mut Vec<Action>) {
        self.slots[i].seen = seen;
        let target = self.target.clone();
        let seen = &self.slots[i].seen;
        let next = match &self.slots[i].state {
            // Our request: until the controller reports it taken up, what it reports may
            // predate it (a watch event queued before the write): only progress counts.
            State::Requested => {
                let observed_ours = !seen.stale
                    && self
                        .written
                        .get(&i)
                        .is_some_and(|w| seen.generation.is_some_and(|g| g >= *w));
                if seen.at(&target) {
                    Some(State::Completed)
                } else if observed_ours && !seen.moving_to(&target) {
                    // The controller has seen our request, and the cluster moves elsewhere.
                    Some(State::Failed {
                        reason: format!(
                            "no longer moving to {target} (now {})",
                            seen.pending.as_deref().unwrap_or("nothing requested")
                        ),
                    })
                } else if seen.stale || !seen.moving_to(&target) {
                    None
                } else if seen.assessment.needs_attention() {
                    Some(State::Failed {
                        reason: trouble(seen),
                    })
                } else {
                    Some(State::Running)
                }
            }
            State::Running | State::InFlight => {
                if seen.at(&target) {
                    Some(State::Completed)
                } else if seen.stale {
                    // The controller has not taken up the latest spec: nothing it reports is
                    // about it yet.
                    None
                } else if seen.assessment.needs_attention() && seen.moving_to(&target) {
                    Some(State::Failed {
                        reason: trouble(seen),
                    })
                } else if seen.moving_to(&target) {
                    None
                } else {
                    // The request is gone (withdrawn, or another target asked for).
                    Some(State::Failed {
                        reason: format!(
                            "no longer moving to {target} (now {})",
                            seen.pending.as_deref().unwrap_or("nothing requested")
                        ),
                    })
                }
            }
            // Someone else moved it meanwhile.
            State::Ready | State::NotOfferedYet if seen.at(&target) => Some(State::Done),
            State::Ready | State::NotOfferedYet if seen.moving_to(&target) => Some(State::InFlight),
            // The offer came (the tier completed): its turn may come.
            State::NotOfferedYet if self.tier_done_at.is_some() && seen.offered => {
                Some(State::Ready)
            }
            _ => None,
        };
        if let Some(state) = next {
            self.set(i, state, actions);
        }
    }

    /// Handle an event; the actions to carry out, in order.
    pub fn step(&mut self, event: Event, now: Timestamp) -> Vec<Action> {
        self.now = now;
        let mut actions = Vec::new();
        if self.outcome.is_some() {
            return actions;
        }
        if !self.settled {
            // What each cluster reported when the rollout began (a resumed one may be
            // failing already): judged once, as if just read.
            self.settled = true;
            for i in 0..self.slots.len() {
                if self.slots[i].state.active() {
                    let seen = self.slots[i].seen.clone();
                    self.seen(i, seen, &mut actions);
                }
            }
        }
        match event {
            Event::Seen { cluster, seen } => {
                if let Some(i) = self.slot(&cluster) {
                    // For a slot just started, this is the answer (nothing was written).
                    self.awaiting.remove(&i);
                    self.seen(i, seen, &mut actions);
                }
            }
            Event::Requested {
                cluster,
                generation,
            } => {
                if let Some(i) = self.slot(&cluster) {
                    if let Some(generation) = generation {
                        self.written.insert(i, generation);
                    }
                    self.slots[i].requested_at = Some(now);
                    self.set(i, State::Requested, &mut actions);
                }
            }
            Event::Refused { cluster, blocker } => {
                if let Some(i) = self.slot(&cluster) {
                    self.set(i, State::Blocked { blocker }, &mut actions);
                }
            }
            Event::NotOfferedYet { cluster } => {
                if let Some(i) = self.slot(&cluster) {
                    // Not started after all: it may be started again.
                    self.started.remove(&i);
                    self.awaiting.remove(&i);
                    self.set(i, State::NotOfferedYet, &mut actions);
                }
            }
            Event::NotStarted { cluster } => {
                if let Some(i) = self.slot(&cluster) {
                    self.started.remove(&i);
                    self.awaiting.remove(&i);
                }
            }
            Event::WriteFailed { cluster, why } => {
                if let Some(i) = self.slot(&cluster) {
                    self.set(i, State::Failed { reason: why }, &mut actions);
                }
            }
            Event::Reread { seen } => {
                let read: HashSet<&str> = seen.iter().map(|(c, _)| c.as_str()).collect();
                let complete = self
                    .canaries()
                    .filter(|s| s.state.at_target())
                    .all(|s| read.contains(s.cluster.as_str()));
                for (cluster, seen) in seen {
                    if let Some(i) = self.slot(&cluster) {
                        let healthy = seen.at(&self.target);
                        let reason = seen.trouble.clone();
                        self.slots[i].seen = seen;
                        if self.slots[i].canary && !healthy {
                            self.set(
                                i,
                                State::Failed {
                                    reason: format!(
                                        "not healthy at the end of the soak{}",
                                        reason.map(|r| format!(": {r}")).unwrap_or_default()
                                    ),
                                },
                                &mut actions,
                            );
                        }
                    }
                }
                self.rereading = false;
                // A canary that could not be read is not proven healthy: read again (the next
                // step asks), never pass it unread.
                if self.stopping.is_none() && complete {
                    self.soaked = true;
                } else if !complete {
                    self.soak_until =
                        Timestamp::from_second(now.as_second() + REREAD_AGAIN_SECONDS).ok();
                }
            }
            Event::Tick => {}
            Event::Interrupt => {
                self.stop("interrupted (Ctrl-C)");
                self.outcome = Some(Outcome::Interrupted);
                actions.push(Action::Finish(Outcome::Interrupted));
                return actions;
            }
        }
        // Limits in time, checked once per second of `now` (each is a pass over the slots).
        if self.timed_at != Some(now.as_second()) {
            self.timed_at = Some(now.as_second());
            self.timeouts(&mut actions);
            self.offers_overdue(&mut actions);
        }
        self.advance(&mut actions);
        actions
    }

    /// `--cluster-timeout`: a cluster moving longer fails (checked once per second of `now`).
    fn timeouts(&mut self, actions: &mut Vec<Action>) {
        let Some(limit) = self.limits.cluster_timeout_seconds else {
            return;
        };
        if self.active == 0 {
            return;
        }
        for i in 0..self.slots.len() {
            let slot = &self.slots[i];
            if !slot.state.active() {
                continue;
            }
            let ours = slot
                .requested_at
                .map(|at| self.now.as_second() - at.as_second());
            let running = ours.or(slot.seen.elapsed_seconds);
            if running.is_some_and(|s| s > limit) {
                let reason = format!(
                    "still moving after {} (--cluster-timeout)",
                    crate::output::text::human_duration(limit)
                );
                self.set(i, State::Failed { reason }, actions);
            }
        }
    }

    /// Start what may start now, and finish when nothing more will happen.
    fn advance(&mut self, actions: &mut Vec<Action>) {
        let mut starts: Vec<usize> = Vec::new();
        if self.tier_done_at.is_none() && self.tier_done() {
            self.tier_done_at = Some(self.now);
        }
        if self.stopping.is_none() {
            if self.tier_done_at.is_none() {
                starts.extend(self.next_tier_member());
            } else {
                if self.canary_want.is_none() {
                    self.choose_canary(actions);
                }
                if !self.soaked {
                    self.top_up_canary();
                    if !self.canary_done() {
                        starts.extend(self.canary_starts());
                    } else {
                        self.soak(actions);
                    }
                }
                if self.soaked && self.stopping.is_none() {
                    starts.extend(self.window_starts());
                }
            }
        }
        // One start at a time: the next is decided on its answer, with everything it changed
        // (a failure that spends the budget stops the rest).
        if let Some(i) = starts
            .into_iter()
            .find(|i| !self.started.contains(i))
            .filter(|_| self.awaiting.is_empty())
        {
            self.started.insert(i);
            self.awaiting.insert(i);
            actions.push(Action::Start(self.slots[i].cluster.clone()));
        }
        if let Some(outcome) = self.finished(actions) {
            self.outcome = Some(outcome);
            actions.push(Action::Finish(outcome));
        }
    }

    /// A workload cluster still not offered the target [`OFFER_GRACE_SECONDS`] after the tier
    /// completed it: not offered.
    fn offers_overdue(&mut self, actions: &mut Vec<Action>) {
        let Some(done_at) = self.tier_done_at else {
            return;
        };
        if self.now.as_second() - done_at.as_second() <= OFFER_GRACE_SECONDS {
            return;
        }
        let overdue: Vec<usize> = self
            .workloads()
            .filter(|&i| self.slots[i].state == State::NotOfferedYet)
            .collect();
        for i in overdue {
            self.set(i, State::NotOffered, actions);
        }
    }

    /// The tier member that moves next: the standby, then the global cluster; one at a time.
    fn next_tier_member(&self) -> Option<usize> {
        let tier: Vec<usize> = (0..self.slots.len())
            .filter(|&i| self.slots[i].role != Role::Workload)
            .collect();
        let first = tier.into_iter().find(|&i| {
            let s = &self.slots[i];
            !(s.state.at_target() || s.seen.at(&self.target))
        })?;
        let slot = &self.slots[first];
        (slot.selected && slot.state == State::Ready && !self.pending_start(first)).then_some(first)
    }

    /// Started by this run but not answered yet.
    fn pending_start(&self, i: usize) -> bool {
        self.awaiting.contains(&i)
    }

    /// Selected workload clusters, in plan order.
    fn workloads(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.slots.len())
            .filter(|&i| self.slots[i].role == Role::Workload && self.slots[i].selected)
    }

    /// Once the tier completed: the canary is the workload clusters already moving, then the
    /// first to be requested, up to `canary` — none when that many already reached the target.
    fn choose_canary(&mut self, actions: &mut Vec<Action>) {
        // The tier completed: whatever was offered the target meanwhile may go now; the rest
        // go when their offer comes (news of their cvsh).
        let offered: Vec<usize> = self
            .workloads()
            .filter(|&i| self.slots[i].state == State::NotOfferedYet && self.slots[i].seen.offered)
            .collect();
        for i in offered {
            self.set(i, State::Ready, actions);
        }
        let want = canary_wanted(&self.slots, self.limits.canary);
        self.canary_want = Some(want);
        for i in pick_canary(&self.slots, want) {
            self.slots[i].canary = true;
        }
    }

    /// Keep the canary at its size: a canary its pre-checks refused (blocked, not offered) is
    /// no canary; the next cluster to be requested takes its place.
    fn top_up_canary(&mut self) {
        let Some(want) = self.canary_want else {
            return;
        };
        if self.soaked || self.soak_until.is_some() {
            return;
        }
        let out: Vec<usize> = (0..self.slots.len())
            .filter(|&i| {
                self.slots[i].canary
                    && matches!(
                        self.slots[i].state,
                        State::Blocked { .. } | State::NotOffered
                    )
            })
            .collect();
        for i in out {
            self.slots[i].canary = false;
        }
        let live = self.slots.iter().filter(|s| s.canary).count();
        let more: Vec<usize> = self
            .workloads()
            .filter(|&i| !self.slots[i].canary && to_be_requested(&self.slots[i].state))
            .take(want.saturating_sub(live))
            .collect();
        for i in more {
            self.slots[i].canary = true;
        }
    }

    fn canaries(&self) -> impl Iterator<Item = &Slot> + '_ {
        self.slots.iter().filter(|s| s.canary)
    }

    /// The canary is over: one failed (nothing more starts), or every canary reached the
    /// target and the canary is whole (or no cluster is left to complete it).
    fn canary_done(&self) -> bool {
        if self
            .canaries()
            .any(|s| matches!(s.state, State::Failed { .. }))
        {
            return true;
        }
        let live = self.canaries().count();
        let whole = live >= self.canary_want.unwrap_or(0)
            || !self
                .workloads()
                .any(|i| !self.slots[i].canary && to_be_requested(&self.slots[i].state));
        whole && self.canaries().all(|s| s.state.at_target())
    }

    fn canary_starts(&self) -> Vec<usize> {
        let room = self.limits.window.saturating_sub(self.active());
        (0..self.slots.len())
            .filter(|&i| self.slots[i].canary && self.slots[i].state == State::Ready)
            .filter(|&i| !self.pending_start(i))
            .take(room)
            .collect()
    }

    /// The canary completed: wait out the soak, then ask for a re-read.
    fn soak(&mut self, actions: &mut Vec<Action>) {
        if self.rereading {
            return;
        }
        let canaries: Vec<String> = self
            .canaries()
            .filter(|s| s.state.at_target())
            .map(|s| s.cluster.clone())
            .collect();
        if canaries.is_empty() || self.limits.soak_seconds <= 0 {
            self.soaked = true;
            return;
        }
        let until = *self.soak_until.get_or_insert_with(|| {
            Timestamp::from_second(self.now.as_second() + self.limits.soak_seconds)
                .unwrap_or(self.now)
        });
        if self.now >= until {
            self.rereading = true;
            actions.push(Action::Reread(canaries));
        }
    }

    /// The sliding window: start ready clusters while fewer than `window` move.
    fn window_starts(&self) -> Vec<usize> {
        let room = self
            .limits
            .window
            .saturating_sub(self.active + self.awaiting.len());
        if room == 0 {
            return Vec::new();
        }
        self.workloads()
            .filter(|&i| self.slots[i].state == State::Ready && !self.pending_start(i))
            .take(room)
            .collect()
    }

    /// Seconds until the rollout next needs a tick without an event (the soak's end, the
    /// offer's grace), if any.
    pub fn wake_in(&self) -> Option<i64> {
        let soak = self
            .soak_until
            .filter(|_| !self.soaked && !self.rereading)
            .map(|until| until.as_second());
        let grace = self
            .tier_done_at
            .filter(|_| self.slots.iter().any(|s| s.state == State::NotOfferedYet))
            .map(|at| at.as_second() + OFFER_GRACE_SECONDS + 1);
        [soak, grace]
            .into_iter()
            .flatten()
            .min()
            .map(|at| (at - self.now.as_second()).max(0))
    }

    /// The outcome, when nothing more will happen: nothing moves, nothing may start.
    fn finished(&self, actions: &[Action]) -> Option<Outcome> {
        if actions
            .iter()
            .any(|a| matches!(a, Action::Start(_) | Action::Reread(_)))
            || self.rereading
            || self.active > 0
            || !self.awaiting.is_empty()
        {
            return None;
        }
        if self.stopping.is_none() && self.soak_until.is_some() && !self.soaked {
            return None;
        }
        // The tier completed a moment ago: the controller is about to offer the target.
        if self.stopping.is_none()
            && self.tier_done_at.is_some()
            && self
                .slots
                .iter()
                .any(|s| s.selected && s.state == State::NotOfferedYet)
        {
            return None;
        }
        let selected = || self.slots.iter().filter(|s| s.selected);
        if selected().all(|s| s.state.at_target()) {
            return Some(Outcome::AllAtTarget);
        }
        if self.failures > 0 {
            return Some(Outcome::Failed);
        }
        // Something could still start, were it not stopped: not finished.
        if self.stopping.is_none()
            && selected().any(|s| s.state == State::Ready || s.state == State::NotOfferedYet)
            && self.can_progress()
        {
            return None;
        }
        Some(Outcome::Incomplete)
    }

    /// Whether a ready or waiting cluster will get its turn: the tier is done or will be (its
    /// next member is startable).
    fn can_progress(&self) -> bool {
        if self.tier_done() {
            return self
                .slots
                .iter()
                .any(|s| s.selected && s.state == State::Ready);
        }
        self.next_tier_member().is_some()
    }
}

/// A workload cluster the rollout will request when its turn comes: ready, or waiting for its
/// offer.
fn to_be_requested(state: &State) -> bool {
    matches!(state, State::Ready | State::NotOfferedYet)
}

/// How many canaries a rollout still wants: `canary`, less the selected workload clusters that
/// already reached the target (they prove it).
pub fn canary_wanted(slots: &[Slot], canary: usize) -> usize {
    let proven = slots
        .iter()
        .filter(|s| s.role == Role::Workload && s.selected && s.state.at_target())
        .count();
    canary.saturating_sub(proven)
}

/// The canary a rollout chooses (and its plan shows): the selected workload clusters already
/// moving to the target first, then those to be requested, in plan order, up to `want`.
pub fn pick_canary(slots: &[Slot], want: usize) -> Vec<usize> {
    let workload = |s: &Slot| s.role == Role::Workload && s.selected;
    let moving = (0..slots.len()).filter(|&i| workload(&slots[i]) && slots[i].state.active());
    let next =
        (0..slots.len()).filter(|&i| workload(&slots[i]) && to_be_requested(&slots[i].state));
    moving.chain(next).take(want).collect()
}
