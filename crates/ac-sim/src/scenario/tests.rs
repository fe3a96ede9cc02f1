use super::*;
use crate::clock::Timeline;

const SAMPLE: &str = r#"
start: 2027-01-04T09:00:00Z
clusters:
  - name: global
    version: 4.2.1
    kubernetesVersion: 1.32.6
  - name: edge-1
    version: 4.1.5
    kubernetes: "1.30"
    target: 4.2.1
    requestedAgo: 300
    operationFailures:
      - operation: control-plane/etcd
        message: etcd member 2 is unhealthy
  - name: edge-2
    version: 4.1.5
    target: 4.2.1
    preflightFailures:
      - check: PlatformLicense
        reason: LicenseExpiring
        clearsAfter: 600
manifests:
  - 4.2.1
  - {version: 4.3.0, ready: false}
  - {name: hotfix, image: registry.example/acp/release@sha256:abcd}
resourcePatches:
  - {name: rp-edge-2, cluster: edge-2}
adminGates:
  ack-4.4-kubernetes-1.35-kernel-update: Check kernels.
adminAcks: {ack-4.4-kubernetes-1.35-kernel-update: "true"}
disabledChecks: [CRIUpgradePodsAbsent]
machines:
  - {name: cp-1, ip: 10.0.0.1}
  - {name: cp-2, phase: Failed}
standby:
  version: 4.3.0
  previous: [4.2.1]
  machines: [{name: dr-cp-1}]
"#;

#[test]
fn parses_the_documented_format() {
    let s = Scenario::from_yaml(SAMPLE).unwrap();
    assert_eq!(s.clusters.len(), 3);
    assert_eq!(s.clusters[0].kubernetes_version.as_deref(), Some("1.32.6"));
    assert_eq!(
        s.clusters[1].kubernetes_version.as_deref(),
        Some("1.30"),
        "the old key kubernetes: still works"
    );
    assert_eq!(s.clusters[2].kubernetes_version, None);
    assert_eq!(s.clusters[1].requested_ago, 300.0);
    assert_eq!(s.manifests[0], ManifestSpec::version("4.2.1"));
    assert!(!s.manifests[1].ready);
    assert_eq!(s.manifests[2].object_name(), "hotfix");
    let cfg = s.controller_config();
    assert_eq!(cfg.operation_failures[0].cluster.as_deref(), Some("edge-1"));
    assert_eq!(cfg.preflight_failures[0].clears_after, Some(600.0));
    assert_eq!(s.start_time().to_string(), "2027-01-04T09:00:00Z");
    let objs = s.base_objects(&Timeline::identity(s.start_time()));
    let cvo = objs
        .iter()
        .find(|o| o["metadata"]["name"] == "cvo-config")
        .unwrap();
    assert_eq!(
        cvo["data"]["preflight"],
        "disabled:\n  - CRIUpgradePodsAbsent\n"
    );
    assert!(
        objs.iter()
            .any(|o| o["kind"] == "ResourcePatch" && o["spec"]["clusterName"] == "edge-2")
    );
    let of_kind = |kind: &str| -> Vec<&serde_json::Value> {
        objs.iter().filter(|o| o["kind"] == kind).collect()
    };
    let clusters = of_kind("Cluster");
    assert_eq!(clusters.len(), 3);
    assert_eq!(clusters[0]["spec"]["version"], "1.32.6");
    assert_eq!(clusters[2]["status"]["version"], DEFAULT_KUBERNETES);
    assert_eq!(clusters[2]["status"]["phase"], "Running");
    let machines = of_kind("Machine");
    assert_eq!(machines.len(), 2);
    assert_eq!(machines[0]["spec"]["ip"], "10.0.0.1");
    assert_eq!(machines[1]["status"]["phase"], "Failed");
    let acks = objs
        .iter()
        .find(|o| o["metadata"]["name"] == "admin-acks")
        .unwrap();
    assert_eq!(
        acks["data"]["ack-4.4-kubernetes-1.35-kernel-update"],
        "true"
    );
    // The standby: its own global and machines, the same manifests and config maps.
    let standby = s.standby_scenario();
    assert_eq!(standby.clusters.len(), 1);
    assert_eq!(standby.clusters[0].version, "4.3.0");
    assert_eq!(standby.clusters[0].previous, ["4.2.1"]);
    assert_eq!(
        standby.clusters[0].kubernetes_version.as_deref(),
        Some("1.32.6")
    );
    assert_eq!(standby.manifests, s.manifests);
    assert!(standby.resource_patches.is_empty());
    assert_eq!(standby.machines.as_ref().unwrap()[0].name, "dr-cp-1");
    assert_eq!(standby.disabled_checks, s.disabled_checks);
}

