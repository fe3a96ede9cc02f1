//! Writing the controller's view into `status`: history transitions, conditions, preflight,
//! stages, available updates.

use jiff::Timestamp;
use serde_json::{Value, json};

use super::plan;
use super::preflight::State;
use super::run::{Phase, Run, Target};
use super::world::World;
use crate::clock::rfc3339;
use crate::version;

/// The newest history entry, when it is an update still running (Partial, no completion).
fn open_entry(st: &mut Value) -> Option<&mut Value> {
    let h = st.get_mut("history")?.as_array_mut()?.first_mut()?;
    let open = h.get("state").and_then(Value::as_str) == Some("Partial")
        && h.get("completionTime").is_none_or(Value::is_null);
    open.then_some(h)
}

/// A superseded update: its entry stays Partial and gets a completion time.
pub fn close_partial(st: &mut Value, at: Timestamp) {
    if let Some(h) = open_entry(st) {
        h["completionTime"] = rfc3339(at).into();
    }
}

/// Stages start: a new Partial history entry, newest first.
pub fn start_history(st: &mut Value, target: &Target, at: Timestamp, skipped: &[String]) {
    let mut entry = target.to_json();
    entry["state"] = "Partial".into();
    entry["startedTime"] = rfc3339(at).into();
    if !skipped.is_empty() {
        entry["acceptedRisks"] = format!(
            "Forced past failed preflight checks: {}",
            skipped.join(", ")
        )
        .into();
    }
    if !st.get("history").is_some_and(Value::is_array) {
        st["history"] = json!([]);
    }
    if let Some(h) = st["history"].as_array_mut() {
        h.insert(0, entry);
    }
}

/// The update finished: the cluster runs the target.
pub fn complete(st: &mut Value, target: &Target, at: Timestamp) {
    st["current"] = target.to_json();
    if let Some(h) = open_entry(st) {
        h["state"] = "Completed".into();
        h["completionTime"] = rfc3339(at).into();
    }
}

/// What the controller offers a cluster now (absent when nothing).
pub fn offers(cluster: &str, st: &Value, world: &World) -> Vec<Value> {
    let current = st.pointer("/current/version").and_then(Value::as_str);
    let current_image = st.pointer("/current/image").and_then(Value::as_str);
    let mut out: Vec<Value> = Vec::new();
    for m in world.manifests.iter().filter(|m| m.ready) {
        let entry = match (&m.version, &m.image) {
            (Some(v), _) => {
                let Some(c) = current else { continue };
                if version::is_newer(v, c) != Some(true) || !version::upgrade_path_supported(c, v) {
                    continue;
                }
                if cluster != "global" {
                    let ahead = world
                        .global_version
                        .as_deref()
                        .is_none_or(|g| version::is_newer(v, g) != Some(false));
                    if ahead {
                        continue;
                    }
                }
                json!({"version": v})
            }
            (None, Some(img)) if cluster == "global" && current_image != Some(img.as_str()) => {
                json!({"image": img})
            }
            _ => continue,
        };
        if !out.contains(&entry) {
            out.push(entry);
        }
    }
    out.truncate(16);
    out
}

struct Cond {
    type_: &'static str,
    status: &'static str,
    reason: String,
    message: String,
    since: Timestamp,
}

