//! The guide's prerequisites end to end (`docs/precheck.md`): `ac adm upgrade precheck` over
//! HTTPS against the simulated platform — each check passing, warning, blocking and unknown —,
//! the same checks guarding requests (refused with every item listed, nothing written; the
//! override naming each bypassed item; a pending request refused like a running one), and the
//! DR order in both directions.

use std::collections::BTreeMap;

use ac_sim::resources::{cluster_object, configmap_object, machine_object};
use ac_sim::{Fault, SimOptions};
use serde_json::{Value, json};

use crate::common::{Env, Run, cvsh};

/// A platform where nothing stands in the way of global 4.2.1 → 4.3.0.
async fn platform() -> Env {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    env.sim.put(cluster_object("global", "1.32.6", "Running"));
    env.sim
        .put(cluster_object("workload-a", "1.32.6", "Running"));
    env.sim.put(machine_object("m1", "10.0.0.1", "Running"));
    env.sim.put(configmap_object(
        "cvo-config",
        [("preflight", "disabled: []\n")],
    ));
    env.sim.clear_requests();
    env
}

fn patch(name: &str, exempt_for: Option<&str>) -> Value {
    let mut p = json!({"apiVersion": "config.cpaas.io/v1", "kind": "ResourcePatch",
        "metadata": {"name": name}, "spec": {"description": "custom"}});
    if let Some(v) = exempt_for {
        p["metadata"]["annotations"] = json!({"config.cpaas.io/exempt-for-ver": v});
    }
    p
}

/// `check → result` of `precheck -o json`, and the exit code.
async fn judge(env: &Env, args: &[&str]) -> (i32, BTreeMap<String, String>, Value) {
    let mut all = vec!["adm", "upgrade", "precheck", "-o", "json"];
    all.extend_from_slice(args);
    let r = env.ac(&all).await;
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.both()));
    let results = v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["check"].as_str().unwrap().to_string(),
                i["result"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (r.code, results, v)
}

