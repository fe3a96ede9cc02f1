//! What a ClusterVersionShadow means: the assessment, progress, time estimate, next steps and
//! the watch outcome. Pure functions of a [`Cvsh`] and an injected "now"; documented in
//! `docs/status.md` (keep the two in step).
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

use std::cmp::Ordering;

use jiff::Timestamp;
use serde::Serialize;

use crate::domain::cvsh::{Cvsh, HistoryEntry, Operation, PreflightCheck, Release, Stage};
use crate::domain::version;

/// Elapsed time above `SLOW_FACTOR` × baseline makes a progressing upgrade "slow".
pub const SLOW_FACTOR: f64 = 1.5;

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

// ---------------------------------------------------------------------------------------------
// Phases, checks, stages

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

fn checks(c: &Cvsh) -> &[PreflightCheck] {
    c.preflight
        .as_ref()
        .map(|p| p.checks.as_slice())
        .unwrap_or(&[])
}

fn forced(c: &Cvsh) -> bool {
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
// Target, history, time

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

/// Parse an RFC 3339 time; `None` for anything else.
pub fn parse_time(s: &str) -> Option<Timestamp> {
    s.trim().parse::<Timestamp>().ok()
}

/// Seconds from `a` to `b`.
fn secs_between(a: Timestamp, b: Timestamp) -> i64 {
    b.as_second() - a.as_second()
}

/// Duration of a finished history entry, in seconds (`None` if a time is missing, unparseable
/// or the interval is negative).
pub fn entry_duration(h: &HistoryEntry) -> Option<i64> {
    let s = parse_time(h.started_time.as_deref()?)?;
    let e = parse_time(h.completion_time.as_deref()?)?;
    let d = secs_between(s, e);
    (d >= 0).then_some(d)
}

/// The reference duration for estimates: the last completed upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Baseline {
    /// Duration of that upgrade in seconds.
    pub seconds: i64,
    /// The release it went to (version, else image).
    pub release: String,
    pub completed_at: Option<String>,
}

/// The newest history entry with state `Completed` and both times, excluding the running one.
/// Entries of zero length are skipped (an install record, or clock noise).
pub fn baseline(c: &Cvsh) -> Option<Baseline> {
    c.history
        .iter()
        .filter(|h| h.completion_time.is_some())
        .filter(|h| {
            h.state
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("completed"))
        })
        .find_map(|h| {
            let d = entry_duration(h)?;
            (d > 0).then(|| Baseline {
                seconds: d,
                release: h.release().label(),
                completed_at: h.completion_time.clone(),
            })
        })
}

/// Seconds since the running entry started (`None` when nothing runs or its start is unknown;
/// clamped at 0 for clocks that disagree).
pub fn elapsed(c: &Cvsh, now: Timestamp) -> Option<i64> {
    let h = running_entry(c)?;
    let s = parse_time(h.started_time.as_deref()?)?;
    Some(secs_between(s, now).max(0))
}

/// Time remaining for the running upgrade, from the last completed one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all_fields = "camelCase")]
pub enum Estimate {
    /// No upgrade is running (no history entry without completionTime).
    NotRunning,
    /// Running, but its start time is missing or unparseable.
    UnknownStart,
    /// Running for `elapsed` seconds; no completed upgrade to compare with.
    NoBaseline { elapsed_seconds: i64 },
    /// Expected to finish in `remaining` seconds (baseline − elapsed).
    Remaining {
        remaining_seconds: i64,
        elapsed_seconds: i64,
        baseline: Baseline,
    },
    /// Already `over` seconds longer than the baseline.
    Overdue {
        over_seconds: i64,
        elapsed_seconds: i64,
        baseline: Baseline,
    },
}

pub fn estimate(c: &Cvsh, now: Timestamp) -> Estimate {
    if running_entry(c).is_none() {
        return Estimate::NotRunning;
    }
    let Some(el) = elapsed(c, now) else {
        return Estimate::UnknownStart;
    };
    match baseline(c) {
        None => Estimate::NoBaseline {
            elapsed_seconds: el,
        },
        Some(b) if el <= b.seconds => Estimate::Remaining {
            remaining_seconds: b.seconds - el,
            elapsed_seconds: el,
            baseline: b,
        },
        Some(b) => Estimate::Overdue {
            over_seconds: el - b.seconds,
            elapsed_seconds: el,
            baseline: b,
        },
    }
}

