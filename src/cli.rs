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
  AC_DR_STANDBY   the standby global's session under disaster recovery (--dr-standby
                  overrides it; it overrides the pair remembered by ac config set-dr-standby)
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
    /// Show, switch and refresh ACP sessions and clusters in kubeconfig (ACP CLI profiles)
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Log in to an ACP platform with a token: one kubeconfig entry per platform cluster
    #[command(after_help = format!("{LOGIN_EXAMPLES}\n\n{EXIT_CODES_HELP}"))]
    Login(LoginArgs),
    /// Remove a session's entries (clusters, user, contexts) from kubeconfig
    #[command(after_help = format!("{LOGOUT_EXAMPLES}\n\n{EXIT_CODES_HELP}"))]
    Logout(LogoutArgs),
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
  ac config use-cluster workload-a

  # Add the platform's new clusters, remove deleted ones
  ac config sync

  # Remember the DR pair: prod-dr is the standby global of the current session
  ac config set-dr-standby prod-dr";

const LOGIN_EXAMPLES: &str = "\
The token is read from standard input unless --token is given (a token on the
command line is visible to other users of the machine). On a terminal, ac does
not prompt: type it into a shell variable without echo first. One LIST of the
platform's clusters on <url>/kubernetes/global/ checks the token; nothing is
written when it fails. Without --certificate-authority the system's trust store
verifies the platform (on a login again: the CA already in kubeconfig);
--insecure-skip-tls-verify (a global option) skips verification and writes
insecure-skip-tls-verify: true into the entries.

The kubeconfig gets one cluster entry per platform cluster (acp:<session>:<cluster>,
server <url>/kubernetes/<cluster>/), one user entry (acp:<session>:user) and the
contexts <session>/<cluster>; the current context becomes <session>/global.
Logging in again updates the token and adds new clusters; ac config sync also
removes deleted ones.

Examples:
  # Log in with a token from a file, trusting the platform's CA
  ac login https://acp.example.com --name prod --certificate-authority=ca.crt < token.txt

  # Type the token without echo, then log in
  read -rs TOKEN && printf '%s' \"$TOKEN\" | ac login https://acp.example.com --name prod

  # The standby global of a DR pair, through its own address
  ac login https://10.0.0.20 --name prod-dr --certificate-authority=dr-ca.crt < dr-token.txt";

const LOGOUT_EXAMPLES: &str = "\
Removes the session's cluster entries and user entries (found by their acp.io/v1
metadata, whatever their names) and every context pointing at them. When the current
context is removed, current-context is cleared, not moved to another platform: pick
one with ac config use-session. The token itself is not revoked on the platform.

Examples:
  # Log out of the current session
  ac logout

  # Log out of one session, or of all of them
  ac logout --session prod-dr
  ac logout --all";

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
    /// Re-read the platform's cluster list: add new clusters, remove deleted ones
    #[command(after_help = format!("{SYNC_HELP}\n\n{EXIT_CODES_HELP}"))]
    Sync(SyncArgs),
    /// Remember the DR pair: the standby global's session, for every command that orders the global tier
    #[command(after_help = format!("{DR_STANDBY_HELP}\n\n{EXIT_CODES_HELP}"))]
    SetDrStandby(SetDrStandbyArgs),
}

const SYNC_HELP: &str = "\
One LIST of the platform's Cluster resources on global, through the session's own
credentials. New clusters get an entry (with the TLS settings of the session's global
cluster entry) and a <session>/<cluster> context; clusters the platform no longer has
lose their entry and every context pointing at it (current-context is cleared if it was
one of them). Hand-made entries and other sessions are left alone.

Examples:
  # The current session
  ac config sync

  # Another session
  ac config sync --session prod-dr";

const DR_STANDBY_HELP: &str = "\
Stores the standby's session name on the primary session's global cluster entry
(acp.io/v1 extension, field drStandbySession). Every command that orders the global
tier (ac adm upgrade, status, precheck, verify, ac adm release list and
import-manifest) then uses it without a flag; --dr-standby and AC_DR_STANDBY still override it, and -v=4
says where the standby came from.

