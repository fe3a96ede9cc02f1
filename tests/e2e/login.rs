//! `ac login`, `ac config sync` and `ac logout` end to end against the simulator: the entries
//! SPEC §3 describes, one LIST on global, a login again that updates in place and keeps every
//! byte it does not own, a cluster added and one deleted on the platform, two sessions and a
//! logout of one, and a `KUBECONFIG` list of two files (checked with kubectl's own reader).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use ac_sim::resources::cluster_object;
use ac_sim::{Scenario, SimOptions};
use serde_json::{Value, json};

use crate::common::{Env, Run, base_command, run, run_with_stdin};

/// The built-in platform (global, workload-a, -b, -c), objects exactly as put.
pub async fn platform() -> Env {
    Env::start_with(
        SimOptions {
            scenario: Scenario::builtin(),
            ..SimOptions::empty()
        },
        "global",
    )
    .await
}

/// `ac` with `KUBECONFIG=kubeconfig` and `stdin` (none: an empty, closed stdin).
pub async fn ac_with(env: &Env, kubeconfig: &str, args: &[&str], stdin: Option<&str>) -> Run {
    let mut cmd = base_command(env.dir.path());
    cmd.env("KUBECONFIG", kubeconfig).args(args);
    let r = match stdin {
        Some(input) => run_with_stdin(cmd, input.as_bytes()).await,
        None => run(cmd).await,
    };
    env.assert_no_secret(&r);
    r
}

/// `ac login <sim> --name NAME --certificate-authority=<ca> [extra]`, the admin token on stdin.
pub async fn login(env: &Env, kubeconfig: &Path, name: &str, extra: &[&str]) -> Run {
    let ca = env.write("ca.pem", &env.sim.ca_pem());
    let url = env.sim.base_url();
    let mut args = vec![
        "login",
        url.as_str(),
        "--name",
        name,
        "--certificate-authority",
        ca.to_str().unwrap(),
    ];
    args.extend(extra);
    let token = format!("{}\n", env.sim.admin_token());
    ac_with(env, kubeconfig.to_str().unwrap(), &args, Some(&token)).await
}

/// What a person reads, with the simulator's address and the temporary directory replaced.
pub fn shown(env: &Env, r: &Run) -> String {
    r.both()
        .replace(&env.sim.base_url(), "https://<sim>")
        .replace(env.dir.path().to_str().unwrap(), "<dir>")
}

