//! Generated, checked-in files: shell completion scripts (`completions/`) and man pages
//! (`man/`). Regenerate with `cargo run --example gen-assets`; `tests/e2e/assets.rs` fails when
//! the checked-in files differ from what this code generates.

use clap::CommandFactory;

use crate::cli::Cli;
use crate::commands::completion::static_script;

/// Every generated file: (path relative to the repository root, contents).
pub fn files() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (shell, file) in [
        (clap_complete::Shell::Bash, "completions/ac.bash"),
        (clap_complete::Shell::Zsh, "completions/_ac"),
        (clap_complete::Shell::Fish, "completions/ac.fish"),
        (clap_complete::Shell::PowerShell, "completions/_ac.ps1"),
    ] {
        out.push((file.to_string(), static_script(shell)));
    }
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    man_pages(&cmd, &mut out);
    out
}

fn man_pages(cmd: &clap::Command, out: &mut Vec<(String, Vec<u8>)>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        man_pages(sub, out);
    }
    let man = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    // Rendering into memory cannot fail.
    let _ = man.render(&mut buf);
    out.push((format!("man/{}", man.get_filename()), buf));
}
