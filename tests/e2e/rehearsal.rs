//! A full rehearsal with the built `ac` against `ac-sim`'s controller at high speed: publish a
//! release, upgrade global and wait, see the workload cluster offered the version, upgrade it,
//! hit a preflight block, cure it with the documented `kubectl annotate`, watch it complete.

use std::time::Duration;

use crate::common::Env;
use ac_sim::{Scenario, SimOptions};
use serde_json::Value;

const SCENARIO: &str = r#"
clusters:
  - name: global
    version: 4.2.1
  - name: workload-a
    version: 4.2.1
manifests:
  - 4.2.1
resourcePatches:
  - {name: rp-legacy-ingress, cluster: workload-a, description: "custom ingress annotations"}
"#;

fn have_kubectl() -> bool {
    std::process::Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[tokio::test(flavor = "multi_thread")]
async fn rehearse_a_platform_upgrade_with_ac() {
    let opts = SimOptions {
        scenario: Scenario::from_yaml(SCENARIO).unwrap(),
        speed: 600.0,
        controller: true,
        port: None,
        faults: vec![],
        tls: Default::default(),
    };
    let env = Env::start_with(opts, "global").await;

    // Nothing offered yet: the summary says to publish the release metadata.
    let r = env.ac(&["adm", "upgrade"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout
            .contains("ac adm release import-manifest --version <version>"),
        "{}",
        r.both()
    );

    let r = env
        .ac(&[
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.0",
            "--wait",
            "--timeout",
            "120s",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());

    // Global first, followed to the end.
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--to-latest",
            "--wait",
            "--timeout",
            "300s",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("Cluster global reached 4.3.0."),
        "{}",
        r.both()
    );

    // The workload cluster is now offered 4.3.0.
    let mut offered = false;
    for _ in 0..600 {
        let r = env
            .ac(&["adm", "upgrade", "--cluster", "workload-a", "-o", "json"])
            .await;
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        if v["availableUpdates"]
            .as_array()
            .is_some_and(|a| a.iter().any(|u| u["version"] == "4.3.0"))
        {
            offered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(offered, "workload-a never offered 4.3.0");

    let r = env
        .ac(&["adm", "upgrade", "--cluster", "workload-a", "--to=4.3.0"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());

    // Preflight blocks on the ResourcePatch; watching reports the failure (exit 5).
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "status",
            "--cluster",
            "workload-a",
            "--watch",
            "--timeout",
            "300s",
        ])
        .await;
    assert_eq!(r.code, 5, "{}", r.both());
    let r = env
        .ac(&["adm", "upgrade", "status", "--cluster", "workload-a"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    let remedy = r
        .stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("kubectl annotate resourcepatches"))
        .unwrap_or_else(|| panic!("no remedy in:\n{}", r.stdout))
        .to_string();
    assert_eq!(
        remedy,
        "kubectl annotate resourcepatches rp-legacy-ingress config.cpaas.io/exempt-for-ver=4.3.0 --overwrite"
    );

    if !have_kubectl() {
        eprintln!("kubectl not found: applying the annotation through the API instead");
        let mut rp = env
            .sim
            .get("resourcepatches", None, "rp-legacy-ingress")
            .unwrap();
        rp["metadata"]["annotations"] =
            serde_json::json!({"config.cpaas.io/exempt-for-ver": "4.3.0"});
        env.sim.put(rp);
    } else {
        let words: Vec<&str> = remedy.split_whitespace().collect();
        let out = std::process::Command::new(words[0])
            .args(&words[1..])
            .env("KUBECONFIG", &env.kubeconfig)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    // The controller re-checks, the block clears, and the upgrade runs to the end.
    for _ in 0..1500 {
        let c = env.cvsh("workload-a");
        let stalled = c["status"]["conditions"].as_array().is_some_and(|a| {
            a.iter()
                .any(|k| k["type"] == "Stalled" && k["status"] == "True")
        });
        if !stalled {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "status",
            "--cluster",
            "workload-a",
            "--watch",
            "--timeout",
            "300s",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("Cluster workload-a reached 4.3.0."),
        "{}",
        r.both()
    );

    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters", "-o", "json"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let currents: Vec<(&str, &str)> = v["clusters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["cluster"].as_str().unwrap(),
                c["current"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(currents, [("global", "4.3.0"), ("workload-a", "4.3.0")]);
}
