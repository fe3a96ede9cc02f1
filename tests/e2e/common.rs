//! End-to-end harness: the built `ac` binary, a temp kubeconfig, and the loopback HTTPS ACP
//! API of `ac_sim` (the same server `ac-sim` runs).
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use ac_sim::{LoggedRequest, Sim, SimOptions};
use serde_json::{Value, json};

pub const NOW: &str = "2026-11-23T10:00:00Z";

pub struct Env {
    pub sim: Sim,
    pub dir: tempfile::TempDir,
    pub kubeconfig: PathBuf,
    /// The cluster the kubeconfig's current context points at.
    pub context: String,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout, then stderr under a marker: what a golden file holds.
    pub fn both(&self) -> String {
        format!(
            "{}--- stderr ---\n{}--- exit {} ---\n",
            self.stdout, self.stderr, self.code
        )
    }
}

impl Env {
    /// A server with no objects and no controller; the kubeconfig's context is `sim/<context>`.
    pub async fn start(context: &str) -> Env {
        Self::start_with(SimOptions::empty(), context).await
    }

    pub async fn start_with(opts: SimOptions, context: &str) -> Env {
        let sim = Sim::start(opts).await.expect("sim starts");
        let dir = tempfile::tempdir().unwrap();
        let kubeconfig = dir.path().join("kubeconfig");
        sim.write_kubeconfig(&kubeconfig, context).unwrap();
        Env {
            sim,
            dir,
            kubeconfig,
            context: context.to_string(),
        }
    }

    /// Run `ac` with a clean environment (KUBECONFIG, NO_COLOR, fixed clock).
    pub async fn ac(&self, args: &[&str]) -> Run {
        self.ac_env(args, &[]).await
    }

    pub async fn ac_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = base_command(self.dir.path());
        cmd.env("KUBECONFIG", &self.kubeconfig).args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let run = run(cmd).await;
        self.assert_no_secret(&run);
        run
    }

    /// Neither platform's tokens (the DR standby's too) appear in a run's output.
    pub fn assert_no_secret(&self, run: &Run) {
        let standby = self
            .sim
            .standby()
            .map(|dr| [dr.admin_token(), dr.viewer_token()]);
        for secret in [self.sim.admin_token(), self.sim.viewer_token()]
            .into_iter()
            .chain(standby.into_iter().flatten())
        {
            assert!(
                !run.stdout.contains(&secret) && !run.stderr.contains(&secret),
                "a token leaked into the output:\n{}",
                run.both()
            );
        }
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    /// The simulator's kubeconfig as JSON, to derive variants from.
    pub fn kubeconfig_json(&self) -> Value {
        serde_saphyr::from_str(&self.sim.kubeconfig_yaml(&self.context)).unwrap()
    }

    /// Write a kubeconfig variant (JSON is YAML) and return its path.
    pub fn write_json(&self, name: &str, v: &Value) -> PathBuf {
        self.write(name, &serde_json::to_string(v).unwrap())
    }

    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.sim.requests()
    }

    /// `METHOD path[?query]` of every request since the last clear.
    pub fn request_lines(&self) -> Vec<String> {
        self.sim
            .requests()
            .iter()
            .map(|r| match &r.query {
                Some(q) if !q.is_empty() => format!("{} {}?{}", r.method, r.path, q),
                _ => format!("{} {}", r.method, r.path),
            })
            .collect()
    }

    pub fn patches(&self) -> Vec<LoggedRequest> {
        self.sim
            .requests()
            .into_iter()
            .filter(|r| r.method == "PATCH")
            .collect()
    }

    /// Store a cvsh and rewrite the kubeconfig, so that the session knows its cluster.
    pub fn put_cvsh(&self, obj: Value) {
        self.sim.put(obj);
        self.sim
            .write_kubeconfig(&self.kubeconfig, &self.context)
            .unwrap();
    }

    pub fn cvsh(&self, name: &str) -> Value {
        self.sim
            .get("clusterversionshadows", Some("cpaas-system"), name)
            .expect("cvsh exists")
    }
}

