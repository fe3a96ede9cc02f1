//! A DR pair: the primary platform and the standby global, each with its own listener,
//! objects, controller and kubeconfig session, upgraded independently.

use std::time::Duration;

use ac_sim::{Sim, SimOptions};
use kube::api::{Api, DynamicObject, Patch, PatchParams};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::core::{ApiResource, GroupVersionKind};
use serde_json::{Value, json};

fn ar(group: &str, kind: &str, plural: &str) -> ApiResource {
    ApiResource::from_gvk_with_plural(&GroupVersionKind::gvk(group, "v1", kind), plural)
}

/// A client for a context of the pair's one kubeconfig.
async fn client(kubeconfig: &str, context: &str) -> kube::Client {
    let kc = Kubeconfig::from_yaml(kubeconfig).unwrap();
    let opts = KubeConfigOptions {
        context: Some(context.into()),
        ..Default::default()
    };
    let mut cfg = kube::Config::from_custom_kubeconfig(kc, &opts)
        .await
        .unwrap();
    cfg.default_retry = false;
    cfg.read_timeout = Some(Duration::from_secs(30));
    kube::Client::try_from(cfg).unwrap()
}

fn cvsh(client: &kube::Client) -> Api<DynamicObject> {
    Api::namespaced_with(
        client.clone(),
        "cpaas-system",
        &ar(
            "config.alauda.io",
            "ClusterVersionShadow",
            "clusterversionshadows",
        ),
    )
}

async fn current(api: &Api<DynamicObject>, name: &str) -> String {
    api.get(name).await.unwrap().data["status"]["current"]["version"]
        .as_str()
        .unwrap_or("")
        .to_string()
}

async fn wait_for(api: &Api<DynamicObject>, name: &str, version: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    while current(api, name).await != version {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name} did not reach {version}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn entries<'a>(kubeconfig: &'a Value, list: &str) -> Vec<&'a str> {
    kubeconfig[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["name"].as_str().unwrap())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn both_globals_reachable_and_upgraded_independently() {
    let sim = Sim::start(SimOptions {
        dr: true,
        speed: 600.0,
        ..SimOptions::default_scenario()
    })
    .await
    .unwrap();
    let standby = sim.standby().expect("a DR pair has a standby");
    assert_eq!((sim.session(), standby.session()), ("sim", "sim-dr"));
    assert_ne!(sim.base_url(), standby.base_url(), "its own VIP");
    assert_ne!(sim.admin_token(), standby.admin_token());
    assert_eq!(standby.clusters(), ["global"]);

    // One kubeconfig, both sessions; entries found by their acp.io/v1 metadata.
    let yaml = sim.kubeconfig_yaml("global");
    let kc: Value = serde_saphyr::from_str(&yaml).unwrap();
    assert_eq!(
        entries(&kc, "clusters"),
        [
            "acp:sim:global",
            "acp:sim:workload-a",
            "acp:sim:workload-b",
            "acp:sim:workload-c",
            "acp:sim-dr:global"
        ]
    );
    assert_eq!(
        entries(&kc, "users"),
        [
            "acp:sim:admin",
            "acp:sim:viewer",
            "acp:sim-dr:admin",
            "acp:sim-dr:viewer"
        ]
    );
    let contexts = entries(&kc, "contexts");
    assert!(contexts.contains(&"sim-dr/global") && contexts.contains(&"sim-dr-viewer/global"));
    assert_eq!(kc["current-context"], "sim/global");
    let standby_entry = &kc["clusters"][4]["cluster"];
    assert_eq!(
        standby_entry["server"],
        format!("{}/kubernetes/global/", standby.base_url())
    );
    assert_eq!(
        standby_entry["extensions"][0]["extension"],
        json!({"isGlobal": true, "platformUrl": standby.base_url(), "sessionName": "sim-dr", "clusterName": "global"})
    );

    let primary = client(&yaml, "sim/global").await;
    let secondary = client(&yaml, "sim-dr/global").await;
    let (primary_cvsh, standby_cvsh) = (cvsh(&primary), cvsh(&secondary));

    // The standby: its own global (same release as the primary's), no workload clusters,
    // the same release metadata, its own Machines.
    let standby_list = standby_cvsh.list(&Default::default()).await.unwrap();
    let names: Vec<String> = standby_list
        .items
        .iter()
        .map(|object| object.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(names, ["global"]);
    assert_eq!(current(&standby_cvsh, "global").await, "4.2.1");
    let machines: Api<DynamicObject> = Api::all_with(
        secondary.clone(),
        &ar("platform.tkestack.io", "Machine", "machines"),
    );
    let machine_names: Vec<String> = machines
        .list(&Default::default())
        .await
        .unwrap()
        .items
        .iter()
        .map(|machine| machine.metadata.name.clone().unwrap())
        .collect();
    assert_eq!(
        machine_names,
        ["standby-cp-1", "standby-cp-2", "standby-cp-3"]
    );
    assert!(standby.get("pdman", None, "v4.3.0").is_some());
    assert!(
        standby
            .get("resourcepatches", None, "rp-legacy-ingress")
            .is_none()
    );

    // Reachable only through its own session: the primary's token is unknown there, and
    // the standby knows no workload cluster.
    let wrong = {
        let mut kc = kc.clone();
        kc["users"][2]["user"]["token"] = json!(sim.admin_token());
        client(&serde_json::to_string(&kc).unwrap(), "sim-dr/global").await
    };
    let denied = cvsh(&wrong).get("global").await.unwrap_err();
    assert!(
        matches!(&denied, kube::Error::Api(status) if status.code == 401),
        "{denied:?}"
    );
    let http = status_of(&secondary, "/version").await;
    assert_eq!(http, 200);
    assert!(!standby.clusters().contains(&"workload-a".to_string()));

    // The standby global moves to 4.3.0 (no workload clusters of its own to hold it back)
    // while the primary stays at 4.2.1; then the primary moves to 4.2.3 on its own.
    standby_cvsh
        .patch(
            "global",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"desiredUpdate": {"version": "4.3.0"}}})),
        )
        .await
        .unwrap();
    wait_for(&standby_cvsh, "global", "4.3.0").await;
    assert_eq!(current(&primary_cvsh, "global").await, "4.2.1");
    assert!(
        primary_cvsh.get("global").await.unwrap().data["spec"]
            .get("desiredUpdate")
            .is_none()
    );
    primary_cvsh
        .patch(
            "global",
            &PatchParams::default(),
            &Patch::Merge(json!({"spec": {"desiredUpdate": {"version": "4.2.3"}}})),
        )
        .await
        .unwrap();
    wait_for(&primary_cvsh, "global", "4.2.3").await;
    assert_eq!(current(&standby_cvsh, "global").await, "4.3.0");

    // Each platform logs its own requests.
    assert!(
        standby
            .requests()
            .iter()
            .any(|request| request.method == "PATCH")
    );
    assert!(
        standby
            .requests()
            .iter()
            .all(|request| !request.path.contains("workload-"))
    );
    sim.shutdown().await;
}