pub fn doc(path: &Path) -> Value {
    serde_saphyr::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn names(doc: &Value, key: &str) -> Vec<String> {
    doc[key]
        .as_array()
        .map(|list| {
            list.iter()
                .map(|e| e["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn entry<'a>(doc: &'a Value, key: &str, name: &str) -> &'a Value {
    doc[key]
        .as_array()
        .and_then(|list| list.iter().find(|e| e["name"] == name))
        .unwrap_or_else(|| panic!("{key} {name} missing in {doc:#}"))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[tokio::test(flavor = "multi_thread")]
async fn login_writes_the_session_spec_3_describes() {
    let env = platform().await;
    env.sim.clear_requests();
    let kc = env.dir.path().join("new").join("config");
    let r = login(&env, &kc, "prod", &[]).await;
    golden!(shown(&env, &r), "login/first.txt");
    assert_eq!(r.code, 0);
    assert_eq!(
        env.request_lines(),
        ["GET /kubernetes/global/apis/platform.tkestack.io/v1/clusters?&limit=500"],
        "one read checks the token and lists the clusters"
    );
    assert_eq!(mode(&kc), 0o600);
    assert_eq!(mode(kc.parent().unwrap()), 0o700);
    let d = doc(&kc);
    let url = env.sim.base_url();
    let ca = base64_of(&env.sim.ca_pem());
    for cluster in ["global", "workload-a", "workload-b", "workload-c"] {
        assert_eq!(
            entry(&d, "clusters", &format!("acp:prod:{cluster}")),
            &json!({"name": format!("acp:prod:{cluster}"), "cluster": {
                "server": format!("{url}/kubernetes/{cluster}/"),
                "certificate-authority-data": ca,
                "extensions": [{"name": "acp.io/v1", "extension": {
                    "isGlobal": cluster == "global", "platformUrl": url,
                    "sessionName": "prod", "clusterName": cluster}}]}})
        );
        assert_eq!(
            entry(&d, "contexts", &format!("prod/{cluster}")),
            &json!({"name": format!("prod/{cluster}"), "context": {
                "cluster": format!("acp:prod:{cluster}"), "user": "acp:prod:user"}})
        );
    }
    assert_eq!(
        entry(&d, "users", "acp:prod:user"),
        &json!({"name": "acp:prod:user", "user": {"token": env.sim.admin_token(),
            "extensions": [{"name": "acp.io/v1", "extension": {"platformUrl": url, "sessionName": "prod"}}]}})
    );
    assert_eq!(d["current-context"], "prod/global");
    assert_eq!(d["kind"], "Config");

    // The session works: the fleet through it, and the profiles commands read it.
    let kc_env = kc.to_str().unwrap();
    let r = ac_with(
        &env,
        kc_env,
        &["adm", "upgrade", "status", "--all-clusters"],
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("workload-c"), "{}", r.stdout);
    let r = ac_with(
        &env,
        kc_env,
        &["config", "get-sessions", "-o", "json"],
        None,
    )
    .await;
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        v["sessions"],
        json!([{"name": "prod", "platformUrl": url, "username": null, "clusters": 4,
                "current": true, "drStandby": null, "drStandbyOf": []}])
    );
    let r = ac_with(
        &env,
        kc_env,
        &["login", &url, "--name", "prod", "-o", "json"],
        Some(&env.sim.admin_token()),
    )
    .await;
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["schema"], "ac.alauda.io/session-edit/v1");
    assert_eq!(
        v["kubeconfig"],
        json!([]),
        "the same login again changes nothing: {v:#}"
    );
}

pub fn base64_of(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// What a person adds to a kubeconfig by hand.
const HAND_MADE: &str = "\
# my own clusters, keep this comment
- name: hand-made
  cluster: {server: 'https://10.0.0.1:6443', x-unknown: 7}   # flow style and a comment
";

#[tokio::test(flavor = "multi_thread")]
async fn login_again_updates_in_place_and_keeps_every_byte_it_does_not_own() {
    let env = platform().await;
    let kc = env.dir.path().join("config");
    assert_eq!(login(&env, &kc, "prod", &[]).await.code, 0);
    // By hand: a comment, a flow-style cluster entry, a namespace, a renamed context, and
    // another current context.
    let text = std::fs::read_to_string(&kc).unwrap();
    let text = text
        .replacen("clusters:\n", &format!("clusters:\n{HAND_MADE}"), 1)
        .replace(
            "- context:\n    cluster: acp:prod:workload-a\n    user: acp:prod:user\n  name: prod/workload-a\n",
            "- name: my-a   # renamed\n  context: {cluster: acp:prod:workload-a, user: acp:prod:user, namespace: my-app}\n",
        )
        .replace("current-context: prod/global", "current-context: my-a");
    let text = format!("# edited by hand\n{text}");
    std::fs::write(&kc, &text).unwrap();
    std::fs::set_permissions(&kc, std::fs::Permissions::from_mode(0o640)).unwrap();
    env.sim
        .put(cluster_object("workload-d", "1.31.4", "Running"));
    env.sim.clear_requests();

    // Another token on the command line, no CA flag: the entries keep theirs.
    let url = env.sim.base_url();
    let token = env.sim.viewer_token();
    let r = ac_with(
        &env,
        kc.to_str().unwrap(),
        &["login", &url, "--name", "prod", &format!("--token={token}")],
        None,
    )
    .await;
    golden!(shown(&env, &r), "login/again.txt");
    assert_eq!(r.code, 0);
    let after = std::fs::read_to_string(&kc).unwrap();
    for kept in [
        "# edited by hand\n",
        HAND_MADE,
        "- name: my-a   # renamed\n  context: {cluster: acp:prod:workload-a, user: acp:prod:user, namespace: my-app}\n",
    ] {
        assert!(after.contains(kept), "{kept:?} not kept:\n{after}");
    }
    // Every entry it did not change is byte for byte where it was.
    let before_global = &text[text.find("- cluster:").unwrap()..];
    let global_entry = &before_global[..before_global[1..].find("\n- ").unwrap() + 2];
    assert!(after.contains(global_entry), "{global_entry}\n---\n{after}");
    assert_eq!(mode(&kc), 0o640, "the mode is kept");
    let d = doc(&kc);
    assert_eq!(entry(&d, "users", "acp:prod:user")["user"]["token"], token);
    let new = entry(&d, "clusters", "acp:prod:workload-d");
    assert_eq!(
        new["cluster"]["certificate-authority-data"],
        base64_of(&env.sim.ca_pem())
    );
    assert_eq!(
        entry(&d, "contexts", "prod/workload-d")["context"]["user"],
        "acp:prod:user"
    );
    assert_eq!(d["current-context"], "prod/global");
    assert!(
        !names(&d, "contexts").contains(&"prod/workload-a".to_string()),
        "the renamed context is the cluster's context: none is added"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_rejected_token_writes_nothing() {
    let env = platform().await;
    let kc = env.dir.path().join("config");
    let url = env.sim.base_url();
    let secret = "not-the-platforms-token-7f3a";
    let r = ac_with(
        &env,
        kc.to_str().unwrap(),
        &[
            "login",
            &url,
            "--name",
            "prod",
            "--insecure-skip-tls-verify",
        ],
        Some(secret),
    )
    .await;
    golden!(shown(&env, &r), "login/rejected.txt");
    assert!(!r.both().contains(secret));
    assert!(!kc.exists(), "nothing written");
    assert_eq!(
        std::fs::read_dir(env.dir.path()).unwrap().count(),
        1,
        "only the sim's kubeconfig"
    );
    // An empty stdin and a bad name: usage errors before any request.
    env.sim.clear_requests();
    let r = ac_with(
        &env,
        kc.to_str().unwrap(),
        &["login", &url, "--name", "prod"],
        Some(""),
    )
    .await;
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(
        r.stderr.contains("no token on standard input"),
        "{}",
        r.stderr
    );
    let r = ac_with(
        &env,
        kc.to_str().unwrap(),
        &["login", &url, "--name", "a:b"],
        Some(secret),
    )
    .await;
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(env.requests().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_terminal_is_not_prompted_for_the_token() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        crate::common::skip_without("script", "a_terminal_is_not_prompted_for_the_token");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("config");
    // `script` gives ac a terminal as its standard input.
    let line = format!(
        "{} login https://acp.example.com --name prod",
        env!("CARGO_BIN_EXE_ac")
    );
    let mut cmd = tokio::process::Command::new("script");
    cmd.env_clear()
        .env("HOME", dir.path())
        .env("PATH", "/usr/bin:/bin")
        .env("NO_COLOR", "1")
        .env("AC_NOW", crate::common::NOW)
        .env("KUBECONFIG", &kc)
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::null())
        .kill_on_drop(true);
    let r = run(cmd).await;
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(
        r.stdout
            .contains("standard input is a terminal (login does not prompt for it)")
            && r.stdout.contains("read -rs TOKEN"),
        "{}",
        r.both()
    );
    assert!(!kc.exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn sync_adds_new_clusters_and_removes_deleted_ones() {
    let env = platform().await;
    let kc = env.dir.path().join("config");
    assert_eq!(login(&env, &kc, "prod", &[]).await.code, 0);
    let kc_env = kc.to_str().unwrap();
    let text = std::fs::read_to_string(&kc).unwrap();
    std::fs::write(
        &kc,
        text.replacen("clusters:\n", &format!("clusters:\n{HAND_MADE}"), 1),
    )
    .unwrap();
    let r = ac_with(&env, kc_env, &["config", "use-cluster", "workload-b"], None).await;
    assert_eq!(r.code, 0, "{}", r.both());
    env.sim
        .put(cluster_object("workload-new", "1.32.6", "Running"));
    env.sim.delete("clusters", None, "workload-b");
    env.sim.clear_requests();

    let r = ac_with(&env, kc_env, &["config", "sync"], None).await;
    golden!(shown(&env, &r), "login/sync.txt");
    assert_eq!(r.code, 0);
    assert_eq!(
        env.request_lines(),
        ["GET /kubernetes/global/apis/platform.tkestack.io/v1/clusters?&limit=500"]
    );
    let d = doc(&kc);
    assert_eq!(
        names(&d, "clusters"),
        [
            "hand-made",
            "acp:prod:global",
            "acp:prod:workload-a",
            "acp:prod:workload-c",
            "acp:prod:workload-new"
        ]
    );
    assert!(!names(&d, "contexts").contains(&"prod/workload-b".to_string()));
    assert!(
        d.get("current-context").is_none(),
        "cleared, not moved: {d:#}"
    );
    assert!(std::fs::read_to_string(&kc).unwrap().contains(HAND_MADE));

    // In sync: nothing to write, the file untouched.
    let before = std::fs::read_to_string(&kc).unwrap();
    let r = ac_with(
        &env,
        kc_env,
        &["--context", "prod/global", "config", "sync"],
        None,
    )
    .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("nothing to change"), "{}", r.stdout);
    assert_eq!(std::fs::read_to_string(&kc).unwrap(), before);
    // Without a current context the session must be named.
    let r = ac_with(&env, kc_env, &["config", "sync"], None).await;
    assert_eq!(r.code, 1, "{}", r.both());
    let r = ac_with(&env, kc_env, &["config", "sync", "--session", "prod"], None).await;
    assert_eq!(r.code, 0, "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_of_one_session_leaves_the_other_intact() {
    let env = platform().await;
    let kc = env.dir.path().join("config");
    assert_eq!(login(&env, &kc, "prod", &[]).await.code, 0);
    assert_eq!(login(&env, &kc, "other", &[]).await.code, 0);
    let text = std::fs::read_to_string(&kc).unwrap();
    std::fs::write(
        &kc,
        text.replacen("clusters:\n", &format!("clusters:\n{HAND_MADE}"), 1),
    )
    .unwrap();
    let before = doc(&kc);
    let kc_env = kc.to_str().unwrap();

    let r = ac_with(&env, kc_env, &["logout", "--session", "prod"], None).await;
    golden!(shown(&env, &r), "login/logout-one.txt");
    assert_eq!(r.code, 0);
    let after = doc(&kc);
    for key in ["clusters", "users", "contexts"] {
        let expected: Vec<&Value> = before[key]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !e["name"].as_str().unwrap().contains("prod"))
            .collect();
        let left: Vec<&Value> = after[key].as_array().unwrap().iter().collect();
        assert_eq!(left, expected, "{key}");
    }
    assert_eq!(after["current-context"], "other/global");
    assert!(std::fs::read_to_string(&kc).unwrap().contains(HAND_MADE));

    // The current session: current-context is cleared, with the way forward.
    let r = ac_with(&env, kc_env, &["logout"], None).await;
    golden!(shown(&env, &r), "login/logout-current.txt");
    let after = doc(&kc);
    assert!(after.get("current-context").is_none());
    assert_eq!(names(&after, "clusters"), ["hand-made"]);
    let r = ac_with(&env, kc_env, &["logout", "--all"], None).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(r.stderr.contains("no ACP sessions"), "{}", r.stderr);
}

fn kubectl() -> Option<PathBuf> {
    ["/usr/local/bin/kubectl", "/usr/bin/kubectl"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_kubeconfig_list_of_two_files_is_changed_where_kubectl_would() {
    let env = platform().await;
    let (a, b) = (env.dir.path().join("a"), env.dir.path().join("b"));
    // b: the session, logged in through b alone.
    assert_eq!(login(&env, &b, "prod", &[]).await.code, 0);
    // a: hand-made, first in the list, with its own current context.
    let a_text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n{HAND_MADE}contexts:\n- name: hand\n  context: {{cluster: hand-made, user: hand-user}}\nusers:\n- name: hand-user\n  user: {{token: hand-token}}\ncurrent-context: hand\n"
    );
    std::fs::write(&a, &a_text).unwrap();
    let list = std::env::join_paths([&a, &b]).unwrap();
    let list = list.to_str().unwrap();
    env.sim
        .put(cluster_object("workload-d", "1.31.4", "Running"));

    // Login again through the list: the user entry changes in b (where it is), the new
    // cluster and its context go to a (the first existing file), and so does current-context.
    let url = env.sim.base_url();
    let token = env.sim.viewer_token();
    let r = ac_with(&env, list, &["login", &url, "--name", "prod"], Some(&token)).await;
    golden!(shown(&env, &r), "login/list.txt");
    let (da, db) = (doc(&a), doc(&b));
    assert_eq!(entry(&db, "users", "acp:prod:user")["user"]["token"], token);
    assert!(entry(&da, "clusters", "acp:prod:workload-d").is_object());
    assert!(entry(&da, "contexts", "prod/workload-d").is_object());
    assert!(!names(&db, "clusters").contains(&"acp:prod:workload-d".to_string()));
    assert_eq!(da["current-context"], "prod/global");
    assert_eq!(
        db["current-context"], "prod/global",
        "b's own, shadowed by a's"
    );
    let a_now = std::fs::read_to_string(&a).unwrap();
    assert!(a_now.contains(HAND_MADE), "{a_now}");
    if let Some(kubectl) = kubectl() {
        // kubectl reads the pair as one kubeconfig.
        let out = std::process::Command::new(kubectl)
            .env_clear()
            .env("KUBECONFIG", list)
            .env("HOME", env.dir.path())
            .args(["config", "view", "-o", "json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(merged["current-context"], "prod/global");
        assert_eq!(names(&merged, "clusters").len(), 6, "{merged:#}");
    } else {
        crate::common::skip_without("kubectl", "a_kubeconfig_list_of_two_files");
    }

    // Logout through the list: each entry removed in the file that has it.
    let r = ac_with(&env, list, &["logout"], None).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let (da, db) = (doc(&a), doc(&b));
    assert_eq!(names(&da, "clusters"), ["hand-made"]);
    assert_eq!(names(&da, "contexts"), ["hand"]);
    assert!(names(&db, "clusters").is_empty() && names(&db, "users").is_empty());
    assert!(da.get("current-context").is_none() && db.get("current-context").is_none());
    assert!(std::fs::read_to_string(&a).unwrap().contains(HAND_MADE));
}
