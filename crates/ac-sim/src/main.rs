//! `ac-sim`: a local ACP platform to demo, learn and test against. See docs/sim.md.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod ac_command;

/// mimalloc instead of the system allocator: the controller and the server build and drop
/// many small JSON trees a tick, and glibc's malloc spends most of a busy tick consolidating
/// them (a step with 50 upgrades in flight on a fleet of 5,000: docs/sim.md, "Load").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use ac_sim::{
    ClusterFault, Fault, LoginFiles, MAX_FLEET, MAX_SPEED, Scenario, Sim, SimOptions, TlsMode,
};
use anyhow::Context;
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
    /// (started by `cargo run` in the source tree, `ac-sim run -- ac …` builds `ac` first)
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
    /// Generate a fleet of N workload clusters instead (0 to 20000; see --fleet)
    #[arg(long, value_name = "N", value_parser = fleet_size, allow_negative_numbers = true)]
    clusters: Option<usize>,
    /// The generated fleet: `varied` (clusters in every state: idle, upgrading, blocked,
    /// stalled…) or `idle` (a rollout's starting point: everything idle at 4.2.1, 4.3.0
    /// offered to global)
    #[arg(long, value_name = "KIND", requires = "clusters", value_enum)]
    fleet: Option<Fleet>,
    /// A fault of the clusters NAME matches (a name or a glob like 'edge-*'): stall,
    /// stall=OPERATION, degrade, preflight=CHECK (repeatable; see docs/sim.md)
    #[arg(long, value_name = "NAME=KIND", value_parser = ClusterFault::parse)]
    cluster_fault: Vec<ClusterFault>,
    /// Simulated seconds per real second (60: a minute per second; 0: frozen; at most 1000000)
    #[arg(
        long,
        value_name = "X",
        default_value_t = 60.0,
        value_parser = speed,
        allow_negative_numbers = true
    )]
    speed: f64,
    /// Port on 127.0.0.1 (0 to 65535; default, and 0: a random free port)
    #[arg(long, value_name = "P")]
    port: Option<u16>,
    /// Inject a fault, e.g. 'latency=200ms,path=/clusterversionshadows', 'status=503,rate=0.5',
    /// 'hang,path=/watch', 'drop,method=PATCH', 'status=200,body=[]', 'no-resource-version',
    /// 'oversize-body=1GiB', 'redirect=URL' (repeatable; see docs/sim.md)
    #[arg(long, value_name = "SPEC", value_parser = Fault::parse)]
    fault: Vec<Fault>,
    /// Server certificate: ca-signed, self-signed-ca, expired, not-yet-valid, wrong-name,
    /// unknown-ca (see docs/faults.md)
    #[arg(long, value_name = "MODE", default_value = "ca-signed", value_parser = str::parse::<TlsMode>)]
    tls: TlsMode,
    /// Do not run the upgrade controller: objects stay as the scenario left them
    #[arg(long)]
    no_controller: bool,
    /// The cluster the kubeconfig's current context points at
    #[arg(long, value_name = "NAME", default_value = "global")]
    current_cluster: String,
    /// Also serve a DR standby global: its own port, objects and controller, and its own
    /// session `sim-dr` (context sim-dr/global) in the same kubeconfig
    #[arg(long)]
    dr: bool,
    /// Inject a fault into the DR standby (repeatable; same syntax as --fault)
    #[arg(long, value_name = "SPEC", value_parser = Fault::parse, requires = "dr")]
    standby_fault: Vec<Fault>,
}

/// The generated fleets of `--clusters N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Fleet {
    /// Clusters in every state (`Scenario::fleet`).
    Varied,
    /// Everything idle at 4.2.1, 4.3.0 offered to global (`Scenario::idle_fleet`).
    Idle,
}

/// Bad input found after parsing (a `--cluster-fault` that matches no cluster): exit 2 like
/// clap's usage errors.
#[derive(Debug)]
struct Usage(String);

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

