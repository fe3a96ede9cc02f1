//! `ac config` (ACP CLI profiles) end to end: the tables, and every switch compared with what
//! kubectl writes for the same change (same document; kubectl sorts named lists, `ac` keeps the
//! file's order), the file mode kept, and the file of a KUBECONFIG list kubectl would write.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::common::{Run, base_command, run};

const KUBECONFIG: &str = r#"apiVersion: v1
kind: Config
preferences: {}
clusters:
- name: my-prod-global
  cluster:
    server: https://prod.example.com/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://prod.example.com, sessionName: prod, clusterName: global}
- name: pa
  cluster:
    server: https://prod.example.com/kubernetes/workload-a/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://prod.example.com, sessionName: prod, clusterName: workload-a}
- name: pb
  cluster:
    server: https://prod.example.com/kubernetes/workload-b/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://prod.example.com, sessionName: prod, clusterName: workload-b}
- name: acp:stage:global
  cluster:
    server: https://stage.example.com/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://stage.example.com, sessionName: stage, clusterName: global}
users:
- name: pu
  user:
    token: tok-prod-secret
    extensions:
    - name: acp.io/v1
      extension: {platformUrl: https://prod.example.com, sessionName: prod, username: admin@prod.example.com}
- name: su
  user:
    token: tok-stage-secret
    extensions:
    - name: acp.io/v1
      extension: {platformUrl: https://stage.example.com, sessionName: stage, username: ops@stage.example.com}
contexts:
- name: prod/global
  context: {cluster: my-prod-global, user: pu}
- name: prod/workload-a
  context: {cluster: pa, user: pu, namespace: my-app}
- name: stage/global
  context: {cluster: acp:stage:global, user: su}
current-context: prod/global
"#;

fn kubectl() -> Option<PathBuf> {
    ["/usr/local/bin/kubectl", "/usr/bin/kubectl"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .or_else(|| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|d| d.join("kubectl"))
                    .find(|p| p.is_file())
            })
        })
}

fn write(dir: &Path, name: &str, mode: u32) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, KUBECONFIG).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

async fn ac(dir: &Path, kubeconfig_env: &str, args: &[&str]) -> Run {
    let mut cmd = base_command(dir);
    cmd.env("KUBECONFIG", kubeconfig_env).args(args);
    let r = run(cmd).await;
    for secret in ["tok-prod-secret", "tok-stage-secret"] {
        assert!(!r.both().contains(secret), "{}", r.both());
    }
    r
}

