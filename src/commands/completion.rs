//! `ac completion <shell>`: the static completion script.

use clap::CommandFactory;

use super::Ctx;
use crate::cli::{Cli, CompletionArgs};
use crate::error::Result;

pub fn script(shell: clap_complete::Shell) -> Vec<u8> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "ac", &mut out);
    out
}

pub fn run(ctx: &Ctx, a: CompletionArgs) -> Result<()> {
    ctx.printer.out(&String::from_utf8_lossy(&script(a.shell)))
}
