//! Shell completion in real shells: what ACP's documentation tells users to run
//! (`source <(ac completion bash)`, `ac completion fish | source`, zsh) completes values
//! (`--cluster` from kubeconfig, `--to` from the cluster), and the static scripts checked in
//! under `completions/` still complete flags (bash with bash-completion, fish).

use std::path::{Path, PathBuf};
use std::process::Command;

const KUBECONFIG: &str = r#"
apiVersion: v1
kind: Config
clusters:
- name: acp:prod:global
  cluster:
    server: https://127.0.0.1:1/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://127.0.0.1:1, sessionName: prod, clusterName: global}
- name: renamed-entry
  cluster:
    server: https://127.0.0.1:1/kubernetes/workload-alpha/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://127.0.0.1:1, sessionName: prod, clusterName: workload-alpha}
- name: acp:prod:workload-beta
  cluster:
    server: https://127.0.0.1:1/kubernetes/workload-beta/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: false, platformUrl: https://127.0.0.1:1, sessionName: prod, clusterName: workload-beta}
users:
- name: acp:prod:user
  user: {token: not-a-real-token}
contexts:
- {name: prod/global, context: {cluster: acp:prod:global, user: acp:prod:user}}
- {name: prod/workload-alpha, context: {cluster: renamed-entry, user: acp:prod:user}}
current-context: prod/workload-alpha
"#;

fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_ac"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn have(shell: &str) -> bool {
    Command::new(shell)
        .arg("-c")
        .arg("exit 0")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn kubeconfig(dir: &Path) -> PathBuf {
    let p = dir.join("kubeconfig");
    std::fs::write(&p, KUBECONFIG).unwrap();
    p
}

/// Run `script` in bash with bash-completion loaded; returns stdout.
fn bash(script: &str, kubeconfig: &Path) -> String {
    let path = format!("{}:/usr/bin:/bin", bin_dir().display());
    let full = format!(
        "set -e\n[ -f /usr/share/bash-completion/bash_completion ] && source /usr/share/bash-completion/bash_completion\n{script}"
    );
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &full])
        .env_clear()
        .env("PATH", path)
        .env("HOME", kubeconfig.parent().unwrap())
        .env("KUBECONFIG", kubeconfig)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "bash failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Complete the last word of `line` with the function `func` registered for `ac`.
fn complete_line(func: &str, line: &str) -> String {
    format!(
        r#"COMP_LINE={line:?}; COMP_POINT=${{#COMP_LINE}}; read -ra COMP_WORDS <<< "$COMP_LINE"
if [[ "$COMP_LINE" == *" " ]]; then COMP_WORDS+=(""); fi
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); COMP_TYPE=9
{func} ac "${{COMP_WORDS[$COMP_CWORD]}}" "${{COMP_WORDS[$COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
    )
}

#[test]
fn bash_static_script_completes_flags() {
    if !have("bash") {
        crate::common::skip_without("bash", "bash_static_script_completes_flags");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kc = kubeconfig(dir.path());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ac.bash");
    let out = bash(
        &format!(
            "source {}\n{}",
            script.display(),
            complete_line("_ac", "ac adm upgrade --cl")
        ),
        &kc,
    );
    // `--cl` is the prefix of --cluster and --clear: bash offers both.
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["--cluster", "--clear"],
        "{out}"
    );
    let out = bash(
        &format!(
            "source {}\n{}",
            script.display(),
            complete_line("_ac", "ac adm upgrade --clu")
        ),
        &kc,
    );
    assert_eq!(out.lines().collect::<Vec<_>>(), ["--cluster"], "{out}");
    let out = bash(
        &format!(
            "source {}\n{}",
            script.display(),
            complete_line("_ac", "ac adm upgrade status --")
        ),
        &kc,
    );
    for flag in [
        "--verbose",
        "--watch",
        "--all-clusters",
        "--timeout",
        "--cluster",
        "--output",
    ] {
        assert!(out.lines().any(|l| l == flag), "{flag} missing from: {out}");
    }
    assert!(
        !out.lines().any(|l| l == "--to-latest"),
        "request flags leak into status: {out}"
    );
    let out = bash(
        &format!(
            "source {}\n{}",
            script.display(),
            complete_line("_ac", "ac adm upgrade verify --")
        ),
        &kc,
    );
    for flag in [
        "--to",
        "--all-clusters",
        "--cluster",
        "--dr-standby",
        "--output",
    ] {
        assert!(out.lines().any(|l| l == flag), "{flag} missing from: {out}");
    }
    assert!(
        !out.lines().any(|l| l == "--to-latest" || l == "--watch"),
        "other commands' flags leak into verify: {out}"
    );
}

