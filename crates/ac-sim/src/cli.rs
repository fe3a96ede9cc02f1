//! What the `ac-sim` binary does: `serve` and `run`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;

use super::{Fault, Scenario, Sim, SimOptions};

/// Options shared by `serve` and `run`.
#[derive(Debug, Clone)]
pub struct CommonOptions {
    pub scenario_file: Option<PathBuf>,
    pub clusters: Option<usize>,
    pub speed: f64,
    pub port: Option<u16>,
    pub faults: Vec<Fault>,
    pub controller: bool,
    /// The cluster the kubeconfig's current-context points at.
    pub context_cluster: String,
}

impl CommonOptions {
    pub fn sim_options(&self) -> anyhow::Result<SimOptions> {
        let mut scenario = match (&self.scenario_file, self.clusters) {
            (Some(path), _) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading scenario {}", path.display()))?;
                Scenario::from_yaml(&text)
                    .with_context(|| format!("scenario {}", path.display()))?
            }
            (None, Some(n)) => Scenario::fleet(n),
            (None, None) => Scenario::builtin(),
        };
        // The binary starts the simulated clock at the wall clock (whole seconds), so that the
        // ages `ac` prints are plausible; the library default stays fixed for reproducible tests.
        if scenario.start.is_none() {
            let now = jiff::Timestamp::now().as_second();
            scenario.start = jiff::Timestamp::from_second(now)
                .ok()
                .map(|t| t.to_string());
        }
        if !(self.speed.is_finite() && self.speed >= 0.0) {
            anyhow::bail!("--speed must be a number ≥ 0 (got {})", self.speed);
        }
        Ok(SimOptions {
            scenario,
            speed: self.speed,
            controller: self.controller,
            port: self.port,
            faults: self.faults.clone(),
        })
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

/// `ac-sim serve`: serve in the foreground until Ctrl-C.
pub async fn serve(opts: CommonOptions, kubeconfig: &Path) -> anyhow::Result<ExitCode> {
    let sim = Sim::start(opts.sim_options()?).await?;
    let path = absolute(kubeconfig);
    sim.write_kubeconfig(&path, &opts.context_cluster)
        .with_context(|| format!("writing {}", path.display()))?;
    eprintln!(
        "ac-sim: serving {} clusters at {} (speed {}×, controller {}); Ctrl-C stops",
        sim.clusters().len(),
        sim.base_url(),
        opts.speed,
        if opts.controller { "on" } else { "off" }
    );
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
pub async fn run(
    opts: CommonOptions,
    kubeconfig: Option<&Path>,
    command: &[String],
) -> anyhow::Result<ExitCode> {
    let Some((program, args)) = command.split_first() else {
        anyhow::bail!("ac-sim run: give a command after --, e.g. ac-sim run -- ac adm upgrade");
    };
    let sim = Sim::start(opts.sim_options()?).await?;
    let temp_dir =
        std::env::temp_dir().join(format!("ac-sim-{}-{}", std::process::id(), sim.port()));
    let path = match kubeconfig {
        Some(p) => absolute(p),
        None => {
            std::fs::create_dir_all(&temp_dir)
                .with_context(|| format!("creating {}", temp_dir.display()))?;
            temp_dir.join("kubeconfig")
        }
    };
    sim.write_kubeconfig(&path, &opts.context_cluster)
        .with_context(|| format!("writing {}", path.display()))?;
    let mut cmd = std::process::Command::new(program);
    cmd.args(args).env("KUBECONFIG", &path);
    if let Some(dir) = std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
    {
        let old = std::env::var_os("PATH").unwrap_or_default();
        let joined = std::env::join_paths(std::iter::once(dir).chain(std::env::split_paths(&old)))
            .unwrap_or(old);
        cmd.env("PATH", joined);
    }
    let program = program.clone();
    let status = tokio::task::spawn_blocking(move || cmd.status())
        .await
        .context("waiting for the command")?
        .with_context(|| format!("running {program}"));
    sim.shutdown().await;
    if kubeconfig.is_none() {
        let _ = std::fs::remove_dir_all(&temp_dir);
    }
    let status = status?;
    let code = match status.code() {
        Some(c) => c,
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