fn kubectl_run(bin: &Path, kubeconfig_env: &str, args: &[&str]) {
    let out = Command::new(bin)
        .env_clear()
        .env("KUBECONFIG", kubeconfig_env)
        .env("HOME", "/nonexistent")
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The document, with named lists sorted by name (kubectl sorts them when it writes).
fn document(path: &Path) -> Value {
    let mut v: Value = serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for key in ["clusters", "contexts", "users"] {
        if let Some(list) = v[key].as_array_mut() {
            list.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
        }
    }
    v
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_and_clusters_tables() {
    let dir = tempfile::tempdir().unwrap();
    let kc = write(dir.path(), "config", 0o600);
    let kc = kc.to_str().unwrap();
    let r = ac(dir.path(), kc, &["config", "get-sessions"]).await;
    golden!(r.both(), "config/get-sessions.txt");
    let r = ac(dir.path(), kc, &["config", "get-clusters"]).await;
    golden!(r.both(), "config/get-clusters.txt");
    let r = ac(dir.path(), kc, &["config", "get-clusters", "-o", "json"]).await;
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "ac.alauda.io/clusters/v1");
    assert_eq!(v["clusters"][1]["context"], "prod/workload-a");
    let r = ac(
        dir.path(),
        kc,
        &["--context", "stage/global", "config", "get-clusters"],
    )
    .await;
    assert!(
        r.stdout.contains("acp:stage:global") || r.stdout.contains("stage/global"),
        "{}",
        r.both()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_switch_writes_what_kubectl_writes() {
    let Some(kubectl) = kubectl() else {
        crate::common::skip_without("kubectl", "every_switch_writes_what_kubectl_writes");
        return;
    };
    let dir = tempfile::tempdir().unwrap();

    // An existing context: kubectl config use-context.
    let ours = write(dir.path(), "ours", 0o600);
    let theirs = write(dir.path(), "theirs", 0o600);
    let r = ac(
        dir.path(),
        ours.to_str().unwrap(),
        &["config", "use-cluster", "workload-a"],
    )
    .await;
    golden!(
        r.both().replace(ours.to_str().unwrap(), "<kubeconfig>"),
        "config/use-cluster-existing.txt"
    );
    kubectl_run(
        &kubectl,
        theirs.to_str().unwrap(),
        &["config", "use-context", "prod/workload-a"],
    );
    assert_eq!(document(&ours), document(&theirs));
    assert_eq!(mode(&ours), 0o600);

    // A cluster without a context: ac creates <session>/<cluster>, as kubectl set-context would.
    let r = ac(
        dir.path(),
        ours.to_str().unwrap(),
        &["config", "use-cluster", "workload-b"],
    )
    .await;
    golden!(
        r.both().replace(ours.to_str().unwrap(), "<kubeconfig>"),
        "config/use-cluster-created.txt"
    );
    kubectl_run(
        &kubectl,
        theirs.to_str().unwrap(),
        &[
            "config",
            "set-context",
            "prod/workload-b",
            "--cluster=pb",
            "--user=pu",
        ],
    );
    kubectl_run(
        &kubectl,
        theirs.to_str().unwrap(),
        &["config", "use-context", "prod/workload-b"],
    );
    assert_eq!(document(&ours), document(&theirs));

    // Another session: its global cluster's context.
    let r = ac(
        dir.path(),
        ours.to_str().unwrap(),
        &["config", "use-session", "stage"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    kubectl_run(
        &kubectl,
        theirs.to_str().unwrap(),
        &["config", "use-context", "stage/global"],
    );
    assert_eq!(document(&ours), document(&theirs));

    // A file that others may read stays exactly as readable, never more.
    let wide = write(dir.path(), "wide", 0o644);
    let r = ac(
        dir.path(),
        wide.to_str().unwrap(),
        &["config", "use-cluster", "workload-a"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(mode(&wide), 0o644);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kubeconfig_list_writes_the_file_kubectl_writes() {
    let Some(kubectl) = kubectl() else {
        crate::common::skip_without(
            "kubectl",
            "a_kubeconfig_list_writes_the_file_kubectl_writes",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let list = |tag: &str| -> (String, PathBuf, PathBuf) {
        let sub = dir.path().join(tag);
        std::fs::create_dir(&sub).unwrap();
        let first = sub.join("first");
        std::fs::write(&first, "apiVersion: v1\nkind: Config\npreferences: {}\n").unwrap();
        let second = write(&sub, "second", 0o600);
        let env =
            std::env::join_paths([sub.join("missing"), first.clone(), second.clone()]).unwrap();
        (env.to_string_lossy().into_owned(), first, second)
    };
    let (ours_env, ours_first, ours_second) = list("ours");
    let (theirs_env, theirs_first, theirs_second) = list("theirs");
    let r = ac(
        dir.path(),
        &ours_env,
        &["config", "use-cluster", "workload-a"],
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    kubectl_run(
        &kubectl,
        &theirs_env,
        &["config", "use-context", "prod/workload-a"],
    );
    assert_eq!(document(&ours_first)["current-context"], "prod/workload-a");
    assert_eq!(document(&ours_first), document(&theirs_first));
    assert_eq!(document(&ours_second), document(&theirs_second));
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_name_the_next_command() {
    let dir = tempfile::tempdir().unwrap();
    let kc = write(dir.path(), "config", 0o600);
    let before = std::fs::read_to_string(&kc).unwrap();
    let r = ac(
        dir.path(),
        kc.to_str().unwrap(),
        &["config", "use-cluster", "workload-z"],
    )
    .await;
    golden!(r.both(), "config/use-cluster-unknown.txt");
    let r = ac(
        dir.path(),
        kc.to_str().unwrap(),
        &["config", "use-session", "dev"],
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.contains("ac login <platform-url> --name dev"),
        "{}",
        r.both()
    );
    assert_eq!(
        std::fs::read_to_string(&kc).unwrap(),
        before,
        "nothing written"
    );
}
