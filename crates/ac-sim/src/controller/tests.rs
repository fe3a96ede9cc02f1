//! The controller's state machine, driven with an explicit clock.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::*;
use crate::clock::{SimClock, plus};
use crate::resources::{CONFIGMAPS, CVSH, PDMAN, RESOURCEPATCHES};
use crate::scenario::Scenario;
use crate::store::{PatchType, Store};

struct Rig {
    store: Store,
    ctl: Controller,
    start: Timestamp,
}

impl Rig {
    fn new(scenario: Scenario) -> Rig {
        let start = scenario.start_time();
        let store = Store::new(Arc::new(SimClock::new(start)));
        let mut ctl = Controller::new(scenario.controller_config());
        scenario.install(&store, &mut ctl).unwrap();
        Rig { store, ctl, start }
    }

    fn builtin() -> Rig {
        Rig::new(Scenario::builtin())
    }

    /// Advance to start + secs, in steps of `step` seconds.
    fn run_to(&mut self, secs: f64, step: f64) {
        let end = plus(self.start, secs);
        let mut t = self.store.clock().now();
        while t < end {
            t = plus(t, step).min(end);
            self.store.clock().set(t);
            self.ctl.step(&self.store, t);
        }
    }

    /// One step at the current simulated time (the controller sees the latest requests).
    fn step_now(&mut self) {
        let now = self.store.clock().now();
        self.ctl.step(&self.store, now);
    }

    fn cvsh(&self, name: &str) -> Value {
        self.store
            .get(&CVSH, Some("cpaas-system"), name)
            .unwrap()
            .value()
    }

    fn request(&self, name: &str, du: Value) {
        self.store
            .patch(
                &CVSH,
                Some("cpaas-system"),
                name,
                PatchType::Merge,
                &json!({"spec": {"desiredUpdate": du}}),
                false,
            )
            .unwrap();
    }

