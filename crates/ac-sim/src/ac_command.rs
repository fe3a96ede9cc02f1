//! Which `ac` the command of `ac-sim run` gets (docs/sim.md, "Run it").
//!
//! - Started by cargo in the source tree (`cargo run -p ac-sim -- run -- ac …`, the README's
//!   first command): cargo built only `ac-sim`, so `ac-sim` builds `ac` with the same cargo,
//!   profile and target directory before it runs the command. On a fresh clone that is the
//!   first build of `ac`; afterwards a no-op. Either way the command runs the `ac` of the
//!   current sources, never a stale one left beside `ac-sim`.
//! - Otherwise (installed with `cargo install`, or run as `target/…/ac-sim`): the `ac` beside
//!   the `ac-sim` executable, else the one on `PATH`.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, bail};

/// The directory of the `ac` to put first on `PATH` for `program`: a fresh build when
/// `program` is `ac` and cargo started this process in the source tree, else the directory
/// of this executable.
pub fn path_dir(program: &str) -> anyhow::Result<Option<PathBuf>> {
    let own_dir = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    if program == "ac"
        && let Some(cargo) = std::env::var_os("CARGO")
        && let Some(manifest) = workspace_manifest()
    {
        let ac = build_ac(Path::new(&cargo), &manifest, own_dir.as_deref())?;
        return Ok(ac.parent().map(Path::to_path_buf));
    }
    Ok(own_dir)
}

/// The workspace's `Cargo.toml`, when this binary was built from a source tree that is
/// still there.
fn workspace_manifest() -> Option<PathBuf> {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Cargo.toml");
    manifest.is_file().then_some(manifest)
}

/// `cargo build -p ac --bin ac` in the profile and target directory this executable was
/// built in; returns the path cargo reports for the `ac` executable. Cargo's progress goes
/// to stderr, as in `cargo run`.
fn build_ac(cargo: &Path, manifest: &Path, own_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    let mut cmd = Command::new(cargo);
    cmd.args(["build", "--package", "ac", "--bin", "ac"])
        .arg("--manifest-path")
        .arg(manifest)
        .arg("--message-format=json-render-diagnostics");
    if let Some(dir) = own_dir {
        // target/<profile>/ac-sim: `debug` is the dev profile's directory.
        if let Some(profile) = dir.file_name().and_then(|name| name.to_str()) {
            cmd.args([
                "--profile",
                if profile == "debug" { "dev" } else { profile },
            ]);
        }
        if let Some(target) = dir.parent().filter(|t| t.join("CACHEDIR.TAG").is_file()) {
            cmd.arg("--target-dir").arg(target);
        }
    }
    // What `cargo run` set for this process describes ac-sim, not the build: build scripts
    // that watch these variables (ring's) would otherwise rebuild on every other run.
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(set_for_the_crate) {
            cmd.env_remove(&name);
        }
    }
    eprintln!("ac-sim: building ac (cargo build -p ac --bin ac)");
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("running {}", cargo.display()))?;
    let mut executable = None;
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines() {
            let line = line.context("reading cargo's output")?;
            if let Some(path) = ac_executable(&line) {
                executable = Some(path);
            }
        }
    }
    let status = child.wait().context("waiting for cargo")?;
    if !status.success() {
        bail!("building ac failed (cargo build -p ac --bin ac: {status})");
    }
    executable.context("cargo built ac but reported no executable")
}

/// Variables cargo sets for the crate it runs (`CARGO_PKG_NAME`, `CARGO_MANIFEST_DIR`, …),
/// as opposed to its own configuration (`CARGO_HOME`, `CARGO_TARGET_DIR`, …).
fn set_for_the_crate(name: &str) -> bool {
    name.starts_with("CARGO_PKG_")
        || name.starts_with("CARGO_MANIFEST_")
        || name.starts_with("CARGO_BIN_")
        || matches!(
            name,
            "CARGO_CRATE_NAME" | "CARGO_PRIMARY_PACKAGE" | "CARGO_TARGET_TMPDIR" | "OUT_DIR"
        )
}

/// The executable of the `ac` binary in one line of cargo's JSON messages.
fn ac_executable(line: &str) -> Option<PathBuf> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    (message["reason"] == "compiler-artifact"
        && message["target"]["name"] == "ac"
        && message["target"]["kind"]
            .as_array()
            .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin")))
    .then(|| message["executable"].as_str().map(PathBuf::from))
    .flatten()
}

/// The error of a command that could not be started, with the way out when it is `ac`.
pub fn not_started(program: &str, error: std::io::Error) -> anyhow::Error {
    if error.kind() == std::io::ErrorKind::NotFound {
        let hint = if program == "ac" {
            "; install it beside ac-sim (cargo install --locked --path .), or run ac-sim from \
             the source tree with `cargo run -p ac-sim -- run -- ac …`, which builds it"
        } else {
            ""
        };
        anyhow::anyhow!("running {program}: not found beside ac-sim or on PATH{hint}")
    } else {
        anyhow::Error::new(error).context(format!("running {program}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_ac_executable_in_cargo_messages() {
        let line = r#"{"reason":"compiler-artifact","target":{"name":"ac","kind":["bin"]},"executable":"/t/debug/ac"}"#;
        assert_eq!(ac_executable(line), Some(PathBuf::from("/t/debug/ac")));
        let lib = r#"{"reason":"compiler-artifact","target":{"name":"ac","kind":["lib"]},"executable":null}"#;
        assert_eq!(ac_executable(lib), None);
        let other = r#"{"reason":"compiler-artifact","target":{"name":"ac-sim","kind":["bin"]},"executable":"/t/debug/ac-sim"}"#;
        assert_eq!(ac_executable(other), None);
        assert_eq!(ac_executable("not json"), None);
    }
}
