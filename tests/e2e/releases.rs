//! `ac adm release list` and `import-manifest` under DR, end to end: the ProductManifests
//! highest first with Ready, age and who can move (one LIST of each), the DR standby bounding
//! the tier, and a manifest published on the standby global before the primary, idempotently.

use serde_json::{Value, json};

use crate::common::{Env, Run, cvsh, pdman};
use crate::precheck::dr_pair;

fn manifest(version: &str, ready: Option<bool>, created: &str) -> Value {
    let mut m = pdman(version, ready);
    m["metadata"]["creationTimestamp"] = json!(created);
    m
}

async fn platform() -> Env {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.2.3", "4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &["4.3.0"]));
    env.put_cvsh(cvsh("workload-b", "4.1.5", &["4.2.1", "4.3.0"]));
    env.put_cvsh(cvsh("workload-c", "4.2.1", &[]));
    for (v, ready, created) in [
        ("4.1.5", Some(true), "2026-05-02T08:00:00Z"),
        ("4.2.1", Some(true), "2026-09-14T08:00:00Z"),
        ("4.10.0-rc.1", None, "2026-11-23T09:58:00Z"),
        ("4.3.0", Some(true), "2026-11-20T07:30:00Z"),
        ("4.2.3", Some(false), "2026-11-22T22:00:00Z"),
    ] {
        env.sim.put(manifest(v, ready, created));
    }
    env.sim.clear_requests();
    env
}

#[tokio::test(flavor = "multi_thread")]
async fn release_list_shows_versions_ready_age_and_who_can_move() {
    let env = platform().await;
    let r = env.ac(&["adm", "release", "list"]).await;
    golden!(r.both(), "release/list.txt");
    let mut lines = env.request_lines();
    lines.sort();
    assert_eq!(
        lines,
        [
            "GET /kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows?&limit=500",
            "GET /kubernetes/global/apis/config.alauda.io/v1/productmanifests?&limit=500",
        ],
        "one LIST of each"
    );
    let r = env.ac(&["adm", "release", "list", "-o", "json"]).await;
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "ac.alauda.io/releases/v1");
    let releases = v["releases"].as_array().unwrap();
    assert_eq!(releases[1]["version"], "4.3.0");
    assert_eq!(releases[1]["canMove"], json!(["global"]));
    assert_eq!(releases[1]["waiting"], json!(["workload-a", "workload-b"]));
    assert_eq!(releases[3]["canMove"], json!(["workload-b"]));
    assert_eq!(releases[3]["created"], "2026-09-14T08:00:00Z");
    let r = env.ac(&["adm", "release", "list", "-o", "yaml"]).await;
    assert!(
        r.stdout.contains("schema: ac.alauda.io/releases/v1"),
        "{}",
        r.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn release_list_with_no_manifests_says_what_to_do() {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &[]));
    let r = env.ac(&["adm", "release", "list"]).await;
    golden!(r.both(), "release/list-empty.txt");
}

async fn dr_ac(env: &Env, args: &[&str]) -> Run {
    let r = env.ac(args).await;
    let dr = env.sim.standby().unwrap();
    for secret in [dr.admin_token(), dr.viewer_token()] {
        assert!(!r.both().contains(&secret), "{}", r.both());
    }
    r
}

fn posts(requests: &[ac_sim::LoggedRequest]) -> Vec<String> {
    requests
        .iter()
        .filter(|r| r.method == "POST")
        .map(|r| r.path.clone())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn release_list_under_dr_waits_for_the_standby() {
    let env = dr_pair("4.2.1", "4.2.1").await;
    env.sim
        .put(manifest("4.3.0", Some(true), "2026-11-20T07:30:00Z"));
    assert_eq!(
        dr_ac(&env, &["config", "set-dr-standby", "sim-dr"])
            .await
            .code,
        0
    );
    let r = dr_ac(&env, &["adm", "release", "list"]).await;
    golden!(r.both(), "release/list-dr.txt");
}

#[tokio::test(flavor = "multi_thread")]
async fn import_manifest_under_dr_publishes_on_the_standby_first() {
    let env = dr_pair("4.2.1", "4.2.1").await;
    let dr = env.sim.standby().unwrap();
    assert_eq!(
        dr_ac(&env, &["config", "set-dr-standby", "sim-dr"])
            .await
            .code,
        0
    );
    // The standby has a different manifest of that name: refused there, the primary untouched.
    dr.put(
        json!({"apiVersion": "config.alauda.io/v1", "kind": "ProductManifest",
                  "metadata": {"name": "v4.3.1"}, "spec": {"image": "r.example.com/acp:4.3.1"}}),
    );
    env.sim.clear_requests();
    let r = dr_ac(
        &env,
        &["adm", "release", "import-manifest", "--version", "4.3.1"],
    )
    .await;
    assert_eq!(r.code, 3, "{}", r.both());
    assert!(
        posts(&env.sim.requests()).is_empty(),
        "nothing on the primary"
    );
    dr.delete("productmanifests", None, "v4.3.1");

    // Both lack it: the standby first, then the primary.
    dr.clear_requests();
    env.sim.clear_requests();
    let r = dr_ac(
        &env,
        &["adm", "release", "import-manifest", "--version", "4.3.1"],
    )
    .await;
    let text = r
        .both()
        .replace(&env.sim.base_url(), "https://<primary>")
        .replace(&dr.base_url(), "https://<standby>");
    golden!(text, "release/import-dr.txt");
    assert_eq!(
        posts(&dr.requests()),
        ["/kubernetes/global/apis/config.alauda.io/v1/productmanifests"]
    );
    assert_eq!(
        posts(&env.sim.requests()),
        ["/kubernetes/global/apis/config.alauda.io/v1/productmanifests"]
    );
    let first = r.stdout.find("session sim-dr").expect("the standby's line");
    let second = r
        .stdout
        .find(
            "Created ProductManifest v4.3.1 (version 4.3.1) on https://<primary>"
                .replace("https://<primary>", &env.sim.base_url())
                .as_str(),
        )
        .expect("the primary's line");
    assert!(first < second, "the standby first:\n{}", r.stdout);

    // Again: both have it, nothing written, exit 0.
    dr.clear_requests();
    env.sim.clear_requests();
    let r = dr_ac(
        &env,
        &[
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.1",
            "-o",
            "json",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(posts(&dr.requests()).is_empty() && posts(&env.sim.requests()).is_empty());
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["created"], false);
    assert_eq!(
        v["standby"],
        json!({"session": "sim-dr", "existed": true, "created": false, "ready": null})
    );

    // Only the primary lacks it (published on the standby by hand): only the primary is written.
    env.sim.delete("productmanifests", None, "v4.3.1");
    dr.clear_requests();
    let r = dr_ac(
        &env,
        &["adm", "release", "import-manifest", "--version", "4.3.1"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(posts(&dr.requests()).is_empty());
    assert!(
        r.stderr
            .contains("already exists on the DR standby global (session sim-dr)"),
        "{}",
        r.both()
    );

    // A dry run says where it would be created.
    env.sim.delete("productmanifests", None, "v4.3.1");
    dr.delete("productmanifests", None, "v4.3.1");
    let r = dr_ac(
        &env,
        &[
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.1",
            "--dry-run",
        ],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stdout.contains("Would create it on")
            && r.stdout
                .contains("(the DR standby global, session sim-dr) first"),
        "{}",
        r.both()
    );
    assert!(posts(&dr.requests()).is_empty());
}