/// Whether the running upgrade is beyond [`SLOW_FACTOR`] × its baseline.
pub fn is_slow(c: &Cvsh, now: Timestamp) -> bool {
    match estimate(c, now) {
        Estimate::Overdue {
            elapsed_seconds,
            baseline,
            ..
        } => (elapsed_seconds as f64) > SLOW_FACTOR * baseline.seconds as f64,
        _ => false,
    }
}

/// Durations the way kubectl/oc readers expect them, two units at most, floor-rounded, seconds
/// only below ten minutes: `42s`, `5m 30s`, `47m`, `1h 5m`, `3d 4h`, `2h`; negative reads as
/// `0s`.
pub fn human_duration(secs: i64) -> String {
    let s = secs.max(0);
    let (d, h, m, sec) = (s / 86_400, (s % 86_400) / 3600, (s % 3600) / 60, s % 60);
    let pair = |a: i64, ua: &str, b: i64, ub: &str| {
        if b == 0 {
            format!("{a}{ua}")
        } else {
            format!("{a}{ua} {b}{ub}")
        }
    };
    if d > 0 {
        pair(d, "d", h, "h")
    } else if h > 0 {
        pair(h, "h", m, "m")
    } else if m >= 10 {
        format!("{m}m")
    } else if m > 0 {
        pair(m, "m", sec, "s")
    } else {
        format!("{sec}s")
    }
}

/// `48m ago` for a time string, or `in 5m` for a future one; `None` if unparseable.
pub fn ago(ts: &str, now: Timestamp) -> Option<String> {
    let t = parse_time(ts)?;
    let d = secs_between(t, now);
    Some(if d >= 0 {
        format!("{} ago", human_duration(d))
    } else {
        format!("in {}", human_duration(-d))
    })
}

// ---------------------------------------------------------------------------------------------
// Progress

/// Operations and stages finished so far.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub ops_done: usize,
    pub ops_total: usize,
    pub ops_running: usize,
    pub ops_failed: usize,
    pub stages_done: usize,
    pub stages_total: usize,
    /// The stage at work: the first `Running` one in priority order, else the first not done
    /// when some are done.
    pub current_stage: Option<String>,
    /// 1-based position of `current_stage` in priority order.
    pub current_stage_number: Option<usize>,
    /// `ops_done × 100 / ops_total` floor-rounded (by stages when no stage lists operations);
    /// `None` when there is nothing to count.
    pub percent: Option<u8>,
}

impl Progress {
    /// Work is under way: an operation runs or failed, or some (not all) stages or operations
    /// are finished. Everything finished reads as "not under way" (a finished run, possibly of
    /// the previous upgrade).
    pub fn under_way(&self) -> bool {
        self.ops_running > 0
            || self.ops_failed > 0
            || (self.stages_done > 0 && self.stages_done < self.stages_total)
            || (self.ops_done > 0 && self.ops_done < self.ops_total)
    }
}

pub fn progress(c: &Cvsh) -> Progress {
    let mut p = Progress {
        stages_total: c.stages.len(),
        ..Default::default()
    };
    for s in &c.stages {
        if stage_done(s) {
            p.stages_done += 1;
        }
        for o in &s.operations {
            p.ops_total += 1;
            match phase_class(o.phase.as_deref()) {
                PhaseClass::Done => p.ops_done += 1,
                PhaseClass::Running => p.ops_running += 1,
                PhaseClass::Failed => p.ops_failed += 1,
                _ => {}
            }
        }
    }
    let ordered = stages_in_order(c);
    let running = ordered
        .iter()
        .position(|s| phase_class(s.phase.as_deref()) == PhaseClass::Running);
    let current = running.or_else(|| {
        if p.stages_done > 0 && p.stages_done < p.stages_total {
            ordered.iter().position(|s| !stage_done(s))
        } else {
            None
        }
    });
    if let Some(i) = current {
        p.current_stage = Some(ordered[i].name.clone());
        p.current_stage_number = Some(i + 1);
    }
    p.percent = (p.ops_done * 100)
        .checked_div(p.ops_total)
        .or_else(|| (p.stages_done * 100).checked_div(p.stages_total))
        .map(|x| x.min(100) as u8);
    p
}

// ---------------------------------------------------------------------------------------------
// Assessment

fn failed_operations(c: &Cvsh) -> Vec<(&Stage, &Operation)> {
    c.stages
        .iter()
        .flat_map(|s| s.operations.iter().map(move |o| (s, o)))
        .filter(|(_, o)| op_failed(o))
        .collect()
}