impl Common {
    /// The simulator these options describe.
    fn sim_options(&self) -> anyhow::Result<SimOptions> {
        let mut scenario = match (&self.scenario, self.clusters) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading scenario {}", path.display()))?;
                Scenario::from_yaml(&text)
                    .with_context(|| format!("scenario {}", path.display()))?
            }
            (None, Some(count)) => match self.fleet.unwrap_or(Fleet::Varied) {
                Fleet::Varied => Scenario::fleet(count),
                Fleet::Idle => Scenario::idle_fleet(count),
            },
            (None, None) => Scenario::builtin(),
        };
        scenario
            .add_cluster_faults(&self.cluster_fault)
            .map_err(|error| Usage(error.to_string()))?;
        // The binary starts the simulated clock at the wall clock (whole seconds): written times
        // then follow the wall clock (docs/sim.md, "Time"), so the ages `ac` prints are true; the
        // library default stays fixed for reproducible tests.
        if scenario.start.is_none() {
            let now = jiff::Timestamp::now().as_second();
            scenario.start = jiff::Timestamp::from_second(now)
                .ok()
                .map(|t| t.to_string());
        }
        Ok(SimOptions {
            scenario,
            speed: self.speed,
            controller: !self.no_controller,
            port: self.port,
            faults: self.fault.clone(),
            dr: self.dr,
            tls: self.tls,
        })
    }

    /// Start the simulator these options describe (and arm the standby's faults).
    async fn start(&self) -> anyhow::Result<Sim> {
        let sim = Sim::start(self.sim_options()?).await?;
        if let Some(standby) = sim.standby() {
            standby.set_faults(self.standby_fault.clone());
        }
        Ok(sim)
    }
}

/// `--speed`: a number from 0 to [`MAX_SPEED`].
fn speed(text: &str) -> Result<f64, String> {
    let speed: f64 = text
        .trim()
        .parse()
        .map_err(|_| "not a number (e.g. 60, 600, 0.5)".to_string())?;
    if speed.is_finite() && (0.0..=MAX_SPEED).contains(&speed) {
        Ok(speed)
    } else {
        Err(format!(
            "out of range: simulated seconds per real second from 0 to {MAX_SPEED}"
        ))
    }
}

/// `--clusters`: a whole number from 0 to [`MAX_FLEET`].
fn fleet_size(text: &str) -> Result<usize, String> {
    match text.trim().parse::<usize>() {
        Ok(count) if count <= MAX_FLEET => Ok(count),
        Ok(_) => Err(format!(
            "out of range: from 0 to {MAX_FLEET} workload clusters (each takes ≈ 18 KB)"
        )),
        Err(_) => Err(format!(
            "not a whole number of workload clusters (0 to {MAX_FLEET})"
        )),
    }
}

