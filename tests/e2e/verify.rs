//! `ac adm upgrade verify` end to end (`docs/verify.md`): a platform that is done exits 0; each
//! thing left open — a cluster behind, Stalled, a stale status, another request pending,
//! checks still disabled in cvo-config, a workload cluster outside the Kubernetes range, a DR
//! standby behind its primary — exits 3 naming it, with what resolves it; `-o json` is
//! `upgrade-verify/v1`; one read of the platform, nothing written.

use ac_sim::Fault;
use ac_sim::resources::{cluster_object, configmap_object};
use serde_json::{Value, json};

use crate::common::{Env, cvsh};

const WORKLOADS: [&str; 2] = ["workload-a", "workload-b"];

/// Every cluster at 4.3.0, Ready, Kubernetes inside 4.3's range, no check disabled.
async fn done() -> Env {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.3.0", &[]));
    env.sim.put(cluster_object("global", "1.32.6", "Running"));
    for name in WORKLOADS {
        env.put_cvsh(cvsh(name, "4.3.0", &[]));
        env.sim.put(cluster_object(name, "1.32.6", "Running"));
    }
    env.sim.put(configmap_object(
        "cvo-config",
        [("preflight", "disabled: []\n")],
    ));
    env.sim.clear_requests();
    env
}

/// The items `verify -o json` reports open (or unknown): `(cluster, check)`, the platform's
/// as `("platform", check)`.
fn open_items(v: &Value) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for cluster in v["clusters"].as_array().unwrap() {
        let who = match cluster["standby"].as_str() {
            Some(session) => format!("{}@{session}", cluster["cluster"].as_str().unwrap()),
            None => cluster["cluster"].as_str().unwrap().to_string(),
        };
        for item in cluster["items"].as_array().unwrap() {
            if matches!(item["result"].as_str(), Some("open" | "unknown")) {
                found.push((who.clone(), item["check"].as_str().unwrap().to_string()));
            }
        }
    }
    for item in v["platform"].as_array().unwrap() {
        if matches!(item["result"].as_str(), Some("open" | "unknown")) {
            found.push((
                "platform".into(),
                item["check"].as_str().unwrap().to_string(),
            ));
        }
    }
    found
}

