//! The platform resources the pre-checks read: Cluster, Machine, ResourcePatch and ConfigMap, as
//! an apiserver serves them.

use crate::api::{MERGE, client, frozen, raw};

#[tokio::test(flavor = "multi_thread")]
async fn platform_clusters_machines_and_config_maps() {
    let sim = frozen().await;
    let admin = client(&sim, "sim/global").await;
    let clusters = "/apis/platform.tkestack.io/v1/clusters";

    // One Cluster per ACP cluster, same name, with its Kubernetes version.
    let (code, list) = raw(&admin, "GET", clusters, None, "").await;
    assert_eq!(code, 200);
    assert_eq!(list["kind"], "ClusterList");
    let versions: Vec<(&str, &str, &str)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|cluster| {
            (
                cluster["metadata"]["name"].as_str().unwrap(),
                cluster["status"]["version"].as_str().unwrap(),
                cluster["status"]["phase"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        [
            ("global", "1.32.6", "Running"),
            ("workload-a", "1.32.6", "Running"),
            ("workload-b", "1.31.4", "Running"),
            ("workload-c", "1.30.14", "Running"),
        ]
    );
    // Each cluster's /version is its Kubernetes version.
    let wc = client(&sim, "sim/workload-c").await;
    assert_eq!(
        raw(&wc, "GET", "/version", None, "").await.1["gitVersion"],
        "v1.30.14"
    );

    // Three Machines, Running.
    let (_, machines) = raw(
        &admin,
        "GET",
        "/apis/platform.tkestack.io/v1/machines",
        None,
        "",
    )
    .await;
    let phases: Vec<(&str, &str)> = machines["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|machine| {
            (
                machine["metadata"]["name"].as_str().unwrap(),
                machine["status"]["phase"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        phases,
        [
            ("global-cp-1", "Running"),
            ("global-cp-2", "Running"),
            ("global-cp-3", "Running")
        ]
    );

    // A Kubernetes upgrade is a merge patch of spec.version; status is the platform's.
    let (code, patched) = raw(
        &admin,
        "PATCH",
        &format!("{clusters}/workload-c"),
        MERGE,
        r#"{"spec":{"version":"1.31.4"}}"#,
    )
    .await;
    assert_eq!(code, 200);
    assert_eq!(patched["spec"]["version"], "1.31.4");
    assert_eq!(
        patched["status"]["version"], "1.30.14",
        "the controller is off"
    );
    assert_eq!(patched["metadata"]["generation"], 2);
    let (code, invalid) = raw(
        &admin,
        "PATCH",
        &format!("{clusters}/workload-c"),
        MERGE,
        r#"{"spec":{"version":"newest"}}"#,
    )
    .await;
    assert_eq!((code, invalid["reason"].as_str()), (422, Some("Invalid")));
    let (code, _) = raw(
        &admin,
        "PATCH",
        &format!("{clusters}/workload-c/status"),
        MERGE,
        r#"{"status":{"version":"1.31.4"}}"#,
    )
    .await;
    assert_eq!(code, 403);
    // Custom resources refuse strategic merge patches, as on a real server.
    let (code, _) = raw(
        &admin,
        "PATCH",
        &format!("{clusters}/workload-c"),
        Some("application/strategic-merge-patch+json"),
        r#"{"spec":{"version":"1.31.4"}}"#,
    )
    .await;
    assert_eq!(code, 415);

    // Tests put platform objects with the builders.
    sim.put(ac_sim::resources::machine_object(
        "global-cp-2",
        "192.168.10.12",
        "Failed",
    ));
    sim.put(ac_sim::resources::cluster_object(
        "workload-d",
        "1.29.3",
        "Running",
    ));
    sim.put(ac_sim::resources::configmap_object(
        "admin-gates",
        [(
            "ack-4.4-kubernetes-1.35-kernel-update",
            "Check the kernels.",
        )],
    ));
    assert_eq!(
        sim.get("machines", None, "global-cp-2").unwrap()["status"]["phase"],
        "Failed"
    );
    assert_eq!(sim.list("clusters", None).len(), 5);
    let (_, gates) = raw(
        &admin,
        "GET",
        "/api/v1/namespaces/cpaas-system/configmaps/admin-gates",
        None,
        "",
    )
    .await;
    assert_eq!(
        gates["data"]["ack-4.4-kubernetes-1.35-kernel-update"],
        "Check the kernels."
    );
    sim.shutdown().await;
}

/// A Kubernetes upgrade through the Cluster resource (what `ac` suggests for a workload
/// cluster outside a target's range): `spec.version` one minor up, as a line (`1.31`, the
/// platform's latest patch of it) or a full version; a downgrade, a skipped minor or a
/// version outside the cluster's ACP release's range is a 422 Invalid Status.
#[tokio::test(flavor = "multi_thread")]
async fn kubernetes_upgrades_through_the_cluster_resource() {
    let sim = ac_sim::Sim::start(ac_sim::SimOptions {
        speed: 600.0,
        ..ac_sim::SimOptions::default_scenario()
    })
    .await
    .unwrap();
    let admin = client(&sim, "sim/global").await;
    let cluster = "/apis/platform.tkestack.io/v1/clusters/workload-c";
    let patch = |version: &str| format!(r#"{{"spec":{{"version":"{version}"}}}}"#);
    for (version, says) in [
        (
            "1.32",
            "Kubernetes moves one minor at a time: upgrade to 1.31 first",
        ),
        ("1.29.15", "downgrading it to 1.29.15 is not supported"),
        ("1.41", "not a release this platform has"),
    ] {
        for path in [cluster.to_string(), format!("{cluster}?dryRun=All")] {
            let (code, status) = raw(&admin, "PATCH", &path, MERGE, &patch(version)).await;
            assert_eq!(
                (code, status["reason"].as_str()),
                (422, Some("Invalid")),
                "{status}"
            );
            let cause = &status["details"]["causes"][0];
            assert_eq!(cause["field"], "spec.version", "{status}");
            assert!(
                cause["message"].as_str().unwrap().contains(says),
                "{status}"
            );
            assert!(
                status["message"].as_str().unwrap().contains(says),
                "{status}"
            );
        }
    }
    let (code, patched) = raw(&admin, "PATCH", cluster, MERGE, &patch("1.31")).await;
    assert_eq!((code, &patched["spec"]["version"]), (200, &"1.31".into()));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let done = loop {
        let (_, object) = raw(&admin, "GET", cluster, None, "").await;
        if object["status"]["version"] == "1.31.9" {
            break object;
        }
        assert!(std::time::Instant::now() < deadline, "{object}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(done["spec"]["version"], "1.31.9");
    assert_eq!(done["status"]["phase"], "Running");
    // workload-c runs ACP 4.1.5: 1.32 is its last minor.
    let (code, _) = raw(&admin, "PATCH", cluster, MERGE, &patch("1.32.6")).await;
    assert_eq!(code, 200);
    let (_, object) = raw(&admin, "GET", cluster, None, "").await;
    let running = object["status"]["version"].as_str().unwrap().to_string();
    let (code, status) = raw(&admin, "PATCH", cluster, MERGE, &patch("1.33")).await;
    assert_eq!(code, 422, "{status}");
    let message = status["message"].as_str().unwrap();
    assert!(
        message.contains("1.29–1.32 supported by ACP 4.1.5")
            || message.contains("one minor at a time"),
        "{running}: {message}"
    );
    sim.shutdown().await;
}