/// The command line; usage errors (exit 2) and `--help`/`--version` (exit 0) as clap says
/// them, the errors prefixed `ac-sim: ` like every other error of the binary.
fn parse_args() -> Result<Cli, ExitCode> {
    Cli::try_parse().map_err(|error| {
        if error.use_stderr() {
            let text = error.to_string();
            let text = text.strip_prefix("error: ").unwrap_or(&text);
            eprint!("ac-sim: error: {text}");
        } else {
            let _ = error.print();
        }
        ExitCode::from(u8::try_from(error.exit_code()).unwrap_or(2))
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match parse_args() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let result = match cli.command {
        Command::Serve { common, kubeconfig } => serve(&common, &kubeconfig).await,
        Command::Run {
            common,
            kubeconfig,
            command,
        } => run(&common, kubeconfig.as_deref(), &command).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ac-sim: error: {e:#}");
            if e.is::<Usage>() {
                eprintln!("hint: ac-sim serve --help lists the options; docs/sim.md the faults");
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    let p = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    // `components()` drops `.` segments.
    p.components().collect()
}

/// The files `ac login` needs, beside the kubeconfig: the platform's, and the DR standby's.
fn write_login_files(sim: &Sim, kubeconfig: &Path) -> anyhow::Result<Vec<LoginFiles>> {
    std::iter::once(sim)
        .chain(sim.standby())
        .map(|platform| {
            platform
                .write_login_files(kubeconfig)
                .with_context(|| format!("writing the login files beside {}", kubeconfig.display()))
        })
        .collect()
}

/// `ac-sim serve`: serve in the foreground until Ctrl-C.
async fn serve(opts: &Common, kubeconfig: &Path) -> anyhow::Result<ExitCode> {
    let sim = opts.start().await?;
    let path = absolute(kubeconfig);
    sim.write_kubeconfig(&path, &opts.current_cluster)
        .with_context(|| format!("writing {}", path.display()))?;
    let logins = write_login_files(&sim, &path)?;
    eprintln!(
        "ac-sim: serving {} clusters at {} (speed {}×, controller {}); Ctrl-C stops",
        sim.clusters().len(),
        sim.base_url(),
        opts.speed,
        if opts.no_controller { "off" } else { "on" }
    );
    if let Some(standby) = sim.standby() {
        eprintln!(
            "ac-sim: DR standby global at {} (kubeconfig session {}, context {}/global)",
            standby.base_url(),
            standby.session(),
            standby.session()
        );
    }
    for login in &logins {
        eprintln!(
            "ac-sim: platform {} (session {}; global cluster {}/kubernetes/global/); admin token in {}, CA in {}; log in with:",
            login.url,
            login.session,
            login.url,
            login.token_file.display(),
            login.ca_file.display()
        );
        eprintln!("  {}", login.command());
    }
    println!("export KUBECONFIG={}", path.display());
    tokio::signal::ctrl_c()
        .await
        .context("waiting for Ctrl-C")?;
    eprintln!("ac-sim: stopping");
    sim.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

/// `ac-sim run -- COMMAND…`: start, run the command against the simulator, stop, and return
/// the command's exit code.
async fn run(
    opts: &Common,
    kubeconfig: Option<&Path>,
    command: &[String],
) -> anyhow::Result<ExitCode> {
    let Some((program, args)) = command.split_first() else {
        anyhow::bail!("ac-sim run: give a command after --, e.g. ac-sim run -- ac adm upgrade");
    };
    // Before the simulator starts (its clock runs): a first build of `ac` takes minutes.
    let ac_dir = ac_command::path_dir(program)?;
    let sim = opts.start().await?;
    let temp_dir =
        std::env::temp_dir().join(format!("ac-sim-{}-{}", std::process::id(), sim.port()));
    let path = match kubeconfig {
        Some(path) => absolute(path),
        None => {
            std::fs::create_dir_all(&temp_dir)
                .with_context(|| format!("creating {}", temp_dir.display()))?;
            temp_dir.join("kubeconfig")
        }
    };
    sim.write_kubeconfig(&path, &opts.current_cluster)
        .with_context(|| format!("writing {}", path.display()))?;
    let logins = write_login_files(&sim, &path)?;
    let mut cmd = std::process::Command::new(program);
    cmd.args(args).env("KUBECONFIG", &path);
    for login in &logins {
        let prefix = if login.session == sim.session() {
            "AC_SIM"
        } else {
            "AC_SIM_DR"
        };
        cmd.env(format!("{prefix}_URL"), &login.url)
            .env(format!("{prefix}_TOKEN_FILE"), &login.token_file)
            .env(format!("{prefix}_CA_FILE"), &login.ca_file);
    }
    if let Some(dir) = ac_dir {
        let old = std::env::var_os("PATH").unwrap_or_default();
        let joined = std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&old)))
            .unwrap_or(old);
        cmd.env("PATH", joined);
    }
    let program = program.clone();
    let status = tokio::task::spawn_blocking(move || cmd.status())
        .await
        .context("waiting for the command")?
        .map_err(|e| ac_command::not_started(&program, e));
    sim.shutdown().await;
    if kubeconfig.is_none() {
        let _ = std::fs::remove_dir_all(&temp_dir);
    }
    let status = status?;
    let code = match status.code() {
        Some(code) => code,
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::process::ExitStatusExt;
                128 + status.signal().unwrap_or(0)
            }
            #[cfg(not(unix))]
            {
                1
            }
        }
    };
    Ok(ExitCode::from(
        u8::try_from(code.clamp(0, 255)).unwrap_or(1),
    ))
}