/// `GET path` through a client: the HTTP status.
async fn status_of(client: &kube::Client, path: &str) -> u16 {
    let request = http::Request::builder()
        .uri(path)
        .body(kube::client::Body::empty())
        .unwrap();
    client.send(request).await.unwrap().status().as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_scenario_sets_the_standby_and_faults_are_per_platform() {
    let scenario = ac_sim::Scenario::from_yaml(
        r#"
clusters:
  - {name: global, version: 4.2.1}
  - {name: workload-a, version: 4.2.1}
manifests: [4.2.1, 4.3.0]
standby:
  version: 4.3.0
  previous: [4.2.1]
  machines: [{name: dr-1}, {name: dr-2, phase: Failed}]
"#,
    )
    .unwrap();
    let sim = Sim::start(SimOptions {
        scenario,
        dr: true,
        ..SimOptions::empty()
    })
    .await
    .unwrap();
    let standby = sim.standby().unwrap();
    let global = standby.get("cvsh", Some("cpaas-system"), "global").unwrap();
    assert_eq!(global["status"]["current"]["version"], "4.3.0");
    assert_eq!(global["status"]["history"][1]["version"], "4.2.1");
    assert_eq!(
        standby.get("machines", None, "dr-2").unwrap()["status"]["phase"],
        "Failed"
    );
    assert_eq!(
        sim.get("cvsh", Some("cpaas-system"), "global").unwrap()["status"]["current"]["version"],
        "4.2.1"
    );

    // A fault on the standby leaves the primary alone.
    standby.set_faults(vec![ac_sim::Fault::parse("status=503").unwrap()]);
    let yaml = sim.kubeconfig_yaml("global");
    let on_standby = cvsh(&client(&yaml, "sim-dr/global").await)
        .get("global")
        .await
        .unwrap_err();
    assert!(matches!(&on_standby, kube::Error::Api(status) if status.code == 503));
    assert_eq!(
        current(&cvsh(&client(&yaml, "sim/global").await), "global").await,
        "4.2.1"
    );
    // Without dr there is no standby and one session.
    let single = Sim::start(SimOptions::empty()).await.unwrap();
    assert!(single.standby().is_none());
    assert!(!single.kubeconfig_yaml("global").contains("sim-dr"));
    single.shutdown().await;
    sim.shutdown().await;
}
