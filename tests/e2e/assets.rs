//! The checked-in completion scripts and man pages must match what the code generates.

use std::path::Path;

#[test]
fn completions_and_man_pages_are_fresh() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for (rel, bytes) in ac::assets::files() {
        match std::fs::read(root.join(&rel)) {
            Ok(on_disk) if on_disk == bytes => {}
            Ok(_) => stale.push(format!("{rel} differs")),
            Err(_) => stale.push(format!("{rel} is missing")),
        }
    }
    assert!(
        stale.is_empty(),
        "generated files are out of date: {stale:?}\nregenerate them with: cargo run --example gen-assets"
    );
}

#[test]
fn every_command_has_a_man_page_with_examples_and_exit_codes() {
    let files = ac::assets::files();
    let names: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    for page in [
        "man/ac.1",
        "man/ac-adm.1",
        "man/ac-adm-upgrade.1",
        "man/ac-adm-upgrade-status.1",
        "man/ac-adm-release.1",
        "man/ac-adm-release-import-manifest.1",
        "man/ac-completion.1",
    ] {
        assert!(names.contains(&page), "{page} not generated: {names:?}");
    }
    for page in [
        "man/ac-login.1",
        "man/ac-logout.1",
        "man/ac-config-sync.1",
        "man/ac-config-set-dr-standby.1",
        "man/ac-adm-release-list.1",
        "man/ac-adm-upgrade-verify.1",
    ] {
        let text = files
            .iter()
            .find(|(p, _)| p == page)
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .unwrap_or_else(|| panic!("{page} not generated: {names:?}"));
        for needle in ["Examples", "Exit codes"] {
            assert!(text.contains(needle), "{page} lacks {needle:?}");
        }
    }
    let upgrade = &files
        .iter()
        .find(|(p, _)| p == "man/ac-adm-upgrade.1")
        .unwrap()
        .1;
    let text = String::from_utf8_lossy(upgrade);
    for needle in [
        "Update to the latest version",
        "Exit codes",
        "KUBECONFIG",
        "NO_COLOR",
    ] {
        assert!(text.contains(needle), "ac-adm-upgrade.1 lacks {needle:?}");
    }
}
