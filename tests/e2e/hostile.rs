//! Hostile servers and hostile input (issue 15), end to end: names that would change a URL,
//! answers that are no object, redirects, reads without a resourceVersion, oversized answers
//! and kubeconfigs, extreme durations, bad tokens and hanging credential plugins. Each case:
//! the documented exit code, one `error:` line naming what and where, nothing written after it.

use ac_sim::{Fault, FaultKind, SimOptions};
use serde_json::{Value, json};

use crate::common::{Env, cvsh};
use crate::faults::failed_cleanly;

async fn env() -> Env {
    let env = Env::start_with(SimOptions::empty(), "global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    let mut requested = cvsh("workload-c", "4.2.1", &["4.3.0"]);
    requested["spec"]["desiredUpdate"] = json!({"version": "4.3.0"});
    env.put_cvsh(requested);
    env.sim.clear_requests();
    env
}

/// Ports and temp paths replaced with stable markers.
fn scrub(env: &Env, s: &str) -> String {
    s.replace(&env.sim.base_url(), "https://<sim>")
        .replace(&env.dir.path().display().to_string(), "<tmp>")
}

/// The simulator's kubeconfig without the ACP extensions: a plain kubeconfig, where any
/// `--cluster` name used to go into the URL as it was.
fn plain_kubeconfig(env: &Env) -> String {
    let mut kc = env.kubeconfig_json();
    for list in ["clusters", "users"] {
        for entry in kc[list].as_array_mut().unwrap() {
            for inner in ["cluster", "user"] {
                if let Some(o) = entry.get_mut(inner).and_then(Value::as_object_mut) {
                    o.remove("extensions");
                }
            }
        }
    }
    env.write_json("plain", &kc).to_str().unwrap().to_string()
}

fn desired(env: &Env, cluster: &str) -> Value {
    env.cvsh(cluster)["spec"]["desiredUpdate"].clone()
}

#[tokio::test(flavor = "multi_thread")]
async fn cluster_names_that_would_change_the_url_are_refused_before_any_request() {
    let env = env().await;
    let kc = plain_kubeconfig(&env);
    for name in [
        "workload-c?dryRun=All",
        "workload-a/status",
        "..",
        "workload-c/../workload-a",
        "workload-c%3FdryRun=All",
        "Workload-C",
        "work\u{202e}load",
        "",
    ] {
        for args in [
            &["adm", "upgrade", "--clear"][..],
            &["adm", "upgrade", "--to=4.3.0", "--allow-explicit-upgrade"],
            &["adm", "upgrade"],
            &["adm", "upgrade", "status"],
            &["adm", "upgrade", "precheck", "--to=4.3.0"],
        ] {
            let mut all = args.to_vec();
            all.extend(["--kubeconfig", &kc, "--cluster", name]);
            let r = env.ac(&all).await;
            failed_cleanly(&r, 2);
            assert!(
                r.stderr.contains("is not a valid cluster name")
                    && r.stderr.contains("at most 253 characters"),
                "{name:?} {args:?}: {}",
                r.both()
            );
            assert!(!r.stderr.contains('\u{202e}'), "{}", r.both());
            assert!(
                env.requests().is_empty(),
                "{name:?} {args:?}: {:?}",
                env.request_lines()
            );
        }
    }
    // workload-c's request is still there: nothing was cleared.
    assert_eq!(desired(&env, "workload-c"), json!({"version": "4.3.0"}));
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--clear",
            "--kubeconfig",
            &kc,
            "--cluster",
            "workload-c?dryRun=All",
        ])
        .await;
    golden!(scrub(&env, &r.both()), "faults/cluster-name-invalid.txt");

    // A valid name: the request's path is exactly the object's.
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--clear",
            "--kubeconfig",
            &kc,
            "--cluster",
            "workload-c",
        ])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert_eq!(
        env.request_lines(),
        [
            "GET /kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows/workload-c",
            "PATCH /kubernetes/global/apis/config.alauda.io/v1/namespaces/cpaas-system/clusterversionshadows/workload-c?&fieldManager=ac",
        ]
    );
    assert_eq!(desired(&env, "workload-c"), Value::Null);
}

