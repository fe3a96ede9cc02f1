//! The status of one cluster (`ac adm upgrade status`, `docs/status.md` §7.1) and the watch
//! event built on it (§7.2).

use jiff::Timestamp;
use serde::Serialize;
use serde_json::Value;

use crate::domain::advice::{self, NextStep, Scope};
use crate::domain::assess::{
    self, Assessment, CheckCounts, CheckState, Estimate, PhaseClass, Progress, WatchOutcome,
};
use crate::domain::cvsh::{
    Condition, Cvsh, DesiredUpdate, HistoryEntry, Operation, PreflightCheck, Release, Stage,
};
use crate::domain::facts::{Fact, Platform};
use crate::domain::precheck::NextMove;
use crate::domain::rules::offers::Offers;

pub const STATUS_SCHEMA: &str = "ac.alauda.io/upgrade-status/v1";
pub const WATCH_SCHEMA: &str = "ac.alauda.io/upgrade-watch-event/v1";

/// Conditions shown first, in this order; every other type follows as the server lists it.
pub const CONDITION_ORDER: &[&str] = &[
    "Ready",
    "Reconciling",
    "Degraded",
    "Stalled",
    "PreflightReady",
];

/// What a status report is built from.
#[derive(Debug, Clone, Copy)]
pub struct StatusInput<'a> {
    pub cvsh: &'a Cvsh,
    /// The object as read, embedded as `object`.
    pub object: &'a Value,
    pub now: Timestamp,
    /// A sentence printed first ("Note: context … points at …").
    pub note: Option<&'a str>,
    /// The cluster, the global tier, how kubectl reaches global.
    pub scope: Scope<'a>,
    /// What was read of the platform: `cvo-config`'s disabled checks, and the objects the
    /// pre-checks and the remedies of failed checks name (`Platform::default()`: nothing in
    /// the way).
    pub platform: &'a Platform,
    /// The cluster's next move as its pre-checks judged it (`None`: not judged, e.g. a watch).
    pub next: Option<&'a NextMove>,
}

/// `ac.alauda.io/upgrade-status/v1`. Every serialized key is always present (`null` when
/// unknown).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusReport<'a> {
    pub schema: &'static str,
    /// The "now" used.
    pub time: String,
    pub cluster: String,
    pub note: Option<String>,
    pub assessment: Assessment,
    pub assessment_label: &'static str,
    pub stale: bool,
    pub generation: Option<i64>,
    pub observed_generation: Option<i64>,
    pub current: Option<Release>,
    pub target: Option<Release>,
    /// `spec.desiredUpdate`, when it names a release.
    pub requested: Option<DesiredUpdate>,
    pub desired: Option<Release>,
    pub global_version: Option<String>,
    pub started_at: Option<String>,
    pub elapsed_seconds: Option<i64>,
    pub progress: Progress,
    pub estimate: Estimate,
    /// In display order ([`CONDITION_ORDER`]).
    pub conditions: Vec<Condition>,
    pub preflight: Option<PreflightReport>,
    /// Preflight checks disabled in `cpaas-system/cvo-config` (the controller skips them);
    /// `null` when it could not be read.
    pub disabled_checks: Option<Vec<String>>,
    /// In the order they run.
    pub stages: Vec<StageReport>,
    pub history: Vec<HistoryReport>,
    /// Highest first.
    pub available_updates: Vec<Release>,
    pub next_steps: Vec<NextStep>,
    pub object: &'a Value,

    /// The "now" used (text: ages and running durations).
    #[serde(skip)]
    pub now: Timestamp,
    /// The cluster is the global cluster (text: no `Global:` line).
    #[serde(skip)]
    pub is_global: bool,
    /// `spec.desiredUpdate.force: true`.
    #[serde(skip)]
    pub forced: bool,
    /// Counts of check states (zero without preflight).
    #[serde(skip)]
    pub check_counts: CheckCounts,
    /// A history entry is running.
    #[serde(skip)]
    pub running: bool,
    /// Running operations, in server order.
    #[serde(skip)]
    pub running_operations: Vec<String>,
    /// Failed operations with their stage, in server order.
    #[serde(skip)]
    pub failed_operations: Vec<FailedOperation>,
    /// The check the watch names: the first failed one, else the first in `Retry`.
    #[serde(skip)]
    pub watched_check: Option<CheckReport>,
    /// How a watch of this status ends, if it does.
    #[serde(skip)]
    pub outcome: Option<WatchOutcome>,
}