fn item<'a>(v: &'a Value, check: &str) -> &'a Value {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check"] == check)
        .unwrap_or_else(|| panic!("no {check} in {v}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn every_check_passes_on_a_ready_platform() {
    let env = platform().await;
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "precheck",
            "--cluster=global",
            "--to=4.3.0",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "precheck/pass.txt");
    // Read-only, a bounded number of requests, no discovery.
    let lines = env.request_lines();
    assert!(lines.iter().all(|l| l.starts_with("GET ")), "{lines:?}");
    assert!(lines.len() <= 8, "{lines:?}");
    let (code, results, _) = judge(&env, &["--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(code, 0);
    for check in [
        "target",
        "upgrade-path",
        "kubernetes-versions",
        "machines",
        "resource-patches",
        "cluster-state",
    ] {
        assert_eq!(
            results.get(check).map(String::as_str),
            Some("pass"),
            "{check}: {results:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kubernetes_versions_block_unknown_and_pass() {
    let env = platform().await;
    env.sim
        .put(cluster_object("workload-b", "1.30.4", "Running"));
    env.sim
        .put(cluster_object("workload-c", "1.30.1", "Running"));
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "precheck",
            "--cluster=global",
            "--to=4.3.0",
        ])
        .await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "precheck/kubernetes-block.txt");
    // Raise them (what the remedy says), one without a version left: unknown, not pass.
    env.sim
        .put(cluster_object("workload-b", "1.31.0", "Running"));
    let mut unknown = cluster_object("workload-c", "1.31.0", "Running");
    unknown["spec"] = json!({});
    unknown["status"] = json!({"phase": "Running"});
    env.sim.put(unknown);
    let (code, results, v) = judge(&env, &["--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(code, 0, "{v}");
    assert_eq!(results["kubernetes-versions"], "unknown");
    assert!(
        item(&v, "kubernetes-versions")["detail"]
            .as_str()
            .unwrap()
            .contains("workload-c"),
        "{v}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn machines_patches_gates_and_disabled_checks() {
    let env = platform().await;
    env.sim.put(machine_object("m2", "10.0.0.2", "Failed"));
    env.sim.put(patch("rp-ingress", None));
    env.sim.put(patch("rp-done", Some("4.3.0")));
    env.sim.put(configmap_object(
        "cvo-config",
        [(
            "preflight",
            "disabled:\n- PlatformLicense\n- ClusterModuleStable\n",
        )],
    ));
    env.sim.put(configmap_object(
        "admin-gates",
        [(
            "manual-etcd-backup",
            "Take an etcd backup before the upgrade",
        )],
    ));
    env.sim.put(configmap_object("admin-acks", []));
    let (code, results, v) = judge(&env, &["--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(code, 3, "{v}");
    // A remedy that is only its commands reads `check:`, then the commands.
    let text = env
        .ac(&[
            "adm",
            "upgrade",
            "precheck",
            "--cluster=global",
            "--to=4.3.0",
        ])
        .await;
    assert!(
        text.stdout
            .contains("\n  resource-patches:\n    kubectl annotate resourcepatches rp-ingress"),
        "{}",
        text.both()
    );
    assert_eq!(results["machines"], "block");
    assert_eq!(results["resource-patches"], "block");
    assert_eq!(results["admin-acks"], "block");
    assert_eq!(results["disabled-checks"], "warn");
    assert_eq!(
        item(&v, "resource-patches")["remedy"],
        "kubectl annotate resourcepatches rp-ingress config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
    );
    assert_eq!(
        item(&v, "admin-acks")["remedy"],
        r#"kubectl -n cpaas-system patch configmap admin-acks --type merge -p '{"data":{"manual-etcd-backup":"true"}}'"#
    );
    assert!(
        item(&v, "disabled-checks")["detail"]
            .as_str()
            .unwrap()
            .contains("ClusterModuleStable, PlatformLicense"),
        "{v}"
    );
    // From a workload cluster's context, kubectl commands reach global through its context.
    let r = env
        .ac(&[
            "--context=sim/workload-a",
            "adm",
            "upgrade",
            "precheck",
            "--cluster=global",
            "--to=4.3.0",
            "-o",
            "json",
        ])
        .await;
    let from_workload: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        item(&from_workload, "resource-patches")["remedy"],
        "kubectl --context sim/global annotate resourcepatches rp-ingress config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
    );
    // Resolve each the way its remedy says, through kubectl's API.
    env.sim.put(machine_object("m2", "10.0.0.2", "Running"));
    env.sim.put(patch("rp-ingress", Some("4.3.0")));
    env.sim.put(configmap_object(
        "admin-acks",
        [("manual-etcd-backup", "true")],
    ));
    let (code, results, v) = judge(&env, &["--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(code, 0, "{v}");
    for check in ["machines", "resource-patches", "admin-acks"] {
        assert_eq!(results[check], "pass", "{check}: {v}");
    }
    assert_eq!(
        results["disabled-checks"], "warn",
        "still disabled: a warning, not a block"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn resources_the_platform_does_not_serve_are_unknown() {
    let env = platform().await;
    env.sim.set_faults(vec![
        Fault::parse("status=404,path=/apis/platform.tkestack.io/v1/machines").unwrap(),
        Fault::parse("status=403,path=/apis/config.cpaas.io/v1/resourcepatches").unwrap(),
    ]);
    let (code, results, v) = judge(&env, &["--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(code, 0, "unknown is not a block: {v}");
    assert_eq!(results["machines"], "unknown");
    assert!(
        item(&v, "machines")["detail"]
            .as_str()
            .unwrap()
            .contains("does not serve machines.platform.tkestack.io"),
        "{v}"
    );
    assert_eq!(results["resource-patches"], "unknown");
    assert!(
        item(&v, "resource-patches")["detail"]
            .as_str()
            .unwrap()
            .starts_with("not allowed to read"),
        "{v}"
    );
    // In front of a request, unknown items are warnings.
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0", "--dry-run"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stderr.contains("warning: machines:"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn target_path_and_cluster_state() {
    let env = platform().await;
    // Not offered: block, with the import remedy.
    let (code, results, v) = judge(&env, &["--cluster=global", "--to=4.4.0"]).await;
    assert_eq!(code, 3);
    assert_eq!(results["target"], "block");
    assert_eq!(
        item(&v, "target")["commands"],
        json!(["ac adm release import-manifest --version 4.4.0"])
    );
    // A pre-release: the path warns.
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0", "4.3.1-rc.1"]));
    let (code, results, _) = judge(&env, &["--cluster=global", "--to=4.3.1-rc.1"]).await;
    assert_eq!((code, results["upgrade-path"].as_str()), (0, "warn"));
    // Stalled: the cluster state blocks.
    let mut stalled = cvsh("global", "4.2.1", &["4.3.0"]);
    stalled["status"]["conditions"] =
        json!([{"type": "Stalled", "status": "True", "message": "operation x failed"}]);
    env.put_cvsh(stalled);
    let (code, results, _) = judge(&env, &["--cluster=global", "--to=4.3.0"]).await;
    assert_eq!((code, results["cluster-state"].as_str()), (3, "block"));
}

fn assert_nothing_written(env: &Env, r: &Run) {
    assert!(env.patches().is_empty(), "nothing written: {}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_request_is_guarded_and_the_override_names_each_item() {
    let env = platform().await;
    env.sim
        .put(cluster_object("workload-c", "1.30.4", "Running"));
    env.sim.put(machine_object("m2", "10.0.0.2", "Failed"));
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "precheck/request-refused.txt");
    assert_nothing_written(&env, &r);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--to=4.3.0",
            "--allow-upgrade-with-warnings",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "precheck/request-overridden.txt");
    assert_eq!(env.patches().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_pending_request_is_refused_like_a_running_one() {
    let env = platform().await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0", "4.3.1"]));
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    // The controller has not observed it yet (no controller here): redirecting it is refused.
    let r = env.ac(&["adm", "upgrade", "--to=4.3.1"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(
        r.stderr.contains("a request for 4.3.0 is pending"),
        "{}",
        r.both()
    );
    assert_eq!(env.patches().len(), 1, "only the first request was written");
}

/// A DR pair: the primary platform (session `sim`) and the standby global (session `sim-dr`).
pub async fn dr_pair(primary: &str, standby: &str) -> Env {
    let env = Env::start_with(
        SimOptions {
            dr: true,
            ..SimOptions::empty()
        },
        "global",
    )
    .await;
    env.put_cvsh(cvsh("global", primary, &["4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &["4.3.0"]));
    let dr = env.sim.standby().expect("a standby");
    let mut standby_global = cvsh("global", standby, &["4.3.0"]);
    standby_global["metadata"]["namespace"] = json!("cpaas-system");
    dr.put(standby_global);
    for sim in [&env.sim, dr] {
        sim.put(cluster_object("global", "1.32.6", "Running"));
    }
    env.sim
        .put(cluster_object("workload-a", "1.32.6", "Running"));
    env.sim.write_kubeconfig(&env.kubeconfig, "global").unwrap();
    env
}

async fn dr_ac(env: &Env, args: &[&str]) -> Run {
    let r = env.ac_env(args, &[("AC_DR_STANDBY", "sim-dr")]).await;
    let dr = env.sim.standby().unwrap();
    for secret in [dr.admin_token(), dr.viewer_token()] {
        assert!(!r.both().contains(&secret), "{}", r.both());
    }
    r
}

#[tokio::test(flavor = "multi_thread")]
async fn dr_the_standby_before_the_primary() {
    // Primary first: refused, and the remedy upgrades the standby through its own session.
    let env = dr_pair("4.2.1", "4.2.1").await;
    let r = dr_ac(&env, &["adm", "upgrade", "--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "precheck/dr-primary-first.txt");
    assert_nothing_written(&env, &r);
    // The standby itself: its own checks in its own session (no standby of its own).
    let r = dr_ac(
        &env,
        &[
            "--context=sim-dr/global",
            "adm",
            "upgrade",
            "precheck",
            "--cluster=global",
            "--to=4.3.0",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(!r.stdout.contains("dr-standby-first"), "{}", r.both());
    // Once the standby is there, the primary may go.
    let env = dr_pair("4.2.1", "4.3.0").await;
    let r = dr_ac(&env, &["adm", "upgrade", "--cluster=global", "--to=4.3.0"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(env.patches().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn dr_workload_clusters_after_both_globals() {
    // The primary is there, the standby is not: a workload cluster waits.
    let env = dr_pair("4.3.0", "4.2.1").await;
    let r = dr_ac(
        &env,
        &["adm", "upgrade", "--cluster=workload-a", "--to=4.3.0"],
    )
    .await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(
        r.stderr
            .contains("the standby global (session sim-dr) is at 4.2.1"),
        "{}",
        r.both()
    );
    assert!(
        r.stderr.contains(
            "ac --context sim-dr/global adm upgrade precheck --cluster=global --to=4.3.0"
        ),
        "{}",
        r.both()
    );
    assert_nothing_written(&env, &r);
    // The views show both globals.
    let r = dr_ac(&env, &["adm", "upgrade", "status", "--all-clusters"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout
            .contains("Global is at 4.3.0 (DR standby, session sim-dr: 4.2.1)"),
        "{}",
        r.both()
    );
    let r = dr_ac(&env, &["adm", "upgrade", "--cluster=workload-a"]).await;
    assert!(
        r.stdout
            .contains("DR: the standby global (session sim-dr) is at 4.2.1"),
        "{}",
        r.both()
    );
    // Both there: it may go.
    let env = dr_pair("4.3.0", "4.3.0").await;
    let r = dr_ac(
        &env,
        &["adm", "upgrade", "--cluster=workload-a", "--to=4.3.0"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(env.patches().len(), 1);
}
