//! The fault matrix (docs/faults.md) end to end: the built `ac` against the loopback HTTPS
//! simulator playing each fault. Every failure: its documented exit code, one `error:` line
//! naming what and where, a `hint:`, no panic, no Debug dump, nothing on stdout, no secret.
//! (Faults already covered elsewhere — 401, 403 on write, 404, 409, 422, 502, 503, drop,
//! refused, unknown CA, watch drop/410, full disk — are listed in docs/faults.md with their
//! tests, and checked there by `fault_table`.)

use std::time::{Duration, Instant};

use ac_sim::{Fault, FaultKind, SimOptions, TlsMode};
use serde_json::json;

use crate::common::{Env, Run, cvsh};

async fn env_with(opts: SimOptions) -> Env {
    let env = Env::start_with(opts, "global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    env.sim.clear_requests();
    env
}

async fn env() -> Env {
    env_with(SimOptions::empty()).await
}

/// Ports and temp paths replaced with stable markers.
fn scrub(env: &Env, s: &str) -> String {
    s.replace(&env.sim.base_url(), "https://<sim>")
        .replace(&env.dir.path().display().to_string(), "<tmp>")
}

/// A failure as a person should see it: exit code, one `error:` line and hints, nothing on
/// stdout, no panic, no Debug formatting of Rust values.
pub fn failed_cleanly(r: &Run, code: i32) {
    assert_eq!(r.code, code, "{}", r.both());
    assert_eq!(
        r.stdout,
        "",
        "nothing on stdout after a failure: {}",
        r.both()
    );
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert!(
        lines.first().is_some_and(|l| l.starts_with("error: ")),
        "{}",
        r.both()
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with("error: ")).count(),
        1,
        "{}",
        r.both()
    );
    assert!(
        lines.iter().any(|l| l.starts_with("hint: ")),
        "{}",
        r.both()
    );
    for line in &lines {
        assert!(
            line.starts_with("error: ")
                || line.starts_with("hint: ")
                || line.starts_with("warning: "),
            "stray line {line:?}: {}",
            r.both()
        );
    }
    for dump in [
        "panicked", "Custom {", "kind: ", "Error {", "Some(", "Os {", "\\n",
    ] {
        assert!(!r.stderr.contains(dump), "{dump:?} in {}", r.both());
    }
}

fn on_cvsh(method: Option<&str>, kind: FaultKind) -> Vec<Fault> {
    vec![Fault {
        method: method.map(str::to_string),
        path_contains: "/clusterversionshadows".into(),
        kind,
        rate: 1.0,
    }]
}

/// Requests of `method` to the objects under test (the cvsh and ProductManifests; not the
/// ConfigMaps and platform objects the views and pre-checks read besides).
/// Requests of `method` for one cvsh or ProductManifest (the object the faults hit; the
/// other reads of a command — the cvsh LIST the pre-checks of global read among them — are
/// not counted).
fn count(env: &Env, method: &str) -> usize {
    env.requests()
        .iter()
        .filter(|r| r.method == method)
        .filter(|r| {
            r.path.contains("/clusterversionshadows/") || r.path.contains("/productmanifests")
        })
        .count()
}

/// LIST requests (pages) of the cvsh collection.
fn count_lists(env: &Env) -> usize {
    env.requests()
        .iter()
        .filter(|r| r.method == "GET" && r.path.ends_with("/clusterversionshadows"))
        .count()
}

async fn timed(env: &Env, args: &[&str]) -> (Run, Duration) {
    let start = Instant::now();
    let r = env.ac(args).await;
    (r, start.elapsed())
}

#[tokio::test(flavor = "multi_thread")]
async fn forbidden_read() {
    let env = env().await;
    env.sim.set_faults(on_cvsh(
        Some("GET"),
        FaultKind::Status {
            code: 403,
            body: Some(json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Forbidden", "code": 403,
                "message": "clusterversionshadows.config.alauda.io \"global\" is forbidden: User \"admin@sim.local\" cannot get resource \"clusterversionshadows\" in API group \"config.alauda.io\" in the namespace \"cpaas-system\"",
                "details": {"name": "global", "group": "config.alauda.io", "kind": "clusterversionshadows"}}).to_string()),
            content_type: Some("application/json".into()),
        },
    ));
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/403-read.txt");
}

