//! kubectl, unchanged, against ac-sim: the seed guide's cvsh/pdman/configmap commands, the
//! platform resources (Clusters, Machines) and a DR pair's two sessions.
//! Skipped (with a notice) when `kubectl` is not on PATH.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use ac_sim::{Scenario, Sim, SimOptions};

/// Missing kubectl fails under CI (`.ci/run` installs it); elsewhere the skip is said on the
/// real stderr (libtest hides `eprintln!` of passing tests).
fn skip_without(tool: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{tool} is not on PATH, and CI is set: .ci/run installs it"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED the kubectl tests: {tool} is not on PATH (with CI=true this fails)"
    );
}

fn kubectl_path() -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join("kubectl"))
            .find(|p| p.is_file())
    })
}

struct Kubectl {
    bin: PathBuf,
    home: PathBuf,
    kubeconfig: PathBuf,
}

impl Kubectl {
    fn command<S: AsRef<str>>(&self, args: &[S]) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(args.iter().map(AsRef::as_ref))
            .env_clear()
            .env("HOME", &self.home)
            .env("KUBECONFIG", &self.kubeconfig)
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .stdin(Stdio::null());
        c
    }

    /// Run to completion on a blocking thread: (exit code, stdout, stderr).
    async fn run<S: AsRef<str>>(&self, args: &[S]) -> (i32, String, String) {
        let mut cmd = self.command(args);
        let out = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .unwrap()
            .expect("kubectl runs");
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    async fn ok<S: AsRef<str> + std::fmt::Debug>(&self, args: &[S]) -> String {
        let (code, out, err) = self.run(args).await;
        assert_eq!(code, 0, "kubectl {args:?} failed: {err}");
        out
    }
}

async fn setup(controller: bool) -> Option<(Sim, Kubectl, tempfile::TempDir)> {
    setup_with(SimOptions {
        scenario: Scenario::builtin(),
        controller,
        // Slow enough that nothing moves during a test unless we wait for it.
        speed: 1.0,
        ..SimOptions::empty()
    })
    .await
}

async fn setup_with(opts: SimOptions) -> Option<(Sim, Kubectl, tempfile::TempDir)> {
    let Some(bin) = kubectl_path() else {
        skip_without("kubectl");
        return None;
    };
    let sim = Sim::start(opts).await.expect("sim starts");
    let dir = tempfile::tempdir().unwrap();
    let kubeconfig = dir.path().join("kubeconfig");
    sim.write_kubeconfig(&kubeconfig, "global").unwrap();
    let kubectl = Kubectl {
        bin,
        home: dir.path().to_path_buf(),
        kubeconfig,
    };
    Some((sim, kubectl, dir))
}

