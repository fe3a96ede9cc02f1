//! The README's first command works the way a newcomer runs it (issue 10).
//!
//! The command is taken from README.md (the first line that starts with `cargo run` and runs
//! `ac-sim`, the rule the pre-stop hook also follows) and run exactly as written, through
//! `sh`, from the repository root, with this build's target directory. Before it runs, the
//! `ac` executable is removed from the profile directory the command builds into: the
//! command must get `ac` built itself (as on a fresh clone, where `cargo run -p ac-sim`
//! builds only `ac-sim`), not find the one the test harness built. Cargo's cache of
//! compiled crates stays, so this costs seconds; the fresh clone with an empty target
//! directory is the README hook's job (see docs/performance.md, "The first command").
//!
//! Its own test binary (it does not link `ac`): cargo runs test binaries one after the
//! other, so no end-to-end test that runs `target/debug/ac` is running while it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The README's first `cargo run … ac-sim …` line.
fn first_command(readme: &str) -> Option<String> {
    readme
        .lines()
        .map(str::trim)
        .find(|line| line.starts_with("cargo run") && line.contains("ac-sim"))
        .map(|line| {
            // A trailing comment is not part of the command.
            line.split(" # ").next().unwrap_or(line).trim().to_string()
        })
}

/// The target directory of this build: the nearest ancestor of this test executable with
/// cargo's `CACHEDIR.TAG` (`target/debug/deps/readme-…` → `target`).
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        return if dir.is_absolute() {
            dir
        } else {
            Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)
        };
    }
    let exe = std::env::current_exe().unwrap();
    exe.ancestors()
        .find(|dir| dir.join("CACHEDIR.TAG").is_file())
        .expect("the test runs from a cargo target directory")
        .to_path_buf()
}

#[test]
fn the_first_command_is_found() {
    let readme = "Intro\n\n```sh\ncargo install --path .\ncargo run -p ac-sim -- run -- ac adm upgrade status  # the fleet\n```\n";
    assert_eq!(
        first_command(readme).as_deref(),
        Some("cargo run -p ac-sim -- run -- ac adm upgrade status")
    );
}

#[test]
fn readme_first_command_shows_the_fleet_without_a_prebuilt_ac() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let command = first_command(&readme).expect("README.md has a `cargo run … ac-sim` line");
    let profile_dir = if command.contains("--release") {
        "release"
    } else {
        "debug"
    };
    assert_eq!(
        profile_dir, "debug",
        "the README's first command should use the dev profile: on a fresh clone a release \
         build (fat LTO) takes minutes longer, and this test would build it: {command}"
    );
    let target = target_dir();
    let ac = target.join(profile_dir).join("ac");
    if ac.exists() {
        std::fs::remove_file(&ac).unwrap();
    }
    // The cargo that runs this test, first on PATH (the command says `cargo`).
    let mut path = std::env::var_os("CARGO")
        .map(|cargo| vec![PathBuf::from(cargo).parent().unwrap().to_path_buf()])
        .unwrap_or_default();
    path.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    let mut sh = Command::new("sh");
    // A newcomer's shell has none of what cargo set for this test (`CARGO_PKG_NAME`,
    // `CARGO_MANIFEST_DIR`, …); build scripts that watch them would rebuild.
    for (name, _) in std::env::vars_os() {
        if name.to_str().is_some_and(|name| {
            name.starts_with("CARGO_PKG_")
                || name.starts_with("CARGO_MANIFEST_")
                || name.starts_with("CARGO_BIN_")
                || matches!(
                    name,
                    "CARGO_CRATE_NAME"
                        | "CARGO_PRIMARY_PACKAGE"
                        | "CARGO_TARGET_TMPDIR"
                        | "OUT_DIR"
                )
        }) {
            sh.env_remove(&name);
        }
    }
    let out = sh
        .arg("-c")
        .arg(&command)
        .current_dir(root)
        .env("PATH", std::env::join_paths(path).unwrap())
        .env("CARGO_TARGET_DIR", &target)
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("COMPLETE")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "`{command}` failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    for expected in [
        "CLUSTER",
        "global",
        "workload-a",
        "workload-c",
        "4 clusters",
    ] {
        assert!(
            stdout.contains(expected),
            "`{command}`: {expected:?} missing from:\n{stdout}\n{stderr}"
        );
    }
    assert!(ac.is_file(), "the command built {}", ac.display());
}