Examples:
  # prod-dr is the standby global of the current session
  ac config set-dr-standby prod-dr

  # The same for session prod, whatever the current context
  ac config set-dr-standby prod-dr --session prod

  # Forget it
  ac config set-dr-standby --unset";

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The session to refresh (default: the current context's)
    #[arg(long, value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
    pub session: Option<String>,
}

#[derive(Debug, Args)]
pub struct SetDrStandbyArgs {
    /// The session of the standby global
    #[arg(value_name = "STANDBY", required_unless_present = "unset", conflicts_with = "unset",
          add = ArgValueCompleter::new(complete::standby_sessions))]
    pub standby: Option<String>,

    /// Forget the remembered standby
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub unset: bool,

    /// The primary's session (default: the current context's)
    #[arg(long, value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
    pub session: Option<String>,
}

#[derive(Debug, Args)]
pub struct LoginArgs {
    /// The platform's URL, e.g. https://acp.example.com
    #[arg(value_name = "URL", value_hint = clap::ValueHint::Url, add = ArgValueCompleter::new(complete::platform_urls))]
    pub url: String,

    /// The session name: it prefixes the kubeconfig entries (acp:<name>:<cluster>, <name>/<cluster>)
    #[arg(long, value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
    pub name: String,

    /// The bearer token (default: read from standard input)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,

    /// PEM file of the CA that signed the platform's certificate (stored in kubeconfig as certificate-authority-data)
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub certificate_authority: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct LogoutArgs {
    /// The session to log out of (default: the current context's)
    #[arg(long, value_name = "SESSION", conflicts_with = "all",
          add = ArgValueCompleter::new(complete::sessions))]
    pub session: Option<String>,

    /// Log out of every ACP session in kubeconfig
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub all: bool,
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
  ac adm upgrade --cluster=workload-a --clear

  # After the upgrade: is every cluster there, healthy, nothing left open?
  ac adm upgrade verify";

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

    /// Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)
    #[arg(long, global = true, value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
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
    /// Move a whole platform to a version: the global tier first, then a canary, then every
    /// workload cluster in a sliding window; resumable by running it again
    #[command(after_help = format!("{ROLLOUT_EXAMPLES}\n\n{ROLLOUT_EXIT_CODES}\n\n{ENV_HELP}"))]
    Rollout(Box<RolloutArgs>),
    /// After the upgrade: is every cluster at the version, healthy, nothing left pending? Then
    /// the guide's post-upgrade steps (read-only; exit 3 if anything is open)
    #[command(after_help = format!("{VERIFY_HELP}\n\n{EXIT_CODES_HELP}\n\n{ENV_HELP}"))]
    Verify(VerifyArgs),
}

const ROLLOUT_EXAMPLES: &str = "\
Examples:
  # The plan: waves, order, blocked clusters with their remedies; nothing written
  ac adm upgrade rollout --to=4.3.0 --dry-run

  # The whole platform: standby and primary global (DR), one canary, then 5 at a time
  ac adm upgrade rollout --to=4.3.0

  # Edge clusters only, two canaries soaking 30 minutes, 10% of them at a time, and a
  # Markdown report for the change ticket
  ac adm upgrade rollout --to=4.3.0 --clusters='edge-*' --canary=2 --soak=30m \\
      --max-parallel=10% --report=rollout-4.3.0.md

  # Interrupted (Ctrl-C, a lost laptop)? Run the same command again: it resumes";

const ROLLOUT_EXIT_CODES: &str = "\
Exit codes:
  0    every selected cluster is at the target
  1    API, transport, configuration or output error
  2    usage error (flags, arguments)
  3    nothing failed, but some clusters are blocked or not offered the target
  4    timed out (--timeout)
  5    a cluster failed (Stalled, Degraded, preflight failed after the request, --cluster-timeout)
  130  interrupted (running clusters go on server-side; run the same command to resume)";

