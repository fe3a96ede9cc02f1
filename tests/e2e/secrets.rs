//! Secrets never reach output: tokens, client keys, passwords (basic auth, proxy URLs) are not
//! in stdout, stderr, `-o json|yaml`, errors or `-v=10` traces; read commands write nothing.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine;
use serde_json::json;

use crate::common::{Env, Run, cvsh};

async fn env() -> Env {
    let env = Env::start("global").await;
    env.put_cvsh(cvsh("global", "4.2.1", &["4.3.0"]));
    env.put_cvsh(cvsh("workload-a", "4.2.1", &[]));
    env.sim.clear_requests();
    env
}

fn assert_absent(r: &Run, secrets: &[&str], what: &str) {
    for secret in secrets {
        assert!(
            !r.stdout.contains(secret) && !r.stderr.contains(secret),
            "{what}: {secret:?} leaked:\n{}",
            r.both()
        );
    }
}

const READS: &[&[&str]] = &[
    &["adm", "upgrade"],
    &["adm", "upgrade", "--cluster", "workload-a"],
    &["adm", "upgrade", "status"],
    &["adm", "upgrade", "status", "--all-clusters"],
    &["adm", "upgrade", "precheck", "--to=4.3.0"],
    &["adm", "upgrade", "--to=4.3.0", "--dry-run"],
    &[
        "adm",
        "release",
        "import-manifest",
        "--version",
        "4.3.1",
        "--dry-run",
    ],
    &["config", "get-sessions"],
    &["config", "get-clusters"],
    &["adm", "release", "list"],
];

