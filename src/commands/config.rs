//! `ac config get-sessions | use-session NAME | get-clusters | use-cluster NAME | sync |
//! set-dr-standby`: ACP CLI profiles. Reads the merged kubeconfig; a switch writes
//! `current-context` (and a context it had to create) to the file kubectl would write,
//! atomically and with its mode kept; `sync` re-reads the platform's cluster list (one LIST on
//! global, with the session's own credentials) and adds or removes the session's entries;
//! `set-dr-standby` remembers the DR pair on the primary's global cluster entry.

use kube::config::Kubeconfig;
use serde::Serialize;

use super::Ctx;
use crate::access::client::{self, Conn};
use crate::access::kubeconfig::{self, Session, Source};
use crate::access::kubeconfig_file::{self, Kubeconfigs, Missing};
use crate::access::object::platform_cluster_resource;
use crate::access::profiles;
use crate::access::session_edits;
use crate::cli::{ConfigCommand, SetDrStandbyArgs, SyncArgs};
use crate::domain::report::profiles::{SESSION_EDIT_SCHEMA, SessionEditReport};
use crate::error::{AcError, Result};
use crate::render::profiles as render;

/// `-o json|yaml` of `get-sessions`.
#[derive(Serialize)]
struct SessionsReport<'a> {
    schema: &'static str,
    sessions: &'a [profiles::SessionInfo],
}

/// `-o json|yaml` of `get-clusters`.
#[derive(Serialize)]
struct ClustersReport<'a> {
    schema: &'static str,
    session: &'a str,
    clusters: &'a [profiles::ClusterInfo],
}

/// `-o json|yaml` of a switch.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SwitchReport<'a> {
    schema: &'static str,
    session: &'a str,
    cluster: &'a str,
    context: &'a str,
    created_context: bool,
    kubeconfig: String,
}

pub async fn run(ctx: &Ctx, command: ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::GetSessions => get_sessions(ctx),
        ConfigCommand::GetClusters => get_clusters(ctx),
        ConfigCommand::UseSession(a) => switch(ctx, |kc| profiles::use_session(kc, &a.name)),
        ConfigCommand::UseCluster(a) => switch(ctx, |kc| {
            let session = Session::resolve(kc, ctx.access.context.as_deref(), None)?;
            profiles::use_cluster(kc, &session, &a.name)
        }),
        ConfigCommand::Sync(a) => sync(ctx, a).await,
        ConfigCommand::SetDrStandby(a) => set_dr_standby(ctx, a),
    }
}

fn load(ctx: &Ctx) -> Result<(Source, Kubeconfig)> {
    let source = Source::from_env(ctx.access.kubeconfig.as_deref());
    let loaded = kubeconfig::load(&source)?;
    Ok((source, loaded.config))
}

fn get_sessions(ctx: &Ctx) -> Result<()> {
    let (_, kc) = load(ctx)?;
    let sessions = profiles::sessions(&kc);
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::sessions(&sessions, p.color))
    } else {
        p.machine(&to_value(&SessionsReport {
            schema: "ac.alauda.io/sessions/v1",
            sessions: &sessions,
        }))
    }
}

fn get_clusters(ctx: &Ctx) -> Result<()> {
    let (_, kc) = load(ctx)?;
    let session = Session::resolve(&kc, ctx.access.context.as_deref(), None)?;
    let clusters = profiles::clusters(&kc, &session)?;
    let name = session.acp.as_ref().map(|a| a.name.as_str()).unwrap_or("");
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::clusters(&clusters, p.color))
    } else {
        p.machine(&to_value(&ClustersReport {
            schema: "ac.alauda.io/clusters/v1",
            session: name,
            clusters: &clusters,
        }))
    }
}

/// `use-session`, `use-cluster`: plan the switch on the merged kubeconfig, write it.
fn switch(ctx: &Ctx, plan: impl FnOnce(&Kubeconfig) -> Result<profiles::Switch>) -> Result<()> {
    let (source, kc) = load(ctx)?;
    let switch = plan(&kc)?;
    let mut files = Kubeconfigs::open(&source, Missing::Fail)?;
    files.apply(&kubeconfig_file::switch_changes(&switch))?;
    let file = files.default_file().to_path_buf();
    files.commit()?;
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::switched(&switch, &file))
    } else {
        p.machine(&to_value(&SwitchReport {
            schema: "ac.alauda.io/config-switch/v1",
            session: &switch.session,
            cluster: &switch.cluster,
            context: &switch.context,
            created_context: switch.create.is_some(),
            kubeconfig: file.display().to_string(),
        }))
    }
}