/// `PreflightReady=True` once preflight passed, or was forced past the `skipped` failures.
fn preflight_passed(target: &str, skipped: &[String], since: Timestamp) -> Cond {
    if skipped.is_empty() {
        cond(
            "PreflightReady",
            "True",
            "ChecksPassed",
            format!("All preflight checks passed for {target}"),
            since,
        )
    } else {
        cond(
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

fn cond(
    type_: &'static str,
    status: &'static str,
    reason: &str,
    message: String,
    since: Timestamp,
) -> Cond {
    Cond {
        type_,
        status,
        reason: reason.to_string(),
        message,
        since,
    }
}

/// Upsert conditions, keeping `lastTransitionTime` while a condition's status is unchanged
/// and every condition type the controller does not own.
fn set_conditions(st: &mut Value, new: Vec<Cond>) {
    let old: Vec<Value> = st
        .get("conditions")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut out: Vec<Value> = Vec::new();
    for c in &new {
        let prev = old
            .iter()
            .find(|o| o.get("type").and_then(Value::as_str) == Some(c.type_));
        let since = match prev {
            Some(p) if p.get("status").and_then(Value::as_str) == Some(c.status) => p
                .get("lastTransitionTime")
                .cloned()
                .unwrap_or_else(|| rfc3339(c.since).into()),
            _ => rfc3339(c.since).into(),
        };
        out.push(
            json!({"type": c.type_, "status": c.status, "reason": c.reason,
            "message": c.message, "lastTransitionTime": since}),
        );
    }
    for o in old {
        let t = o.get("type").and_then(Value::as_str).unwrap_or("");
        if !new.iter().any(|c| c.type_ == t) {
            out.push(o);
        }
    }
    st["conditions"] = Value::Array(out);
}

fn idle_conditions(
    st: &Value,
    now: Timestamp,
    completed: Option<(&Target, Timestamp)>,
) -> Vec<Cond> {
    let current = st
        .pointer("/current/version")
        .or_else(|| st.pointer("/current/image"))
        .and_then(Value::as_str)
        .unwrap_or("an unknown version");
    let since = completed.map_or(now, |(_, at)| at);
    let (reason, msg) = match completed {
        Some((t, at)) => (
            "Completed",
            format!("The upgrade to {} completed at {}", t.label(), rfc3339(at)),
        ),
        None => ("Idle", "No upgrade in progress".to_string()),
    };
    vec![
        cond(
            "Ready",
            "True",
            "UpToDate",
            format!("Cluster is running {current}"),
            since,
        ),
        cond("Reconciling", "False", reason, msg, since),
        cond(
            "Stalled",
            "False",
            "AsExpected",
            "No upgrade is blocked".into(),
            since,
        ),
    ]
}

fn run_conditions(st: &Value, run: &Run, now: Timestamp) -> Vec<Cond> {
    let t = run.target.label();
    let start = run.preflight_start.unwrap_or(now);
    let done = run
        .checks
        .iter()
        .filter(|c| c.2.state != State::Retry)
        .count();
    let n = run.checks.len();
    match &run.phase {
        Phase::Waiting {
            reason,
            message,
            since,
        } => vec![
            cond("Ready", "False", reason, message.clone(), *since),
            cond(
                "Reconciling",
                "False",
                reason,
                format!("Waiting before the upgrade to {t} can start"),
                *since,
            ),
            cond("Stalled", "True", reason, message.clone(), *since),
            cond(
                "PreflightReady",
                "Unknown",
                "NotStarted",
                format!("Preflight for {t} has not started"),
                *since,
            ),
        ],
        Phase::Preflight => vec![
            cond(
                "Ready",
                "False",
                "Preflight",
                format!("Running preflight checks for {t}"),
                start,
            ),
            cond(
                "Reconciling",
                "True",
                "Preflight",
                format!("Running preflight checks for {t}: {done} of {n} done"),
                start,
            ),
            cond(
                "Stalled",
                "False",
                "AsExpected",
                "No upgrade is blocked".into(),
                start,
            ),
            cond(
                "PreflightReady",
                "Unknown",
                "Running",
                format!("Preflight checks for {t} are running ({done} of {n} done)"),
                start,
            ),
        ],
        Phase::Blocked { since, .. } => {
            let failed: Vec<String> = run
                .checks
                .iter()
                .filter(|c| c.2.blocking())
                .map(|c| format!("{} ({}: {})", c.0, c.2.reason, c.2.message))
                .collect();
            let names: Vec<&str> = run
                .checks
                .iter()
                .filter(|c| c.2.blocking())
                .map(|c| c.0)
                .collect();
            vec![
                cond(
                    "Ready",
                    "False",
                    "PreflightFailed",
                    format!("Preflight checks failed for {t}: {}", names.join(", ")),
                    *since,
                ),
                cond(
                    "Reconciling",
                    "False",
                    "PreflightFailed",
                    format!("The upgrade to {t} waits for failed preflight checks"),
                    *since,
                ),
                cond(
                    "Stalled",
                    "True",
                    "PreflightFailed",
                    format!(
                        "{} preflight check(s) failed for {t}: {}",
                        failed.len(),
                        failed.join("; ")
                    ),
                    *since,
                ),
                cond(
                    "PreflightReady",
                    "False",
                    "ChecksFailed",
                    format!("{} of {n} checks failed: {}", names.len(), names.join(", ")),
                    *since,
                ),
            ]
        }
        Phase::Upgrading => {
            let passed_at = run.passed_at.unwrap_or(start);
            let preflight = preflight_passed(&t, &run.skipped, passed_at);
            if let Some((stage, op, msg)) = plan::failed_at(&run.schedule, now) {
                let since = run
                    .schedule
                    .iter()
                    .flatten()
                    .filter_map(|o| o.fail_at.filter(|f| *f <= now))
                    .max()
                    .unwrap_or(now);
                return vec![
                    cond(
                        "Ready",
                        "False",
                        "OperationFailed",
                        format!("The upgrade to {t} is stalled: operation {stage}/{op} failed"),
                        since,
                    ),
                    cond(
                        "Reconciling",
                        "False",
                        "OperationFailed",
                        format!(
                            "Operation {stage}/{op} failed; the upgrade to {t} cannot continue"
                        ),
                        since,
                    ),
                    cond(
                        "Stalled",
                        "True",
                        "OperationFailed",
                        format!("Operation {stage}/{op} failed: {msg}"),
                        since,
                    ),
                    preflight,
                ];
            }
            let (running, ops_done, total) = plan::progress(&run.schedule, now);
            let stage = running.map_or("-", |i| plan::PLAN[i].name);
            let idx = running.map_or(0, |i| i + 1);
            vec![
                cond(
                    "Ready",
                    "False",
                    "Upgrading",
                    format!(
                        "Upgrading to {t}: stage {stage} ({idx} of {})",
                        plan::PLAN.len()
                    ),
                    passed_at,
                ),
                cond(
                    "Reconciling",
                    "True",
                    "Upgrading",
                    format!("Upgrading to {t}: {ops_done} of {total} operations done"),
                    passed_at,
                ),
                cond(
                    "Stalled",
                    "False",
                    "AsExpected",
                    "No upgrade is blocked".into(),
                    passed_at,
                ),
                preflight,
            ]
        }
        Phase::Completed { at } => {
            let mut c = idle_conditions(st, now, Some((&run.target, *at)));
            let passed_at = run.passed_at.unwrap_or(*at);
            c.push(preflight_passed(&t, &run.skipped, passed_at));
            c
        }
    }
}

fn preflight_json(run: &Run) -> Value {
    let checks: Vec<Value> = run
        .checks
        .iter()
        .map(|(name, _, o)| {
            json!({"name": name, "policy": o.policy, "state": o.state.as_str(),
                "reason": o.reason, "message": o.message})
        })
        .collect();
    let mut p = json!({"checks": checks});
    if let Some(t) = run.observed_at {
        p["observedAt"] = rfc3339(t).into();
    }
    p
}

/// Fill in the derived fields of a status at `now`.
pub fn finish(
    st: &mut Value,
    cluster: &str,
    run: Option<&Run>,
    world: &World,
    now: Timestamp,
    generation: Option<i64>,
) {
    if let Some(g) = generation {
        st["observedGeneration"] = g.into();
    }
    match run.filter(|r| r.active()) {
        Some(r) => st["desired"] = r.target.to_json(),
        None => {
            if let Some(c) = st.get("current").cloned() {
                st["desired"] = c;
            }
        }
    }
    let offered = offers(cluster, st, world);
    if let Some(m) = st.as_object_mut() {
        if offered.is_empty() {
            m.remove("availableUpdates");
        } else {
            m.insert("availableUpdates".into(), Value::Array(offered));
        }
    }
    if let Some(r) = run {
        if r.preflight_start.is_some() {
            st["preflight"] = preflight_json(r);
        }
        if !r.schedule.is_empty() {
            let to = r.target.version.as_deref();
            st["stages"] = plan::render(&r.schedule, now, r.from.as_deref(), to);
        }
    }
    let conds = match run {
        Some(r) => run_conditions(st, r, now),
        None => idle_conditions(st, now, None),
    };
    set_conditions(st, conds);
}
