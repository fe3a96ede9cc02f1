//! `ac completion <shell>`: what ACP's documentation tells users to run
//! (`source <(ac completion bash)`). It prints the registration of the full, dynamic completion
//! (clap_complete's `CompleteEnv`, the same script `COMPLETE=bash ac` prints): the shell calls
//! `ac` back on every <TAB>, so cluster names, contexts and offered versions complete, not only
//! flags. The static scripts (flags and subcommands only, no `ac` needed at completion time)
//! stay checked in under `completions/` for packagers; [`static_script`] generates them.

use clap::CommandFactory;
use clap_complete::env::{EnvCompleter, Shells};

use super::Ctx;
use crate::cli::{Cli, CompletionArgs};
use crate::error::{AcError, Result};

/// The environment variable the registration calls `ac` back with (clap_complete's default,
/// the one `main` listens to).
pub const COMPLETE_VAR: &str = "COMPLETE";

/// The program the registered shell function runs on <TAB>: `ac` from `PATH` (not the path of
/// this binary, which would tie the user's shell profile to a build directory).
pub const COMPLETER: &str = "ac";

/// The static completion script of `shell` (flags and subcommands; `completions/`).
pub fn static_script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ac", &mut out);
    out
}

/// The registration of the dynamic completion for `shell`.
pub fn dynamic_registration(shell: clap_complete::Shell) -> Result<Vec<u8>> {
    let name = shell.to_string();
    let shells = Shells::builtins();
    let completer: &dyn EnvCompleter = shells
        .completer(&name)
        .ok_or_else(|| AcError::usage(format!("no dynamic completion for {name}")))?;
    let mut out = Vec::new();
    completer
        .write_registration(COMPLETE_VAR, "ac", "ac", COMPLETER, &mut out)
        .map_err(|e| AcError::usage(format!("cannot write the {name} registration: {e}")))?;
    Ok(out)
}

pub fn run(ctx: &Ctx, a: CompletionArgs) -> Result<()> {
    let script = dynamic_registration(a.shell)?;
    ctx.printer.out(&String::from_utf8_lossy(&script))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap_complete::Shell;

    #[test]
    fn every_shell_has_a_registration_that_calls_ac_back() {
        for shell in [
            Shell::Bash,
            Shell::Zsh,
            Shell::Fish,
            Shell::PowerShell,
            Shell::Elvish,
        ] {
            let text = String::from_utf8(dynamic_registration(shell).unwrap()).unwrap();
            assert!(text.contains("COMPLETE"), "{shell}: {text}");
            assert!(
                !text.contains("target/") && !text.contains("/ac "),
                "{shell}: the completer is `ac` from PATH, not a build path: {text}"
            );
        }
        let bash = String::from_utf8(dynamic_registration(Shell::Bash).unwrap()).unwrap();
        assert!(bash.contains("complete -o nospace"), "{bash}");
        assert!(bash.contains("_clap_complete_ac"), "{bash}");
    }
}
