//! Every error path of the core command end to end: one `error:` line naming what and where,
//! a hint, a documented exit code, no panic, no secret.

use std::time::Duration;

use crate::common::{Env, cvsh};
use ac_sim::{Fault, FaultKind};

async fn env() -> Env {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    env.sim.clear_requests();
    env
}

/// Replace what differs between runs (ports, temp paths) with stable markers.
fn scrub(env: &Env, s: &str) -> String {
    s.replace(&env.sim.base_url(), "https://<sim>")
        .replace(&env.dir.path().display().to_string(), "<tmp>")
}

fn one_error_line(r: &crate::common::Run) {
    assert!(r.stderr.starts_with("error: "), "{}", r.both());
    assert_eq!(r.stderr.matches("error:").count(), 1, "{}", r.both());
    assert!(!r.stderr.contains("panicked"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn kubeconfig_problems() {
    let env = env().await;
    let bad = env.write("bad", "clusters: {this is: not a list}\n");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "--kubeconfig".into(),
                env.dir.path().join("missing").display().to_string(),
            ],
            "errors/kubeconfig-missing.txt",
        ),
        (
            vec!["--kubeconfig".into(), bad.display().to_string()],
            "errors/kubeconfig-malformed.txt",
        ),
        (
            vec!["--context".into(), "nope".into()],
            "errors/unknown-context.txt",
        ),
    ];
    for (extra, file) in cases {
        let mut args: Vec<&str> = vec!["adm", "upgrade"];
        args.extend(extra.iter().map(String::as_str));
        let r = env.ac(&args).await;
        assert_eq!(r.code, 1, "{args:?}: {}", r.both());
        one_error_line(&r);
        snapbox::assert_data_eq!(
            scrub(&env, &r.both()),
            snapbox::Data::read_from(&std::path::Path::new("tests/golden").join(file), None).raw()
        );
    }
    assert!(env.requests().is_empty());
}