#[derive(Debug, Args)]
pub struct RolloutArgs {
    /// The version to move the platform to
    #[arg(long, value_name = "VERSION", conflicts_with = "to_latest",
          required_unless_present = "to_latest",
          add = ArgValueCompleter::new(complete::versions))]
    pub to: Option<String>,

    /// The highest stable version offered to the global cluster (never a pre-release)
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub to_latest: bool,

    /// Clusters to move: names and globs, comma-separated (default: the global tier when it
    /// is behind, then every workload cluster behind the target)
    #[arg(long, value_name = "NAMES", value_delimiter = ',',
          add = ArgValueCompleter::new(complete::clusters))]
    pub clusters: Vec<String>,

    /// Clusters to leave out: names and globs, comma-separated
    #[arg(long, value_name = "NAMES", value_delimiter = ',',
          add = ArgValueCompleter::new(complete::clusters))]
    pub exclude: Vec<String>,

    /// Workload clusters that go first, alone; every one must complete before the rest start
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub canary: usize,

    /// After the canary completed, how long it must stay healthy before the rest start
    #[arg(long, value_name = "DURATION", default_value = "0", value_parser = parse_duration)]
    pub soak: Duration,

    /// Clusters upgrading at once after the canary: a count, or a percentage of the selected
    /// workload clusters (at least 1) [default: 5]
    #[arg(long, value_name = "N|P%", value_parser = parse_parallel)]
    pub max_parallel: Option<Parallel>,

    /// Failures tolerated before no new cluster starts (running ones are followed to the end)
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub max_failures: usize,

    /// A cluster upgrading longer counts as failed (default: no limit)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub cluster_timeout: Option<Duration>,

    /// Bound the whole rollout (exit 4; running clusters go on server-side; default: none)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub timeout: Option<Duration>,

    /// Print the plan and write nothing
    #[arg(long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub dry_run: bool,

    /// Also write the final report as Markdown to this file (for the change ticket)
    #[arg(long, value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
    pub report: Option<std::path::PathBuf>,
}

/// `--max-parallel`: a count, or a percentage of the selected workload clusters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parallel {
    Count(usize),
    Percent(u8),
}

impl Parallel {
    /// The window for `selected` workload clusters: at least 1.
    pub fn window(self, selected: usize) -> usize {
        match self {
            Parallel::Count(n) => n.max(1),
            Parallel::Percent(p) => (selected * usize::from(p) / 100).max(1),
        }
    }
}

/// `5`, `10%`.
pub fn parse_parallel(s: &str) -> Result<Parallel, String> {
    let t = s.trim();
    match t.strip_suffix('%') {
        Some(p) => match p.trim().parse::<u8>() {
            Ok(p @ 1..=100) => Ok(Parallel::Percent(p)),
            _ => Err(format!("{s:?} is not a percentage from 1% to 100%")),
        },
        None => match t.parse::<usize>() {
            Ok(n @ 1..=100_000) => Ok(Parallel::Count(n)),
            _ => Err(format!(
                "{s:?} is not a count from 1 to 100000 or a percentage such as 10%"
            )),
        },
    }
}

const VERIFY_HELP: &str = "\
Every cluster by default (--cluster narrows it to one). Per cluster: at the version,
Ready, not Stalled or Degraded, its status current (observedGeneration), no request
for another release pending. The platform: cpaas-system/cvo-config disables no
preflight check (on both globals under DR), every workload cluster's Kubernetes inside
the range of the global's release, and under DR the primary not ahead of the standby.
Then the guide's post-upgrade steps for the release, each with when it is due. One
read of the platform; nothing is written. Exit 0: verified; 3: something is open
(or could not be read).