/// 200 answers whose body is not the object asked for.
fn non_objects() -> Vec<(&'static str, String)> {
    vec![
        ("array", "[]".into()),
        ("null", "null".into()),
        ("string", "\"x\"".into()),
        ("number", "42".into()),
        (
            "status",
            json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404,
                   "message": "clusterversionshadows.config.alauda.io \"workload-c\" not found",
                   "details": {"name": "workload-c", "kind": "clusterversionshadows"}})
            .to_string(),
        ),
    ]
}

fn ok_with(method: &str, path: &str, body: &str) -> Fault {
    Fault {
        method: Some(method.into()),
        path_contains: path.into(),
        kind: FaultKind::Status {
            code: 200,
            body: Some(body.into()),
            content_type: Some("application/json".into()),
        },
        rate: 1.0,
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_200_that_is_not_an_object_is_an_error_and_nothing_is_written_after_it() {
    let env = env().await;
    for (what, body) in non_objects() {
        env.sim.set_faults(vec![ok_with(
            "GET",
            "/clusterversionshadows/workload-c",
            &body,
        )]);
        for args in [
            &["adm", "upgrade", "--cluster", "workload-c"][..],
            &["adm", "upgrade", "status", "--cluster", "workload-c"],
            &["adm", "upgrade", "--cluster", "workload-c", "--clear"],
            &[
                "adm",
                "upgrade",
                "--cluster",
                "workload-c",
                "--to=4.3.1",
                "--allow-explicit-upgrade",
                "--allow-upgrade-with-warnings",
            ],
        ] {
            env.sim.clear_requests();
            let r = env.ac(args).await;
            failed_cleanly(&r, 1);
            assert!(
                r.stderr.contains("instead of")
                    && r.stderr
                        .contains("clusterversionshadows.config.alauda.io \"workload-c\""),
                "{what} {args:?}: {}",
                r.both()
            );
            assert!(!r.stderr.contains("nothing to clear"), "{}", r.both());
            assert!(
                env.patches().is_empty(),
                "{what} {args:?}: {:?}",
                env.request_lines()
            );
        }
        let r = env
            .ac(&["adm", "upgrade", "--cluster", "workload-c", "--clear"])
            .await;
        match what {
            "array" => golden!(scrub(&env, &r.both()), "faults/200-array.txt"),
            "status" => golden!(scrub(&env, &r.both()), "faults/200-status-as-success.txt"),
            _ => {}
        }
    }
    assert_eq!(desired(&env, "workload-c"), json!({"version": "4.3.0"}));

    // A LIST page that is no list object: an error too, never an empty fleet.
    for (what, body) in non_objects() {
        env.sim
            .set_faults(vec![ok_with("GET", "/clusterversionshadows?", &body)]);
        let r = env
            .ac(&["adm", "upgrade", "status", "--all-clusters"])
            .await;
        failed_cleanly(&r, 1);
        assert!(r.stderr.contains("answered list"), "{what}: {}", r.both());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redirect_is_named_with_its_location() {
    let env = env().await;
    env.sim.set_faults(vec![
        Fault::parse("redirect=https://bob:hunter2@login.example.com/sso?next=/api,path=/clusterversionshadows")
            .unwrap(),
    ]);
    let r = env.ac(&["adm", "upgrade"]).await;
    failed_cleanly(&r, 1);
    assert!(!r.both().contains("hunter2"), "{}", r.both());
    golden!(scrub(&env, &r.both()), "faults/302-redirect.txt");
    // Not followed, not retried: each read of the summary (its pre-checks' reads) once.
    let lines = env.request_lines();
    let mut unique = lines.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), lines.len(), "{lines:?}");
    assert!(
        lines.iter().all(|l| !l.contains("login.example.com")),
        "{lines:?}"
    );
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    failed_cleanly(&r, 1);
    assert!(env.patches().is_empty(), "{:?}", env.request_lines());
}

/// A proxy's error answer that is a JSON object but no `Status` (`{"message": …}`): judged by
/// its HTTP code (kube's `Status` parses any object, with code 0), on a read and on a watch.
#[tokio::test(flavor = "multi_thread")]
async fn an_error_body_without_a_code_keeps_the_http_status() {
    let env = env().await;
    let proxy = |path: &str| Fault {
        method: Some("GET".into()),
        path_contains: path.into(),
        kind: FaultKind::Status {
            code: 403,
            body: Some(r#"{"message":"denied by the gateway"}"#.into()),
            content_type: Some("application/json".into()),
        },
        rate: 1.0,
    };
    env.sim
        .set_faults(vec![proxy("/clusterversionshadows/global")]);
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    failed_cleanly(&r, 1);
    assert!(r.stderr.contains("error: forbidden"), "{}", r.both());
    assert!(r.stderr.contains("(403)"), "{}", r.both());
    assert!(!r.stderr.contains("answered 0"), "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_without_resource_version_is_never_written_blindly() {
    let env = env().await;
    // The objects as stored, answered without metadata.resourceVersion.
    let mut faults = Vec::new();
    for cluster in ["global", "workload-c"] {
        let mut obj = env.cvsh(cluster);
        obj["metadata"]
            .as_object_mut()
            .unwrap()
            .remove("resourceVersion");
        faults.push(ok_with(
            "GET",
            &format!("/clusterversionshadows/{cluster}"),
            &obj.to_string(),
        ));
    }
    env.sim.set_faults(faults);
    for args in [
        &["adm", "upgrade", "--to=4.3.0"][..],
        &["adm", "upgrade", "--to-latest", "--dry-run"],
        &["adm", "upgrade", "--cluster", "workload-c", "--clear"],
    ] {
        env.sim.clear_requests();
        let r = env.ac(args).await;
        failed_cleanly(&r, 1);
        assert!(
            r.stderr.contains("without metadata.resourceVersion"),
            "{args:?}: {}",
            r.both()
        );
        assert!(
            env.patches().is_empty(),
            "{args:?}: {:?}",
            env.request_lines()
        );
        if args.contains(&"--clear") {
            golden!(scrub(&env, &r.both()), "faults/no-resource-version.txt");
        }
    }
    assert_eq!(desired(&env, "workload-c"), json!({"version": "4.3.0"}));
    assert_eq!(desired(&env, "global"), Value::Null);
    // Reading needs no resourceVersion.
    let r = env.ac(&["adm", "upgrade", "status"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn durations_beyond_a_year_are_refused_not_overflowed() {
    let env = env().await;
    for args in [
        &["adm", "upgrade", "--request-timeout=18446744073709551615"][..],
        &[
            "adm",
            "upgrade",
            "status",
            "--watch",
            "--timeout=18446744073709551615",
        ],
        &[
            "adm",
            "upgrade",
            "--to=4.3.0",
            "--wait",
            "--timeout=18446744073709551615",
        ],
        &[
            "adm",
            "release",
            "import-manifest",
            "--version",
            "4.3.1",
            "--wait",
            "--timeout=8785h",
        ],
    ] {
        let r = env.ac(args).await;
        assert_eq!(r.code, 2, "{args:?}: {}", r.both());
        assert!(!r.stderr.contains("panicked"), "{}", r.both());
        assert!(
            r.stderr.starts_with("error: invalid value")
                && r.stderr
                    .contains("longer than the longest duration ac accepts (8784h, 366 days)"),
            "{args:?}: {}",
            r.both()
        );
        assert!(
            env.requests().is_empty(),
            "{args:?}: {:?}",
            env.request_lines()
        );
    }
    // The longest accepted is used as given.
    let r = env.ac(&["adm", "upgrade", "--request-timeout=8784h"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
}

#[tokio::test(flavor = "multi_thread")]
async fn forty_thousand_offered_versions_are_handled() {
    let env = env().await;
    // 40,000 offers (10,000 versions, each four times): the quadratic de-duplication took
    // 107 s on these; now n·log n (speed: the `offers-40000` bench, not this test).
    let mut obj = env.cvsh("global");
    obj["status"]["availableUpdates"] = (0..40_000u32)
        .map(|i| json!({"version": format!("4.{}.{}", 3 + (i % 10_000) / 100, i % 100)}))
        .collect();
    env.sim.set_faults(vec![ok_with(
        "GET",
        "/clusterversionshadows/global",
        &obj.to_string(),
    )]);
    let r = env.ac(&["adm", "upgrade", "-o", "json"]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let report: Value = serde_json::from_str(&r.stdout).unwrap();
    let offered = report.to_string();
    assert!(
        offered.contains("4.102.99"),
        "{}",
        &offered[..500.min(offered.len())]
    );
    let r = env
        .ac(&["adm", "upgrade", "--to-latest", "--dry-run"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stdout.contains("4.102.99"), "{}", r.both());
}

/// A port nobody listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn assert_absent(r: &crate::common::Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !r.both().contains(secret),
            "{secret:?} leaked:\n{}",
            r.both()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_proxy_without_a_scheme_is_named_without_its_password_and_where_it_was_set() {
    let env = env().await;
    // From the environment (kube takes HTTPS_PROXY, else https_proxy), the kubeconfig has none.
    for var in ["HTTPS_PROXY", "https_proxy"] {
        for extra in [&[][..], &["-v=10"]] {
            let mut args = vec!["adm", "upgrade"];
            args.extend(extra);
            let r = env
                .ac_env(
                    &args,
                    &[(var, "alice:hunter2-proxy-pw@proxy.example.com:3128")],
                )
                .await;
            let errors: Vec<&str> = r.stderr.lines().filter(|l| !l.starts_with("I ")).collect();
            assert_eq!(r.code, 1, "{}", r.both());
            assert!(
                errors[0].contains("the proxy <redacted>@proxy.example.com:3128 from")
                    && errors[0].contains(&format!("{var} in the environment")),
                "{}",
                r.both()
            );
            assert!(
                errors[1].contains(&format!("hint: set {var} to an http://")),
                "{}",
                r.both()
            );
            assert!(
                !errors.iter().any(|l| l.contains("kubeconfig")),
                "not blamed on the kubeconfig: {}",
                r.both()
            );
            assert_absent(&r, &["hunter2-proxy-pw", "alice:"]);
            if var == "HTTPS_PROXY" && extra.is_empty() {
                failed_cleanly(&r, 1);
                golden!(
                    scrub(&env, &r.both()),
                    "faults/proxy-env-without-scheme.txt"
                );
            }
        }
    }
    // The same in the kubeconfig's proxy-url: named as such.
    let mut kc = env.kubeconfig_json();
    for c in kc["clusters"].as_array_mut().unwrap() {
        c["cluster"]["proxy-url"] = "alice:hunter2-proxy-pw@proxy.example.com:3128".into();
    }
    let p = env.write_json("proxied", &kc);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "-v=10",
            "--kubeconfig",
            p.to_str().unwrap(),
        ])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr
            .contains("from the proxy-url of this cluster in the kubeconfig")
            && r.stderr
                .contains("hint: set the cluster's proxy-url in the kubeconfig"),
        "{}",
        r.both()
    );
    assert_absent(&r, &["hunter2-proxy-pw", "alice:"]);
    // A proxy from the environment that cannot be reached: the hint names the variable.
    let port = closed_port();
    let proxy = format!("http://alice:hunter2-proxy-pw@127.0.0.1:{port}");
    let r = env
        .ac_env(&["adm", "upgrade"], &[("HTTPS_PROXY", &proxy)])
        .await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr.contains(&format!(
            "(through the proxy http://<redacted>@127.0.0.1:{port}/)"
        )) && r
            .stderr
            .contains("hint: check HTTPS_PROXY in the environment"),
        "{}",
        r.both()
    );
    assert_absent(&r, &["hunter2-proxy-pw"]);
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());
}

/// The simulator's kubeconfig with user-info in every server URL.
fn server_with_userinfo(env: &Env) -> String {
    let mut kc = env.kubeconfig_json();
    for c in kc["clusters"].as_array_mut().unwrap() {
        let server = c["cluster"]["server"].as_str().unwrap().to_string();
        c["cluster"]["server"] = server
            .replace("https://", "https://bob:hunter2-server-pw@")
            .into();
    }
    env.write_json("userinfo", &kc)
        .to_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn user_info_in_a_server_url_is_never_shown() {
    let env = env().await;
    let kc = server_with_userinfo(&env);
    // Success, every verbosity: the -v=4 endpoint line and the -v=6/7 request lines.
    for extra in [
        &["-v=4"][..],
        &["-v=7"],
        &["--insecure-skip-tls-verify", "-v=10"],
    ] {
        let mut args = vec!["adm", "upgrade", "--kubeconfig", kc.as_str()];
        args.extend(extra);
        let r = env.ac(&args).await;
        assert_eq!(r.code, 0, "{args:?}: {}", r.both());
        assert!(
            r.stderr.contains("https://<redacted>@127.0.0.1:"),
            "{}",
            r.both()
        );
        assert_absent(&r, &["hunter2-server-pw", "bob:"]);
    }
    // Errors name the endpoint: a server error, a refused connection, a redirect.
    env.sim.set_faults(vec![
        Fault::parse("status=500,path=/clusterversionshadows").unwrap(),
    ]);
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", &kc, "-v=6"])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.contains("error: https://<redacted>@127.0.0.1:"),
        "{}",
        r.both()
    );
    assert_absent(&r, &["hunter2-server-pw", "bob:"]);
    let port = closed_port();
    let text = std::fs::read_to_string(&kc)
        .unwrap()
        .replace(&format!(":{}/", env.sim.port()), &format!(":{port}/"));
    let closed = env.write("closed", &text);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            closed.to_str().unwrap(),
            "-v=6",
        ])
        .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(
        r.stderr.contains(&format!(
            "error: cannot connect to https://<redacted>@127.0.0.1:{port}/"
        )),
        "{}",
        r.both()
    );
    assert_absent(&r, &["hunter2-server-pw", "bob:"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn bidi_controls_and_escapes_in_kubeconfig_names_are_shown_not_sent() {
    let env = env().await;
    let session = "sim\u{202e}evil\u{1b}[2J";
    let hostile_cluster = "w\u{202e}x\u{1b}]0;t\u{7}";
    let mut kc = env.kubeconfig_json();
    for list in ["clusters", "users"] {
        for entry in kc[list].as_array_mut().unwrap() {
            let inner = if list == "clusters" {
                "cluster"
            } else {
                "user"
            };
            entry[inner]["extensions"][0]["extension"]["sessionName"] = session.into();
        }
    }
    let mut extra = kc["clusters"][1].clone();
    extra["name"] = "hostile-entry".into();
    extra["cluster"]["extensions"][0]["extension"]["clusterName"] = hostile_cluster.into();
    kc["clusters"].as_array_mut().unwrap().push(extra);
    let good = env.write_json("hostile-names", &kc);
    for u in kc["users"].as_array_mut().unwrap() {
        u["user"]["token"] = "not-a-valid-token".into();
    }
    let bad_token = env.write_json("hostile-names-401", &kc);
    let good = good.to_str().unwrap();
    let bad_token = bad_token.to_str().unwrap();
    for (args, code) in [
        // 401: the hint names the session's `ac login … --name <session>`.
        (vec!["adm", "upgrade", "--kubeconfig", bad_token], 1),
        // Not in the session: the hint lists the session's clusters.
        (
            vec![
                "adm",
                "upgrade",
                "--kubeconfig",
                good,
                "--cluster",
                "workload-z",
            ],
            1,
        ),
        (
            vec![
                "adm",
                "upgrade",
                "--kubeconfig",
                good,
                "--cluster",
                "workload-z",
                "--color=always",
            ],
            1,
        ),
        (
            vec![
                "adm",
                "upgrade",
                "--kubeconfig",
                good,
                "--context",
                "sim/\u{202e}x",
            ],
            1,
        ),
        (
            vec![
                "adm",
                "upgrade",
                "--kubeconfig",
                good,
                "--user",
                "u\u{202e}\u{1b}[31m",
            ],
            1,
        ),
        (vec!["config", "get-sessions", "--kubeconfig", good], 0),
        (vec!["config", "get-clusters", "--kubeconfig", good], 0),
    ] {
        let r = env.ac(&args).await;
        assert_eq!(r.code, code, "{args:?}: {}", r.both());
        for raw in ['\u{202e}', '\u{7}'] {
            assert!(
                !r.both().contains(raw),
                "{args:?}: {raw:?} reached the terminal:\n{}",
                r.both()
            );
        }
        let escapes = r.both().matches('\u{1b}').count();
        let ours = if args.contains(&"--color=always") {
            escapes
        } else {
            0
        };
        assert_eq!(escapes, ours, "{args:?}: {}", r.both());
        assert!(
            !r.both().contains("\u{1b}[2J") && !r.both().contains("\u{1b}]0;"),
            "{}",
            r.both()
        );
    }
    let r = env.ac(&["adm", "upgrade", "--kubeconfig", bad_token]).await;
    // A name that is not safe in a shell never goes into a printed command: a placeholder
    // stands in its place.
    assert!(
        r.stderr.contains("--name <session>"),
        "the session's unsafe name stays out of the command: {}",
        r.both()
    );
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            good,
            "--cluster",
            "workload-z",
        ])
        .await;
    golden!(
        scrub(&env, &r.both()),
        "faults/bidi-in-kubeconfig-names.txt"
    );
}

/// `ac adm upgrade` with kubeconfig `kc` fails cleanly (exit 1), saying `what`.
async fn fails_saying(env: &Env, kc: &str, what: &str) {
    let r = env.ac(&["adm", "upgrade", "--kubeconfig", kc]).await;
    failed_cleanly(&r, 1);
    assert!(r.stderr.contains(what), "{}", r.both());
}

fn script(env: &Env, name: &str, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = env.write(name, &format!("#!/bin/sh\n{body}"));
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

/// The simulator's kubeconfig with every user's credentials replaced by `user`.
fn with_user(env: &Env, file: &str, user: Value) -> String {
    let mut kc = env.kubeconfig_json();
    for u in kc["users"].as_array_mut().unwrap() {
        let ext = u["user"]["extensions"].clone();
        u["user"] = user.clone();
        u["user"]["extensions"] = ext;
    }
    env.write_json(file, &kc).to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_with_control_characters_are_errors_and_surrounding_white_space_is_trimmed() {
    let env = env().await;
    let token = env.sim.admin_token();
    // Inline: a newline inside the token is an error before any request (it panicked).
    let kc = with_user(&env, "inline", json!({"token": "abc\ndef"}));
    let r = env.ac(&["adm", "upgrade", "--kubeconfig", &kc]).await;
    failed_cleanly(&r, 1);
    assert!(
        !r.stderr.contains("abc"),
        "the token is not shown: {}",
        r.both()
    );
    golden!(scrub(&env, &r.both()), "faults/token-with-newline.txt");
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());

    // A token file ending in a newline (the usual case) is trimmed, as client-go does.
    let file = env.write("token", &format!("{token}\n"));
    let kc = with_user(
        &env,
        "token-file",
        json!({"tokenFile": file.to_str().unwrap()}),
    );
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", &kc, "-v=6"])
        .await;
    assert_eq!(r.code, 0, "{}", r.both());
    assert!(r.stderr.contains("Bearer <redacted>"), "{}", r.both());
    // A newline inside it is an error, as inline.
    let file = env.write("token-2", &format!("{token}\nsecond-line\n"));
    let kc = with_user(
        &env,
        "token-file-2",
        json!({"tokenFile": file.to_str().unwrap()}),
    );
    fails_saying(&env, &kc, "cannot be sent in an HTTP header").await;
    // A token file that is no file: named, bounded.
    let kc = with_user(&env, "token-file-3", json!({"tokenFile": "/dev/zero"}));
    fails_saying(&env, &kc, "cannot read the token file /dev/zero").await;

    // An exec plugin's token ending in "\n" is trimmed (it panicked).
    let plugin = script(
        &env,
        "newline-plugin.sh",
        &format!(
            "printf '%s' '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{token}\\n\"}}}}'\n"
        ),
    );
    let exec = json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": plugin.to_str().unwrap()}});
    let kc = with_user(&env, "exec-newline", exec);
    let r = env.ac(&["adm", "upgrade", "--kubeconfig", &kc]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    // A control character inside it: an error, not a panic.
    let plugin = script(
        &env,
        "control-plugin.sh",
        "printf '%s' '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"abc\\u0007def\"}}'\n",
    );
    let exec = json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": plugin.to_str().unwrap()}});
    let kc = with_user(&env, "exec-control", exec);
    fails_saying(&env, &kc, "cannot be sent in an HTTP header").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_hanging_exec_plugin_is_stopped_at_the_request_timeout() {
    let env = env().await;
    let pid_file = env.dir.path().join("plugin.pid");
    let plugin = script(
        &env,
        "hanging-plugin.sh",
        &format!("echo $$ > {}\nexec sleep 600\n", pid_file.display()),
    );
    let exec = json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1",
        "command": plugin.to_str().unwrap(), "args": ["--password=plugin-arg-secret-99"],
        "env": [{"name": "PLUGIN_SECRET", "value": "plugin-env-secret-42"}]}});
    let kc = with_user(&env, "exec-hanging", exec);
    let r = env
        .ac(&[
            "adm",
            "upgrade",
            "--kubeconfig",
            &kc,
            "--request-timeout=2s",
        ])
        .await;
    failed_cleanly(&r, 4);
    assert!(
        r.stderr.contains(&format!(
            "the exec credential plugin {} did not finish within 2s (--request-timeout) and was stopped",
            plugin.display()
        )),
        "{}",
        r.both()
    );
    assert_absent(&r, &["plugin-arg-secret-99", "plugin-env-secret-42"]);
    golden!(scrub(&env, &r.both()), "faults/exec-plugin-hanging.txt");
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());
    // The plugin was killed, not left behind (waited for as a condition, with a deadline).
    let pid = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_string();
    let gone = || {
        std::fs::read_to_string(format!("/proc/{pid}/stat"))
            .map(|stat| stat.contains(") Z "))
            .unwrap_or(true)
    };
    for _ in 0..500 {
        if gone() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(gone(), "plugin process {pid} is still running");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_exec_plugin_token_is_renewed_before_it_expires() {
    let env = env().await;
    let token = env.sim.admin_token();
    let runs = env.dir.path().join("runs");
    // A token that expires in 30 s (inside the minute ac renews before): every request runs
    // the plugin again; after `ok_runs` runs the plugin fails.
    let plugin = |name: &str, ok_runs: u32| {
        script(
            &env,
            name,
            &format!(
                "echo run >> {runs}\nif [ $(wc -l < {runs}) -gt {ok_runs} ]; then exit 1; fi\nexp=$(date -u -d '+30 seconds' +%Y-%m-%dT%H:%M:%SZ)\nprintf '{{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\",\"status\":{{\"token\":\"{token}\",\"expirationTimestamp\":\"%s\"}}}}' \"$exp\"\n",
                runs = runs.display()
            ),
        )
    };
    let ok = plugin("renewing-plugin.sh", 100);
    let exec = |p: &std::path::Path| json!({"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": p.to_str().unwrap()}});
    let kc = with_user(&env, "exec-renewing", exec(&ok));
    let r = env.ac(&["adm", "upgrade", "--kubeconfig", &kc]).await;
    assert_eq!(r.code, 0, "{}", r.both());
    let count = || std::fs::read_to_string(&runs).unwrap().lines().count();
    // Once for the client, once per request (the summary of global reads its cvsh).
    assert!(count() >= 2, "the plugin ran {} times", count());

    // A renewal that fails is the command's error, named as a credential problem.
    std::fs::remove_file(&runs).unwrap();
    env.sim.clear_requests();
    let failing = plugin("failing-renewal-plugin.sh", 1);
    let kc = with_user(&env, "exec-failing-renewal", exec(&failing));
    let r = env.ac(&["adm", "upgrade", "--kubeconfig", &kc]).await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr
            .contains("cannot get credentials for user admin@sim.local")
            && r.stderr
                .contains("the exec credential plugin failed (exit status: 1"),
        "{}",
        r.both()
    );
    assert!(env.requests().is_empty(), "{:?}", env.request_lines());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_read_is_bounded() {
    let env = env().await;
    // The answer limit is 512 MiB (unit-tested in access::fetch); the test binary's debug
    // build lowers it to 1 MiB through AC_TEST_MAX_BODY, which a release build ignores.
    let limit = [("AC_TEST_MAX_BODY", "1048576")];
    let padded = |bytes: usize| {
        let mut obj = env.cvsh("global");
        obj["metadata"]["annotations"] = json!({"pad": "x".repeat(bytes)});
        obj.to_string()
    };
    // Over the limit: one object, and a LIST page.
    env.sim.set_faults(vec![ok_with(
        "GET",
        "/clusterversionshadows/global",
        &padded(2 << 20),
    )]);
    let r = env.ac_env(&["adm", "upgrade", "--to=4.3.0"], &limit).await;
    failed_cleanly(&r, 1);
    let length = padded(2 << 20).len();
    assert!(
        r.stderr.contains(&format!(
            "is larger than 1 MiB, the most ac reads of one answer (its Content-Length is {length} bytes)"
        )),
        "{}",
        r.both()
    );
    assert!(env.patches().is_empty(), "{:?}", env.request_lines());
    golden!(scrub(&env, &r.both()), "faults/oversized-answer.txt");
    let list = json!({"kind": "ClusterVersionShadowList", "apiVersion": "config.alauda.io/v1",
        "metadata": {}, "items": [serde_json::from_str::<Value>(&padded(2 << 20)).unwrap()]});
    env.sim.set_faults(vec![ok_with(
        "GET",
        "/clusterversionshadows?",
        &list.to_string(),
    )]);
    let r = env
        .ac_env(&["adm", "upgrade", "status", "--all-clusters"], &limit)
        .await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr.contains("to list clusterversionshadows"),
        "{}",
        r.both()
    );
    // Under the limit: read as usual.
    env.sim.set_faults(vec![ok_with(
        "GET",
        "/clusterversionshadows/global",
        &padded(900 << 10),
    )]);
    let r = env.ac_env(&["adm", "upgrade"], &limit).await;
    assert_eq!(r.code, 0, "{}", r.both());

    // A kubeconfig that never ends, and one over 64 MiB: refused after 64 MiB.
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", "/dev/zero"])
        .await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr.contains(
            "kubeconfig /dev/zero is larger than 64 MiB, the most ac reads of a kubeconfig file"
        ),
        "{}",
        r.both()
    );
    let r = env
        .ac_env(&["config", "get-sessions"], &[("KUBECONFIG", "/dev/zero")])
        .await;
    failed_cleanly(&r, 1);
    let big = env.dir.path().join("big-kubeconfig");
    std::fs::File::create(&big)
        .unwrap()
        .set_len((64 << 20) + 1)
        .unwrap();
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", big.to_str().unwrap()])
        .await;
    failed_cleanly(&r, 1);
    assert!(r.stderr.contains("is larger than 64 MiB"), "{}", r.both());
    // UTF-16 with an odd number of bytes: an error (kube's reader panics on it).
    let odd = env.dir.path().join("odd-utf16");
    std::fs::write(&odd, b"\xff\xfea").unwrap();
    let r = env
        .ac(&["adm", "upgrade", "--kubeconfig", odd.to_str().unwrap()])
        .await;
    failed_cleanly(&r, 1);
    assert!(
        r.stderr.contains("UTF-16 with an odd number of bytes"),
        "{}",
        r.both()
    );
}