/// A cluster the session's global has no ClusterVersionShadow for: the server's 404, the
/// clusters it does have, and — when another session of the kubeconfig has a cluster of that
/// name — the command that switches to it.
#[tokio::test(flavor = "multi_thread")]
async fn a_cluster_global_does_not_know() {
    let env = env().await;
    let other = env.write(
        "other",
        "clusters:\n- name: acp:other:edge-9\n  cluster:\n    server: https://other.example/kubernetes/edge-9/\n    extensions:\n    - name: acp.io/v1\n      extension: {isGlobal: false, platformUrl: https://other.example, sessionName: other, clusterName: edge-9}\n",
    );
    let list = format!("{}:{}", env.kubeconfig.display(), other.display());
    for (cluster, golden) in [
        ("workload-zzz", "errors/cluster-unknown.txt"),
        ("edge-9", "errors/cluster-of-another-session.txt"),
    ] {
        let mut cmd = crate::common::base_command(env.dir.path());
        cmd.env("KUBECONFIG", &list)
            .args(["adm", "upgrade", "--cluster", cluster]);
        let r = crate::common::run(cmd).await;
        assert_eq!(r.code, 1, "{}", r.both());
        one_error_line(&r);
        snapbox::assert_data_eq!(
            scrub(&env, &r.both()),
            snapbox::Data::read_from(&std::path::Path::new("tests/golden").join(golden), None)
                .raw()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kubeconfig_list_merges_and_skips_missing_files() {
    let env = env().await;
    let list = format!(
        "{}:{}:{}",
        env.dir.path().join("missing").display(),
        env.kubeconfig.display(),
        env.kubeconfig.display()
    );
    let mut cmd = crate::common::base_command(env.dir.path());
    cmd.env("KUBECONFIG", list).args(["adm", "upgrade"]);
    let r = crate::common::run(cmd).await;
    assert_eq!(r.code, 0, "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_by_status_code() {
    let env = env().await;
    // 401: a token the server does not know.
    let kc = std::fs::read_to_string(&env.kubeconfig)
        .unwrap()
        .replace(&env.sim.admin_token(), "expired-token-123");
    let expired = env.write("expired", &kc);
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", expired.to_str().unwrap()])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    one_error_line(&r);
    golden!(scrub(&env, &r.both()), "errors/401.txt");
    assert!(!r.both().contains("expired-token-123"));

    // 403: the read-only user asks for a write.
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--context",
            "sim-viewer/global",
            "--to=4.3.0",
        ])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    one_error_line(&r);
    golden!(scrub(&env, &r.both()), "errors/403.txt");

    // 404: a cluster of the session without a ClusterVersionShadow.
    env.sim
        .delete("clusterversionshadows", Some("cpaas-system"), "workload-a");
    let r = env.ac(&["adm", "upgrade", "--cluster", "workload-a"]).await;
    assert_eq!(r.code, 1, "{}", r.both());
    golden!(scrub(&env, &r.both()), "errors/404.txt");
}

fn fault(method: Option<&str>, kind: FaultKind) -> Vec<Fault> {
    vec![Fault {
        method: method.map(str::to_string),
        path_contains: "/clusterversionshadows".into(),
        kind,
        rate: 1.0,
    }]
}

#[tokio::test(flavor = "multi_thread")]
async fn server_faults() {
    let env = env().await;
    type Case<'a> = (Option<&'a str>, FaultKind, &'a [&'a str], i32, &'a str);
    let cases: Vec<Case> = vec![
        (
            Some("PATCH"),
            FaultKind::Status {
                code: 422,
                body: Some(r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"ClusterVersionShadow.config.alauda.io \"global\" is invalid: spec.desiredUpdate: Invalid value: \"object\": exactly one of version or image must be set","reason":"Invalid","code":422}"#.into()),
                content_type: Some("application/json".into()),
            },
            &["adm", "upgrade", "--to=4.3.0"],
            1,
            "errors/422.txt",
        ),
        (
            None,
            FaultKind::Status {
                code: 502,
                body: Some("<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>".into()),
                content_type: Some("text/html".into()),
            },
            &["adm", "upgrade"],
            1,
            "errors/502-html.txt",
        ),
        (None, FaultKind::Status { code: 503, body: None, content_type: None }, &["adm", "upgrade"], 1, "errors/503.txt"),
        (None, FaultKind::Hang, &["adm", "upgrade", "--request-timeout=1s"], 4, "errors/timeout.txt"),
        (None, FaultKind::Drop, &["adm", "upgrade"], 1, "errors/dropped.txt"),
    ];
    for (method, kind, args, code, file) in cases {
        env.sim.set_faults(fault(method, kind));
        env.sim.clear_requests();
        let r = env.ac(args).await;
        assert_eq!(r.code, code, "{file}: {}", r.both());
        one_error_line(&r);
        snapbox::assert_data_eq!(
            scrub(&env, &r.both()),
            snapbox::Data::read_from(&std::path::Path::new("tests/golden").join(file), None).raw()
        );
        // No retry storms: one attempt per request; a read answered 503 is retried a bounded
        // number of times (1 + 3, see faults.rs), a write never.
        let lines = env.request_lines();
        let most = if file == "errors/503.txt" { 4 } else { 1 };
        for line in &lines {
            let sent = lines.iter().filter(|other| *other == line).count();
            assert!(sent <= most, "{file}: {line} sent {sent} times: {lines:?}");
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn transport_problems() {
    let env = env().await;
    let kc = std::fs::read_to_string(&env.kubeconfig).unwrap();
    // Unknown CA: the kubeconfig carries no CA for this server.
    let mut no_ca = env.kubeconfig_json();
    for c in no_ca["clusters"].as_array_mut().unwrap() {
        c["cluster"]
            .as_object_mut()
            .unwrap()
            .remove("certificate-authority-data");
    }
    let p = env.write_json("no-ca", &no_ca);
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", p.to_str().unwrap()])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    golden!(scrub(&env, &r.both()), "errors/unknown-ca.txt");
    // The same with --insecure-skip-tls-verify works, with a warning.
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            p.to_str().unwrap(),
            "--insecure-skip-tls-verify",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr.contains("warning: --insecure-skip-tls-verify"),
        "{}",
        r.both()
    );

    // Connection refused: a port nobody listens on.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let port_of_sim = env.sim.base_url().rsplit(':').next().unwrap().to_string();
    let refused = kc.replace(
        &format!("127.0.0.1:{port_of_sim}"),
        &format!("127.0.0.1:{port}"),
    );
    let p = env.write("refused", &refused);
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", p.to_str().unwrap()])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    one_error_line(&r);
    assert!(r.stderr.contains("connection refused"), "{}", r.both());
    assert!(
        r.stderr
            .contains(&format!("127.0.0.1:{port}/kubernetes/global/")),
        "{}",
        r.both()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn verbose_trace_redacts_credentials() {
    let env = env().await;
    let r = env.ac(&["adm", "upgrade", "--v=6"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr.lines().any(|l| l.starts_with("I GET https://")
            && l.contains("/clusterversionshadows/global 200 OK in ")
            && l.ends_with(" milliseconds (Authorization: Bearer <redacted>)")),
        "{}",
        r.stderr
    );
    let r = env.ac(&["adm", "upgrade", "--v=7"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr.contains("authorization: Bearer <redacted>"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.lines().any(|l| l.starts_with("I GET https://")
            && l.contains("/clusterversionshadows/global 200 OK in ")),
        "{}",
        r.stderr
    );
    env.assert_no_secret(&r);
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_plugin_ca_file_and_plain_kubeconfig() {
    let env = env().await;
    let ca = env.write("ca.crt", &env.sim.ca_pem());
    let plugin = env.write(
        "token-plugin.sh",
        &format!(
            "#!/bin/sh\nprintf '%s' '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{}\"}}}}'\n",
            env.sim.admin_token()
        ),
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&plugin, std::fs::Permissions::from_mode(0o755)).unwrap();
    // A plain kubeconfig: no ACP extensions, server used as-is, CA from a file, token from exec.
    let plain = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    certificate-authority: {}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: Never\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n",
        env.sim.cluster_url("global"),
        ca.display(),
        plugin.display()
    );
    let p = env.write("plain", &plain);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            p.to_str().unwrap(),
            "--cluster",
            "workload-a",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("Cluster:   workload-a"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn rewritten_route_without_a_global_entry() {
    let env = env().await;
    // Keep only the workload cluster entry of the session: the URL is rewritten to global.
    let mut kc = env.kubeconfig_json();
    kc["current-context"] = "sim/workload-a".into();
    let clusters = kc["clusters"].as_array().unwrap().clone();
    kc["clusters"] = serde_json::Value::Array(
        clusters
            .into_iter()
            .filter(|c| c["name"].as_str().unwrap().ends_with("workload-a"))
            .collect(),
    );
    let p = env.write_json("rewritten", &kc);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            p.to_str().unwrap(),
            "--v=6",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    // The context's cluster is shown, read through the global endpoint.
    assert!(r.stderr.contains("/kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows/workload-a 200"), "{}", r.stderr);
    assert!(
        r.stdout.starts_with("Cluster:   workload-a\n"),
        "{}",
        r.stdout
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_stdout_exits_quietly() {
    let env = env().await;
    env.sim.set_faults(vec![Fault {
        method: None,
        path_contains: "/clusterversionshadows".into(),
        kind: FaultKind::Latency(Duration::from_millis(300)),
        rate: 1.0,
    }]);
    let mut cmd = crate::common::base_command(env.dir.path());
    cmd.env("KUBECONFIG", &env.kubeconfig)
        .args(["adm", "upgrade", "-o", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(child.stdout.take()); // the reader goes away before ac writes
    let out = child.wait_with_output().await.unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn full_disk_on_stdout_is_an_error() {
    // /dev/full answers every write with ENOSPC, like a full disk.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        crate::common::skip_without("/dev/full", "full_disk_on_stdout_is_an_error");
        return;
    };
    let env = env().await;
    let mut cmd = crate::common::base_command(env.dir.path());
    cmd.env("KUBECONFIG", &env.kubeconfig)
        .args(["adm", "upgrade", "status"])
        .stdout(std::process::Stdio::from(full))
        .stderr(std::process::Stdio::piped());
    // (tokio's `output()` would replace the stdout set here with a pipe)
    let out = cmd.spawn().unwrap().wait_with_output().await.unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write to standard output: No space left on device"),
        "{stderr}"
    );
    assert!(
        stderr.contains("hint: the output is incomplete"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn client_certificate_authentication() {
    use base64::Engine;
    let env = env().await;
    let (cert, key) = env.sim.admin_client_cert_pem();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut kc = env.kubeconfig_json();
    for u in kc["users"].as_array_mut().unwrap() {
        let user = u["user"].as_object_mut().unwrap();
        user.remove("token");
        user.insert("client-certificate-data".into(), b64(&cert).into());
        user.insert("client-key-data".into(), b64(&key).into());
    }
    let p = env.write_json("mtls", &kc);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            p.to_str().unwrap(),
            "--to=4.3.0",
            "--v=7",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(
        r.stderr
            .contains("authorization: <none> (client certificate)"),
        "{}",
        r.stderr
    );
    let patch = env
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("a PATCH");
    assert_eq!(
        patch.authorization.as_deref(),
        Some("admin"),
        "the certificate identified the admin"
    );
    assert!(!r.both().contains("PRIVATE KEY"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn user_flag_picks_other_credentials() {
    let env = env().await;
    let r = env
        .ac(&["adm", "upgrade", "--user", "acp:sim:viewer", "--to=4.3.0"])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.starts_with("error: forbidden: user "),
        "{}",
        r.both()
    );
    let r = env.ac(&["adm", "upgrade", "--user", "nobody"]).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr
            .contains("user \"nobody\" is not in the kubeconfig"),
        "{}",
        r.both()
    );
}