/// `preflight` of the status report.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PreflightReport {
    pub observed_at: Option<String>,
    pub total: usize,
    pub passed: usize,
    pub retry: usize,
    pub failed: usize,
    pub blocking: usize,
    /// In server order.
    pub checks: Vec<CheckReport>,
}

/// One preflight check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub name: String,
    pub policy: Option<String>,
    pub state: Option<String>,
    pub reason: Option<String>,
    pub message: Option<String>,
    /// Blocks the upgrade (policy-aware; never when the request is forced).
    pub blocking: bool,
    #[serde(skip)]
    pub state_class: CheckState,
}

impl CheckReport {
    fn new(check: &PreflightCheck, forced: bool) -> CheckReport {
        CheckReport {
            name: check.name.clone(),
            policy: check.policy.clone(),
            state: check.state.clone(),
            reason: check.reason.clone(),
            message: check.message.clone(),
            blocking: !forced && assess::check_blocks(check),
            state_class: assess::check_state(check),
        }
    }
}

/// One stage with its operations.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageReport {
    pub name: String,
    pub priority: Option<i64>,
    pub phase: Option<String>,
    pub ops_done: usize,
    pub ops_total: usize,
    /// In server order.
    pub operations: Vec<OperationReport>,
    #[serde(skip)]
    pub class: PhaseClass,
    #[serde(skip)]
    pub ops_failed: usize,
}

impl StageReport {
    fn new(stage: &Stage) -> StageReport {
        let operations: Vec<OperationReport> =
            stage.operations.iter().map(OperationReport::new).collect();
        let count = |class: PhaseClass| operations.iter().filter(|o| o.class == class).count();
        StageReport {
            name: stage.name.clone(),
            priority: stage.priority,
            phase: stage.phase.clone(),
            ops_done: count(PhaseClass::Done),
            ops_total: operations.len(),
            ops_failed: count(PhaseClass::Failed),
            class: assess::phase_class(stage.phase.as_deref()),
            operations,
        }
    }

    /// The stage failed, or one of its operations did.
    pub fn bad(&self) -> bool {
        self.class == PhaseClass::Failed || self.ops_failed > 0
    }
}

/// One operation of a stage.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationReport {
    pub name: String,
    pub action: Option<String>,
    pub current_version: Option<String>,
    pub target_version: Option<String>,
    pub phase: Option<String>,
    pub depends_on: Vec<String>,
    #[serde(skip)]
    pub class: PhaseClass,
}

impl OperationReport {
    fn new(operation: &Operation) -> OperationReport {
        OperationReport {
            name: operation.name.clone(),
            action: operation.action.clone(),
            current_version: operation.current_version.clone(),
            target_version: operation.target_version.clone(),
            phase: operation.phase.clone(),
            depends_on: operation.depends_on.clone(),
            class: assess::phase_class(operation.phase.as_deref()),
        }
    }
}

/// One entry of `status.history`, newest first.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryReport {
    pub version: Option<String>,
    pub image: Option<String>,
    pub state: Option<String>,
    pub started_time: Option<String>,
    pub completion_time: Option<String>,
    pub duration_seconds: Option<i64>,
    pub accepted_risks: Option<String>,
}

impl HistoryReport {
    fn new(entry: &HistoryEntry) -> HistoryReport {
        HistoryReport {
            version: entry.version.clone(),
            image: entry.image.clone(),
            state: entry.state.clone(),
            started_time: entry.started_time.clone(),
            completion_time: entry.completion_time.clone(),
            duration_seconds: assess::entry_duration(entry),
            accepted_risks: entry.accepted_risks.clone(),
        }
    }

    pub fn release(&self) -> Release {
        Release {
            version: self.version.clone(),
            image: self.image.clone(),
        }
    }

    pub fn state_is(&self, state: &str) -> bool {
        self.state
            .as_deref()
            .is_some_and(|known| known.eq_ignore_ascii_case(state))
    }
}

/// A failed operation and its stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailedOperation {
    pub stage: String,
    pub operation: String,
}

/// Conditions in display order: the known five first, then the others as the server lists them.
fn ordered_conditions(cvsh: &Cvsh) -> Vec<Condition> {
    let mut ordered: Vec<Condition> = CONDITION_ORDER
        .iter()
        .filter_map(|kind| cvsh.condition(kind).cloned())
        .collect();
    ordered.extend(
        cvsh.conditions
            .iter()
            .filter(|condition| !CONDITION_ORDER.contains(&condition.type_.as_str()))
            .cloned(),
    );
    ordered
}

