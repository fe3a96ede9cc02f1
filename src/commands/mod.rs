//! One module per command: parse → plan → fetch/patch → render.

pub mod completion;
pub mod config;
pub mod dr;
pub mod import_manifest;
pub mod login;
pub mod logout;
pub mod precheck;
pub mod release_list;
pub mod rollout;
pub mod status;
pub mod upgrade;
pub mod verify;
pub mod wait;

use std::sync::Arc;

use jiff::Timestamp;

use crate::access::client::{self, Conn, Resolved};
use crate::access::{Diagnostics, Options};
use crate::access::{facts, kubeconfig, profiles};
use crate::cli::{AdmCommand, Cli, Command, GlobalArgs, ReleaseCommand};
use crate::domain::advice::Scope;
use crate::domain::cmdline::{self, Kubectl};
use crate::domain::name;
use crate::domain::rules::tier::GlobalTier;
use crate::error::{AcError, Result};
use crate::output::Printer;

/// What every command gets.
pub struct Ctx {
    /// How to reach the platform (from the global flags).
    pub access: Options,
    pub printer: Printer,
    pub now: Timestamp,
}

impl Ctx {
    /// The access layer's warnings and `-v` traces, on stderr through the printer.
    pub fn diagnostics(&self) -> Arc<dyn Diagnostics> {
        Arc::new(PrinterDiagnostics(self.printer.clone()))
    }
}

struct PrinterDiagnostics(Printer);

impl Diagnostics for PrinterDiagnostics {
    fn warn(&self, message: &str) {
        self.0.warn(message);
    }
    fn trace(&self, line: &str) {
        self.0.trace(line);
    }
}

/// What the access layer needs of the global flags.
pub fn access_options(g: &GlobalArgs) -> Options {
    Options {
        kubeconfig: g.kubeconfig.clone(),
        context: g.context.clone(),
        user: g.user.clone(),
        request_timeout: g.request_timeout,
        insecure_skip_tls_verify: g.insecure_skip_tls_verify,
        verbosity: g.verbosity,
    }
}

/// The clock: `AC_NOW` (RFC 3339) when set, for reproducible output in tests; else the system.
pub fn now_from_env() -> Result<Timestamp> {
    match std::env::var("AC_NOW") {
        Ok(s) if !s.is_empty() => s
            .parse()
            .map_err(|e| AcError::usage(format!("AC_NOW={s:?} is not an RFC 3339 time: {e}"))),
        // Whole seconds: nothing shown needs more, and it keeps timestamps short.
        _ => Ok(Timestamp::from_second(Timestamp::now().as_second())
            .unwrap_or_else(|_| Timestamp::now())),
    }
}

pub async fn run(cli: Cli, printer: Printer) -> Result<()> {
    let ctx = Ctx {
        now: now_from_env()?,
        access: access_options(&cli.global),
        printer,
    };
    match cli.command {
        Command::Adm(AdmCommand::Upgrade(args)) => upgrade::run(&ctx, args).await,
        Command::Adm(AdmCommand::Release(ReleaseCommand::ImportManifest(args))) => {
            import_manifest::run(&ctx, args).await
        }
        Command::Adm(AdmCommand::Release(ReleaseCommand::List(args))) => {
            release_list::run(&ctx, args).await
        }
        Command::Config(command) => config::run(&ctx, command).await,
        Command::Login(args) => login::run(&ctx, args).await,
        Command::Logout(args) => logout::run(&ctx, args),
        Command::Completion(args) => completion::run(&ctx, args),
    }
}

/// The ACP cluster a command acts on (SPEC §3.2): `--cluster`, else the cluster the context
/// points at (after a login, the global cluster), else — a plain kubeconfig — the global one.
pub struct Target {
    pub cluster: String,
    pub is_global: bool,
    /// The context the cluster was taken from, when `--cluster` was not given.
    pub from_context: Option<String>,
}

pub fn target(resolved: &Resolved, cluster: Option<&str>) -> Result<Target> {
    let session = &resolved.session;
    let global = session.global_name();
    let (cluster, from_context) = match cluster {
        Some(named) => {
            name::validate(named).map_err(|e| {
                AcError::usage(format!(
                    "--cluster {} is not a valid cluster name: {e} (a cluster name is {})",
                    name::shown(named),
                    name::RULE
                ))
                .hint(format!(
                    "list the clusters with: {}",
                    cmdline::status_all_clusters()
                ))
            })?;
            (named.to_string(), None)
        }
        None => match session.context_cluster() {
            Some(current) => {
                name::validate(current).map_err(|e| {
                    AcError::config(format!(
                        "the cluster {} of context {} is not a valid cluster name: {e} (a cluster name is {})",
                        name::shown(current),
                        name::shown(&session.context),
                        name::RULE
                    ))
                    .hint("pass --cluster NAME, or fix clusterName in the acp.io/v1 extension of the context's cluster entry")
                })?;
                (current.to_string(), Some(session.context.clone()))
            }
            None => (global.clone(), None),
        },
    };
    // Any cluster with a ClusterVersionShadow on the session's global can be named, whether
    // the kubeconfig has an entry for it or not: every request goes to global.
    Ok(Target {
        is_global: cluster == global,
        cluster,
        from_context,
    })
}

/// How advice speaks about `target`: the cluster, the global tier, how kubectl reaches global.
pub fn scope<'a>(conn: &'a Conn, target: &'a Target, tier: &'a GlobalTier) -> Scope<'a> {
    Scope {
        cluster: &target.cluster,
        tier,
        kubectl: Kubectl::through(conn.session.kubectl_context_for_global()),
    }
}

/// [`facts::gather`] for a command about `target`: a ClusterVersionShadow the session's global
/// does not have, while another session of the kubeconfig has a cluster of that name, says
/// which session to use.
pub async fn gather(
    ctx: &Ctx,
    conn: &Conn,
    target: &Target,
    needs: &facts::Needs<'_>,
) -> Result<facts::Gathered> {
    facts::gather(conn, &ctx.access, ctx.diagnostics(), needs)
        .await
        .map_err(|e| elsewhere(ctx, conn, target, e))
}

/// A 404 for the target's cvsh: the sessions of the kubeconfig that know a cluster of that
/// name, each with the command that switches to it.
fn elsewhere(ctx: &Ctx, conn: &Conn, target: &Target, e: AcError) -> AcError {
    if e.status != Some(404) {
        return e;
    }
    let Ok(loaded) = kubeconfig::load(&kubeconfig::Source::from_env(
        ctx.access.kubeconfig.as_deref(),
    )) else {
        return e;
    };
    let current = conn.session.acp.as_ref().map(|a| a.name.as_str());
    profiles::sessions_with_cluster(&loaded.config, &target.cluster)
        .into_iter()
        .filter(|session| Some(session.as_str()) != current)
        .fold(e, |e, session| {
            e.hint(format!(
                "cluster {} is in session {session} of the kubeconfig: {}",
                target.cluster,
                cmdline::use_session(&session)
            ))
        })
}

pub async fn open(ctx: &Ctx, cluster: Option<&str>) -> Result<(Conn, Target)> {
    let resolved = client::resolve(&ctx.access)?;
    let t = target(&resolved, cluster)?;
    let conn = Conn::open(resolved, &ctx.access, ctx.diagnostics()).await?;
    Ok((conn, t))
}
