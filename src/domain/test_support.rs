//! Fixtures shared by the domain's unit tests.

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::domain::cvsh::Cvsh;

pub fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

pub fn cv(v: Value) -> Cvsh {
    Cvsh::from_value(&v)
}

pub fn cond(t: &str, s: &str) -> Value {
    json!({"type": t, "status": s, "reason": "R", "message": format!("{t} is {s}")})
}

/// A cvsh at 4.2.1 with a request for 4.3.0 and the given status pieces merged in.
pub fn upgrading(status: Value) -> Value {
    let mut base = json!({
        "metadata": {"name": "global", "generation": 2},
        "spec": {"desiredUpdate": {"version": "4.3.0"}},
        "status": {
            "observedGeneration": 2,
            "current": {"version": "4.2.1"},
            "desired": {"version": "4.3.0"},
            "history": [
                {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T09:00:00Z"},
                {"version": "4.2.1", "state": "Completed", "startedTime": "2026-10-01T08:00:00Z",
                 "completionTime": "2026-10-01T09:40:00Z"}
            ]
        }
    });
    if let (Some(b), Some(s)) = (base["status"].as_object_mut(), status.as_object()) {
        for (k, v) in s {
            b.insert(k.clone(), v.clone());
        }
    }
    base
}

pub fn stages(phases: &[(&str, &[&str])]) -> Value {
    Value::Array(
        phases
            .iter()
            .enumerate()
            .map(|(i, (p, ops))| {
                json!({"name": format!("s{i}"), "priority": i * 10, "phase": p,
                       "operations": ops.iter().enumerate().map(|(j, op)| json!({
                           "name": format!("op{i}-{j}"), "phase": op})).collect::<Vec<_>>()})
            })
            .collect(),
    )
}

/// A platform with nothing in the way (no disabled checks, no patches, no gates).
pub fn no_platform() -> &'static crate::domain::facts::Platform {
    static NOTHING: std::sync::LazyLock<crate::domain::facts::Platform> =
        std::sync::LazyLock::new(crate::domain::facts::Platform::default);
    &NOTHING
}

/// How advice speaks about `cluster`, with the global cluster `global` at `global_version` (no
/// standby). Leaked: a test's fixtures live as long as the test.
pub fn scope(
    cluster: &str,
    global: &str,
    global_version: Option<&str>,
) -> crate::domain::advice::Scope<'static> {
    let tier: &'static crate::domain::rules::tier::GlobalTier =
        Box::leak(Box::new(crate::domain::rules::tier::GlobalTier::new(
            global,
            global_version.map(str::to_string),
            None,
        )));
    crate::domain::advice::Scope {
        cluster: Box::leak(cluster.to_string().into_boxed_str()),
        tier,
        kubectl: crate::domain::cmdline::Kubectl::default(),
    }
}