/// Decide the assessment; see the module documentation for the rules.
pub fn assess(c: &Cvsh, now: Timestamp) -> Assessment {
    let pending = pending_target(c).is_some();
    let running = running_entry(c).is_some();
    let stage_running = c
        .stages
        .iter()
        .any(|s| phase_class(s.phase.as_deref()) == PhaseClass::Running);
    let reconciling = c.condition_true("Reconciling");
    let bad_condition = c.condition_true("Stalled") || c.condition_true("Degraded");
    let op_failed_any = c.stages.iter().flat_map(|s| &s.operations).any(op_failed);

    // 1. Nothing in flight.
    if !(pending || running || stage_running || reconciling) {
        if bad_condition || op_failed_any {
            return Assessment::Stalled;
        }
        let completed = c.requested().is_some_and(|r| {
            c.current.as_ref().is_some_and(|cur| cur.same_as(&r))
                && c.condition_true("Ready")
                && c.history.first().is_some_and(|h| {
                    h.state
                        .as_deref()
                        .is_some_and(|s| s.eq_ignore_ascii_case("completed"))
                        && h.release().same_as(&r)
                })
        });
        return if completed {
            Assessment::Completed
        } else {
            Assessment::Idle
        };
    }
    // 2. The controller has not seen the latest request.
    if pending && c.is_stale() {
        return Assessment::Requested;
    }
    // 3. A failed operation.
    if op_failed_any {
        return Assessment::Stalled;
    }
    let p = progress(c);
    let work_started = stage_running || p.under_way();
    // 4. Preflight blocks (only before work started: a check failing mid-upgrade is reported
    //    through Stalled/Degraded by the controller).
    if !work_started && !blocking_checks(c).is_empty() {
        return Assessment::BlockedByPreflight;
    }
    // 5. Controller says it is stuck.
    if bad_condition {
        return Assessment::Stalled;
    }
    // 6. Work under way.
    if work_started {
        return if is_slow(c, now) {
            Assessment::ProgressingSlow
        } else {
            Assessment::Progressing
        };
    }
    let counts = check_counts(c);
    // 7. Checks without a final result.
    if counts.retry > 0 || (counts.total > 0 && counts.unknown > 0 && counts.failed == 0) {
        return Assessment::PreflightRunning;
    }
    let preflight_ready = c.condition_true("PreflightReady");
    let controller_at_work = reconciling || running;
    // 8. No result yet while the controller works on it.
    if counts.total == 0 && !preflight_ready && controller_at_work {
        return Assessment::PreflightRunning;
    }
    // 9. Preflight passed; stages about to start.
    let all_passed =
        counts.total > 0 && counts.passed + counts.failed + counts.skipped == counts.total;
    if (preflight_ready || all_passed) && controller_at_work {
        return if is_slow(c, now) {
            Assessment::ProgressingSlow
        } else {
            Assessment::Progressing
        };
    }
    // 10.
    Assessment::Requested
}

// ---------------------------------------------------------------------------------------------
// Watch outcome

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
pub fn watch_outcome(c: &Cvsh) -> Option<WatchOutcome> {
    if c.is_stale() {
        return None;
    }
    if let Some((s, o)) = failed_operations(c).first() {
        return Some(WatchOutcome::Failed(format!(
            "operation {} in stage {} failed{}",
            o.name,
            s.name,
            o.phase
                .as_deref()
                .filter(|p| !p.eq_ignore_ascii_case("failed"))
                .map(|p| format!(" ({p})"))
                .unwrap_or_default()
        )));
    }
    if !progress(c).under_way()
        && let Some(k) = blocking_checks(c).first()
    {
        return Some(WatchOutcome::Failed(format!(
            "preflight check {} failed{}",
            k.name,
            k.reason
                .as_deref()
                .map(|r| format!(" ({r})"))
                .unwrap_or_default()
        )));
    }
    for t in ["Stalled", "Degraded"] {
        if let Some(cond) = c.condition(t).filter(|k| k.is_true()) {
            return Some(WatchOutcome::Failed(condition_text(t, cond)));
        }
    }
    if c.condition_true("Ready") && pending_target(c).is_none() && running_entry(c).is_none() {
        return Some(WatchOutcome::Succeeded);
    }
    None
}

fn condition_text(t: &str, cond: &crate::domain::cvsh::Condition) -> String {
    let mut s = format!("{t}=True");
    if let Some(r) = &cond.reason {
        s.push_str(&format!(" ({r})"));
    }
    if let Some(m) = &cond.message {
        s.push_str(": ");
        s.push_str(&crate::error::one_line(m));
    }
    s
}

// ---------------------------------------------------------------------------------------------
// Next steps

