//! The clap tree and global flags. Nothing here talks to a cluster.

use std::time::Duration;

use clap::{ArgAction, Args, Parser, Subcommand};
use clap_complete::engine::ArgValueCompleter;

use crate::complete;
use crate::error::EXIT_CODES_HELP;
pub use crate::output::{ColorChoice, OutputFormat};

const ENV_HELP: &str = "\
Environment:
  KUBECONFIG      ':'-separated kubeconfig files, merged like kubectl (missing ones skipped)
  AC_DR_STANDBY   the standby global's session under disaster recovery (--dr-standby)
  NO_COLOR        set and non-empty: no color (--color overrides)
  CLICOLOR_FORCE  set and not 0: color even when not a terminal (--color, NO_COLOR override)";

fn root_after_help() -> String {
    format!("{EXIT_CODES_HELP}\n\n{ENV_HELP}")
}

#[derive(Debug, Parser)]
#[command(
    name = "ac",
    version,
    about = "ACP command line: see and drive cluster upgrades of an Alauda Container Platform",
    long_about = None,
    after_help = root_after_help(),
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags every command accepts (kubectl habits).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Path to the kubeconfig file (default: $KUBECONFIG list, else ~/.kube/config)
    #[arg(long, global = true, value_name = "PATH", value_hint = clap::ValueHint::FilePath)]
    pub kubeconfig: Option<std::path::PathBuf>,

    /// Kubeconfig context to use (default: current-context)
    #[arg(long, global = true, value_name = "NAME", add = ArgValueCompleter::new(complete::contexts))]
    pub context: Option<String>,

    /// Kubeconfig user entry to authenticate as (default: the context's user)
    #[arg(long, global = true, value_name = "NAME")]
    pub user: Option<String>,

    /// Deadline for the command's API requests (a watch: each of its requests up to the first byte), e.g. 30s, 2m, 0 for none
    #[arg(long, global = true, value_name = "DURATION", default_value = "30s", value_parser = parse_duration)]
    pub request_timeout: Duration,

    /// Skip TLS certificate verification (insecure; prints a warning)
    #[arg(long, global = true, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub insecure_skip_tls_verify: bool,

    /// Log level: 6 or more traces every HTTP request (method, URL, status, latency)
    #[arg(
        short = 'v',
        long = "v",
        global = true,
        value_name = "N",
        default_value_t = 0
    )]
    pub verbosity: u8,

    /// When to color output
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Output format (json when watching: one document per line)
    #[arg(short = 'o', long = "output", global = true, value_enum, value_name = "FORMAT", default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Administrative commands for platform administrators
    #[command(subcommand)]
    Adm(AdmCommand),
    /// Show and switch ACP sessions and clusters in kubeconfig (ACP CLI profiles)
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print the shell completion registration (bash, zsh, fish, powershell, elvish): flags,
    /// cluster names, contexts and offered versions
    #[command(after_help = COMPLETION_EXAMPLES)]
    Completion(CompletionArgs),
}

const CONFIG_EXAMPLES: &str = "\
Examples:
  # The ACP platforms this kubeconfig has sessions for; * marks the current one
  ac config get-sessions

  # Switch to another platform (its global cluster's context)
  ac config use-session staging

  # The clusters of the current session, and switch to one of them
  ac config get-clusters
  ac config use-cluster workload-a";

/// `ac config`: sessions and clusters by their acp.io/v1 metadata, written like kubectl does.
#[derive(Debug, Subcommand)]
#[command(after_help = CONFIG_EXAMPLES)]
pub enum ConfigCommand {
    /// List the ACP sessions (platforms) in kubeconfig
    #[command(after_help = CONFIG_EXAMPLES)]
    GetSessions,
    /// Make a session current: its global cluster's context (created if needed)
    #[command(after_help = CONFIG_EXAMPLES)]
    UseSession(UseSessionArgs),
    /// List the clusters of the current session
    #[command(after_help = CONFIG_EXAMPLES)]
    GetClusters,
    /// Make a cluster of the current session current (its context is created if needed)
    #[command(after_help = CONFIG_EXAMPLES)]
    UseCluster(UseClusterArgs),
}

#[derive(Debug, Args)]
pub struct UseSessionArgs {
    /// The session name (as given at login)
    #[arg(value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
    pub name: String,
}

#[derive(Debug, Args)]
pub struct UseClusterArgs {
    /// The ACP cluster name, e.g. workload-a
    #[arg(value_name = "CLUSTER", add = ArgValueCompleter::new(complete::clusters))]
    pub name: String,
}

const COMPLETION_EXAMPLES: &str = "\
The script registers ac itself as the completer: on every <TAB> the shell runs
`ac` (from PATH), which completes flags and subcommands, and the values of
--cluster (the ACP clusters of the current session), --context, -o and --to (the
versions offered to the cluster; one GET, 2 s budget). Static scripts that
complete flags only are in the source tree under completions/ (for packagers).