pub fn base_command(home: &Path) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_ac"));
    cmd.env_clear()
        .env("HOME", home)
        .env("PATH", "/usr/bin:/bin")
        .env("NO_COLOR", "1")
        .env("AC_NOW", NOW)
        .stdin(Stdio::null())
        .kill_on_drop(true);
    cmd
}

pub async fn run(mut cmd: tokio::process::Command) -> Run {
    let out: Output = tokio::time::timeout(std::time::Duration::from_secs(120), cmd.output())
        .await
        .expect("ac finished within 120 s")
        .expect("ac runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert_commands_exist(&run);
    run
}

/// The `ac …` commands a text names (next steps, hints, remedies): each from `ac adm`,
/// `ac config`, `ac login`, `ac logout`, `ac completion` or `ac --context` to the end of its
/// line, a `;`, or the `)` that closes a parenthesis opened before it. Clap's usage lines
/// (`[OPTIONS]`) are not commands.
pub fn commands_in(text: &str) -> Vec<String> {
    const STARTS: [&str; 6] = [
        "ac adm ",
        "ac config ",
        "ac login ",
        "ac logout",
        "ac completion ",
        "ac --context ",
    ];
    let mut found = Vec::new();
    for line in text.lines() {
        let mut from = 0;
        while let Some(at) = STARTS
            .iter()
            .filter_map(|s| line[from..].find(s).map(|i| from + i))
            .min()
        {
            let before = &line[..at];
            if at > 0 && !before.ends_with([' ', '(', ':', '\'', '`', '"']) {
                from = at + 3;
                continue;
            }
            let open = before.matches('(').count() > before.matches(')').count();
            // A command ends at a double quote or backtick (JSON strings, Markdown); at a single
            // quote only when quoted with one (its own arguments may be: `--clusters='edge-*'`).
            let quote = before.chars().last().filter(|c| *c == '\'');
            let tail = &line[at..];
            let end = tail
                .char_indices()
                .find(|&(i, c)| {
                    c == ';'
                        || (open && c == ')')
                        || c == '"'
                        || c == '`'
                        || Some(c) == quote
                        || (c == ',' && tail[i..].starts_with(", "))
                })
                .map(|(i, _)| i)
                .unwrap_or(tail.len());
            let command = tail[..end].trim().trim_end_matches(['.', ',']).to_string();
            if !command.contains('[') {
                found.push(command);
            }
            from = at + end.max(1);
        }
    }
    found
}

/// No hint names a command `ac` does not have: every command a run prints parses.
pub fn assert_commands_exist(run: &Run) {
    use clap::Parser;
    for command in commands_in(&run.stdout)
        .into_iter()
        .chain(commands_in(&run.stderr))
    {
        // Single-quoted words (a glob the shell must not expand) lose their quotes.
        let words: Vec<&str> = command
            .split_whitespace()
            .map(|w| w.trim_matches('\''))
            .collect();
        if let Err(e) = ac::cli::Cli::try_parse_from(&words)
            && !matches!(
                e.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            )
        {
            panic!(
                "the output names a command ac does not have: {command:?}\n{e}\n--- output ---\n{}",
                run.both()
            );
        }
    }
}

/// Run with `input` on standard input (closed after it).
pub async fn run_with_stdin(mut cmd: tokio::process::Command, input: &[u8]) -> Run {
    use tokio::io::AsyncWriteExt;
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("ac runs");
    let mut stdin = child.stdin.take().expect("a stdin pipe");
    // ac may stop reading early (a usage error): a closed pipe is not the test's concern.
    let _ = stdin.write_all(input).await;
    drop(stdin);
    let out: Output = tokio::time::timeout(
        std::time::Duration::from_secs(120),
        child.wait_with_output(),
    )
    .await
    .expect("ac finished within 120 s")
    .expect("ac runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A ClusterVersionShadow as the ACP controller writes it.
pub fn cvsh(name: &str, current: &str, offered: &[&str]) -> Value {
    let mut status = json!({
        "observedGeneration": 1,
        "current": {"version": current, "image": format!("registry.example.com/acp/release:{current}")},
        "desired": {"version": current},
        "conditions": [
            {"type": "Ready", "status": "True", "reason": "AsExpected", "message": format!("cluster is at {current}"), "lastTransitionTime": "2026-11-20T08:00:00Z"},
            {"type": "Reconciling", "status": "False", "reason": "Idle", "lastTransitionTime": "2026-11-20T08:00:00Z"}
        ],
        "history": [{"version": current, "image": format!("registry.example.com/acp/release:{current}"), "state": "Completed",
                     "startedTime": "2026-11-20T07:00:00Z", "completionTime": "2026-11-20T08:00:00Z"}]
    });
    if !offered.is_empty() {
        status["availableUpdates"] = offered
            .iter()
            .map(
                |v| json!({"version": v, "image": format!("registry.example.com/acp/release:{v}")}),
            )
            .collect();
    }
    json!({
        "apiVersion": "config.alauda.io/v1",
        "kind": "ClusterVersionShadow",
        "metadata": {"name": name, "namespace": "cpaas-system", "generation": 1},
        "spec": {},
        "status": status,
    })
}

pub fn pdman(version: &str, ready: Option<bool>) -> Value {
    let mut v = json!({
        "apiVersion": "config.alauda.io/v1",
        "kind": "ProductManifest",
        "metadata": {"name": format!("v{version}")},
        "spec": {"version": version},
    });
    if let Some(r) = ready {
        v["status"] = json!({"conditions": [{"type": "Ready", "status": if r {"True"} else {"False"}, "reason": "Imported"}]});
    }
    v
}

/// Compare with a golden file under tests/golden (refresh: SNAPSHOTS=overwrite cargo test).
#[allow(unused_macros)]
macro_rules! golden {
    ($actual:expr, $file:literal) => {
        snapbox::assert_data_eq!(
            $actual,
            snapbox::Data::read_from(
                std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/golden/", $file)),
                None
            )
            .raw()
        )
    };
}

/// A test that needs an external tool (bash, fish, kubectl) which is missing. Under CI (`CI`
/// set and not `false`) that is a failure: `.ci/run` installs every tool the tests use.
/// Elsewhere the test is skipped, and says so on the real stderr (libtest captures `eprintln!`
/// of passing tests, which would make the skip silent).
pub fn skip_without(tool: &str, test: &str) {
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0");
    assert!(
        !ci,
        "{test}: {tool} is not installed, and CI is set: .ci/run installs it"
    );
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {tool} is not installed (with CI=true this fails)"
    );
}

/// How the advice speaks about `cluster` with the global cluster `global` at `global_version`
/// (no standby), for the library-level golden tests. Leaked: it lives as long as the test.
pub fn scope(cluster: &str, global_version: Option<&str>) -> ac::domain::advice::Scope<'static> {
    let tier: &'static ac::domain::rules::tier::GlobalTier =
        Box::leak(Box::new(ac::domain::rules::tier::GlobalTier::new(
            "global",
            global_version.map(str::to_string),
            None,
        )));
    ac::domain::advice::Scope {
        cluster: Box::leak(cluster.to_string().into_boxed_str()),
        tier,
        kubectl: ac::domain::cmdline::Kubectl::default(),
    }
}

/// The cluster's next move, judged on `platform` (leaked like [`scope`]).
pub fn next_move(
    cvsh: &ac::domain::cvsh::Cvsh,
    scope: &ac::domain::advice::Scope<'static>,
    platform: &ac::domain::facts::Platform,
) -> &'static ac::domain::precheck::NextMove {
    Box::leak(Box::new(ac::domain::precheck::next_move(
        scope.cluster,
        cvsh,
        scope.tier,
        platform,
    )))
}