#[test]
fn builtin_and_default_standby() {
    let b = Scenario::builtin();
    let kubernetes: Vec<(&str, &str)> = b
        .clusters
        .iter()
        .map(|c| (c.name.as_str(), c.kubernetes_version.as_deref().unwrap()))
        .collect();
    assert_eq!(
        kubernetes,
        [
            ("global", "1.32.6"),
            ("workload-a", "1.32.6"),
            ("workload-b", "1.31.4"),
            ("workload-c", "1.30.14"),
        ]
    );
    assert!(b.admin_gates.is_empty() && b.disabled_checks.is_empty());
    let objs = b.base_objects(&Timeline::identity(b.start_time()));
    assert_eq!(objs.iter().filter(|o| o["kind"] == "Machine").count(), 3);
    let standby = b.standby_scenario();
    assert_eq!(standby.clusters[0].version, "4.2.1");
    assert_eq!(standby.clusters[0].target, None);
    assert_eq!(
        standby.machines.unwrap()[2].name,
        "standby-cp-3",
        "the standby's own nodes"
    );
    assert_eq!(Scenario::empty().standby_scenario(), Scenario::empty());
}

#[test]
fn rejects_inconsistent_scenarios() {
    for (bad, why) in [
        ("clusters: [{name: a, version: 4.2.1}]", "global"),
        (
            "clusters: [{name: global, version: banana}]",
            "not a version",
        ),
        (
            "clusters: [{name: global, version: 4.2.1}, {name: global, version: 4.2.1}]",
            "twice",
        ),
        (
            "clusters: [{name: global, version: 4.2.1, operationFailures: [{operation: nope}]}]",
            "unknown operation",
        ),
        (
            "clusters: [{name: global, version: 4.2.1}]\nmanifests: [{version: 4.3.0, image: x}]",
            "exactly one",
        ),
        (
            "clusters: [{name: global, version: 4.2.1, colour: red}]",
            "colour",
        ),
        (
            "preflightFailures: [{cluster: ghost, check: X}]",
            "unknown cluster",
        ),
        (
            "clusters: [{name: global, version: 4.2.1, kubernetesVersion: one-thirty}]",
            "not a Kubernetes version",
        ),
        (
            "clusters: [{name: global, version: 4.2.1}]\nmachines: [{name: a}, {name: a}]",
            "twice",
        ),
        (
            "clusters: [{name: global, version: 4.2.1}]\nstandby: {version: banana}",
            "standby",
        ),
        ("standby: {}", "needs a global"),
    ] {
        let error = format!("{:#}", Scenario::from_yaml(bad).unwrap_err());
        assert!(error.contains(why), "{bad}: {error}");
    }
}

#[test]
fn fleet_is_deterministic_and_varied() {
    let f = Scenario::fleet(50);
    assert_eq!(f.clusters.len(), 51);
    assert_eq!(f, Scenario::fleet(50));
    f.check().unwrap();
    assert_eq!(f.clusters[1].name, "workload-0001");
    assert_eq!(f.resource_patches.len(), 5);
    assert!(f.clusters.iter().any(|c| !c.operation_failures.is_empty()));
    Scenario::builtin().check().unwrap();
}

#[test]
fn cluster_faults_in_a_scenario_file() {
    let scenario = Scenario::from_yaml(
        r#"
clusters:
  - {name: global, version: 4.2.1}
  - name: edge-1
    version: 4.2.1
    faults: [stall, degrade, preflight=ClusterRunning, stall=monitoring]
"#,
    )
    .unwrap();
    assert_eq!(
        scenario.clusters[1].faults,
        vec![
            ClusterFaultKind::Stall {
                operation: "control-plane/etcd".into()
            },
            ClusterFaultKind::Degrade,
            ClusterFaultKind::Preflight {
                check: "ClusterRunning".into()
            },
            ClusterFaultKind::Stall {
                operation: "monitoring".into()
            },
        ]
    );
    let config = scenario.controller_config();
    assert!(config.degraded.contains("edge-1"));
    assert_eq!(config.operation_failures.len(), 2);
    assert_eq!(
        config.preflight_failures[0].reason.as_deref(),
        Some("InjectedFault")
    );
    for bad in [
        "faults: [explode]",
        "faults: [preflight=Nope]",
        "faults: [stall=warp]",
    ] {
        let text = format!(
            "clusters:\n  - {{name: global, version: 4.2.1}}\n  - name: e\n    version: 4.2.1\n    {bad}\n"
        );
        assert!(Scenario::from_yaml(&text).is_err(), "{bad}");
    }
    let mut fleet = Scenario::idle_fleet(3);
    fleet
        .add_cluster_faults(&["workload-*=degrade".parse().unwrap()])
        .unwrap();
    assert_eq!(fleet.controller_config().degraded.len(), 3);
}