Examples:
  # Load completion in the current shell (add the line to ~/.bashrc, ~/.zshrc)
  source <(ac completion bash)
  source <(ac completion zsh)

  # Install it for all users (bash-completion)
  ac completion bash > /etc/bash_completion.d/ac

  # fish
  ac completion fish > ~/.config/fish/completions/ac.fish";

#[derive(Debug, Args)]
pub struct CompletionArgs {
    /// The shell to generate the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum AdmCommand {
    /// Show cluster versions and request upgrades
    Upgrade(UpgradeArgs),
    /// Manage release metadata (ProductManifests)
    #[command(subcommand)]
    Release(ReleaseCommand),
}

const UPGRADE_EXAMPLES: &str = "\
Examples:
  # Show where the global cluster stands and what it can move to
  ac adm upgrade

  # Show a workload cluster
  ac adm upgrade --cluster=workload-a

  # Update to the latest version offered
  ac adm upgrade --cluster=global --to-latest

  # Update to a specific version and watch it until it completes
  ac adm upgrade --cluster=global --to=4.3.0 --wait

  # Show the exact patch without writing anything
  ac adm upgrade --cluster=workload-a --to=4.3.0 --dry-run

  # Withdraw a pending request
  ac adm upgrade --cluster=workload-a --clear";

/// `ac adm upgrade`: summary, or a request when a target flag is given.
#[derive(Debug, Args)]
#[command(after_help = format!("{UPGRADE_EXAMPLES}\n\n{EXIT_CODES_HELP}\n\n{ENV_HELP}"))]
pub struct UpgradeArgs {
    #[command(subcommand)]
    pub command: Option<UpgradeCommand>,

    /// ACP cluster to act on (default: the cluster the current context points at): any cluster
    /// with a ClusterVersionShadow on the session's global, with or without a kubeconfig entry
    #[arg(long, global = true, value_name = "NAME", add = ArgValueCompleter::new(complete::clusters))]
    pub cluster: Option<String>,

    /// Disaster recovery: the kubeconfig session of the standby global cluster
    #[arg(long, global = true, value_name = "SESSION", env = "AC_DR_STANDBY", hide_env_values = true,
          add = ArgValueCompleter::new(complete::sessions))]
    pub dr_standby: Option<String>,

    /// Request the highest version offered in availableUpdates
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true,
          conflicts_with_all = ["to", "to_image", "clear"])]
    pub to_latest: bool,

    /// Request a specific version (a leading v is accepted)
    #[arg(long, value_name = "VERSION", conflicts_with_all = ["to_image", "clear"],
          add = ArgValueCompleter::new(complete::versions))]
    pub to: Option<String>,

    /// Request a release image instead of a version
    #[arg(long, value_name = "IMAGE", conflicts_with = "clear")]
    pub to_image: Option<String>,

    /// Allow --to/--to-image targets that are not in availableUpdates (the controller still decides)
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub allow_explicit_upgrade: bool,

    /// Remove spec.desiredUpdate (withdraw a request)
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub clear: bool,

    /// Set desiredUpdate.force: the controller skips its safety checks (testing only)
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub force: bool,

    /// Print the patch that would be sent and write nothing
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub dry_run: bool,

    /// Go ahead despite client-side guards (sequencing, in-progress, Stalled/Degraded); each is printed as a warning
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub allow_upgrade_with_warnings: bool,

    /// After requesting (or finding this very request already there), watch the upgrade until it completes, fails or --timeout passes
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub wait: bool,

    /// How long --wait watches before giving up (exit 4)
    #[arg(long, value_name = "DURATION", default_value = "2h", value_parser = parse_duration)]
    pub timeout: Duration,
}

impl UpgradeArgs {
    /// Whether any request flag was given (otherwise this is the summary).
    pub fn is_request(&self) -> bool {
        self.to_latest || self.to.is_some() || self.to_image.is_some() || self.clear
    }
}

#[derive(Debug, Subcommand)]
pub enum UpgradeCommand {
    /// Show preflight checks, stages and progress of a cluster's upgrade
    #[command(after_help = format!("{STATUS_EXAMPLES}\n\n{EXIT_CODES_HELP}\n\n{ENV_HELP}"))]
    Status(StatusArgs),
    /// Check the upgrade guide's prerequisites before requesting (read-only; exit 3 if blocked)
    #[command(after_help = format!("{PRECHECK_EXAMPLES}\n\n{EXIT_CODES_HELP}\n\n{ENV_HELP}"))]
    Precheck(PrecheckArgs),
}

const PRECHECK_EXAMPLES: &str = "\
Examples:
  # Before upgrading global: offered?, supported path, every workload cluster's Kubernetes
  # version inside 4.3's range, Machines Running, ResourcePatches exempt, admin acks
  ac adm upgrade precheck --cluster=global --to=4.3.0

  # A workload cluster: has the global tier (both globals under DR) reached the version?
  ac adm upgrade precheck --cluster=workload-a --to-latest

  # Disaster recovery: name the standby global's session (or set AC_DR_STANDBY)
  ac adm upgrade precheck --cluster=global --to=4.3.0 --dr-standby=prod-dr";

