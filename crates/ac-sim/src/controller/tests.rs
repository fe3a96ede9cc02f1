//! The controller's state machine, driven with an explicit clock.

use std::sync::Arc;

use jiff::Timestamp;
use serde_json::{Value, json};

use super::*;
use crate::clock::{SimClock, plus};
use crate::resources::{
    CLUSTERS, CONFIGMAPS, CVSH, MACHINES, PDMAN, RESOURCEPATCHES, ResourceType,
};
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

    /// The built-in scenario with every cluster inside 4.3's Kubernetes range (workload-c
    /// raised from 1.30.14), so that global may move to 4.3.
    fn compatible() -> Rig {
        Rig::new(compatible_scenario())
    }

    /// Advance to start + secs, in steps of `step` seconds.
    fn run_to(&mut self, secs: f64, step: f64) {
        let end = plus(self.start, secs);
        let mut t = self.store.clock().sim_now();
        while t < end {
            t = plus(t, step).min(end);
            self.store.clock().set(t);
            self.ctl.step(&self.store, t);
        }
    }

    /// One step at the current simulated time (the controller sees the latest requests).
    fn step_now(&mut self) {
        let now = self.store.clock().sim_now();
        self.ctl.step(&self.store, now);
    }

    /// `status.current.version` of a cluster.
    fn current(&self, name: &str) -> String {
        self.cvsh(name)["status"]["current"]["version"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn cvsh(&self, name: &str) -> Value {
        self.store
            .get(&CVSH, Some("cpaas-system"), name)
            .unwrap()
            .value()
    }

    /// Patch any object as a client would.
    fn patch(
        &self,
        rt: &'static ResourceType,
        ns: Option<&str>,
        name: &str,
        format: PatchType,
        patch: Value,
    ) {
        self.store
            .patch(rt, ns, name, format, &patch, false)
            .unwrap();
    }

    fn request(&self, name: &str, desired: Value) {
        let patch = json!({"spec": {"desiredUpdate": desired}});
        self.patch(&CVSH, Some("cpaas-system"), name, PatchType::Merge, patch);
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

fn compatible_scenario() -> Scenario {
    let mut scenario = Scenario::builtin();
    for cluster in &mut scenario.clusters {
        if cluster.name == "workload-c" {
            cluster.kubernetes_version = Some("1.31.4".into());
        }
    }
    scenario
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
    let rig = Rig::builtin();
    let global = rig.cvsh("global");
    assert_eq!(versions(&global), vec!["4.2.3", "4.3.0"]);
    assert_eq!(
        rig.cond("global", "Ready"),
        ("True".into(), "UpToDate".into())
    );
    assert_eq!(
        global["status"]["observedGeneration"],
        global["metadata"]["generation"]
    );
    // Nothing newer than global for workload-a.
    assert!(
        rig.cvsh("workload-a")["status"]
            .get("availableUpdates")
            .is_none()
    );
    // workload-b: stages running.
    let workload_b = rig.cvsh("workload-b");
    assert_eq!(
        rig.cond("workload-b", "Reconciling"),
        ("True".into(), "Upgrading".into())
    );
    assert_eq!(workload_b["status"]["desired"]["version"], "4.2.1");
    assert_eq!(workload_b["status"]["stages"][1]["phase"], "Running");
    assert_eq!(workload_b["status"]["history"][0]["state"], "Partial");
    assert!(
        workload_b["status"]["history"][0]
            .get("completionTime")
            .is_none()
    );
    // workload-c: blocked by the ResourcePatch.
    assert_eq!(
        rig.cond("workload-c", "Stalled"),
        ("True".into(), "PreflightFailed".into())
    );
    assert_eq!(
        rig.cond("workload-c", "PreflightReady"),
        ("False".into(), "ChecksFailed".into())
    );
    let rp = rig.check("workload-c", "ResourcePatchUpgradeable");
    assert_eq!(rp["state"], "Failed");
    assert_eq!(rp["reason"], "UnexemptResourcePatches");
    assert!(rig.cvsh("workload-c")["status"]["preflight"]["observedAt"].is_string());
}

#[test]
fn global_upgrade_then_workload_offered() {
    let mut rig = Rig::compatible();
    rig.request("global", json!({"version": "4.3.0"}));
    // Before the controller runs, the status is stale.
    let global = rig.cvsh("global");
    assert_ne!(
        global["status"]["observedGeneration"],
        global["metadata"]["generation"]
    );
    rig.run_to(1.0, 1.0);
    let global = rig.cvsh("global");
    assert_eq!(
        global["status"]["observedGeneration"],
        global["metadata"]["generation"]
    );
    assert_eq!(global["status"]["desired"]["version"], "4.3.0");
    assert_eq!(
        rig.cond("global", "Reconciling"),
        ("True".into(), "Preflight".into())
    );
    assert_eq!(rig.check("global", "PlatformLicense")["state"], "Retry");
    assert!(
        rig.check("global", "PlatformLicense")
            .get("policy")
            .is_some()
    );
    // No AdminAckRequired for a 4.3 target.
    assert!(
        global["status"]["preflight"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|entry| entry["name"] != "AdminAckRequired")
    );
    rig.run_to(40.0, 1.0);
    assert_eq!(
        rig.cond("global", "PreflightReady"),
        ("True".into(), "ChecksPassed".into())
    );
    assert_eq!(
        rig.cond("global", "Reconciling"),
        ("True".into(), "Upgrading".into())
    );
    let global = rig.cvsh("global");
    assert_eq!(global["status"]["history"][0]["version"], "4.3.0");
    assert_eq!(global["status"]["history"][0]["state"], "Partial");
    rig.run_to(600.0, 7.0);
    let global = rig.cvsh("global");
    assert_eq!(global["status"]["current"]["version"], "4.3.0");
    assert_eq!(global["status"]["history"][0]["state"], "Completed");
    assert!(global["status"]["history"][0]["completionTime"].is_string());
    assert_eq!(global["status"]["history"][1]["version"], "4.2.1");
    assert_eq!(
        rig.cond("global", "Ready"),
        ("True".into(), "UpToDate".into())
    );
    assert_eq!(
        rig.cond("global", "Reconciling"),
        ("False".into(), "Completed".into())
    );
    assert!(
        global["status"].get("availableUpdates").is_none(),
        "nothing newer than 4.3.0"
    );
    assert!(
        global["status"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|stage| stage["phase"] == "Finished")
    );
    // The workload clusters may now take 4.3.0 (and the 4.2 patch release).
    assert_eq!(versions(&rig.cvsh("workload-a")), vec!["4.2.3", "4.3.0"]);
}

/// SPEC §"Rollout": a workload cluster requested above global's version is accepted, and
/// the controller's preflight refuses it: `VersionUpgradePath` fails with
/// `GlobalVersionNotReached`, naming global's version; `force` does not skip it. Once global
/// completes that version, the workload cluster is offered it and the request proceeds.
#[test]
fn workload_ahead_of_global_fails_preflight_until_global_gets_there() {
    let mut rig = Rig::compatible();
    assert!(!versions(&rig.cvsh("workload-a")).contains(&"4.3.0".to_string()));
    rig.request("workload-a", json!({"version": "4.3.0", "force": true}));
    rig.run_to(40.0, 1.0);
    let workload_a = rig.cvsh("workload-a");
    assert_eq!(
        workload_a["status"]["observedGeneration"], workload_a["metadata"]["generation"],
        "the request is taken"
    );
    assert_eq!(workload_a["status"]["desired"]["version"], "4.3.0");
    let check = rig.check("workload-a", "VersionUpgradePath");
    assert_eq!(
        (check["state"].as_str(), check["reason"].as_str()),
        (Some("Failed"), Some("GlobalVersionNotReached"))
    );
    let message = check["message"].as_str().unwrap();
    assert!(message.contains("global is at 4.2.1"), "{message}");
    assert_eq!(
        rig.cond("workload-a", "Stalled"),
        ("True".into(), "PreflightFailed".into())
    );
    assert_eq!(
        rig.cond("workload-a", "PreflightReady"),
        ("False".into(), "ChecksFailed".into())
    );
    assert_eq!(rig.current("workload-a"), "4.2.1");
    assert!(
        workload_a["status"].get("stages").is_none(),
        "force did not skip it"
    );

    rig.request("global", json!({"version": "4.3.0"}));
    rig.run_to(520.0, 10.0);
    assert_eq!(rig.current("global"), "4.3.0");
    // No new request: the failed check is evaluated again as soon as global's version moves.
    rig.step_now();
    assert!(versions(&rig.cvsh("workload-a")).contains(&"4.3.0".to_string()));
    assert_eq!(
        rig.check("workload-a", "VersionUpgradePath")["state"],
        "Passed"
    );
    assert_eq!(rig.cond("workload-a", "Stalled").0, "False");
    rig.run_to(1100.0, 10.0);
    assert_eq!(rig.current("workload-a"), "4.3.0");
}

#[test]
fn resource_patch_block_clears_when_annotated() {
    let mut rig = Rig::builtin();
    rig.run_to(10.0, 1.0);
    assert_eq!(rig.cond("workload-c", "Stalled").1, "PreflightFailed");
    rig.patch(
        &RESOURCEPATCHES,
        None,
        "rp-legacy-ingress",
        PatchType::Merge,
        json!({"metadata": {"annotations": {"config.cpaas.io/exempt-for-ver": "4.2.1"}}}),
    );
    rig.run_to(30.0, 1.0);
    assert_eq!(
        rig.check("workload-c", "ResourcePatchUpgradeable")["state"],
        "Passed"
    );
    assert_eq!(rig.cond("workload-c", "PreflightReady").0, "True");
    assert_eq!(
        rig.cond("workload-c", "Reconciling"),
        ("True".into(), "Upgrading".into())
    );
    rig.run_to(600.0, 5.0);
    assert_eq!(rig.current("workload-c"), "4.2.1");
    assert_eq!(rig.current("workload-b"), "4.2.1");
}

#[test]
fn disabling_the_check_in_cvo_config_clears_it() {
    let mut r = Rig::builtin();
    r.patch(
        &CONFIGMAPS,
        Some("cpaas-system"),
        "cvo-config",
        PatchType::Merge,
        json!({"data": {"preflight": "disabled:\n  - ResourcePatchUpgradeable\n"}}),
    );
    r.run_to(20.0, 1.0);
    // Not run, and not listed.
    let checks = r.cvsh("workload-c")["status"]["preflight"]["checks"].clone();
    let names: Vec<&str> = checks
        .as_array()
        .unwrap()
        .iter()
        .map(|check| check["name"].as_str().unwrap())
        .collect();
    assert!(!names.contains(&"ResourcePatchUpgradeable"), "{names:?}");
    assert!(names.contains(&"VersionUpgradePath"), "{names:?}");
    assert_eq!(r.cond("workload-c", "Reconciling").1, "Upgrading");
    // A request made while a check is disabled never lists it.
    r.request("global", json!({"version": "4.2.3"}));
    r.run_to(25.0, 1.0);
    let checks = r.cvsh("global")["status"]["preflight"]["checks"].clone();
    assert_eq!(
        checks.as_array().unwrap().len(),
        preflight::CHECKS.len() - 2,
        "no AdminAckRequired for 4.2, no ResourcePatchUpgradeable: {checks}"
    );
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
    let mut scenario = compatible_scenario();
    scenario.admin_gates.extend([Scenario::kernel_gate()]);
    scenario.clusters[0].version = "4.3.0".into();
    scenario
        .manifests
        .push(crate::scenario::ManifestSpec::version("4.4.0"));
    let mut rig = Rig::new(scenario);
    assert!(versions(&rig.cvsh("global")).contains(&"4.4.0".to_string()));
    rig.request("global", json!({"version": "4.4.0"}));
    rig.run_to(60.0, 1.0);
    assert_eq!(rig.check("global", "AdminAckRequired")["state"], "Failed");
    assert_eq!(rig.cond("global", "Stalled").1, "PreflightFailed");
    rig.patch(
        &CONFIGMAPS,
        Some("cpaas-system"),
        "admin-acks",
        PatchType::Strategic,
        json!({"data": {"ack-4.4-kubernetes-1.35-kernel-update": "true"}}),
    );
    rig.run_to(80.0, 1.0);
    assert_eq!(rig.check("global", "AdminAckRequired")["state"], "Passed");
    assert_eq!(rig.cond("global", "Reconciling").1, "Upgrading");
}

#[test]
fn manifest_created_becomes_ready_then_offered() {
    let mut rig = Rig::builtin();
    rig.store
        .create(
            &PDMAN,
            None,
            json!({"metadata": {"name": "v4.3.1"}, "spec": {"version": "4.3.1"}}),
            false,
        )
        .unwrap();
    rig.run_to(5.0, 1.0);
    let pm = rig.store.get(&PDMAN, None, "v4.3.1").unwrap().value();
    assert_eq!(pm["status"]["conditions"][0]["status"], "False");
    assert_eq!(pm["status"]["conditions"][0]["reason"], "Validating");
    assert!(!versions(&rig.cvsh("global")).contains(&"4.3.1".to_string()));
    rig.run_to(11.0, 1.0);
    let pm = rig.store.get(&PDMAN, None, "v4.3.1").unwrap().value();
    assert_eq!(pm["status"]["conditions"][0]["status"], "True");
    assert_eq!(
        versions(&rig.cvsh("global")),
        vec!["4.2.3", "4.3.0", "4.3.1"]
    );
    // Requesting a release nobody imported waits with a clear reason.
    rig.request("global", json!({"version": "4.9.0"}));
    rig.run_to(12.0, 1.0);
    assert_eq!(
        rig.cond("global", "Stalled"),
        ("True".into(), "ReleaseNotFound".into())
    );
}

#[test]
fn operation_failures_stall_and_recover() {
    let mut scenario = compatible_scenario();
    scenario.operation_failures.push(OperationFailure {
        cluster: Some("global".into()),
        operation: "control-plane/etcd".into(),
        message: Some("etcd member unhealthy".into()),
        after: Some(5.0),
        recover_after: Some(100.0),
    });
    let mut rig = Rig::new(scenario);
    rig.request("global", json!({"version": "4.3.0"}));
    // preflight ≈ 27 s, prepare 60 s, etcd fails 5 s in.
    rig.run_to(100.0, 3.0);
    assert_eq!(
        rig.cond("global", "Stalled"),
        ("True".into(), "OperationFailed".into())
    );
    let global = rig.cvsh("global");
    assert_eq!(
        global["status"]["stages"][1]["operations"][0]["phase"],
        "Failed"
    );
    assert!(
        global["status"]["conditions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|entry| entry["message"]
                .as_str()
                .unwrap()
                .contains("etcd member unhealthy"))
    );
    rig.run_to(200.0, 3.0);
    assert_eq!(rig.cond("global", "Stalled").0, "False");
    rig.run_to(800.0, 3.0);
    assert_eq!(rig.current("global"), "4.3.0");
}

#[test]
fn scripted_preflight_failure_clears_after() {
    let mut scenario = compatible_scenario();
    scenario.preflight_failures.push(PreflightFailure {
        cluster: Some("global".into()),
        check: "ClusterRunning".into(),
        reason: Some("NodesNotReady".into()),
        message: Some("2 nodes are NotReady".into()),
        target: None,
        clears_after: Some(90.0),
    });
    let mut rig = Rig::new(scenario);
    rig.request("global", json!({"version": "4.3.0"}));
    rig.run_to(40.0, 1.0);
    let check = rig.check("global", "ClusterRunning");
    assert_eq!(
        (check["state"].as_str(), check["reason"].as_str()),
        (Some("Failed"), Some("NodesNotReady"))
    );
    // Re-checked every 60 s: the failure clears at 90 s after preflight started.
    rig.run_to(100.0, 1.0);
    assert_eq!(rig.check("global", "ClusterRunning")["state"], "Failed");
    rig.run_to(160.0, 1.0);
    assert_eq!(rig.check("global", "ClusterRunning")["state"], "Passed");
    assert_eq!(rig.cond("global", "Reconciling").1, "Upgrading");
}

#[test]
fn result_does_not_depend_on_step_size_and_is_deterministic() {
    let run = |step: f64| {
        let mut r = Rig::compatible();
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
    let mut rig = Rig::builtin();
    rig.request("global", json!({"version": "4.3.0"}));
    rig.run_to(5.0, 1.0);
    rig.patch(
        &CVSH,
        Some("cpaas-system"),
        "global",
        PatchType::Merge,
        json!({"spec": {"desiredUpdate": null}}),
    );
    rig.run_to(6.0, 1.0);
    assert_eq!(rig.cvsh("global")["status"]["desired"]["version"], "4.2.1");
    assert_eq!(rig.cond("global", "Ready").0, "True");
    // Asking for the version it runs is a no-op.
    rig.request("global", json!({"version": "4.2.1"}));
    rig.run_to(30.0, 1.0);
    let global = rig.cvsh("global");
    assert_eq!(
        rig.cond("global", "Reconciling"),
        ("False".into(), "Idle".into())
    );
    assert_eq!(
        global["status"]["observedGeneration"],
        global["metadata"]["generation"]
    );
    assert_eq!(global["status"]["history"][0]["version"], "4.2.1");
    let rv = rig.cvsh("workload-a")["metadata"]["resourceVersion"].clone();
    rig.run_to(60.0, 1.0);
    assert_eq!(rig.cvsh("workload-a")["metadata"]["resourceVersion"], rv);
}

#[test]
fn builtin_global_to_4_3_waits_for_workload_c_kubernetes() {
    let mut rig = Rig::builtin();
    rig.request("global", json!({"version": "4.3.0"}));
    rig.run_to(40.0, 1.0);
    assert_eq!(
        rig.cond("global", "Stalled"),
        ("True".into(), "PreflightFailed".into())
    );
    let check = rig.check("global", "KubernetesVersionSupported");
    assert_eq!(check["state"], "Failed");
    assert_eq!(check["reason"], "KubernetesVersionUnsupported");
    let message = check["message"].as_str().unwrap();
    assert!(message.contains("workload-c (1.30.14)"), "{message}");
    assert!(!message.contains("workload-a"), "{message}");
    // The documented cure: raise workload-c's Kubernetes (kubectl patch … spec.version).
    rig.patch(
        &CLUSTERS,
        None,
        "workload-c",
        PatchType::Merge,
        json!({"spec": {"version": "1.31.4"}}),
    );
    rig.run_to(41.0, 1.0);
    let cluster = rig
        .store
        .get(&CLUSTERS, None, "workload-c")
        .unwrap()
        .value();
    assert_eq!(cluster["status"]["phase"], "Upgrading");
    assert_eq!(cluster["status"]["version"], "1.30.14");
    assert_eq!(rig.cond("global", "Stalled").0, "True");
    // 120 simulated seconds later Kubernetes is there, and global's block clears at once.
    rig.run_to(161.0, 1.0);
    let cluster = rig
        .store
        .get(&CLUSTERS, None, "workload-c")
        .unwrap()
        .value();
    assert_eq!(
        (&cluster["status"]["phase"], &cluster["status"]["version"]),
        (&json!("Running"), &json!("1.31.4"))
    );
    assert_eq!(
        rig.check("global", "KubernetesVersionSupported")["state"],
        "Passed"
    );
    assert_eq!(rig.cond("global", "Reconciling").1, "Upgrading");
    // An ACP upgrade does not touch Kubernetes.
    rig.run_to(800.0, 5.0);
    assert_eq!(rig.current("global"), "4.3.0");
    let global = rig.store.get(&CLUSTERS, None, "global").unwrap().value();
    assert_eq!(global["status"]["version"], "1.32.6");
}

#[test]
fn a_failed_machine_blocks_the_global_upgrade_only() {
    let mut rig = Rig::compatible();
    rig.store
        .put(crate::resources::machine_object(
            "global-cp-2",
            "192.168.10.12",
            "Failed",
        ))
        .unwrap();
    rig.request("global", json!({"version": "4.2.3"}));
    rig.request("workload-a", json!({"version": "4.2.1"}));
    rig.run_to(40.0, 1.0);
    let check = rig.check("global", "ClusterRunning");
    assert_eq!(
        (check["state"].as_str(), check["reason"].as_str()),
        (Some("Failed"), Some("MachinesNotRunning"))
    );
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("global-cp-2 (Failed)")
    );
    // The machine recovers (the platform writes its status): the block clears.
    rig.store
        .update_with(&MACHINES, None, "global-cp-2", |machine| {
            machine["status"]["phase"] = "Running".into();
        })
        .unwrap();
    rig.run_to(41.0, 1.0);
    assert_eq!(rig.check("global", "ClusterRunning")["state"], "Passed");
    assert_eq!(rig.cond("global", "Reconciling").1, "Upgrading");
}

#[test]
fn a_kubernetes_upgrade_taken_back_ends_running() {
    let mut rig = Rig::builtin();
    rig.patch(
        &CLUSTERS,
        None,
        "workload-a",
        PatchType::Merge,
        json!({"spec": {"version": "1.33.1"}}),
    );
    rig.run_to(10.0, 1.0);
    let phase = |rig: &Rig| {
        rig.store
            .get(&CLUSTERS, None, "workload-a")
            .unwrap()
            .value()["status"]["phase"]
            .clone()
    };
    assert_eq!(phase(&rig), "Upgrading");
    rig.patch(
        &CLUSTERS,
        None,
        "workload-a",
        PatchType::Merge,
        json!({"spec": {"version": "1.32.6"}}),
    );
    rig.run_to(11.0, 1.0);
    assert_eq!(phase(&rig), "Running");
    let rv = rig.store.get(&CLUSTERS, None, "workload-a").unwrap().rv;
    rig.run_to(300.0, 1.0);
    assert_eq!(rig.store.get(&CLUSTERS, None, "workload-a").unwrap().rv, rv);
}

#[test]
fn written_times_are_compressed_after_the_start() {
    // Speed 60: simulated minutes are written as seconds after the start; history from the
    // scenario keeps its dates.
    let scenario = compatible_scenario();
    let start = scenario.start_time();
    let store = Store::new(Arc::new(SimClock::with_speed(start, 60.0)));
    let mut ctl = Controller::new(scenario.controller_config());
    scenario.install(&store, &mut ctl).unwrap();
    let mut rig = Rig { store, ctl, start };
    let before = rig.cvsh("global")["status"]["history"][0].clone();
    assert_eq!(before["startedTime"], "2026-11-03T08:00:00Z");
    rig.request("global", json!({"version": "4.3.0"}));
    rig.run_to(600.0, 3.0);
    let global = rig.cvsh("global");
    assert_eq!(rig.current("global"), "4.3.0");
    let entry = &global["status"]["history"][0];
    let time = |value: &Value| crate::clock::parse_time(value.as_str().unwrap()).unwrap();
    let (started, completed) = (time(&entry["startedTime"]), time(&entry["completionTime"]));
    // ≈ 27 s of preflight and 445 s of stages, simulated: ≈ 8 written seconds.
    assert!(
        started >= start && completed <= plus(start, 10.0),
        "{entry}"
    );
    assert!(completed.duration_since(started).as_secs() >= 7, "{entry}");
    assert_eq!(global["status"]["history"][1], before);
    assert!(time(&global["status"]["preflight"]["observedAt"]) <= completed);
    assert_eq!(rig.store.clock().now(), plus(start, 10.0));
}

/// Written length of a history entry, in seconds.
fn took(entry: &Value) -> f64 {
    let time = |value: &Value| crate::clock::parse_time(value.as_str().unwrap()).unwrap();
    time(&entry["completionTime"])
        .duration_since(time(&entry["startedTime"]))
        .as_secs_f64()
}

/// Issue 14 item 6: a client estimates the next upgrade from the last completed one in
/// `status.history`, so the seeded history must last as long as an upgrade of the same plan
/// takes at the simulator's speed, and a run the scenario left mid-flight must not have run
/// longer than that. Deterministic: the library's fixed clock, stepped as the live controller
/// ticks (100 ms of real time per step; at least 3 simulated seconds, as transitions happen at
/// their exact simulated times whatever the step).
#[test]
fn seeded_history_lasts_as_long_as_an_upgrade_at_this_speed() {
    for speed in [1.0, 60.0, 600.0] {
        let scenario = compatible_scenario();
        let start = scenario.start_time();
        let store = Store::new(Arc::new(SimClock::with_speed(start, speed)));
        let mut ctl = Controller::new(scenario.controller_config());
        scenario.install(&store, &mut ctl).unwrap();
        let mut rig = Rig { store, ctl, start };
        let seeded = took(&rig.cvsh("global")["status"]["history"][0]);
        let expected = plan::stages_secs() / speed;
        // Written times have whole seconds: within one second of the exact length.
        assert!((seeded - expected).abs() <= 1.0, "speed {speed}: {seeded}");

        // workload-b is mid-stages at the start: it has run for less than that so far
        // (within the second written times are truncated to).
        let now = rig.store.clock().now();
        let running = &rig.cvsh("workload-b")["status"]["history"][0];
        assert_eq!(running["state"], "Partial");
        let since = crate::clock::parse_time(running["startedTime"].as_str().unwrap()).unwrap();
        let elapsed = now.duration_since(since).as_secs_f64();
        assert!(
            elapsed < expected + 1.0,
            "speed {speed}: running {elapsed}s of {expected}s"
        );

        // The same plan now: global 4.2.1 → 4.3.0, and workload-b's run to its end.
        rig.request("global", json!({"version": "4.3.0"}));
        rig.run_to(600.0, (0.1 * speed).max(3.0));
        assert_eq!(rig.current("global"), "4.3.0");
        assert_eq!(rig.current("workload-b"), "4.2.1");
        for name in ["global", "workload-b"] {
            let entry = &rig.cvsh(name)["status"]["history"][0];
            assert_eq!(entry["state"], "Completed", "{name}");
            assert!(
                (took(entry) - seeded).abs() <= 1.0,
                "speed {speed}: {name} took {}s, the seeded history {seeded}s",
                took(entry)
            );
        }
    }
}

/// An idle fleet (the rollout's starting point) with global already at 4.3.0, stepped to
/// `secs`.
fn rolled_global(fleet: Scenario) -> Rig {
    let mut rig = Rig::new(fleet);
    rig.request("global", json!({"version": "4.3.0"}));
    rig.run_to(600.0, 6.0);
    assert_eq!(rig.current("global"), "4.3.0");
    rig
}

fn workload(index: usize) -> String {
    format!("workload-{index:04}")
}

#[test]
fn an_idle_fleet_is_a_rollout_starting_point() {
    let rig = Rig::new(Scenario::idle_fleet(6));
    assert_eq!(versions(&rig.cvsh("global")), vec!["4.3.0"]);
    for index in 1..=6 {
        let cvsh = rig.cvsh(&workload(index));
        assert_eq!(rig.current(&workload(index)), "4.2.1");
        assert!(cvsh["status"].get("availableUpdates").is_none(), "{cvsh}");
        assert_eq!(rig.cond(&workload(index), "Ready").0, "True");
        let kubernetes = rig
            .store
            .get(&CLUSTERS, None, &workload(index))
            .unwrap()
            .value();
        let version = kubernetes["status"]["version"].as_str().unwrap();
        let range = crate::version::kubernetes_range(crate::version::Minor::new(4, 3)).unwrap();
        assert!(range.contains(version), "{version}");
    }
    assert!(rig.store.list(&RESOURCEPATCHES, None).0.is_empty());
    // The global tier's completion offers 4.3.0 to every workload cluster.
    let rig = rolled_global(Scenario::idle_fleet(6));
    for index in 1..=6 {
        assert_eq!(versions(&rig.cvsh(&workload(index))), vec!["4.3.0"]);
    }
}

/// Many clusters upgrade at once: all requested together, all in their stages together, all
/// done at the same simulated time.
#[test]
fn upgrades_of_many_clusters_run_concurrently() {
    let mut rig = rolled_global(Scenario::idle_fleet(20));
    for index in 1..=20 {
        rig.request(&workload(index), json!({"version": "4.3.0"}));
    }
    rig.run_to(900.0, 6.0);
    for index in 1..=20 {
        assert_eq!(
            rig.cond(&workload(index), "Reconciling"),
            ("True".into(), "Upgrading".into()),
            "{}",
            workload(index)
        );
    }
    rig.run_to(1200.0, 6.0);
    let started: BTreeSet<String> = (1..=20)
        .map(|index| {
            assert_eq!(rig.current(&workload(index)), "4.3.0");
            rig.cvsh(&workload(index))["status"]["history"][0]["startedTime"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(started.len(), 1, "one start for all: {started:?}");
}

/// The controller's work per step follows what is in flight, not the fleet's size: a quiet
/// step looks at no cluster, a step with ten upgrades running at most at those ten (and
/// global), for a fleet of 100 as for a fleet of 2,000.
#[test]
fn a_step_looks_at_the_clusters_in_flight_not_the_fleet() {
    for size in [100, 2000] {
        let mut rig = rolled_global(Scenario::idle_fleet(size));
        rig.run_to(700.0, 6.0);
        rig.step_now();
        assert_eq!(rig.ctl.visited(), 0, "{size}: a quiet step");
        for index in 1..=10 {
            rig.request(&workload(index), json!({"version": "4.3.0"}));
        }
        let mut busiest = 0;
        let end = plus(rig.start, 1300.0);
        while rig.store.clock().sim_now() < end {
            let t = plus(rig.store.clock().sim_now(), 6.0);
            rig.store.clock().set(t);
            rig.ctl.step(&rig.store, t);
            busiest = busiest.max(rig.ctl.visited());
        }
        assert!(
            (1..=11).contains(&busiest),
            "{size}: {busiest} clusters in one step"
        );
        for index in 1..=10 {
            assert_eq!(rig.current(&workload(index)), "4.3.0");
        }
        assert_eq!(rig.current(&workload(11)), "4.2.1");
    }
}

/// Per-cluster faults (`--cluster-fault`, a scenario's `faults:`): stall, degrade and a
/// failing preflight check, each on the clusters its glob matches.
#[test]
fn cluster_faults_stall_degrade_and_fail_preflight() {
    let mut fleet = Scenario::idle_fleet(6);
    let faults: Vec<crate::cluster_faults::ClusterFault> = [
        "workload-0001=stall",
        "workload-0002=degrade",
        "workload-000[3]=stall",
        "workload-0003=preflight=ClusterRunning",
        "workload-00?4=stall=monitoring",
    ]
    .iter()
    .filter_map(|text| crate::cluster_faults::ClusterFault::parse(text).ok())
    .collect();
    assert_eq!(faults.len(), 4, "[3] is no glob of ours");
    fleet.add_cluster_faults(&faults).unwrap();
    assert!(
        fleet
            .add_cluster_faults(&[
                crate::cluster_faults::ClusterFault::parse("edge-*=stall").unwrap()
            ])
            .is_err()
    );
    let mut rig = rolled_global(fleet);
    for index in 1..=6 {
        rig.request(&workload(index), json!({"version": "4.3.0"}));
    }
    rig.run_to(1300.0, 6.0);
    // stall: an operation failed for good.
    assert_eq!(
        rig.cond(&workload(1), "Stalled"),
        ("True".into(), "OperationFailed".into())
    );
    let message = &rig.cvsh(&workload(1))["status"]["conditions"];
    assert!(
        message.to_string().contains("control-plane/etcd"),
        "{message}"
    );
    assert_eq!(rig.current(&workload(1)), "4.2.1");
    assert_eq!(
        rig.cond(&workload(4), "Stalled"),
        ("True".into(), "OperationFailed".into())
    );
    assert!(
        rig.cvsh(&workload(4))["status"]["conditions"]
            .to_string()
            .contains("monitoring")
    );
    // degrade: Degraded=True, and the upgrade completes.
    assert_eq!(rig.current(&workload(2)), "4.3.0");
    assert_eq!(
        rig.cond(&workload(2), "Degraded"),
        ("True".into(), "ModuleDegraded".into())
    );
    // preflight: the check fails, the cluster is blocked and never starts.
    let check = rig.check(&workload(3), "ClusterRunning");
    assert_eq!(
        (check["state"].as_str(), check["reason"].as_str()),
        (Some("Failed"), Some("InjectedFault"))
    );
    assert_eq!(
        rig.cond(&workload(3), "Stalled"),
        ("True".into(), "PreflightFailed".into())
    );
    assert!(rig.cvsh(&workload(3))["status"].get("stages").is_none());
    // The others are untouched.
    for index in [5, 6] {
        assert_eq!(rig.current(&workload(index)), "4.3.0");
        assert!(
            rig.cvsh(&workload(index))["status"]["conditions"]
                .as_array()
                .unwrap()
                .iter()
                .all(|condition| condition["type"] != "Degraded")
        );
    }
}

/// Issue 14 item 4: `ac` suggests `kubectl patch clusters.platform.tkestack.io NAME --type
/// merge -p '{"spec":{"version":"1.31"}}'` (the next minor, as a line) for a workload cluster
/// outside a target's Kubernetes range. The platform takes one minor at a time, forward,
/// inside the cluster's ACP release's range; a line means its latest patch.
#[test]
fn kubernetes_upgrades_one_minor_at_a_time() {
    let mut rig = Rig::builtin();
    let version = |rig: &Rig| {
        let cluster = rig
            .store
            .get(&CLUSTERS, None, "workload-c")
            .unwrap()
            .value();
        (
            cluster["spec"]["version"].as_str().unwrap().to_string(),
            cluster["status"]["version"].as_str().unwrap().to_string(),
            cluster["status"]["phase"].as_str().unwrap().to_string(),
        )
    };
    let patch = |rig: &Rig, version: &str| {
        rig.store.patch(
            &CLUSTERS,
            None,
            "workload-c",
            PatchType::Merge,
            &json!({"spec": {"version": version}}),
            false,
        )
    };
    // workload-c runs Kubernetes 1.30.14 on ACP 4.1.5 (1.29–1.32).
    for (refused, says) in [
        ("1.32", "upgrade to 1.31 first"),
        ("1.29", "downgrading"),
        ("1.30.1", "downgrading"),
        ("1.40", "not a release this platform has"),
    ] {
        let error = patch(&rig, refused).unwrap_err();
        assert_eq!((error.code, error.reason), (422, "Invalid"), "{refused}");
        assert!(error.message.contains(says), "{refused}: {}", error.message);
        assert!(error.message.contains("spec.version"), "{}", error.message);
    }
    assert_eq!(
        version(&rig),
        ("1.30.14".into(), "1.30.14".into(), "Running".into())
    );
    patch(&rig, "1.31").unwrap();
    rig.run_to(60.0, 6.0);
    assert_eq!(
        version(&rig),
        ("1.31".into(), "1.30.14".into(), "Upgrading".into())
    );
    rig.run_to(130.0, 6.0);
    assert_eq!(
        version(&rig),
        ("1.31.9".into(), "1.31.9".into(), "Running".into())
    );
    // Now 1.32 is the next minor, and the last inside 4.1's range.
    patch(&rig, "1.32.6").unwrap();
    rig.run_to(260.0, 6.0);
    assert_eq!(
        version(&rig),
        ("1.32.6".into(), "1.32.6".into(), "Running".into())
    );
    let error = patch(&rig, "1.33").unwrap_err();
    assert!(
        error
            .message
            .contains("outside Kubernetes 1.29–1.32 supported by ACP 4.1.5"),
        "{}",
        error.message
    );
    // Other writes to the Cluster are not judged.
    rig.store
        .patch(
            &CLUSTERS,
            None,
            "workload-c",
            PatchType::Merge,
            &json!({"metadata": {"labels": {"team": "edge"}}}),
            false,
        )
        .unwrap();
}

/// A ResourcePatch re-pointed to another cluster unblocks the one it left at the next step
/// (no event names the old cluster: the controller compares the patches it saw before), and
/// blocks the one it names now once that cluster asks for an upgrade.
#[test]
fn a_resource_patch_moved_away_unblocks_at_once() {
    let mut rig = Rig::builtin();
    rig.run_to(10.0, 1.0);
    assert_eq!(rig.cond("workload-c", "Stalled").1, "PreflightFailed");
    rig.patch(
        &RESOURCEPATCHES,
        None,
        "rp-legacy-ingress",
        PatchType::Merge,
        json!({"spec": {"clusterName": "workload-a"}}),
    );
    rig.run_to(11.0, 1.0);
    assert_eq!(
        rig.check("workload-c", "ResourcePatchUpgradeable")["state"],
        "Passed",
        "re-checked at the next step, not after the 60 s re-check"
    );
    rig.request("workload-a", json!({"version": "4.2.3"}));
    rig.store
        .delete(&RESOURCEPATCHES, None, "rp-legacy-ingress", false)
        .unwrap();
    rig.run_to(40.0, 1.0);
    assert_eq!(
        rig.check("workload-a", "ResourcePatchUpgradeable")["state"],
        "Passed"
    );
}