/// `kubectl patch clusters.platform.tkestack.io workload-c --type merge -p '{"spec":{"version":V}}'`
fn patch_kubernetes(version: &str) -> Vec<String> {
    let patch = format!(r#"{{"spec":{{"version":"{version}"}}}}"#);
    [
        "patch",
        "clusters.platform.tkestack.io",
        "workload-c",
        "--type",
        "merge",
        "-p",
        &patch,
    ]
    .map(str::to_owned)
    .to_vec()
}

fn lines(s: &str) -> Vec<Vec<String>> {
    s.lines()
        .map(|l| l.split_whitespace().map(str::to_owned).collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn guide_commands_give_correct_answers() {
    let Some((sim, kubectl, _dir)) = setup(false).await else {
        return;
    };

    // kubectl get cvsh -n cpaas-system
    let out = kubectl.ok(&["get", "cvsh", "-n", "cpaas-system"]).await;
    let rows = lines(&out);
    assert_eq!(
        rows[0][..5],
        ["NAME", "CURRENT", "DESIRED", "READY", "STATUS"]
    );
    let names: Vec<&str> = rows[1..].iter().map(|result| result[0].as_str()).collect();
    assert_eq!(names, ["global", "workload-a", "workload-b", "workload-c"]);
    assert_eq!(rows[1][1..3], ["4.2.1", "4.2.1"]);

    // jsonpath one-liners
    let value = kubectl
        .ok(&[
            "get",
            "cvsh",
            "global",
            "-n",
            "cpaas-system",
            "-o",
            "jsonpath={.status.current.version}",
        ])
        .await;
    assert_eq!(value, "4.2.1");
    let hist = kubectl
        .ok(&["-n", "cpaas-system", "get", "cvsh", "global", "-o",
            r#"jsonpath={range .status.history[*]}{.version}{"\t"}{.state}{"\t"}{.startedTime}{"\t"}{.completionTime}{"\n"}{end}"#])
        .await;
    assert_eq!(
        hist.lines().next(),
        Some("4.2.1\tCompleted\t2026-11-03T08:00:00Z\t2026-11-03T08:07:25Z"),
        "at speed 1 the seeded upgrade took its 445 simulated seconds"
    );
    assert_eq!(hist.lines().count(), 3);
    let conds = kubectl
        .ok(&["-n", "cpaas-system", "get", "cvsh", "global", "-o",
            r#"jsonpath={range .status.conditions[*]}{.type}{"\t"}{.status}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}"#])
        .await;
    assert_eq!(
        conds.lines().next(),
        Some("Ready\tTrue\tUpToDate\tCluster is running 4.2.1")
    );
    assert!(conds.contains("Reconciling\tFalse\t"), "{conds}");
    let pf = kubectl
        .ok(&["-n", "cpaas-system", "get", "cvsh", "workload-c", "-o",
            r#"jsonpath={.status.preflight.observedAt}{"\n"}{range .status.preflight.checks[*]}{.name}{"\t"}{.policy}{"\t"}{.state}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}"#])
        .await;
    let mut pf_lines = pf.lines();
    assert!(pf_lines.next().unwrap().starts_with("2026-11-23T"), "{pf}");
    let first = pf_lines.next().unwrap();
    assert!(first.starts_with("ResourcePatchUpgradeable\tBlock\tFailed\tUnexemptResourcePatches\tResourcePatch rp-legacy-ingress is not exempted for 4.2.1"), "{pf}");
    // The guide's filter one-liner.
    let rp = kubectl
        .ok(&["-n", "cpaas-system", "get", "cvsh", "workload-c", "-o",
            r#"jsonpath={range .status.preflight.checks[?(@.name=="ResourcePatchUpgradeable")]}{.state}{"\t"}{.reason}{"\n"}{end}"#])
        .await;
    assert_eq!(rp, "Failed\tUnexemptResourcePatches\n");
    let out = kubectl.ok(&["get", "cvsh", "-n", "cpaas-system"]).await;
    let rows = lines(&out);
    assert_eq!(rows[1][3..], ["True", "Cluster", "is", "running", "4.2.1"]);
    assert_eq!(
        rows[3][..5],
        ["workload-b", "4.1.5", "4.2.1", "False", "Upgrading"]
    );
    assert_eq!(
        rows[4][..5],
        ["workload-c", "4.1.5", "4.2.1", "False", "Preflight"]
    );

    // kubectl get pdman
    let out = kubectl.ok(&["get", "pdman"]).await;
    let rows = lines(&out);
    assert_eq!(rows[0], ["NAME", "VERSION", "READY"]);
    assert!(
        rows.contains(&vec![
            "v4.3.0".to_string(),
            "4.3.0".to_string(),
            "True".to_string()
        ]),
        "{out}"
    );

    // kubectl get cm cvo-config -n cpaas-system -o yaml
    let out = kubectl
        .ok(&[
            "get",
            "cm",
            "cvo-config",
            "-n",
            "cpaas-system",
            "-o",
            "yaml",
        ])
        .await;
    assert!(out.contains("kind: ConfigMap"), "{out}");
    assert!(out.contains("preflight: |"), "{out}");
    assert!(out.contains("disabled: []"), "{out}");

    // kubectl patch cvsh global --type merge
    let out = kubectl
        .ok(&[
            "patch",
            "cvsh",
            "global",
            "-n",
            "cpaas-system",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"desiredUpdate":{"version":"4.3.0"}}}"#,
        ])
        .await;
    assert_eq!(
        out.trim(),
        "clusterversionshadow.config.alauda.io/global patched"
    );
    assert_eq!(
        sim.get("cvsh", Some("cpaas-system"), "global").unwrap()["spec"]["desiredUpdate"]["version"],
        "4.3.0"
    );
    // Both version and image: the CRD's rule answers through kubectl.
    let (code, _, err) = kubectl
        .run(&[
            "patch",
            "cvsh",
            "global",
            "-n",
            "cpaas-system",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"desiredUpdate":{"image":"r.example/acp:4.3.0"}}}"#,
        ])
        .await;
    assert_ne!(code, 0);
    assert!(
        err.contains("exactly one of version or image must be set"),
        "{err}"
    );
    // The viewer may not patch.
    let (code, _, err) = kubectl
        .run(&[
            "--context",
            "sim-viewer/global",
            "patch",
            "cvsh",
            "global",
            "-n",
            "cpaas-system",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"desiredUpdate":{"version":"4.2.3"}}}"#,
        ])
        .await;
    assert_ne!(code, 0);
    assert!(
        err.contains("User \"viewer@sim.local\" cannot patch resource \"clusterversionshadows\""),
        "{err}"
    );
    // Not found, like a real server.
    let (_, _, err) = kubectl
        .run(&["get", "cvsh", "nope", "-n", "cpaas-system"])
        .await;
    assert!(
        err.contains("clusterversionshadows.config.alauda.io \"nope\" not found"),
        "{err}"
    );

    // kubectl annotate resourcepatches <rp> config.cpaas.io/exempt-for-ver=… --overwrite
    let out = kubectl
        .ok(&[
            "annotate",
            "resourcepatches",
            "rp-legacy-ingress",
            "config.cpaas.io/exempt-for-ver=4.3.0",
            "--overwrite",
        ])
        .await;
    assert!(out.contains("annotated"), "{out}");
    let rp = sim
        .get("resourcepatches", None, "rp-legacy-ingress")
        .unwrap();
    assert_eq!(
        rp["metadata"]["annotations"]["config.cpaas.io/exempt-for-ver"],
        "4.3.0"
    );
    let out = kubectl
        .ok(&["get", "resourcepatches", "rp-legacy-ingress", "-o", "yaml"])
        .await;
    assert!(
        out.contains("config.cpaas.io/exempt-for-ver: 4.3.0"),
        "{out}"
    );

    // The admin acknowledgement of the guide (strategic merge patch on a ConfigMap).
    kubectl
        .ok(&[
            "patch",
            "cm",
            "admin-acks",
            "-n",
            "cpaas-system",
            "-p",
            r#"{"data":{"ack-4.4-kubernetes-1.35-kernel-update":"true"}}"#,
        ])
        .await;
    let acks = kubectl
        .ok(&[
            "get",
            "cm",
            "admin-acks",
            "-n",
            "cpaas-system",
            "-o",
            "jsonpath={.data.ack-4\\.4-kubernetes-1\\.35-kernel-update}",
        ])
        .await;
    assert_eq!(acks, "true");

    // Declarative files: the guide's cvo-config and a ProductManifest.
    let cm = kubectl.home.join("cvo-config.yaml");
    std::fs::write(&cm, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cvo-config\n  namespace: cpaas-system\ndata:\n  preflight: |\n    disabled:\n      - ResourcePatchUpgradeable\n      - VersionUpgradePath\n").unwrap();
    let out = kubectl.ok(&["apply", "-f", cm.to_str().unwrap()]).await;
    assert_eq!(out.trim(), "configmap/cvo-config configured");
    let pm = kubectl.home.join("pm.yaml");
    std::fs::write(&pm, "apiVersion: config.alauda.io/v1\nkind: ProductManifest\nmetadata:\n  name: v4.3.1\nspec:\n  version: 4.3.1\n").unwrap();
    let out = kubectl.ok(&["create", "-f", pm.to_str().unwrap()]).await;
    assert_eq!(
        out.trim(),
        "productmanifest.config.alauda.io/v4.3.1 created"
    );
    let (code, _, err) = kubectl.run(&["create", "-f", pm.to_str().unwrap()]).await;
    assert_ne!(code, 0);
    assert!(err.contains("AlreadyExists"), "{err}");
    let disabled = kubectl
        .ok(&[
            "get",
            "cm",
            "cvo-config",
            "-n",
            "cpaas-system",
            "-o",
            "jsonpath={.data.preflight}",
        ])
        .await;
    assert!(disabled.contains("- VersionUpgradePath"), "{disabled}");

    // kubectl talked HTTP/2 or 1.1 with a bearer token; discovery was legacy JSON.
    let log = sim.requests();
    assert!(
        log.iter()
            .any(|result| result.path.ends_with("/apis") && result.status == 200)
    );
    assert!(
        log.iter()
            .all(|result| result.authorization.as_deref() != Some("none")
                || result.path.ends_with("/version"))
    );
    sim.shutdown().await;
}

/// Read lines from a child's stdout on a thread.
fn line_reader(stdout: std::process::ChildStdout) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

async fn recv_line(rx: &mpsc::Receiver<String>) -> String {
    let deadline = std::time::Instant::now() + Duration::from_secs(90);
    loop {
        match rx.try_recv() {
            Ok(l) => return l,
            Err(mpsc::TryRecvError::Disconnected) => panic!("kubectl -w ended early"),
            Err(mpsc::TryRecvError::Empty) => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "no watch line within 90 s"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn kubectl_watch_sees_changes() {
    let Some((sim, kubectl, _dir)) = setup(false).await else {
        return;
    };
    let mut child = kubectl
        .command(&["get", "cvsh", "-n", "cpaas-system", "-w"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kubectl -w starts");
    let rx = line_reader(child.stdout.take().unwrap());
    let header = recv_line(&rx).await;
    assert!(header.starts_with("NAME"), "{header}");
    for _ in 0..4 {
        recv_line(&rx).await;
    }
    sim.put(serde_json::json!({
        "apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
        "metadata": {"name": "workload-a", "namespace": "cpaas-system"},
        "spec": {},
        "status": {"current": {"version": "4.2.3"}, "desired": {"version": "4.2.3"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "UpToDate", "message": "Cluster is running 4.2.3"}]}
    }));
    let changed = recv_line(&rx).await;
    let cells: Vec<&str> = changed.split_whitespace().collect();
    assert_eq!(
        cells[..4],
        ["workload-a", "4.2.3", "4.2.3", "True"],
        "{changed}"
    );
    let _ = child.kill();
    let _ = child.wait();
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn platform_resources_with_kubectl() {
    // The controller on, fast: a Kubernetes upgrade (120 simulated seconds) takes 0.2 s.
    let Some((sim, kubectl, _dir)) = setup_with(SimOptions {
        speed: 600.0,
        ..SimOptions::default_scenario()
    })
    .await
    else {
        return;
    };

    // kubectl get clusters.platform.tkestack.io: every cluster and its Kubernetes version.
    let out = kubectl.ok(&["get", "clusters.platform.tkestack.io"]).await;
    let rows = lines(&out);
    assert_eq!(rows[0], ["NAME", "VERSION", "PHASE", "AGE"], "{out}");
    let cells: Vec<&[String]> = rows[1..].iter().map(|row| &row[..3]).collect();
    assert_eq!(
        cells,
        [
            ["global", "1.32.6", "Running"],
            ["workload-a", "1.32.6", "Running"],
            ["workload-b", "1.31.4", "Running"],
            ["workload-c", "1.30.14", "Running"],
        ]
    );

    // The guide's DR step 1: no Machine in a non-running state.
    let out = kubectl.ok(&["get", "machines.platform.tkestack.io"]).await;
    let rows = lines(&out);
    assert_eq!(rows[0], ["NAME", "CLUSTER", "IP", "PHASE", "AGE"], "{out}");
    assert_eq!(rows.len(), 4, "{out}");
    assert!(rows[1..].iter().all(|row| row[3] == "Running"), "{out}");

    // The config maps of the guide.
    let out = kubectl
        .ok(&[
            "-n",
            "cpaas-system",
            "get",
            "configmap",
            "cvo-config",
            "-o",
            "yaml",
        ])
        .await;
    assert!(out.contains("disabled: []"), "{out}");
    let out = kubectl.ok(&["get", "resourcepatches"]).await;
    assert!(out.contains("rp-legacy-ingress"), "{out}");

    // A skipped minor is refused by the server, with the reason.
    let (code, _, err) = kubectl.run(&patch_kubernetes("1.32")).await;
    assert_ne!(code, 0);
    assert!(
        err.contains(r#"spec.version: Invalid value: "1.32""#)
            && err.contains("upgrade to 1.31 first"),
        "{err}"
    );
    // Raise workload-c's Kubernetes the way ac suggests (the next minor, as a line):
    // Upgrading, then status.version follows, at the platform's latest 1.31 patch.
    let out = kubectl.ok(&patch_kubernetes("1.31")).await;
    assert_eq!(
        out.trim(),
        "cluster.platform.tkestack.io/workload-c patched"
    );
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let version = kubectl
            .ok(&[
                "get",
                "clusters.platform.tkestack.io",
                "workload-c",
                "-o",
                "jsonpath={.spec.version} {.status.version} {.status.phase}",
            ])
            .await;
        if version == "1.31.9 1.31.9 Running" {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "still {version}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // The cluster's API answers with its new version.
    let out = kubectl
        .ok(&["--context", "sim/workload-c", "version", "-o", "json"])
        .await;
    assert!(out.contains(r#""gitVersion": "v1.31.9""#), "{out}");
    // An invalid version is refused by the server.
    let (code, _, err) = kubectl.run(&patch_kubernetes("latest")).await;
    assert_ne!(code, 0);
    assert!(err.contains("must be a Kubernetes version"), "{err}");

    // kubectl annotate on a platform object; admin-acks recreated the way ac's remedy says.
    kubectl
        .ok(&[
            "annotate",
            "machines.platform.tkestack.io",
            "global-cp-1",
            "note=checked",
        ])
        .await;
    kubectl
        .ok(&["-n", "cpaas-system", "delete", "configmap", "admin-acks"])
        .await;
    // `kubectl create configmap` sends protobuf, which ac-sim does not decode: a clear 415.
    let (code, _, err) = kubectl
        .run(&[
            "-n",
            "cpaas-system",
            "create",
            "configmap",
            "admin-acks",
            "--from-literal=ack-4.4-kubernetes-1.35-kernel-update=true",
        ])
        .await;
    assert_ne!(code, 0);
    assert!(err.contains("application/vnd.kubernetes.protobuf"), "{err}");
    let acks = kubectl.home.join("admin-acks.yaml");
    std::fs::write(&acks, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: admin-acks\n  namespace: cpaas-system\ndata:\n  ack-4.4-kubernetes-1.35-kernel-update: \"true\"\n").unwrap();
    let out = kubectl.ok(&["create", "-f", acks.to_str().unwrap()]).await;
    assert_eq!(out.trim(), "configmap/admin-acks created");
    kubectl
        .ok(&[
            "-n",
            "cpaas-system",
            "patch",
            "configmap",
            "cvo-config",
            "--type=merge",
            "-p",
            r#"{"data":{"preflight":"disabled: [ClusterRunning]"}}"#,
        ])
        .await;
    assert_eq!(
        sim.get("configmaps", Some("cpaas-system"), "cvo-config")
            .unwrap()["data"]["preflight"],
        "disabled: [ClusterRunning]"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dr_pair_with_kubectl() {
    let Some((sim, kubectl, _dir)) = setup_with(SimOptions {
        scenario: Scenario::builtin(),
        dr: true,
        ..SimOptions::empty()
    })
    .await
    else {
        return;
    };
    let contexts = kubectl.ok(&["config", "get-contexts", "-o", "name"]).await;
    let contexts: Vec<&str> = contexts.lines().collect();
    assert!(contexts.contains(&"sim/global"), "{contexts:?}");
    assert!(contexts.contains(&"sim-dr/global"), "{contexts:?}");
    assert!(!contexts.contains(&"sim-dr/workload-a"), "{contexts:?}");

    // The standby: its own global only, its own Machines (the guide's DR step 1 on both).
    let out = kubectl
        .ok(&[
            "--context",
            "sim-dr/global",
            "get",
            "cvsh",
            "-n",
            "cpaas-system",
        ])
        .await;
    let rows = lines(&out);
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(rows[1][..3], ["global", "4.2.1", "4.2.1"]);
    for (context, prefix) in [
        ("sim/global", "global-cp-"),
        ("sim-dr/global", "standby-cp-"),
    ] {
        let out = kubectl
            .ok(&["--context", context, "get", "machines.platform.tkestack.io"])
            .await;
        let rows = lines(&out);
        assert_eq!(rows.len(), 4, "{out}");
        assert!(
            rows[1..]
                .iter()
                .all(|row| row[0].starts_with(prefix) && row[3] == "Running"),
            "{out}"
        );
    }

    // A request on the standby changes the standby only.
    let out = kubectl
        .ok(&[
            "--context",
            "sim-dr/global",
            "patch",
            "cvsh",
            "global",
            "-n",
            "cpaas-system",
            "--type",
            "merge",
            "-p",
            r#"{"spec":{"desiredUpdate":{"version":"4.3.0"}}}"#,
        ])
        .await;
    assert_eq!(
        out.trim(),
        "clusterversionshadow.config.alauda.io/global patched"
    );
    let standby = sim.standby().unwrap();
    let desired = |sim: &Sim| {
        sim.get("cvsh", Some("cpaas-system"), "global").unwrap()["spec"]["desiredUpdate"].clone()
    };
    assert_eq!(desired(standby)["version"], "4.3.0");
    assert!(desired(&sim).is_null());
    sim.shutdown().await;
}
