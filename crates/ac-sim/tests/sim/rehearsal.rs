//! A full rehearsal against the running simulator over HTTPS (controller on, speed 600:
//! ten simulated minutes per real second). Polls with generous timeouts; no timing races.

use std::time::Duration;

use ac_sim::{Sim, SimOptions};
use kube::api::{Api, DynamicObject, Patch, PatchParams, PostParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{Value, json};

const NS: &str = "cpaas-system";

fn ar(group: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, "v1", kind), plural)
}

async fn client(sim: &Sim) -> kube::Client {
    let kc = Kubeconfig::from_yaml(&sim.kubeconfig_yaml("global")).unwrap();
    let mut cfg = kube::Config::from_custom_kubeconfig(kc, &KubeConfigOptions::default())
        .await
        .unwrap();
    cfg.default_retry = false;
    kube::Client::try_from(cfg).unwrap()
}

/// Poll `f` until it returns Some, for up to 120 s of real time.
async fn until<T>(what: &str, mut f: impl AsyncFnMut() -> Option<T>) -> T {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn condition<'a>(o: &'a DynamicObject, t: &str) -> Option<&'a Value> {
    o.data["status"]["conditions"]
        .as_array()?
        .iter()
        .find(|c| c["type"] == t)
}

fn offered(o: &DynamicObject, v: &str) -> bool {
    o.data["status"]["availableUpdates"]
        .as_array()
        .is_some_and(|a| a.iter().any(|u| u["version"] == v))
}