async fn verify_json(env: &Env, args: &[&str], vars: &[(&str, &str)]) -> (i32, Value) {
    let mut all = vec!["adm", "upgrade", "verify", "-o", "json"];
    all.extend_from_slice(args);
    let r = env.ac_env(&all, vars).await;
    let v: Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.both()));
    (r.code, v)
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_platform_that_is_done_exits_0() {
    let env = done().await;
    let r = env.ac(&["adm", "upgrade", "verify"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "verify/done.txt");
    // One read of the platform: three GETs/LISTs, nothing written, no discovery.
    let lines = env.request_lines();
    assert!(lines.iter().all(|l| l.starts_with("GET ")), "{lines:?}");
    assert_eq!(lines.len(), 3, "{lines:?}");
    // The default is every cluster, whatever the context points at.
    let r = env
        .ac(&["--context=sim/workload-a", "adm", "upgrade", "verify"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.starts_with("Verify ACP 4.3.0 on 3 clusters"),
        "{}",
        r.both()
    );
    // --all-clusters says the same; -A too.
    for flag in ["--all-clusters", "-A"] {
        let r = env.ac(&["adm", "upgrade", "verify", flag]).await;
        assert_eq!(r.code, 0, "{flag}: {}", r.both());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn each_thing_left_open_exits_3_and_is_named() {
    // What is done to a finished platform, what verify reports open, its detail and remedy.
    type Case = (
        &'static str,
        fn(&Env),
        &'static [(&'static str, &'static str)],
        &'static str,
        &'static str,
    );
    let cases: [Case; 6] = [
        (
            "a cluster behind",
            |env| env.put_cvsh(cvsh("workload-a", "4.2.1", &["4.3.0"])),
            &[("workload-a", "version")],
            "at 4.2.1, behind 4.3.0",
            "ac adm upgrade precheck --cluster=workload-a --to=4.3.0",
        ),
        (
            "Stalled",
            |env| {
                let mut c = cvsh("workload-b", "4.3.0", &[]);
                c["status"]["conditions"] = json!([
                    {"type": "Ready", "status": "True"},
                    {"type": "Stalled", "status": "True", "message": "operation etcd failed"}
                ]);
                env.put_cvsh(c);
            },
            &[("workload-b", "conditions")],
            "Stalled is True: operation etcd failed",
            "ac adm upgrade status --cluster=workload-b",
        ),
        (
            "a stale status",
            |env| {
                let mut c = cvsh("workload-a", "4.3.0", &[]);
                c["metadata"]["generation"] = json!(2);
                env.put_cvsh(c);
            },
            &[("workload-a", "status-current")],
            "status stale: generation 2 not observed by the controller (observedGeneration 1)",
            "ac adm upgrade status --cluster=workload-a --watch",
        ),
        (
            "another request pending",
            |env| {
                let mut c = cvsh("workload-b", "4.3.0", &[]);
                c["spec"]["desiredUpdate"] = json!({"version": "4.3.1"});
                env.put_cvsh(c);
            },
            &[("workload-b", "request")],
            "a request for 4.3.1 is pending (spec.desiredUpdate), not 4.3.0",
            "ac adm upgrade --cluster=workload-b --clear",
        ),
        (
            "checks still disabled",
            |env| {
                env.sim.put(configmap_object(
                    "cvo-config",
                    [(
                        "preflight",
                        "disabled:\n- ResourcePatchUpgradeable\n- VersionUpgradePath\n",
                    )],
                ))
            },
            &[("platform", "disabled-checks")],
            "still disables 2 preflight checks: ResourcePatchUpgradeable, VersionUpgradePath",
            r#"kubectl -n cpaas-system patch configmap cvo-config --type merge -p '{"data":{"preflight":"disabled: []"}}'"#,
        ),
        (
            "a workload cluster outside the Kubernetes range",
            |env| {
                env.sim
                    .put(cluster_object("workload-b", "1.30.4", "Running"))
            },
            &[("platform", "kubernetes-range")],
            "1 workload cluster is outside ACP 4.3's Kubernetes range 1.31–1.34: workload-b (1.30.4)",
            r#"kubectl patch clusters.platform.tkestack.io workload-b --type merge -p '{"spec":{"version":"1.31"}}'"#,
        ),
    ];
    for (what, mutate, expected, detail, remedy) in cases {
        let env = done().await;
        mutate(&env);
        let r = env.ac(&["adm", "upgrade", "verify"]).await;
        assert_eq!(r.code, 3, "{what}: {}", r.both());
        assert!(r.stdout.contains(detail), "{what}: {}", r.both());
        assert!(r.stdout.contains(remedy), "{what}: {}", r.both());
        assert!(
            r.stderr
                .contains("error: not verified at 4.3.0: 1 item open"),
            "{what}: {}",
            r.both()
        );
        let (code, v) = verify_json(&env, &[], &[]).await;
        assert_eq!(code, 3, "{what}");
        assert_eq!(open_items(&v), pairs(expected), "{what}: {v}");
        assert_eq!(v["verified"], false, "{what}");
        assert!(env.patches().is_empty(), "{what}: nothing written");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn several_open_items_text_and_json() {
    let env = done().await;
    env.put_cvsh(cvsh("workload-a", "4.2.1", &["4.3.0"]));
    let mut stalled = cvsh("workload-b", "4.3.0", &[]);
    stalled["metadata"]["generation"] = json!(3);
    stalled["spec"]["desiredUpdate"] = json!({"version": "4.3.1"});
    stalled["status"]["conditions"] = json!([
        {"type": "Ready", "status": "False", "reason": "Failing", "message": "operation courier failed"},
        {"type": "Stalled", "status": "True", "message": "operation courier failed"}
    ]);
    env.put_cvsh(stalled);
    env.sim.put(configmap_object(
        "cvo-config",
        [("preflight", "disabled:\n- PlatformLicense\n")],
    ));
    env.sim
        .put(cluster_object("workload-a", "1.30.4", "Running"));
    let r = env.ac(&["adm", "upgrade", "verify"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "verify/open.txt");
    let r = env.ac(&["adm", "upgrade", "verify", "-o", "json"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.stdout.clone(), "verify/open.json");
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "ac.alauda.io/upgrade-verify/v1");
    assert_eq!(
        v["checks"],
        json!([
            "version",
            "ready",
            "conditions",
            "status-current",
            "request"
        ])
    );
    assert_eq!(v["open"], 7, "{v}");
    // YAML is the same object.
    let r = env.ac(&["adm", "upgrade", "verify", "-o", "yaml"]).await;
    let y: Value = serde_saphyr::from_str(&r.stdout).unwrap();
    assert_eq!(y, v);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_version_from_to_and_one_cluster() {
    let env = done().await;
    // --to: everything is behind 4.3.1 (a leading v is accepted).
    let (code, v) = verify_json(&env, &["--to=v4.3.1"], &[]).await;
    assert_eq!(code, 3);
    assert_eq!(
        (v["target"].as_str(), v["targetFrom"].as_str()),
        (Some("4.3.1"), Some("flag"))
    );
    assert_eq!(
        open_items(&v),
        pairs(&[
            ("global", "version"),
            ("workload-a", "version"),
            ("workload-b", "version")
        ])
    );
    // One cluster: its own checks, its own Kubernetes, cvo-config.
    env.put_cvsh(cvsh("workload-a", "4.2.1", &["4.3.0"]));
    env.sim.clear_requests();
    let r = env
        .ac(&["adm", "upgrade", "verify", "--cluster=workload-a"])
        .await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "verify/one-cluster.txt");
    let lines = env.request_lines();
    assert!(
        lines.iter().all(|l| !l.contains("/clusterversionshadows?")),
        "no LIST of every cvsh for one cluster: {lines:?}"
    );
    let r = env
        .ac(&["adm", "upgrade", "verify", "--cluster=workload-b"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    // A cluster the platform does not have: the server's 404, with where to look.
    let r = env
        .ac(&["adm", "upgrade", "verify", "--cluster=nope"])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("hint:"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_errors_before_any_request() {
    let env = done().await;
    for (args, needle) in [
        (
            vec![
                "adm",
                "upgrade",
                "verify",
                "--all-clusters",
                "--cluster=global",
            ],
            "--all-clusters cannot be combined with --cluster",
        ),
        (
            vec!["adm", "upgrade", "verify", "--to=latest"],
            "--to: \"latest\" is not a version",
        ),
    ] {
        let r = env.ac(&args).await;
        assert_eq!(r.code, 2, "{}", r.both());
        assert!(r.stderr.contains(needle), "{}", r.both());
    }
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn unreadable_facts_are_unknown_and_not_verified() {
    let env = done().await;
    env.sim.set_faults(vec![
        Fault::parse("status=403,path=/configmaps/cvo-config").unwrap(),
        Fault::parse("status=403,path=/apis/platform.tkestack.io/v1/clusters").unwrap(),
    ]);
    let (code, v) = verify_json(&env, &[], &[]).await;
    assert_eq!(code, 3, "{v}");
    assert_eq!(
        open_items(&v),
        pairs(&[
            ("platform", "disabled-checks"),
            ("platform", "kubernetes-range")
        ])
    );
    for item in v["platform"].as_array().unwrap() {
        if item["check"] == "disabled-checks" || item["check"] == "kubernetes-range" {
            assert_eq!(item["result"], "unknown", "{item}");
            assert!(
                item["detail"]
                    .as_str()
                    .unwrap()
                    .starts_with("not allowed to read"),
                "{item}"
            );
        }
    }
    // The cvsh LIST itself: nothing can be judged (exit 1).
    env.sim.set_faults(vec![
        Fault::parse("status=403,path=/clusterversionshadows").unwrap(),
    ]);
    let r = env.ac(&["adm", "upgrade", "verify"]).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stdout.is_empty(), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_global_without_a_version_needs_to() {
    let env = done().await;
    let mut global = cvsh("global", "4.3.0", &[]);
    global["status"].as_object_mut().unwrap().remove("current");
    env.put_cvsh(global);
    let r = env.ac(&["adm", "upgrade", "verify"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(
        r.stdout.contains(
            "the global cluster reports no current version: name the version to verify with --to"
        ),
        "{}",
        r.both()
    );
    assert!(r.stderr.contains("error: not verified: "), "{}", r.both());
    // With --to, the workload clusters are judged; global still reports no version, so the
    // Kubernetes range (its release's) is unknown too.
    let (code, v) = verify_json(&env, &["--to=4.3.0"], &[]).await;
    assert_eq!(code, 3);
    assert_eq!(
        open_items(&v),
        pairs(&[("global", "version"), ("platform", "kubernetes-range")]),
        "{v}"
    );
}

/// A DR pair (`precheck::dr_pair`: sessions `sim` and `sim-dr`) with workload-a at `workload`
/// and no check disabled on either global.
async fn dr_pair(primary: &str, standby: &str, workload: &str) -> Env {
    let env = crate::precheck::dr_pair(primary, standby).await;
    env.put_cvsh(cvsh("workload-a", workload, &[]));
    for sim in [&env.sim, env.sim.standby().unwrap()] {
        sim.put(configmap_object(
            "cvo-config",
            [("preflight", "disabled: []\n")],
        ));
    }
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn dr_a_primary_ahead_of_its_standby_is_an_order_violation() {
    let env = dr_pair("4.3.0", "4.2.1", "4.2.1").await;
    // The pair remembered in kubeconfig: no flag needed.
    let r = env.ac(&["config", "set-dr-standby", "sim-dr"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let r = env.ac(&["adm", "upgrade", "verify"]).await;
    assert_eq!(r.code, 3, "{}", r.both());
    golden!(r.both(), "verify/dr-order.txt");
    let (_, v) = verify_json(&env, &["--to=4.3.0"], &[]).await;
    assert_eq!(
        open_items(&v),
        pairs(&[
            ("global@sim-dr", "version"),
            ("workload-a", "version"),
            ("platform", "dr-order")
        ]),
        "{v}"
    );
    let dr_order = v["platform"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check"] == "dr-order")
        .unwrap();
    assert_eq!(
        dr_order["commands"],
        json!(["ac --context sim-dr/global adm upgrade precheck --cluster=global --to=4.3.0"])
    );
    assert!(
        dr_order["detail"].as_str().unwrap().contains(
            "the guide: \"After the standby global cluster has reached the desired version, run the remaining steps from the standard workflow on the primary global cluster\""
        ),
        "{dr_order}"
    );
    // status --all-clusters says it too, with the same next step first.
    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("DR order violated: the primary global is at 4.3.0, ahead of the standby global (session sim-dr) at 4.2.1; the guide: \"After the standby global cluster has reached the desired version"),
        "{}",
        r.both()
    );
    assert!(
        r.stdout.contains("DR order violated: upgrade the standby global to 4.3.0 through its own session; its pre-checks:\n  ac --context sim-dr/global adm upgrade precheck --cluster=global --to=4.3.0"),
        "{}",
        r.both()
    );
    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters", "-o", "json"])
        .await;
    let fleet: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        fleet["sequencing"]["drOrderViolation"]["standby"], "4.2.1",
        "{fleet}"
    );
    assert!(env.patches().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn dr_both_globals_done_and_the_standbys_cvo_config() {
    let env = dr_pair("4.3.0", "4.3.0", "4.3.0").await;
    let dr_env = [("AC_DR_STANDBY", "sim-dr")];
    env.sim.clear_requests();
    let r = env.ac_env(&["adm", "upgrade", "verify"], &dr_env).await;
    assert_eq!(r.code, 0, "{}", r.both());
    golden!(r.both(), "verify/dr-done.txt");
    // The standby's cvsh and cvo-config, through its own session.
    let standby_reads = env.sim.standby().unwrap().requests();
    assert_eq!(standby_reads.len(), 2, "{standby_reads:?}");
    // A check left disabled on the standby: open, re-enabled through its context.
    env.sim.standby().unwrap().put(configmap_object(
        "cvo-config",
        [("preflight", "disabled:\n- VersionUpgradePath\n")],
    ));
    let (code, v) = verify_json(&env, &[], &dr_env).await;
    assert_eq!(code, 3);
    assert_eq!(open_items(&v), pairs(&[("platform", "disabled-checks")]));
    let item = v["platform"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["check"] == "disabled-checks" && i["result"] == "open")
        .unwrap();
    assert_eq!(item["finding"]["standby"], "sim-dr");
    assert_eq!(
        item["commands"],
        json!([
            r#"kubectl --context sim-dr/global -n cpaas-system patch configmap cvo-config --type merge -p '{"data":{"preflight":"disabled: []"}}'"#
        ])
    );
    // The standby unreachable: unknown, not verified.
    env.sim
        .standby()
        .unwrap()
        .set_faults(vec![Fault::parse("status=503").unwrap()]);
    let (code, v) = verify_json(&env, &["--request-timeout=5s"], &dr_env).await;
    assert_eq!(code, 3, "{v}");
    assert!(
        open_items(&v).contains(&("platform".to_string(), "dr-order".to_string())),
        "{v}"
    );
}