/// What a next step is about (stable names for machine output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NextStepKind {
    StaleStatus,
    ExemptResourcePatch,
    AcknowledgeAdminGate,
    KubernetesVersion,
    UpgradePath,
    ResolveCheck,
    WaitForPreflight,
    FailedOperation,
    ResolveCondition,
    Watch,
    RequestUpdate,
    ImportManifest,
    Sequencing,
}

/// One thing to do, with the exact commands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextStep {
    pub kind: NextStepKind,
    /// One or two sentences.
    pub text: String,
    /// Copy-pasteable commands, in order.
    pub commands: Vec<String>,
}

impl NextStep {
    fn new(kind: NextStepKind, text: impl Into<String>) -> NextStep {
        NextStep {
            kind,
            text: text.into(),
            commands: Vec::new(),
        }
    }
    fn cmd(mut self, c: impl Into<String>) -> NextStep {
        self.commands.push(c.into());
        self
    }
}

fn cluster_name(c: &Cvsh) -> &str {
    if shell_safe(&c.name) {
        &c.name
    } else {
        "<cluster>"
    }
}

/// The version to put in commands: the target's version, else `<version>`.
fn target_version(c: &Cvsh) -> String {
    target(c)
        .and_then(|t| t.version)
        .or_else(|| c.desired.as_ref().and_then(|d| d.version.clone()))
        .unwrap_or_else(|| "<version>".into())
}

fn is_dns_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '.')
        && s.starts_with(|ch: char| ch.is_ascii_alphanumeric())
        && s.ends_with(|ch: char| ch.is_ascii_alphanumeric())
}

const NOT_NAMES: &[&str] = &[
    "is",
    "are",
    "not",
    "and",
    "or",
    "the",
    "for",
    "with",
    "exempt",
    "exempted",
    "unexempt",
    "found",
    "blocking",
    "block",
    "blocks",
    "version",
    "annotation",
    "annotated",
    "missing",
    "has",
    "have",
    "no",
    "without",
    "of",
    "to",
    "in",
    "on",
    "that",
    "which",
    "must",
    "be",
    "should",
    "need",
    "needs",
    "lack",
    "lacks",
];

fn clean_token(t: &str) -> &str {
    t.trim_matches(|ch: char| {
        matches!(
            ch,
            '"' | '\''
                | '`'
                | '['
                | ']'
                | '('
                | ')'
                | '{'
                | '}'
                | ','
                | ';'
                | ':'
                | '.'
                | '<'
                | '>'
        ) || ch.is_whitespace()
    })
}

fn push_unique(v: &mut Vec<String>, s: &str) {
    if !v.iter().any(|x| x == s) {
        v.push(s.to_string());
    }
}

/// Names of ResourcePatches in a check message. Understood forms (case-insensitive keyword):
/// `resourcepatches/rp-a`, `ResourcePatch rp-a is …`, `resourcepatches: rp-a, rp-b`,
/// `ResourcePatches [rp-a rp-b]`, `(rp-a, rp-b)`, quoted names (`"rp-a"`). Only valid DNS-1123
/// names are returned, in order, without duplicates; empty when none can be found.
pub fn resource_patch_names(message: &str) -> Vec<String> {
    names_after(
        message,
        &["resourcepatches/", "resourcepatch/"],
        &[
            "resourcepatches",
            "resourcepatch",
            "resource patches",
            "resource patch",
        ],
        true,
    )
}

/// Cluster names in a check message: `cluster workload-a`, `clusters: a, b`, `clusters/a`.
/// Quoted words are not taken (too ambiguous).
pub fn cluster_names(message: &str) -> Vec<String> {
    names_after(
        message,
        &["clusters/", "cluster/"],
        &["clusters", "cluster"],
        false,
    )
}

