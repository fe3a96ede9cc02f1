//! The upgrade plan: stages by ascending priority, each a small DAG of operations, and the
//! schedule of a run (exact simulated times, independent of the tick size).

use jiff::Timestamp;
use serde_json::{Value, json};

use super::config::OperationFailure;
use crate::clock::plus;

pub struct OpDef {
    pub name: &'static str,
    /// Simulated seconds.
    pub secs: f64,
    /// Names of operations of the same stage; always listed earlier in the stage.
    pub deps: &'static [&'static str],
    /// A platform module (reported as `moduleInfo`).
    pub module: bool,
}

pub struct StageDef {
    pub name: &'static str,
    pub priority: i64,
    pub ops: &'static [OpDef],
}

const fn op(name: &'static str, secs: f64, deps: &'static [&'static str]) -> OpDef {
    OpDef {
        name,
        secs,
        deps,
        module: false,
    }
}

const fn module(name: &'static str, secs: f64, deps: &'static [&'static str]) -> OpDef {
    OpDef {
        module: true,
        ..op(name, secs, deps)
    }
}

/// The stages every upgrade runs (≈ 7 simulated minutes in all).
pub static PLAN: &[StageDef] = &[
    StageDef {
        name: "prepare",
        priority: 10,
        ops: &[
            op("precheck-nodes", 20.0, &[]),
            op("backup-etcd", 40.0, &["precheck-nodes"]),
            op("sync-images", 60.0, &[]),
        ],
    },
    StageDef {
        name: "control-plane",
        priority: 20,
        ops: &[
            op("etcd", 60.0, &[]),
            op("kube-apiserver", 45.0, &["etcd"]),
            op("kube-controller-manager", 30.0, &["kube-apiserver"]),
            op("kube-scheduler", 30.0, &["kube-apiserver"]),
            op(
                "kubelet",
                90.0,
                &["kube-controller-manager", "kube-scheduler"],
            ),
        ],
    },
    StageDef {
        name: "platform-modules",
        priority: 30,
        ops: &[
            module("cluster-base", 60.0, &[]),
            module("acp-console", 40.0, &["cluster-base"]),
            module("monitoring", 50.0, &["cluster-base"]),
            module("logging", 50.0, &["cluster-base"]),
            module("networking", 60.0, &[]),
        ],
    },
    StageDef {
        name: "post-upgrade",
        priority: 40,
        ops: &[op("cleanup", 20.0, &[]), op("verify", 30.0, &["cleanup"])],
    },
];

/// `(stage, operation)` of every operation of the plan.
pub fn operation_names() -> Vec<(&'static str, &'static str)> {
    PLAN.iter()
        .flat_map(|s| s.ops.iter().map(move |o| (s.name, o.name)))
        .collect()
}

/// When one operation starts, fails, resumes and finishes (`None`: not (yet) determined,
/// i.e. it never gets there because something before it failed for good).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OpTimes {
    pub start: Option<Timestamp>,
    pub fail_at: Option<Timestamp>,
    pub resume_at: Option<Timestamp>,
    pub finish: Option<Timestamp>,
    pub failure_message: Option<String>,
}

/// The schedule of a run whose stages start at `start`, with the scripted failures that
/// apply to this cluster.
pub fn schedule(start: Timestamp, failures: &[&OperationFailure]) -> Vec<Vec<OpTimes>> {
    let mut out = Vec::new();
    let mut stage_start = Some(start);
    for stage in PLAN {
        let mut times: Vec<OpTimes> = vec![OpTimes::default(); stage.ops.len()];
        if let Some(ts) = stage_start {
            for (i, op) in stage.ops.iter().enumerate() {
                let mut begin = Some(ts);
                for dep in op.deps {
                    let dependency = stage
                        .ops
                        .iter()
                        .position(|operation| operation.name == *dep);
                    let dep_finish = dependency.and_then(|dependency| times[dependency].finish);
                    begin = match (begin, dep_finish) {
                        (Some(begin), Some(finished)) => Some(begin.max(finished)),
                        _ => None,
                    };
                }
                let Some(begin) = begin else { continue };
                let failure = failures.iter().find(|failure| {
                    failure.operation == op.name
                        || failure.operation == format!("{}/{}", stage.name, op.name)
                });
                let op_times = &mut times[i];
                op_times.start = Some(begin);
                match failure {
                    None => op_times.finish = Some(plus(begin, op.secs)),
                    Some(failure) => {
                        let after = failure.after.unwrap_or(op.secs / 2.0).clamp(0.0, op.secs);
                        let fail_at = plus(begin, after);
                        op_times.fail_at = Some(fail_at);
                        op_times.failure_message =
                            Some(failure.message.clone().unwrap_or_else(|| {
                                format!("{} failed (scripted by the scenario)", op.name)
                            }));
                        if let Some(recover) = failure.recover_after {
                            let resume = plus(fail_at, recover.max(0.0));
                            op_times.resume_at = Some(resume);
                            op_times.finish = Some(plus(resume, op.secs - after));
                        }
                    }
                }
            }
            stage_start = times
                .iter()
                .map(|times| times.finish)
                .collect::<Option<Vec<_>>>()
                .and_then(|finishes| finishes.into_iter().max());
        }
        out.push(times);
    }
    out
}

/// When the whole schedule is done, if it ever is.
pub fn completion(times: &[Vec<OpTimes>]) -> Option<Timestamp> {
    times
        .last()?
        .iter()
        .map(|t| t.finish)
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max()
}

/// How long the stages of an upgrade take when nothing fails (simulated seconds, 445): the
/// time between a history entry's `startedTime` and its `completionTime`.
pub fn stages_secs() -> f64 {
    let start = crate::clock::default_start();
    completion(&schedule(start, &[])).map_or(0.0, |done| done.duration_since(start).as_secs_f64())
}

/// The operation failed and not (yet) resumed at `now`: `(stage, op, message)`.
pub fn failed_at(
    times: &[Vec<OpTimes>],
    now: Timestamp,
) -> Option<(&'static str, &'static str, String)> {
    for (s, stage) in PLAN.iter().enumerate() {
        for (o, op) in stage.ops.iter().enumerate() {
            let t = &times[s][o];
            if t.fail_at.is_some_and(|f| f <= now) && t.resume_at.is_none_or(|r| r > now) {
                return Some((
                    stage.name,
                    op.name,
                    t.failure_message.clone().unwrap_or_default(),
                ));
            }
        }
    }
    None
}

/// The next moment something in the schedule changes after `now`.
pub fn next_event(times: &[Vec<OpTimes>], now: Timestamp) -> Option<Timestamp> {
    times
        .iter()
        .flatten()
        .flat_map(|t| [t.start, t.fail_at, t.resume_at, t.finish])
        .flatten()
        .filter(|t| *t > now)
        .min()
}

/// Progress at `now`: `(stage index running or None, operations done, total)`.
pub fn progress(times: &[Vec<OpTimes>], now: Timestamp) -> (Option<usize>, usize, usize) {
    let done = times
        .iter()
        .flatten()
        .filter(|t| t.finish.is_some_and(|f| f <= now))
        .count();
    let total = times.iter().map(Vec::len).sum();
    let running = times.iter().position(|ops| {
        ops.iter().any(|t| t.start.is_some_and(|s| s <= now))
            && !ops.iter().all(|t| t.finish.is_some_and(|f| f <= now))
    });
    (running, done, total)
}

/// `status.stages` at `now`.
pub fn render(
    times: &[Vec<OpTimes>],
    now: Timestamp,
    from: Option<&str>,
    to: Option<&str>,
) -> Value {
    let stages: Vec<Value> = PLAN
        .iter()
        .zip(times)
        .map(|(stage, ops)| {
            let started = ops.iter().any(|times| times.start.is_some_and(|start| start <= now));
            let finished = ops.iter().all(|times| times.finish.is_some_and(|finish| finish <= now));
            let phase = if finished {
                "Finished"
            } else if started {
                "Running"
            } else {
                "Pending"
            };
            let operations: Vec<Value> = stage
                .ops
                .iter()
                .zip(ops)
                .map(|(op, times)| {
                    let op_phase = if times.finish.is_some_and(|finish| finish <= now) {
                        "Succeeded"
                    } else if times.fail_at.is_some_and(|failed| failed <= now)
                        && times.resume_at.is_none_or(|resume| resume > now)
                    {
                        "Failed"
                    } else if times.start.is_some_and(|start| start <= now) {
                        "Running"
                    } else if started {
                        "UpgradePending"
                    } else {
                        "Pending"
                    };
                    let mut operation = json!({"name": op.name, "action": "Upgrade", "phase": op_phase});
                    if let Some(current) = from {
                        operation["currentVersion"] = current.into();
                    }
                    if let Some(target) = to {
                        operation["targetVersion"] = target.into();
                    }
                    if !op.deps.is_empty() {
                        operation["dependsOn"] = json!(op.deps);
                    }
                    if op.module {
                        operation["moduleInfo"] = json!({"name": op.name, "namespace": "cpaas-system"});
                    }
                    operation
                })
                .collect();
            json!({"name": stage.name, "priority": stage.priority, "phase": phase, "operations": operations})
        })
        .collect();
    Value::Array(stages)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::default_start;

    fn fail(op: &str, recover: Option<f64>) -> OperationFailure {
        OperationFailure {
            cluster: None,
            operation: op.into(),
            message: Some("boom".into()),
            after: Some(10.0),
            recover_after: recover,
        }
    }

    #[test]
    fn dag_order_and_total_time() {
        let t0 = default_start();
        let s = schedule(t0, &[]);
        // prepare: max(20+40, 60) = 60; control-plane: 60+45+30+90 = 225; modules: 60+50 = 110; post: 50.
        assert_eq!(completion(&s), Some(plus(t0, 60.0 + 225.0 + 110.0 + 50.0)));
        assert_eq!(stages_secs(), 445.0);
        // kubelet waits for both the controller-manager and the scheduler.
        assert_eq!(s[1][4].start, Some(plus(t0, 60.0 + 60.0 + 45.0 + 30.0)));
        let (running, done, total) = progress(&s, plus(t0, 61.0));
        assert_eq!((running, done, total), (Some(1), 3, 15));
        let r = render(&s, plus(t0, 61.0), Some("4.2.1"), Some("4.3.0"));
        assert_eq!(r[0]["phase"], "Finished");
        assert_eq!(r[1]["phase"], "Running");
        assert_eq!(r[1]["operations"][0]["phase"], "Running");
        assert_eq!(r[1]["operations"][1]["phase"], "UpgradePending");
        assert_eq!(r[1]["operations"][1]["dependsOn"], json!(["etcd"]));
        assert_eq!(r[2]["operations"][0]["phase"], "Pending");
        assert_eq!(r[2]["operations"][0]["moduleInfo"]["name"], "cluster-base");
    }

    #[test]
    fn permanent_and_transient_failures() {
        let t0 = default_start();
        let f = fail("control-plane/etcd", None);
        let s = schedule(t0, &[&f]);
        assert_eq!(completion(&s), None);
        assert_eq!(failed_at(&s, plus(t0, 69.0)), None);
        let (stage, op, msg) = failed_at(&s, plus(t0, 70.0)).unwrap();
        assert_eq!((stage, op, msg.as_str()), ("control-plane", "etcd", "boom"));
        assert!(s[1][1].start.is_none(), "dependents never start");
        assert!(s[2].iter().all(|t| t.start.is_none()));

        let f = fail("etcd", Some(30.0));
        let s = schedule(t0, &[&f]);
        assert!(failed_at(&s, plus(t0, 99.0)).is_some());
        assert!(failed_at(&s, plus(t0, 100.0)).is_none());
        assert_eq!(completion(&s), Some(plus(t0, 445.0 + 30.0)));
        assert_eq!(next_event(&s, plus(t0, 70.0)), Some(plus(t0, 100.0)));
    }

    #[test]
    fn operation_names_are_unique() {
        let names = operation_names();
        let mut only: Vec<_> = names.iter().map(|(_, o)| *o).collect();
        only.sort();
        only.dedup();
        assert_eq!(only.len(), names.len());
    }
}
