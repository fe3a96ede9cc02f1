//! `ac adm upgrade` and `ac adm release import-manifest` end to end: the built binary against
//! the loopback HTTPS ACP API, asserting exact requests and golden outputs.

use crate::common::{Env, cvsh, pdman};
use serde_json::{Value, json};

const CVSH_PATH: &str =
    "/kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows";

async fn fleet(context: &str) -> Env {
    let env = Env::start(context).await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.2.3", "4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &["4.2.3"]));
    env.sim.clear_requests();
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_of_global_reads_what_its_next_moves_pre_checks_read() {
    let env = fleet("global").await;
    let r = env.ac(&["adm", "upgrade"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "upgrade/summary-global.txt");
    // The suggested request is judged as the guard would judge it: the same reads, once.
    let mut lines = env.request_lines();
    lines.sort();
    assert_eq!(lines, global_precheck_reads());
}

/// Every request goes to global: a cluster with a ClusterVersionShadow there can be the
/// `--cluster` of every command whether the kubeconfig has an entry for it or not.
#[tokio::test(flavor = "multi_thread")]
async fn a_cluster_without_a_kubeconfig_entry_is_a_target() {
    let env = fleet("global").await;
    let mut g = cvsh("global", "4.2.3", &["4.3.0"]);
    g["metadata"]["generation"] = json!(1);
    env.put_cvsh(g);
    // On the platform, but not in the kubeconfig (put after it was written).
    let mut edge = cvsh("edge-7", "4.2.1", &["4.2.3"]);
    edge["metadata"]["namespace"] = json!("cpaas-system");
    env.sim.put(edge);
    let kubeconfig = std::fs::read_to_string(&env.kubeconfig).unwrap();
    assert!(!kubeconfig.contains("edge-7"), "no entry for it");
    for args in [
        vec!["adm", "upgrade", "--cluster=edge-7"],
        vec!["adm", "upgrade", "status", "--cluster=edge-7"],
        vec!["adm", "upgrade", "precheck", "--cluster=edge-7"],
    ] {
        let r = env.ac(&args).await;
        assert_eq!(r.code, 0, "{args:?}: {}", r.both());
        assert!(r.stdout.contains("edge-7"), "{args:?}: {}", r.both());
    }
    env.sim.clear_requests();
    let r = env
        .ac(&["adm", "upgrade", "--cluster=edge-7", "--to=4.2.3"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(env.patches().len(), 1, "{:?}", env.request_lines());
    assert!(
        env.request_lines()
            .iter()
            .any(|l| l == &format!("PATCH {CVSH_PATH}/edge-7?&fieldManager=ac")),
        "{:?}",
        env.request_lines()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_of_workload_names_the_version_it_can_move_to() {
    let env = fleet("global").await;
    let mut w = cvsh("workload-a", "4.2.1", &["4.2.3", "4.3.0"]);
    w["status"]["availableUpdates"][1] = json!({"version": "4.3.0"});
    env.put_cvsh(w);
    let mut g = cvsh("global", "4.2.3", &["4.3.0"]);
    g["metadata"]["generation"] = json!(1);
    env.put_cvsh(g);
    env.sim.clear_requests();
    let r = env.ac(&["adm", "upgrade", "--cluster", "workload-a"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "upgrade/summary-workload.txt");
    // Both cvsh and what the pre-checks of its next move read, at once.
    let mut lines = env.request_lines();
    lines.sort();
    assert_eq!(lines, workload_precheck_reads("workload-a"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_context_picks_the_cluster_and_a_stale_status_is_flagged() {
    // In a workload cluster's context, the views and writes act on that cluster (SPEC §3.2).
    let env = Env::start("workload-a").await;
    let mut g = cvsh("global", "4.2.1", &[]);
    g["metadata"]["generation"] = json!(2);
    env.put_cvsh(g);
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    let r = env.ac(&["adm", "upgrade"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.starts_with("Cluster:   workload-a\n"),
        "{}",
        r.both()
    );
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("workload-a"), "{}", r.both());
    // A write names the cluster and says it came from the context; nothing is offered here,
    // so the request is refused, and nothing is written.
    let r = env.ac(&["adm", "upgrade", "--to-latest"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(r.stderr.contains("cluster workload-a"), "{}", r.both());
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--to=4.2.2",
            "--allow-explicit-upgrade",
            "--allow-upgrade-with-warnings",
            "--dry-run",
        ])
        .await;
    assert!(
        r.stdout
            .contains("(cluster workload-a (the cluster of context sim/workload-a))"),
        "{}",
        r.both()
    );
    // --cluster names another one: the stale global is flagged.
    let r = env.ac(&["adm", "upgrade", "--cluster=global"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "upgrade/summary-stale-nothing-offered.txt");
    assert!(env.patches().is_empty(), "nothing written");
}

#[tokio::test(flavor = "multi_thread")]
async fn summary_json_and_yaml_are_stable_objects() {
    let env = fleet("global").await;
    let r = env.ac(&["adm", "upgrade", "-o", "json"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "ac.alauda.io/upgrade-summary/v1");
    assert_eq!(v["cluster"], "global");
    assert_eq!(v["availableUpdates"][0]["version"], "4.3.0");
    assert_eq!(v["object"]["metadata"]["name"], "global");
    let mut v = v;
    v["object"]["metadata"]["resourceVersion"] = json!("<rv>");
    golden!(
        serde_json::to_string_pretty(&v).unwrap() + "\n",
        "upgrade/summary-global.json"
    );
    let r = env.ac(&["adm", "upgrade", "-o", "yaml"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("schema: ac.alauda.io/upgrade-summary/v1"),
        "{}",
        r.stdout
    );
}

/// What a workload cluster's pre-checks read (sorted): its cvsh and global's, its own Cluster,
/// the ResourcePatches, the three ConfigMaps.
fn workload_precheck_reads(cluster: &str) -> Vec<String> {
    vec![
        "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/admin-acks".to_string(),
        "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/admin-gates".into(),
        "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/cvo-config".into(),
        format!("GET {CVSH_PATH}/global"),
        format!("GET {CVSH_PATH}/{cluster}"),
        "GET /kubernetes/global/apis/config.cpaas.io/v1/resourcepatches?&limit=500".into(),
        format!("GET /kubernetes/global/apis/platform.tkestack.io/v1/clusters/{cluster}"),
    ]
}

/// What a global request reads before it writes: the pre-checks (sorted), every cluster's
/// version among them (for the remedies of workload clusters outside the Kubernetes range).
fn global_precheck_reads() -> Vec<String> {
    vec![
        "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/admin-acks".to_string(),
        "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/admin-gates".into(),
        "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/cvo-config".into(),
        format!("GET {CVSH_PATH}/global"),
        format!("GET {CVSH_PATH}?&limit=500"),
        "GET /kubernetes/global/apis/config.cpaas.io/v1/resourcepatches?&limit=500".into(),
        "GET /kubernetes/global/apis/platform.tkestack.io/v1/clusters?&limit=500".into(),
        "GET /kubernetes/global/apis/platform.tkestack.io/v1/machines?&limit=500".into(),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn to_latest_sends_one_merge_patch_with_resource_version() {
    let env = fleet("global").await;
    let rv = env.cvsh("global")["metadata"]["resourceVersion"].clone();
    let r = env.ac(&["adm", "upgrade", "--to-latest"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "upgrade/to-latest.txt");
    // The pre-checks' reads (concurrent, in any order), then the one PATCH.
    let mut lines = env.request_lines();
    assert_eq!(
        lines.pop().as_deref(),
        Some(format!("PATCH {CVSH_PATH}/global?&fieldManager=ac").as_str())
    );
    lines.sort();
    assert_eq!(lines, global_precheck_reads());
    let p = &env.patches()[0];
    assert_eq!(
        p.content_type.as_deref(),
        Some("application/merge-patch+json")
    );
    let body: Value = serde_json::from_str(&p.body).unwrap();
    assert_eq!(
        body,
        json!({"metadata": {"resourceVersion": rv}, "spec": {"desiredUpdate": {"version": "4.3.0", "image": null, "force": null}}})
    );
    let stored = env.cvsh("global");
    assert_eq!(stored["spec"]["desiredUpdate"], json!({"version": "4.3.0"}));
    assert_eq!(
        stored["status"]["current"]["version"], "4.2.1",
        "status untouched"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn to_version_with_leading_v_and_bool_flag_forms() {
    let env = fleet("global").await;
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--to=v4.2.3",
            "--dry-run=false",
            "--force=false",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(
        env.cvsh("global")["spec"]["desiredUpdate"],
        json!({"version": "4.2.3"})
    );
    // Asking again is a no-op.
    env.sim.clear_requests();
    let r = env.ac(&["adm", "upgrade", "--to=4.2.3"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "upgrade/already-requested.txt");
    assert!(env.patches().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_write_nothing_and_name_the_next_step() {
    let env = fleet("global").await;
    let cases: &[(&[&str], &str)] = &[
        (
            &["adm", "upgrade", "--to=4.4.0"],
            "upgrade/refuse-not-offered.txt",
        ),
        (
            &[
                "adm",
                "upgrade",
                "--cluster=workload-a",
                "--to=4.3.0",
                "--allow-explicit-upgrade",
            ],
            "upgrade/refuse-sequencing.txt",
        ),
    ];
    for (args, file) in cases {
        env.sim.clear_requests();
        let r = env.ac(args).await;
        assert_eq!(r.code, 3, "{args:?}: {}", r.both());
        snapbox::assert_data_eq!(
            r.both(),
            snapbox::Data::read_from(&std::path::Path::new("tests/golden").join(file), None).raw()
        );
        assert!(env.patches().is_empty(), "{args:?} wrote");
    }
    // Nothing offered for --to-latest.
    env.put_cvsh(cvsh("global", "4.3.0", &[]));
    env.sim.clear_requests();
    let r = env.ac(&["adm", "upgrade", "--to-latest"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "upgrade/refuse-nothing-offered.txt");
    assert!(env.patches().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn workload_request_reads_global_and_guards_can_be_overridden() {
    let env = fleet("global").await;
    let r = env
        .ac(&["adm", "upgrade", "--cluster=workload-a", "--to=4.2.3"])
        .await;
    assert_eq!(r.code, 3, "global is at 4.2.1: {}", r.both());
    let mut lines = env.request_lines();
    lines.sort();
    assert_eq!(
        lines,
        [
            "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/admin-acks"
                .to_string(),
            "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/admin-gates".into(),
            "GET /kubernetes/global/api/v1/namespaces/cpaas-system/configmaps/cvo-config".into(),
            format!("GET {CVSH_PATH}/global"),
            format!("GET {CVSH_PATH}/workload-a"),
            "GET /kubernetes/global/apis/config.cpaas.io/v1/resourcepatches?&limit=500".into(),
            "GET /kubernetes/global/apis/platform.tkestack.io/v1/clusters/workload-a".into(),
        ],
        "reads only, nothing written"
    );
    env.sim.clear_requests();
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--cluster=workload-a",
            "--to=4.2.3",
            "--allow-upgrade-with-warnings",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "upgrade/override-sequencing.txt");
    assert_eq!(env.patches().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn stalled_and_in_progress_clusters_are_guarded() {
    let env = fleet("global").await;
    let mut g = cvsh("global", "4.2.1", &["4.2.3", "4.3.0"]);
    g["spec"] = json!({"desiredUpdate": {"version": "4.2.3"}});
    g["status"]["desired"] = json!({"version": "4.2.3"});
    g["status"]["conditions"] = json!([
        {"type": "Reconciling", "status": "True", "reason": "Upgrading"},
        {"type": "Stalled", "status": "True", "reason": "OperationFailed", "message": "operation etcd-upgrade failed:\nexit status 1"}
    ]);
    env.put_cvsh(g);
    env.sim.clear_requests();
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "upgrade/refuse-in-progress-stalled.txt");
    assert!(env.patches().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn clear_force_image_and_dry_run() {
    let env = fleet("global").await;
    let r = env.ac(&["adm", "upgrade", "--clear"]).await;
    assert_eq!(r.code, 0);
    assert!(r.stderr.contains("info: nothing to clear"), "{}", r.both());
    assert!(env.patches().is_empty());

    let r = env.ac(&["adm", "upgrade", "--to=4.3.0", "--dry-run"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let out = r.stdout.replace(&env.sim.base_url(), "https://<sim>");
    let rv = env.cvsh("global")["metadata"]["resourceVersion"]
        .as_str()
        .unwrap()
        .to_string();
    golden!(
        out.replace(&format!("\"{rv}\""), "\"<rv>\""),
        "upgrade/dry-run.txt"
    );
    assert!(env.patches().is_empty(), "dry run wrote");

    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--to-image=registry.example.com/acp/release:4.3.0",
            "--force",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stderr.contains("SKIP ITS SAFETY CHECKS"), "{}", r.both());
    let body: Value = serde_json::from_str(&env.patches()[0].body).unwrap();
    assert_eq!(
        body["spec"]["desiredUpdate"],
        json!({"version": null, "image": "registry.example.com/acp/release:4.3.0", "force": true})
    );
    assert_eq!(
        env.cvsh("global")["spec"]["desiredUpdate"],
        json!({"image": "registry.example.com/acp/release:4.3.0", "force": true})
    );

    env.sim.clear_requests();
    let r = env.ac(&["adm", "upgrade", "--clear", "-o", "json"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["request"], Value::Null);
    let body: Value = serde_json::from_str(&env.patches()[0].body).unwrap();
    assert_eq!(body["spec"], json!({"desiredUpdate": null}));
    assert_eq!(env.cvsh("global")["spec"].get("desiredUpdate"), None);
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_before_any_request() {
    let env = fleet("global").await;
    for args in [
        &["adm", "upgrade", "--to-latest", "--to=4.3.0"][..],
        &["adm", "upgrade", "--to=4.3"],
        &["adm", "upgrade", "--to-image=not an image"],
        &["adm", "upgrade", "--force"],
        &["adm", "upgrade", "--to-latest=maybe"],
        &["adm", "upgrade", "--request-timeout=soon"],
    ] {
        let r = env.ac(args).await;
        assert_eq!(r.code, 2, "{args:?}: {}", r.both());
        assert!(r.stderr.starts_with("error:"), "{args:?}: {}", r.both());
    }
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_change_between_read_and_write_is_a_conflict() {
    let env = fleet("global").await;
    env.sim.set_faults(vec![ac_sim::Fault {
        method: Some("PATCH".into()),
        path_contains: "/clusterversionshadows/global".into(),
        kind: ac_sim::FaultKind::Latency(std::time::Duration::from_secs(2)),
        rate: 1.0,
    }]);
    let child = {
        let mut cmd = crate::common::base_command(env.dir.path());
        cmd.env("KUBECONFIG", &env.kubeconfig)
            .args(["adm", "upgrade", "--to=4.3.0"]);
        tokio::spawn(crate::common::run(cmd))
    };
    // Once the GET of the cvsh is answered (the log records answered requests), someone else
    // changes the object; ac's PATCH is held for 2 s and carries the old resourceVersion.
    for _ in 0..600 {
        if env
            .requests()
            .iter()
            .any(|r| r.method == "GET" && r.path.ends_with("/clusterversionshadows/global"))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let mut other = env.cvsh("global");
    other["spec"] = json!({"desiredUpdate": {"version": "4.2.3"}});
    env.put_cvsh(other);
    let r = child.await.unwrap();
    assert_eq!(
        r.code,
        1,
        "{}{:?}",
        r.both(),
        env.requests()
            .iter()
            .map(|r| format!("{} {} {}", r.method, r.path, r.status))
            .collect::<Vec<_>>()
    );
    golden!(r.both(), "upgrade/conflict.txt");
    assert_eq!(
        env.cvsh("global")["spec"]["desiredUpdate"],
        json!({"version": "4.2.3"}),
        "not overwritten"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn import_manifest_creates_once_and_never_overwrites() {
    let env = Env::start("global").await;
    let r = env
        .ac(&["adm", "release", "import-manifest", "--version", "v4.3.0"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(
        r.both().replace(&env.sim.base_url(), "https://<sim>"),
        "release/import-created.txt"
    );
    let post = env
        .requests()
        .into_iter()
        .find(|r| r.method == "POST")
        .expect("a POST");
    assert_eq!(
        post.path,
        "/kubernetes/global/apis/config.alauda.io/v1/productmanifests"
    );
    let body: Value = serde_json::from_str(&post.body).unwrap();
    assert_eq!(
        body,
        json!({"apiVersion": "config.alauda.io/v1", "kind": "ProductManifest", "metadata": {"name": "v4.3.0"}, "spec": {"version": "4.3.0"}})
    );
    env.sim.clear_requests();
    let r = env
        .ac(&["adm", "release", "import-manifest", "--version", "4.3.0"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr
            .contains("already exists with version 4.3.0; unchanged"),
        "{}",
        r.both()
    );
    assert!(env.requests().iter().all(|r| r.method == "GET"));

    env.sim.put(json!({"apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
                       "metadata": {"name": "v4.4.0"}, "spec": {"image": "registry.example.com/acp/release:4.4.0"}}));
    env.sim.clear_requests();
    let r = env
        .ac(&["adm", "release", "import-manifest", "--version", "4.4.0"])
        .await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "release/import-conflicting.txt");
    assert!(env.requests().iter().all(|r| r.method == "GET"));
}

#[tokio::test(flavor = "multi_thread")]
async fn import_manifest_wait_follows_until_ready_or_times_out() {
    let env = Env::start("global").await;
    env.sim.put(pdman("4.3.0", Some(false)));
    let waiter = {
        let mut cmd = crate::common::base_command(env.dir.path());
        cmd.env("KUBECONFIG", &env.kubeconfig).args([
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.0",
            "--wait",
            "--timeout",
            "60s",
        ]);
        tokio::spawn(crate::common::run(cmd))
    };
    for _ in 0..600 {
        if env
            .requests()
            .iter()
            .any(|r| r.query.as_deref().is_some_and(|q| q.contains("watch")))
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    env.sim.put(pdman("4.3.0", Some(true)));
    let r = waiter.await.unwrap();
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("ProductManifest v4.3.0 is Ready"),
        "{}",
        r.both()
    );

    env.sim.put(pdman("4.3.1", Some(false)));
    let r = env
        .ac(&[
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.1",
            "--wait",
            "--timeout",
            "2s",
        ])
        .await;
    assert_eq!(r.code, 4, "{}", r.both());
    assert!(
        r.stderr
            .contains("gave up waiting for ProductManifest v4.3.1 to become Ready after 2s"),
        "{}",
        r.both()
    );
}

/// `-o json|yaml` of the summary, of every request outcome (write, dry run, no-op, clear) and of
/// import-manifest, byte for byte.
#[tokio::test(flavor = "multi_thread")]
async fn machine_output_of_requests_and_import_manifest() {
    let env = fleet("global").await;
    let mut out = String::new();
    let mut run = async |args: &[&str]| {
        let r = env.ac(args).await;
        let rv = env.cvsh("global")["metadata"]["resourceVersion"].clone();
        let rv_w = env.cvsh("workload-a")["metadata"]["resourceVersion"].clone();
        let mut text = r.both().replace(&env.sim.base_url(), "https://<sim>");
        for rv in [rv, rv_w] {
            if let Some(rv) = rv.as_str() {
                text = text
                    .replace(&format!("\"{rv}\""), "\"<rv>\"")
                    .replace(
                        &format!("resourceVersion: '{rv}'"),
                        "resourceVersion: '<rv>'",
                    )
                    .replace(
                        &format!("resourceVersion: {rv}\n"),
                        "resourceVersion: <rv>\n",
                    );
            }
        }
        out.push_str(&format!("$ ac {}\n{text}", args.join(" ")));
    };
    run(&["adm", "upgrade", "--cluster=workload-a", "-o", "json"]).await;
    run(&["adm", "upgrade", "-o", "yaml"]).await;
    run(&["adm", "upgrade", "--to=4.3.0", "--dry-run", "-o", "json"]).await;
    run(&["adm", "upgrade", "--to=4.2.3", "-o", "json"]).await;
    run(&["adm", "upgrade", "--to=4.2.3", "-o", "yaml"]).await;
    run(&[
        "adm",
        "upgrade",
        "--to=4.3.0",
        "--force",
        "--allow-upgrade-with-warnings",
        "-o",
        "json",
    ])
    .await;
    run(&["adm", "upgrade", "--clear", "-o", "json"]).await;
    run(&["adm", "upgrade", "--to=4.2.3"]).await;
    run(&["adm", "upgrade", "--clear"]).await;
    run(&["adm", "upgrade", "--clear"]).await;
    run(&[
        "adm",
        "release",
        "import-manifest",
        "--version",
        "4.3.0",
        "--dry-run",
        "-o",
        "json",
    ])
    .await;
    run(&[
        "adm",
        "release",
        "import-manifest",
        "--version",
        "4.3.0",
        "--dry-run",
    ])
    .await;
    run(&[
        "adm",
        "release",
        "import-manifest",
        "--version",
        "4.3.0",
        "-o",
        "json",
    ])
    .await;
    run(&[
        "adm",
        "release",
        "import-manifest",
        "--version",
        "4.3.0",
        "-o",
        "yaml",
    ])
    .await;
    run(&["adm", "release", "import-manifest", "--version", "4.3.0"]).await;
    golden!(out, "upgrade/machine-output.txt");
}
