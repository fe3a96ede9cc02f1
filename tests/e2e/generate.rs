//! Deterministic generated fixtures shared by the golden tests and the benchmark.
#![allow(dead_code)]

use serde_json::{Value, json};

/// A deterministic fleet of `n` clusters in every state (also used by the benchmark).
pub fn large_fleet(n: usize) -> Value {
    let mut items = vec![json!({
        "metadata": {"name": "global", "namespace": "cpaas-system", "generation": 9},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {"observedGeneration": 9, "current": {"version": "4.3.0"},
            "conditions": [{"type": "Ready", "status": "True"}],
            "history": [{"version": "4.3.0", "state": "Completed",
                "startedTime": "2026-11-20T01:00:00Z", "completionTime": "2026-11-20T02:10:00Z"}]}
    })];
    for i in 1..n {
        let name = format!("workload-{i:04}");
        let cur = ["4.1.3", "4.2.1", "4.2.3", "4.3.0"][i % 4];
        let mut status = json!({
            "observedGeneration": 3, "current": {"version": cur},
            "conditions": [{"type": "Ready", "status": "True"}],
            "availableUpdates": match cur {
                "4.1.3" => json!([{"version": "4.2.1"}, {"version": "4.2.3"}]),
                "4.2.1" if i % 3 == 0 => Value::Null,
                "4.2.1" | "4.2.3" => json!([{"version": "4.3.0"}]),
                _ => Value::Null,
            },
        });
        let mut spec = json!({});
        if matches!(i % 10, 7 | 9) || i % 20 == 3 || i % 50 == 11 {
            // clusters with a request start below it
            status["current"] = json!({"version": if i % 4 == 0 { "4.1.3" } else { "4.2.1" }});
        }
        match i % 10 {
            7 => {
                spec = json!({"desiredUpdate": {"version": "4.3.0"}});
                status["desired"] = json!({"version": "4.3.0"});
                status["conditions"] = json!([{"type": "Ready", "status": "False"},
                    {"type": "Reconciling", "status": "True"}, {"type": "PreflightReady", "status": "True"}]);
                status["history"] = json!([{"version": "4.3.0", "state": "Partial",
                    "startedTime": "2026-11-23T09:30:00Z"}]);
                let done = i % 7;
                status["stages"] = json!([{"name": "core", "priority": 10, "phase": "Running",
                    "operations": (0..6).map(|k| json!({"name": format!("op-{k}"),
                        "phase": if k < done { "Succeeded" } else if k == done { "Running" } else { "Pending" }}))
                        .collect::<Vec<_>>()}]);
            }
            9 if i % 3 == 0 => {
                spec = json!({"desiredUpdate": {"version": "4.3.0"}});
                status["conditions"] =
                    json!([{"type": "Stalled", "status": "True", "reason": "PreflightFailed"}]);
                status["preflight"] = json!({"checks": [
                    {"name": "ResourcePatchUpgradeable", "state": "Failed", "reason": "UnexemptResourcePatches"},
                    {"name": "ClusterRunning", "state": "Retry"}]});
            }
            9 => {
                spec = json!({"desiredUpdate": {"version": "4.3.0"}});
                status["conditions"] = json!([{"type": "Reconciling", "status": "True"}]);
                status["preflight"] =
                    json!({"checks": [{"name": "ClusterModuleStable", "state": "Retry"}]});
            }
            3 if i % 20 == 3 => {
                spec = json!({"desiredUpdate": {"version": "4.3.0"}});
                status["conditions"] =
                    json!([{"type": "Stalled", "status": "True", "reason": "OperationFailed"}]);
                status["history"] = json!([{"version": "4.3.0", "state": "Partial",
                    "startedTime": "2026-11-23T08:00:00Z"}]);
                status["stages"] = json!([{"name": "core", "priority": 10, "phase": "Running",
                    "operations": [{"name": "kube-ovn", "phase": "Succeeded"}, {"name": "courier", "phase": "Failed"}]}]);
            }
            1 if i % 50 == 11 => {
                spec = json!({"desiredUpdate": {"version": "4.3.0"}});
            }
            _ => {}
        }
        if i % 70 == 7 {
            // slow: running far longer than the last upgrade
            status["history"] = json!([
                {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T06:00:00Z"},
                {"version": "4.2.1", "state": "Completed", "startedTime": "2026-10-01T01:00:00Z",
                 "completionTime": "2026-10-01T02:00:00Z"}]);
        }
        let generation = if i % 50 == 11 { 4 } else { 3 };
        items.push(json!({"metadata": {"name": name, "namespace": "cpaas-system", "generation": generation},
            "spec": spec, "status": status}));
    }
    // reverse so the renderer has to sort
    items.reverse();
    json!({"apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadowList", "items": items})
}

/// One cvsh with `stages` × `ops` operations: stages before the middle finished, the middle
/// one running with two failed operations (indices 7 and 33 when there are enough), the rest
/// pending. Upgrading 4.2.1 → 4.3.0, Stalled.
pub fn big_cvsh(stages: usize, ops: usize) -> Value {
    let mid = stages / 2 - usize::from(stages > 1 && stages.is_multiple_of(2));
    let stage_list: Vec<Value> = (0..stages)
        .map(|s| {
            let phase = match s.cmp(&mid) {
                std::cmp::Ordering::Less => "Finished",
                std::cmp::Ordering::Equal => "Running",
                std::cmp::Ordering::Greater => "Pending",
            };
            let operations: Vec<Value> = (0..ops)
                .map(|o| {
                    let p = match s.cmp(&mid) {
                        std::cmp::Ordering::Less => "Succeeded",
                        std::cmp::Ordering::Greater => "Pending",
                        std::cmp::Ordering::Equal => match o {
                            7 | 33 => "Failed",
                            _ if o < ops / 2 => "Succeeded",
                            _ if o < ops / 2 + 3 => "Running",
                            _ => "UpgradePending",
                        },
                    };
                    json!({"name": format!("op-{s:02}-{o:02}"), "action": "Upgrade",
                        "currentVersion": format!("v4.2.{}", o % 9), "targetVersion": format!("v4.3.{}", o % 7),
                        "phase": p,
                        "dependsOn": if o == 0 { json!([]) } else { json!([format!("op-{s:02}-{:02}", o - 1)]) }})
                })
                .collect();
            json!({"name": format!("stage-{s:02}"), "priority": (s + 1) * 10, "phase": phase,
                "operations": operations})
        })
        .collect();
    json!({
        "apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
        "metadata": {"name": "global", "namespace": "cpaas-system", "generation": 5},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {
            "observedGeneration": 5,
            "current": {"version": "4.2.1"}, "desired": {"version": "4.3.0"},
            "conditions": [
                {"type": "Ready", "status": "False", "reason": "UpdateInProgress"},
                {"type": "Reconciling", "status": "False"},
                {"type": "Stalled", "status": "True", "reason": "OperationFailed",
                 "message": format!("2 operations of stage-{mid:02} failed")},
                {"type": "PreflightReady", "status": "True"}],
            "history": [
                {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T07:00:00Z"},
                {"version": "4.2.1", "state": "Completed", "startedTime": "2026-10-01T01:00:00Z",
                 "completionTime": "2026-10-01T04:00:00Z"}],
            "preflight": {"observedAt": "2026-11-23T07:00:30Z", "checks": [
                {"name": "ClusterRunning", "state": "Passed"}]},
            "stages": stage_list,
        }
    })
}