/// The first failed check, else the first check in `Retry`.
fn watched_check(checks: &[CheckReport]) -> Option<CheckReport> {
    checks
        .iter()
        .find(|check| check.state_class == CheckState::Failed)
        .or_else(|| {
            checks
                .iter()
                .find(|check| check.state_class == CheckState::Retry)
        })
        .cloned()
}

/// No next move judged: a watch frame follows a request, it does not suggest one.
static NOT_JUDGED: NextMove = NextMove {
    next: crate::domain::rules::tier::NextVersion::UpToDate,
    target: None,
    judgement: None,
};

/// Build the status report.
pub fn status_report<'a>(input: &StatusInput<'a>) -> StatusReport<'a> {
    let cvsh = input.cvsh;
    let assessment = assess::assess(cvsh, input.now);
    let forced = assess::classify::forced(cvsh);
    let check_counts = assess::check_counts(cvsh);
    let running = assess::running_entry(cvsh);
    let preflight = cvsh.preflight.as_ref().map(|preflight| PreflightReport {
        observed_at: preflight.observed_at.clone(),
        total: check_counts.total,
        passed: check_counts.passed,
        retry: check_counts.retry,
        failed: check_counts.failed,
        blocking: check_counts.blocking,
        checks: preflight
            .checks
            .iter()
            .map(|check| CheckReport::new(check, forced))
            .collect(),
    });
    let all_operations = || cvsh.stages.iter().flat_map(|s| &s.operations);
    StatusReport {
        schema: STATUS_SCHEMA,
        time: input.now.to_string(),
        cluster: cvsh.name.clone(),
        note: input.note.map(str::to_string),
        assessment,
        assessment_label: assessment.label(),
        stale: cvsh.is_stale(),
        generation: cvsh.generation,
        observed_generation: cvsh.observed_generation,
        current: cvsh.current.clone(),
        target: assess::target(cvsh),
        requested: cvsh
            .desired_update
            .clone()
            .filter(|update| update.release().is_some()),
        desired: cvsh.desired.clone(),
        global_version: if input.scope.is_global() {
            None
        } else {
            input.scope.tier.ceiling().map(str::to_string)
        },
        started_at: running.and_then(|entry| entry.started_time.clone()),
        elapsed_seconds: assess::elapsed(cvsh, input.now),
        progress: assess::progress(cvsh),
        estimate: assess::estimate(cvsh, input.now),
        conditions: ordered_conditions(cvsh),
        watched_check: preflight
            .as_ref()
            .and_then(|preflight| watched_check(&preflight.checks)),
        preflight,
        stages: assess::stages_in_order(cvsh)
            .into_iter()
            .map(StageReport::new)
            .collect(),
        history: cvsh.history.iter().map(HistoryReport::new).collect(),
        available_updates: Offers::new(&cvsh.available_updates).into_vec(),
        next_steps: advice::status::next_steps(
            cvsh,
            assessment,
            &input.scope,
            input.platform,
            input.next.unwrap_or(&NOT_JUDGED),
        ),
        disabled_checks: match &input.platform.disabled_checks {
            Fact::Read(list) => Some(list.clone()),
            Fact::Unknown(_) => None,
        },
        object: input.object,
        now: input.now,
        is_global: input.scope.is_global(),
        forced,
        check_counts,
        running: running.is_some(),
        running_operations: all_operations()
            .filter(|operation| assess::op_running(operation))
            .map(|operation| operation.name.clone())
            .collect(),
        failed_operations: assess::failed_operations(cvsh)
            .into_iter()
            .map(|(stage, operation)| FailedOperation {
                stage: stage.name.clone(),
                operation: operation.name.clone(),
            })
            .collect(),
        outcome: assess::watch_outcome(cvsh),
    }
}

/// `ac.alauda.io/upgrade-watch-event/v1`: the status report with its schema replaced, plus
/// `event` and `outcome` (`null` while the watch goes on, `"Succeeded"`, or
/// `{"Failed": "reason"}`).
#[derive(Debug, Clone, Serialize)]
pub struct WatchEvent<'a> {
    #[serde(flatten)]
    pub status: StatusReport<'a>,
    pub event: &'static str,
    pub outcome: Option<WatchOutcome>,
}

/// The watch event of a status report.
pub fn watch_event(mut status: StatusReport<'_>) -> WatchEvent<'_> {
    status.schema = WATCH_SCHEMA;
    let outcome = status.outcome.clone();
    WatchEvent {
        status,
        event: "Status",
        outcome,
    }
}