Examples:
  # Is the platform done at the global tier's version?
  ac adm upgrade verify

  # At a given version (after a rollout to 4.3.0)
  ac adm upgrade verify --to=4.3.0

  # One cluster
  ac adm upgrade verify --cluster=workload-a --to=4.3.0

  # For scripts: the open items and the checklist as JSON
  ac adm upgrade verify -o json";

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The version to verify (default: the global tier's version; under DR the lower of both globals')
    #[arg(long, value_name = "VERSION", add = ArgValueCompleter::new(complete::versions))]
    pub to: Option<String>,

    /// Every cluster (the default; --cluster verifies one)
    #[arg(short = 'A', long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true)]
    pub all_clusters: bool,
}

const PRECHECK_EXAMPLES: &str = "\
Examples:
  # Before upgrading global: offered?, supported path, every workload cluster's Kubernetes
  # version inside 4.3's range, Machines Running, ResourcePatches exempt, admin acks
  ac adm upgrade precheck --cluster=global --to=4.3.0

  # A workload cluster: has the global tier (both globals under DR) reached the version?
  ac adm upgrade precheck --cluster=workload-a --to-latest

  # Disaster recovery: name the standby global's session (or set AC_DR_STANDBY)
  ac adm upgrade precheck --cluster=global --to=4.3.0 --dr-standby=prod-dr

  # Every cluster of the platform at once, for a rollout to 4.3.0
  ac adm upgrade precheck --all-clusters --to=4.3.0";

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

    /// Every cluster's pre-checks for --to (one read of the platform, one row per cluster):
    /// the rollout's plan without its order
    #[arg(short = 'A', long, action = ArgAction::Set, num_args = 0..=1, require_equals = true,
          default_value_t = false, default_missing_value = "true", value_name = "BOOL",
          hide_default_value = true, hide_possible_values = true,
          conflicts_with = "to_image")]
    pub all_clusters: bool,
}

const STATUS_EXAMPLES: &str = "\
Examples:
  # Show summary, preflight, and stage progress for the global cluster upgrade
  ac adm upgrade status --cluster=global

  # Everything the controller reports: all conditions, operations, history, images
  ac adm upgrade status --cluster=workload-a --verbose

  # Follow the upgrade until it completes (exit 0), fails (exit 5) or times out (exit 4)
  ac adm upgrade status --cluster=global --watch

  # One line per cluster, global first, then the sequencing picture (under DR, a primary
  # that went before its standby is flagged as a DR order violation)
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
    /// List the releases the platform knows (ProductManifests) and which clusters can move to each
    #[command(after_help = format!("{RELEASE_LIST_EXAMPLES}\n\n{EXIT_CODES_HELP}\n\n{ENV_HELP}"))]
    List(ReleaseListArgs),
}

const RELEASE_LIST_EXAMPLES: &str = "\
Highest version first. CAN MOVE names the clusters that may request the version now:
it is offered to them and, for a workload cluster, the global tier (both globals under
DR) has reached it; for the primary global under DR, the standby has.

Examples:
  # The releases published on the platform
  ac adm release list

  # As JSON, for scripts
  ac adm release list -o json";

#[derive(Debug, Args)]
pub struct ReleaseListArgs {
    /// Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)
    #[arg(long, value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
    pub dr_standby: Option<String>,
}

const IMPORT_EXAMPLES: &str = "\
Examples:
  # Publish the metadata of ACP 4.3.0
  ac adm release import-manifest --version 4.3.0

  # Publish and wait until the controller reports it Ready
  ac adm release import-manifest --version 4.3.0 --wait --timeout 10m

Under disaster recovery (--dr-standby, AC_DR_STANDBY or the pair remembered by
ac config set-dr-standby) the manifest is published on the standby global first,
then on the primary; a global that already has it is left unchanged.";

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

    /// Disaster recovery: the session of the standby global (else AC_DR_STANDBY, else the one remembered by ac config set-dr-standby)
    #[arg(long, value_name = "SESSION", add = ArgValueCompleter::new(complete::sessions))]
    pub dr_standby: Option<String>,
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