#[tokio::test(flavor = "multi_thread")]
async fn proxy_404_page() {
    let env = env().await;
    env.sim.set_faults(on_cvsh(
        None,
        FaultKind::Status {
            code: 404,
            body: Some("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1><p>No route for /kubernetes/global/apis</p></body></html>".into()),
            content_type: Some("text/html".into()),
        },
    ));
    let r = env.ac(&["adm", "upgrade"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/404-proxy-page.txt");
    // A proxy's 404 is not the server's "no such object": not retried, one GET.
    assert_eq!(count(&env, "GET"), 1, "{:?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn html_500() {
    let env = env().await;
    env.sim.set_faults(on_cvsh(
        None,
        FaultKind::Status {
            code: 500,
            body: Some(
                "<!DOCTYPE html>\n<html><body>\n<h1>Internal Server Error</h1>\n</body></html>\n"
                    .into(),
            ),
            content_type: Some("text/html".into()),
        },
    ));
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/500-html.txt");
    assert_eq!(
        count(&env, "GET"),
        1,
        "500 is not retried: {:?}",
        env.request_lines()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_reads_are_retried_within_the_request_timeout() {
    let env = env().await;
    // kube-apiserver's 429: Retry-After header and details.retryAfterSeconds.
    env.sim.set_faults(vec![
        Fault::parse("status=429,retry-after=1,method=GET,path=/clusterversionshadows/global")
            .unwrap(),
    ]);
    let (r, took) = timed(&env, &["adm", "upgrade", "--request-timeout=20s"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/429-read-retried.txt");
    assert_eq!(
        count(&env, "GET"),
        4,
        "1 + 3 retries: {:?}",
        env.request_lines()
    );
    assert!(took >= Duration::from_secs(3), "waited as asked: {took:?}");

    // 503 with the wait only in the Status details, then only in the header; -v=6 shows it.
    for spec in [
        "status=503,retry-after=1,retry-after-in=details,method=GET,path=/clusterversionshadows/global",
        "status=503,retry-after=1,retry-after-in=header,method=GET,path=/clusterversionshadows/global",
    ] {
        env.sim.set_faults(vec![Fault::parse(spec).unwrap()]);
        env.sim.clear_requests();
        let (r, took) = timed(&env, &["adm", "upgrade", "--request-timeout=20s", "-v=6"]).await;
        assert_eq!(r.code, 1, "{spec}: {}", r.both());
        assert_eq!(count(&env, "GET"), 4, "{spec}: {:?}", env.request_lines());
        assert!(took >= Duration::from_secs(3), "{spec}: {took:?}");
        for n in 1..=3 {
            assert!(
                r.stderr.contains(&format!(
                    "503 Service Unavailable; retry {n} of 3 in 1s (as the server asked)"
                )),
                "{spec}: {}",
                r.stderr
            );
        }
        assert!(
            r.stderr
                .contains("after 4 attempts; not retrying: no retries left"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("hint: ac sent this read 4 times; the server asked to wait 1s"),
            "{}",
            r.stderr
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_read_recovers() {
    let env = env().await;
    // Every other GET is throttled: the first answer is 429, the retry succeeds.
    env.sim.set_faults(vec![
        Fault::parse(
            "status=429,retry-after=1,rate=0.5,method=GET,path=/clusterversionshadows/global",
        )
        .unwrap(),
    ]);
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(r.stderr, "", "a retry that worked is silent without -v");
    assert_eq!(count(&env, "GET"), 2, "{:?}", env.request_lines());
    // A LIST page and a watch's first request are reads too.
    env.sim.clear_requests();
    env.sim.set_faults(vec![
        Fault::parse("status=503,rate=0.5,method=GET,path=/clusterversionshadows").unwrap(),
    ]);
    let r = env
        .ac(&["adm", "upgrade", "status", "--all-clusters"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(count_lists(&env), 2, "{:?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn retry_after_beyond_the_request_timeout_is_not_waited_for() {
    let env = env().await;
    env.sim.set_faults(vec![
        Fault::parse("status=429,retry-after=30,method=GET,path=/clusterversionshadows/global")
            .unwrap(),
    ]);
    let (r, took) = timed(&env, &["adm", "upgrade", "--request-timeout=5s"]).await;
    failed_cleanly(&r, 1);
    golden!(
        scrub(&env, &r.both()),
        "faults/429-beyond-request-timeout.txt"
    );
    assert_eq!(count(&env, "GET"), 1, "{:?}", env.request_lines());
    assert!(
        took < Duration::from_secs(5),
        "did not sleep into the deadline: {took:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_or_unavailable_writes_are_never_repeated() {
    let env = env().await;
    env.sim.set_faults(vec![
        Fault::parse("status=429,retry-after=1,method=PATCH").unwrap(),
    ]);
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/429-write.txt");
    assert_eq!(count(&env, "PATCH"), 1, "{:?}", env.request_lines());

    env.sim.clear_requests();
    env.sim
        .set_faults(vec![Fault::parse("status=503,method=PATCH").unwrap()]);
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/503-write.txt");
    assert_eq!(count(&env, "PATCH"), 1, "{:?}", env.request_lines());

    // import-manifest's POST: the same.
    env.sim.clear_requests();
    env.sim.set_faults(vec![
        Fault::parse("status=503,retry-after=1,method=POST").unwrap(),
    ]);
    let r = env
        .ac(&["adm", "release", "import-manifest", "--version", "4.3.1"])
        .await;
    failed_cleanly(&r, 1);
    assert_eq!(count(&env, "POST"), 1, "{:?}", env.request_lines());
    assert!(env.sim.get("productmanifests", None, "v4.3.1").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn never_answering_server_ends_at_the_request_timeout() {
    let env = env().await;
    env.sim.set_faults(on_cvsh(None, FaultKind::Hang));
    let (r, took) = timed(&env, &["adm", "upgrade", "status", "--request-timeout=2s"]).await;
    failed_cleanly(&r, 4);
    assert!(
        r.stderr.contains("within 2s (--request-timeout)"),
        "{}",
        r.both()
    );
    // The documented bound is the timeout ± 1 s; measured generously (process start-up and a
    // loaded 2-core machine): never before it, and not much after.
    assert!(took >= Duration::from_secs(2), "{took:?}");
    assert!(took < Duration::from_secs(2 + 4), "{took:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn reset_in_the_middle_of_a_body() {
    let env = env().await;
    env.sim
        .set_faults(on_cvsh(Some("GET"), FaultKind::ResetBody));
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/reset-mid-body.txt");
}

#[tokio::test(flavor = "multi_thread")]
async fn truncated_json() {
    let env = env().await;
    env.sim
        .set_faults(on_cvsh(Some("GET"), FaultKind::TruncateBody));
    let r = env.ac(&["adm", "upgrade"]).await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr
            .contains("is not the expected JSON (Error deserializing response: EOF while parsing"),
        "{}",
        r.both()
    );
    // A request never goes out on a read that could not be understood.
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    failed_cleanly(&r, 1);
    assert_eq!(count(&env, "PATCH"), 0, "{:?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn malformed_json() {
    let env = env().await;
    env.sim
        .set_faults(on_cvsh(Some("GET"), FaultKind::MalformedBody));
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/malformed-json.txt");
}

#[tokio::test(flavor = "multi_thread")]
async fn self_signed_ca_certificate_is_accepted_like_kubectl() {
    let env = env_with(SimOptions {
        tls: TlsMode::SelfSignedCa,
        ..SimOptions::empty()
    })
    .await;
    let r = env.ac(&["adm", "upgrade"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("4.3.0"), "{}", r.both());
    // The exception is exactly that certificate: another CA in the kubeconfig is refused.
    let other = ac_sim::Sim::start(SimOptions::empty()).await.unwrap();
    let mut kc = env.kubeconfig_json();
    use base64::Engine;
    let other_ca = base64::engine::general_purpose::STANDARD.encode(other.ca_pem());
    for c in kc["clusters"].as_array_mut().unwrap() {
        c["cluster"]["certificate-authority-data"] = other_ca.clone().into();
    }
    let p = env.write_json("other-ca", &kc);
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", p.to_str().unwrap()])
        .await;
    failed_cleanly(&r, 1);
    golden!(
        scrub(&env, &r.both()),
        "faults/tls-ca-as-server-not-configured.txt"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn certificate_problems() {
    for (mode, file) in [
        (TlsMode::Expired, "faults/tls-expired.txt"),
        (TlsMode::NotYetValid, "faults/tls-not-yet-valid.txt"),
        (TlsMode::WrongName, "faults/tls-wrong-name.txt"),
        (TlsMode::UnknownCa, "faults/tls-unknown-ca.txt"),
    ] {
        let env = env_with(SimOptions {
            tls: mode,
            ..SimOptions::empty()
        })
        .await;
        let r = env.ac(&["adm", "upgrade"]).await;
        failed_cleanly(&r, 1);
        snapbox::assert_data_eq!(
            scrub(&env, &r.both()),
            snapbox::Data::read_from(&std::path::Path::new("tests/golden").join(file), None).raw()
        );
        assert!(env.requests().is_empty(), "{mode}: nothing was sent");
    }
}

fn plugin(env: &Env, name: &str, script: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = env.write(name, &format!("#!/bin/sh\n{script}"));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

/// The simulator's kubeconfig with every user's token replaced by an exec plugin.
fn with_exec(env: &Env, plugin: &std::path::Path, file: &str) -> std::path::PathBuf {
    let mut kc = env.kubeconfig_json();
    for u in kc["users"].as_array_mut().unwrap() {
        let user = u["user"].as_object_mut().unwrap();
        user.remove("token");
        user.insert(
            "exec".into(),
            json!({"apiVersion": "client.authentication.k8s.io/v1", "command": plugin.to_str().unwrap(),
                   "args": ["get-token"], "env": [{"name": "PLUGIN_SECRET", "value": "env-secret-4711"}]}),
        );
    }
    env.write_json(file, &kc)
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_plugin_failing_noisily() {
    let env = env().await;
    let token = env.sim.admin_token();
    // Fails, printing the token it had cached on both streams.
    let p = plugin(
        &env,
        "noisy-plugin.sh",
        &format!(
            "echo \"refresh failed for token {token}\" >&2\necho \"token: {token}\"\nexit 1\n"
        ),
    );
    let kc = with_exec(&env, &p, "exec-failing");
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "-v=10",
            "--kubeconfig",
            kc.to_str().unwrap(),
        ])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(!r.both().contains("env-secret-4711"), "{}", r.both());
    let last: Vec<&str> = r.stderr.lines().filter(|l| !l.starts_with("I ")).collect();
    let r = Run {
        stderr: last.iter().map(|l| format!("{l}\n")).collect(),
        ..r
    };
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/exec-plugin-failed.txt");
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());

    // Succeeds, but prints something that is not an ExecCredential (with the token in it).
    let p = plugin(
        &env,
        "garbage-plugin.sh",
        &format!("echo '{{\"status\": [{token}'\n"),
    );
    let kc = with_exec(&env, &p, "exec-garbage");
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", kc.to_str().unwrap()])
        .await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr.contains("did not print an ExecCredential"),
        "{}",
        r.both()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn exec_plugin_expired_credential() {
    let env = env().await;
    // A plugin handing out a token that expired (and that the server no longer knows).
    let p = plugin(
        &env,
        "expired-plugin.sh",
        "printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"expired-token-0815\",\"expirationTimestamp\":\"2020-01-01T00:00:00Z\"}}'\n",
    );
    let kc = with_exec(&env, &p, "exec-expired");
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", kc.to_str().unwrap()])
        .await;
    failed_cleanly(&r, 1);
    golden!(scrub(&env, &r.both()), "faults/exec-plugin-expired.txt");
    assert!(!r.both().contains("expired-token-0815"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_watch_request_is_retried() {
    let env = env().await;
    env.sim.put(crate::common::pdman("4.3.0", Some(false)));
    // Every other watch request is answered 503 with Retry-After: the first one is.
    env.sim.set_faults(vec![
        Fault::parse("status=503,retry-after=1,rate=0.5,method=GET,path=watch=true").unwrap(),
    ]);
    let waiter = {
        let mut cmd = crate::common::base_command(env.dir.path());
        cmd.env("KUBECONFIG", &env.kubeconfig).args([
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.0",
            "--wait",
            "--timeout",
            "60s",
        ]);
        tokio::spawn(crate::common::run(cmd))
    };
    let watches = |env: &Env| -> Vec<u16> {
        env.requests()
            .iter()
            .filter(|r| r.query.as_deref().is_some_and(|q| q.contains("watch=true")))
            .map(|r| r.status)
            .collect()
    };
    for _ in 0..1500 {
        if watches(&env).contains(&200) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    env.sim.put(crate::common::pdman("4.3.0", Some(true)));
    let r = waiter.await.unwrap();
    env.assert_no_secret(&r);
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(watches(&env)[..2], [503, 200], "{:?}", env.request_lines());
    // The client retried it as the server asked; the follow loop never saw a failure.
    assert!(!r.stderr.contains("warning:"), "{}", r.both());
}
