//! A platform rollout as `ac adm upgrade rollout` will see it, over HTTPS: the idle fleet
//! (`--fleet idle`), a workload cluster requested above global refused by preflight
//! (`GlobalVersionNotReached`), the global tier's completion offering the version to the
//! workload clusters, many upgrades at once, and per-cluster faults (stall, degrade, a failed
//! preflight check). Polls with generous deadlines; no timing assertions.

use std::time::Duration;

use ac_sim::{ClusterFault, Scenario, Sim, SimOptions};
use serde_json::Value;

use crate::api::{CVSH, MERGE, client, raw};

async fn cvsh(admin: &kube::Client, name: &str) -> Value {
    raw(admin, "GET", &format!("{CVSH}/{name}"), None, "")
        .await
        .1
}

async fn request(admin: &kube::Client, name: &str, version: &str) {
    let body = format!(r#"{{"spec":{{"desiredUpdate":{{"version":"{version}"}}}}}}"#);
    let (code, answer) = raw(admin, "PATCH", &format!("{CVSH}/{name}"), MERGE, &body).await;
    assert_eq!(code, 200, "{answer}");
}

/// Poll `name` until `f` says yes (up to 60 s of real time).
async fn until(admin: &kube::Client, name: &str, what: &str, f: impl Fn(&Value) -> bool) -> Value {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let object = cvsh(admin, name).await;
        if f(&object) {
            return object;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name}: timed out waiting for {what}: {object}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn current(object: &Value) -> &str {
    object["status"]["current"]["version"]
        .as_str()
        .unwrap_or("")
}

fn condition<'a>(object: &'a Value, kind: &str) -> Option<&'a Value> {
    object["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|condition| condition["type"] == kind)
}

fn is(object: &Value, kind: &str, status: &str, reason: &str) -> bool {
    condition(object, kind)
        .is_some_and(|condition| condition["status"] == status && condition["reason"] == reason)
}

fn check<'a>(object: &'a Value, name: &str) -> Option<&'a Value> {
    object["status"]["preflight"]["checks"]
        .as_array()?
        .iter()
        .find(|check| check["name"] == name)
}

fn offered(object: &Value, version: &str) -> bool {
    object["status"]["availableUpdates"]
        .as_array()
        .is_some_and(|offers| offers.iter().any(|offer| offer["version"] == version))
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rollout_on_the_idle_fleet_with_faults() {
    let mut scenario = Scenario::idle_fleet(12);
    let faults: Vec<ClusterFault> = [
        "workload-0010=stall",
        "workload-0011=degrade",
        "workload-0012=preflight=ClusterRunning",
    ]
    .iter()
    .map(|text| text.parse().unwrap())
    .collect();
    scenario.add_cluster_faults(&faults).unwrap();
    let sim = Sim::start(SimOptions {
        scenario,
        speed: 3000.0,
        controller: true,
        ..SimOptions::empty()
    })
    .await
    .unwrap();
    let admin = client(&sim, "sim/global").await;

    // The starting point: everything at 4.2.1, 4.3.0 offered to global only.
    assert!(offered(&cvsh(&admin, "global").await, "4.3.0"));
    let first = cvsh(&admin, "workload-0001").await;
    assert_eq!(current(&first), "4.2.1");
    assert!(!offered(&first, "4.3.0"));

    // A workload cluster above global: accepted, refused by preflight.
    request(&admin, "workload-0001", "4.3.0").await;
    let refused = until(
        &admin,
        "workload-0001",
        "VersionUpgradePath failed",
        |object| {
            check(object, "VersionUpgradePath").is_some_and(|check| check["state"] == "Failed")
        },
    )
    .await;
    let path = check(&refused, "VersionUpgradePath").unwrap();
    assert_eq!(path["reason"], "GlobalVersionNotReached");
    assert!(
        path["message"]
            .as_str()
            .unwrap()
            .contains("global is at 4.2.1"),
        "{path}"
    );
    let refused = until(&admin, "workload-0001", "Stalled", |object| {
        is(object, "Stalled", "True", "PreflightFailed")
    })
    .await;
    assert_eq!(current(&refused), "4.2.1");

    // The global tier first; its completion offers 4.3.0 to the workload clusters, and the
    // refused request goes on by itself.
    request(&admin, "global", "4.3.0").await;
    until(&admin, "global", "global at 4.3.0", |object| {
        current(object) == "4.3.0"
    })
    .await;
    until(&admin, "workload-0002", "4.3.0 offered", |object| {
        offered(object, "4.3.0")
    })
    .await;
    until(
        &admin,
        "workload-0001",
        "workload-0001 at 4.3.0",
        |object| current(object) == "4.3.0",
    )
    .await;

    // The rest at once.
    for index in 2..=12 {
        request(&admin, &format!("workload-{index:04}"), "4.3.0").await;
    }
    for index in 2..=9 {
        until(&admin, &format!("workload-{index:04}"), "4.3.0", |object| {
            current(object) == "4.3.0" && condition(object, "Degraded").is_none()
        })
        .await;
    }
    let stalled = until(&admin, "workload-0010", "stalled", |object| {
        is(object, "Stalled", "True", "OperationFailed")
    })
    .await;
    assert_eq!(current(&stalled), "4.2.1");
    until(
        &admin,
        "workload-0011",
        "completed and Degraded",
        |object| current(object) == "4.3.0" && is(object, "Degraded", "True", "ModuleDegraded"),
    )
    .await;
    let blocked = until(&admin, "workload-0012", "blocked by preflight", |object| {
        is(object, "Stalled", "True", "PreflightFailed")
    })
    .await;
    let running = check(&blocked, "ClusterRunning").unwrap();
    assert_eq!(
        (&running["state"], &running["reason"]),
        (&Value::from("Failed"), &Value::from("InjectedFault"))
    );
    assert_eq!(current(&blocked), "4.2.1");
    sim.shutdown().await;
}
