//! Writing the controller's view into `status`: history transitions, available updates,
//! preflight, stages, and the conditions (from `conditions`).

use jiff::Timestamp;
use serde_json::{Value, json};

use super::conditions::{self, set_conditions};
use super::plan;
use super::run::{Run, Target};
use super::world::World;
use crate::clock::{Timeline, rfc3339};
use crate::version;

/// The newest history entry, when it is an update still running (Partial, no completion).
fn open_entry(st: &mut Value) -> Option<&mut Value> {
    let h = st.get_mut("history")?.as_array_mut()?.first_mut()?;
    let open = h.get("state").and_then(Value::as_str) == Some("Partial")
        && h.get("completionTime").is_none_or(Value::is_null);
    open.then_some(h)
}

/// A superseded update: its entry stays Partial and gets a completion time (`at`: written
/// time, like every time given to these functions except where said).
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
pub fn offers(cluster: &str, status: &Value, world: &World) -> Vec<Value> {
    let current = status.pointer("/current/version").and_then(Value::as_str);
    let current_image = status.pointer("/current/image").and_then(Value::as_str);
    let mut out: Vec<Value> = Vec::new();
    for manifest in world.manifests.iter().filter(|manifest| manifest.ready) {
        let entry = match (&manifest.version, &manifest.image) {
            (Some(offered), _) => {
                let Some(current) = current else { continue };
                if version::is_newer(offered, current) != Some(true)
                    || !version::upgrade_path_supported(current, offered)
                {
                    continue;
                }
                if cluster != "global" {
                    let ahead_of_global = world
                        .global_version
                        .as_deref()
                        .is_none_or(|global| version::is_newer(offered, global) != Some(false));
                    if ahead_of_global {
                        continue;
                    }
                }
                json!({"version": offered})
            }
            (None, Some(image)) if cluster == "global" && current_image != Some(image.as_str()) => {
                json!({"image": image})
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

fn preflight_json(run: &Run, timeline: &Timeline) -> Value {
    let checks: Vec<Value> = run
        .checks
        .iter()
        .map(|check| {
            let outcome = &check.outcome;
            json!({"name": check.name, "policy": outcome.policy, "state": outcome.state.as_str(),
                "reason": outcome.reason, "message": outcome.message})
        })
        .collect();
    let mut preflight = json!({"checks": checks});
    if let Some(observed) = run.observed_at {
        preflight["observedAt"] = rfc3339(timeline.wall(observed)).into();
    }
    preflight
}

/// Fill in the derived fields of a status at simulated time `now`, writing times through
/// `timeline`; `degraded`: the cluster has the `degrade` fault.
pub fn finish(
    status: &mut Value,
    cluster: &str,
    (run, degraded): (Option<&Run>, bool),
    world: &World,
    (now, timeline): (Timestamp, Timeline),
    generation: Option<i64>,
) {
    if let Some(generation) = generation {
        status["observedGeneration"] = generation.into();
    }
    match run.filter(|run| run.active()) {
        Some(run) => status["desired"] = run.target.to_json(),
        None => {
            if let Some(current) = status.get("current").cloned() {
                status["desired"] = current;
            }
        }
    }
    let offered = offers(cluster, status, world);
    if let Some(fields) = status.as_object_mut() {
        if offered.is_empty() {
            fields.remove("availableUpdates");
        } else {
            fields.insert("availableUpdates".into(), Value::Array(offered));
        }
    }
    if let Some(run) = run {
        if run.preflight_start.is_some() {
            status["preflight"] = preflight_json(run, &timeline);
        }
        if !run.schedule.is_empty() {
            let to = run.target.version.as_deref();
            status["stages"] = plan::render(&run.schedule, now, run.from.as_deref(), to);
        }
    }
    let mut owned = match run {
        Some(run) => conditions::of_run(status, run, now, &timeline),
        None => conditions::idle(status, now, None, &timeline),
    };
    if degraded {
        owned.extend(run.and_then(|run| conditions::degraded(cluster, run)));
    }
    set_conditions(status, owned, &timeline);
}