fn names_after(message: &str, slash_kw: &[&str], list_kw: &[&str], quoted: bool) -> Vec<String> {
    let mut out = Vec::new();
    let lower = message.to_ascii_lowercase();
    // kind/name form
    for (i, _) in slash_kw.iter().flat_map(|k| lower.match_indices(k)) {
        let rest = &message[i..];
        if let Some(slash) = rest.find('/') {
            let name: String = rest[slash + 1..]
                .chars()
                .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '-' || *ch == '.')
                .collect();
            let name = name.trim_end_matches('.');
            if is_dns_name(name) {
                push_unique(&mut out, name);
            }
        }
    }
    if !out.is_empty() {
        return out;
    }
    // keyword followed by a list
    for kw in list_kw {
        let mut from = 0;
        while let Some(pos) = lower[from..].find(kw) {
            let begin = from + pos;
            let start = begin + kw.len();
            from = start;
            // whole words only: "resourcepatch" must not match inside "resourcepatches"
            let before_ok = !lower[..begin]
                .chars()
                .next_back()
                .is_some_and(|ch| ch.is_ascii_alphanumeric());
            let after_ok = !lower[start..]
                .chars()
                .next()
                .is_some_and(|ch| ch.is_ascii_alphanumeric() || ch == '/');
            if !(before_ok && after_ok) {
                continue;
            }
            // skip an "s" (resourcepatch(es)) already covered; take the tail
            let tail = &message[start..];
            let tail = tail.strip_prefix("(es)").unwrap_or(tail);
            let tail = tail.trim_start_matches([':', ' ', '\t']);
            if let Some(open) = tail.strip_prefix(['[', '(', '{']) {
                let close = open.find([']', ')', '}']).unwrap_or(open.len());
                for t in open[..close].split([',', ' ', '\t']) {
                    let t = clean_token(t);
                    if is_dns_name(t) && !NOT_NAMES.contains(&t) {
                        push_unique(&mut out, t);
                    }
                }
            } else {
                // a comma/"and"-separated run of names; stops at the first word after a name
                // that is not preceded by a separator.
                let mut expect_name = true;
                for raw in tail.split_inclusive([' ', ',']) {
                    let sep_comma = raw.ends_with(',');
                    let t = clean_token(raw);
                    if t.is_empty() {
                        continue;
                    }
                    if t == "and" {
                        expect_name = true;
                        continue;
                    }
                    if !expect_name {
                        break;
                    }
                    if is_dns_name(t) && !NOT_NAMES.contains(&t) {
                        push_unique(&mut out, t);
                        let ends_sentence = raw.trim_end().ends_with('.');
                        if ends_sentence {
                            break;
                        }
                        expect_name = sep_comma;
                    } else {
                        break;
                    }
                }
            }
            if !out.is_empty() {
                return out;
            }
        }
    }
    // quoted names anywhere
    if !quoted {
        return out;
    }
    for q in ['"', '\'', '`'] {
        let parts: Vec<&str> = message.split(q).collect();
        for (i, p) in parts.iter().enumerate() {
            if i % 2 == 1 && i + 1 < parts.len() && is_dns_name(p) && !p.contains('.') {
                push_unique(&mut out, p);
            }
        }
    }
    out
}

/// Admin-gate keys (`ack-…`) named in a check message, in order, without duplicates.
pub fn admin_gate_keys(message: &str) -> Vec<String> {
    let mut out = Vec::new();
    for raw in message
        .split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '-' || ch == '.' || ch == '_'))
    {
        let t = raw.trim_end_matches(['.', '-']);
        if t.len() > 4
            && t.starts_with("ack-")
            && t.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '.' || ch == '_')
        {
            push_unique(&mut out, t);
        }
    }
    out
}

/// Names that can go inside a quoted jsonpath filter of a shell command as they are.
fn shell_safe(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '-' | '_' | '.' | '/' | ':'))
}

/// `kubectl … -o jsonpath=…` reading one entry of a status list, or the whole list when the
/// name cannot be quoted safely.
fn jsonpath_cmd(cluster: &str, list: &str, key: &str, name: &str) -> String {
    if shell_safe(name) {
        format!(
            "kubectl -n cpaas-system get cvsh {cluster} -o jsonpath='{{.status.{list}[?(@.{key}==\"{name}\")]}}'"
        )
    } else {
        format!("kubectl -n cpaas-system get cvsh {cluster} -o jsonpath='{{.status.{list}}}'")
    }
}

fn check_summary(k: &PreflightCheck) -> String {
    let mut s = format!("Preflight check {} failed", k.name);
    if let Some(r) = &k.reason {
        s.push_str(&format!(" ({r})"));
    }
    if let Some(m) = &k.message {
        let m = crate::error::one_line(m);
        if !m.is_empty() {
            s.push_str(": ");
            s.push_str(m.trim_end_matches('.'));
        }
    }
    s.push('.');
    s
}