#[test]
fn bash_dynamic_completion_lists_session_clusters() {
    if !have("bash") {
        crate::common::skip_without("bash", "bash_dynamic_completion_lists_session_clusters");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kc = kubeconfig(dir.path());
    let out = bash(
        &format!(
            "source <(ac completion bash)\n{}",
            complete_line("_clap_complete_ac", "ac adm upgrade --cluster ")
        ),
        &kc,
    );
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got, ["global", "workload-alpha", "workload-beta"], "{out}");
    let out = bash(
        &format!(
            "source <(ac completion bash)\n{}",
            complete_line("_clap_complete_ac", "ac adm upgrade --cluster work")
        ),
        &kc,
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["workload-alpha", "workload-beta"],
        "{out}"
    );
    let out = bash(
        &format!(
            "source <(ac completion bash)\n{}",
            complete_line("_clap_complete_ac", "ac adm upgrade -o ")
        ),
        &kc,
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["text", "json", "yaml"],
        "{out}"
    );
    let out = bash(
        &format!(
            "source <(ac completion bash)\n{}",
            complete_line("_clap_complete_ac", "ac adm upgrade --context prod/")
        ),
        &kc,
    );
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["prod/global", "prod/workload-alpha"],
        "{out}"
    );
    // --to asks the cluster; unreachable here: silent, nothing offered, no error output.
    let out = bash(
        &format!(
            "source <(ac completion bash)\n{}",
            complete_line("_clap_complete_ac", "ac adm upgrade --to ")
        ),
        &kc,
    );
    assert_eq!(out.trim(), "", "{out}");
}

/// The values of the session commands: sessions, other sessions as DR standbys, platforms.
#[test]
fn bash_dynamic_completion_of_sessions_standbys_and_platforms() {
    if !have("bash") {
        crate::common::skip_without(
            "bash",
            "bash_dynamic_completion_of_sessions_standbys_and_platforms",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    std::fs::write(
        &kc,
        KUBECONFIG.replace("users:\n", &format!("{STANDBY}users:\n")),
    )
    .unwrap();
    let complete = |line: &str| {
        bash(
            &format!(
                "source <(ac completion bash)\n{}",
                complete_line("_clap_complete_ac", line)
            ),
            &kc,
        )
    };
    for (line, want) in [
        ("ac logout --session ", &["prod", "prod-dr"][..]),
        ("ac config sync --session p", &["prod", "prod-dr"]),
        ("ac config set-dr-standby ", &["prod-dr"]),
        ("ac config set-dr-standby --session prod-dr ", &["prod"]),
        ("ac adm release list --dr-standby prod-", &["prod-dr"]),
        (
            "ac adm release import-manifest --dr-standby ",
            &["prod", "prod-dr"],
        ),
        ("ac login https://10.0.0.20 --name ", &["prod", "prod-dr"]),
    ] {
        let out = complete(line);
        // An empty word also offers the command's flags: the values are the rest.
        let values: Vec<&str> = out.lines().filter(|l| !l.starts_with('-')).collect();
        assert_eq!(values, want, "{line}: {out}");
    }
    let out = complete("ac login https://10");
    assert!(out.lines().any(|l| l.ends_with("10.0.0.20")), "{out}");
    let out = complete("ac lo");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["login", "logout"],
        "{out}"
    );
    let out = complete("ac config s");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["sync", "set-dr-standby"],
        "{out}"
    );
}