#[tokio::test(flavor = "multi_thread")]
async fn rehearse_a_platform_upgrade() {
    let sim = Sim::start(SimOptions {
        speed: 600.0,
        ..SimOptions::default_scenario()
    })
    .await
    .unwrap();
    let client = client(&sim).await;
    let cvsh: Api<DynamicObject> = Api::namespaced_with(
        client.clone(),
        NS,
        &ar(
            "config.alauda.io",
            "ClusterVersionShadow",
            "clusterversionshadows",
        ),
    );
    let pdman: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &ar("config.alauda.io", "ProductManifest", "productmanifests"),
    );
    let rps: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &ar("config.cpaas.io", "ResourcePatch", "resourcepatches"),
    );

    // 1. Import release metadata for 4.3.1: Ready, then offered to global.
    let pm: DynamicObject = serde_json::from_value(json!({
        "apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
        "metadata": {"name": "v4.3.1"}, "spec": {"version": "4.3.1"}
    }))
    .unwrap();
    pdman.create(&PostParams::default(), &pm).await.unwrap();
    until("v4.3.1 Ready", async || {
        let patch = pdman.get("v4.3.1").await.ok()?;
        (condition(&patch, "Ready")?["status"] == "True").then_some(())
    })
    .await;
    until("4.3.1 offered to global", async || {
        offered(&cvsh.get("global").await.ok()?, "4.3.1").then_some(())
    })
    .await;
    assert!(
        !offered(&cvsh.get("workload-a").await.unwrap(), "4.3.1"),
        "workloads wait for global"
    );

    // 2. A workload asking for 4.3.1 before global has it is refused by preflight:
    //    VersionUpgradePath fails with GlobalVersionNotReached.
    cvsh.patch(
        "workload-a",
        &PatchParams::default(),
        &Patch::Merge(json!({"spec": {"desiredUpdate": {"version": "4.3.1"}}})),
    )
    .await
    .unwrap();
    let stalled = until("workload-a stalled", async || {
        let object = cvsh.get("workload-a").await.ok()?;
        let status = condition(&object, "Stalled")?;
        (status["status"] == "True").then_some(object)
    })
    .await;
    assert_eq!(
        condition(&stalled, "Stalled").unwrap()["reason"],
        "PreflightFailed"
    );
    let path = stalled.data["status"]["preflight"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["name"] == "VersionUpgradePath")
        .unwrap();
    assert_eq!(path["reason"], "GlobalVersionNotReached");
    assert!(
        path["message"]
            .as_str()
            .unwrap()
            .contains("global is at 4.2.1")
    );

    // 3. Upgrade global: preflight first blocks, because workload-c runs Kubernetes 1.30,
    //    outside 4.3's range; raising it (the Cluster's spec.version) clears the block.
    let global = cvsh.get("global").await.unwrap();
    let rv = global.metadata.resource_version.clone().unwrap();
    cvsh.patch(
        "global",
        &PatchParams::default(),
        &Patch::Merge(json!({
            "metadata": {"resourceVersion": rv},
            "spec": {"desiredUpdate": {"version": "4.3.1", "image": null}}
        })),
    )
    .await
    .unwrap();
    let blocked = until("global blocked by KubernetesVersionSupported", async || {
        let object = cvsh.get("global").await.ok()?;
        let stalled = condition(&object, "Stalled")?;
        (stalled["status"] == "True" && stalled["reason"] == "PreflightFailed").then_some(object)
    })
    .await;
    let check = blocked.data["status"]["preflight"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|check| check["name"] == "KubernetesVersionSupported")
        .cloned()
        .unwrap();
    assert_eq!(check["reason"], "KubernetesVersionUnsupported");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("workload-c (1.30.14)"),
        "{check}"
    );
    let platform_clusters: Api<DynamicObject> = Api::all_with(
        client.clone(),
        &ar("platform.tkestack.io", "Cluster", "clusters"),
    );
    platform_clusters
        .patch(
            "workload-c",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"version": "1.31.4"}})),
        )
        .await
        .unwrap();
    let mut saw_stages = false;
    let done = until("global at 4.3.1", async || {
        let object = cvsh.get("global").await.ok()?;
        if object.data["status"]["stages"]
            .as_array()
            .is_some_and(|status| !status.is_empty())
        {
            saw_stages = true;
        }
        (object.data["status"]["current"]["version"] == "4.3.1").then_some(object)
    })
    .await;
    assert!(saw_stages || done.data["status"]["stages"].is_array());
    assert_eq!(condition(&done, "Ready").unwrap()["status"], "True");
    assert_eq!(
        condition(&done, "PreflightReady").unwrap()["status"],
        "True"
    );
    assert_eq!(done.data["status"]["history"][0]["state"], "Completed");
    assert_eq!(
        done.data["status"]["observedGeneration"],
        json!(done.metadata.generation)
    );
    assert!(
        done.data["status"]["preflight"]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .all(|client| client["state"] == "Passed")
    );

    // 4. workload-a's waiting request proceeds on its own; workload-b is offered 4.3.1.
    until("workload-a at 4.3.1", async || {
        (cvsh.get("workload-a").await.ok()?.data["status"]["current"]["version"] == "4.3.1")
            .then_some(())
    })
    .await;
    until("workload-b offered 4.3.1", async || {
        offered(&cvsh.get("workload-b").await.ok()?, "4.3.1").then_some(())
    })
    .await;

    // 5. workload-c is blocked by rp-legacy-ingress until the documented annotation.
    let c_obj = cvsh.get("workload-c").await.unwrap();
    let rp_check = c_obj.data["status"]["preflight"]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["name"] == "ResourcePatchUpgradeable")
        .cloned()
        .unwrap();
    assert_eq!(rp_check["state"], "Failed");
    assert_eq!(rp_check["reason"], "UnexemptResourcePatches");
    rps.patch(
        "rp-legacy-ingress",
        &PatchParams::default(),
        &Patch::Merge(json!({
            "metadata": {"annotations": {"config.cpaas.io/exempt-for-ver": "4.2.1"}}
        })),
    )
    .await
    .unwrap();
    until("workload-c at 4.2.1", async || {
        (cvsh.get("workload-c").await.ok()?.data["status"]["current"]["version"] == "4.2.1")
            .then_some(())
    })
    .await;
    sim.shutdown().await;
}