#[tokio::test(flavor = "multi_thread")]
async fn tokens_never_in_any_output_format_or_verbosity() {
    let env = env().await;
    // Env::ac checks both tokens in stdout and stderr of every run.
    for args in READS {
        for extra in [
            &[][..],
            &["-o", "json"],
            &["-o", "yaml"],
            &["-v=10"],
            &["-v=10", "-o", "yaml"],
        ] {
            let mut all: Vec<&str> = args.to_vec();
            all.extend(extra);
            let r = env.ac(&all).await;
            assert!(!r.stderr.contains("panicked"), "{all:?}: {}", r.both());
            if extra.contains(&"-v=10") && r.stderr.contains("I GET ") {
                assert!(
                    r.stderr.contains("Bearer <redacted>"),
                    "{all:?}: {}",
                    r.stderr
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn client_keys_and_passwords_never_shown() {
    let env = env().await;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let (cert, key) = env.sim.admin_client_cert_pem();
    let key_lines: Vec<String> = key
        .lines()
        .filter(|l| !l.starts_with("-----"))
        .map(str::to_string)
        .collect();
    let key_b64 = b64(&key);

    // Mutual TLS, every verbosity and format.
    let mut kc = env.kubeconfig_json();
    for u in kc["users"].as_array_mut().unwrap() {
        let user = u["user"].as_object_mut().unwrap();
        user.remove("token");
        user.insert("client-certificate-data".into(), b64(&cert).into());
        user.insert("client-key-data".into(), key_b64.clone().into());
    }
    let mtls = env.write_json("mtls", &kc);
    let secrets: Vec<&str> = key_lines
        .iter()
        .map(String::as_str)
        .chain([key_b64.as_str(), "PRIVATE KEY"])
        .collect();
    for extra in [
        &["-v=10"][..],
        &["-o", "yaml", "-v=10"],
        &["--to=4.3.0", "-v=10"],
    ] {
        let mut args = vec!["adm", "upgrade", "--kubeconfig", mtls.to_str().unwrap()];
        args.extend(extra);
        let r = env.ac(&args).await;
        assert!(r.code == 0, "{args:?}: {}", r.both());
        assert_absent(&r, &secrets, "client key");
    }

    // A key that cannot be used: the error names the problem, not the key.
    let mut broken = kc.clone();
    for u in broken["users"].as_array_mut().unwrap() {
        u["user"]["client-key-data"] = b64(
            "-----BEGIN PRIVATE KEY-----\nS3CRETKEYMATERIALS3CRETKEYMATERIAL\n-----END PRIVATE KEY-----\n",
        )
        .into();
    }
    let p = env.write_json("broken-key", &broken);
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
    assert!(r.stderr.contains("error: "), "{}", r.both());
    assert_absent(&r, &["S3CRETKEYMATERIAL"], "broken client key");

    // Basic auth: the server does not know the user (401); the password never shows.
    let mut basic = env.kubeconfig_json();
    for u in basic["users"].as_array_mut().unwrap() {
        u["user"] = json!({"username": "alice", "password": "hunter2-basic-password"});
    }
    let p = env.write_json("basic", &basic);
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
    assert!(r.stderr.contains("Basic <redacted>"), "{}", r.both());
    assert!(
        r.stderr
            .contains("hint: the username or password may be wrong or changed"),
        "the 401 hint names what was rejected:\n{}",
        r.both()
    );
    assert_absent(
        &r,
        &[
            "hunter2-basic-password",
            &b64("alice:hunter2-basic-password"),
        ],
        "basic auth",
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn proxy_passwords_never_shown() {
    let env = env().await;
    // A port nobody listens on: the proxy is unreachable.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    for (proxy, code) in [
        (format!("http://bob:hunter2-proxy-pw@127.0.0.1:{port}"), 1),
        (format!("socks5://bob:hunter2-proxy-pw@127.0.0.1:{port}"), 1),
        (format!("https://bob:hunter2-proxy-pw@127.0.0.1:{port}"), 1),
        (
            "ftp://bob:hunter2-proxy-pw@proxy.example.com:21".to_string(),
            1,
        ),
    ] {
        let mut kc = env.kubeconfig_json();
        for c in kc["clusters"].as_array_mut().unwrap() {
            c["cluster"]["proxy-url"] = proxy.clone().into();
        }
        let p = env.write_json("proxied", &kc);
        for extra in [&[][..], &["-v=10"], &["-o", "json"]] {
            let mut args = vec!["adm", "upgrade", "--kubeconfig", p.to_str().unwrap()];
            args.extend(extra);
            let r = env.ac(&args).await;
            assert_eq!(r.code, code, "{proxy} {extra:?}: {}", r.both());
            assert!(r.stderr.contains("error: "), "{}", r.both());
            assert!(!r.stderr.contains("panicked"), "{}", r.both());
            assert_absent(&r, &["hunter2-proxy-pw", "bob:"], &proxy);
        }
    }
}

/// Every file under `dir`: its contents and modification time.
fn snapshot(dir: &Path) -> BTreeMap<String, (Vec<u8>, Option<std::time::SystemTime>)> {
    let mut out = BTreeMap::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let meta = entry.metadata().unwrap();
            let name = path.strip_prefix(dir).unwrap().display().to_string();
            if meta.is_dir() {
                out.insert(format!("{name}/"), (Vec::new(), None));
                todo.push(path);
            } else {
                out.insert(name, (std::fs::read(&path).unwrap(), meta.modified().ok()));
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn read_commands_write_nothing() {
    let env = env().await;
    // HOME is the test's directory (base_command): the kubeconfig lives there too.
    let before = snapshot(env.dir.path());
    for args in READS {
        for extra in [&[][..], &["-o", "json"], &["-v=10"]] {
            let mut all: Vec<&str> = args.to_vec();
            all.extend(extra);
            let r = env.ac(&all).await;
            assert!(!r.stderr.contains("panicked"), "{all:?}: {}", r.both());
        }
    }
    // Failures too: a server error and a full disk change nothing either.
    env.sim.set_faults(vec![
        ac_sim::Fault::parse("status=500,path=/clusterversionshadows").unwrap(),
    ]);
    let r = env.ac(&["adm", "upgrade", "--to=4.3.0"]).await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert_eq!(
        snapshot(env.dir.path()),
        before,
        "read commands wrote to HOME"
    );
    assert!(!env.dir.path().join(".kube").exists());
}

/// Terminal escape sequences in server text (a condition message, a cluster name) never reach
/// the terminal, whichever way the object was read: a GET (one cluster) or a LIST page read
/// straight into views (the fleet).
#[tokio::test(flavor = "multi_thread")]
async fn escape_sequences_from_the_server_never_reach_the_terminal() {
    let env = env().await;
    let mut hostile = cvsh("workload-b", "4.2.1", &[]);
    hostile["status"]["conditions"] = json!([{"type": "Failing", "status": "True",
        "reason": "X\u{1b}[2J", "message": "cleared\u{1b}]0;pwned\u{7}\u{1b}[31m red \u{202e}desrever"}]);
    hostile["status"]["history"] = json!([{"version": "4.2.1\u{1b}[8m", "state": "Completed"}]);
    hostile["spec"]["desiredUpdate"] = json!({"version": "4.3.0\u{1b}[31m red"});
    env.put_cvsh(hostile);
    for args in [
        &["adm", "upgrade", "status", "--all-clusters"][..],
        &["adm", "upgrade", "status", "--cluster", "workload-b"],
        &[
            "adm",
            "upgrade",
            "status",
            "--cluster",
            "workload-b",
            "--verbose",
        ],
        &["adm", "upgrade", "--cluster", "workload-b"],
    ] {
        let r = env.ac(args).await;
        assert!(
            !r.stdout.contains('\u{1b}') && !r.stderr.contains('\u{1b}'),
            "{args:?}: an escape sequence reached the terminal:\n{}",
            r.both()
        );
        assert!(r.stdout.contains("workload-b"), "{args:?}:\n{}", r.both());
        // The summary and the verbose status show the condition's message, its bidi override
        // neutralized (not the message dropped).
        if args.contains(&"--verbose") || args[2] == "--cluster" {
            assert!(r.stdout.contains("desrever"), "{args:?}:\n{}", r.both());
        }
        // With color, the output stream passes escapes through: only ours may be there.
        let r = env.ac(&[args, &["--color=always"][..]].concat()).await;
        for theirs in [
            "\u{1b}[2J",
            "\u{1b}]0;",
            "\u{1b}[8m",
            "\u{1b}[31m red",
            "\u{7}",
            "\u{202e}",
        ] {
            assert!(
                !r.stdout.contains(theirs) && !r.stderr.contains(theirs),
                "{args:?} --color=always: {theirs:?} from the server reached the terminal:\n{}",
                r.both()
            );
        }
    }
}

/// `ac login` handles the token itself: never in stdout, stderr, `-o json|yaml` or `-v=10`
/// traces, whether it comes on stdin or with `--token`, is accepted or rejected; a password in
/// the URL is never echoed either. Sync and logout through the written session the same.
#[tokio::test(flavor = "multi_thread")]
async fn login_never_shows_the_token() {
    use crate::login::{ac_with, platform};
    let env = platform().await;
    let kc = env.dir.path().join("login-config");
    let kc = kc.to_str().unwrap();
    let url = env.sim.base_url();
    let ca = env.write("ca.pem", &env.sim.ca_pem());
    let ca = ca.to_str().unwrap();
    let token = env.sim.admin_token();
    let flag = format!("--token={token}");
    for extra in [
        &[][..],
        &["-o", "json"],
        &["-o", "yaml"],
        &["-v=10"],
        &["-v=10", "-o", "yaml"],
    ] {
        let base = [
            "login",
            url.as_str(),
            "--name",
            "prod",
            "--certificate-authority",
            ca,
        ];
        // ac_with checks both of the simulator's tokens in stdout and stderr.
        let on_stdin = ac_with(&env, kc, &[&base[..], extra].concat(), Some(&token)).await;
        assert_eq!(on_stdin.code, 0, "{extra:?}: {}", on_stdin.both());
        let on_flag = ac_with(
            &env,
            kc,
            &[&base[..], extra, &[flag.as_str()]].concat(),
            None,
        )
        .await;
        assert_eq!(on_flag.code, 0, "{extra:?}: {}", on_flag.both());
        if extra.contains(&"-v=10") {
            assert!(
                on_stdin.stderr.contains("Bearer <redacted>"),
                "{}",
                on_stdin.stderr
            );
        }
        for args in [&["config", "sync"][..], &["config", "get-sessions"]] {
            let r = ac_with(&env, kc, &[args, extra].concat(), None).await;
            assert_eq!(r.code, 0, "{args:?} {extra:?}: {}", r.both());
        }
    }
    let r = ac_with(&env, kc, &["logout", "-v=10", "-o", "json"], None).await;
    assert_eq!(r.code, 0, "{}", r.both());
    // Rejected, at -v=10: not shown either.
    let wrong = "wrong-token-5e1f0c7d9a";
    let r = ac_with(
        &env,
        kc,
        &[
            "login",
            &url,
            "--name",
            "prod",
            "--certificate-authority",
            ca,
            "-v=10",
        ],
        Some(wrong),
    )
    .await;
    assert_eq!(r.code, 1, "{}", r.both());
    assert!(!r.both().contains(wrong), "{}", r.both());
    // A password in the URL: refused without echoing it.
    let r = ac_with(
        &env,
        kc,
        &[
            "login",
            "https://admin:pa55word@127.0.0.1:1",
            "--name",
            "prod",
        ],
        Some(&token),
    )
    .await;
    assert_eq!(r.code, 2, "{}", r.both());
    assert!(!r.both().contains("pa55word"), "{}", r.both());
}
