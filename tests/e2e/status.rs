//! `ac adm upgrade status` end to end: every fixture scenario through the built binary and the
//! loopback API (golden files), the fleet view, and watching through the watch API (drops,
//! 410 Gone) with the documented exit codes.

use std::path::Path;
use std::time::Duration;

use crate::common::{Env, Run, cvsh};
use serde_json::{Value, json};

fn fixtures() -> Vec<(String, Value)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cvsh");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("tests/fixtures/cvsh exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (stem, v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The objects the status command reads for a scenario's failed checks — the same the render
/// goldens are made with (`render_golden::platform`).
fn platform_objects(stem: &str) -> Vec<Value> {
    let patch = |name: &str, exempt_for: Option<&str>| {
        let mut p = json!({"apiVersion": "config.cpaas.io/v1", "kind": "ResourcePatch",
            "metadata": {"name": name}, "spec": {}});
        if let Some(v) = exempt_for {
            p["metadata"]["annotations"] = json!({"config.cpaas.io/exempt-for-ver": v});
        }
        p
    };
    match stem {
        "preflight-failed-rp" => vec![
            patch("rp-alb-hotfix-0915", None),
            patch("rp-console-branding", Some("4.2.1")),
            patch("rp-reviewed", Some("4.3.0")),
        ],
        "wide-messages" => vec![patch("rp-gateway-hotfix", None)],
        "preflight-failed-adminack" => vec![
            ac_sim::resources::configmap_object(
                "admin-gates",
                [(
                    "ack-4.4-kubernetes-1.35-kernel-update",
                    "Kubernetes 1.35 requires kernel 5.4 or later on every node",
                )],
            ),
            ac_sim::resources::configmap_object("admin-acks", []),
        ],
        _ => Vec::new(),
    }
}

fn golden_path(file: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/status-e2e")
        .join(file)
}

fn check(actual: String, file: &str) {
    snapbox::assert_data_eq!(
        actual,
        snapbox::Data::read_from(&golden_path(file), None).raw()
    );
}

/// A status screen through the binary. Where the renderer's golden file was made from the same
/// inputs (no global version, no context note), the binary's stdout must equal it byte for byte;
/// the other scenarios have their own end-to-end golden file (stdout, stderr and exit code).
fn check_screen(r: &Run, file: &str) {
    if golden_path(file).exists() {
        check(r.both(), file);
    } else {
        assert_eq!(r.stderr, "", "{file}: nothing on stderr");
        snapbox::assert_data_eq!(
            r.stdout.clone(),
            snapbox::Data::read_from(
                &Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("tests/golden/status")
                    .join(file),
                None
            )
            .raw()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_scenario_renders_through_the_binary() {
    let fx = fixtures();
    assert!(
        fx.len() >= 10,
        "expected the scenario fixtures, found {}",
        fx.len()
    );
    for (stem, obj) in fx {
        let env = Env::start("global").await;
        let name = obj["metadata"]["name"]
            .as_str()
            .unwrap_or("global")
            .to_string();
        let mut obj = obj;
        obj["metadata"]["namespace"] = json!("cpaas-system");
        env.put_cvsh(obj);
        for object in platform_objects(&stem) {
            env.sim.put(object);
        }
        env.sim.write_kubeconfig(&env.kubeconfig, "global").unwrap();
        env.sim.clear_requests();
        let r = env
            .ac(&["adm", "upgrade", "status", "--cluster", &name])
            .await;
        assert_eq!(r.code, 0, "{stem}: {}", r.both());
        check_screen(&r, &format!("{stem}.txt"));
        // One GET of the cvsh (two for a workload cluster: global's too), and what the
        // pre-checks of its next move read (each once, a bounded number); no discovery.
        let lines = env.request_lines();
        let cvsh_gets = lines
            .iter()
            .filter(|l| l.contains("/clusterversionshadows/"))
            .count();
        assert_eq!(
            cvsh_gets,
            if name == "global" { 1 } else { 2 },
            "{stem}: {lines:?}"
        );
        assert!(lines.len() <= 8, "{stem}: {lines:?}");
        assert!(
            lines.iter().any(|l| l.ends_with("/configmaps/cvo-config")),
            "{stem}: {lines:?}"
        );
        let r = env
            .ac(&["adm", "upgrade", "status", "--cluster", &name, "--verbose"])
            .await;
        assert_eq!(r.code, 0, "{stem}: {}", r.both());
        check_screen(&r, &format!("{stem}-verbose.txt"));
        let r = env
            .ac(&["adm", "upgrade", "status", "--cluster", &name, "-o", "json"])
            .await;
        assert_eq!(r.code, 0, "{stem}: {}", r.both());
        let v: Value =
            serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{stem}: {e}: {}", r.stdout));
        assert!(v.get("assessment").is_some(), "{stem}: {v}");
        assert!(v.get("progress").is_some(), "{stem}: {v}");
        env.sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_large_fleet_is_listed_in_pages() {
    let env = Env::start("global").await;
    env.sim.put(cvsh("global", "4.3.0", &[]));
    // Named to sort before `global`: the global cluster comes on the last page, after the rows
    // of the first pages have been made, and still decides what they can move to.
    for i in 0..1200 {
        env.sim
            .put(cvsh(&format!("cluster-{i:04}"), "4.2.1", &["4.3.0"]));
    }
    env.sim.write_kubeconfig(&env.kubeconfig, "global").unwrap();
    env.sim.clear_requests();
    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters", "-o", "json"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["clusters"].as_array().map(Vec::len),
        Some(1201),
        "every cluster, once"
    );
    assert_eq!(v["clusters"][0]["cluster"], "global");
    assert_eq!(v["globalVersion"], "4.3.0");
    let first = &v["clusters"][1];
    assert_eq!(first["cluster"], "cluster-0000");
    assert_eq!(first["behindGlobal"], true, "{first}");
    assert_eq!(first["canMoveTo"], "4.3.0", "{first}");
    assert_eq!(
        v["sequencing"]["behind"].as_array().map(Vec::len),
        Some(1200)
    );
    let lines: Vec<String> = env
        .request_lines()
        .into_iter()
        .filter(|l| l.contains("/clusterversionshadows"))
        .collect();
    assert_eq!(lines.len(), 3, "500 + 500 + 201: {lines:?}");
    assert!(lines[0].ends_with("?&limit=500"), "{lines:?}");
    assert!(lines[1].contains("limit=500&continue="), "{lines:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn fleet_view_is_one_list() {
    let env = Env::start("global").await;
    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    check(r.both(), "fleet-empty.txt");
    let list: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fleet/small.json"),
        )
        .unwrap(),
    )
    .unwrap();
    for mut item in list["items"].as_array().unwrap().clone() {
        item["metadata"]["namespace"] = json!("cpaas-system");
        env.put_cvsh(item);
    }
    env.sim.clear_requests();
    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    check(r.both(), "fleet-small.txt");
    let mut lines = env.request_lines();
    lines.sort();
    assert_eq!(
        lines,
        [
            "GET /kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows?&limit=500",
            "GET /kubernetes/global/apis/platform.tkestack.io/v1/clusters?&limit=500"
        ],
        "one LIST of the cvsh, one of the Clusters (Kubernetes versions)"
    );
    let r = env
        .ac(&["adm", "upgrade", "status", "-A", "-o", "json"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(v.to_string().contains("\"global\""), "{v}");
}

/// A cluster in the middle of an upgrade from 4.2.1 to 4.3.0, `done` of 4 operations finished.
pub(crate) fn running(done: usize, generation: i64) -> Value {
    let mut c = cvsh("global", "4.2.1", &["4.3.0"]);
    c["metadata"]["generation"] = json!(generation);
    c["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
    let ops: Vec<Value> = (0..4)
        .map(|i| {
            json!({"name": format!("op-{i}"), "action": "Upgrade", "currentVersion": "4.2.1", "targetVersion": "4.3.0",
                   "phase": if i < done { "Succeeded" } else if i == done { "Running" } else { "UpgradePending" }})
        })
        .collect();
    c["status"]["observedGeneration"] = json!(generation);
    c["status"]["desired"] = json!({"version": "4.3.0"});
    c["status"]["conditions"] = json!([
        {"type": "Ready", "status": "False", "reason": "Upgrading", "message": "upgrading to 4.3.0"},
        {"type": "Reconciling", "status": "True", "reason": "Upgrading"},
        {"type": "PreflightReady", "status": "True", "reason": "Passed"}
    ]);
    c["status"]["preflight"] = json!({"observedAt": "2026-11-23T09:00:00Z", "checks": [{"name": "ClusterRunning", "state": "Passed"}]});
    c["status"]["stages"] =
        json!([{"name": "platform", "priority": 10, "phase": "Running", "operations": ops}]);
    c["status"]["history"] = json!([
        {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T09:00:00Z"},
        {"version": "4.2.1", "state": "Completed", "startedTime": "2026-11-20T07:00:00Z", "completionTime": "2026-11-20T08:00:00Z"}
    ]);
    c
}

/// [`running`] with operation op-1 failed: `Stalled=True` (`OperationFailed`).
pub(crate) fn stalled(generation: i64) -> Value {
    let mut c = running(1, generation);
    c["status"]["stages"][0]["operations"][1]["phase"] = json!("Failed");
    c["status"]["conditions"] = json!([
        {"type": "Ready", "status": "False"},
        {"type": "Reconciling", "status": "False"},
        {"type": "Stalled", "status": "True", "reason": "OperationFailed", "message": "operation op-1 failed"}
    ]);
    c
}

pub(crate) fn completed(generation: i64) -> Value {
    let mut c = cvsh("global", "4.3.0", &[]);
    c["metadata"]["generation"] = json!(generation);
    c["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
    c["status"]["observedGeneration"] = json!(generation);
    c["status"]["history"] = json!([
        {"version": "4.3.0", "state": "Completed", "startedTime": "2026-11-23T09:00:00Z", "completionTime": "2026-11-23T09:50:00Z"},
        {"version": "4.2.1", "state": "Completed", "startedTime": "2026-11-20T07:00:00Z", "completionTime": "2026-11-20T08:00:00Z"}
    ]);
    c
}

pub(crate) fn spawn_ac(env: &Env, args: &[&str]) -> tokio::task::JoinHandle<Run> {
    let mut cmd = crate::common::base_command(env.dir.path());
    cmd.env("KUBECONFIG", &env.kubeconfig).args(args);
    tokio::spawn(crate::common::run(cmd))
}

/// `ac [flags] adm upgrade status --watch --timeout 100s` on the context's cluster, returned
/// once its watch is open.
pub(crate) async fn watching(env: &Env, flags: &[&str]) -> tokio::task::JoinHandle<Run> {
    let mut args = flags.to_vec();
    args.extend(["adm", "upgrade", "status", "--watch", "--timeout", "100s"]);
    let watches = watch_count(env);
    let child = spawn_ac(env, &args);
    until("the watch", || watch_count(env) > watches).await;
    child
}

/// Complete global's upgrade to 4.3.0: the watch `child` ends with exit 0, having said so.
pub(crate) async fn complete_global(env: &Env, child: tokio::task::JoinHandle<Run>) -> Run {
    env.put_cvsh(completed(2));
    let r = child.await.unwrap();
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("Cluster global reached 4.3.0."),
        "{}",
        r.both()
    );
    env.assert_no_secret(&r);
    r
}

pub(crate) fn watch_count(env: &Env) -> usize {
    env.requests()
        .iter()
        .filter(|r| r.query.as_deref().is_some_and(|q| q.contains("watch=")))
        .count()
}

pub(crate) async fn until(what: &str, f: impl Fn() -> bool) {
    for _ in 0..3000 {
        if f() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_survives_drops_and_410_then_exits_0() {
    let env = Env::start("global").await;
    env.put_cvsh(running(0, 2));
    env.sim.clear_requests();
    let child = watching(&env, &[]).await;
    env.put_cvsh(running(1, 2));
    // A dropped connection: the client reconnects from the last resourceVersion.
    env.sim.drop_watches();
    until("watch #2", || watch_count(&env) >= 2).await;
    // History compacted while the client is away: its resourceVersion is gone (410), it relists.
    // While away, every watch attempt is answered 503 (the client backs off and retries, and
    // re-lists from the second failure in a row), so the change and the compaction certainly
    // happen before it is back, however slow the machine.
    let watches_before = watch_count(&env);
    env.sim.set_faults(vec![ac_sim::Fault {
        method: None,
        path_contains: "watch=true".into(),
        kind: ac_sim::FaultKind::Status {
            code: 503,
            body: None,
            content_type: None,
        },
        rate: 1.0,
    }]);
    env.sim.drop_watches();
    until("a refused reconnect", || watch_count(&env) > watches_before).await;
    env.put_cvsh(running(3, 2));
    env.sim.expire_history();
    env.sim.set_faults(vec![]);
    complete_global(&env, child).await;
    let reads: Vec<String> = env
        .request_lines()
        .into_iter()
        .filter(|line| line.contains("/clusterversionshadows"))
        .collect();
    // The object is never read by name: a LIST (by field selector) gives it with the
    // resourceVersion to watch from.
    assert!(
        reads
            .iter()
            .all(|line| !line.contains("/clusterversionshadows/")),
        "{reads:#?}"
    );
    let is_watch = |line: &String| line.contains("watch=true");
    assert!(!is_watch(&reads[0]) && is_watch(&reads[1]), "{reads:#?}");
    // The first drop: straight back to watching from where it was (no LIST).
    assert!(is_watch(&reads[2]), "{reads:#?}");
    assert!(
        reads.iter().filter(|line| !is_watch(line)).count() >= 2,
        "the first LIST and at least one relist: {reads:#?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_exits_5_when_the_upgrade_stalls_and_4_at_the_timeout() {
    let env = Env::start("global").await;
    env.put_cvsh(running(1, 2));
    let child = spawn_ac(
        &env,
        &["adm", "upgrade", "status", "--watch", "--timeout", "100s"],
    );
    until("watch", || watch_count(&env) >= 1).await;
    env.put_cvsh(stalled(2));
    let r = child.await.unwrap();
    assert_eq!(r.code, 5, "{}", r.both());
    assert!(
        r.stderr
            .starts_with("error: the upgrade of cluster global failed"),
        "{}",
        r.both()
    );

    env.put_cvsh(running(1, 2));
    let r = env
        .ac(&["adm", "upgrade", "status", "--watch", "--timeout", "2s"])
        .await;
    assert_eq!(r.code, 4, "{}", r.both());
    assert!(
        r.stderr
            .contains("gave up waiting for the upgrade of cluster global after 2s"),
        "{}",
        r.both()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watch_json_is_one_document_per_line() {
    let env = Env::start("global").await;
    env.put_cvsh(running(2, 2));
    let child = spawn_ac(&env, &["adm", "upgrade", "status", "--watch", "-o", "json"]);
    until("watch", || watch_count(&env) >= 1).await;
    env.put_cvsh(completed(2));
    let r = child.await.unwrap();
    assert_eq!(r.code, 0, "{}", r.both());
    let docs: Vec<Value> = r
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(docs.len(), 2, "{}", r.stdout);
    assert!(docs[1].to_string().contains("Completed"), "{}", docs[1]);
}

#[tokio::test(flavor = "multi_thread")]
async fn request_with_wait_submits_then_follows() {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    env.sim.clear_requests();
    let child = spawn_ac(
        &env,
        &[
            "adm",
            "upgrade",
            "--to-latest",
            "--wait",
            "--timeout",
            "100s",
        ],
    );
    until("the patch and a watch", || {
        env.patches().len() == 1 && watch_count(&env) >= 1
    })
    .await;
    // The controller picks the request up, runs it, and completes it.
    let generation = env.cvsh("global")["metadata"]["generation"]
        .as_i64()
        .unwrap();
    env.put_cvsh(running(0, generation));
    env.put_cvsh(running(2, generation));
    env.put_cvsh(completed(generation));
    let r = child.await.unwrap();
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout
            .starts_with("Requested the upgrade of cluster global (the cluster of context sim/global) from 4.2.1 to 4.3.0."),
        "{}",
        r.both()
    );
    assert!(
        r.stdout.contains("Cluster global reached 4.3.0."),
        "{}",
        r.both()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn watching_an_idle_cluster_ends_at_once() {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    let r = env.ac(&["adm", "upgrade", "status", "--watch"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stderr.contains("info: nothing to watch"), "{}", r.both());
}

/// Requested 4.3.0, preflight run at `run` and blocked by a ResourcePatch.
pub(crate) fn blocked(run: &str, generation: i64) -> Value {
    let mut c = cvsh("global", "4.2.1", &["4.3.0"]);
    c["metadata"]["generation"] = json!(generation);
    c["spec"] = json!({"desiredUpdate": {"version": "4.3.0"}});
    c["status"]["observedGeneration"] = json!(generation);
    c["status"]["desired"] = json!({"version": "4.3.0"});
    c["status"]["conditions"] = json!([
        {"type": "Ready", "status": "False", "reason": "PreflightFailed"},
        {"type": "Reconciling", "status": "True", "reason": "PreflightFailed"},
        {"type": "PreflightReady", "status": "False", "reason": "ChecksFailed"}
    ]);
    c["status"]["preflight"] = json!({"observedAt": run, "checks": [
        {"name": "ResourcePatchUpgradeable", "policy": "Block", "state": "Failed",
         "reason": "UnexemptResourcePatches", "message": "rp-x is not exempt"}]});
    c["status"]["history"] = json!([
        {"version": "4.3.0", "state": "Partial", "startedTime": "2026-11-23T09:00:00Z"},
        {"version": "4.2.1", "state": "Completed", "startedTime": "2026-11-20T07:00:00Z", "completionTime": "2026-11-20T08:00:00Z"}
    ]);
    c
}

#[tokio::test(flavor = "multi_thread")]
async fn a_block_there_at_the_start_waits_for_the_next_preflight_run() {
    // Just resolved: the controller's next run passes and the upgrade goes through (exit 0).
    let env = Env::start("global").await;
    env.put_cvsh(blocked("2026-11-23T09:10:00Z", 2));
    let child = spawn_ac(
        &env,
        &["adm", "upgrade", "status", "--watch", "--timeout", "100s"],
    );
    until("watch", || watch_count(&env) >= 1).await;
    env.put_cvsh(running(1, 2));
    env.put_cvsh(completed(2));
    let r = child.await.unwrap();
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr.contains("info: preflight blocks cluster global (run 2026-11-23T09:10:00Z); waiting for the controller to run it again"),
        "{}",
        r.both()
    );
    // Not resolved: the next run blocks again, and that is the failure (exit 5).
    let env = Env::start("global").await;
    env.put_cvsh(blocked("2026-11-23T09:10:00Z", 2));
    let child = spawn_ac(
        &env,
        &["adm", "upgrade", "status", "--watch", "--timeout", "100s"],
    );
    until("watch", || watch_count(&env) >= 1).await;
    env.put_cvsh(blocked("2026-11-23T09:11:00Z", 2));
    let r = child.await.unwrap();
    assert_eq!(r.code, 5, "{}", r.both());
    assert!(
        r.stderr
            .contains("failed: preflight check ResourcePatchUpgradeable failed"),
        "{}",
        r.both()
    );
}
