//! `ac-sim`: a local ACP platform to demo, learn and test against. See docs/sim.md.

use std::path::PathBuf;
use std::process::ExitCode;

use ac_sim::Fault;
use ac_sim::cli::{self, CommonOptions};
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "ac-sim",
    version,
    about = "A local ACP platform (API server + simulated upgrade controller) to demo, learn and test `ac` against",
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve in the foreground; prints the `export KUBECONFIG=…` line when ready
    Serve {
        #[command(flatten)]
        common: Common,
        /// Where to write the kubeconfig
        #[arg(long, value_name = "PATH", default_value = "./ac-sim.kubeconfig")]
        kubeconfig: PathBuf,
    },
    /// Start, run COMMAND with KUBECONFIG set and `ac` on PATH, stop, exit with its code
    Run {
        #[command(flatten)]
        common: Common,
        /// Where to write the kubeconfig (default: a temporary file)
        #[arg(long, value_name = "PATH")]
        kubeconfig: Option<PathBuf>,
        /// The command and its arguments (after --)
        #[arg(last = true, required = true, value_name = "COMMAND")]
        command: Vec<String>,
    },
}

#[derive(Debug, Args)]
struct Common {
    /// Scenario file (YAML; see docs/sim.md); default: the built-in demo platform
    #[arg(long, value_name = "FILE", conflicts_with = "clusters")]
    scenario: Option<PathBuf>,
    /// Generate a fleet of N workload clusters in varied states instead
    #[arg(long, value_name = "N")]
    clusters: Option<usize>,
    /// Simulated seconds per real second (60: a minute per second)
    #[arg(long, value_name = "X", default_value_t = 60.0)]
    speed: f64,
    /// Port on 127.0.0.1 (default: a random free port)
    #[arg(long, value_name = "P")]
    port: Option<u16>,
    /// Inject a fault, e.g. 'latency=200ms,path=/clusterversionshadows', 'status=503,rate=0.5',
    /// 'hang,path=/watch', 'drop,method=PATCH' (repeatable; see docs/sim.md)
    #[arg(long, value_name = "SPEC", value_parser = Fault::parse)]
    fault: Vec<Fault>,
    /// Do not run the upgrade controller: objects stay as the scenario left them
    #[arg(long)]
    no_controller: bool,
    /// The cluster the kubeconfig's current context points at
    #[arg(long, value_name = "NAME", default_value = "global")]
    current_cluster: String,
}

impl Common {
    fn into_options(self) -> CommonOptions {
        CommonOptions {
            scenario_file: self.scenario,
            clusters: self.clusters,
            speed: self.speed,
            port: self.port,
            faults: self.fault,
            controller: !self.no_controller,
            context_cluster: self.current_cluster,
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve { common, kubeconfig } => {
            cli::serve(common.into_options(), &kubeconfig).await
        }
        Command::Run {
            common,
            kubeconfig,
            command,
        } => cli::run(common.into_options(), kubeconfig.as_deref(), &command).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ac-sim: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