    fn cond(&self, name: &str, t: &str) -> (String, String) {
        let v = self.cvsh(name);
        let c = v["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["type"] == t)
            .unwrap_or_else(|| panic!("{name} has no {t} condition: {v}"))
            .clone();
        (
            c["status"].as_str().unwrap().into(),
            c["reason"].as_str().unwrap().into(),
        )
    }

    fn check(&self, name: &str, check: &str) -> Value {
        self.cvsh(name)["status"]["preflight"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == check)
            .cloned()
            .unwrap()
    }
}

fn versions(v: &Value) -> Vec<String> {
    v["status"]["availableUpdates"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|u| u["version"].as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn builtin_scenario_starts_mid_flight() {
    let r = Rig::builtin();
    let g = r.cvsh("global");
    assert_eq!(versions(&g), vec!["4.2.3", "4.3.0"]);
    assert_eq!(
        r.cond("global", "Ready"),
        ("True".into(), "UpToDate".into())
    );
    assert_eq!(
        g["status"]["observedGeneration"],
        g["metadata"]["generation"]
    );
    // Nothing newer than global for workload-a.
    assert!(
        r.cvsh("workload-a")["status"]
            .get("availableUpdates")
            .is_none()
    );
    // workload-b: stages running.
    let b = r.cvsh("workload-b");
    assert_eq!(
        r.cond("workload-b", "Reconciling"),
        ("True".into(), "Upgrading".into())
    );
    assert_eq!(b["status"]["desired"]["version"], "4.2.1");
    assert_eq!(b["status"]["stages"][1]["phase"], "Running");
    assert_eq!(b["status"]["history"][0]["state"], "Partial");
    assert!(b["status"]["history"][0].get("completionTime").is_none());
    // workload-c: blocked by the ResourcePatch.
    assert_eq!(
        r.cond("workload-c", "Stalled"),
        ("True".into(), "PreflightFailed".into())
    );
    assert_eq!(
        r.cond("workload-c", "PreflightReady"),
        ("False".into(), "ChecksFailed".into())
    );
    let rp = r.check("workload-c", "ResourcePatchUpgradeable");
    assert_eq!(rp["state"], "Failed");
    assert_eq!(rp["reason"], "UnexemptResourcePatches");
    assert!(r.cvsh("workload-c")["status"]["preflight"]["observedAt"].is_string());
}

#[test]
fn global_upgrade_then_workload_offered() {
    let mut r = Rig::builtin();
    r.request("global", json!({"version": "4.3.0"}));
    // Before the controller runs, the status is stale.
    let g = r.cvsh("global");
    assert_ne!(
        g["status"]["observedGeneration"],
        g["metadata"]["generation"]
    );
    r.run_to(1.0, 1.0);
    let g = r.cvsh("global");
    assert_eq!(
        g["status"]["observedGeneration"],
        g["metadata"]["generation"]
    );
    assert_eq!(g["status"]["desired"]["version"], "4.3.0");
    assert_eq!(
        r.cond("global", "Reconciling"),
        ("True".into(), "Preflight".into())
    );
    assert_eq!(r.check("global", "PlatformLicense")["state"], "Retry");
    assert!(r.check("global", "PlatformLicense").get("policy").is_some());
    // No AdminAckRequired for a 4.3 target.
    assert!(
        g["status"]["preflight"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["name"] != "AdminAckRequired")
    );
    r.run_to(40.0, 1.0);
    assert_eq!(
        r.cond("global", "PreflightReady"),
        ("True".into(), "ChecksPassed".into())
    );
    assert_eq!(
        r.cond("global", "Reconciling"),
        ("True".into(), "Upgrading".into())
    );
    let g = r.cvsh("global");
    assert_eq!(g["status"]["history"][0]["version"], "4.3.0");
    assert_eq!(g["status"]["history"][0]["state"], "Partial");
    r.run_to(600.0, 7.0);
    let g = r.cvsh("global");
    assert_eq!(g["status"]["current"]["version"], "4.3.0");
    assert_eq!(g["status"]["history"][0]["state"], "Completed");
    assert!(g["status"]["history"][0]["completionTime"].is_string());
    assert_eq!(g["status"]["history"][1]["version"], "4.2.1");
    assert_eq!(
        r.cond("global", "Ready"),
        ("True".into(), "UpToDate".into())
    );
    assert_eq!(
        r.cond("global", "Reconciling"),
        ("False".into(), "Completed".into())
    );
    assert!(
        g["status"].get("availableUpdates").is_none(),
        "nothing newer than 4.3.0"
    );
    assert!(
        g["status"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["phase"] == "Finished")
    );
    // The workload clusters may now take 4.3.0 (and the 4.2 patch release).
    assert_eq!(versions(&r.cvsh("workload-a")), vec!["4.2.3", "4.3.0"]);
}

#[test]
fn workload_ahead_of_global_stalls_until_global_gets_there() {
    let mut r = Rig::builtin();
    r.request("workload-a", json!({"version": "4.3.0"}));
    r.run_to(5.0, 1.0);
    assert_eq!(
        r.cond("workload-a", "Stalled"),
        ("True".into(), "TargetAheadOfGlobal".into())
    );
    let msg = r.cvsh("workload-a")["status"]["conditions"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("global is at 4.2.1"), "{msg}");
    r.request("global", json!({"version": "4.3.0"}));
    r.run_to(600.0, 10.0);
    assert_eq!(r.cvsh("global")["status"]["current"]["version"], "4.3.0");
    assert_eq!(r.cond("workload-a", "Stalled").0, "False");
    r.run_to(1200.0, 10.0);
    assert_eq!(
        r.cvsh("workload-a")["status"]["current"]["version"],
        "4.3.0"
    );
}

#[test]
fn resource_patch_block_clears_when_annotated() {
    let mut r = Rig::builtin();
    r.run_to(10.0, 1.0);
    assert_eq!(r.cond("workload-c", "Stalled").1, "PreflightFailed");
    r.store
        .patch(
            &RESOURCEPATCHES,
            None,
            "rp-legacy-ingress",
            PatchType::Merge,
            &json!({"metadata": {"annotations": {"config.cpaas.io/exempt-for-ver": "4.2.1"}}}),
            false,
        )
        .unwrap();
    r.run_to(30.0, 1.0);
    assert_eq!(
        r.check("workload-c", "ResourcePatchUpgradeable")["state"],
        "Passed"
    );
    assert_eq!(r.cond("workload-c", "PreflightReady").0, "True");
    assert_eq!(
        r.cond("workload-c", "Reconciling"),
        ("True".into(), "Upgrading".into())
    );
    r.run_to(600.0, 5.0);
    assert_eq!(
        r.cvsh("workload-c")["status"]["current"]["version"],
        "4.2.1"
    );
    assert_eq!(
        r.cvsh("workload-b")["status"]["current"]["version"],
        "4.2.1"
    );
}

#[test]
fn disabling_the_check_in_cvo_config_clears_it() {
    let mut r = Rig::builtin();
    r.store
        .patch(
            &CONFIGMAPS,
            Some("cpaas-system"),
            "cvo-config",
            PatchType::Merge,
            &json!({"data": {"preflight": "disabled:\n  - ResourcePatchUpgradeable\n"}}),
            false,
        )
        .unwrap();
    r.run_to(20.0, 1.0);
    let c = r.check("workload-c", "ResourcePatchUpgradeable");
    assert_eq!(
        (c["state"].as_str(), c["policy"].as_str()),
        (Some("Passed"), Some("Disabled"))
    );
    assert_eq!(r.cond("workload-c", "Reconciling").1, "Upgrading");
}

#[test]
fn force_skips_failures_and_records_the_risk() {
    let mut r = Rig::builtin();
    r.request("workload-c", json!({"version": "4.2.1", "force": true}));
    r.run_to(2.0, 1.0);
    assert_eq!(
        r.cond("workload-c", "PreflightReady"),
        ("True".into(), "Forced".into())
    );
    let h = &r.cvsh("workload-c")["status"]["history"][0];
    assert!(
        h["acceptedRisks"]
            .as_str()
            .unwrap()
            .contains("ResourcePatchUpgradeable")
    );
}

#[test]
fn admin_ack_required_for_4_4() {
    let mut s = Scenario::builtin();
    s.clusters[0].version = "4.3.0".into();
    s.manifests
        .push(crate::scenario::ManifestSpec::version("4.4.0"));
    let mut r = Rig::new(s);
    assert!(versions(&r.cvsh("global")).contains(&"4.4.0".to_string()));
    r.request("global", json!({"version": "4.4.0"}));
    r.run_to(60.0, 1.0);
    assert_eq!(r.check("global", "AdminAckRequired")["state"], "Failed");
    assert_eq!(r.cond("global", "Stalled").1, "PreflightFailed");
    r.store
        .patch(
            &CONFIGMAPS,
            Some("cpaas-system"),
            "admin-acks",
            PatchType::Strategic,
            &json!({"data": {"ack-4.4-kubernetes-1.35-kernel-update": "true"}}),
            false,
        )
        .unwrap();
    r.run_to(80.0, 1.0);
    assert_eq!(r.check("global", "AdminAckRequired")["state"], "Passed");
    assert_eq!(r.cond("global", "Reconciling").1, "Upgrading");
}

#[test]
fn manifest_created_becomes_ready_then_offered() {
    let mut r = Rig::builtin();
    r.store
        .create(
            &PDMAN,
            None,
            json!({"metadata": {"name": "v4.3.1"}, "spec": {"version": "4.3.1"}}),
            false,
        )
        .unwrap();
    r.run_to(5.0, 1.0);
    let pm = r.store.get(&PDMAN, None, "v4.3.1").unwrap().value();
    assert_eq!(pm["status"]["conditions"][0]["status"], "False");
    assert_eq!(pm["status"]["conditions"][0]["reason"], "Validating");
    assert!(!versions(&r.cvsh("global")).contains(&"4.3.1".to_string()));
    r.run_to(11.0, 1.0);
    let pm = r.store.get(&PDMAN, None, "v4.3.1").unwrap().value();
    assert_eq!(pm["status"]["conditions"][0]["status"], "True");
    assert_eq!(versions(&r.cvsh("global")), vec!["4.2.3", "4.3.0", "4.3.1"]);
    // Requesting a release nobody imported waits with a clear reason.
    r.request("global", json!({"version": "4.9.0"}));
    r.run_to(12.0, 1.0);
    assert_eq!(
        r.cond("global", "Stalled"),
        ("True".into(), "ReleaseNotFound".into())
    );
}

#[test]
fn operation_failures_stall_and_recover() {
    let mut s = Scenario::builtin();
    s.operation_failures.push(OperationFailure {
        cluster: Some("global".into()),
        operation: "control-plane/etcd".into(),
        message: Some("etcd member unhealthy".into()),
        after: Some(5.0),
        recover_after: Some(100.0),
    });
    let mut r = Rig::new(s);
    r.request("global", json!({"version": "4.3.0"}));
    // preflight ≈ 27 s, prepare 60 s, etcd fails 5 s in.
    r.run_to(100.0, 3.0);
    assert_eq!(
        r.cond("global", "Stalled"),
        ("True".into(), "OperationFailed".into())
    );
    let g = r.cvsh("global");
    assert_eq!(g["status"]["stages"][1]["operations"][0]["phase"], "Failed");
    assert!(
        g["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["message"]
                .as_str()
                .unwrap()
                .contains("etcd member unhealthy"))
    );
    r.run_to(200.0, 3.0);
    assert_eq!(r.cond("global", "Stalled").0, "False");
    r.run_to(800.0, 3.0);
    assert_eq!(r.cvsh("global")["status"]["current"]["version"], "4.3.0");
}

#[test]
fn scripted_preflight_failure_clears_after() {
    let mut s = Scenario::builtin();
    s.preflight_failures.push(PreflightFailure {
        cluster: Some("global".into()),
        check: "ClusterRunning".into(),
        reason: Some("NodesNotReady".into()),
        message: Some("2 nodes are NotReady".into()),
        target: None,
        clears_after: Some(90.0),
    });
    let mut r = Rig::new(s);
    r.request("global", json!({"version": "4.3.0"}));
    r.run_to(40.0, 1.0);
    let c = r.check("global", "ClusterRunning");
    assert_eq!(
        (c["state"].as_str(), c["reason"].as_str()),
        (Some("Failed"), Some("NodesNotReady"))
    );
    // Re-checked every 60 s: the failure clears at 90 s after preflight started.
    r.run_to(100.0, 1.0);
    assert_eq!(r.check("global", "ClusterRunning")["state"], "Failed");
    r.run_to(160.0, 1.0);
    assert_eq!(r.check("global", "ClusterRunning")["state"], "Passed");
    assert_eq!(r.cond("global", "Reconciling").1, "Upgrading");
}

#[test]
fn result_does_not_depend_on_step_size_and_is_deterministic() {
    let run = |step: f64| {
        let mut r = Rig::builtin();
        r.request("global", json!({"version": "4.3.0"}));
        r.step_now();
        r.run_to(300.0, step);
        let mut g = r.cvsh("global");
        let w = r.cvsh("workload-b");
        // resourceVersions count writes, which depend on the step size.
        g["metadata"]["resourceVersion"] = Value::Null;
        (g["status"].clone(), w["status"].clone())
    };
    let fine = run(1.0);
    assert_eq!(fine, run(1.0));
    let coarse = run(13.0);
    assert_eq!(fine.0["stages"], coarse.0["stages"]);
    assert_eq!(fine.0["history"], coarse.0["history"]);
    assert_eq!(fine.0["preflight"], coarse.0["preflight"]);
    assert_eq!(fine.1["current"], coarse.1["current"]);
}

#[test]
fn cancel_during_preflight_and_unchanged_objects_are_not_rewritten() {
    let mut r = Rig::builtin();
    r.request("global", json!({"version": "4.3.0"}));
    r.run_to(5.0, 1.0);
    r.store
        .patch(
            &CVSH,
            Some("cpaas-system"),
            "global",
            PatchType::Merge,
            &json!({"spec": {"desiredUpdate": null}}),
            false,
        )
        .unwrap();
    r.run_to(6.0, 1.0);
    assert_eq!(r.cvsh("global")["status"]["desired"]["version"], "4.2.1");
    assert_eq!(r.cond("global", "Ready").0, "True");
    // Asking for the version it runs is a no-op.
    r.request("global", json!({"version": "4.2.1"}));
    r.run_to(30.0, 1.0);
    let g = r.cvsh("global");
    assert_eq!(
        r.cond("global", "Reconciling"),
        ("False".into(), "Idle".into())
    );
    assert_eq!(
        g["status"]["observedGeneration"],
        g["metadata"]["generation"]
    );
    assert_eq!(g["status"]["history"][0]["version"], "4.2.1");
    let rv = r.cvsh("workload-a")["metadata"]["resourceVersion"].clone();
    r.run_to(60.0, 1.0);
    assert_eq!(r.cvsh("workload-a")["metadata"]["resourceVersion"], rv);
}