/// A second platform: the standby global of prod's DR pair.
const STANDBY: &str = r#"- name: acp:prod-dr:global
  cluster:
    server: https://10.0.0.20/kubernetes/global/
    extensions:
    - name: acp.io/v1
      extension: {isGlobal: true, platformUrl: https://10.0.0.20, sessionName: prod-dr, clusterName: global}
"#;

#[test]
fn fish_dynamic_completion_lists_session_clusters_with_descriptions() {
    if !have("fish") {
        crate::common::skip_without(
            "fish",
            "fish_dynamic_completion_lists_session_clusters_with_descriptions",
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kc = kubeconfig(dir.path());
    let out = Command::new("fish")
        .args([
            "--no-config",
            "-c",
            "ac completion fish | source; complete -C 'ac adm upgrade --cluster '",
        ])
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()))
        .env("HOME", dir.path())
        .env("KUBECONFIG", &kc)
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("global\tglobal cluster of session prod"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("workload-alpha\tworkload cluster"),
        "{out}"
    );
}

#[test]
fn fish_static_script_completes_flags() {
    if !have("fish") {
        crate::common::skip_without("fish", "fish_static_script_completes_flags");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/ac.fish");
    let out = Command::new("fish")
        .args([
            "--no-config",
            "-c",
            &format!(
                "source {}; complete -C 'ac adm upgrade --cl'",
                script.display()
            ),
        ])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(out.lines().any(|l| l.starts_with("--cluster")), "{out}");
}

/// `--to` asks the target cluster for its offered versions (one GET against the simulator).
#[tokio::test(flavor = "multi_thread")]
async fn bash_dynamic_completion_of_to_lists_offered_versions() {
    if !have("bash") {
        crate::common::skip_without(
            "bash",
            "bash_dynamic_completion_of_to_lists_offered_versions",
        );
        return;
    }
    let sim = ac_sim::Sim::start(ac_sim::SimOptions::empty())
        .await
        .unwrap();
    sim.put(serde_json::json!({
        "apiVersion": "config.alauda.io/v1", "kind": "ClusterVersionShadow",
        "metadata": {"name": "global", "namespace": "cpaas-system"},
        "status": {"current": {"version": "4.2.1"},
                   "availableUpdates": [{"version": "4.2.3"}, {"version": "4.3.0"}, {"version": "4.3.10"}]}
    }));
    let dir = tempfile::tempdir().unwrap();
    let kc = dir.path().join("kubeconfig");
    sim.write_kubeconfig(&kc, "global").unwrap();
    let kc2 = kc.clone();
    let out = tokio::task::spawn_blocking(move || {
        bash(
            &format!(
                "source <(ac completion bash)\n{}",
                complete_line("_clap_complete_ac", "ac adm upgrade --to 4.3")
            ),
            &kc2,
        )
    })
    .await
    .unwrap();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["4.3.10", "4.3.0"],
        "{out}"
    );
    let gets = sim.requests().iter().filter(|r| r.method == "GET").count();
    assert_eq!(gets, 1, "one GET per completion: {:?}", sim.requests());
    // verify --to: the same values.
    let kc3 = kc.clone();
    let out = tokio::task::spawn_blocking(move || {
        bash(
            &format!(
                "source <(ac completion bash)\n{}",
                complete_line("_clap_complete_ac", "ac adm upgrade verify --to 4.3")
            ),
            &kc3,
        )
    })
    .await
    .unwrap();
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        ["4.3.10", "4.3.0"],
        "{out}"
    );
}

/// zsh: the registration's function calls `ac` back with the words and hands the values to
/// `_describe` (stubbed here to print them; `compdef` needs compinit, stubbed too).
#[test]
fn zsh_dynamic_completion_lists_session_clusters() {
    if !have("zsh") {
        crate::common::skip_without("zsh", "zsh_dynamic_completion_lists_session_clusters");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let kc = kubeconfig(dir.path());
    let script = r#"compdef() { :; }
_describe() { local name=${@[-1]}; print -rl -- ${(P)name}; }
source <(ac completion zsh)
words=(ac adm upgrade --cluster work); CURRENT=5
_clap_dynamic_completer_ac"#;
    let out = Command::new("zsh")
        .args(["-f", "-c", script])
        .env_clear()
        .env("PATH", format!("{}:/usr/bin:/bin", bin_dir().display()))
        .env("HOME", dir.path())
        .env("KUBECONFIG", &kc)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let names: Vec<&str> = text
        .lines()
        .map(|line| line.split(':').next().unwrap())
        .collect();
    assert_eq!(
        names,
        ["workload-alpha", "workload-beta"],
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `ac completion SHELL` prints exactly what `COMPLETE=SHELL ac` prints (one registration,
/// whichever way it is asked for), naming `ac` rather than a build path.
#[test]
fn completion_command_prints_the_dynamic_registration() {
    for shell in ["bash", "zsh", "fish"] {
        let run = |args: &[&str], complete: Option<&str>| {
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_ac"));
            cmd.args(args).env_clear().env("PATH", "/usr/bin:/bin");
            if let Some(shell) = complete {
                cmd.env("COMPLETE", shell);
            }
            let out = cmd.output().unwrap();
            assert!(out.status.success(), "{args:?}: {out:?}");
            String::from_utf8(out.stdout).unwrap()
        };
        let printed = run(&["completion", shell], None);
        assert_eq!(printed, run(&[], Some(shell)), "{shell}");
        assert!(
            !printed.contains(env!("CARGO_BIN_EXE_ac")),
            "{shell}: {printed}"
        );
    }
}
