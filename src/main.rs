//! `ac`: thin entry point. Parse, run, map the outcome to an exit code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use ac::cli::Cli;
use ac::commands::completion;
use ac::error::{AcError, ErrorKind};
use ac::output::Printer;

/// mimalloc instead of the system allocator: reading a 5,000-object LIST makes about a
/// million small strings, and glibc's malloc was a sixth of the command's time
/// (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Dynamic completion (the shell function `ac completion bash` registers runs
    // `COMPLETE=bash ac -- WORDS…`) answers here, before anything is printed.
    clap_complete::CompleteEnv::with_factory(Cli::command)
        .var(completion::COMPLETE_VAR)
        .completer(completion::COMPLETER)
        .complete();

    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let printer = Printer::new(cli.global.color, cli.global.output);
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            printer.error(&AcError::new(
                ErrorKind::Config,
                format!("cannot start the async runtime: {e}"),
            ));
            return ExitCode::from(1);
        }
    };
    let result = rt.block_on(ac::commands::run(cli, printer.clone()));
    // Do not wait for background tasks (open connections) on the way out.
    rt.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind == ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            printer.error(&e);
            ExitCode::from(e.exit_code())
        }
    }
}