fn to_value(v: &impl Serialize) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// The session a command acts on: `--session`, else the one of the context (`--context`, else
/// current-context).
pub(super) fn session_of(ctx: &Ctx, files: &Kubeconfigs, named: Option<&str>) -> Result<String> {
    if let Some(name) = named {
        return Ok(name.to_string());
    }
    let kc = files.merged()?;
    let session = Session::resolve(&kc, ctx.access.context.as_deref(), None)?;
    match session.acp {
        Some(acp) => Ok(acp.name),
        None => Err(AcError::config(format!(
            "context {:?} is not an ACP session (its cluster entry has no acp.io/v1 metadata)",
            session.context
        ))
        .hint("name the session with --session; list the sessions with: ac config get-sessions")),
    }
}

/// `ac config sync`: the platform's cluster list, read through the session's global context,
/// made the session's entries.
async fn sync(ctx: &Ctx, a: SyncArgs) -> Result<()> {
    let source = Source::from_env(ctx.access.kubeconfig.as_deref());
    // Which session, and how to reach its global cluster: from the files as they are now.
    let (session, context) = {
        let files = Kubeconfigs::open(&source, Missing::Fail)?;
        let session = session_of(ctx, &files, a.session.as_deref())?;
        let switch = profiles::use_session(&files.merged()?, &session)?;
        if switch.create.is_some() {
            return Err(AcError::config(format!(
                "session {session:?} has no context of its global cluster to read the cluster list through"
            ))
            .hint(format!("create one: ac config use-session {session}")));
        }
        (session, switch.context)
    };
    let options = crate::access::Options {
        context: Some(context),
        user: None,
        ..ctx.access.clone()
    };
    let resolved = client::resolve(&options)?;
    let global = resolved.session.global_name();
    let conn = Conn::open(resolved, &options, ctx.diagnostics()).await?;
    let items = conn
        .list::<serde_json::Value>(&platform_cluster_resource(), None)
        .await?;
    let (clusters, skipped) = session_edits::platform_clusters(&items, &global);
    let mut files = Kubeconfigs::open(&source, Missing::Fail)?;
    let plan = session_edits::sync(&files, &session, &clusters, &global)?;
    files.apply(&plan.changes)?;
    let written = files.commit()?;
    let report = SessionEditReport {
        schema: SESSION_EDIT_SCHEMA,
        action: "sync",
        sessions: plan.sessions,
        current_context: None,
        cleared_current_context: plan.cleared_current_context,
        skipped_names: skipped,
        kubeconfig: written.iter().map(|p| p.display().to_string()).collect(),
        warnings: plan.warnings,
    };
    print_edit(ctx, &report)
}

/// What login, sync and logout print: warnings on stderr, then the report.
pub(super) fn print_edit(ctx: &Ctx, report: &SessionEditReport) -> Result<()> {
    let p = &ctx.printer;
    if !report.skipped_names.is_empty() {
        p.warn(&render::skipped_names(&report.skipped_names));
    }
    for w in &report.warnings {
        p.warn(w);
    }
    if p.is_text() {
        p.out(&render::session_edit(report))
    } else {
        p.machine(report)
    }
}

/// `ac config set-dr-standby [STANDBY | --unset] [--session PRIMARY]`.
fn set_dr_standby(ctx: &Ctx, a: SetDrStandbyArgs) -> Result<()> {
    let source = Source::from_env(ctx.access.kubeconfig.as_deref());
    let mut files = Kubeconfigs::open(&source, Missing::Fail)?;
    let primary = session_of(ctx, &files, a.session.as_deref())?;
    let standby = if a.unset { None } else { a.standby.as_deref() };
    let (changes, mut report) = session_edits::set_dr_standby(&files, &primary, standby)?;
    files.apply(&changes)?;
    report.kubeconfig = files
        .commit()?
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let p = &ctx.printer;
    if p.is_text() {
        p.out(&render::dr_standby(&report))
    } else {
        p.machine(&report)
    }
}
