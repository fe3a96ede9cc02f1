//! `ac config get-sessions | use-session NAME | get-clusters | use-cluster NAME`: ACP CLI
//! profiles. Reads the merged kubeconfig; a switch writes `current-context` (and a context it
//! had to create) to the file kubectl would write, atomically and with its mode kept.

use serde::Serialize;

use super::Ctx;
use crate::access::kubeconfig::{self, Session, Source};
use crate::access::kubeconfig_file::{self, Kubeconfigs, Missing};
use crate::access::profiles;
use crate::cli::ConfigCommand;
use crate::error::Result;
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

pub fn run(ctx: &Ctx, command: ConfigCommand) -> Result<()> {
    let source = Source::from_env(ctx.access.kubeconfig.as_deref());
    let loaded = kubeconfig::load(&source)?;
    let kc = &loaded.config;
    let p = &ctx.printer;
    let switch = match command {
        ConfigCommand::GetSessions => {
            let sessions = profiles::sessions(kc);
            return if p.is_text() {
                p.out(&render::sessions(&sessions, p.color))
            } else {
                p.machine(&to_value(&SessionsReport {
                    schema: "ac.alauda.io/sessions/v1",
                    sessions: &sessions,
                }))
            };
        }
        ConfigCommand::GetClusters => {
            let session = Session::resolve(kc, ctx.access.context.as_deref(), None)?;
            let clusters = profiles::clusters(kc, &session)?;
            let name = session.acp.as_ref().map(|a| a.name.as_str()).unwrap_or("");
            return if p.is_text() {
                p.out(&render::clusters(&clusters, p.color))
            } else {
                p.machine(&to_value(&ClustersReport {
                    schema: "ac.alauda.io/clusters/v1",
                    session: name,
                    clusters: &clusters,
                }))
            };
        }
        ConfigCommand::UseSession(a) => profiles::use_session(kc, &a.name)?,
        ConfigCommand::UseCluster(a) => {
            let session = Session::resolve(kc, ctx.access.context.as_deref(), None)?;
            profiles::use_cluster(kc, &session, &a.name)?
        }
    };
    let mut files = Kubeconfigs::open(&source, Missing::Fail)?;
    files.apply(&kubeconfig_file::switch_changes(&switch))?;
    let file = files.default_file().to_path_buf();
    files.commit()?;
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