#[derive(Debug, Args)]
pub struct PrecheckArgs {
    /// Check an upgrade to this version (default: the highest the cluster may take now)
    #[arg(long, value_name = "VERSION", conflicts_with_all = ["to_latest", "to_image"],
          add = ArgValueCompleter::new(complete::versions))]
    pub to: Option<String>,

    /// Check an upgrade to the highest version offered
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true,
          conflicts_with = "to_image")]
    pub to_latest: bool,

    /// Check an upgrade to a release image
    #[arg(long, value_name = "IMAGE")]
    pub to_image: Option<String>,
}

const STATUS_EXAMPLES: &str = "\
Examples:
  # Show summary, preflight, and stage progress for the global cluster upgrade
  ac adm upgrade status --cluster=global

  # Everything the controller reports: all conditions, operations, history, images
  ac adm upgrade status --cluster=workload-a --verbose

  # Follow the upgrade until it completes (exit 0), fails (exit 5) or times out (exit 4)
  ac adm upgrade status --cluster=global --watch

  # One line per cluster, global first, then the sequencing picture
  ac adm upgrade status --all-clusters";

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Show every condition, operation, history entry and image
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub verbose: bool,

    /// Follow the upgrade through the watch API and re-render on each change
    #[arg(short = 'w', long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub watch: bool,

    /// How long --watch follows before giving up (exit 4)
    #[arg(long, value_name = "DURATION", default_value = "2h", value_parser = parse_duration)]
    pub timeout: Duration,

    /// One row per cluster (one LIST of all ClusterVersionShadows), then the sequencing picture
    #[arg(short = 'A', long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true,
          conflicts_with = "watch")]
    pub all_clusters: bool,
}

#[derive(Debug, Subcommand)]
pub enum ReleaseCommand {
    /// Publish release metadata: create ProductManifest v<VERSION> so the controller offers it
    #[command(after_help = format!("{IMPORT_EXAMPLES}\n\n{EXIT_CODES_HELP}\n\n{ENV_HELP}"))]
    ImportManifest(ImportManifestArgs),
}

const IMPORT_EXAMPLES: &str = "\
Examples:
  # Publish the metadata of ACP 4.3.0
  ac adm release import-manifest --version 4.3.0

  # Publish and wait until the controller reports it Ready
  ac adm release import-manifest --version 4.3.0 --wait --timeout 10m";

#[derive(Debug, Args)]
pub struct ImportManifestArgs {
    /// The ACP version to publish, e.g. 4.3.0 (a leading v is accepted)
    #[arg(long, value_name = "VERSION")]
    pub version: String,

    /// Wait until the ProductManifest reports Ready=True
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub wait: bool,

    /// How long --wait waits (exit 4 when it passes)
    #[arg(long, value_name = "DURATION", default_value = "10m", value_parser = parse_duration)]
    pub timeout: Duration,

    /// Print the object that would be created and write nothing
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub dry_run: bool,
}

/// Durations of flags: `30s`, `1m30s`, `2h`, `500ms`; a bare number is seconds; `0` is none.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    crate::duration::parse(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_tree_is_valid() {
        Cli::command().debug_assert();
    }

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("ac").chain(args.iter().copied()))
    }

    #[test]
    fn bool_flags_accept_kubectl_forms() {
        for (arg, want) in [
            ("--to-latest", true),
            ("--to-latest=true", true),
            ("--to-latest=false", false),
        ] {
            let cli = parse(&["adm", "upgrade", arg]).unwrap();
            let Command::Adm(AdmCommand::Upgrade(u)) = cli.command else {
                panic!()
            };
            assert_eq!(u.to_latest, want, "{arg}");
        }
    }

    #[test]
    fn targets_are_exclusive() {
        assert!(parse(&["adm", "upgrade", "--to-latest", "--to=4.3.0"]).is_err());
        assert!(parse(&["adm", "upgrade", "--to=4.3.0", "--to-image=r/x:1"]).is_err());
        assert!(parse(&["adm", "upgrade", "--clear", "--to=4.3.0"]).is_err());
        assert!(parse(&["adm", "upgrade", "--to=4.3.0", "--force"]).is_ok());
    }

    #[test]
    fn global_flags_anywhere() {
        let cli = parse(&[
            "adm",
            "upgrade",
            "status",
            "--cluster",
            "w",
            "-o",
            "json",
            "--v=6",
        ])
        .unwrap();
        assert_eq!(cli.global.output, OutputFormat::Json);
        assert_eq!(cli.global.verbosity, 6);
        let cli = parse(&["-v", "7", "adm", "upgrade"]).unwrap();
        assert_eq!(cli.global.verbosity, 7);
    }
}
