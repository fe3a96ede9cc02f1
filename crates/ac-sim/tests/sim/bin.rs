//! The `ac-sim` binary: `run` passes the command's exit code through with KUBECONFIG set and
//! its own directory on PATH; `serve` prints the export line when ready.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_ac-sim");

/// The command exited with `code` (its stderr in the failure message).
fn exits(out: &std::process::Output, code: i32) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn run_passes_the_exit_code_and_environment() {
    let out = Command::new(BIN)
        .args(["run", "--no-controller", "--", "sh", "-c",
            r#"test -s "$KUBECONFIG" || exit 90; grep -q 'current-context: sim/global' "$KUBECONFIG" || exit 91; command -v ac-sim || exit 92; exit 7"#])
        .output()
        .unwrap();
    exits(&out, 7);
    let dir = std::path::Path::new(BIN).parent().unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .starts_with(dir.to_str().unwrap())
    );
}

#[test]
fn bad_arguments_are_usage_errors() {
    let out = Command::new(BIN)
        .args(["run", "--fault", "bogus", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN)
        .args(["run", "--scenario", "/nonexistent.yaml", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent.yaml"));
}

#[test]
fn serve_prints_the_export_line() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("sim.kubeconfig");
    let mut child = Command::new(BIN)
        .args(["serve", "--no-controller", "--dr", "--kubeconfig"])
        .arg(&kc)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    assert_eq!(line.trim(), format!("export KUBECONFIG={}", kc.display()));
    let text = std::fs::read_to_string(&kc).unwrap();
    assert!(text.contains("acp:sim:workload-c"));

    // What `ac login` needs, beside the kubeconfig, and the command on stderr.
    use std::os::unix::fs::PermissionsExt;
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (session, suffix) in [("sim", ""), ("sim-dr", ".sim-dr")] {
        let token = dir.path().join(format!("sim.kubeconfig{suffix}.token"));
        let ca = dir.path().join(format!("sim.kubeconfig{suffix}.ca.crt"));
        let mode = std::fs::metadata(&token).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", token.display());
        let secret = std::fs::read_to_string(&token).unwrap();
        assert!(secret.len() > 20 && !secret.contains('\n'));
        assert!(
            text.contains(&format!("token: {secret}")),
            "the admin token of {session}"
        );
        assert!(
            std::fs::read_to_string(&ca)
                .unwrap()
                .starts_with("-----BEGIN CERTIFICATE-----")
        );
        let hint = stderr
            .lines()
            .find(|line| line.contains(&format!("--name {session} ")))
            .unwrap_or_else(|| panic!("no login hint for {session}: {stderr}"));
        let url = hint.split_whitespace().nth(2).unwrap();
        assert!(url.starts_with("https://127.0.0.1:"), "{hint}");
        assert_eq!(
            hint.trim(),
            format!(
                "ac login {url} --name {session} --certificate-authority={} < {}",
                ca.display(),
                token.display()
            )
        );
        assert!(
            stderr.contains(&format!("{url}/kubernetes/global/")),
            "{stderr}"
        );
        assert!(!stderr.contains(&secret), "the token is never printed");
    }
}

/// `run` hands the command the login files and URLs in the environment.
#[test]
fn run_passes_the_login_files() {
    let out = Command::new(BIN)
        .args(["run", "--dr", "--no-controller", "--", "sh", "-c",
            r#"for v in AC_SIM AC_SIM_DR; do eval "url=\$${v}_URL token=\$${v}_TOKEN_FILE ca=\$${v}_CA_FILE"; case "$url" in https://127.0.0.1:*) ;; *) exit 90;; esac; test -s "$token" || exit 91; test -s "$ca" || exit 92; grep -q "$(cat "$token")" "$KUBECONFIG" || exit 93; done; exit 0"#])
        .output()
        .unwrap();
    exits(&out, 0);
}

#[test]
fn run_with_a_dr_standby_writes_both_sessions() {
    let out = Command::new(BIN)
        .args(["run", "--dr", "--no-controller", "--standby-fault", "status=503", "--", "sh", "-c",
            r#"grep -q 'name: sim-dr/global' "$KUBECONFIG" || exit 90; grep -q 'acp:sim-dr:admin' "$KUBECONFIG" || exit 91; grep -q 'current-context: sim/global' "$KUBECONFIG" || exit 92; exit 0"#])
        .output()
        .unwrap();
    exits(&out, 0);
    let out = Command::new(BIN)
        .args(["run", "--standby-fault", "status=503", "--", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "--standby-fault needs --dr");
}

/// Out-of-range numbers are refused before anything is served or written: one
/// `ac-sim: error:` line naming the flag and the bounds, exit 2, no export line.
#[test]
fn numeric_flags_out_of_range_are_refused_before_serving() {
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("sim.kubeconfig");
    for (args, flag, why) in [
        (&["--speed", "1e20"][..], "--speed", "from 0 to 1000000"),
        (&["--speed", "-1"], "--speed", "from 0 to 1000000"),
        (&["--speed", "NaN"], "--speed", "from 0 to 1000000"),
        (&["--speed", "inf"], "--speed", "from 0 to 1000000"),
        (&["--speed", "fast"], "--speed", "not a number"),
        (
            &["--clusters", "100000000"],
            "--clusters",
            "from 0 to 20000",
        ),
        (&["--clusters", "-3"], "--clusters", "0 to 20000"),
        (&["--clusters", "1.5"], "--clusters", "0 to 20000"),
        (&["--port", "70000"], "--port", "65535"),
    ] {
        for command in ["serve", "run"] {
            let mut cmd = Command::new(BIN);
            cmd.arg(command).args(args).arg("--kubeconfig").arg(&kc);
            if command == "run" {
                cmd.args(["--", "true"]);
            }
            let out = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{command} {args:?}: {stderr}");
            let first = stderr.lines().next().unwrap_or("");
            assert!(
                first.starts_with("ac-sim: error: ") && first.contains(flag) && first.contains(why),
                "{command} {args:?}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{command} {args:?}: nothing served");
            assert!(!kc.exists(), "{command} {args:?}: nothing written");
        }
    }
    // The bounds themselves are accepted.
    let out = Command::new(BIN)
        .args(["run", "--speed", "1000000", "--clusters", "0", "--", "true"])
        .output()
        .unwrap();
    exits(&out, 0);
}

/// `--fleet idle` (a rollout's starting point) and `--cluster-fault NAME=KIND`: a fault that
/// matches no cluster, or is no fault, is a usage error.
#[test]
fn idle_fleets_and_cluster_faults() {
    let out = Command::new(BIN)
        .args(["run", "--clusters", "3", "--fleet", "idle", "--no-controller"])
        .args(["--cluster-fault", "workload-000?=degrade", "--cluster-fault", "global=preflight=ClusterRunning"])
        .args(["--", "sh", "-c", r#"grep -q 'acp:sim:workload-0003' "$KUBECONFIG" || exit 90; grep -q 'acp:sim:workload-0004' "$KUBECONFIG" && exit 91; exit 0"#])
        .output()
        .unwrap();
    exits(&out, 0);
    for (args, says) in [
        (
            &["--cluster-fault", "edge-*=stall"][..],
            "matches no cluster",
        ),
        (
            &["--cluster-fault", "workload-a=explode"],
            "not a cluster fault",
        ),
        (
            &["--cluster-fault", "workload-a=preflight=Nope"],
            "not a preflight check",
        ),
        (&["--fleet", "idle"], "--clusters"),
    ] {
        let out = Command::new(BIN)
            .arg("run")
            .args(args)
            .args(["--", "true"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("ac-sim: error: ") && stderr.contains(says),
            "{args:?}: {stderr}"
        );
    }
}