fn check_step(c: &Cvsh, k: &PreflightCheck) -> NextStep {
    let name = cluster_name(c);
    let tv = target_version(c);
    let msg = k.message.as_deref().unwrap_or("");
    let head = check_summary(k);
    let reason = k.reason.as_deref().unwrap_or("");
    if k.name == "ResourcePatchUpgradeable" || reason == "UnexemptResourcePatches" {
        let names = resource_patch_names(msg);
        let list = if names.is_empty() {
            "<rp-name>".to_string()
        } else {
            names.join(" ")
        };
        let which = if names.len() > 1 {
            "these ResourcePatches"
        } else {
            "the ResourcePatch"
        };
        let mut text = format!(
            "{head} Review {which}, then exempt {} for {tv}.",
            if names.len() > 1 { "them" } else { "it" }
        );
        if names.is_empty() {
            text.push_str(
                " The message names no ResourcePatch: find it with `kubectl get resourcepatches`.",
            );
        }
        return NextStep::new(NextStepKind::ExemptResourcePatch, text)
            .cmd(format!("kubectl get resourcepatches {list} -o yaml"))
            .cmd(format!(
                "kubectl annotate resourcepatches {list} config.cpaas.io/exempt-for-ver={tv} --overwrite"
            ));
    }
    if k.name == "AdminAckRequired" {
        let keys = admin_gate_keys(msg);
        let data = if keys.is_empty() {
            "\"<gate-key>\":\"true\"".to_string()
        } else {
            keys.iter()
                .map(|k| format!("\"{k}\":\"true\""))
                .collect::<Vec<_>>()
                .join(",")
        };
        return NextStep::new(
            NextStepKind::AcknowledgeAdminGate,
            format!(
                "{head} Read the gates the release declares, do the manual checks each one describes, then acknowledge {} in cpaas-system/admin-acks.",
                if keys.len() > 1 { "them" } else { "it" }
            ),
        )
        .cmd("kubectl -n cpaas-system get configmap admin-gates -o yaml")
        .cmd(format!(
            "kubectl -n cpaas-system patch configmap admin-acks --type merge -p '{{\"data\":{{{data}}}}}'"
        ));
    }
    if k.name == "KubernetesVersionSupported" {
        let minor = version::minor_of(&tv);
        let range = minor.and_then(version::kubernetes_range);
        let (ma, mi) = minor.unwrap_or_default();
        let supported = match range {
            Some((lo, hi)) => format!("Kubernetes {lo}–{hi}"),
            None => "the Kubernetes versions the target release supports".to_string(),
        };
        if c.name == "global" {
            let named: Vec<String> = cluster_names(msg)
                .into_iter()
                .filter(|n| n != "global")
                .collect();
            let target_minor = if minor.is_some() {
                format!("ACP {ma}.{mi}")
            } else {
                tv.clone()
            };
            let which = if named.is_empty() {
                String::new()
            } else {
                format!(" ({})", named.join(", "))
            };
            let mut step = NextStep::new(
                NextStepKind::KubernetesVersion,
                format!(
                    "{head} Before the global cluster moves to {target_minor}, every workload cluster must run {supported}: upgrade the workload clusters outside that range first{which}, then retry."
                ),
            );
            if named.is_empty() {
                step = step.cmd("ac adm upgrade status --all-clusters");
            }
            for n in named {
                step = step.cmd(format!("ac adm upgrade --cluster {n}"));
            }
            return step;
        }
        return NextStep::new(
            NextStepKind::KubernetesVersion,
            format!(
                "{head} This cluster must run {supported} before it can move to {tv}: bring its Kubernetes into that range first (see what it can move to now):"
            ),
        )
        .cmd(format!("ac adm upgrade --cluster {name}"));
    }
    if k.name == "VersionUpgradePath" {
        let minor = version::minor_of(&tv);
        let cur = c
            .current_version()
            .map(str::to_string)
            .unwrap_or_else(|| "an unknown version".into());
        let text = match minor.and_then(version::supported_sources) {
            Some(srcs) => {
                let (ma, mi) = minor.unwrap_or_default();
                format!(
                    "{head} Upgrades into {ma}.{mi} are supported from {}; this cluster is at {cur}. Move it to a supported version first, then request {tv}.",
                    join_or(srcs)
                )
            }
            None => format!(
                "{head} The controller does not support moving from {cur} to {tv} directly; choose an intermediate version it offers."
            ),
        };
        return NextStep::new(NextStepKind::UpgradePath, text)
            .cmd(format!("ac adm upgrade --cluster {name}"));
    }
    NextStep::new(
        NextStepKind::ResolveCheck,
        format!(
            "{head} Fix what it reports; the controller re-runs preflight. As a last resort an administrator can disable the check in cpaas-system/cvo-config (data.preflight: disabled)."
        ),
    )
    .cmd(jsonpath_cmd(name, "preflight.checks", "name", &k.name))
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [a] => a.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// What to do next, most urgent first. Remedies: ResourcePatch exemption, admin acks,
/// Kubernetes range, upgrade path, other failed checks, waiting on `Retry`, the failing
/// operation(s) when stalled, stale status, watching, requesting or importing an update.
pub fn next_steps(c: &Cvsh, a: Assessment) -> Vec<NextStep> {
    let name = cluster_name(c);
    let mut out = Vec::new();
    if c.is_stale() {
        out.push(NextStep::new(
            NextStepKind::StaleStatus,
            format!(
                "The status is stale: the controller has not observed generation {} yet (it last observed {}). It normally catches up within seconds; if it does not, check that the cluster version operator is running on the global cluster.",
                c.generation.map(|g| g.to_string()).unwrap_or_else(|| "?".into()),
                c.observed_generation.map(|g| g.to_string()).unwrap_or_else(|| "none".into())
            ),
        )
        .cmd(format!("ac adm upgrade status --cluster {name} --watch")));
        if a == Assessment::Requested {
            return out;
        }
    }
    let in_flight = a.in_flight() || pending_target(c).is_some();
    if in_flight && !progress(c).under_way() {
        for k in blocking_checks(c) {
            out.push(check_step(c, k));
        }
    }
    match a {
        Assessment::Stalled => {
            let failed = failed_operations(c);
            for (s, o) in failed.iter().take(5) {
                out.push(
                    NextStep::new(
                        NextStepKind::FailedOperation,
                        format!(
                            "Operation {} ({} {}) in stage {} failed{}. Inspect it and the component it manages; the controller retries once the cause is fixed.",
                            o.name,
                            o.action.as_deref().unwrap_or("change"),
                            versions_arrow(o),
                            s.name,
                            o.phase
                                .as_deref()
                                .filter(|p| !p.eq_ignore_ascii_case("failed"))
                                .map(|p| format!(" (phase {p})"))
                                .unwrap_or_default()
                        ),
                    )
                    .cmd(if shell_safe(&s.name) && shell_safe(&o.name) {
                        format!(
                            "kubectl -n cpaas-system get cvsh {name} -o jsonpath='{{.status.stages[?(@.name==\"{}\")].operations[?(@.name==\"{}\")]}}'",
                            s.name, o.name
                        )
                    } else {
                        jsonpath_cmd(name, "stages", "name", &s.name)
                    }),
                );
            }
            if failed.len() > 5 {
                out.push(NextStep::new(
                    NextStepKind::FailedOperation,
                    format!(
                        "{} more operations failed; see them with --verbose.",
                        failed.len() - 5
                    ),
                ));
            }
            if failed.is_empty() && blocking_checks(c).is_empty() {
                for t in ["Stalled", "Degraded"] {
                    if let Some(cond) = c.condition(t).filter(|k| k.is_true()) {
                        out.push(
                            NextStep::new(
                                NextStepKind::ResolveCondition,
                                format!(
                                    "The controller reports {}. Fix what it names; it resumes on its own.",
                                    condition_text(t, cond)
                                ),
                            )
                            .cmd(jsonpath_cmd(name, "conditions", "type", t)),
                        );
                        break;
                    }
                }
            }
        }
        Assessment::PreflightRunning | Assessment::Requested => {
            let retry: Vec<&str> = checks(c)
                .iter()
                .filter(|k| check_state(k) == CheckState::Retry)
                .map(|k| k.name.as_str())
                .collect();
            let text = if !retry.is_empty() {
                format!(
                    "Preflight has no final result yet for {} ({}): the controller retries on its own. Wait, then look again.",
                    plural(retry.len(), "check", "checks"),
                    retry.join(", ")
                )
            } else if a == Assessment::PreflightRunning {
                "Preflight is running; results appear under Preflight. Wait, then look again."
                    .to_string()
            } else {
                "The controller has not started on the request yet. Wait, then look again."
                    .to_string()
            };
            if out.iter().all(|s| s.kind != NextStepKind::StaleStatus) {
                out.push(
                    NextStep::new(NextStepKind::WaitForPreflight, text)
                        .cmd(format!("ac adm upgrade status --cluster {name} --watch")),
                );
            }
        }
        Assessment::Progressing | Assessment::ProgressingSlow => {
            let text = if a == Assessment::ProgressingSlow {
                let b = baseline(c)
                    .map(|b| format!("; the last one took {}", human_duration(b.seconds)))
                    .unwrap_or_default();
                format!(
                    "This upgrade is running much longer than the last one{b}. Look for an operation of the running stage that does not move:"
                )
            } else {
                "Nothing to do: the upgrade is progressing. Follow it:".to_string()
            };
            let cmd = if a == Assessment::ProgressingSlow {
                format!("ac adm upgrade status --cluster {name} --verbose")
            } else {
                format!("ac adm upgrade status --cluster {name} --watch")
            };
            out.push(NextStep::new(NextStepKind::Watch, text).cmd(cmd));
        }
        Assessment::BlockedByPreflight => {}
        Assessment::Idle | Assessment::Completed => {
            if !c.is_stale() {
                out.extend(offer_step(c));
            }
        }
    }
    out
}

/// Idle/completed: request what is offered, or import release metadata.
fn offer_step(c: &Cvsh) -> Option<NextStep> {
    let name = cluster_name(c);
    let newer: Vec<Release> = version::sort_updates(&c.available_updates)
        .into_iter()
        .filter(|r| match (r.version.as_deref(), c.current_version()) {
            (Some(v), Some(cur)) => version::newer_than(v, cur).unwrap_or(true),
            _ => true,
        })
        .collect();
    if let Some(l) = version::latest(&newer) {
        let v = l.version.unwrap_or_default();
        return Some(
            NextStep::new(
                NextStepKind::RequestUpdate,
                format!("{v} is offered. Request it:"),
            )
            .cmd(format!("ac adm upgrade --cluster {name} --to-latest")),
        );
    }
    if let Some(img) = newer.first() {
        return Some(
            NextStep::new(
                NextStepKind::RequestUpdate,
                "An image-only update is offered. Request it:",
            )
            .cmd(format!(
                "ac adm upgrade --cluster {name} --to-image={}",
                img.label()
            )),
        );
    }
    if c.available_updates.is_empty() && c.name == "global" {
        return Some(
            NextStep::new(
                NextStepKind::ImportManifest,
                "No updates are offered. To offer a new release, publish its metadata:",
            )
            .cmd("ac adm release import-manifest --version <version>"),
        );
    }
    None
}

/// A workload cluster against the global cluster's version: behind it (and what it can move
/// to), or targeting past it. `None` for global itself, or when nothing is worth saying.
pub fn sequencing_step(c: &Cvsh, global_version: Option<&str>) -> Option<NextStep> {
    let gv = global_version?;
    if c.name == "global" {
        return None;
    }
    let name = cluster_name(c);
    if let Some(t) = pending_target(c).and_then(|t| t.version)
        && version::newer_than(&t, gv) == Some(true)
    {
        return Some(NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "The target {t} is ahead of the global cluster ({gv}): a workload cluster may only move to a version global has reached. Upgrade global first, or request {gv}."
            ),
        ));
    }
    if pending_target(c).is_some() {
        return None;
    }
    let cur = c.current_version()?;
    if version::newer_than(gv, cur) != Some(true) {
        return None;
    }
    let to = move_to(c, gv);
    Some(match to {
        MoveTo::Offered(v) => NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "This cluster ({cur}) is behind the global cluster ({gv}); it can move to {v}."
            ),
        )
        .cmd(format!("ac adm upgrade --cluster {name} --to={v}")),
        MoveTo::NotOffered => NextStep::new(
            NextStepKind::Sequencing,
            format!(
                "This cluster ({cur}) is behind the global cluster ({gv}), but no version up to {gv} is offered to it yet; the controller offers it once its release metadata is published."
            ),
        ),
    })
}

/// Where a workload cluster can go, given global's version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveTo {
    /// The highest offered version not newer than global's.
    Offered(String),
    /// Nothing suitable offered yet (global is ahead).
    NotOffered,
}

/// The highest of the cluster's available versions that is newer than its current one and not
/// newer than `global_version`.
pub fn move_to(c: &Cvsh, global_version: &str) -> MoveTo {
    // The highest offer up to global's version; it is a move only when newer than the current
    // version (nothing lower can be).
    let best = version::highest_up_to(&c.available_updates, global_version).filter(|v| {
        c.current_version()
            .is_none_or(|cur| version::newer_than(v, cur) == Some(true))
    });
    match best {
        Some(v) => MoveTo::Offered(v),
        None => MoveTo::NotOffered,
    }
}

/// `4.2.1 → 4.3.0`, `- → 4.3.0`, `4.2.1 → -`, or empty.
pub fn versions_arrow(o: &Operation) -> String {
    match (&o.current_version, &o.target_version) {
        (None, None) => String::new(),
        (a, b) => format!(
            "{} → {}",
            a.as_deref().unwrap_or("-"),
            b.as_deref().unwrap_or("-")
        ),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests;
